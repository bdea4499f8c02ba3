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


@pytest.fixture(scope="module")
def demo_loaded(django_db_setup, django_db_blocker):
    """The demo manual loaded once for a test module, as Django's ``setUpTestData`` does: in a
    transaction held open while the module runs, each test in a savepoint inside it (rolled
    back after the test), the whole rolled back after the module. Loading the demo takes
    seconds; a module of twenty tests that each load it spent a minute on that alone."""
    import os

    from django.core.management import call_command
    from django.db import transaction

    with django_db_blocker.unblock():
        outer = transaction.atomic()
        outer.__enter__()
        try:
            call_command("load_demo", stdout=open(os.devnull, "w"))  # noqa: SIM115
        except BaseException:
            transaction.set_rollback(True)
            outer.__exit__(None, None, None)
            raise
    yield
    with django_db_blocker.unblock():
        transaction.set_rollback(True)
        outer.__exit__(None, None, None)


@pytest.fixture
def demo_manual(demo_loaded, db):
    """The demo manual kpp-spsc (published 2564 edition, 2567 draft), its demo users."""
    from manuals.models import Manual

    return Manual.objects.get(slug="kpp-spsc")
