"""Decision branches and loops from a step (the flows panel of the step form)."""

from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.shortcuts import get_object_or_404
from django.views.decorators.http import require_POST

from manuals.permissions import require
from processes import services
from processes.forms import FlowForm
from processes.models import Flow
from processes.views.common import EDIT, STEPS_CHANGED, _errors_into, _partial
from processes.views.steps import _flows_context, _step_get


@login_required
@require_POST
def flow_add(request, pk: int):
    """Add a decision branch / loop from a step (label + target step)."""
    step = _step_get(pk)
    require(request.user, EDIT, step)
    form = FlowForm(request.POST, source=step)
    if form.is_valid():
        try:
            services.flow_add(
                source=step,
                by=request.user,
                target=form.cleaned_data["target"],
                label=form.cleaned_data["label"].strip(),
            )
        except ValidationError as exc:
            _errors_into(form, exc)
        else:
            return _partial(
                request, "processes/_flows.html", _flows_context(step), trigger=STEPS_CHANGED
            )
    return _partial(request, "processes/_flows.html", _flows_context(step, form=form), status=422)


@login_required
@require_POST
def flow_delete(request, pk: int):
    flow = get_object_or_404(Flow.objects.select_related("source__process__edition"), pk=pk)
    step = flow.source
    services.flow_delete(flow=flow, by=request.user)
    return _partial(request, "processes/_flows.html", _flows_context(step), trigger=STEPS_CHANGED)
