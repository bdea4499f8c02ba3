"""Builds the search index rows of an edition from its content (a few queries per edition).

``index_on_change`` is registered with ``core.changes`` (see ``SearchConfig.ready``): the
services that write content call ``core.changes.edition_changed`` inside their transaction, so
the index changes with the content or not at all.
"""

from __future__ import annotations

from collections.abc import Iterable
from functools import lru_cache

from django.db import transaction
from django.db.models import Prefetch
from django.utils import translation

from manuals.models import Abbreviation, Definition, Edition, Form, Responsibility
from manuals.services import TEXT_SECTIONS
from processes.models import (
    Indicator,
    LegalRequirement,
    Process,
    Requirement,
    Stakeholder,
    Step,
)
from search.models import SearchEntry
from search.text import normalise, search_compact, search_words

Kind = SearchEntry.Kind


@lru_cache(maxsize=256)
def _label(model, name: str, language: str) -> str:
    with translation.override(language):
        return str(model._meta.get_field(name).verbose_name)


def _field(model, name: str) -> str:
    """A column's label as the index stores it (Thai, like the printed manual)."""
    return _label(model, name, "th")


def _entry(*, edition_id, kind, title, lines, anchor="", process_id=None, step_id=None, extra=""):
    """One index row; ``extra`` is searchable but not shown (e.g. old spellings of a law)."""
    body = "\n".join(f"{label}: {value}" if label else value for label, value in lines if value)
    text = normalise(f"{title}\n{body}\n{extra}")
    return SearchEntry(
        edition_id=edition_id,
        process_id=process_id,
        step_id=step_id,
        kind=kind,
        anchor=anchor[:80],
        title=(title or "")[:400],
        body=body,
        tokens=" ".join(search_words(text, normalised=True)),
        compact=search_compact(text, normalised=True),
    )


def _edition_entries(edition: Edition) -> list[SearchEntry]:
    out = []
    for name in TEXT_SECTIONS:
        value = getattr(edition, name)
        if value.strip():
            out.append(
                _entry(
                    edition_id=edition.pk,
                    kind=Kind.TEXT,
                    anchor=name,
                    title=_field(Edition, name),
                    lines=[("", value)],
                )
            )
    for model, anchor, head, rest in (
        (Definition, "definition", "term", ("meaning",)),
        (Abbreviation, "abbreviation", "short", ("full",)),
        (Responsibility, "responsibility", "holder", ("duties",)),
    ):
        section = str(model._meta.verbose_name)
        for row in model.objects.filter(edition=edition).order_by("position"):
            out.append(
                _entry(
                    edition_id=edition.pk,
                    kind=Kind.TEXT,
                    anchor=anchor,
                    title=f"{section}: {getattr(row, head)}",
                    lines=[(_field(model, name), getattr(row, name)) for name in rest],
                )
            )
    for form in Form.objects.filter(edition=edition).order_by("code"):
        out.append(
            _entry(
                edition_id=edition.pk,
                kind=Kind.FORM,
                anchor="form",
                title=str(form),
                lines=[(_field(Form, "code"), form.code), (_field(Form, "title"), form.title)],
            )
        )
    return out


def _processes(edition_id: int, process_id: int | None):
    qs = Process.objects.filter(edition_id=edition_id).select_related("mission")
    if process_id is not None:
        qs = qs.filter(pk=process_id)
    return list(
        qs.prefetch_related(
            Prefetch("stakeholders", queryset=Stakeholder.objects.order_by("kind", "position")),
            Prefetch("requirements", queryset=Requirement.objects.order_by("kind", "position")),
            Prefetch("indicators", queryset=Indicator.objects.order_by("kind", "position")),
            Prefetch(
                "legal_requirements",
                queryset=LegalRequirement.objects.select_related("reference").order_by("position"),
            ),
            Prefetch("steps", queryset=Step.objects.select_related("lane").order_by("position")),
        )
    )


def _step_links(processes) -> tuple[dict, dict]:
    """Other lanes' names and forms of every step, two flat queries (no model instances)."""
    ids = [p.pk for p in processes]
    lanes: dict[int, list[str]] = {}
    for step_id, name in Step.other_lanes.through.objects.filter(
        step__process_id__in=ids
    ).values_list("step_id", "lane__name"):
        lanes.setdefault(step_id, []).append(name)
    forms: dict[int, list[str]] = {}
    for step_id, code, title in (
        Step.forms.through.objects.filter(step__process_id__in=ids)
        .order_by("form__code")
        .values_list("step_id", "form__code", "form__title")
    ):
        forms.setdefault(step_id, []).append(f"{code} {title}".strip())
    return lanes, forms


def _process_entries(process: Process, lanes_of: dict, forms_of: dict) -> list[SearchEntry]:
    edition_id = process.edition_id
    out = [
        _entry(
            edition_id=edition_id,
            process_id=process.pk,
            kind=Kind.TABLE1,
            title=process.name,
            lines=[
                (_field(Process, "scope_text"), process.scope_text),
                (_field(Process, "scope_start"), process.scope_start),
                (_field(Process, "scope_end"), process.scope_end),
                (_field(Process, "responsible_unit"), process.responsible_unit),
                (str(process.mission._meta.verbose_name), process.mission.text),
            ],
        )
    ]
    lines: list[tuple[str, str]] = []
    extra: list[str] = []
    for row in process.stakeholders.all():
        lines.append(
            (row.get_kind_display(), f"{row.name} — {row.needs}" if row.needs else row.name)
        )
    for row in process.requirements.all():
        lines.append((row.get_kind_display(), row.text))
    for row in process.indicators.all():
        lines.append((str(Indicator._meta.verbose_name), f"{row.statement} {row.target}".strip()))
    for row in process.legal_requirements.all():
        lines.append(
            (_field(LegalRequirement, "reference"), f"{row.citation} {row.clause_note}".strip())
        )
        extra.extend(row.reference.spellings or [])
        extra.append(row.reference.citation)
    if lines:
        out.append(
            _entry(
                edition_id=edition_id,
                process_id=process.pk,
                kind=Kind.TABLE2,
                title=process.name,
                lines=lines,
                extra="\n".join(extra),
            )
        )
    for step in process.steps.all():
        lanes = [step.lane.name] if step.lane else []
        lanes += lanes_of.get(step.pk, [])
        out.append(
            _entry(
                edition_id=edition_id,
                process_id=process.pk,
                step_id=step.pk,
                kind=Kind.STEP,
                title=step.label or step.detail[:120],
                lines=[
                    (_field(Step, "detail"), step.detail if step.label else ""),
                    (_field(Step, "lane"), ", ".join(lanes)),
                    (_field(Step, "duration_text"), step.duration_text),
                    (_field(Step, "quality_standard"), step.quality_standard),
                    (_field(Step, "monitoring"), step.monitoring),
                    (_field(Step, "forms"), ", ".join(forms_of.get(step.pk, []))),
                    (_field(Step, "references"), step.references),
                ],
            )
        )
    return out


@transaction.atomic
def index_edition(*, edition_id: int, process_id: int | None = None) -> int:
    """Replace the index rows of an edition (or of one of its processes); returns the count."""
    edition = Edition.objects.filter(pk=edition_id).first()
    if edition is None:
        return 0
    if process_id is None:
        SearchEntry.objects.filter(edition_id=edition_id).delete()
        entries = _edition_entries(edition)
    else:
        SearchEntry.objects.filter(edition_id=edition_id, process_id=process_id).delete()
        entries = []
    processes = _processes(edition_id, process_id)
    lanes_of, forms_of = _step_links(processes)
    for process in processes:
        entries.extend(_process_entries(process, lanes_of, forms_of))
    SearchEntry.objects.bulk_create(entries, batch_size=500)
    return len(entries)


def index_on_change(*, edition_id: int, process_id: int | None = None) -> None:
    index_edition(edition_id=edition_id, process_id=process_id)


def index_rebuild(*, edition_ids: Iterable[int] | None = None, progress=None) -> int:
    """Rebuild the index of every edition (or of the given ones); returns the row count."""
    ids = list(edition_ids) if edition_ids is not None else None
    if ids is None:
        SearchEntry.objects.all().delete()
        ids = list(Edition.objects.order_by("pk").values_list("pk", flat=True))
    total = 0
    for done, pk in enumerate(ids, start=1):
        total += index_edition(edition_id=pk)
        if progress is not None:
            progress(done, len(ids), total)
    return total
