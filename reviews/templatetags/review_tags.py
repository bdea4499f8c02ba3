"""Template tags for review state beside the editor's items: ``{% load review_tags %}``.

- ``{% open_comment_count edition %}`` — the number of open comments on the edition (Thai digits).
- ``{% comment_badge obj %}`` — a badge with the open comments on an edition, process or step,
  linking to the review page; nothing when there are none. On a list, pass the counts once
  (``{% open_comment_counts edition as counts %}``, one query) then
  ``{% comment_badge step counts %}`` to keep the page at a fixed number of queries.
- ``{% open_comment_counts_by_process edition as counts %}`` — one query: open comments per
  process (its own and its steps'), for the overview's table of contents.
- ``{{ counts|open_for:obj }}`` — obj's number from either dict (an edition: its own comments).
- ``{% unread_notification_count user %}`` — for a navbar inbox badge.
- ``{{ a_datetime|thai_datetime }}`` — local date and time in the Buddhist Era.
"""

from __future__ import annotations

from django import template
from django.db.models import Count
from django.urls import reverse
from django.utils import timezone
from django.utils.html import format_html
from django.utils.translation import gettext as _

from core.thai import format_thai_date, thai_digits
from manuals.models import Edition
from reviews import selectors
from reviews.models import Comment, Notification

register = template.Library()


@register.simple_tag
def open_comment_count(edition: Edition) -> str:
    return thai_digits(str(selectors.open_comment_count(edition=edition)))


@register.simple_tag
def open_comment_counts(edition: Edition) -> dict:
    return selectors.open_comment_counts(edition=edition)


@register.simple_tag
def open_comment_counts_by_process(edition: Edition) -> dict:
    """Open comments per process lineage, its steps' included (None: on the edition itself).

    Comments on rows that were deleted since are left out: the review page lists them.
    """
    rows = (
        Comment.objects.threads()
        .open()
        .filter(edition=edition)
        .values("target", "process__lineage")
        .annotate(n=Count("id"))
        .order_by()
    )
    out: dict = {}
    for row in rows:
        if row["target"] == Comment.Target.EDITION:
            key = None
        elif row["process__lineage"] is not None:
            key = row["process__lineage"]
        else:
            continue
        out[key] = out.get(key, 0) + row["n"]
    return out


@register.filter
def open_for(counts: dict | None, obj) -> int:
    """The open comments on obj (an edition, a process or a step) from a counts dict."""
    if not counts:
        return 0
    return counts.get(None if isinstance(obj, Edition) else obj.lineage, 0)


def _count_for(obj, counts: dict | None) -> tuple[int, Edition]:
    if isinstance(obj, Edition):
        edition = obj
        if counts is not None:
            return sum(counts.values()), edition
        return selectors.open_comment_count(edition=edition), edition
    edition = obj.get_edition()
    if counts is not None:
        return counts.get(obj.lineage, 0), edition
    n = Comment.objects.threads().open().filter(edition_id=edition.pk, target_lineage=obj.lineage)
    return n.count(), edition


@register.simple_tag
def comment_badge(obj, counts: dict | None = None) -> str:
    """A warning badge with the open comments on obj, linking to its comments; "" when none."""
    n, edition = _count_for(obj, counts)
    if not n:
        return ""
    kind = "edition" if isinstance(obj, Edition) else obj._meta.model_name
    url = reverse("reviews:edition", kwargs={"pk": edition.pk}) + f"#comments-{kind}-{obj.pk}"
    return format_html(
        '<a class="badge rounded-pill text-bg-warning text-decoration-none comment-badge" '
        'href="{}" title="{}"><i class="bi bi-chat-left-text"></i> {}</a>',
        url,
        _("ความเห็นที่ยังไม่ได้แก้ไข"),
        thai_digits(str(n)),
    )


@register.simple_tag
def unread_notification_count(user) -> int:
    if not getattr(user, "is_authenticated", False):
        return 0
    return Notification.objects.filter(recipient=user).unread().count()


@register.filter(is_safe=True)
def thai_datetime(value) -> str:
    """ "๓ ก.พ. ๒๕๖๘ ๑๔:๐๕ น." in local time."""
    if not value:
        return ""
    local = timezone.localtime(value)
    return f"{format_thai_date(local, style='short')} {thai_digits(local.strftime('%H:%M'))} น."
