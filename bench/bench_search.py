"""Search over many manuals: ``python bench/bench_search.py [--manuals 300] [--steps 100000]``.

Builds a throwaway database (SQLite in a temp dir, or the test database of DATABASE_URL, made
from DATABASE_TEST_TEMPLATE) with N published manuals whose steps reuse the real vocabulary of
the demo manual (seed 000) and of seed 002 (``tests/data/search_seed002.json``): every step's
label and detail are drawn from real steps, so word frequencies are those of real manuals.
Then it times ``manage.py rebuild_search_index`` (the whole index) and 50 typical Thai queries
(p50 / p95 / max of ``search.selectors.search_manuals``), and prints the PostgreSQL plan of the
candidate stage to show it uses the GIN indexes.

    DATABASE_URL=postgres://postgres@127.0.0.1:5432/manuals_bench \\
    DATABASE_TEST_TEMPLATE=manuals_utf8_template python bench/bench_search.py
    python bench/bench_search.py --manuals 30 --steps 10000      # SQLite
"""

from __future__ import annotations

import argparse
import json
import os
import random
import statistics
import sys
import tempfile
import time
import uuid
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings.test")
os.environ.setdefault("VAR_DIR", tempfile.mkdtemp(prefix="bench-search-"))

import django  # noqa: E402

django.setup()

from django.db import connection  # noqa: E402
from django.test.utils import CaptureQueriesContext, setup_test_environment  # noqa: E402

# Typical queries, from the seeds' own vocabulary (words, form codes, laws, systems, digits
# both ways, spacing variants and five misspellings).
QUERIES = [
    "ยืมเงิน",
    "ระเบียบพัสดุ ๒๕๖๐",
    "ระเบียบพัสดุ 2560",
    "แบบ ง.๑๐๑",
    "แบบ ง.101",
    "e-GP",
    "ฎีกา",
    "ลงทะเบียนรับหนังสือ",
    "ลงทะเบียน รับ",
    "กันเงินไว้เบิกเหลื่อมปี",
    "ใบขอใช้รถยนต์",
    "ขออนุมัติเบิกจ่ายเงิน",
    "ตรวจรับพัสดุ",
    "BMA Digital Plans",
    "ตัวชี้วัดรายไตรมาส",
    "ตรวจสอบพัสดุประจำปี",
    "จัดซื้อจัดจ้าง",
    "งบประมาณรายจ่ายประจำปี",
    "เงินประจำงวด",
    "แผนปฏิบัติราชการประจำปี",
    "ชั้นความเร็ว",
    "หนังสือเวียน",
    "ผู้อำนวยการกอง",
    "หัวหน้าฝ่ายบริหารงานทั่วไป",
    "จพง.ธุรการ",
    "สารบรรณ",
    "ระเบียบงานสารบรรณ ๒๕๒๖",
    "คำสั่งกรุงเทพมหานคร ที่ ๒๗๑๘/๒๕๖๐",
    "ประชุมชี้แจง",
    "คณะกรรมการตรวจรับพัสดุ",
    "ใบสั่งซื้อ",
    "ประกาศผู้ชนะการเสนอราคา",
    "วิธีเฉพาะเจาะจง",
    "ภาษี ณ ที่จ่าย",
    "กรมบัญชีกลาง",
    "ตรวจประเมิน",
    "เผยแพร่เว็บไซต์",
    "แบบ ๕ ก",
    "แบบ ๓",
    "รถยนต์ส่วนกลาง",
    "สมุดลงเวลา",
    "การลา",
    "ทะเบียนคุมงบประมาณ",
    "โอนเปลี่ยนแปลงงบประมาณ",
    # misspellings
    "จัดซื้อจัดจาง",
    "ใบหักภาษี ณ ที่จาย",
    "ลงทะเบียนรับหนังสื",
    "งบประมานรายจ่าย",
    "ขออนุมัติเบิกจาย",
    "หนังสือเวีน",
]


def _vocabulary() -> list[tuple[str, str]]:
    """(label, detail) of every real step of the demo manual and of seed 002."""
    pairs: list[tuple[str, str]] = []

    def walk(processes):
        for process in processes:
            for step in process.get("steps", []):
                if step.get("detail") or step.get("label"):
                    pairs.append((step.get("label") or "", step.get("detail") or ""))
            walk(process.get("subprocesses", []))

    for name in ("mission_1.json", "mission_2.json"):
        walk(json.loads((ROOT / "demo/data" / name).read_text(encoding="utf-8"))["processes"])
    seed = json.loads((ROOT / "tests/data/search_seed002.json").read_text(encoding="utf-8"))
    for process in seed["processes"]:
        pairs.extend((label, detail) for _k, label, detail, _a, _r in process["steps"])
    return pairs


def _populate(n_manuals: int, n_steps: int) -> None:
    from django.contrib.auth import get_user_model

    from manuals.models import Agency, Edition, Form, Lane, Manual, Membership
    from processes.models import Mission, Process, Step

    rng = random.Random(15)
    vocab = _vocabulary()
    lane_names = ["จพง.ธุรการ", "หัวหน้าฝ่ายบริหารงานทั่วไป", "ผู้อำนวยการกอง", "จพง.พัสดุ", "กค."]
    forms = ["แบบ ง.๑๐๑", "แบบ ๕ ก", "แบบ ๓", "แบบ ง.๒๐๒", "ใบขอใช้รถยนต์ส่วนกลาง"]
    references = [
        "ระเบียบกระทรวงการคลังว่าด้วยการจัดซื้อจัดจ้างและการบริหารพัสดุภาครัฐ พ.ศ. ๒๕๖๐",
        "ระเบียบสำนักนายกรัฐมนตรีว่าด้วยงานสารบรรณ พ.ศ. ๒๕๒๖ และที่แก้ไขเพิ่มเติม",
        "คำสั่งกรุงเทพมหานคร ที่ ๒๗๑๘/๒๕๖๐",
        "",
        "",
    ]
    root = Agency.objects.create(name="กรุงเทพมหานคร", kind="bureau")
    bureaus = [
        Agency.objects.create(name=f"สำนักที่ {i + 1}", kind="bureau", parent=root) for i in range(16)
    ]
    units = Agency.objects.bulk_create(
        [
            Agency(name=f"กองที่ {i + 1}", kind="division", parent=bureaus[i % 16])
            for i in range(n_manuals)
        ]
    )
    manuals = Manual.objects.bulk_create(
        [Manual(agency=u, slug=f"m-{i}") for i, u in enumerate(units)]
    )
    editions = Edition.objects.bulk_create(
        [
            Edition(manual=m, year_be=2564, status="published", published_on="2021-08-25")
            for m in manuals
        ]
    )
    lanes = Lane.objects.bulk_create(
        [
            Lane(edition=e, name=n, position=i + 1)
            for e in editions
            for i, n in enumerate(lane_names)
        ]
    )
    lanes_of: dict = {}
    for lane in lanes:
        lanes_of.setdefault(lane.edition_id, []).append(lane)
    form_rows = Form.objects.bulk_create(
        [Form(edition=e, code=code) for e in editions for code in forms]
    )
    forms_of: dict = {}
    for form in form_rows:
        forms_of.setdefault(form.edition_id, []).append(form)
    missions = Mission.objects.bulk_create(
        [Mission(edition=e, position=1, unit="ฝ่ายบริหารงานทั่วไป") for e in editions]
    )
    per_manual = max(n_steps // n_manuals, 1)
    n_processes = max(per_manual // 17, 1)
    processes = Process.objects.bulk_create(
        [
            Process(
                mission=mi,
                edition=e,
                position=p + 1,
                name=rng.choice(vocab)[0] or f"กระบวนการที่ {p + 1}",
                scope_text="มีจุดเริ่มต้นจากการรับเรื่อง และสิ้นสุดที่การรายงานผล",
            )
            for e, mi in zip(editions, missions, strict=True)
            for p in range(n_processes)
        ]
    )
    by_edition: dict = {}
    for process in processes:
        by_edition.setdefault(process.edition_id, []).append(process)
    steps = []
    for edition in editions:
        own = by_edition[edition.pk]
        for s in range(per_manual):
            label, detail = rng.choice(vocab)
            _other, more = rng.choice(vocab)
            steps.append(
                Step(
                    process=own[s % len(own)],
                    position=s // len(own) + 1,
                    label=label[:400],
                    detail=f"{detail}\n{more}",
                    lane=rng.choice(lanes_of[edition.pk]),
                    duration_text=rng.choice(["๑ วัน", "๓๐ นาที", "๒ ชั่วโมง", "5 นาที"]),
                    references=rng.choice(references),
                    quality_standard="ถูกต้องตามระเบียบ ครบถ้วน ทันเวลา",
                    lineage=uuid.uuid4(),
                )
            )
    Step.objects.bulk_create(steps, batch_size=5000)
    through = Step.forms.through
    links = []
    for step in (
        Step.objects.filter(references__startswith="ระเบียบกระทรวง")
        .only("pk", "process__edition_id")
        .values_list("pk", "process__edition_id")
    ):
        links.append(through(step_id=step[0], form_id=rng.choice(forms_of[step[1]]).pk))
    through.objects.bulk_create(links, batch_size=5000)
    planner = get_user_model().objects.create_user("planner", password="bench-pass-123")
    Membership.objects.create(user=planner, agency=root, role=Membership.Role.REVIEWER)


def _percentile(values: list[float], p: float) -> float:
    values = sorted(values)
    index = min(len(values) - 1, max(0, round(p / 100 * len(values) + 0.5) - 1))
    return values[index]


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--manuals", type=int, default=300)
    parser.add_argument("--steps", type=int, default=100_000)
    parser.add_argument("--runs", type=int, default=3)
    args = parser.parse_args()

    setup_test_environment()
    old_name = connection.creation.create_test_db(verbosity=0, autoclobber=True)
    try:
        from django.contrib.auth import get_user_model
        from django.core.management import call_command

        from processes.models import Step
        from search.models import SearchEntry
        from search.selectors import Query, _candidates, search_manuals

        t0 = time.perf_counter()
        _populate(args.manuals, args.steps)
        print(f"load average at start: {os.getloadavg()} on {os.cpu_count()} CPUs (shared)")
        print(
            f"data: {args.manuals} manuals, {Step.objects.count()} steps"
            f" ({time.perf_counter() - t0:.1f} s to build, {connection.vendor})"
        )
        t0 = time.perf_counter()
        call_command("rebuild_search_index", stdout=open(os.devnull, "w"))  # noqa: SIM115
        rebuild = time.perf_counter() - t0
        print(f"rebuild_search_index: {SearchEntry.objects.count()} rows in {rebuild:.1f} s")
        if connection.vendor == "postgresql":
            with connection.cursor() as cursor:
                cursor.execute("ANALYZE search_searchentry")

        user = get_user_model().objects.get(username="planner")
        search_manuals(user=user, raw_query="ยืมเงิน")  # warm up (PyThaiNLP dictionary)
        times: dict[str, list[float]] = {}
        hits: dict[str, int] = {}
        for _run in range(args.runs):
            for query in QUERIES:
                user = get_user_model().objects.get(username="planner")  # fresh permission cache
                t0 = time.perf_counter()
                with CaptureQueriesContext(connection) as ctx:
                    result = search_manuals(user=user, raw_query=query)
                times.setdefault(query, []).append((time.perf_counter() - t0) * 1000)
                hits[query] = result.total
                queries = len(ctx.captured_queries)
        best = [min(v) for v in times.values()]
        every = [t for v in times.values() for t in v]
        print(
            f"search over {len(QUERIES)} queries x {args.runs} runs:"
            f" p50 {statistics.median(every):.1f} ms"
            f"  p95 {_percentile(every, 95):.1f} ms  max {max(every):.1f} ms"
            f"  (best-of-runs p95 {_percentile(best, 95):.1f} ms; {queries} SQL queries each)"
        )
        slow = sorted(times.items(), key=lambda kv: -statistics.median(kv[1]))[:5]
        for query, values in slow:
            print(
                f"  slowest: {query!r:32} median {statistics.median(values):6.1f} ms,"
                f" {hits[query]} hits"
            )
        print(f"load average after the queries: {os.getloadavg()}")
        zero = [q for q, n in hits.items() if n == 0]
        print(f"queries with no hit: {zero}")
        if connection.vendor == "postgresql":
            query = Query.parse("ลงทะเบียนรับหนังสือ")
            ids = list(dict.fromkeys(SearchEntry.objects.values_list("edition_id", flat=True)))
            statements = []
            for part in (
                Query(text=query.text, words=[], compact=query.compact),  # phrase stage
                Query(text=query.text, words=query.words, compact=""),  # words stage
            ):
                with CaptureQueriesContext(connection) as ctx:
                    _candidates(part, ids, "")
                statements += [q["sql"] for q in ctx.captured_queries]
            print("plans of the candidate stage (edition id list shortened):")
            for sql in statements:
                with connection.cursor() as cursor:
                    cursor.execute("EXPLAIN " + sql)
                    for (line,) in cursor.fetchall():
                        if "ANY (" in line:
                            line = line[: line.index("ANY (") + 5] + "'{…}'::integer[]))"
                        print("   ", line)
    finally:
        connection.creation.destroy_test_db(old_name, verbosity=0)


if __name__ == "__main__":
    main()
