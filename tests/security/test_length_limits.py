"""Finding 7: a transition reason (and a comment) has a length limit, refused with a Thai
message before anything is written: no audit entry, no notification, no e-mail."""

from __future__ import annotations

import pytest
from django.core import mail
from django.core.exceptions import ValidationError
from django.test import Client
from django.urls import reverse

from core.forms import TEXT_LIMIT
from manuals.models import Edition
from reviews import services
from reviews.models import AuditEntry, Comment, Notification

pytestmark = pytest.mark.django_db
LONG = "ก" * (TEXT_LIMIT + 1)


def test_a_too_long_reason_is_refused_through_the_page(world):
    services.edition_submit(edition=world.draft, by=world.users["editor"])
    audits, notes = AuditEntry.objects.count(), Notification.objects.count()
    mail.outbox.clear()
    client = Client()
    client.force_login(world.users["reviewer"])
    url = reverse("reviews:request_changes", args=[world.draft.pk])
    response = client.post(url, {"reason": LONG}, follow=True)
    html = response.content.decode()
    assert response.status_code == 200
    assert "ข้อความยาวเกินไป" in html and "๕,๐๐๐" in html
    world.draft.refresh_from_db()
    assert world.draft.status == Edition.Status.SUBMITTED
    assert (AuditEntry.objects.count(), Notification.objects.count()) == (audits, notes)
    assert mail.outbox == []


@pytest.mark.parametrize(
    "move", [services.edition_withdraw, services.edition_request_changes, services.edition_approve]
)
def test_every_transition_limits_its_reason(world, move):
    services.edition_submit(edition=world.draft, by=world.users["editor"])
    who = {
        services.edition_withdraw: "editor",
        services.edition_request_changes: "reviewer",
        services.edition_approve: "approver",
    }[move]
    with pytest.raises(ValidationError) as exc:
        move(edition=world.draft, by=world.users[who], reason=LONG)
    assert "reason" in exc.value.message_dict
    world.draft.refresh_from_db()
    assert world.draft.status == Edition.Status.SUBMITTED
    # At the limit it is accepted.
    move(edition=world.draft, by=world.users[who], reason="ข" * TEXT_LIMIT)


def test_a_comment_has_the_same_limit(world):
    with pytest.raises(ValidationError, match="ข้อความยาวเกินไป"):
        services.comment_add(target=world.draft, by=world.users["reviewer"], body=LONG)
    assert not Comment.objects.exists()
