import datetime

import pytest
from django.core import mail
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone

from manuals.models import Edition
from manuals.permissions import can_edit
from reviews import services
from reviews.models import AuditEntry, Comment, Notification
from tests.factories import EditionFactory

S = Edition.Status


def _actions(edition):
    return list(
        AuditEntry.objects.filter(edition=edition).order_by("pk").values_list("action", flat=True)
    )


def test_full_cycle_submit_request_changes_resubmit_approve(
    draft, people, django_capture_on_commit_callbacks
):
    published = EditionFactory(
        manual=draft.manual,
        year_be=2564,
        status=S.PUBLISHED,
        published_on=datetime.date(2021, 8, 25),
    )
    with django_capture_on_commit_callbacks(execute=True):
        services.edition_submit(edition=draft, by=people["editor"])
    draft.refresh_from_db()
    assert draft.status == S.SUBMITTED
    assert Notification.objects.filter(
        recipient=people["reviewer"], verb="submitted", edition=draft
    ).exists()
    assert any("own_reviewer@example.org" in m.to for m in mail.outbox)
    # A submitted edition cannot be edited.
    assert not can_edit(people["editor"], draft)

    services.edition_request_changes(edition=draft, by=people["reviewer"], reason="แก้ขั้นตอนที่ ๑")
    draft.refresh_from_db()
    assert draft.status == S.CHANGES_REQUESTED
    assert can_edit(people["editor"], draft)
    assert Notification.objects.filter(
        recipient=people["editor"], verb="changes_requested"
    ).exists()

    services.edition_submit(edition=draft, by=people["editor"])
    services.edition_approve(edition=draft, by=people["approver"])
    draft.refresh_from_db()
    published.refresh_from_db()
    assert draft.status == S.PUBLISHED
    assert draft.published_on == timezone.localdate()
    assert published.status == S.SUPERSEDED
    assert _actions(draft) == ["submit", "request_changes", "submit", "approve", "publish"]
    assert _actions(published) == ["supersede"]
    entry = AuditEntry.objects.get(edition=draft, action="request_changes")
    assert (entry.actor, entry.reason, entry.from_status, entry.to_status) == (
        people["reviewer"],
        "แก้ขั้นตอนที่ ๑",
        S.SUBMITTED,
        S.CHANGES_REQUESTED,
    )
    assert Notification.objects.filter(recipient=people["editor"], verb="approved").exists()


def test_email_leaves_only_after_commit(draft, people, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        services.edition_submit(edition=draft, by=people["editor"])
    assert mail.outbox == []
    assert len(callbacks) == 1


@pytest.mark.parametrize(
    ("status", "move"),
    [
        (S.DRAFT, "withdraw"),
        (S.DRAFT, "request_changes"),
        (S.DRAFT, "approve"),
        (S.CHANGES_REQUESTED, "approve"),
        (S.CHANGES_REQUESTED, "withdraw"),
        (S.SUBMITTED, "submit"),
        (S.PUBLISHED, "submit"),
        (S.PUBLISHED, "approve"),
        (S.SUPERSEDED, "request_changes"),
    ],
)
def test_illegal_moves_are_refused_with_a_thai_message(draft, people, status, move):
    Edition.objects.filter(pk=draft.pk).update(
        status=status, published_on=datetime.date(2021, 1, 1)
    )
    draft.refresh_from_db()
    run = {
        "submit": lambda: services.edition_submit(edition=draft, by=people["admin"]),
        "withdraw": lambda: services.edition_withdraw(edition=draft, by=people["admin"]),
        "request_changes": lambda: services.edition_request_changes(
            edition=draft, by=people["admin"], reason="เหตุผล"
        ),
        "approve": lambda: services.edition_approve(edition=draft, by=people["admin"]),
    }[move]
    with pytest.raises(ValidationError) as excinfo:
        run()
    assert excinfo.value.code == "illegal_transition"
    assert "สถานะ" in excinfo.value.messages[0]
    draft.refresh_from_db()
    assert draft.status == status
    assert not AuditEntry.objects.filter(edition=draft).exists()


def test_request_changes_needs_a_reason(draft, people):
    services.edition_submit(edition=draft, by=people["editor"])
    with pytest.raises(ValidationError) as excinfo:
        services.edition_request_changes(edition=draft, by=people["reviewer"], reason="  ")
    assert "reason" in excinfo.value.message_dict
    draft.refresh_from_db()
    assert draft.status == S.SUBMITTED


def test_withdraw_goes_back_to_draft_and_is_editable(draft, people):
    services.edition_submit(edition=draft, by=people["editor"])
    services.edition_withdraw(edition=draft, by=people["editor"], reason="ลืมแก้คำนำ")
    draft.refresh_from_db()
    assert draft.status == S.DRAFT
    assert can_edit(people["editor"], draft)
    assert _actions(draft) == ["submit", "withdraw"]


def test_submitting_with_open_comments_asks_for_confirmation(draft, people):
    services.comment_add(target=draft, by=people["reviewer"], body="โปรดทบทวนคำนำ")
    with pytest.raises(services.OpenCommentsError) as excinfo:
        services.edition_submit(edition=draft, by=people["editor"])
    assert excinfo.value.count == 1
    assert "๑" in excinfo.value.messages[0]
    draft.refresh_from_db()
    assert draft.status == S.DRAFT
    services.edition_submit(edition=draft, by=people["editor"], confirm_open_comments=True)
    draft.refresh_from_db()
    assert draft.status == S.SUBMITTED


def test_at_most_one_edition_per_manual_in_review(draft):
    with pytest.raises(IntegrityError), transaction.atomic():
        EditionFactory(manual=draft.manual, status=S.SUBMITTED, year_be=2570)


def test_new_revision_deep_copies_the_published_edition_with_audit(draft, people):
    services.edition_submit(edition=draft, by=people["editor"])
    services.edition_approve(edition=draft, by=people["approver"])
    revision = services.edition_new_revision(manual=draft.manual, by=people["editor"], year_be=2570)
    assert revision.status == S.DRAFT
    assert revision.based_on == draft
    assert revision.processes.count() == 1
    assert set(revision.processes.values_list("lineage", flat=True)) == set(
        draft.processes.values_list("lineage", flat=True)
    )
    entry = AuditEntry.objects.get(edition=revision)
    assert (entry.action, entry.actor, entry.to_status) == (
        "start_revision",
        people["editor"],
        S.DRAFT,
    )
    with pytest.raises(ValidationError):
        services.edition_new_revision(manual=draft.manual, by=people["editor"])
    with pytest.raises(PermissionDenied):
        services.edition_new_revision(manual=draft.manual, by=people["reviewer"])


def test_comments_reply_resolve_reopen_are_audited(draft, people):
    step = draft.processes.get().steps.get(position=1)
    comment = services.comment_add(target=step, by=people["reviewer"], body="ระบุระยะเวลาให้ชัด")
    assert comment.target == Comment.Target.STEP
    assert comment.target_lineage == step.lineage
    assert comment.process == step.process
    assert "ขั้นตอนที่ ๑" in comment.target_label
    reply = services.comment_reply(comment=comment, by=people["editor"], body="แก้แล้ว")
    assert reply.parent == comment
    # A reply to a reply joins the same thread.
    assert (
        services.comment_reply(comment=reply, by=people["reviewer"], body="ขอบคุณ").parent == comment
    )
    services.comment_resolve(comment=comment, by=people["editor"])
    comment.refresh_from_db()
    assert (comment.status, comment.resolved_by) == (Comment.Status.RESOLVED, people["editor"])
    assert comment.resolved_at is not None
    with pytest.raises(ValidationError):
        services.comment_resolve(comment=comment, by=people["editor"])
    services.comment_reopen(comment=comment, by=people["reviewer"])
    comment.refresh_from_db()
    assert comment.status == Comment.Status.OPEN and comment.resolved_by is None
    assert _actions(draft) == ["comment", "reply", "reply", "resolve", "reopen"]


def test_comment_keeps_lineage_when_the_step_is_deleted(draft, people):
    step = draft.processes.get().steps.get(position=2)
    lineage = step.lineage
    comment = services.comment_add(target=step, by=people["reviewer"], body="ขั้นตอนนี้ซ้ำ")
    step.delete()
    comment.refresh_from_db()
    assert comment.step is None
    assert comment.target_lineage == lineage
    assert "ขั้นตอนที่ ๒" in comment.target_label


def test_comments_refused_on_published_edition_and_when_empty(draft, people):
    with pytest.raises(ValidationError):
        services.comment_add(target=draft, by=people["reviewer"], body="   ")
    services.edition_submit(edition=draft, by=people["editor"])
    services.edition_approve(edition=draft, by=people["approver"])
    with pytest.raises(ValidationError) as excinfo:
        services.comment_add(target=draft, by=people["reviewer"], body="ช้าไป")
    assert excinfo.value.code == "edition_frozen"


def test_comments_need_a_role_over_the_manual(draft, people):
    with pytest.raises(PermissionDenied):
        services.comment_add(target=draft, by=people["other_editor"], body="ไม่ใช่หน่วยงานฉัน")
    with pytest.raises(PermissionDenied):
        services.comment_add(target=draft, by=people["nobody"], body="ผู้ใช้ทั่วไป")


def test_notifications_are_written_in_thai_whatever_the_actors_language(db):
    from django.utils import translation

    from manuals.models import Membership
    from reviews.models import Notification
    from reviews.services import edition_submit
    from tests.factories import EditionFactory, MembershipFactory

    edition = EditionFactory()
    editor = MembershipFactory(agency=edition.manual.agency, role=Membership.Role.EDITOR).user
    MembershipFactory(agency=edition.manual.agency, role=Membership.Role.REVIEWER)
    with translation.override("en"):
        edition_submit(edition=edition, by=editor)
    message = Notification.objects.get(edition=edition).message
    assert "ส่ง" in message and "ให้ตรวจสอบ" in message


def test_submit_tells_the_approvers_of_the_agency_tree(draft, people, tree):
    from manuals.models import Membership
    from tests.reviews.conftest import member

    bureau, _own, _other = tree
    above = member(bureau, Membership.Role.APPROVER, "bureau_approver")
    services.edition_submit(edition=draft, by=people["editor"])
    told = set(
        Notification.objects.filter(edition=draft, verb="submitted").values_list(
            "recipient__username", flat=True
        )
    )
    assert {"own_approver", "bureau_approver", "own_reviewer"} <= told
    assert "other_approver" not in told
    assert Notification.objects.filter(recipient=above, edition=draft).count() == 1
