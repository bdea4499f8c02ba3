import pytest

from tests.factories import (
    EditionFactory,
    LaneFactory,
    ProcessFactory,
    StepFactory,
)


@pytest.fixture
def draft(db):
    return EditionFactory()


@pytest.fixture
def full_edition(db):
    """A draft edition with one row in every edition table (used by copy/freeze tests)."""
    return build_full_edition()


def build_full_edition():
    from tests.factories import (
        AbbreviationFactory,
        DefinitionFactory,
        FlowFactory,
        FormFactory,
        IndicatorFactory,
        LegalRequirementFactory,
        RequirementFactory,
        ResponsibilityFactory,
        StakeholderFactory,
    )

    edition = EditionFactory()
    lane = LaneFactory(edition=edition)
    other_lane = LaneFactory(edition=edition)
    form = FormFactory(edition=edition)
    DefinitionFactory(edition=edition)
    AbbreviationFactory(edition=edition)
    ResponsibilityFactory(edition=edition)
    process = ProcessFactory(mission__edition=edition)
    sub = ProcessFactory(
        mission=process.mission, edition=edition, parent=process, position=1, name="กระบวนการย่อย"
    )
    StakeholderFactory(process=process)
    RequirementFactory(process=process)
    IndicatorFactory(process=process)
    LegalRequirementFactory(process=process)
    first = StepFactory(process=process, position=1, lane=lane)
    second = StepFactory(process=process, position=2, lane=other_lane, shape="decision")
    first.other_lanes.add(other_lane)
    first.forms.add(form)
    FlowFactory(source=second, target=first, label="ไม่อนุมัติ")
    StepFactory(process=sub, position=1, lane=lane)
    from imports.models import UnplacedText

    UnplacedText.objects.create(
        edition=edition, process=process, text="ข้อความที่นำเข้าแต่ยังไม่ได้จัดลงช่อง", page=3, line=4
    )
    return edition


def pytest_report_header(config):
    from django.conf import settings

    return f"database: {settings.DATABASES['default']['ENGINE']}"
