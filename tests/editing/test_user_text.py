"""Every form cleans and limits user text in one place (core.forms.UserTextMixin)."""

from __future__ import annotations

from django.utils import translation

from processes.models import Step
from reviews.forms import CommentForm
from tests.editing.conftest import step_post


def test_pasted_text_over_the_limit_is_refused_in_thai_not_cut(world, editor_client):
    step = world.steps[0]
    pasted = "ก" * 20000
    response = editor_client.post(
        f"/steps/{step.pk}/edit/", step_post(step, detail=pasted), HTTP_HX_REQUEST="true"
    )
    assert response.status_code == 422
    body = response.content.decode()
    assert "ข้อความยาวเกินไป: ได้ไม่เกิน ๕,๐๐๐ ตัวอักษร (ตอนนี้ ๒๐,๐๐๐ ตัวอักษร)" in body
    assert pasted in body  # the text stays in the field: nothing is lost
    step.refresh_from_db()
    assert step.detail != pasted


def test_the_form_shows_a_counter_limit_not_a_truncating_maxlength(world, editor_client):
    step = world.steps[0]
    body = editor_client.get(f"/steps/{step.pk}/edit/", HTTP_HX_REQUEST="true").content.decode()
    assert 'data-maxlength="5000"' in body
    assert "maxlength=" not in body.replace("data-maxlength=", "")
    assert "กด Enter เพื่อขึ้นบรรทัดใหม่" in body  # said under the multi-line fields


def test_word_control_characters_are_cleaned_on_input(world, editor_client):
    step = world.steps[0]
    raw = "รับ\tหนังสือ\vลงทะเบียน\fส่งต่อ\x00\u200bเสร็จ\x1b"
    response = editor_client.post(
        f"/steps/{step.pk}/edit/",
        step_post(step, detail=raw, label="ตรวจ\vสอบ\x00"),
        HTTP_HX_REQUEST="true",
    )
    assert response.status_code == 200, response.content.decode()[:500]
    step = Step.objects.get(pk=step.pk)
    assert step.detail == "รับ หนังสือ\nลงทะเบียน\nส่งต่อเสร็จ"
    assert step.label == "ตรวจ สอบ"  # a single-line field: line breaks become spaces


def test_comment_form_cleans_too_and_says_limits_in_the_ui_language():
    form = CommentForm(data={"body": "ดี\x00มาก\x0c"})
    assert form.is_valid()
    assert form.cleaned_data["body"] == "ดีมาก"
    with translation.override("en"):
        form = CommentForm(data={"body": "x" * 6000})
        assert not form.is_valid()
        message = form.errors["body"][0]
    assert "5,000" in message and "6,000" in message
