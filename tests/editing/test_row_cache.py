"""The editor's step rows come from the cache until something they show changes
(processes/templatetags/step_rows.py): never an old row, and no row drawn twice for nothing."""

from __future__ import annotations

import re

import pytest
from django.core.cache import cache
from django.test import Client
from django.test.signals import template_rendered
from django.urls import reverse

from processes.models import Flow, Step

ROW = "processes/_step_row.html"


@pytest.fixture(autouse=True)
def empty_cache():
    cache.clear()
    yield
    cache.clear()


def _page(client, process) -> tuple[str, int]:
    """The editor page and how many rows were drawn (not served from the cache) for it."""
    drawn = []

    def seen(sender, template, **kwargs):
        if template.name == ROW:
            drawn.append(template.name)

    template_rendered.connect(seen)
    try:
        response = client.get(reverse("processes:editor", args=[process.pk]))
    finally:
        template_rendered.disconnect(seen)
    assert response.status_code == 200
    return response.content.decode(), len(drawn)


def _row(html: str, step) -> str:
    match = re.search(rf'<tr id="step-{step.pk}".*?</tr>', html, re.S)
    assert match, step.pk
    return match.group()


def test_rows_are_drawn_once_then_served_from_the_cache(world, editor_client):
    html, drawn = _page(editor_client, world.process)
    assert drawn == len(world.steps)
    again, drawn = _page(editor_client, world.process)
    assert drawn == 0
    strip = re.compile(r'name="csrfmiddlewaretoken" value="[^"]*"|"X-CSRFToken": "[^"]*"')
    assert strip.sub("", again) == strip.sub("", html)


def test_what_a_row_shows_changes_and_the_row_follows(world, editor_client):
    process, (first, second, third) = world.process, world.steps[:3]
    _page(editor_client, process)

    # the step's own text, through the editor's save
    response = editor_client.post(
        reverse("processes:step_edit", args=[first.pk]),
        {**_post(first), "detail": "ตรวจสอบเอกสารให้ครบถ้วน"},
        HTTP_HX_REQUEST="true",
    )
    assert response.status_code == 200
    html, drawn = _page(editor_client, process)
    # the save answered with the new row, drawn then; the page takes that one from the cache
    assert "ตรวจสอบเอกสารให้ครบถ้วน" in _row(html, first) and drawn == 0

    # its lane renamed elsewhere: every row of that lane is drawn again
    lane = Step.objects.get(pk=second.pk).lane
    lane.name = "ฝ่ายบริหารงานทั่วไป (ใหม่)"
    lane.save()
    html, drawn = _page(editor_client, process)
    assert "ฝ่ายบริหารงานทั่วไป (ใหม่)" in _row(html, second)
    assert drawn == Step.objects.filter(process=process, lane=lane).count() >= 1

    # an arrow's target moves: the arrow's number in the source row follows
    Flow.objects.create(source=first, target=third, position=9, label="ไม่ครบ")
    html, _drawn = _page(editor_client, process)
    assert "ไม่ครบ" in _row(html, first)

    # an open comment on a step: its row shows the count
    from reviews.services import comment_add

    comment_add(target=third, by=world.users["reviewer"], body="โปรดระบุระยะเวลา")
    html, drawn = _page(editor_client, process)
    assert "btn-warning" in _row(html, third) and drawn == 1


def test_a_reader_and_another_language_get_their_own_rows(world, editor_client):
    process = world.process
    editor_html, _drawn = _page(editor_client, process)
    assert "js-edit" in _row(editor_html, world.steps[0])
    reader = Client()
    reader.force_login(world.users["reviewer"])
    reader_html, drawn = _page(reader, process)
    assert "js-edit" not in _row(reader_html, world.steps[0]) and drawn == len(world.steps)
    english = Client(headers={"accept-language": "en"})
    english.force_login(world.users["editor"])
    english.cookies.load({"django_language": "en"})
    english_html, drawn = _page(english, process)
    assert drawn == len(world.steps)
    assert _row(english_html, world.steps[0]) != _row(editor_html, world.steps[0])


def _post(step):
    from tests.editing.conftest import step_post

    return step_post(Step.objects.get(pk=step.pk))
