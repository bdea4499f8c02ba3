"""Daily: tell each unit whose manual is due for review within 90 days, or overdue.

Run it every day (cron/systemd timer). It is idempotent per day: a recipient never gets the
same reminder (edition + kind) twice on one date, however often it runs.
"""

from __future__ import annotations

import datetime

from django.core.management.base import BaseCommand
from django.utils import timezone

from reviews.services import review_reminders_send


class Command(BaseCommand):
    help = "ส่งการแจ้งเตือนคู่มือที่ใกล้ครบกำหนดทบทวน (๙๐ วัน) และที่เลยกำหนดแล้ว"

    def add_arguments(self, parser):
        parser.add_argument(
            "--date", help="run as if today were this date (YYYY-MM-DD), for catching up"
        )

    def handle(self, *args, **options):
        today = (
            datetime.date.fromisoformat(options["date"])
            if options.get("date")
            else timezone.localdate()
        )
        result = review_reminders_send(today=today)
        self.stdout.write(
            f"{today.isoformat()}: due soon {result['due']}, overdue {result['overdue']}, "
            f"notifications sent {result['sent']}"
        )
