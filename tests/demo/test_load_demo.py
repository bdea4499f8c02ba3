from io import StringIO

import pytest
from django.contrib.auth import authenticate
from django.core.management import call_command

from manuals.legal import normalise_title
from manuals.models import Edition, LegalReference, Manual
from processes.models import Flow, Process, Step

pytestmark = pytest.mark.django_db


@pytest.fixture
def demo():
    call_command("load_demo", stdout=open("/dev/null", "w"))  # noqa: SIM115
    return Manual.objects.get(slug="kpp-spsc")


def test_demo_is_the_published_2564_edition_with_a_2567_draft(demo):
    published = demo.editions.get(status=Edition.Status.PUBLISHED)
    assert published.year_be == 2564
    assert published.label == "ฉบับปรับปรุง พ.ศ. ๒๕๖๔"
    assert published.preface and published.executive_summary and published.objectives
    draft = demo.editions.get(status=Edition.Status.DRAFT)
    assert draft.year_be == 2567
    assert draft.processes.count() == published.processes.count()
    assert demo.agency.name == "กองนโยบายและแผนงาน"
    assert demo.agency.parent.name == "สำนักพัฒนาสังคม"
    assert demo.agency.parent.children.count() >= 5


def test_required_processes_are_complete(demo):
    edition = demo.editions.get(status=Edition.Status.PUBLISHED)
    processes = {p.number: p for p in Process.objects.filter(edition=edition)}
    for number in ["1.1", "1.2", "1.3", "1.4", "1.5", "1.6", "1.7", "2.1", "2.2", "2.3"]:
        process = processes[number]
        steps = list(process.steps.all())
        assert len(steps) >= 3, number
        assert steps[0].shape == Step.Shape.START and steps[-1].shape == Step.Shape.END
        work = [s for s in steps if s.shape not in (Step.Shape.START, Step.Shape.END)]
        assert all(s.lane_id for s in work), number
        assert process.scope_text and process.responsible_unit, number
    # Sub-processes of ๑.๑ and ๑.๒ from Table 5.
    assert {"1.1.1", "1.1.2", "1.2.1"} <= set(processes)
    # Decision branches, including loops back, are there.
    decisions = Step.objects.filter(process__edition=edition, shape=Step.Shape.DECISION)
    assert decisions.count() >= 5
    labels = set(Flow.objects.filter(source__in=decisions).values_list("label", flat=True))
    assert {"อนุมัติ", "ไม่อนุมัติ"} <= labels
    backwards = [
        f
        for f in Flow.objects.filter(source__in=decisions).select_related("source", "target")
        if f.target.position < f.source.position
    ]
    assert backwards


def test_ocr_errors_are_fixed_and_laws_deduplicated(demo):
    names = set(demo.editions.first().lanes.values_list("name", flat=True))
    assert "จพง.ธุรการ" in names
    assert not any("รุกรการ" in n or "ชุรการ" in n for n in names)
    keys = [normalise_title(t) for t in LegalReference.objects.values_list("title", flat=True)]
    assert len(keys) == len(set(keys))
    saraban = LegalReference.objects.get(title__contains="ว่าด้วยงานสารบรรณ", year_be=2526)
    assert saraban.citation.endswith("พ.ศ. ๒๕๒๖ และที่แก้ไขเพิ่มเติม")


def test_durations_of_the_demo_parse(demo):
    steps = Step.objects.filter(process__edition__manual=demo).exclude(duration_text="")
    assert steps.count() > 100
    assert steps.filter(duration_parsed=False).count() / steps.count() < 0.05


def test_load_demo_twice_changes_nothing(demo):
    counts = (Edition.objects.count(), Step.objects.count(), LegalReference.objects.count())
    call_command("load_demo", stdout=open("/dev/null", "w"))  # noqa: SIM115
    assert (Edition.objects.count(), Step.objects.count(), LegalReference.objects.count()) == counts


def test_demo_users_can_sign_in(demo):
    for username in ["editor", "reviewer", "approver", "admin"]:
        assert authenticate(username=username, password="demo-pass-123") is not None


def test_the_round_follows_the_flag_then_the_setting(monkeypatch, settings):
    """The round's 50 districts are slow to load: the browser test loads them for real."""
    from demo.management.commands import load_demo as command

    calls = []

    def fake_round(*, demo):
        calls.append(demo.manual.slug)
        return [("district_a", "pw", "ผู้ตรวจสอบ")]

    monkeypatch.setattr(command, "load_round_demo", fake_round)
    cases = [
        ((), False, False),
        ((), True, True),
        (("--round",), False, True),
        (("--no-round",), True, False),
    ]
    for args, setting, loads_round in cases:
        calls.clear()
        settings.DEMO_ROUND = setting
        out = StringIO()
        call_command("load_demo", *args, stdout=out)
        assert calls == (["kpp-spsc"] if loads_round else []), (args, setting)
        assert ("district_a" in out.getvalue()) is loads_round, (args, setting)


def test_the_demo_is_the_whole_manual(demo):
    """All of seed 000: the curated ๑.๑–๒.๓ and the imported rest (issue 12)."""
    edition = demo.editions.get(status=Edition.Status.PUBLISHED)
    processes = Process.objects.filter(edition=edition)
    assert processes.filter(parent__isnull=True).count() == 15
    assert processes.filter(parent__isnull=False).count() == 36
    numbers = {p.number for p in processes}
    assert {"1.4.3", "1.4.6", "1.5.8", "3.1", "3.2", "4.1.4.2", "4.3.6"} <= numbers
    assert Step.objects.filter(process__edition=edition).count() >= 400
    names = set(edition.lanes.values_list("name", flat=True))
    assert "สยป." in names and "สยบ." not in names
