from django.conf import settings
from django.core.management.base import BaseCommand
from django.utils.module_loading import import_string

from manuals.demo.loader import load_demo


class Command(BaseCommand):
    help = "Load the demo manual (กองนโยบายและแผนงาน สำนักพัฒนาสังคม) and demo users; idempotent."

    def handle(self, *args, **options):
        result = load_demo()
        # Demo steps of higher apps (e.g. the revision round); each returns its extra users.
        for path in getattr(settings, "DEMO_STEPS", []):
            result.users.extend(import_string(path)(demo=result))
        edition = result.edition
        verb = "Loaded" if result.created else "Already loaded"
        self.stdout.write(
            f"{verb}: {result.manual.slug} · {edition.display_label} · "
            f"{edition.processes.count()} processes"
        )
        self.stdout.write("Demo users (password for all):")
        for username, password, title in result.users:
            self.stdout.write(f"  {username:<9} {password}  {title}")
