"""``manage.py import_manual_json FILE.json [--manual SLUG] [--slug NEW]``: bring a whole-manual
JSON file (from ``export_manual --format json``) in as a new manual, or as the next draft of an
existing one."""

from __future__ import annotations

from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from interop.errors import ImportRejected, check_size
from interop.services import edition_import_json
from manuals.models import Manual
from manuals.selectors import manual_get


class Command(BaseCommand):
    help = "Import a whole-manual JSON file as a new manual or, with --manual, as its next draft."

    def add_arguments(self, parser):
        parser.add_argument("path", help="the .json file")
        parser.add_argument("--manual", help="slug or id: import as this manual's next draft")
        parser.add_argument("--slug", help="slug of the new manual (default: the file's)")

    def handle(self, *args, **options):
        path = Path(options["path"])
        if not path.is_file():
            raise CommandError(f"ไม่พบไฟล์ {path} / no such file")
        manual = None
        if options["manual"]:
            try:
                manual = manual_get(key=options["manual"])
            except Manual.DoesNotExist as exc:
                raise CommandError(f"ไม่พบคู่มือ {options['manual']!r} / unknown manual") from exc
        try:
            check_size(path.stat().st_size)
            edition = edition_import_json(
                data=path.read_bytes(), manual=manual, slug=options["slug"]
            )
        except ImportRejected as error:
            raise CommandError(str(error)) from error
        self.stdout.write(
            f"{path} → {edition.manual.slug} · {edition.display_label}"
            f" ({edition.get_status_display()})"
        )
