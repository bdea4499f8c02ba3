"""Revision rounds at BMA scale: ``python bench/bench_rounds.py [--manuals 300] [--batch 100]``.

Builds a throwaway database (SQLite in a temp dir, or the test database of DATABASE_URL) with
16 bureaus and 50 districts, N manuals each with a published edition of 15 processes x 8 steps
(Table 2 rows, lanes). Then it prints:
- opening a round over every manual (the background task's work, run here in-process): each
  manual's next draft deep-copied from its published edition;
- the planners' round page over the N manuals: queries and median time;
- batch approval of ``--batch`` compiled finals by one letter.
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
os.environ.setdefault("VAR_DIR", tempfile.mkdtemp(prefix="bench-rounds-"))

import django  # noqa: E402

django.setup()

from django.db import connection  # noqa: E402
from django.test.utils import setup_test_environment  # noqa: E402


def _populate(n_manuals: int):
    from django.contrib.auth import get_user_model

    from manuals.models import Agency, Edition, Lane, Manual, Membership
    from processes.models import Indicator, Mission, Process, Stakeholder, Step

    root = Agency.objects.create(name="กรุงเทพมหานคร", kind="bureau")
    parents = [
        Agency.objects.create(name=f"สำนักที่ {i + 1}", kind="bureau", parent=root) for i in range(16)
    ] + [
        Agency.objects.create(name=f"สำนักงานเขตที่ {i + 1}", kind="district", parent=root)
        for i in range(50)
    ]
    units = Agency.objects.bulk_create(
        [
            Agency(name=f"กองหรือฝ่ายที่ {i + 1}", kind="division", parent=parents[i % len(parents)])
            for i in range(n_manuals)
        ]
    )
    manuals = Manual.objects.bulk_create(
        [Manual(agency=unit, slug=f"manual-{i}") for i, unit in enumerate(units)]
    )
    published = Edition.objects.bulk_create(
        [
            Edition(
                manual=m,
                year_be=2564,
                status=Edition.Status.PUBLISHED,
                published_on=datetime.date(2021, 8, 25),
            )
            for m in manuals
        ]
    )
    lanes = Lane.objects.bulk_create(
        [Lane(edition=e, name="จพง.ธุรการ", position=1) for e in published]
    )
    missions = Mission.objects.bulk_create(
        [Mission(edition=e, position=1, unit="ฝ่ายบริหารงานทั่วไป") for e in published]
    )
    processes = Process.objects.bulk_create(
        [
            Process(mission=mi, edition=e, position=p + 1, name=f"กระบวนการที่ {p + 1}")
            for e, mi in zip(published, missions, strict=True)
            for p in range(15)
        ],
        batch_size=2000,
    )
    Indicator.objects.bulk_create(
        [Indicator(process=p, kind="internal", statement="ร้อยละ ๑๐๐") for p in processes],
        batch_size=2000,
    )
    Stakeholder.objects.bulk_create(
        [
            Stakeholder(process=p, kind="recipient", name="ประชาชน", needs="รวดเร็ว")
            for p in processes
        ],
        batch_size=2000,
    )
    lane_of = {lane.edition_id: lane for lane in lanes}
    Step.objects.bulk_create(
        [
            Step(
                process=process,
                position=s + 1,
                detail="เจ้าหน้าที่รับหนังสือและลงทะเบียนรับ",
                lane=lane_of[process.edition_id],
                duration_text="๑ วัน",
                lineage=uuid.uuid4(),
            )
            for process in processes
            for s in range(8)
        ],
        batch_size=2000,
    )
    User = get_user_model()
    planner = User.objects.create_user("planner", password="bench-pass-123")
    Membership.objects.create(user=planner, agency=root, role=Membership.Role.REVIEWER)
    approver = User.objects.create_user("approver", password="bench-pass-123")
    Membership.objects.create(user=approver, agency=root, role=Membership.Role.APPROVER)
    return planner, approver


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--manuals", type=int, default=300)
    parser.add_argument("--batch", type=int, default=100)
    parser.add_argument("--runs", type=int, default=7)
    parser.add_argument(
        "--profile", action="store_true", help="print a cProfile of one round-page GET"
    )
    args = parser.parse_args()

    setup_test_environment()
    old_name = connection.creation.create_test_db(verbosity=0, autoclobber=True)
    try:
        from django.test import Client

        from manuals.models import Edition
        from processes.models import Step
        from rounds import services
        from rounds.models import Participation

        t0 = time.perf_counter()
        planner, approver = _populate(args.manuals)
        print(
            f"data: {args.manuals} manuals, {Step.objects.count()} steps"
            f" ({time.perf_counter() - t0:.1f} s to build, {connection.vendor})"
        )
        today = datetime.date.today()
        round = services.round_open(
            by=planner,
            title="รอบการปรับปรุง พ.ศ. 2570",
            year_be=2570,
            scope=None,
            milestones={
                "draft_due": today + datetime.timedelta(days=30),
                "review_due": today + datetime.timedelta(days=60),
                "final_due": today + datetime.timedelta(days=90),
                "approval": today + datetime.timedelta(days=120),
            },
            enqueue=False,
        )
        t0 = time.perf_counter()
        services.round_run_opening(round_id=round.pk)
        opened = time.perf_counter() - t0
        joined = round.participations.filter(state="joined").count()
        print(
            f"open round over {args.manuals} manuals: {opened:.1f} s"
            f" ({joined} drafts, {Step.objects.count()} steps after copying)"
        )

        client = Client()
        client.force_login(planner)
        url = round.get_absolute_url()
        assert client.get(url).status_code == 200
        queries = []
        with connection.execute_wrapper(lambda ex, sql, *a: queries.append(sql) or ex(sql, *a)):
            client.get(url)
        from rounds.selectors import round_progress

        t0 = time.perf_counter()
        round_progress(round=round)
        selector_ms = (time.perf_counter() - t0) * 1000
        times = []
        for _ in range(args.runs):
            t0 = time.perf_counter()
            assert client.get(url).status_code == 200
            times.append((time.perf_counter() - t0) * 1000)
        print(
            f"round page GET {url}: {len(queries)} queries"
            f"  median {statistics.median(times):.1f} ms  max {max(times):.1f} ms"
            f"  (selector alone {selector_ms:.1f} ms)"
        )
        if args.profile:
            import cProfile
            import pstats

            profiler = cProfile.Profile()
            profiler.enable()
            client.get(url)
            profiler.disable()
            pstats.Stats(profiler).sort_stats("cumulative").print_stats(45)
            pstats.Stats(profiler).sort_stats("tottime").print_stats(25)
        if not args.batch:
            return

        batch = list(
            Participation.objects.filter(round=round, state="joined").order_by("pk")[: args.batch]
        )
        Edition.objects.filter(pk__in=[p.edition_id for p in batch]).update(
            status=Edition.Status.SUBMITTED
        )
        t0 = time.perf_counter()
        batch = [services.participation_compile(participation=p, by=planner) for p in batch]
        compiled = time.perf_counter() - t0
        t0 = time.perf_counter()
        result = services.batch_approve(
            by=approver,
            participations=batch,
            letter_number="กท ๐๓๐๓/๑๒๙๓",
            letter_date=today,
        )
        approved = time.perf_counter() - t0
        print(
            f"compile {len(batch)} finals: {compiled:.1f} s;"
            f" batch approval of {len(result.editions)} editions: {approved:.1f} s"
        )
    finally:
        connection.creation.destroy_test_db(old_name, verbosity=0)


if __name__ == "__main__":
    main()
