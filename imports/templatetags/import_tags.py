"""Hooks of the imports app into other apps' pages (the edition overview, the process editor)."""

from __future__ import annotations

from django import template

register = template.Library()

OVERVIEW_LIMIT = 10


@register.inclusion_tag("imports/_unplaced_card.html")
def unplaced_card(*, edition, can_edit: bool, process=None) -> dict:
    """The unplaced texts of an edition (the first few, on the overview) or of one process
    (all of them, in its editor); nothing is drawn when there are none."""
    from imports.models import UnplacedText

    rows = UnplacedText.objects.filter(edition=edition)
    if process is not None:
        rows = rows.filter(process=process)
    total = rows.count()
    items = []
    if total:
        rows = rows.select_related("process").order_by("position", "pk")
        items = list(rows if process is not None else rows[:OVERVIEW_LIMIT])
    return {
        "edition": edition,
        "process": process,
        "items": items,
        "total": total,
        "can_edit": can_edit,
        "show_process": process is None,
    }


@register.simple_tag(takes_context=True)
def can_import(context) -> bool:
    """The signed-in user may import a manual somewhere (the home page's button)."""
    from imports.uploads import import_targets

    request = context.get("request")
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated:
        return False
    cached = getattr(request, "_can_import", None)
    if cached is None:
        cached = import_targets(user=user).any
        request._can_import = cached
    return cached


@register.inclusion_tag("imports/_import_link.html", takes_context=True)
def import_next_draft_link(context, manual, *, small: bool = False) -> dict:
    """ "นำเข้าจากไฟล์" for a manual with no open draft whose next draft the user may start."""
    from manuals.models import Edition

    request = context.get("request")
    user = getattr(request, "user", None)
    show = bool(
        user is not None
        and user.is_authenticated
        and user.has_perm("manuals.start_revision", manual)
        and not Edition.objects.open().filter(manual=manual).exists()
    )
    return {"manual": manual, "show": show, "small": small}
