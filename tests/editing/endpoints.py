"""Every write endpoint of the editor, as (name, method, url, data) for a given edition's rows."""

from __future__ import annotations

from django.urls import reverse

from manuals.models import LegalReference
from processes.models import Flow, Indicator, Stakeholder, Step
from tests.editing.conftest import step_post


def write_endpoints(edition, process):
    steps = list(Step.objects.filter(process=process).order_by("position"))
    lanes = list(edition.lanes.order_by("position"))
    mission = process.mission
    stakeholder = Stakeholder.objects.filter(process=process).first()
    indicator = Indicator.objects.filter(process=process).first()
    flow = Flow.objects.filter(source__process=process).first()
    reference = LegalReference.objects.exclude(requirements__process=process).first()
    if reference is None:
        reference = LegalReference.objects.create(kind="act", title="พระราชบัญญัติทดสอบ", year_be=2560)
    return [
        (
            "step_edit",
            "post",
            reverse("processes:step_edit", args=[steps[0].pk]),
            step_post(steps[0], detail="แก้ไขแล้ว"),
        ),
        ("step_edit_form", "get", reverse("processes:step_edit", args=[steps[0].pk]), {}),
        (
            "step_new",
            "post",
            reverse("processes:step_new", args=[process.pk]),
            {**_new_step(process), "after": steps[0].pk},
        ),
        ("step_delete", "post", reverse("processes:step_delete", args=[steps[-1].pk]), {}),
        (
            "step_move",
            "post",
            reverse("processes:step_move", args=[steps[-1].pk]),
            {"to_position": 1},
        ),
        (
            "flow_add",
            "post",
            reverse("processes:flow_add", args=[steps[-1].pk]),
            {"label": "กลับไปแก้", "target": steps[0].pk},
        ),
        ("flow_delete", "post", reverse("processes:flow_delete", args=[flow.pk]), {}),
        (
            "row_create",
            "post",
            reverse("processes:row_create", args=["stakeholder", process.pk]),
            {"kind": "recipient", "name": "ประชาชน", "needs": "รวดเร็ว"},
        ),
        (
            "row_create_form",
            "get",
            reverse("processes:row_create", args=["stakeholder", process.pk]),
            {},
        ),
        (
            "row_edit",
            "post",
            reverse("processes:row_edit", args=["stakeholder", stakeholder.pk]),
            {"kind": "recipient", "name": "ผู้รับบริการ", "needs": "", "version": stakeholder.version},
        ),
        (
            "row_edit_form",
            "get",
            reverse("processes:row_edit", args=["stakeholder", stakeholder.pk]),
            {},
        ),
        (
            "row_delete",
            "post",
            reverse("processes:row_delete", args=["indicator", indicator.pk]),
            {},
        ),
        (
            "row_move",
            "post",
            reverse("processes:row_move", args=["stakeholder", stakeholder.pk]),
            {"direction": "down"},
        ),
        (
            "definition_create",
            "post",
            reverse("processes:row_create", args=["definition", edition.pk]),
            {"term": "คำ", "meaning": "ความหมาย"},
        ),
        (
            "lane_create",
            "post",
            reverse("processes:row_create", args=["lane", edition.pk]),
            {"name": "ผู้ปฏิบัติใหม่", "full_name": "", "kind": "position"},
        ),
        (
            "lane_merge",
            "post",
            reverse("processes:lane_merge", args=[edition.pk]),
            {"keep": lanes[0].pk, "remove": lanes[1].pk},
        ),
        (
            "process_create",
            "post",
            reverse("processes:process_create", args=[mission.pk]),
            {"name": "กระบวนการใหม่", "parent": ""},
        ),
        (
            "process_edit",
            "post",
            reverse("processes:process_edit", args=[process.pk]),
            {
                "name": "ชื่อใหม่",
                "scope_text": "",
                "scope_start": "",
                "scope_end": "",
                "responsible_unit": "",
                "version": process.version,
            },
        ),
        (
            "process_move",
            "post",
            reverse("processes:process_move", args=[process.pk]),
            {"direction": "down"},
        ),
        ("process_delete", "post", reverse("processes:process_delete", args=[process.pk]), {}),
        (
            "legal_add",
            "post",
            reverse("processes:legal_add", args=[process.pk]),
            {"reference": reference.pk, "clause_note": "ข้อ ๑"},
        ),
        (
            "legal_new",
            "post",
            reverse("processes:legal_new", args=[process.pk]),
            {"text": "ระเบียบใหม่ทดสอบ พ.ศ. ๒๕๖๖", "kind": "regulation", "clause_note": ""},
        ),
        ("legal_new_form", "get", reverse("processes:legal_new", args=[process.pk]), {}),
        (
            "section_edit",
            "post",
            reverse("manuals:section_edit", args=[edition.pk, "preface"]),
            {"text": "คำนำใหม่", "version": edition.version},
        ),
    ]


def _new_step(process) -> dict:
    data = step_post(Step(process=process), label="ใหม่")
    del data["version"]
    return data
