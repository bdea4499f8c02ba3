"""Writes of the rounds app: open a round, start its drafts, compile finals, approve a batch,
record progress and send the round's reminders.

Each manual joins a round in its own transaction (all of it or none of it), and the opening can
run again without doing anything twice. A batch approval is one transaction: any edition that
cannot be approved stops the whole batch, with the list of reasons.
"""

from __future__ import annotations

import datetime
import hashlib
import logging
from dataclasses import dataclass

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from django_tasks import task

from core.text import clean_user_text
from core.thai import format_thai_date, thai_digits
from manuals.models import Agency, Edition, Manual
from manuals.permissions import require
from manuals.services import edition_start_revision
from reviews.four_eyes import approval_conflict
from reviews.models import AuditEntry, Comment, Notification
from reviews.notifications import notify, unit_editors
from reviews.services import audit_record, edition_approve, recorded_in_thai
from rounds import selectors
from rounds.models import (
    AdopterPdf,
    Milestone,
    Participation,
    ProgressReport,
    ProgressSnapshot,
    Round,
    RoundNotice,
)

logger = logging.getLogger(__name__)
S = Edition.Status
MILESTONE_ORDER = [
    Milestone.Kind.DRAFT_DUE,
    Milestone.Kind.REVIEW_DUE,
    Milestone.Kind.FINAL_DUE,
    Milestone.Kind.APPROVAL,
]


# --- opening a round -------------------------------------------------------------------------


@transaction.atomic
def round_open(
    *,
    by,
    title: str,
    year_be: int,
    scope: Agency | None,
    milestones: dict[str, datetime.date],
    enqueue: bool = True,
) -> Round:
    """Lets a planner open a round over all agencies or one subtree; its drafts start in the
    background (``rounds.tasks.open_round``)."""
    require(by, "rounds.plan_round")
    title = clean_user_text(title or "", multiline=False)
    if not title:
        raise ValidationError({"title": _("กรุณาตั้งชื่อรอบการปรับปรุง")})
    missing = [k for k in MILESTONE_ORDER if not milestones.get(k)]
    if missing:
        raise ValidationError(_("กรุณากำหนดวันที่ของทุกขั้นตอนของรอบ"), code="milestones")
    dates = [milestones[k] for k in MILESTONE_ORDER]
    if dates != sorted(dates):
        raise ValidationError(
            _("กำหนดการต้องเรียงตามลำดับ: ส่งร่าง → ตรวจสอบ → ฉบับสมบูรณ์ → อนุมัติ"), code="order"
        )
    round = Round(title=title, year_be=year_be, scope=scope, opened_by=by)
    round.full_clean()
    round.save()
    for kind in MILESTONE_ORDER:
        Milestone.objects.create(round=round, kind=kind, due_on=milestones[kind])
    round.manuals_total = selectors.manuals_in_scope(scope=scope).count()
    round.save(update_fields=["manuals_total"])
    if enqueue:
        try:
            open_round.enqueue(round.pk)
        except Exception as exc:  # the queue is down: say so, the round stays and can resume
            logger.exception("could not queue the opening of round %s", round.pk)
            Round.objects.filter(pk=round.pk).update(
                opening=Round.Opening.FAILED, error=str(exc)[:500]
            )
    return round


def _skip(round: Round, manual: Manual, reason: str) -> Participation:
    return Participation.objects.create(
        round=round, manual=manual, state=Participation.State.SKIPPED, skip_reason=reason
    )


@transaction.atomic
@recorded_in_thai
def participation_open(*, round: Round, manual: Manual) -> Participation:
    """Bring one manual into the round: its next draft from the published edition, or a
    skipped row saying why (an open edition, another open round, nothing published)."""
    manual = Manual.objects.select_for_update().get(pk=manual.pk)
    existing = Participation.objects.filter(round=round, manual=manual).first()
    if existing is not None:
        return existing
    if Participation.objects.filter(manual=manual, active=True).exists():
        return _skip(round, manual, _("อยู่ในรอบการปรับปรุงอื่นที่ยังเปิดอยู่"))
    open_edition = manual.editions.open().first()
    if open_edition is not None:
        return _skip(
            round,
            manual,
            _("มีฉบับที่ยังไม่เผยแพร่อยู่แล้ว (%(status)s)") % {"status": open_edition.get_status_display()},
        )
    if not manual.editions.published().exists():
        return _skip(round, manual, _("ยังไม่มีฉบับที่เผยแพร่ให้ปรับปรุง"))
    draft = edition_start_revision(manual=manual, year_be=round.year_be, by=round.opened_by)
    audit_record(
        edition=draft,
        action=AuditEntry.Action.START_REVISION,
        by=round.opened_by,
        to_status=draft.status,
        reason=str(round),
    )
    participation = Participation(
        round=round, manual=manual, state=Participation.State.JOINED, edition=draft, active=True
    )
    participation.full_clean(validate_constraints=False)
    participation.save()
    return participation


def round_run_opening(*, round_id: int) -> Round:
    """Start the draft of every manual in the round's scope, reporting progress as it goes.

    Runs again safely: manuals already in the round are left as they are."""
    round = Round.objects.select_related("scope", "opened_by").get(pk=round_id)
    if round.opening == Round.Opening.DONE or not round.is_open:
        return round
    manuals = list(selectors.manuals_in_scope(scope=round.scope))
    done_ids = set(round.participations.values_list("manual_id", flat=True))
    Round.objects.filter(pk=round.pk).update(
        opening=Round.Opening.RUNNING, manuals_total=len(manuals), manuals_done=len(done_ids)
    )
    errors = []
    done = len(done_ids)
    for manual in manuals:
        if manual.pk in done_ids:
            continue
        try:
            participation_open(round=round, manual=manual)
        except (ValidationError, IntegrityError) as exc:
            # That manual stays out (its transaction rolled back); the others go on.
            errors.append(f"{manual.slug}: {' '.join(getattr(exc, 'messages', [str(exc)]))}")
        done += 1
        Round.objects.filter(pk=round.pk).update(manuals_done=done)
    Round.objects.filter(pk=round.pk).update(
        opening=Round.Opening.DONE if not errors else Round.Opening.FAILED,
        error="\n".join(errors)[:5000],
    )
    round.refresh_from_db()
    return round


@transaction.atomic
def round_close(*, round: Round, by) -> Round:
    """Close a round: its manuals are free to join the next one."""
    require(by, "rounds.plan_round")
    round = Round.objects.select_for_update().get(pk=round.pk)
    round.status = Round.Status.CLOSED
    round.save(update_fields=["status"])
    round.participations.update(active=False)
    return round


# --- compiling and batch approval ------------------------------------------------------------


@transaction.atomic
def participation_compile(*, participation: Participation, by) -> Participation:
    """ก.ก. takes a submitted edition as the final of the round: its content is fingerprinted,
    and the batch approval refuses it if anything changes afterwards."""
    require(by, "rounds.plan_round")
    participation = Participation.objects.select_for_update().get(pk=participation.pk)
    edition = Edition.objects.select_for_update().get(pk=participation.edition_id)
    if edition.status != S.SUBMITTED:
        raise ValidationError(
            _("รวบรวมได้เฉพาะฉบับที่ส่งตรวจสอบแล้ว ฉบับนี้มีสถานะ “%(status)s”")
            % {"status": edition.get_status_display()},
            code="not_submitted",
        )
    participation.compiled_fingerprint = selectors.edition_fingerprint(edition=edition)
    participation.compiled_at = timezone.now()
    participation.compiled_by = by
    participation.save(update_fields=["compiled_fingerprint", "compiled_at", "compiled_by"])
    return participation


class BatchRefused(ValidationError):
    """One or more editions of a batch cannot be approved; nothing was approved."""

    def __init__(self, reasons: list[str]):
        self.reasons = reasons
        super().__init__(reasons, code="batch_refused")


@dataclass
class BatchResult:
    editions: list[Edition]
    letter_number: str
    letter_date: datetime.date


def _letter_text(number: str, date: datetime.date) -> str:
    return thai_digits(
        _("หนังสือที่ %(number)s ลงวันที่ %(date)s") % {"number": number, "date": format_thai_date(date)}
    )


@transaction.atomic
@recorded_in_thai
def batch_approve(
    *,
    by,
    participations: list[Participation],
    letter_number: str,
    letter_date: datetime.date | None,
    waive_open_comments: set[int] | frozenset = frozenset(),
) -> BatchResult:
    """Lets an approver approve many compiled finals in one act, by one official letter.

    All or nothing: an edition not submitted, not compiled, changed since it was compiled, or
    with open comments the approver did not waive (``waive_open_comments``: edition ids)
    refuses the whole batch (``BatchRefused`` lists every reason). Each approved edition is
    published through ``reviews.services.edition_approve`` with the letter on it and in its
    audit trail; its previous edition is superseded, its next review due three years on.
    """
    require(by, "rounds.batch_approve")
    letter_number = clean_user_text(letter_number or "", multiline=False)
    errors = {}
    if not letter_number:
        errors["letter_number"] = _("กรุณากรอกเลขที่หนังสืออนุมัติ")
    if letter_date is None:
        errors["letter_date"] = _("กรุณากรอกวันที่ของหนังสืออนุมัติ")
    elif letter_date > timezone.localdate():
        errors["letter_date"] = _("วันที่ของหนังสืออนุมัติต้องไม่เป็นวันในอนาคต")
    if not participations:
        errors["participations"] = _("กรุณาเลือกคู่มืออย่างน้อยหนึ่งฉบับ")
    if errors:
        raise ValidationError(errors)

    # Lock every participation and edition first, in pk order (no deadlock with another batch);
    # a concurrent edit either finished before (and changes the fingerprint) or waits.
    ids = sorted({p.pk for p in participations})
    locked = list(Participation.objects.select_for_update().filter(pk__in=ids).order_by("pk"))
    editions = {
        e.pk: e
        for e in Edition.objects.select_for_update()
        .select_related("manual__agency")
        .filter(pk__in=[p.edition_id for p in locked if p.edition_id])
        .order_by("pk")
    }
    reasons = []
    for p in locked:
        edition = editions.get(p.edition_id)
        name = thai_digits(str(edition or p.manual))
        if edition is None:
            reasons.append(_("%(name)s: ไม่มีฉบับในรอบนี้") % {"name": name})
            continue
        if not by.has_perm("reviews.approve_edition", edition):
            reasons.append(_("%(name)s: คุณไม่มีสิทธิ์อนุมัติคู่มือของหน่วยงานนี้") % {"name": name})
        if edition.status != S.SUBMITTED:
            reasons.append(
                _("%(name)s: ฉบับมีสถานะ “%(status)s” ไม่ใช่ฉบับที่ส่งตรวจสอบแล้ว")
                % {"name": name, "status": edition.get_status_display()}
            )
            continue
        conflict = approval_conflict(by, edition)
        if conflict:
            reasons.append(f"{name}: {conflict}")
        if not p.is_compiled:
            reasons.append(_("%(name)s: ยังไม่ได้รวบรวมเป็นฉบับสมบูรณ์") % {"name": name})
        elif selectors.edition_fingerprint(edition=edition) != p.compiled_fingerprint:
            reasons.append(
                _("%(name)s: มีการแก้ไขเนื้อหาหลังจากรวบรวมฉบับสมบูรณ์ ต้องรวบรวมใหม่ก่อนอนุมัติ")
                % {"name": name}
            )
        open_count = Comment.objects.threads().open().filter(edition=edition).count()
        if open_count and edition.pk not in waive_open_comments:
            reasons.append(
                _("%(name)s: ยังมีความเห็นที่ยังไม่ได้แก้ไข %(count)s รายการ (ไม่ได้ยกเว้น)")
                % {"name": name, "count": thai_digits(str(open_count))}
            )
    if reasons:
        raise BatchRefused(reasons)

    letter = _letter_text(letter_number, letter_date)
    approved = []
    for p in locked:
        edition = editions[p.edition_id]
        edition.approval_letter_number = letter_number
        edition.approval_letter_date = letter_date
        edition.save(update_fields=["approval_letter_number", "approval_letter_date", "version"])
        open_count = Comment.objects.threads().open().filter(edition=edition).count()
        reason = letter
        if open_count:
            reason += " · " + _("ยกเว้นความเห็นที่ยังเปิดอยู่ %(count)s รายการ") % {
                "count": thai_digits(str(open_count))
            }
        approved.append(edition_approve(edition=edition, by=by, reason=reason))
    return BatchResult(editions=approved, letter_number=letter_number, letter_date=letter_date)


# --- progress --------------------------------------------------------------------------------


@transaction.atomic
def round_snapshot_take(*, round: Round, today: datetime.date | None = None) -> ProgressSnapshot:
    """Record today's progress of the round (once a day; a second run updates the day)."""
    today = today or timezone.localdate()
    progress = selectors.round_progress(round=round, today=today)
    snapshot, _created = ProgressSnapshot.objects.update_or_create(
        round=round,
        taken_on=today,
        defaults={
            "percent": progress.percent,
            "planned_percent": progress.planned,
            "counts": {k: v for k, v in progress.counts.items() if v},
        },
    )
    return snapshot


def _narrative(progress) -> str:
    c = progress.counts
    lines = [
        _("คู่มือในรอบ %(n)s ฉบับ") % {"n": len(progress.rows)},
        _("อยู่ระหว่างจัดทำร่าง %(n)s ฉบับ") % {"n": c.get(S.DRAFT, 0)},
        _("ส่งตรวจสอบแล้ว %(n)s ฉบับ (รวบรวมเป็นฉบับสมบูรณ์แล้ว %(c)s ฉบับ)")
        % {"n": c.get(S.SUBMITTED, 0), "c": progress.compiled_count},
        _("ขอให้แก้ไข %(n)s ฉบับ") % {"n": c.get(S.CHANGES_REQUESTED, 0)},
        _("อนุมัติและเผยแพร่แล้ว %(n)s ฉบับ") % {"n": c.get(S.PUBLISHED, 0) + c.get(S.APPROVED, 0)},
    ]
    if progress.late_count:
        lines.append(_("เลยกำหนด %(n)s ฉบับ") % {"n": progress.late_count})
    return "\n".join(f"{i}. {line}" for i, line in enumerate(lines, start=1))


@transaction.atomic
@recorded_in_thai
def progress_report_create(
    *, round: Round, by, narrative: str = "", reported_on: datetime.date | None = None
) -> ProgressReport:
    """Lets a planner file the month's progress report (รายงานครั้งที่ n): what happened (the
    planner's text, then the counts the system knows), progress in per cent, on plan or not."""
    require(by, "rounds.plan_round")
    round = Round.objects.select_for_update().get(pk=round.pk)
    reported_on = reported_on or timezone.localdate()
    progress = selectors.round_progress(round=round, today=reported_on)
    text = clean_user_text(narrative or "")
    summary = _narrative(progress)
    number = (round.reports.order_by("-number").values_list("number", flat=True).first() or 0) + 1
    report = ProgressReport(
        round=round,
        number=number,
        reported_on=reported_on,
        narrative=f"{text}\n\n{summary}" if text else summary,
        percent=progress.percent,
        planned_percent=progress.planned,
        on_plan=progress.on_plan,
        created_by=by,
    )
    report.full_clean()
    report.save()
    round_snapshot_take(round=round, today=reported_on)
    return report


# --- reminders -------------------------------------------------------------------------------


@transaction.atomic
@recorded_in_thai
def round_reminders_send(*, today: datetime.date | None = None) -> dict[str, int]:
    """The daily run: remind each manual's editors (its working group for a shared manual)
    of a milestone due within 7 days or passed and not met; tell working groups about new
    comments from adopting agencies; take the day's snapshot. Twice on a day sends nothing new."""
    today = today or timezone.localdate()
    sent = {"due_soon": 0, "late": 0, "adopter_comments": 0}
    for round in Round.objects.filter(status=Round.Status.OPEN):
        progress = selectors.round_progress(round=round, today=today)
        for row in progress.rows:
            for cell in row.cells:
                if cell.late:
                    kind = RoundNotice.Kind.LATE
                elif cell.due_soon:
                    kind = RoundNotice.Kind.DUE_SOON
                else:
                    continue
                sent[kind] += _milestone_notice(row, cell.milestone, kind)
        round_snapshot_take(round=round, today=today)
    sent["adopter_comments"] = adopter_comments_notify()
    return sent


def _authors(edition: Edition):
    from django.contrib.auth import get_user_model

    group = getattr(edition.manual, "working_group", None)
    if group is not None:
        return (
            get_user_model()
            .objects.filter(is_active=True, working_groups__group=group)
            .distinct()
            .order_by("pk")
        )
    return unit_editors(edition)


def _milestone_notice(row, milestone: Milestone, kind: str) -> int:
    if RoundNotice.objects.filter(
        milestone=milestone, participation=row.participation, kind=kind
    ).exists():
        return 0
    edition = row.edition
    values = {
        "step": milestone.get_kind_display(),
        "agency": row.manual.agency.name,
        "date": format_thai_date(milestone.due_on),
        "round": str(milestone.round),
    }
    if kind == RoundNotice.Kind.LATE:
        verb = Notification.Verb.MILESTONE_LATE
        text = _("%(round)s: คู่มือ%(agency)s เลยกำหนด“%(step)s” (%(date)s) แล้ว") % values
    else:
        verb = Notification.Verb.MILESTONE_DUE
        text = _("%(round)s: คู่มือ%(agency)s ใกล้ถึงกำหนด“%(step)s” ในวันที่ %(date)s") % values
    created = notify(
        recipients=_authors(edition),
        verb=verb,
        edition=edition,
        message=text,
        key=f"round:{milestone.pk}:{row.participation.pk}:{kind}",
    )
    RoundNotice.objects.create(
        milestone=milestone, participation=row.participation, kind=kind, recipients=len(created)
    )
    return len(created)


def _adopter_agency(comment: Comment, adopters: dict[int, Agency], parents: dict) -> Agency | None:
    """The adopting agency the comment's author belongs to (their agency or one above it)."""
    for agency_id in comment.author.memberships.values_list("agency_id", flat=True):
        node = agency_id
        while node is not None:
            if node in adopters:
                return adopters[node]
            node = parents.get(node)
    return None


def _full_name(agency: Agency) -> str:
    """ฝ่ายทะเบียน สำนักงานเขตพระนคร: a district's division is named with its district."""
    return f"{agency.name} {agency.parent.name}" if agency.parent_id else agency.name


def adopter_comment_notify(*, comment: Comment) -> int:
    """Tell the working group a district commented on their shared manual (once per comment)."""
    edition = comment.edition
    manual = edition.manual
    group = getattr(manual, "working_group", None)
    if group is None or comment.parent_id is not None:
        return 0
    adopters = {a.agency_id: a.agency for a in manual.adoptions.select_related("agency__parent")}
    parents = dict(Agency.objects.values_list("pk", "parent_id"))
    agency = _adopter_agency(comment, adopters, parents)
    if agency is None:
        return 0
    text = _("%(agency)s ให้ความเห็นต่อร่าง%(manual)s: %(body)s") % {
        "agency": _full_name(agency),
        "manual": manual.title,
        "body": comment.body[:200],
    }
    return len(
        notify(
            recipients=_authors(edition),
            verb=Notification.Verb.ADOPTER_COMMENT,
            edition=edition,
            message=text,
            key=f"adopter-comment:{comment.pk}",
            exclude=comment.author,
        )
    )


def adopter_comments_notify(*, since: datetime.timedelta = datetime.timedelta(days=7)) -> int:
    """Catch up on adopters' comments made anywhere (the review page too) in the last week."""
    recent = Comment.objects.threads().filter(
        edition__manual__working_group__isnull=False,
        created_at__gte=timezone.now() - since,
    )
    return sum(
        adopter_comment_notify(comment=c)
        for c in recent.select_related("edition__manual", "author")
    )


@transaction.atomic
@recorded_in_thai
def adopter_comment_add(*, target, by, body: str) -> Comment:
    """An adopting agency's member comments on the shared draft; the group hears of it now."""
    from reviews.services import comment_add

    comment = comment_add(target=target, by=by, body=body)
    adopter_comment_notify(comment=comment)
    return comment


def require_view(user) -> None:
    if not user.has_perm("rounds.view_round"):
        raise PermissionDenied(_("คุณไม่มีสิทธิ์ดูรอบการปรับปรุงคู่มือ"))


# --- adopters' printed copies ----------------------------------------------------------------


def adopter_pdf_request(*, edition: Edition, agency: Agency, by):
    """An adopting agency's copy of the shared manual: a finished one of the same content is
    reused, one queued or running is joined, else a new one is queued."""
    from printing.services import edition_content_hash

    require(by, "manuals.view_edition", edition)
    content_hash = hashlib.sha256(
        (
            edition_content_hash(edition)
            + local_additions_hash(manual=edition.manual, agency=agency)
        ).encode()
    ).hexdigest()
    existing = (
        AdopterPdf.objects.filter(edition=edition, agency=agency, content_hash=content_hash)
        .exclude(status=AdopterPdf.Status.FAILED)
        .first()
    )
    if existing is not None and (existing.status != AdopterPdf.Status.DONE or existing.file):
        return existing
    export = AdopterPdf.objects.create(edition=edition, agency=agency, content_hash=content_hash)
    try:
        adopter_pdf.enqueue(export.pk)
    except Exception as exc:  # the queue is down: say so
        logger.exception("could not queue adopter PDF %s", export.pk)
        AdopterPdf.objects.filter(pk=export.pk).update(
            status=AdopterPdf.Status.FAILED, error=str(exc)[:500], finished_at=timezone.now()
        )
    export.refresh_from_db()
    return export


def adopter_pdf_run(*, export_id: int):
    """Make one adopter's PDF (the task), reporting the stage and pages as it goes."""
    from django.core.files.base import ContentFile

    from printing.builder import build_manual, default_workers

    export = AdopterPdf.objects.get(pk=export_id)
    if export.status == AdopterPdf.Status.DONE:
        return export
    AdopterPdf.objects.filter(pk=export.pk).update(status=AdopterPdf.Status.RUNNING)

    def progress(stage, done, total):
        fields = {"stage": stage, "pages_done": done}
        if total is not None:
            fields["page_count"] = total
        AdopterPdf.objects.filter(pk=export.pk).update(**fields)

    try:
        built = build_manual(
            export.edition_id,
            agency_id=export.agency_id,
            progress=progress,
            workers=default_workers(),
            keep_html=False,
        )
    except Exception as exc:
        logger.exception("adopter PDF %s failed", export.pk)
        AdopterPdf.objects.filter(pk=export.pk).update(
            status=AdopterPdf.Status.FAILED,
            error=_("สร้างไฟล์ PDF ไม่สำเร็จ: %(reason)s") % {"reason": exc.__class__.__name__},
            finished_at=timezone.now(),
        )
        export.refresh_from_db()
        return export
    export.refresh_from_db()
    export.file.save(
        f"edition-{export.edition_id}-agency-{export.agency_id}-{export.content_hash[:12]}.pdf",
        ContentFile(built.pdf),
        save=False,
    )
    export.status = AdopterPdf.Status.DONE
    export.page_count = export.pages_done = built.page_count
    export.finished_at = timezone.now()
    export.save()
    return export


# --- background tasks (Django Tasks API; the worker is ``manage.py db_worker``) ---------------
# They live beside the services they run, so neither module imports the other behind a
# function (``rounds.tasks`` re-exports them under their historical paths).


@task()
def open_round(round_id: int) -> int:
    """Start the drafts of every manual in a round's scope; returns how many joined."""
    round = round_run_opening(round_id=round_id)
    return round.participations.filter(state="joined").count()


@task()
def adopter_pdf(export_id: int) -> int:
    """Make one adopting agency's printed copy of a shared manual; returns its page count."""
    return adopter_pdf_run(export_id=export_id).page_count or 0


# --- local additions of an adopting agency -----------------------------------------------------


def local_process_choices(manual: Manual) -> dict:
    """The processes of the shared manual an addition may follow: lineage -> process, from the
    edition adopters look at (lineages stay the same from round to round)."""
    from processes.models import Process

    edition = selectors.shared_edition(manual=manual)
    if edition is None:
        return {}
    return {
        p.lineage: p
        for p in Process.objects.filter(edition=edition, parent__isnull=True)
        .select_related("mission")
        .order_by("mission__position", "position", "pk")
    }


def _as_uuid(value):
    import uuid

    try:
        return value if isinstance(value, uuid.UUID) else uuid.UUID(str(value or "").strip())
    except ValueError:
        return None


@transaction.atomic
def local_addition_save(
    *, adoption, by, title: str, body: str, after_process_lineage, addition=None
):
    """Add (or change) a local addition of an adopting agency: kept on the adoption, apart from
    the shared text, printed after the shared process it follows in that agency's copy."""
    from manuals.models import LocalAddition
    from rounds.permissions import may_edit_local_additions

    if not may_edit_local_additions(by, adoption):
        raise PermissionDenied(_("เฉพาะผู้จัดทำของหน่วยงานที่ใช้คู่มือนี้เท่านั้นที่แก้ไขส่วนเพิ่มเติมได้"))
    if addition is not None and addition.adoption_id != adoption.pk:
        raise PermissionDenied(_("ส่วนเพิ่มเติมนี้เป็นของหน่วยงานอื่น"))
    title = clean_user_text(title or "").strip()
    body = clean_user_text(body or "").strip()
    errors = {}
    if not title:
        errors["title"] = _("โปรดระบุชื่อเรื่องที่เพิ่มเติม")
    elif len(title) > 300:
        errors["title"] = _("ชื่อเรื่องยาวเกิน ๓๐๐ ตัวอักษร")
    if not body:
        errors["body"] = _("โปรดระบุรายละเอียดที่เพิ่มเติม")
    lineages = local_process_choices(adoption.manual)
    after_process_lineage = _as_uuid(after_process_lineage)
    if after_process_lineage not in lineages:
        errors["after_process_lineage"] = _("โปรดเลือกกระบวนการของคู่มือร่วมที่ส่วนนี้ต่อท้าย")
    if errors:
        raise ValidationError(errors)
    if addition is None:
        last = adoption.local_additions.order_by("-position").values_list("position", flat=True)
        addition = LocalAddition(adoption=adoption, position=(last.first() or 0) + 1)
    addition.title = title
    addition.body = body
    addition.after_process_lineage = after_process_lineage
    addition.save()
    return addition


@transaction.atomic
def local_addition_delete(*, addition, by) -> None:
    from rounds.permissions import may_edit_local_additions

    if not may_edit_local_additions(by, addition.adoption):
        raise PermissionDenied(_("เฉพาะผู้จัดทำของหน่วยงานที่ใช้คู่มือนี้เท่านั้นที่แก้ไขส่วนเพิ่มเติมได้"))
    addition.delete()


def local_additions_hash(*, manual: Manual, agency: Agency) -> str:
    """What an adopter's copy adds to the shared content hash: its local additions."""
    from manuals.models import LocalAddition

    rows = LocalAddition.objects.filter(adoption__manual=manual, adoption__agency=agency)
    digest = hashlib.sha256()
    for row in rows.order_by("position", "pk").values_list(
        "pk", "position", "after_process_lineage", "title", "body"
    ):
        digest.update(repr(row).encode("utf-8", "surrogatepass"))
    return digest.hexdigest()
