"""``manage.py export_manual MANUAL [--edition YEAR|latest|draft] [--format pdf|docx|json]
-o FILE`` and ``manage.py export_manual --all -o DIR``: the printed manual as PDF or Word, or the
whole edition as JSON (every row with its lineage id, to move it to another server), from the
command line. The format follows from the file's extension unless ``--format`` says otherwise."""

from __future__ import annotations

import json
import shutil
import time
from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from interop.docx_export import manual_docx
from interop.selectors import edition_export_json
from manuals.models import Edition, Manual
from manuals.selectors import edition_latest_published, edition_pick, manual_get
from printing.services import export_ensure

FORMATS = ("pdf", "json", "docx")


def format_for(path: Path, given: str | None) -> str:
    """``--format`` when given, else the file's extension, else PDF."""
    if given:
        return given
    suffix = path.suffix.lower().lstrip(".")
    return suffix if suffix in FORMATS else "pdf"


class Command(BaseCommand):
    help = "Export the printed manual (PDF) of one edition, or of every manual's latest edition."

    def add_arguments(self, parser):
        parser.add_argument("manual", nargs="?", help="slug or id of the manual")
        parser.add_argument(
            "--edition", default="latest", help='a BE year (2564), "latest" or "draft"'
        )
        parser.add_argument("--all", action="store_true", help="every manual's latest edition")
        parser.add_argument("-o", "--output", required=True, help="the file (a folder with --all)")
        parser.add_argument(
            "--format",
            choices=FORMATS,
            default=None,
            help="pdf (the printed manual), docx (the same as a Word file) or json (every row"
            " of the edition);"
            " default: from the file's extension, else pdf",
        )

    def handle(self, *args, **options):
        output = Path(options["output"])
        fmt = format_for(output, options["format"]) if not options["all"] else None
        if options["all"]:
            fmt = options["format"] or "pdf"
            if options["manual"]:
                raise CommandError("give either a manual or --all, not both")
            output.mkdir(parents=True, exist_ok=True)
            count = 0
            for manual in Manual.objects.select_related("agency").order_by("slug"):
                edition = edition_latest_published(manual=manual)
                if edition is None:
                    self.stderr.write(f"{manual.slug}: no published edition, skipped")
                    continue
                self._export(edition, output / f"{manual.slug}-{edition.year_be}.{fmt}", fmt)
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
        if output.is_dir():
            output = output / f"{manual.slug}-{edition.year_be}.{fmt}"
        self._export(edition, output, fmt)

    def _export(self, edition: Edition, path: Path, fmt: str) -> None:
        started = time.perf_counter()
        if fmt == "json":
            doc = edition_export_json(edition=edition)
            path.parent.mkdir(parents=True, exist_ok=True)
            path.write_text(json.dumps(doc, ensure_ascii=False, indent=1) + "\n", encoding="utf-8")
            rows = sum(len(rows) for rows in doc["tables"].values())
            self.stdout.write(
                f"{path}: {rows} rows in {time.perf_counter() - started:.2f} s"
                f" ({edition.manual.slug} {edition.year_be}, {edition.get_status_display()})"
            )
            return
        if fmt == "docx":
            data = manual_docx(edition_id=edition.pk)
            path.parent.mkdir(parents=True, exist_ok=True)
            path.write_bytes(data)
            self.stdout.write(
                f"{path}: {len(data):,} bytes in {time.perf_counter() - started:.2f} s"
                f" ({edition.manual.slug} {edition.year_be}, {edition.get_status_display()})"
            )
            return
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
