"""A lane created on the fly for a step (issue 11, item 13) goes with its last step or
process, and the compare view does not list it as new; lanes carried over from the previous
edition stay."""

from __future__ import annotations

import pytest
from django.urls import reverse

from manuals.models import Lane
from processes.models import Step
from processes.services import process_delete, step_delete
from tests.editing.conftest import step_post
from tests.factories import StepFactory

pytestmark = pytest.mark.django_db

NEW = "ผู้ตรวจสอบภายนอกชั่วคราว"


def _step_with_new_lane(world, editor_client):
    step = world.steps[0]
    response = editor_client.post(
        reverse("processes:step_edit", args=[step.pk]), step_post(step, lane="", new_lane=NEW)
    )
    assert response.status_code == 200
    step.refresh_from_db()
    assert step.lane.name == NEW
    return step


def test_lane_goes_with_its_last_step(world, editor_client):
    step = _step_with_new_lane(world, editor_client)
    response = editor_client.post(reverse("processes:step_delete", args=[step.pk]))
    assert response.status_code == 200
    assert not Lane.objects.filter(edition=world.draft, name=NEW).exists()
    positions = list(
        Lane.objects.filter(edition=world.draft)
        .order_by("position")
        .values_list("position", flat=True)
    )
    assert positions == list(range(1, len(positions) + 1))


def test_lane_goes_with_its_process_and_compare_does_not_list_it(world, editor_client, settings):
    _step_with_new_lane(world, editor_client)
    process_delete(process=world.process, by=world.users["editor"])
    assert not Lane.objects.filter(edition=world.draft, name=NEW).exists()
    reviewer = world.users.get("reviewer") or world.users["editor"]
    from django.test import Client

    client = Client()
    client.force_login(reviewer)
    html = client.get(
        reverse("reviews:compare", args=[world.draft.pk]), {"base": world.published.pk}
    ).content.decode()
    assert NEW not in html


def test_lane_still_used_by_another_step_stays(world, editor_client):
    step = _step_with_new_lane(world, editor_client)
    StepFactory(process=world.process, position=99, lane=step.lane)
    step_delete(step=step, by=world.users["editor"])
    assert Lane.objects.filter(edition=world.draft, name=NEW).exists()


def test_lane_of_the_previous_edition_stays(world):
    lane = world.steps[0].lane
    # the same lane in the published edition (as a revision copies it; bulk: it is frozen)
    Lane.objects.bulk_create(
        [Lane(edition=world.published, name=lane.name, lineage=lane.lineage, position=9)]
    )
    for step in Step.objects.filter(lane=lane):
        step_delete(step=step, by=world.users["editor"])
    assert Lane.objects.filter(pk=lane.pk).exists()


def test_switching_away_from_a_new_lane_removes_it(world, editor_client):
    step = _step_with_new_lane(world, editor_client)
    step.refresh_from_db()
    editor_client.post(
        reverse("processes:step_edit", args=[step.pk]), step_post(step, lane=world.lanes[0].pk)
    )
    assert not Lane.objects.filter(edition=world.draft, name=NEW).exists()
