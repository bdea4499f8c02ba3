"""Reads of the curated libraries: each law with its citations, forms and lanes across manuals.

Every page loads in a fixed number of queries, whatever the number of citations.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from django.db.models import Count, Q

from manuals.models import Edition, Form, Lane, LegalReference
from processes.models import LegalRequirement, Process
from search.selectors import process_numbers
from search.text import search_compact


def legal_library(*, query: str = "", status: str = "") -> list[LegalReference]:
    """Library entries (merged duplicates left out) with their citation counts."""
    from manuals.selectors import legal_reference_search

    qs = LegalReference.objects.filter(merged_into__isnull=True)
    if query.strip():
        ids = [r.pk for r in legal_reference_search(query=query, limit=200)]
        qs = qs.filter(pk__in=ids)
    if status in LegalReference.Status.values:
        qs = qs.filter(status=status)
    return list(
        qs.select_related("replaced_by")
        .annotate(
            n_citations=Count("requirements", distinct=True)
            + Count("merged__requirements", distinct=True),
            n_manuals=Count("requirements__process__edition__manual", distinct=True),
            n_open=Count(
                "requirements",
                filter=Q(requirements__process__edition__status__in=Edition.Status.open_values()),
                distinct=True,
            ),
        )
        .order_by("-n_citations", "title")
    )


@dataclass
class Citation:
    row: LegalRequirement
    edition: Edition
    process: Process
    number: str


@dataclass
class LawPage:
    law: LegalReference
    citations: list[Citation] = field(default_factory=list)
    merged: list[LegalReference] = field(default_factory=list)
    replaces: list[LegalReference] = field(default_factory=list)

    @property
    def manual_count(self) -> int:
        return len({c.edition.manual_id for c in self.citations})

    @property
    def open_citations(self) -> list[Citation]:
        return [c for c in self.citations if c.edition.status in Edition.Status.open_values()]


def law_page(*, law: LegalReference) -> LawPage:
    """A law with every citation (manual, edition, process, clause), its merged spellings and
    the laws it replaced."""
    merged = list(LegalReference.objects.filter(merged_into=law))
    rows = list(
        LegalRequirement.objects.filter(reference_id__in=[law.pk, *[m.pk for m in merged]])
        .select_related("process__edition__manual__agency__parent", "reference")
        .order_by("process__edition__manual__agency__name", "-process__edition__year_be", "pk")
    )
    numbers = process_numbers({row.process.edition_id for row in rows})
    citations = [
        Citation(row, row.process.edition, row.process, numbers.get(row.process_id, ""))
        for row in rows
    ]
    return LawPage(
        law=law,
        citations=citations,
        merged=merged,
        replaces=list(LegalReference.objects.filter(replaced_by=law)),
    )


def manuals_citing(*, law: LegalReference, only_open: bool = True) -> list[Citation]:
    """The citations planners export: by default only drafts still being revised."""
    page = law_page(law=law)
    return page.open_citations if only_open else page.citations


@dataclass
class UsageRow:
    name: str  # the most common spelling
    spellings: list[str]
    editions: int
    manuals: int
    steps: int
    agencies: list[str] = field(default_factory=list)  # where it is used


def _group(rows, key_text) -> list[UsageRow]:
    groups: dict[str, dict] = {}
    for row in rows:
        key = search_compact(key_text(row))
        if not key:
            continue
        group = groups.setdefault(
            key, {"names": {}, "editions": set(), "manuals": set(), "steps": 0, "agencies": []}
        )
        name = " ".join(key_text(row).split())
        group["names"][name] = group["names"].get(name, 0) + 1
        group["editions"].add(row["edition_id"])
        group["manuals"].add(row["edition__manual_id"])
        group["steps"] += row["n_steps"]
        agency = row["edition__manual__agency__name"]
        if agency not in group["agencies"]:
            group["agencies"].append(agency)
    out = []
    for group in groups.values():
        names = sorted(group["names"], key=lambda n: -group["names"][n])
        out.append(
            UsageRow(
                names[0],
                names,
                len(group["editions"]),
                len(group["manuals"]),
                group["steps"],
                sorted(group["agencies"]),
            )
        )
    out.sort(key=lambda r: (-r.manuals, -r.steps, r.name))
    return out


def forms_across_manuals(*, query: str = "") -> list[UsageRow]:
    """Every form code across manuals (spellings folded), with where and how often it is used."""
    qs = Form.objects.filter(edition__status__in=[*Edition.Status.open_values(), "published"])
    if query.strip():
        qs = qs.filter(Q(code__icontains=query.strip()) | Q(title__icontains=query.strip()))
    rows = qs.values(
        "code", "title", "edition_id", "edition__manual_id", "edition__manual__agency__name"
    ).annotate(n_steps=Count("step"))
    return _group(rows, lambda r: r["code"])


def lanes_across_manuals(*, query: str = "") -> list[UsageRow]:
    """Every position / unit / body named as an actor across manuals, so editors reuse names."""
    qs = Lane.objects.filter(edition__status__in=[*Edition.Status.open_values(), "published"])
    if query.strip():
        qs = qs.filter(Q(name__icontains=query.strip()) | Q(full_name__icontains=query.strip()))
    rows = qs.values(
        "name", "edition_id", "edition__manual_id", "edition__manual__agency__name"
    ).annotate(n_steps=Count("steps", distinct=True))
    return _group(rows, lambda r: r["name"])
