"""Two people edit the same process: the later save based on stale data is refused."""

import re

from django.test import Client
from django.urls import reverse

from processes.models import Step
from tests.editing.conftest import step_post
from tests.factories import MembershipFactory, UserFactory


def _version_in(html: str) -> int:
    return int(re.search(r'name="version" value="(\d+)"', html).group(1))


def test_second_save_on_stale_data_is_refused_and_shows_the_other_change(world):
    colleague = MembershipFactory(
        user=UserFactory(username="somchai", first_name="สมชาย"), agency=world.own
    ).user
    alice, bob = Client(), Client()
    alice.force_login(world.users["editor"])
    bob.force_login(colleague)
    step = world.steps[0]
    url = reverse("processes:step_edit", args=[step.pk])
    # Both open the step's form.
    version_a = _version_in(alice.get(url).content.decode())
    version_b = _version_in(bob.get(url).content.decode())
    assert version_a == version_b
    # Bob saves first.
    saved = bob.post(url, step_post(step, duration_text="๓ วัน", version=version_b))
    assert saved.status_code == 200
    # Alice's save is based on the old version: refused, with Bob's change shown.
    refused = alice.post(url, step_post(step, duration_text="๑ วัน", version=version_a))
    assert refused.status_code == 409
    body = refused.content.decode()
    assert "มีผู้อื่นแก้ไขข้อมูลนี้ไปก่อนแล้ว" in body
    assert "๓ วัน" in body and "๑ วัน" in body and "สมชาย" in body
    assert Step.objects.get(pk=step.pk).duration_text == "๓ วัน"


def test_stale_row_and_section_edits_are_refused(world, editor_client):
    from processes.models import Stakeholder

    row = Stakeholder.objects.get(process=world.process)
    url = reverse("processes:row_edit", args=["stakeholder", row.pk])
    data = {"kind": "recipient", "name": "ก", "needs": "", "version": row.version}
    assert editor_client.post(url, data).status_code == 200
    assert editor_client.post(url, {**data, "name": "ข"}).status_code == 409
    assert Stakeholder.objects.get(pk=row.pk).name == "ก"

    url = reverse("manuals:section_edit", args=[world.draft.pk, "preface"])
    version = world.draft.version
    assert editor_client.post(url, {"text": "หนึ่ง", "version": version}).status_code == 200
    assert editor_client.post(url, {"text": "สอง", "version": version}).status_code == 409
    world.draft.refresh_from_db()
    assert world.draft.preface == "หนึ่ง"
