"""``manage.py interop_schema``: rewrite the whole-manual JSON schema kept in the repo.

Run it after adding a field or a table to an edition's content (a test fails until then), and
raise ``FORMAT_VERSION`` in ``interop/manual_json.py`` when old files can no longer be read.
"""

from __future__ import annotations

from django.core.management.base import BaseCommand

from interop.manual_json import SCHEMA_PATH, schema_text


class Command(BaseCommand):
    help = "Write interop/schema/manual-vN.schema.json from the current models."

    def handle(self, *args, **options):
        SCHEMA_PATH.parent.mkdir(parents=True, exist_ok=True)
        SCHEMA_PATH.write_text(schema_text(), encoding="utf-8")
        self.stdout.write(str(SCHEMA_PATH))
