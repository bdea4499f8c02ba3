"""Stakeholders (issue 11, item 10): one numbering across kinds in the editor, and the print
lists ผู้รับบริการ before ผู้มีส่วนได้ส่วนเสีย, as the editor and seed 000 do."""

from __future__ import annotations

import re

import pytest
from django.urls import reverse

from printing.builder import manual_html
from processes.models import Stakeholder
from tests.factories import StakeholderFactory

pytestmark = pytest.mark.django_db

STAKE = Stakeholder.Kind.STAKEHOLDER
RECIP = Stakeholder.Kind.RECIPIENT


@pytest.fixture
def rows(world):
    process = world.process
    process.stakeholders.all().delete()
    # created stakeholder first: same positions per kind, lower pk for the ส่วนได้ส่วนเสีย row
    StakeholderFactory(process=process, kind=STAKE, position=1, name="ชุมชนโดยรอบ")
    StakeholderFactory(process=process, kind=RECIP, position=1, name="ประชาชนผู้ยื่นคำขอ")
    StakeholderFactory(process=process, kind=RECIP, position=2, name="หน่วยงานภายใน")
    return process


def test_print_lists_recipients_first_in_one_group_each(rows, world):
    html = manual_html(world.draft.pk)
    start = html.index("<th>ผู้เกี่ยวข้อง</th>")
    table = html[start : html.index("</table>", start)]
    order = [
        table.index(text)
        for text in (
            "ผู้รับบริการ",
            "ประชาชนผู้ยื่นคำขอ",
            "หน่วยงานภายใน",
            "ผู้มีส่วนได้ส่วนเสีย",
            "ชุมชนโดยรอบ",
        )
    ]
    assert order == sorted(order)
    assert table.count('<tr class="group">') == 2  # one run per kind, not three


def _numbers(html, slug="stakeholder"):
    rows = re.findall(rf'<tr id="row-{slug}-\d+"[^>]*>\s*<td class="num">([^<]*)</td>', html)
    return rows


def test_editor_numbers_rows_once_across_kinds(rows, editor_client):
    html = editor_client.get(reverse("processes:editor", args=[rows.pk])).content.decode()
    assert _numbers(html) == ["๑", "๒", "๓"]


def test_a_redrawn_row_keeps_its_number_in_the_one_list(rows, editor_client):
    row = Stakeholder.objects.get(name="ชุมชนโดยรอบ")
    response = editor_client.get(reverse("processes:row_view", args=["stakeholder", row.pk]))
    assert _numbers(response.content.decode()) == ["๓"]
