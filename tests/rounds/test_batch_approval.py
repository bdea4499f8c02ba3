import datetime

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from manuals.models import Edition
from processes.models import Step
from reviews import services as review_services
from reviews.models import AuditEntry
from rounds import services
from rounds.models import Participation
from tests.rounds.conftest import MILESTONES

S = Edition.Status
LETTER = "กท 0303/1293"
LETTER_DATE = datetime.date(2024, 8, 25)


@pytest.fixture
def finals(people, manuals):
    """A round whose three drafts were submitted and compiled by ก.ก."""
    round = services.round_open(
        by=people["planner"], title="รอบ 2567", year_be=2567, scope=None, milestones=MILESTONES
    )
    out = []
    for p in round.participations.select_related("edition", "manual"):
        submitter = _editor_of(people, p.manual)
        review_services.edition_submit(edition=p.edition, by=submitter)
        out.append(services.participation_compile(participation=p, by=people["planner"]))
    return round, out


def _editor_of(people, manual):
    from manuals.models import Membership
    from tests.factories import UserFactory

    user = UserFactory(username=f"ed_{manual.slug}")
    Membership.objects.get_or_create(user=user, agency=manual.agency, role=Membership.Role.EDITOR)
    return user


def _approve(people, participations, **kw):
    return services.batch_approve(
        by=people["approver"],
        participations=participations,
        letter_number=kw.pop("letter_number", LETTER),
        letter_date=kw.pop("letter_date", LETTER_DATE),
        **kw,
    )


def test_one_letter_approves_every_compiled_final(people, finals):
    round, parts = finals
    previous = {p.manual_id: p.manual.editions.published().get() for p in parts}
    result = _approve(people, parts)
    assert len(result.editions) == 3
    for p in parts:
        edition = Edition.objects.get(pk=p.edition_id)
        assert edition.status == S.PUBLISHED
        assert edition.approval_letter_number == LETTER
        assert edition.approval_letter_date == LETTER_DATE
        assert edition.next_review_due.year == edition.published_on.year + 3
        approve = AuditEntry.objects.get(edition=edition, action=AuditEntry.Action.APPROVE)
        assert "กท ๐๓๐๓/๑๒๙๓" in approve.reason and "๒๕ สิงหาคม ๒๕๖๗" in approve.reason
        old = Edition.objects.get(pk=previous[p.manual_id].pk)
        assert old.status == S.SUPERSEDED


def test_a_change_after_compiling_stops_the_whole_batch(people, finals):
    round, parts = finals
    changed = parts[1]
    # A concurrent edit: the unit withdraws, edits a step and submits again after ก.ก. compiled.
    editor = _editor_of(people, changed.manual)
    review_services.edition_withdraw(edition=changed.edition, by=editor)
    step = Step.objects.filter(process__edition=changed.edition).first()
    step.detail = "แก้ไขหลังรวบรวม"
    step.save()
    review_services.edition_submit(edition=changed.edition, by=editor)
    with pytest.raises(services.BatchRefused) as refused:
        _approve(people, parts)
    assert len(refused.value.reasons) == 1
    assert "หลังจากรวบรวม" in refused.value.reasons[0]
    # nothing was approved, no letter written anywhere
    assert not Edition.objects.filter(status=S.APPROVED).exists()
    ids = [p.edition_id for p in parts]
    assert Edition.objects.filter(pk__in=ids, status=S.SUBMITTED).count() == 3
    assert not Edition.objects.exclude(approval_letter_number="").exists()
    # compiling again lets it through
    services.participation_compile(participation=changed, by=people["planner"])
    assert len(_approve(people, parts).editions) == 3


def test_open_comments_stop_the_batch_unless_waived(people, finals):
    round, parts = finals
    edition = parts[0].edition
    review_services.comment_add(target=edition, by=people["planner_root"], body="ยังขาดตัวชี้วัด")
    with pytest.raises(services.BatchRefused) as refused:
        _approve(people, parts)
    assert "ความเห็น" in refused.value.reasons[0]
    result = _approve(people, parts, waive_open_comments={edition.pk})
    assert len(result.editions) == 3
    approve = AuditEntry.objects.get(edition=edition, action=AuditEntry.Action.APPROVE)
    assert "ยกเว้นความเห็น" in approve.reason


def test_every_reason_is_listed(people, finals):
    round, parts = finals
    Participation.objects.filter(pk=parts[0].pk).update(compiled_fingerprint="")
    review_services.edition_request_changes(
        edition=parts[2].edition, by=people["planner_root"], reason="แก้ไขตาราง ๒"
    )
    with pytest.raises(services.BatchRefused) as refused:
        _approve(people, [Participation.objects.get(pk=p.pk) for p in parts])
    assert len(refused.value.reasons) == 2


def test_letter_number_and_date_are_required(people, finals):
    _round, parts = finals
    with pytest.raises(ValidationError) as err:
        _approve(people, parts, letter_number="  ", letter_date=None)
    assert set(err.value.message_dict) == {"letter_number", "letter_date"}
    with pytest.raises(ValidationError):
        _approve(people, parts, letter_date=datetime.date.today() + datetime.timedelta(days=3))
    assert not Edition.objects.filter(status=S.PUBLISHED, year_be=2567).exists()


def test_only_approvers_approve_batches(people, finals):
    _round, parts = finals
    for who in ("planner", "editor", "group_editor", "nobody"):
        with pytest.raises(PermissionDenied):
            services.batch_approve(
                by=people[who], participations=parts, letter_number=LETTER, letter_date=LETTER_DATE
            )


def test_four_eyes_stops_the_batch_when_the_approver_submitted_one(people, manuals):
    from manuals.models import Membership

    round = services.round_open(
        by=people["planner"], title="รอบ 2567", year_be=2567, scope=None, milestones=MILESTONES
    )
    parts = list(round.participations.select_related("edition", "manual"))
    approver = people["approver"]
    for index, p in enumerate(parts):
        submitter = _editor_of(people, p.manual)
        if index == 0:  # the approver is also an editor of this unit and submits its draft
            Membership.objects.get_or_create(
                user=approver, agency=p.manual.agency, role=Membership.Role.EDITOR
            )
            submitter = approver
        review_services.edition_submit(edition=p.edition, by=submitter)
        services.participation_compile(participation=p, by=people["planner"])
    parts = list(Participation.objects.filter(pk__in=[p.pk for p in parts]))
    with pytest.raises(services.BatchRefused) as exc:
        _approve(people, parts)
    assert any("หลักการตรวจสองชั้น" in reason for reason in exc.value.reasons)
    assert not Edition.objects.filter(pk__in=[p.edition_id for p in parts], status=S.PUBLISHED)
