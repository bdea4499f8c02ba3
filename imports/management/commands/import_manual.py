"""``manage.py import_manual PATH [--agency NAME] [--manual SLUG] [--dry-run] [--report FILE]``:
bring an existing manual (.docx, .pdf, .txt/.md, or the project's .json) in as a draft."""

from __future__ import annotations

import json
from pathlib import Path

from django.core.management import call_command
from django.core.management.base import BaseCommand, CommandError

from core.thai import thai_digits
from imports.errors import ImportRefused
from imports.services import import_file
from manuals.models import Manual
from manuals.selectors import manual_get


class Command(BaseCommand):
    help = "Import a manual (.docx, .pdf, .txt, .md or .json) as a new manual or its next draft."

    def add_arguments(self, parser):
        parser.add_argument("path", help="the file to import")
        parser.add_argument("--agency", help="agency name or short name (else from the cover)")
        parser.add_argument("--manual", help="slug or id: import as this manual's next draft")
        parser.add_argument("--dry-run", action="store_true", help="recognise and report only")
        parser.add_argument("--report", help="write the full report as JSON to this file")
        parser.add_argument(
            "--slug", help=".json only: slug of the new manual (default: the file's)"
        )

    def handle(self, *args, **options):
        path = Path(options["path"])
        if not path.is_file():
            raise CommandError(f"ไม่พบไฟล์ {path} / no such file")
        if path.suffix.lower() == ".json" and not options["dry_run"]:
            # the project's own whole-manual JSON: every row as exported (interop)
            extra = [f"--{k}={options[k]}" for k in ("manual", "slug") if options[k]]
            call_command("import_manual_json", str(path), *extra, stdout=self.stdout)
            return
        manual = None
        if options["manual"]:
            try:
                manual = manual_get(key=options["manual"])
            except Manual.DoesNotExist as exc:
                raise CommandError(f"ไม่พบคู่มือ {options['manual']!r} / unknown manual") from exc
        try:
            result = import_file(
                path,
                agency_name=options["agency"],
                manual=manual,
                dry_run=options["dry_run"],
            )
        except ImportRefused as error:
            raise CommandError(str(error)) from error
        counts = result.counts
        line = (
            f"processes {counts.get('processes', 0)} · sub-processes "
            f"{counts.get('subprocesses', 0)} · steps {counts.get('steps', 0)} · warnings "
            f"{counts.get('warnings', 0)} · unplaced {counts.get('unplaced', 0)} · "
            f"{result.seconds:.1f} s"
        )
        chars = result.report.get("chars")
        if chars:
            line += f" · kept {chars['share_kept'] * 100:.2f}% of the characters"
        if result.edition is not None:
            edition = result.edition
            self.stdout.write(
                f"{path} → {edition.manual.slug} · {thai_digits(edition.display_label)} "
                f"({edition.get_status_display()})"
            )
        else:
            self.stdout.write(f"{path} (dry run: nothing written)")
        self.stdout.write(line)
        if options["report"]:
            Path(options["report"]).write_text(
                json.dumps(result.report, ensure_ascii=False, indent=1, default=str),
                encoding="utf-8",
            )
