"""Finding 3: nobody approves an edition they edited, submitted or reviewed (four-eyes)."""

from __future__ import annotations

import pytest
from django.core.exceptions import ValidationError
from django.test import Client
from django.urls import reverse

from manuals.models import Edition, Membership
from manuals.services import edition_text_change
from processes import services as process_services
from reviews import services
from reviews.models import AuditEntry
from tests.factories import MembershipFactory, UserFactory

pytestmark = pytest.mark.django_db
S = Edition.Status


@pytest.fixture
def both(world):
    """A member of the unit who is an editor there and an approver of the whole tree."""
    user = UserFactory(username="both")
    MembershipFactory(user=user, agency=world.own, role=Membership.Role.EDITOR)
    MembershipFactory(user=user, agency=world.root, role=Membership.Role.APPROVER)
    return user


def _status(edition):
    edition.refresh_from_db()
    return edition.status


def test_submitter_cannot_approve_own_submission(world, both):
    services.edition_submit(edition=world.draft, by=both)
    with pytest.raises(ValidationError) as exc:
        services.edition_approve(edition=world.draft, by=both)
    assert exc.value.code == "four_eyes"
    assert "ผู้ส่ง" in exc.value.messages[0]
    assert _status(world.draft) == S.SUBMITTED
    assert not AuditEntry.objects.filter(edition=world.draft, action="approve").exists()


def test_editor_of_a_step_cannot_approve(world, both):
    step = world.steps[0]
    process_services.step_update(
        step=step, by=both, data={"detail": "แก้โดยผู้อนุมัติ"}, expected_version=step.version
    )
    services.edition_submit(edition=world.draft, by=world.users["editor"])
    with pytest.raises(ValidationError) as exc:
        services.edition_approve(edition=world.draft, by=both)
    assert "แก้ไขเนื้อหา" in exc.value.messages[0]
    assert _status(world.draft) == S.SUBMITTED
    # Someone else may.
    services.edition_approve(edition=world.draft, by=world.users["approver"])
    assert _status(world.draft) == S.PUBLISHED


def test_editor_of_a_text_section_cannot_approve(world, both):
    edition_text_change(
        edition=world.draft,
        by=both,
        data={"preface": "คำนำที่ผู้อนุมัติเขียน"},
        expected_version=world.draft.version,
    )
    services.edition_submit(edition=world.draft, by=world.users["editor"])
    with pytest.raises(ValidationError, match="แก้ไขเนื้อหา"):
        services.edition_approve(edition=world.draft, by=both)


def test_reviewer_who_requested_changes_cannot_approve(world):
    approver = world.users["approver"]
    MembershipFactory(user=approver, agency=world.root, role=Membership.Role.REVIEWER)
    editor = world.users["editor"]
    services.edition_submit(edition=world.draft, by=editor)
    services.edition_request_changes(edition=world.draft, by=approver, reason="แก้ตารางที่ ๓")
    services.edition_submit(edition=world.draft, by=editor)
    with pytest.raises(ValidationError, match="ผู้ตรวจสอบ"):
        services.edition_approve(edition=world.draft, by=approver)


def test_the_panel_shows_the_button_disabled_with_the_reason(world, both):
    services.edition_submit(edition=world.draft, by=both)
    client = Client()
    client.force_login(both)
    html = client.get(reverse("reviews:edition", args=[world.draft.pk])).content.decode()
    assert 'data-role="approve-blocked"' in html
    assert "หลักการตรวจสองชั้น" in html
    assert 'data-role="confirm-approve"' not in html
    # The independent approver gets the real button.
    client.force_login(world.users["approver"])
    html = client.get(reverse("reviews:edition", args=[world.draft.pk])).content.decode()
    assert 'data-role="confirm-approve"' in html and "approve-blocked" not in html
    # And a forged POST by the submitter is refused, nothing published.
    client.force_login(both)
    url = reverse("reviews:approve", args=[world.draft.pk])
    response = client.post(url, {"confirm": "yes"}, follow=True)
    assert "หลักการตรวจสองชั้น" in response.content.decode()
    assert _status(world.draft) == S.SUBMITTED
