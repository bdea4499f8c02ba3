import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction

from manuals.models import Edition
from reviews.models import AuditEntry
from rounds import services
from rounds.models import Participation, Round
from tests.rounds.conftest import MILESTONES, published_manual

S = Edition.Status


def _open(people, scope=None, **kw):
    return services.round_open(
        by=people["planner"],
        title="รอบการปรับปรุง พ.ศ. 2567",
        year_be=2567,
        scope=scope,
        milestones=MILESTONES,
        **kw,
    )


def test_opening_starts_every_draft_from_the_published_edition(people, manuals, bma):
    round = _open(people)  # the immediate backend runs the task inline
    round.refresh_from_db()
    assert round.opening == Round.Opening.DONE
    assert round.manuals_done == round.manuals_total == 3
    for manual in manuals.values():
        draft = manual.editions.open().get()
        published = manual.editions.published().get()
        assert draft.based_on == published
        assert draft.year_be == 2567
        assert draft.processes.count() == published.processes.count() == 1
        assert AuditEntry.objects.filter(
            edition=draft, action=AuditEntry.Action.START_REVISION, actor=people["planner"]
        ).exists()
        assert Participation.objects.get(manual=manual).edition == draft


def test_a_subtree_round_covers_only_that_subtree(people, manuals, bma):
    round = _open(people, scope=bma["bureau"])
    joined = set(round.participations.values_list("manual__slug", flat=True))
    assert joined == {"division", "bureau"}
    assert not manuals["finance"].editions.open().exists()


def test_a_subtree_round_includes_shared_manuals_adopted_inside_it(people, shared, bma):
    round = _open(people, scope=bma["d2"])
    assert list(round.participations.values_list("manual__slug", flat=True)) == [
        "district-registry"
    ]


def test_manuals_with_an_open_edition_are_skipped_and_listed(people, manuals):
    from manuals.services import edition_start_revision

    busy = edition_start_revision(manual=manuals["finance"], year_be=2566)
    never = published_manual(manuals["finance"].agency, "never")
    never.editions.update(status=S.DRAFT, published_on=None)
    round = _open(people)
    skipped = {
        p.manual.slug: p.skip_reason
        for p in round.participations.filter(state=Participation.State.SKIPPED)
    }
    assert set(skipped) == {"finance", "never"}
    assert "ฉบับร่าง" in skipped["finance"]
    # the open edition was not touched and no second draft was made
    assert list(manuals["finance"].editions.open()) == [busy]


def test_opening_twice_does_nothing_twice(people, manuals):
    round = _open(people)
    Round.objects.filter(pk=round.pk).update(opening=Round.Opening.RUNNING)
    services.round_run_opening(round_id=round.pk)
    assert Participation.objects.filter(round=round).count() == 3
    assert Edition.objects.open().count() == 3


def test_a_manual_joins_at_most_one_open_round(people, manuals):
    first = _open(people)
    # close the drafts of the first round by hand: the manual is still in an open round
    second = _open(people)
    assert second.participations.filter(state=Participation.State.JOINED).count() == 0
    reasons = set(second.participations.values_list("skip_reason", flat=True))
    assert reasons  # skipped: open edition / other round
    p = first.participations.first()
    with pytest.raises(IntegrityError), transaction.atomic():
        Participation.objects.create(
            round=second, manual=p.manual, state=Participation.State.JOINED, active=True
        )


def test_a_failing_manual_leaves_nothing_behind(people, manuals, monkeypatch):
    from rounds import services as svc

    real = svc.audit_record

    def failing(**kwargs):
        if kwargs["edition"].manual.slug == "bureau":
            raise ValidationError("boom")
        return real(**kwargs)

    monkeypatch.setattr(svc, "audit_record", failing)
    round = _open(people)
    round.refresh_from_db()
    assert round.opening == Round.Opening.FAILED
    assert "bureau" in round.error
    # all or nothing for that manual: no draft, no participation; the others joined
    assert not manuals["bureau"].editions.open().exists()
    assert not round.participations.filter(manual=manuals["bureau"]).exists()
    assert round.participations.filter(state=Participation.State.JOINED).count() == 2
    # the next run picks it up once the cause is gone
    monkeypatch.setattr(svc, "audit_record", real)
    services.round_run_opening(round_id=round.pk)
    assert round.participations.filter(state=Participation.State.JOINED).count() == 3


def test_only_planners_open_rounds(people, manuals):
    for who in ("editor", "approver", "kk_reviewer", "nobody"):
        with pytest.raises(PermissionDenied):
            services.round_open(
                by=people[who], title="x", year_be=2567, scope=None, milestones=MILESTONES
            )


def test_milestones_must_be_complete_and_in_order(people):
    bad = {**MILESTONES, "approval": MILESTONES["draft_due"]}
    with pytest.raises(ValidationError):
        _open_with(people, bad)
    with pytest.raises(ValidationError):
        _open_with(people, {k: v for k, v in MILESTONES.items() if k != "final_due"})
    assert not Round.objects.exists()


def _open_with(people, milestones):
    with transaction.atomic():
        return services.round_open(
            by=people["planner"], title="รอบ", year_be=2567, scope=None, milestones=milestones
        )


def test_closing_frees_manuals_for_the_next_round(people, manuals):
    first = _open(people)
    services.round_close(round=first, by=people["planner"])
    assert not Participation.objects.filter(active=True).exists()
