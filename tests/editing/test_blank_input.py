"""Blank input (issue 11, item 7): an empty or all-spaces step is refused in Thai instead of
saving a blank "กิจกรรม" row; a blank process name's error sits under its own field."""

from __future__ import annotations

import re

import pytest
from django.urls import reverse

from processes.models import Process, Step
from tests.editing.conftest import step_post

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize("blank", ["", "   ", "\t \u200b\n  "])
def test_a_blank_new_step_is_refused_in_thai(world, editor_client, blank):
    step = world.steps[0]
    before = Step.objects.filter(process=world.process).count()
    data = step_post(step, label=blank, detail=blank, shape="activity", lane=step.lane_id)
    data.pop("version")
    response = editor_client.post(reverse("processes:step_new", args=[world.process.pk]), data)
    assert response.status_code == 422
    html = response.content.decode()
    assert "กรุณากรอกรายละเอียดของงาน" in html
    assert Step.objects.filter(process=world.process).count() == before


def test_editing_a_step_to_spaces_is_refused(world, editor_client):
    step = world.steps[0]
    response = editor_client.post(
        reverse("processes:step_edit", args=[step.pk]),
        step_post(step, label="  ", detail="   ", shape="activity"),
    )
    assert response.status_code == 422
    assert "กรุณากรอกรายละเอียดของงาน" in response.content.decode()
    step.refresh_from_db()
    assert step.detail.strip() or step.label.strip()


def test_an_end_point_needs_no_text(world, editor_client):
    step = world.steps[-1]
    response = editor_client.post(
        reverse("processes:step_edit", args=[step.pk]),
        step_post(step, label="", detail="", shape="end"),
    )
    assert response.status_code == 200


def test_blank_process_name_error_sits_under_the_field(world, editor_client):
    mission = world.process.mission
    before = Process.objects.count()
    response = editor_client.post(
        reverse("processes:process_create", args=[mission.pk]), {"name": "    ", "parent": ""}
    )
    assert response.status_code == 422
    assert Process.objects.count() == before
    html = response.content.decode()
    assert 'class="alert alert-danger' not in html.split("<h2", 1)[0]  # not at the top
    forms = re.findall(r"<form[^>]*>.*?</form>", html, re.S)
    form = next(f for f in forms if 'name="parent" value=""' in f)  # the mission's own form
    assert "is-invalid" in form and "field-error" in form


def test_blank_sub_process_name_error_sits_under_its_parent(world, editor_client):
    mission = world.process.mission
    response = editor_client.post(
        reverse("processes:process_create", args=[mission.pk]),
        {"name": " ", "parent": str(world.process.pk)},
    )
    assert response.status_code == 422
    html = response.content.decode()
    node = html[html.index(f'id="tree-{world.process.pk}"') :]
    node = node[: node.index("</li>")]
    assert "add-sub has-error" in node and "field-error" in node
