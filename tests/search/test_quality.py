"""Search quality on a labelled set (tests/data/search_labels.json): the demo manual (seed 000)
and two processes of seed 002. Every labelled step must be on the first page (top 10 step hits);
``-s`` prints recall@10 and precision@10 per query and overall."""

from __future__ import annotations

import datetime
import json
from pathlib import Path

import pytest
from django.core.management import call_command

from demo.manual import load_demo
from manuals.models import Agency, Edition, LegalReference, Manual, Membership
from manuals.services import edition_publish
from processes.models import LegalRequirement, Mission, Process, Step
from search.index import index_edition
from search.selectors import SearchFilters, search_manuals
from tests.factories import MembershipFactory

DATA = Path(__file__).resolve().parent.parent / "data"
TOP = 10


def load_seed002() -> Edition:
    data = json.loads((DATA / "search_seed002.json").read_text(encoding="utf-8"))
    agency = Agency.objects.create(name=data["agency"], kind=Agency.Kind.DIVISION)
    manual = Manual.objects.create(agency=agency, slug="seed-002")
    edition = Edition.objects.create(manual=manual, year_be=2567)
    mission = Mission.objects.create(edition=edition, position=1, unit="กองกลาง")
    lanes: dict = {}
    for position, row in enumerate(data["processes"], start=1):
        process = Process.objects.create(
            mission=mission,
            edition=edition,
            position=position,
            name=row["name"],
            scope_text=row["scope"],
        )
        for title, year, kind in row["laws"]:
            law, _ = LegalReference.objects.get_or_create(
                title=title, year_be=year, defaults={"kind": kind}
            )
            LegalRequirement.objects.get_or_create(process=process, reference=law)
        for index, (_key, label, detail, actor, refs) in enumerate(row["steps"], start=1):
            if actor not in lanes:
                lanes[actor] = edition.lanes.create(name=actor, position=len(lanes) + 1)
            Step.objects.create(
                process=process,
                position=index,
                label=label,
                detail=detail,
                lane=lanes[actor],
                references=refs,
            )
    index_edition(edition_id=edition.pk)
    return edition_publish(edition=edition, on=datetime.date(2024, 1, 15))


@pytest.fixture(scope="module")
def corpus(django_db_setup, django_db_blocker):
    with django_db_blocker.unblock():
        demo = load_demo().edition
        seed = load_seed002()
        steps = {}
        for source, edition in (("demo", demo), ("seed002", seed)):
            for step in Step.objects.filter(process__edition=edition).select_related("process"):
                steps.setdefault((source, step.process.name, step.label), step.pk)
        yield steps
        call_command("flush", interactive=False, verbosity=0)


def _evaluate(user, labels, steps):
    rows = []
    for item in labels:
        wanted = set()
        for key in item["relevant"]:
            assert tuple(key) in steps, f"labelled step not in the corpus: {key}"
            wanted.add(steps[tuple(key)])
        result = search_manuals(user=user, raw_query=item["query"], filters=SearchFilters())
        found = [
            hit.entry.step_id
            for group in result.groups
            for process in group.processes
            for hit in process.hits
            if hit.entry.step_id
        ]
        # Page order is group order; rank by score across groups for "top 10".
        scored = sorted(
            (
                (hit.score, hit.entry.step_id)
                for group in result.groups
                for process in group.processes
                for hit in process.hits
                if hit.entry.step_id
            ),
            key=lambda s: -s[0],
        )
        top = [pk for _s, pk in scored[:TOP]]
        hits = len(wanted & set(top))
        rows.append(
            {
                "query": item["query"],
                "recall": hits / len(wanted),
                "precision": hits / len(top) if top else 0.0,
                "missing": wanted - set(top),
                "found": len(found),
            }
        )
    return rows


def test_every_labelled_step_is_on_the_first_page(corpus, db):
    labels = json.loads((DATA / "search_labels.json").read_text(encoding="utf-8"))["queries"]
    user = MembershipFactory(role=Membership.Role.EDITOR).user
    rows = _evaluate(user, labels, corpus)
    recall = sum(r["recall"] for r in rows) / len(rows)
    precision = sum(r["precision"] for r in rows) / len(rows)
    for row in rows:
        print(
            f"{row['query']:<28} recall@10 {row['recall']:.2f}  precision@10 "
            f"{row['precision']:.2f}  step hits {row['found']}"
        )
    print(f"MEAN over {len(rows)} queries: recall@10 {recall:.3f}  precision@10 {precision:.3f}")
    assert [r["query"] for r in rows if r["missing"]] == []
