"""``manage.py import_manual FILE.json [--manual SLUG] [--slug NEW]``: the name the issue and
the README give ``import_manual_json`` (the same command)."""

from interop.management.commands.import_manual_json import Command as ImportManualJson


class Command(ImportManualJson):
    pass
