"""Every step of the demo manual can be opened and saved again as it is: a clerk who opens a
step only to change its time must never meet a refusal for text the step already had (blank
documents and decisions are drawn with their own word, as the seeds print them)."""

from __future__ import annotations

import pytest

from manuals.models import Edition
from processes.forms import StepForm
from processes.models import Step
from processes.selectors import forms_of, lanes_of
from tests.editing.conftest import step_post


@pytest.mark.parametrize("status", [Edition.Status.DRAFT])
def test_every_demo_step_saves_unchanged(demo_manual, status):
    edition = demo_manual.editions.get(status=status)
    lanes, forms = lanes_of(edition=edition), forms_of(edition=edition)
    steps = Step.objects.filter(process__edition=edition).prefetch_related("other_lanes", "forms")
    refused = []
    for step in steps:
        data = step_post(step, duration_text="๑ วันทำการ")
        data["other_lanes"] = [lane.pk for lane in step.other_lanes.all()]
        data["forms"] = [form.pk for form in step.forms.all()]
        form = StepForm(data, instance=step, edition=edition, lanes=lanes, forms_list=forms)
        if not form.is_valid():
            refused.append((step.pk, step.shape, dict(form.errors)))
    assert len(steps) > 300
    assert refused == []


def test_a_blank_activity_is_still_refused(demo_manual):
    edition = demo_manual.editions.get(status=Edition.Status.DRAFT)
    step = Step.objects.filter(process__edition=edition, shape="activity").first()
    data = step_post(step, label="", detail="  ")
    form = StepForm(
        data,
        instance=step,
        edition=edition,
        lanes=lanes_of(edition=edition),
        forms_list=forms_of(edition=edition),
    )
    assert not form.is_valid() and "detail" in form.errors
