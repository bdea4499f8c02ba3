"""An edition's own pages that show manuals and processes together: the overview (the manual
as it will print, with its health panel) and the history of the whole edition."""

from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.shortcuts import get_object_or_404, render
from django.views.decorators.http import require_GET

from manuals.models import Abbreviation, Definition, Edition, Form, Lane, Responsibility
from manuals.permissions import can_edit, require
from manuals.services import TEXT_SECTIONS
from processes import selectors
from processes.views.common import VIEW


def _edition_or_404(pk: int) -> Edition:
    return get_object_or_404(Edition.objects.select_related("manual__agency"), pk=pk)


@login_required
@require_GET
def edition_overview(request, pk: int):
    """The manual as it will print, each part linking to its editor, with a health panel."""
    edition = _edition_or_404(pk)
    require(request.user, VIEW, edition)
    tree = selectors.process_tree(edition=edition)
    sections = [
        (name, Edition._meta.get_field(name).verbose_name, getattr(edition, name))
        for name in TEXT_SECTIONS
    ]
    counts = {
        "lane": Lane.objects.filter(edition=edition).count(),
        "form": Form.objects.filter(edition=edition).count(),
        "definition": Definition.objects.filter(edition=edition).count(),
        "abbreviation": Abbreviation.objects.filter(edition=edition).count(),
        "responsibility": Responsibility.objects.filter(edition=edition).count(),
    }
    return render(
        request,
        "processes/edition_overview.html",
        {
            "edition": edition,
            "manual": edition.manual,
            "can_edit": can_edit(request.user, edition),
            "sections": sections,
            "tree": tree,
            "flat": [node for _m, nodes in tree for node in selectors.flatten(nodes)],
            "health": selectors.edition_health(edition=edition, tree=tree),
            "counts": counts,
        },
    )


@login_required
@require_GET
def edition_history(request, pk: int):
    edition = _edition_or_404(pk)
    require(request.user, VIEW, edition)
    return render(
        request,
        "processes/edition_history.html",
        {
            "edition": edition,
            "manual": edition.manual,
            "changes": selectors.edition_history(edition=edition),
        },
    )
