"""A process's change history."""

from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.shortcuts import get_object_or_404, render
from django.views.decorators.http import require_GET

from processes import selectors
from processes.models import Process
from processes.views.common import _require_view


@login_required
@require_GET
def process_history(request, pk: int):
    process = get_object_or_404(Process.objects.select_related("edition__manual__agency"), pk=pk)
    edition = _require_view(request, process)
    process._number = selectors.process_number(process)
    return render(
        request,
        "processes/history.html",
        {
            "process": process,
            "edition": edition,
            "manual": edition.manual,
            "changes": selectors.process_history(process=process),
        },
    )
