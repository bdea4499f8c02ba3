from django.conf import settings
from django.core.management.base import BaseCommand

from demo.manual import load_demo
from demo.round import load_round_demo


class Command(BaseCommand):
    help = (
        "Load the demo manual (กองนโยบายและแผนงาน สำนักพัฒนาสังคม), demo users and the demo "
        "revision round (50 districts; off with --no-round); idempotent."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "--round",
            action="store_true",
            default=None,
            help="also load the revision round (the default unless settings.DEMO_ROUND is off)",
        )
        parser.add_argument(
            "--no-round", dest="round", action="store_false", help="only the demo manual"
        )

    def handle(self, *args, **options):
        result = load_demo()
        with_round = options["round"]
        if with_round is None:
            with_round = getattr(settings, "DEMO_ROUND", True)
        if with_round:
            result.users.extend(load_round_demo(demo=result))
        edition = result.edition
        verb = "Loaded" if result.created else "Already loaded"
        self.stdout.write(
            f"{verb}: {result.manual.slug} · {edition.display_label} · "
            f"{edition.processes.count()} processes"
        )
        self.stdout.write("Demo users (password for all):")
        for username, password, title in result.users:
            self.stdout.write(f"  {username:<9} {password}  {title}")
