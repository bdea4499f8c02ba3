"""Planner dashboard over 300 manuals: ``python bench/bench_dashboard.py [--manuals 300]``.

Builds a throwaway database (SQLite in a temp dir, or the test database of DATABASE_URL)
with an agency tree of 16 bureaus and 50 districts with their divisions, N manuals each with a
published edition (publication dates spread over the last four years, so some are overdue and some
due soon) and, for two thirds of them, an open draft of 15 processes x 8 steps. Then it prints the
number of queries and the median time of the selector, the rendered page and the XLSX export.
"""

from __future__ import annotations

import argparse
import datetime
import os
import statistics
import sys
import tempfile
import time
import uuid
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings.test")
os.environ.setdefault("VAR_DIR", tempfile.mkdtemp(prefix="bench-dashboard-"))

import django  # noqa: E402

django.setup()

from django.db import connection  # noqa: E402
from django.test.utils import (  # noqa: E402
    CaptureQueriesContext,
    setup_test_environment,
)


def _populate(n_manuals: int) -> None:
    from django.contrib.auth import get_user_model

    from manuals.models import Agency, Edition, Lane, Manual, Membership
    from processes.models import Indicator, Mission, Process, Step

    root = Agency.objects.create(name="กรุงเทพมหานคร", kind="bureau")
    parents = [
        Agency.objects.create(name=f"สำนักที่ {i + 1}", kind="bureau", parent=root) for i in range(16)
    ] + [
        Agency.objects.create(name=f"สำนักงานเขตที่ {i + 1}", kind="district", parent=root)
        for i in range(50)
    ]
    units = []
    for i in range(n_manuals):
        parent = parents[i % len(parents)]
        units.append(
            Agency(name=f"กองหรือฝ่ายที่ {i + 1} ของ{parent.name}", kind="division", parent=parent)
        )
    units = Agency.objects.bulk_create(units)
    manuals = Manual.objects.bulk_create(
        [Manual(agency=unit, slug=f"manual-{i}") for i, unit in enumerate(units)]
    )
    # Published over the last four years: about a quarter overdue, some due within 90 days.
    today = datetime.date.today()
    published = Edition.objects.bulk_create(
        [
            Edition(
                manual=m,
                year_be=2564,
                status=Edition.Status.PUBLISHED,
                published_on=today - datetime.timedelta(days=(i * 5) % (4 * 365)),
            )
            for i, m in enumerate(manuals)
        ]
    )
    drafts = Edition.objects.bulk_create(
        [
            Edition(manual=m, year_be=2567, status=Edition.Status.DRAFT, based_on=p)
            for i, (m, p) in enumerate(zip(manuals, published, strict=True))
            if i % 3
        ]
    )
    lanes = Lane.objects.bulk_create(
        [Lane(edition=e, name="จพง.ธุรการ", position=1) for e in drafts]
    )
    missions = Mission.objects.bulk_create(
        [Mission(edition=e, position=1, unit="ฝ่ายบริหารงานทั่วไป") for e in drafts]
    )
    processes = Process.objects.bulk_create(
        [
            Process(mission=mi, edition=e, position=p + 1, name=f"กระบวนการที่ {p + 1}")
            for e, mi in zip(drafts, missions, strict=True)
            for p in range(15)
        ]
    )
    Indicator.objects.bulk_create(
        [
            Indicator(process=p, kind="internal", statement="ร้อยละ ๑๐๐")
            for i, p in enumerate(processes)
            if i % 4
        ]
    )
    lane_of = {lane.edition_id: lane for lane in lanes}
    steps = []
    for i, process in enumerate(processes):
        for s in range(8):
            steps.append(
                Step(
                    process=process,
                    position=s + 1,
                    detail="เจ้าหน้าที่รับหนังสือและลงทะเบียนรับ",
                    lane=lane_of[process.edition_id] if (i + s) % 9 else None,
                    duration_text="" if (i + s) % 11 == 0 else "๑ วัน",
                    duration_parsed=bool((i + s) % 13),
                    lineage=uuid.uuid4(),
                )
            )
    Step.objects.bulk_create(steps, batch_size=2000)
    planner = get_user_model().objects.create_user("planner", password="bench-pass-123")
    Membership.objects.create(user=planner, agency=root, role=Membership.Role.REVIEWER)


def _measure(fn, runs: int) -> tuple[int, float, float]:
    with CaptureQueriesContext(connection) as ctx:
        fn()
    queries = len(ctx.captured_queries)
    times = []
    for _ in range(runs):
        t0 = time.perf_counter()
        fn()
        times.append((time.perf_counter() - t0) * 1000)
    return queries, statistics.median(times), max(times)


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--manuals", type=int, default=300)
    parser.add_argument("--runs", type=int, default=7)
    args = parser.parse_args()

    setup_test_environment()
    old_name = connection.creation.create_test_db(verbosity=0, autoclobber=True)
    try:
        t0 = time.perf_counter()
        _populate(args.manuals)
        from processes.models import Step

        print(
            f"data: {args.manuals} manuals, {Step.objects.count()} steps"
            f" ({time.perf_counter() - t0:.1f} s to build, {connection.vendor})"
        )
        from django.test import Client

        from reviews.selectors import dashboard_build

        client = Client()
        client.login(username="planner", password="bench-pass-123")

        def page():
            response = client.get("/review/")
            assert response.status_code == 200, response.status_code

        def export():
            response = client.get("/review/export/?format=xlsx")
            assert response.status_code == 200, response.status_code

        board = dashboard_build()
        print(f"rows {board.total}: overdue {board.overdue}, due within 90 days {board.due_soon}")
        for name, fn in (
            ("selector dashboard_build()", lambda: dashboard_build()),
            ("page GET /review/", page),
            ("export ?format=xlsx", export),
        ):
            queries, median, worst = _measure(fn, args.runs)
            print(f"{name:28} {queries:3d} queries  median {median:7.1f} ms  max {worst:7.1f} ms")
    finally:
        connection.creation.destroy_test_db(old_name, verbosity=0)


if __name__ == "__main__":
    main()
