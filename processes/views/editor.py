"""The process editor page: Table 1 row, Table 2 lists, steps and previews on one page."""

from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.http import Http404
from django.shortcuts import get_object_or_404, render
from django.views.decorators.http import require_GET

from manuals.permissions import can_edit
from processes import selectors
from processes.forms import PROCESS_LISTS, ROW_KINDS
from processes.models import Process
from processes.views.common import _require_view
from processes.views.steps import _step_context

# --- the process editor ------------------------------------------------------------------------


def _process_lists(request, process, editable: bool) -> list[dict]:
    """Table 2 lists from the prefetched rows (no query per list)."""
    by_kind: dict = {}
    for row in process.requirements.all():
        by_kind.setdefault(row.kind, []).append(row)
    sources = {
        "stakeholder": list(process.stakeholders.all()),
        "key_requirement": by_kind.get("key", []),
        "indicator": list(process.indicators.all()),
        "legal": list(process.legal_requirements.all()),
        "efficiency": by_kind.get("efficiency", []),
        "cost": by_kind.get("cost_effectiveness", []),
    }
    out = []
    for slug in PROCESS_LISTS:
        kind = ROW_KINDS[slug]
        out.append(
            {
                "kind": kind,
                "parent": process,
                "rows": [(row, kind.cells(row)) for row in sources[slug]],
                "can_edit": editable,
                "add_form": None,  # loaded when the editor opens it
                "edition": process.edition,
            }
        )
    return out


@login_required
@require_GET
def process_editor(request, pk: int):
    """Everything of one process on one page: Table 1 row, Table 2, the steps, the previews."""
    try:
        process = selectors.process_for_edit(pk=pk)
    except Process.DoesNotExist as exc:
        raise Http404 from exc
    edition = _require_view(request, process.edition)
    editable = can_edit(request.user, edition)
    tree = selectors.process_tree(edition=edition)
    flat = [node.process for _m, nodes in tree for node in selectors.flatten(nodes)]
    ids = [p.pk for p in flat]
    index = ids.index(process.pk)
    steps = list(process.steps.all())
    context = {
        "process": process,
        "edition": edition,
        "manual": edition.manual,
        "can_edit": editable,
        "lists": _process_lists(request, process, editable),
        "previous": flat[index - 1] if index > 0 else None,
        "next": flat[index + 1] if index + 1 < len(flat) else None,
        **_step_context(request, process, steps=steps, editable=editable),
    }
    return render(request, "processes/editor.html", context)


@login_required
@require_GET
def preview(request, pk: int):
    """Tables 3 and 5 of the process as they will print (Thai digits)."""
    process = get_object_or_404(Process.objects.select_related("edition__manual"), pk=pk)
    _require_view(request, process)
    process._number = selectors.process_number(process)
    steps = list(selectors.steps_for_process(process=process))
    return render(request, "processes/_preview.html", {"process": process, "steps": steps})
