"""Reads for the review pages and the planners' dashboard, with their queries fixed up front."""

from __future__ import annotations

import datetime
from dataclasses import dataclass, field

from django.db.models import Count, Prefetch, Q
from django.utils import timezone

from manuals.models import Agency, Edition, Manual
from manuals.selectors import agency_tree
from processes.health import HealthCounts, edition_health_counts
from reviews.models import AuditEntry, Comment, Notification

DUE_SOON_DAYS = 90


# --- dashboard ------------------------------------------------------------------------------


# One set of rules for the dashboard and the editor's health panel (processes.health).
Health = HealthCounts


@dataclass
class DashboardRow:
    manual: Manual
    current: Edition | None  # the open edition, else the latest published one
    published: Edition | None  # the latest published edition
    next_review_due: datetime.date | None
    overdue: bool
    due_soon: bool
    health: Health
    open_comments: int = 0

    @property
    def status(self) -> str:
        return self.current.status if self.current else ""

    @property
    def days_to_due(self) -> int | None:
        if self.next_review_due is None:
            return None
        return (self.next_review_due - timezone.localdate()).days


@dataclass
class Dashboard:
    rows: list[DashboardRow]
    status_counts: dict[str, int] = field(default_factory=dict)
    overdue: int = 0
    due_soon: int = 0
    never_published: int = 0
    total: int = 0


def edition_health(*, edition_ids: list[int]) -> dict[int, Health]:
    """Health per edition in two aggregate queries, however many editions."""
    return edition_health_counts(edition_ids=edition_ids)


def _descendants(agency_id: int, tree: list[tuple[Agency, int]]) -> set[int]:
    children: dict = {}
    for agency, _depth in tree:
        children.setdefault(agency.parent_id, []).append(agency.pk)
    ids, frontier = {agency_id}, [agency_id]
    while frontier:
        frontier = [c for pk in frontier for c in children.get(pk, [])]
        ids.update(frontier)
    return ids


def dashboard_build(
    *,
    agency_id: int | None = None,
    search: str = "",
    status: str = "",
    due: str = "",
    tree: list[tuple[Agency, int]] | None = None,
    today: datetime.date | None = None,
) -> Dashboard:
    """Every manual with its edition status, last publication, next review and health.

    A fixed number of queries whatever the number of manuals: manuals with their agencies,
    their editions, the health aggregates and the open-comment counts.
    ``agency_id`` keeps that agency and its sub-units; ``search`` matches the manual's title,
    its agency's name or short name; ``status`` a status of the current edition (or "none");
    ``due`` is "overdue" or "soon".
    """
    today = today or timezone.localdate()
    if tree is None:
        tree = agency_tree()
    manuals = Manual.objects.select_related("agency", "agency__parent").prefetch_related(
        Prefetch(
            "editions",
            queryset=Edition.objects.order_by("-year_be", "-pk").annotate(
                open_comments=Count(
                    "comments",
                    filter=Q(comments__status=Comment.Status.OPEN, comments__parent__isnull=True),
                )
            ),
        )
    )
    if agency_id:
        manuals = manuals.filter(agency_id__in=_descendants(int(agency_id), tree))
    search = (search or "").strip()
    if search:
        manuals = manuals.filter(
            Q(title__icontains=search)
            | Q(agency__name__icontains=search)
            | Q(agency__short_name__icontains=search)
            | Q(agency__parent__name__icontains=search)
        )
    manuals = list(manuals.order_by("agency__name", "slug"))

    rows: list[DashboardRow] = []
    for manual in manuals:
        editions = list(manual.editions.all())
        open_edition = next((e for e in editions if e.status in Edition.Status.open_values()), None)
        published = max(
            (e for e in editions if e.status == Edition.Status.PUBLISHED),
            key=lambda e: (e.published_on, e.pk),
            default=None,
        )
        current = open_edition or published or (editions[0] if editions else None)
        next_due = published.next_review_due if published else None
        rows.append(
            DashboardRow(
                manual=manual,
                current=current,
                published=published,
                next_review_due=next_due,
                overdue=next_due is not None and next_due < today,
                due_soon=next_due is not None
                and today <= next_due <= today + datetime.timedelta(days=DUE_SOON_DAYS),
                health=Health(),
                open_comments=getattr(current, "open_comments", 0) if current else 0,
            )
        )

    health = edition_health(edition_ids=[r.current.pk for r in rows if r.current])
    for row in rows:
        if row.current:
            row.health = health[row.current.pk]

    counts = dict.fromkeys(Edition.Status.values, 0)
    for row in rows:
        if row.current:
            counts[row.current.status] += 1
    dashboard = Dashboard(
        rows=rows,
        status_counts=counts,
        overdue=sum(r.overdue for r in rows),
        due_soon=sum(r.due_soon for r in rows),
        never_published=sum(r.published is None for r in rows),
        total=len(rows),
    )
    if status == "none":
        dashboard.rows = [r for r in rows if r.current is None]
    elif status:
        dashboard.rows = [r for r in rows if r.status == status]
    if due == "overdue":
        dashboard.rows = [r for r in dashboard.rows if r.overdue]
    elif due == "soon":
        dashboard.rows = [r for r in dashboard.rows if r.due_soon]
    # Overdue first, then the nearest due date, then the rest by agency.
    dashboard.rows.sort(
        key=lambda r: (
            0 if r.overdue else 1 if r.due_soon else 2,
            r.next_review_due or datetime.date.max,
        )
    )
    return dashboard


# --- review page ----------------------------------------------------------------------------


def edition_for_review(*, pk: int) -> Edition:
    return Edition.objects.select_related("manual__agency", "based_on").get(pk=pk)


def audit_trail(*, edition: Edition):
    return (
        AuditEntry.objects.filter(edition=edition)
        .select_related("actor", "comment")
        .order_by("-created_at", "-pk")
    )


def comment_threads(*, edition: Edition, **target):
    """Top-level comments of an edition (optionally of one target) with their replies."""
    qs = (
        Comment.objects.threads()
        .filter(edition=edition, **target)
        .select_related("author", "resolved_by")
        .prefetch_related(
            Prefetch(
                "replies",
                queryset=Comment.objects.select_related("author").order_by("created_at", "pk"),
            )
        )
    )
    return qs.order_by("status", "created_at", "pk")


def open_comment_count(*, edition: Edition) -> int:
    return Comment.objects.threads().open().filter(edition=edition).count()


def open_comment_counts(*, edition: Edition) -> dict:
    """Open comments per target lineage (None: on the edition itself), in one query."""
    rows = (
        Comment.objects.threads()
        .open()
        .filter(edition=edition)
        .values("target_lineage")
        .annotate(n=Count("id"))
        .order_by()
    )
    return {r["target_lineage"]: r["n"] for r in rows}


def edition_outline(*, edition: Edition):
    """The edition's processes with their steps, numbered, for commenting (three queries)."""
    from processes.models import Process, Step

    processes = list(
        Process.objects.filter(edition=edition)
        .select_related("mission")
        .prefetch_related(
            Prefetch("steps", queryset=Step.objects.select_related("lane").order_by("position"))
        )
    )
    by_pk = {p.pk: p for p in processes}
    for process in processes:
        parts, node = [], process
        while node is not None:
            parts.insert(0, node.position)
            if node.parent_id is None:
                parts.insert(0, node.mission.position)
            node = by_pk.get(node.parent_id)
        process._number = ".".join(str(p) for p in parts)
    processes.sort(key=lambda p: [int(x) for x in p._number.split(".")])
    return processes


def editions_of(*, manual: Manual):
    return manual.editions.order_by("-year_be", "-pk")


def inbox(*, user):
    return Notification.objects.filter(recipient=user).select_related("edition__manual__agency")
