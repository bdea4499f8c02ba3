"""``manage.py export_manual MANUAL [--edition YEAR|latest|draft] -o FILE.pdf`` and
``manage.py export_manual --all -o DIR``: the printed manual as PDF, from the command line."""

from __future__ import annotations

import shutil
import time
from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from manuals.models import Edition, Manual
from manuals.selectors import edition_latest_published, edition_pick, manual_get
from printing.services import export_ensure


class Command(BaseCommand):
    help = "Export the printed manual (PDF) of one edition, or of every manual's latest edition."

    def add_arguments(self, parser):
        parser.add_argument("manual", nargs="?", help="slug or id of the manual")
        parser.add_argument(
            "--edition", default="latest", help='a BE year (2564), "latest" or "draft"'
        )
        parser.add_argument("--all", action="store_true", help="every manual's latest edition")
        parser.add_argument(
            "-o", "--output", required=True, help="the PDF file (a folder with --all)"
        )

    def handle(self, *args, **options):
        output = Path(options["output"])
        if options["all"]:
            if options["manual"]:
                raise CommandError("give either a manual or --all, not both")
            output.mkdir(parents=True, exist_ok=True)
            count = 0
            for manual in Manual.objects.select_related("agency").order_by("slug"):
                edition = edition_latest_published(manual=manual)
                if edition is None:
                    self.stderr.write(f"{manual.slug}: no published edition, skipped")
                    continue
                self._export(edition, output / f"{manual.slug}-{edition.year_be}.pdf")
                count += 1
            self.stdout.write(f"{count} manuals exported to {output}")
            return
        if not options["manual"]:
            raise CommandError("give a manual (slug or id) or --all")
        try:
            manual = manual_get(key=options["manual"])
        except Manual.DoesNotExist as exc:
            raise CommandError(f"no manual {options['manual']!r}") from exc
        try:
            edition = edition_pick(manual=manual, which=options["edition"])
        except Edition.DoesNotExist as exc:
            raise CommandError(
                f"manual {manual.slug!r} has no edition {options['edition']!r}"
            ) from exc
        if output.suffix.lower() != ".pdf" and output.is_dir():
            output = output / f"{manual.slug}-{edition.year_be}.pdf"
        self._export(edition, output)

    def _export(self, edition: Edition, path: Path) -> None:
        started = time.perf_counter()
        export = export_ensure(edition=edition)
        if export.status != export.Status.DONE:
            raise CommandError(f"{edition}: {export.error}")
        path.parent.mkdir(parents=True, exist_ok=True)
        with export.file.open("rb") as source, path.open("wb") as target:
            shutil.copyfileobj(source, target)
        seconds = time.perf_counter() - started
        self.stdout.write(
            f"{path}: {export.page_count} pages in {seconds:.2f} s"
            f" ({edition.manual.slug} {edition.year_be}, {edition.get_status_display()})"
        )
