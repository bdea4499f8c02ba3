"""A backslash in a process name, a step detail or a lane name is shown as written (finding 1:
it used to make the chart page answer 500 for every role, and ``\\N`` showed node ids)."""

from __future__ import annotations

import re
import xml.etree.ElementTree as ET

import pytest
from django.urls import reverse

from core.escaping import WORD_JOINER
from manuals.models import Membership
from tests.factories import (
    EditionFactory,
    LaneFactory,
    MembershipFactory,
    ProcessFactory,
    StepFactory,
)

pytestmark = pytest.mark.django_db

NAMES = ["กระบวนการทดสอบ \\d", "C:\\Users\\x", "\\1", "\\g<0>"]
SVG = "{http://www.w3.org/2000/svg}"


@pytest.mark.parametrize("name", NAMES)
def test_chart_page_and_svg_answer_for_a_backslash_name(client, name):
    edition = EditionFactory()
    member = MembershipFactory(agency=edition.manual.agency, role=Membership.Role.EDITOR)
    lane = LaneFactory(edition=edition, name="ฝ่าย \\N \\G")
    process = ProcessFactory(mission__edition=edition, name=name)
    StepFactory(process=process, lane=lane, position=1, detail="รายละเอียด \\N \\G \\E")
    StepFactory(process=process, lane=lane, position=2)
    client.force_login(member.user)
    for view in ("flowcharts:process_page", "flowcharts:process_svg"):
        response = client.get(reverse(view, args=[process.pk]))
        assert response.status_code == 200, view
        html = response.content.decode()
        match = re.search(r"<svg\b.*?</svg>", html, re.S)
        root = ET.fromstring(match.group(0))  # noqa: S314 - our own page
        assert root.get("aria-label").endswith(name)
        tooltips = [
            (a.get("{http://www.w3.org/1999/xlink}title") or "").replace(WORD_JOINER, "")
            for a in root.iter(f"{SVG}a")
        ]
        assert "รายละเอียด \\N \\G \\E" in tooltips
        shown = "".join(t.text or "" for t in root.iter(f"{SVG}text")).replace(WORD_JOINER, "")
        assert "\\N" in shown and "\\G" in shown  # the lane name as written
