"""Pages of the review cycle: the review page, its HTMX fragments, compare, dashboard, inbox.

Views stay thin: they check who may look, call a service or a selector and render.
"""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import NoReverseMatch, reverse
from django.utils import timezone
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_POST

from core.params import parse_int, parse_text
from manuals.models import Edition, Manual
from manuals.permissions import require
from reviews import selectors, services
from reviews.forms import CommentForm, ReasonForm, SubmitForm
from reviews.four_eyes import approval_conflict
from reviews.models import Comment, Notification

# --- helpers --------------------------------------------------------------------------------


def _next_url(request, default: str) -> str:
    target = request.POST.get("next") or request.GET.get("next")
    if target and url_has_allowed_host_and_scheme(
        target, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    ):
        return target
    return default


def _error_text(exc: ValidationError) -> str:
    return " ".join(str(m) for m in exc.messages)


def _printing_url(edition: Edition) -> str:
    """The printed manual's export URL, once the printing app provides one."""
    try:
        return reverse("printing:export", kwargs={"pk": edition.pk})
    except NoReverseMatch:
        try:
            return reverse("printing:export", args=[edition.pk])
        except NoReverseMatch:
            return ""


def _approval_preview(edition: Edition) -> dict:
    """What approving does, said before the approver confirms: published today, frozen, the
    edition in force superseded, the next review due in three years."""
    today = timezone.localdate()
    preview = Edition(published_on=today)
    return {
        "approve_today": today,
        "approve_due": preview.next_review_due,
        "approve_supersedes": [
            e.display_label for e in edition.manual.editions.published().exclude(pk=edition.pk)
        ],
    }


def _optional_url(name: str, edition: Edition) -> str:
    """The URL of a feature a higher app (interop) may provide, or "" without it."""
    try:
        return reverse(name, kwargs={"pk": edition.pk})
    except NoReverseMatch:
        return ""


def panel_context(user, edition: Edition) -> dict:
    """What the status panel shows this user: the status, counts and the moves allowed now."""
    S = Edition.Status
    manual = edition.manual
    may_approve = edition.status == S.SUBMITTED and user.has_perm(
        "reviews.approve_edition", edition
    )
    # Four-eyes: an approver who edited, submitted or reviewed it sees why the button is off.
    approve_blocked = approval_conflict(user, edition) if may_approve else ""
    can_approve = may_approve and not approve_blocked
    has_open = manual.editions.open().exclude(pk=edition.pk).exists() or edition.status in (
        S.open_values()
    )
    return {
        "edition": edition,
        "open_comments": selectors.open_comment_count(edition=edition),
        "can_submit": edition.status in (S.DRAFT, S.CHANGES_REQUESTED)
        and user.has_perm("reviews.submit_edition", edition),
        "can_withdraw": edition.status == S.SUBMITTED
        and user.has_perm("reviews.withdraw_edition", edition),
        "can_request_changes": edition.status == S.SUBMITTED
        and user.has_perm("reviews.request_changes", edition),
        "can_approve": can_approve,
        "approve_blocked": approve_blocked,
        "can_start_revision": edition.status == S.PUBLISHED
        and not has_open
        and user.has_perm("manuals.start_revision", manual),
        "can_compare": manual.editions.exclude(pk=edition.pk).exists(),
        **(_approval_preview(edition) if can_approve else {}),
        "export_url": _printing_url(edition),
        "docx_url": _optional_url("interop:docx_export", edition),
        "json_url": _optional_url("interop:edition_json", edition),
    }


def _target(kind: str, pk: int):
    from processes.models import Process, Step

    if kind == "edition":
        obj = get_object_or_404(Edition.objects.select_related("manual__agency"), pk=pk)
        return obj, obj, {"target": Comment.Target.EDITION}
    if kind == "process":
        obj = get_object_or_404(Process.objects.select_related("edition__manual__agency"), pk=pk)
        return obj, obj.edition, {"target": Comment.Target.PROCESS, "target_lineage": obj.lineage}
    if kind == "step":
        obj = get_object_or_404(
            Step.objects.select_related("process__edition__manual__agency"), pk=pk
        )
        return (
            obj,
            obj.process.edition,
            {"target": Comment.Target.STEP, "target_lineage": obj.lineage},
        )
    raise Http404


def _target_of_comment(comment: Comment) -> tuple[str, int]:
    if comment.target == Comment.Target.STEP and comment.step_id:
        return "step", comment.step_id
    if comment.target == Comment.Target.PROCESS and comment.process_id:
        return "process", comment.process_id
    return "edition", comment.edition_id


def _comments_context(request, kind: str, obj, edition: Edition, filters: dict, **extra) -> dict:
    threads = list(selectors.comment_threads(edition=edition, **filters))
    return {
        "kind": kind,
        "obj": obj,
        "edition": edition,
        "threads": threads,
        # The editor updates the item's badge from this after an add, resolve or reopen.
        "open_count": sum(t.is_open for t in threads),
        "can_comment": not edition.is_frozen and request.user.has_perm("reviews.comment", edition),
        "form": extra.pop("form", None) or CommentForm(),
        "fragment_id": f"comments-{kind}-{obj.pk}",
        **extra,
    }


# --- review page and fragments --------------------------------------------------------------


@login_required
@require_GET
def edition_review(request, pk: int):
    """The review page: status and moves, the reason form, comments on everything, the trail."""
    edition = get_object_or_404(Edition.objects.select_related("manual__agency"), pk=pk)
    require(request.user, "manuals.view_edition", edition)
    processes = selectors.edition_outline(edition=edition)
    threads = list(selectors.comment_threads(edition=edition))
    by_target: dict = {}
    for thread in threads:
        by_target.setdefault((thread.target, thread.target_lineage), []).append(thread)
    for process in processes:
        process.threads = by_target.get((Comment.Target.PROCESS, process.lineage), [])
        for step in process.steps.all():
            step.threads = by_target.get((Comment.Target.STEP, step.lineage), [])
        process.open_count = sum(t.is_open for t in process.threads) + sum(
            t.is_open for s in process.steps.all() for t in s.threads
        )
    orphans = [
        t
        for t in threads
        if t.target != Comment.Target.EDITION
        and ((t.target == Comment.Target.STEP and t.step_id is None) or t.process_id is None)
    ]
    can_comment = not edition.is_frozen and request.user.has_perm("reviews.comment", edition)
    context = {
        **panel_context(request.user, edition),
        "panel_full": True,
        "processes": processes,
        "edition_threads": by_target.get((Comment.Target.EDITION, None), []),
        "orphan_threads": orphans,
        "can_comment": can_comment,
        "comment_form": CommentForm(),
        "reason_form": ReasonForm(),
        "submit_form": SubmitForm(),
        "confirm_submit": request.GET.get("confirm") == "submit",
        "confirm_approve": request.GET.get("confirm") == "approve",
        "audit": selectors.audit_trail(edition=edition),
        "editions": selectors.editions_of(manual=edition.manual),
    }
    return render(request, "reviews/edition.html", context)


@login_required
@require_GET
def panel(request, pk: int):
    """HTMX fragment for the editing overview: status, open comments, the allowed moves."""
    edition = get_object_or_404(Edition.objects.select_related("manual__agency"), pk=pk)
    require(request.user, "manuals.view_edition", edition)
    context = panel_context(request.user, edition)
    context["next"] = request.GET.get("next", "")
    return render(request, "reviews/_panel.html", context)


@login_required
@require_GET
def comments(request, kind: str, pk: int):
    """HTMX fragment: the comments on an edition, a process or a step, with a form to add one."""
    obj, edition, filters = _target(kind, pk)
    require(request.user, "manuals.view_edition", edition)
    return render(
        request, "reviews/_comments.html", _comments_context(request, kind, obj, edition, filters)
    )


def _after_comment(request, kind: str, pk: int, error: str = "", form=None):
    obj, edition, filters = _target(kind, pk)
    if request.htmx:
        context = _comments_context(request, kind, obj, edition, filters, error=error, form=form)
        response = render(request, "reviews/_comments.html", context)
        if not error:
            # The editor's review panel and counts listen for this.
            response["HX-Trigger"] = "comments-changed"
        return response
    if error:
        messages.error(request, error)
    default = reverse("reviews:edition", kwargs={"pk": edition.pk}) + f"#comments-{kind}-{pk}"
    return redirect(_next_url(request, default))


@login_required
@require_POST
def comment_add(request, kind: str, pk: int):
    obj, edition, _filters = _target(kind, pk)
    form = CommentForm(request.POST)
    if not form.is_valid():
        return _after_comment(request, kind, pk, _("โปรดพิมพ์ความเห็น"), form=form)
    try:
        services.comment_add(target=obj, by=request.user, body=form.cleaned_data["body"])
    except ValidationError as exc:
        return _after_comment(request, kind, pk, _error_text(exc), form=form)
    return _after_comment(request, kind, pk)


@login_required
@require_POST
def comment_action(request, pk: int, action: str):
    """Reply to, resolve or reopen a comment."""
    comment = get_object_or_404(Comment.objects.select_related("edition__manual"), pk=pk)
    kind, target_pk = _target_of_comment(comment)
    try:
        if action == "reply":
            form = CommentForm(request.POST)
            if not form.is_valid():
                raise ValidationError(_("โปรดพิมพ์คำตอบ"))
            services.comment_reply(comment=comment, by=request.user, body=form.cleaned_data["body"])
        elif action == "resolve":
            services.comment_resolve(comment=comment, by=request.user)
        elif action == "reopen":
            services.comment_reopen(comment=comment, by=request.user)
        else:
            raise Http404
    except ValidationError as exc:
        return _after_comment(request, kind, target_pk, _error_text(exc))
    return _after_comment(request, kind, target_pk)


# --- transitions ----------------------------------------------------------------------------


def _transition(request, pk: int, run, done: str):
    edition = get_object_or_404(Edition, pk=pk)
    default = reverse("reviews:edition", kwargs={"pk": edition.pk})
    try:
        edition = run(edition)
    except services.OpenCommentsError as exc:
        messages.warning(request, _error_text(exc))
        return redirect(f"{default}?confirm=submit#actions")
    except ValidationError as exc:
        messages.error(request, _error_text(exc))
        return redirect(_next_url(request, default))
    messages.success(request, done)
    return redirect(_next_url(request, default))


@login_required
@require_POST
def submit(request, pk: int):
    form = SubmitForm(request.POST)
    confirm = form.is_valid() and form.cleaned_data["confirm_open_comments"]
    return _transition(
        request,
        pk,
        lambda e: services.edition_submit(
            edition=e, by=request.user, confirm_open_comments=confirm
        ),
        _("ส่งตรวจสอบแล้ว ผู้ตรวจสอบจะได้รับแจ้ง"),
    )


@login_required
@require_POST
def withdraw(request, pk: int):
    return _transition(
        request,
        pk,
        lambda e: services.edition_withdraw(
            edition=e, by=request.user, reason=request.POST.get("reason", "")
        ),
        _("ถอนกลับมาเป็นฉบับร่างแล้ว แก้ไขต่อได้"),
    )


@login_required
@require_POST
def request_changes(request, pk: int):
    return _transition(
        request,
        pk,
        lambda e: services.edition_request_changes(
            edition=e, by=request.user, reason=request.POST.get("reason", "")
        ),
        _("ส่งกลับให้หน่วยงานแก้ไขแล้ว"),
    )


@login_required
@require_POST
def approve(request, pk: int):
    """Publishing freezes the edition and supersedes the one in force: only with the
    confirmation the panel asks for (what it does, the next review's due date)."""
    if request.POST.get("confirm") != "yes":
        messages.warning(request, _("โปรดอ่านผลของการอนุมัติแล้วกดยืนยันอีกครั้ง"))
        default = reverse("reviews:edition", kwargs={"pk": pk})
        return redirect(f"{default}?confirm=approve#actions")
    return _transition(
        request,
        pk,
        lambda e: services.edition_approve(
            edition=e, by=request.user, reason=request.POST.get("reason", "")
        ),
        _("อนุมัติและเผยแพร่แล้ว"),
    )


@login_required
@require_POST
def new_revision(request, pk: int):
    """เริ่มปรับปรุงฉบับใหม่: one button on a published edition."""
    manual = get_object_or_404(Manual, pk=pk)
    try:
        draft = services.edition_new_revision(manual=manual, by=request.user)
    except ValidationError as exc:
        messages.error(request, _error_text(exc))
        return redirect(_next_url(request, reverse("reviews:dashboard")))
    messages.success(request, _("เริ่มฉบับปรับปรุงใหม่แล้ว: %(e)s") % {"e": draft.display_label})
    return redirect(reverse("reviews:edition", kwargs={"pk": draft.pk}))


# --- compare --------------------------------------------------------------------------------


def _compare_pair(request, pk: int) -> tuple[Edition, Edition]:
    """(old, new): this edition against ?base= (default: what it was based on, else published)."""
    new = get_object_or_404(Edition.objects.select_related("manual__agency"), pk=pk)
    require(request.user, "manuals.view_edition", new)
    base_pk = parse_int(request.GET.get("base"), minimum=1)
    if base_pk is not None:
        old = get_object_or_404(
            Edition.objects.select_related("manual__agency"), pk=base_pk, manual=new.manual
        )
    else:
        old = (
            new.based_on
            or new.manual.editions.published().exclude(pk=new.pk).order_by("-published_on").first()
            or new.manual.editions.exclude(pk=new.pk).order_by("-year_be", "-pk").first()
        )
        if old is None:
            raise Http404(_("คู่มือนี้มีฉบับเดียว จึงยังไม่มีฉบับให้เปรียบเทียบ"))
    require(request.user, "manuals.view_edition", old)
    return old, new


@login_required
@require_GET
def compare(request, pk: int):
    """Two editions side by side: what was added, removed, moved and changed, word by word."""
    old, new = _compare_pair(request, pk)
    from reviews.compare import edition_compare

    comparison = edition_compare(old=old, new=new)
    template = (
        "reviews/summary.html" if request.GET.get("view") == "summary" else "reviews/compare.html"
    )
    return render(
        request,
        template,
        {
            "comparison": comparison,
            "old": old,
            "new": new,
            "editions": selectors.editions_of(manual=new.manual),
            "generated_at": timezone.localtime(),
        },
    )


@login_required
@require_GET
def compare_pdf(request, pk: int):
    """The change summary (สรุปการเปลี่ยนแปลง) as a PDF to download."""
    old, new = _compare_pair(request, pk)
    from reviews.compare import edition_compare
    from reviews.pdf import change_summary_pdf

    pdf = change_summary_pdf(comparison=edition_compare(old=old, new=new), request=request)
    response = HttpResponse(pdf, content_type="application/pdf")
    name = f"change-summary-{new.manual.slug}-{new.year_be}-vs-{old.year_be}.pdf"
    response["Content-Disposition"] = f'attachment; filename="{name}"'
    return response


# --- dashboard ------------------------------------------------------------------------------


def _dashboard(request):
    require(request.user, "reviews.view_dashboard")
    tree = selectors.agency_tree()
    return tree, selectors.dashboard_build(
        agency_id=parse_int(request.GET.get("agency"), minimum=1),
        search=parse_text(request.GET.get("q")),
        status=request.GET.get("status", ""),
        due=request.GET.get("due", ""),
        tree=tree,
    )


@login_required
@require_GET
def dashboard(request):
    """The planners' view of every agency's manual and where it stands in the 3-year cycle."""
    tree, board = _dashboard(request)
    query = request.GET.copy()
    query.pop("format", None)
    return render(
        request,
        "reviews/dashboard.html",
        {
            "board": board,
            "tree": tree,
            "statuses": Edition.Status.choices,
            "filters": {
                "agency": request.GET.get("agency", ""),
                "q": request.GET.get("q", ""),
                "status": request.GET.get("status", ""),
                "due": request.GET.get("due", ""),
            },
            "query": query.urlencode(),
            "today": timezone.localdate(),
        },
    )


@login_required
@require_GET
def dashboard_export(request):
    """The dashboard's table as CSV or XLSX (?format=csv|xlsx), with the same filters."""
    from reviews.export import dashboard_csv, dashboard_xlsx

    _tree, board = _dashboard(request)
    stamp = timezone.localdate().isoformat()
    if request.GET.get("format") == "xlsx":
        response = HttpResponse(
            dashboard_xlsx(board),
            content_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
        )
        response["Content-Disposition"] = f'attachment; filename="manuals-dashboard-{stamp}.xlsx"'
        return response
    response = HttpResponse(dashboard_csv(board), content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="manuals-dashboard-{stamp}.csv"'
    return response


# --- inbox ----------------------------------------------------------------------------------


@login_required
@require_GET
def inbox(request):
    notifications = list(selectors.inbox(user=request.user)[:200])
    return render(request, "reviews/inbox.html", {"notifications": notifications})


@login_required
@require_POST
def inbox_read(request, pk: int | None = None):
    """Mark one notification (or all of them) as read; opening one goes to its edition."""
    mine = Notification.objects.filter(recipient=request.user, read_at__isnull=True)
    if pk is not None:
        notification = get_object_or_404(Notification, pk=pk, recipient=request.user)
        mine.filter(pk=pk).update(read_at=timezone.now())
        return redirect(notification.url or reverse("reviews:inbox"))
    mine.update(read_at=timezone.now())
    return redirect(reverse("reviews:inbox"))
