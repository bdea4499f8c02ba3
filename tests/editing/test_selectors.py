import pytest

from processes.selectors import edition_health, process_tree
from tests.factories import IndicatorFactory, LaneFactory, ProcessFactory, StepFactory

pytestmark = pytest.mark.django_db


def test_health_lists_real_gaps_only(draft):
    lane = LaneFactory(edition=draft)
    process = ProcessFactory(mission__edition=draft)
    IndicatorFactory(process=process)
    sub = ProcessFactory(mission=process.mission, edition=draft, parent=process, position=1)
    StepFactory(process=process, position=1, shape="start", duration_text="", lane=None)
    untimed = StepFactory(process=process, position=2, duration_text="", lane=lane)
    nobody = StepFactory(process=process, position=3, duration_text="๑ วัน", lane=None)
    StepFactory(process=process, position=4, shape="document", duration_text="", lane=lane)
    garbled = StepFactory(process=sub, position=1, duration_text="ลงนามเรียบร้อย abc", lane=lane)

    health = edition_health(edition=draft, tree=process_tree(edition=draft))

    assert [s.pk for s in health.steps_without_duration] == [untimed.pk]
    assert [s.pk for s in health.steps_without_actor] == [nobody.pk]
    assert [s.pk for s in health.unparsed_durations] == [garbled.pk]
    # The process has an indicator; its sub-process shares the parent's Table 2.
    assert health.processes_without_indicators == []
    other = ProcessFactory(mission=process.mission, edition=draft, position=9)
    health = edition_health(edition=draft, tree=process_tree(edition=draft))
    assert [p.pk for p in health.processes_without_indicators] == [other.pk]
