"""History shows the change word by word (issue 11, item 8): an addition at the end of a long
คำนำ is visible, not hidden behind both values cut at ~150-200 characters."""

from __future__ import annotations

import re

import pytest
from django.urls import reverse

from manuals.services import edition_text_change

pytestmark = pytest.mark.django_db

MIDDLE = "โดยมีขั้นตอนการรับส่งหนังสือราชการและการจัดเก็บเอกสารอย่างเป็นระบบ"
LONG = (
    "กองนโยบายและแผนงานจัดทำคู่มือการปฏิบัติงานเพื่อเป็นแนวทางให้บุคลากรปฏิบัติงานได้ถูกต้อง "
    + "ครบถ้วนตามระเบียบ " * 6
    + MIDDLE
    + " สอดคล้องกับภารกิจของหน่วยงาน " * 6
)


def test_an_addition_at_the_end_of_the_preface_is_marked(world, editor_client):
    edition = world.draft
    user = world.users["editor"]
    edition_text_change(
        edition=edition, by=user, data={"preface": LONG}, expected_version=edition.version
    )
    edition.refresh_from_db()
    edition_text_change(
        edition=edition,
        by=user,
        data={"preface": LONG + "และเผยแพร่ทางเว็บไซต์ของสำนัก"},
        expected_version=edition.version,
    )
    body = editor_client.get(reverse("manuals:history", args=[edition.pk])).content.decode()
    added = re.findall(r'<ins class="diff-ins">([^<]*)</ins>', body)
    assert any("เผยแพร่ทางเว็บไซต์ของสำนัก" in a for a in added), added
    assert '<span class="diff-gap">…</span>' in body  # the unchanged run is shortened
    assert body.count(MIDDLE) <= 1  # the second change shortens the unchanged middle


def test_numbers_in_history_are_thai(world, editor_client):
    step = world.steps[0]
    editor_client.post(reverse("processes:step_move", args=[step.pk]), {"direction": "down"})
    body = editor_client.get(reverse("processes:history", args=[world.process.pk])).content.decode()
    assert re.search(r"ลำดับ:</span>.*๑.*→.*๒", body, re.S)
    assert not re.search(r"ลำดับ:</span>[^<]*<del[^>]*>1<", body)
