"""Who hears about a review step, and how: an inbox row now, an e-mail once the commit lands."""

from __future__ import annotations

from collections.abc import Iterable

from django.conf import settings
from django.contrib.auth import get_user_model
from django.core.mail import send_mass_mail
from django.db import IntegrityError, transaction
from django.urls import reverse
from django.utils.translation import gettext as _

from manuals.models import Edition, Membership
from manuals.permissions import _ancestors
from reviews.models import Notification

SUBJECT_PREFIX = "[คู่มือการปฏิบัติงาน กทม.] "


def members_over(edition: Edition, roles: Iterable[str]):
    """Active users holding one of ``roles`` in the manual's agency or an agency above it."""
    agency_ids = _ancestors(edition.manual.agency_id)
    return (
        get_user_model()
        .objects.filter(
            is_active=True,
            memberships__role__in=list(roles),
            memberships__agency_id__in=agency_ids,
        )
        .distinct()
        .order_by("pk")
    )


def unit_editors(edition: Edition):
    return members_over(edition, [Membership.Role.EDITOR])


def reviewers(edition: Edition):
    return members_over(edition, [Membership.Role.REVIEWER])


def reviewers_and_approvers(edition: Edition):
    """Who hears of a submission: the reviewers who check it and the approvers (of the agency
    tree) who will sign it."""
    return members_over(edition, [Membership.Role.REVIEWER, Membership.Role.APPROVER])


def edition_url(edition: Edition) -> str:
    return reverse("reviews:edition", kwargs={"pk": edition.pk})


def notify(
    *,
    recipients: Iterable,
    verb: str,
    edition: Edition,
    message: str,
    key: str = "",
    exclude=None,
) -> list[Notification]:
    """Write an inbox row per recipient and queue one e-mail each for after the commit.

    With a ``key`` a recipient who already has that key is skipped (reminders stay once a day).
    """
    url = edition_url(edition)
    site = getattr(settings, "SITE_URL", "").rstrip("/")
    created: list[Notification] = []
    for user in recipients:
        if exclude is not None and user.pk == exclude.pk:
            continue
        if key and Notification.objects.filter(recipient=user, key=key).exists():
            continue
        try:
            with transaction.atomic():
                created.append(
                    Notification.objects.create(
                        recipient=user,
                        verb=verb,
                        edition=edition,
                        message=message,
                        url=url,
                        key=key,
                    )
                )
        except IntegrityError:  # a concurrent run wrote the same reminder first
            continue
    mails = [
        (
            SUBJECT_PREFIX + n.get_verb_display(),
            f"{n.message}\n\n{_('เปิดดู')}: {site}{n.url}",
            settings.DEFAULT_FROM_EMAIL,
            [n.recipient.email],
        )
        for n in created
        if n.recipient.email
    ]
    if mails:
        transaction.on_commit(lambda: send_mass_mail(mails, fail_silently=True))
    return created
