"""``manage.py rebuild_search_index``: rebuild the search index of every edition."""

from __future__ import annotations

import time

from django.core.management.base import BaseCommand

from search.index import index_rebuild


class Command(BaseCommand):
    help = "สร้างดัชนีค้นหาของคู่มือทุกฉบับใหม่ (Rebuild the search index of every edition)"

    def handle(self, *args, **options):
        started = time.perf_counter()

        def progress(done, total, rows):
            if done == total or done % 25 == 0:
                self.stdout.write(f"{done}/{total} editions, {rows} rows")

        rows = index_rebuild(progress=progress)
        seconds = time.perf_counter() - started
        self.stdout.write(self.style.SUCCESS(f"Indexed {rows} rows in {seconds:.1f} s"))
