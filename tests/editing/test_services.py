import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from manuals import services as manual_services
from manuals.models import Definition, Lane, LegalReference
from manuals.services import StaleDataError
from processes import services
from processes.models import Flow, Process, Stakeholder, Step
from tests.factories import DefinitionFactory, ProcessFactory, StepFactory


def positions(process):
    return list(
        Step.objects.filter(process=process).order_by("position").values_list("label", "position")
    )


def test_step_update_changes_columns_and_bumps_version(world):
    step = world.steps[0]
    updated = services.step_update(
        step=step,
        by=world.users["editor"],
        data={"duration_text": "๑-๒ วัน", "detail": "ตรวจสอบเอกสาร", "forms": [world.form]},
        expected_version=step.version,
    )
    assert updated.version == step.version + 1
    assert updated.duration_text == "๑-๒ วัน" and updated.duration_parsed
    assert list(updated.forms.all()) == [world.form]
    assert updated.history.first().history_user == world.users["editor"]


def test_step_update_refuses_stale_version(world):
    step = world.steps[0]
    services.step_update(
        step=step, by=world.users["editor"], data={"detail": "ก"}, expected_version=1
    )
    with pytest.raises(StaleDataError) as exc:
        services.step_update(
            step=step, by=world.users["editor"], data={"detail": "ข"}, expected_version=1
        )
    assert exc.value.current.detail == "ก"
    assert Step.objects.get(pk=step.pk).detail == "ก"


def test_step_update_creates_a_lane_on_the_spot(world):
    step = services.step_update(
        step=world.steps[0],
        by=world.users["editor"],
        data={"new_lane": "  หัวหน้าฝ่าย  บริหาร "},
        expected_version=1,
    )
    assert step.lane.name == "หัวหน้าฝ่าย บริหาร"
    assert step.lane.edition == world.draft
    assert step.lane.position == 3


def test_step_insert_between_shifts_later_steps(world):
    new = services.step_insert(
        process=world.process, by=world.users["editor"], after=world.steps[0], data={"label": "ใหม่"}
    )
    assert new.position == 2
    assert positions(world.process) == [("ขั้นที่ 1", 1), ("ใหม่", 2), ("ขั้นที่ 2", 3), ("ขั้นที่ 3", 4)]


def test_step_insert_at_end(world):
    new = services.step_insert(
        process=world.process, by=world.users["editor"], data={"label": "ท้าย"}
    )
    assert new.position == 4


def test_step_move_and_delete_repack(world):
    editor = world.users["editor"]
    services.step_move(step=world.steps[2], by=editor, to_position=1)
    assert positions(world.process) == [("ขั้นที่ 3", 1), ("ขั้นที่ 1", 2), ("ขั้นที่ 2", 3)]
    services.step_delete(step=world.steps[0], by=editor)
    assert positions(world.process) == [("ขั้นที่ 3", 1), ("ขั้นที่ 2", 2)]
    with pytest.raises(ValidationError):
        services.step_move(step=world.steps[1], by=editor, to_position=9)


def test_flow_back_to_an_earlier_step(world):
    flow = services.flow_add(
        source=world.steps[2], by=world.users["editor"], target=world.steps[0], label="แก้ไข"
    )
    assert flow.target == world.steps[0]
    with pytest.raises(ValidationError):
        services.flow_add(
            source=world.steps[2], by=world.users["editor"], target=world.other_steps[0]
        )
    services.flow_delete(flow=flow, by=world.users["editor"])
    assert not Flow.objects.filter(pk=flow.pk).exists()


def test_process_tree_moves_renumber(world):
    editor = world.users["editor"]
    mission = world.process.mission
    second = services.process_create(mission=mission, by=editor, name="สอง")
    third = services.process_create(mission=mission, by=editor, name="สาม")
    assert (second.position, third.position) == (2, 3)
    services.process_move(process=third, by=editor, direction="up")
    assert Process.objects.get(pk=third.pk).position == 2
    moved = services.process_move(process=third, by=editor, direction="in")
    assert moved.parent_id == world.process.pk and moved.position == 1
    assert Process.objects.get(pk=second.pk).position == 2
    out = services.process_move(process=third, by=editor, direction="out")
    assert out.parent_id is None and out.position == 2
    assert Process.objects.get(pk=second.pk).position == 3
    services.process_delete(process=out, by=editor)
    assert Process.objects.get(pk=second.pk).position == 2


def test_lane_merge_moves_steps(world):
    keep, remove = world.lanes
    world.steps[0].other_lanes.add(remove)
    merged = services.lane_merge(keep=keep, remove=remove, by=world.users["editor"])
    assert not Lane.objects.filter(pk=remove.pk).exists()
    assert set(Step.objects.filter(process=world.process).values_list("lane_id", flat=True)) == {
        merged.pk
    }
    assert merged.position == 1


def test_content_rows_create_update_move_delete(world):
    editor = world.users["editor"]
    first = DefinitionFactory(edition=world.draft, position=1, term="ก")
    second = manual_services.content_row_create(
        model=Definition,
        by=editor,
        parent={"edition": world.draft},
        data={"term": "ข", "meaning": "x"},
    )
    assert second.position == 2
    manual_services.content_row_move(row=second, by=editor, direction="up")
    assert Definition.objects.get(pk=second.pk).position == 1
    updated = manual_services.content_row_update(
        row=first, by=editor, data={"meaning": "ใหม่"}, expected_version=first.version
    )
    assert updated.meaning == "ใหม่"
    manual_services.content_row_delete(row=second, by=editor)
    assert Definition.objects.get(pk=first.pk).position == 1


def test_stakeholder_kind_change_moves_to_end_of_the_other_list(world):
    row = Stakeholder.objects.get(process=world.process)
    updated = manual_services.content_row_update(
        row=row,
        by=world.users["editor"],
        data={"kind": "stakeholder"},
        expected_version=row.version,
    )
    assert updated.kind == "stakeholder" and updated.position == 1


def test_legal_reference_dedupes_by_normalised_title(world):
    editor = world.users["editor"]
    existing = LegalReference.objects.create(
        kind="regulation", title="ระเบียบสำนักนายกรัฐมนตรีว่าด้วยงานสารบรรณ", year_be=2526
    )
    found = manual_services.legal_reference_get_or_create(
        text="ระเบียบสำนักนายกรัฐมนตรี ว่าด้วยงานสารบรรณ พ.ศ. ๒๕๒๖ และที่แก้ไขเพิ่มเติม",
        kind="regulation",
        by=editor,
        process=world.process,
    )
    assert found == existing
    new = manual_services.legal_reference_get_or_create(
        text="ข้อบัญญัติกรุงเทพมหานคร เรื่อง ทดสอบ พ.ศ. ๒๕๖๕",
        kind="ordinance",
        by=editor,
        process=world.process,
    )
    assert new.year_be == 2565 and new.pk != existing.pk
    services.legal_requirement_add(process=world.process, by=editor, reference=new)
    with pytest.raises(ValidationError):
        services.legal_requirement_add(process=world.process, by=editor, reference=new)


@pytest.mark.parametrize("who", ["other_editor", "reviewer", "approver"])
def test_services_refuse_everyone_but_own_editors(world, who):
    user = world.users[who]
    with pytest.raises(PermissionDenied):
        services.step_update(step=world.steps[0], by=user, data={"detail": "x"}, expected_version=1)
    with pytest.raises(PermissionDenied):
        services.step_insert(process=world.process, by=user)
    with pytest.raises(PermissionDenied):
        services.process_delete(process=world.process, by=user)
    assert Step.objects.get(pk=world.steps[0].pk).detail != "x"


def test_nobody_changes_a_published_edition(world):
    import datetime

    from manuals.models import Edition
    from tests.factories import EditionFactory, ManualFactory

    edition = EditionFactory(manual=ManualFactory(agency=world.own_child))
    process = ProcessFactory(mission__edition=edition)
    step = StepFactory(process=process, position=1)
    Edition.objects.filter(pk=edition.pk).update(
        status=Edition.Status.PUBLISHED, published_on=datetime.date(2021, 9, 30)
    )
    step, process = Step.objects.get(pk=step.pk), Process.objects.get(pk=process.pk)
    for user in (world.users["editor"], world.users["admin"]):
        with pytest.raises(PermissionDenied):
            services.step_update(step=step, by=user, data={"detail": "x"}, expected_version=1)
        with pytest.raises(PermissionDenied):
            services.step_insert(process=process, by=user)


def test_insert_between_explicitly_joined_steps_routes_the_arrow_through_the_new_step(world):
    first, second = world.steps[0], world.steps[1]
    Flow.objects.create(source=first, target=second, position=1)
    new = services.step_insert(process=world.process, by=world.users["editor"], after=first)
    assert list(Flow.objects.filter(source=first).values_list("target_id", flat=True)) == [new.pk]
    assert list(Flow.objects.filter(source=new).values_list("target_id", flat=True)) == [second.pk]
