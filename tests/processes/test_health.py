"""The dashboard and the editor's health panel read one set of rules (processes.health)."""

from __future__ import annotations

import re

import pytest

from manuals.models import Membership
from processes.models import Step
from tests.factories import (
    EditionFactory,
    IndicatorFactory,
    LaneFactory,
    MembershipFactory,
    ProcessFactory,
    StepFactory,
)

pytestmark = pytest.mark.django_db
Shape = Step.Shape


def _edition_with_every_kind_of_gap():
    edition = EditionFactory()
    lane = LaneFactory(edition=edition)
    main = ProcessFactory(mission__edition=edition)
    IndicatorFactory(process=main)
    IndicatorFactory(process=main)
    sub = ProcessFactory(mission=main.mission, parent=main)  # shares its parent's Table 2
    bare = ProcessFactory(mission=main.mission)  # a process with no indicators
    StepFactory(process=main, shape=Shape.START, lane=None, duration_text="")
    StepFactory(process=main, lane=None, duration_text="๕ นาที")  # no actor
    StepFactory(process=main, lane=lane, duration_text="   ")  # blank duration
    StepFactory(process=main, lane=lane, duration_text="สองวันครึ่ง")  # unparsed
    StepFactory(process=sub, shape=Shape.DOCUMENT, lane=lane, duration_text="")
    StepFactory(process=sub, shape=Shape.END, lane=None, duration_text="")
    StepFactory(process=bare, shape=Shape.DECISION, lane=None, duration_text="")
    return edition


def _counts(html: str) -> dict[str, int]:
    return {k: int(v) for k, v in re.findall(r'data-health="([\w-]+)" data-count="(\d+)"', html)}


def test_dashboard_and_health_panel_agree_on_the_same_edition(client):
    edition = _edition_with_every_kind_of_gap()
    user = MembershipFactory(agency=edition.manual.agency, role=Membership.Role.REVIEWER).user
    client.force_login(user)
    panel = _counts(client.get(f"/editions/{edition.pk}/").content.decode())
    board = _counts(client.get("/review/").content.decode())
    assert panel == {"no-indicators": 1, "no-actor": 2, "no-duration": 2, "unparsed": 1}
    assert board == panel


def test_blank_means_only_whitespace_without_a_per_row_regex():
    """Blank durations are found in SQL (TRIM), the same on SQLite and PostgreSQL."""
    from processes.health import edition_health_counts

    edition = EditionFactory()
    lane = LaneFactory(edition=edition)
    process = ProcessFactory(mission__edition=edition)
    IndicatorFactory(process=process)
    blank = ["", "   ", "\n\t ", "\xa0", " \r\n"]
    written = ["๒ วัน", "  ๕ นาที  ", "ทันที\n"]
    for text in blank + written:
        StepFactory(process=process, lane=lane, duration_text=text)
    counts = edition_health_counts(edition_ids=[edition.pk])[edition.pk]
    assert counts.steps_without_duration == len(blank)
    assert counts.steps_without_duration + counts.unparsed_durations <= counts.steps
