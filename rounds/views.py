"""Pages of a revision round: open one, follow it, compile finals, approve them in one batch,
file the monthly report; and the shared-manual pages of working groups and adopters.

Views stay thin: they check who may look, call a service or a selector and render.
"""

from __future__ import annotations

import logging

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from core.params import parse_int
from manuals.models import Agency, Edition, Manual
from manuals.permissions import require
from manuals.selectors import agency_tree
from rounds import selectors, services
from rounds.forms import AdopterCommentForm, BatchApprovalForm, ReportForm, RoundForm
from rounds.models import Participation, Round

logger = logging.getLogger(__name__)


def _error_text(exc: ValidationError) -> str:
    return " ".join(str(m) for m in exc.messages)


def _int(value) -> int | None:
    return parse_int(value)


@login_required
@require_GET
def round_list(request):
    """Every round, newest first, for planners and approvers."""
    services.require_view(request.user)
    return render(
        request,
        "rounds/list.html",
        {
            "rounds": selectors.rounds_list(),
            "shared": selectors.shared_manuals(),
            "can_plan": request.user.has_perm("rounds.plan_round"),
        },
    )


@login_required
@require_http_methods(["GET", "POST"])
def round_new(request):
    """Lets a planner open a round: name, year, scope in the agency tree, four milestones."""
    require(request.user, "rounds.plan_round")
    form = RoundForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            round = services.round_open(
                by=request.user,
                title=form.cleaned_data["title"],
                year_be=form.cleaned_data["year_be"],
                scope=form.cleaned_data["scope"],
                milestones=form.milestones(),
            )
        except ValidationError as exc:
            form.add_error(None, exc)
        else:
            messages.success(request, _("เปิดรอบแล้ว ระบบกำลังเริ่มฉบับร่างของทุกคู่มือในขอบเขต"))
            return redirect(round.get_absolute_url())
    if not form.is_bound:
        year = timezone.localdate().year + 543
        form.initial = {"title": f"รอบการปรับปรุงคู่มือ พ.ศ. {year}", "year_be": year}
    return render(request, "rounds/new.html", {"form": form})


def _round_or_404(pk: int) -> Round:
    try:
        return selectors.round_get(pk=pk)
    except Round.DoesNotExist as exc:
        from django.http import Http404

        raise Http404 from exc


@login_required
@require_GET
def round_detail(request, pk: int):
    """The planners' round page: per agency, each manual against each milestone, late ones
    highlighted, progress per agency and overall, the chart and the monthly reports."""
    services.require_view(request.user)
    round = _round_or_404(pk)
    tree = agency_tree()
    agency_id = _int(request.GET.get("agency"))
    progress = selectors.round_progress(round=round, agency_id=agency_id, tree=tree)
    snapshots = selectors.snapshots_of(round=round)
    can_plan = request.user.has_perm("rounds.plan_round")
    _render_rows(request, round, progress.rows, can_plan)
    return render(
        request,
        "rounds/detail.html",
        {
            "round": round,
            "progress": progress,
            "agency_options": selectors.agency_options(tree),
            "agency_id": agency_id,
            "chart": selectors.chart_points(snapshots=snapshots),
            "reports": selectors.reports_of(round=round),
            "report_form": ReportForm(initial={"reported_on": timezone.localdate()}),
            "can_plan": can_plan,
            "can_approve": request.user.has_perm("rounds.batch_approve"),
        },
    )


ROW_CACHE_VERSION = "round-row-1"
ROW_CACHE_SECONDS = 24 * 3600


def _row_key(round, row, can_plan: bool) -> str:
    """Everything a row of the round page shows, hashed: the same values give the same HTML,
    so a row is rendered once per change, not once per request."""
    import hashlib

    from django.utils import translation

    manual, edition = row.manual, row.edition
    group = getattr(manual, "working_group", None)
    values = (
        ROW_CACHE_VERSION,
        translation.get_language(),
        can_plan,
        round.pk,
        row.participation.pk,
        manual.pk,
        manual.slug,
        manual.title,
        group.name if group else None,
        edition.pk if edition else None,
        row.status,
        str(row.status_label),
        row.compiled,
        tuple(a.name for a in row.adopters),
        tuple((c.milestone.kind, c.met, c.late, c.due_soon) for c in row.cells),
        row.open_comments,
        row.health.problems,
        str(row.percent),
    )
    digest = hashlib.sha256(repr(values).encode("utf-8", "surrogatepass")).hexdigest()
    return f"rounds:row:{digest}"


def _render_rows(request, round, rows, can_plan: bool) -> None:
    """Set ``row.html`` on every row of the round page. Over 300 manuals, rendering the rows
    was most of the page's time; a row's HTML is kept in the cache under a hash of what it
    shows. A row with a form (compile) carries the request's CSRF token: rendered each time."""
    from django.core.cache import caches
    from django.template.loader import get_template
    from django.utils.safestring import mark_safe

    template = get_template("rounds/_row.html")
    cache = caches["default"]

    def render_row(row):
        return template.render({"row": row, "round": round, "can_plan": can_plan}, request)

    has_form = {
        id(r) for r in rows if can_plan and r.status == Edition.Status.SUBMITTED and not r.compiled
    }
    keys = {id(r): _row_key(round, r, can_plan) for r in rows if id(r) not in has_form}
    try:
        cached = cache.get_many(list(keys.values()))
    except Exception:  # noqa: BLE001 - a cache that is down must not break the page
        cached = {}
    fresh = {}
    for row in rows:
        key = keys.get(id(row))
        html = cached.get(key) if key else None
        if html is None:
            html = render_row(row)
            if key:
                fresh[key] = html
        row.html = mark_safe(html)  # noqa: S308 - rendered by our template
    if fresh:
        try:
            cache.set_many(fresh, ROW_CACHE_SECONDS)
        except Exception:  # noqa: BLE001 - the page is made; only the reuse is lost
            logger.warning("round page rows not cached", exc_info=True)


@login_required
@require_GET
def round_opening(request, pk: int):
    """The opening's progress bar (polled by HTMX while the drafts start)."""
    services.require_view(request.user)
    round = _round_or_404(pk)
    return render(request, "rounds/_opening.html", {"round": round})


@login_required
@require_POST
def round_compile(request, pk: int):
    """Lets ก.ก. take submitted editions as the round's finals: one (participation=…) or every
    submitted edition with no open comment (all=1)."""
    round = _round_or_404(pk)
    require(request.user, "rounds.plan_round")
    chosen = _int(request.POST.get("participation"))
    if chosen:
        targets = [get_object_or_404(Participation, pk=chosen, round=round)]
    else:
        progress = selectors.round_progress(round=round)
        targets = [
            r.participation
            for r in progress.rows
            if r.status == Edition.Status.SUBMITTED and not r.compiled and not r.open_comments
        ]
    done = 0
    for participation in targets:
        try:
            services.participation_compile(participation=participation, by=request.user)
            done += 1
        except ValidationError as exc:
            messages.error(request, _error_text(exc))
    if done:
        messages.success(request, _("รวบรวมเป็นฉบับสมบูรณ์แล้ว %(n)s ฉบับ") % {"n": done})
    return redirect(round.get_absolute_url())


@login_required
@require_http_methods(["GET", "POST"])
def batch_approval(request, pk: int):
    """Lets an approver approve the compiled finals of a round in one act, by one letter."""
    round = _round_or_404(pk)
    require(request.user, "rounds.batch_approve")
    finals = list(selectors.compiled_finals(round=round))
    form = BatchApprovalForm(request.POST or None)
    reasons: list[str] = []
    selected = {parse_int(v) for v in request.POST.getlist("participation")} - {None}
    waived = {parse_int(v) for v in request.POST.getlist("waive")} - {None}
    if request.method == "POST" and form.is_valid():
        chosen = [p for p in finals if p.pk in selected]
        try:
            result = services.batch_approve(
                by=request.user,
                participations=chosen,
                letter_number=form.cleaned_data["letter_number"],
                letter_date=form.cleaned_data["letter_date"],
                waive_open_comments=waived,
            )
        except services.BatchRefused as exc:
            reasons = exc.reasons
        except ValidationError as exc:
            if hasattr(exc, "error_dict"):
                for field, errors in exc.message_dict.items():
                    form.add_error(field if field in form.fields else None, errors)
            else:
                form.add_error(None, exc)
        else:
            messages.success(
                request,
                _("อนุมัติคู่มือ %(n)s ฉบับตาม%(letter)s แล้ว")
                % {
                    "n": len(result.editions),
                    "letter": services._letter_text(result.letter_number, result.letter_date),
                },
            )
            return redirect(round.get_absolute_url())
    if request.method == "GET":
        selected = {p.pk for p in finals}
    return render(
        request,
        "rounds/approve.html",
        {
            "round": round,
            "finals": finals,
            "form": form,
            "reasons": reasons,
            "selected": selected,
            "waived": waived,
        },
    )


@login_required
@require_POST
def report_create(request, pk: int):
    """Lets a planner file this month's progress report."""
    round = _round_or_404(pk)
    require(request.user, "rounds.plan_round")
    form = ReportForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("กรุณากรอกวันที่รายงานให้ถูกต้อง"))
        return redirect(round.get_absolute_url())
    report = services.progress_report_create(
        round=round,
        by=request.user,
        narrative=form.cleaned_data["narrative"],
        reported_on=form.cleaned_data["reported_on"],
    )
    messages.success(request, _("บันทึกรายงานครั้งที่ %(n)s แล้ว") % {"n": report.number})
    return redirect(round.get_absolute_url() + "#reports")


@login_required
@require_GET
def report_export(request, pk: int, fmt: str):
    """The round's progress reports as XLSX or PDF, in the shape of ก.ก.'s report form."""
    from rounds import export

    services.require_view(request.user)
    round = _round_or_404(pk)
    reports = selectors.reports_of(round=round)
    progress = selectors.round_progress(round=round)
    stamp = timezone.localdate().isoformat()
    if fmt == "xlsx":
        response = HttpResponse(
            export.reports_xlsx(round=round, reports=reports, progress=progress),
            content_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
        )
        response["Content-Disposition"] = f'attachment; filename="round-{round.pk}-{stamp}.xlsx"'
        return response
    response = HttpResponse(
        export.reports_pdf(round=round, reports=reports, progress=progress),
        content_type="application/pdf",
    )
    response["Content-Disposition"] = f'attachment; filename="round-{round.pk}-{stamp}.pdf"'
    return response


# --- shared manuals ------------------------------------------------------------------------


def _shared_manual(pk: int) -> Manual:
    return get_object_or_404(
        Manual.objects.select_related("agency", "working_group").filter(
            working_group__isnull=False
        ),
        pk=pk,
    )


@login_required
@require_GET
def shared_manual(request, pk: int):
    """The shared manual's page: the working group sees every comment grouped by adopting
    agency with counts and answers them; an adopter sees its own agency's comments and
    answers, comments on the draft, and prints its own copy."""
    manual = _shared_manual(pk)
    edition = selectors.shared_edition(manual=manual)
    if edition is None:
        from django.http import Http404

        raise Http404
    require(request.user, "manuals.view_edition", edition)
    groups = selectors.comments_by_agency(edition=edition)
    is_group = manual.pk in _group_ids(request.user)
    sees_all = is_group or request.user.has_perm("rounds.view_round")
    if not sees_all:
        mine = {a.pk for a in _user_adopters(request.user, manual)}
        groups = [g for g in groups if g.agency and g.agency.pk in mine]
    return render(
        request,
        "rounds/shared.html",
        {
            "manual": manual,
            "edition": edition,
            "groups": groups,
            "is_group": is_group,
            "sees_all": sees_all,
            "adopters": selectors.adopters_of(manual=manual),
            "can_edit": request.user.has_perm("manuals.edit_edition", edition),
            "can_comment": not edition.is_frozen
            and request.user.has_perm("reviews.comment", edition),
            "form": AdopterCommentForm(),
            "my_adopters": _user_adopters(request.user, manual),
        },
    )


def _group_ids(user) -> set[int]:
    from manuals.permissions import _group_manual_ids

    return _group_manual_ids(user)


def _user_adopters(user, manual: Manual) -> list[Agency]:
    """The adopting agencies the user belongs to (directly or through a sub-unit)."""
    from manuals.permissions import _ancestors, _memberships

    mine = {a for agency, _r in _memberships(user) for a in _ancestors(agency, user)}
    return [a for a in selectors.adopters_of(manual=manual) if a.pk in mine]


@login_required
@require_POST
def shared_comment(request, pk: int):
    """An adopter's comment on the shared draft; the working group is told at once."""
    manual = _shared_manual(pk)
    edition = selectors.shared_edition(manual=manual)
    form = AdopterCommentForm(request.POST)
    if edition is None or not form.is_valid():
        messages.error(request, _("โปรดพิมพ์ความเห็น"))
        return redirect("rounds:shared", pk=manual.pk)
    try:
        services.adopter_comment_add(
            target=edition, by=request.user, body=form.cleaned_data["body"]
        )
    except ValidationError as exc:
        messages.error(request, _error_text(exc))
    else:
        messages.success(request, _("ส่งความเห็นถึงคณะทำงานแล้ว"))
    return redirect("rounds:shared", pk=manual.pk)


def _may_print(user, manual: Manual, agency: Agency) -> None:
    """Adopters print their own copy; the working group and planners print any."""
    allowed = (
        manual.pk in _group_ids(user)
        or user.has_perm("rounds.view_round")
        or agency in _user_adopters(user, manual)
    )
    if not allowed:
        raise PermissionDenied(_("พิมพ์ได้เฉพาะฉบับของหน่วยงานของคุณ"))


@login_required
@require_GET
def adopter_pdf(request, pk: int, agency_pk: int):
    """Ask for the shared manual printed for one adopting agency (its own name on the cover and
    in the running head): made in the background, the page follows its progress."""
    manual = _shared_manual(pk)
    agency = get_object_or_404(
        Agency.objects.select_related("parent"), pk=agency_pk, adoptions__manual=manual
    )
    edition = selectors.shared_edition(manual=manual)
    if edition is None:
        from django.http import Http404

        raise Http404
    require(request.user, "manuals.view_edition", edition)
    _may_print(request.user, manual, agency)
    export = services.adopter_pdf_request(edition=edition, agency=agency, by=request.user)
    return render(
        request,
        "rounds/adopter_pdf.html",
        {"manual": manual, "agency": agency, "edition": edition, "export": export},
    )


def _adopter_export(request, export_pk: int):
    from rounds.models import AdopterPdf

    export = get_object_or_404(
        AdopterPdf.objects.select_related("edition__manual", "agency"), pk=export_pk
    )
    require(request.user, "manuals.view_edition", export.edition)
    _may_print(request.user, export.edition.manual, export.agency)
    return export


@login_required
@require_GET
def adopter_pdf_status(request, export_pk: int):
    return render(
        request, "rounds/_adopter_pdf.html", {"export": _adopter_export(request, export_pk)}
    )


@login_required
@require_GET
def adopter_pdf_file(request, export_pk: int):
    from django.http import Http404

    from core.storage import serve_file

    export = _adopter_export(request, export_pk)
    if export.status != "done" or not export.file:
        raise Http404
    name = f"{export.edition.manual.slug}-{export.agency_id}-{export.edition.year_be}.pdf"
    return serve_file(
        export.file,
        filename=f"คู่มือการปฏิบัติงาน {export.agency.name} พ.ศ. {export.edition.year_be}.pdf",
        fallback=name,
        content_type="application/pdf",
    )


# --- local additions of an adopting agency -----------------------------------------------------


def _adoption(request, pk: int, agency_pk: int):
    from manuals.models import Adoption

    manual = _shared_manual(pk)
    adoption = get_object_or_404(
        Adoption.objects.select_related("agency__parent", "manual"), manual=manual, agency=agency_pk
    )
    edition = selectors.shared_edition(manual=manual)
    if edition is None:
        from django.http import Http404

        raise Http404
    require(request.user, "manuals.view_edition", edition)
    _may_print(request.user, manual, adoption.agency)
    return manual, adoption, edition


@login_required
@require_http_methods(["GET", "POST"])
def local_additions(request, pk: int, agency_pk: int):
    """An adopting agency's own additions to a shared manual: kept apart from the shared text,
    printed after the shared process each follows in that agency's copy, kept from round to
    round. Its editors add and change them; the working group and planners read them."""
    from manuals.models import LocalAddition
    from rounds.forms import LocalAdditionForm
    from rounds.permissions import may_edit_local_additions

    manual, adoption, edition = _adoption(request, pk, agency_pk)
    can_edit = may_edit_local_additions(request.user, adoption)
    processes = services.local_process_choices(manual)
    choices = list(processes.values())
    additions = list(adoption.local_additions.order_by("position", "pk"))
    editing = None
    form = LocalAdditionForm(processes=choices)
    if request.method == "POST":
        if not can_edit:
            raise PermissionDenied(_("เฉพาะผู้จัดทำของหน่วยงานที่ใช้คู่มือนี้เท่านั้นที่แก้ไขส่วนเพิ่มเติมได้"))
        addition_pk = _int(request.POST.get("addition"))
        if addition_pk is not None:
            editing = get_object_or_404(LocalAddition, pk=addition_pk, adoption=adoption)
        if request.POST.get("action") == "delete" and editing is not None:
            services.local_addition_delete(addition=editing, by=request.user)
            messages.success(request, _("ลบส่วนเพิ่มเติมแล้ว"))
            return redirect("rounds:local_additions", pk=manual.pk, agency_pk=adoption.agency_id)
        form = LocalAdditionForm(request.POST, processes=choices)
        if form.is_valid():
            try:
                services.local_addition_save(
                    adoption=adoption,
                    by=request.user,
                    addition=editing,
                    **form.cleaned_data,
                )
            except ValidationError as exc:
                messages.error(request, _error_text(exc))
            else:
                messages.success(request, _("บันทึกส่วนเพิ่มเติมแล้ว"))
                return redirect(
                    "rounds:local_additions", pk=manual.pk, agency_pk=adoption.agency_id
                )
        else:
            messages.error(request, _("โปรดกรอกข้อมูลให้ครบ"))
    rows = []
    for addition in additions:
        process = processes.get(addition.after_process_lineage)
        initial = {
            "after_process_lineage": str(addition.after_process_lineage or ""),
            "title": addition.title,
            "body": addition.body,
        }
        row_form = (
            form
            if editing is not None and editing.pk == addition.pk
            else LocalAdditionForm(
                initial=initial, processes=choices, auto_id=f"id_a{addition.pk}_%s"
            )
        )
        rows.append({"addition": addition, "process": process, "form": row_form})
    return render(
        request,
        "rounds/local_additions.html",
        {
            "manual": manual,
            "adoption": adoption,
            "edition": edition,
            "rows": rows,
            "new_form": form if editing is None else LocalAdditionForm(processes=choices),
            "can_edit": can_edit,
        },
        status=400 if request.method == "POST" else 200,
    )
