import datetime

from django.core.management.base import BaseCommand, CommandError

from rounds.services import round_reminders_send


class Command(BaseCommand):
    help = (
        "Daily (cron): remind editors of round milestones due within 7 days or missed, tell "
        "working groups about adopters' comments, record the day's progress. Idempotent."
    )

    def add_arguments(self, parser):
        parser.add_argument("--today", help="run as if on this day (YYYY-MM-DD)")

    def handle(self, *args, **options):
        today = None
        if options["today"]:
            try:
                today = datetime.date.fromisoformat(options["today"])
            except ValueError as exc:
                raise CommandError("--today must be YYYY-MM-DD") from exc
        sent = round_reminders_send(today=today)
        self.stdout.write(
            f"due soon: {sent['due_soon']} · late: {sent['late']} · "
            f"adopter comments: {sent['adopter_comments']} (notifications sent)"
        )
