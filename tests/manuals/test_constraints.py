import pytest
from django.db import IntegrityError, transaction

from manuals.models import Edition
from processes.models import Process
from tests.factories import (
    EditionFactory,
    FlowFactory,
    LaneFactory,
    ProcessFactory,
    StepFactory,
)

pytestmark = pytest.mark.django_db


def _violates(fn):
    with pytest.raises(IntegrityError), transaction.atomic():
        fn()


def test_one_open_edition_per_manual(draft):
    _violates(lambda: EditionFactory(manual=draft.manual, year_be=2570))
    # Published and draft may live side by side.
    Edition.objects.filter(pk=draft.pk).update(status="published", published_on="2021-01-01")
    EditionFactory(manual=draft.manual, year_be=2570)


def test_year_must_be_buddhist_era(draft):
    _violates(lambda: EditionFactory(manual__slug="x", year_be=2024))


def test_process_numbers_are_unique_per_parent(draft):
    process = ProcessFactory(mission__edition=draft, position=1)
    _violates(lambda: ProcessFactory(mission=process.mission, edition=draft, position=1))
    ProcessFactory(mission=process.mission, edition=draft, parent=process, position=1)
    _violates(
        lambda: ProcessFactory(mission=process.mission, edition=draft, parent=process, position=1)
    )


def test_step_positions_are_unique_per_process(draft):
    step = StepFactory(process__mission__edition=draft, position=1)
    _violates(lambda: StepFactory(process=step.process, position=1))


def test_lane_names_unique_per_edition(draft):
    LaneFactory(edition=draft, name="จพง.ธุรการ")
    _violates(lambda: LaneFactory(edition=draft, name="จพง.ธุรการ"))


def test_flow_cannot_point_to_itself(draft):
    step = StepFactory(process__mission__edition=draft)
    _violates(lambda: FlowFactory(source=step, target=step))


def test_process_number_follows_the_tree(draft):
    process = ProcessFactory(mission__edition=draft, mission__position=2, position=3)
    sub = ProcessFactory(mission=process.mission, edition=draft, parent=process, position=1)
    assert process.number == "2.3"
    assert Process.objects.get(pk=sub.pk).number == "2.3.1"


def test_step_stores_the_parsed_duration(draft):
    step = StepFactory(process__mission__edition=draft, duration_text="๑-๒ วัน")
    assert step.duration_kind == "length"
    assert (step.duration_low, step.duration_high, step.duration_unit) == (1, 2, "day")
    step.duration_text = "ลงนามเรียบร้อย abc"
    step.save()
    step.refresh_from_db()
    assert step.duration_text == "ลงนามเรียบร้อย abc"
    assert step.duration_parsed is False


def test_version_increases_on_each_save(draft):
    step = StepFactory(process__mission__edition=draft)
    assert step.version == 1
    step.save()
    step.refresh_from_db()
    assert step.version == 2
