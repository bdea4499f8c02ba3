"""Pages of manuals and editions: home, a manual's address, front-matter text.

The edition overview and the edition history combine manuals and processes, so they live in
``processes.views.edition`` (their URLs keep the names manuals:edition and manuals:history).
"""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_POST

from manuals import services
from manuals.forms import EditionTextForm, StartRevisionForm
from manuals.models import Edition, Manual
from manuals.permissions import can_edit, require
from manuals.selectors import edition_latest_published, edition_open, manuals_for_user
from manuals.services import TEXT_SECTIONS, StaleDataError

VIEW = "manuals.view_edition"
EDIT = "manuals.edit_edition"


@login_required
@require_GET
def home(request):
    """The user's manuals: edition status, last published, next review, open the draft."""
    rows = []
    for manual in manuals_for_user(user=request.user):
        editions = list(manual.editions.all())
        draft = next((e for e in editions if e.status in Edition.Status.open_values()), None)
        published = next((e for e in editions if e.status == Edition.Status.PUBLISHED), None)
        rows.append(
            {
                "manual": manual,
                "draft": draft,
                "published": published,
                "can_start": draft is None
                and request.user.has_perm("manuals.start_revision", manual),
                "can_edit_draft": draft is not None and can_edit(request.user, draft),
            }
        )
    return render(request, "manuals/home.html", {"rows": rows})


@login_required
@require_GET
def manual(request, slug: str):
    """A manual's address: its open draft for those who may see it, else the published edition."""
    manual_obj = get_object_or_404(Manual, slug=slug)
    draft = edition_open(manual=manual_obj)
    if draft is not None and request.user.has_perm(VIEW, draft):
        return redirect(draft)
    published = edition_latest_published(manual=manual_obj)
    if published is None:
        raise PermissionDenied(_("คุณไม่มีสิทธิ์เปิดดูฉบับร่างของหน่วยงานนี้"))
    return redirect(published)


@login_required
@require_POST
def start_revision(request, slug: str):
    manual_obj = get_object_or_404(Manual.objects.select_related("agency"), slug=slug)
    require(request.user, "manuals.start_revision", manual_obj)
    form = StartRevisionForm(request.POST)
    year = form.cleaned_data["year_be"] if form.is_valid() else None
    try:
        draft = services.edition_start_revision(manual=manual_obj, year_be=year, by=request.user)
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
        return redirect("manuals:home")
    messages.success(request, _("เริ่มฉบับปรับปรุงแล้ว: คัดลอกเนื้อหาจากฉบับที่เผยแพร่มาให้แก้ไข"))
    return redirect(draft)


def _edition_or_404(pk: int) -> Edition:
    return get_object_or_404(Edition.objects.select_related("manual__agency"), pk=pk)


def _section_or_404(section: str) -> str:
    if section not in TEXT_SECTIONS:
        raise Http404
    return section


@login_required
@require_GET
def section(request, pk: int, section: str):
    edition = _edition_or_404(pk)
    require(request.user, VIEW, edition)
    name = _section_or_404(section)
    return render(
        request,
        "manuals/_section.html",
        {
            "edition": edition,
            "name": name,
            "title": Edition._meta.get_field(name).verbose_name,
            "text": getattr(edition, name),
            "can_edit": can_edit(request.user, edition),
        },
    )


@login_required
def section_edit(request, pk: int, section: str):
    """A front-matter text section (คำนำ …) edited in place; stale saves are refused."""
    edition = _edition_or_404(pk)
    name = _section_or_404(section)
    require(request.user, EDIT, edition)
    title = Edition._meta.get_field(name).verbose_name
    if request.method == "GET":
        form = EditionTextForm(
            section=name, initial={"text": getattr(edition, name), "version": edition.version}
        )
        return render(
            request, "manuals/_section_form.html", {"edition": edition, "name": name, "form": form}
        )
    if request.method != "POST":
        return HttpResponse(status=405)
    form = EditionTextForm(request.POST, section=name)
    stale = None
    if form.is_valid():
        try:
            edition = services.edition_text_change(
                edition=edition,
                by=request.user,
                data={name: form.cleaned_data["text"]},
                expected_version=form.cleaned_data["version"],
            )
        except StaleDataError as exc:
            record = exc.current.history.select_related("history_user").first()
            stale = {
                "diffs": [(title, getattr(exc.current, name), form.cleaned_data["text"])],
                "who": getattr(record, "history_user", None),
                "when": getattr(record, "history_date", None),
            }
        except ValidationError as exc:
            form.add_error(None, exc.messages)
        else:
            return render(
                request,
                "manuals/_section.html",
                {
                    "edition": edition,
                    "name": name,
                    "title": title,
                    "text": getattr(edition, name),
                    "can_edit": True,
                },
            )
    context = {"edition": edition, "name": name, "form": form, "stale": stale}
    return render(request, "manuals/_section_form.html", context, status=409 if stale else 422)
