"""Reads of the rounds app: which manuals a round covers, how far each has got, the round page.

The round page runs a fixed number of queries whatever the number of manuals: the round and
its milestones, the participations with their manuals, agencies and editions, adoptions, the
open-comment counts and the two health aggregates of ``reviews.selectors.edition_health``.
"""

from __future__ import annotations

import datetime
import hashlib
from dataclasses import dataclass, field
from decimal import ROUND_HALF_UP, Decimal

from django.db.models import Count, Q
from django.utils import timezone

from manuals.models import Adoption, Agency, Edition, Manual
from manuals.selectors import agency_tree
from reviews.models import Comment
from reviews.selectors import Health, edition_health
from rounds.models import Milestone, Participation, ProgressReport, ProgressSnapshot, Round

S = Edition.Status
DUE_SOON_DAYS = 7


def agency_subtree_ids(agency_id: int | None, tree=None) -> set[int] | None:
    """The agency and everything below it (None: the whole tree)."""
    if agency_id is None:
        return None
    children: dict = {}
    for agency, _depth in tree if tree is not None else agency_tree():
        children.setdefault(agency.parent_id, []).append(agency.pk)
    ids, frontier = {agency_id}, [agency_id]
    while frontier:
        frontier = [c for pk in frontier for c in children.get(pk, [])]
        ids.update(frontier)
    return ids


def manuals_in_scope(*, scope: Agency | None):
    """Manuals owned inside the scope, plus shared manuals adopted by an agency inside it."""
    ids = agency_subtree_ids(scope.pk if scope else None)
    manuals = Manual.objects.all()
    if ids is not None:
        adopted = Adoption.objects.filter(agency_id__in=ids).values("manual_id")
        manuals = manuals.filter(Q(agency_id__in=ids) | Q(pk__in=adopted))
    return manuals.order_by("pk")


# --- the content fingerprint of a compiled final ---------------------------------------------


def edition_fingerprint(*, edition: Edition) -> str:
    """A hash of the edition's content: its text sections and every row (pk and version) of
    every table under it. Any save, insert or delete after compiling changes it."""
    from manuals.content import edition_tables
    from processes.models import Step

    digest = hashlib.sha256()
    fields = Edition.objects.filter(pk=edition.pk).values_list(
        "preface",
        "executive_summary",
        "background",
        "objectives",
        "structure_duties",
        "chart_lane_mode",
        "chart_lane_header",
        "label",
        "year_be",
    )
    digest.update(repr(list(fields)).encode("utf-8", "surrogatepass"))
    for model, path, _fks in edition_tables():
        rows = model.objects.filter(**{path: edition}).order_by("pk").values_list("pk", "version")
        digest.update(model.__name__.encode())
        digest.update(repr(list(rows)).encode())
    for name in ("other_lanes", "forms"):
        through = getattr(Step, name).through
        rows = through.objects.filter(step__process__edition=edition).order_by("pk")
        digest.update(repr(list(rows.values_list())).encode())
    return digest.hexdigest()


# --- progress --------------------------------------------------------------------------------


def milestone_met(kind: str, *, status: str, compiled: bool) -> bool:
    """Whether an edition in ``status`` has met a milestone of that kind."""
    done = status in (S.APPROVED, S.PUBLISHED, S.SUPERSEDED)
    if kind == Milestone.Kind.DRAFT_DUE:
        return done or status in (S.SUBMITTED, S.CHANGES_REQUESTED)
    if kind == Milestone.Kind.REVIEW_DUE:
        return done or compiled or status == S.CHANGES_REQUESTED
    if kind == Milestone.Kind.FINAL_DUE:
        return done or compiled
    return done


def edition_progress(*, status: str, compiled: bool, health: Health, open_comments: int) -> float:
    """How far one manual has got in the round, 0–1, from what the system knows.

    Approved or published: 1. Compiled final: 0.9. Submitted: 0.7. Changes requested: 0.55.
    Draft: 0.1 plus up to 0.4 for completeness (1 minus the health-panel gaps per process and
    step). Each open comment takes 0.02 off (at most 0.1) until the final is compiled.
    """
    if status in (S.APPROVED, S.PUBLISHED, S.SUPERSEDED):
        return 1.0
    if compiled:
        return 0.9
    if status == S.SUBMITTED:
        value = 0.7
    elif status == S.CHANGES_REQUESTED:
        value = 0.55
    else:
        items = health.processes + 2 * health.steps
        completeness = 1 - health.problems / items if items else 0.0
        value = 0.1 + 0.4 * max(0.0, min(1.0, completeness))
    return max(0.0, value - min(0.1, 0.02 * open_comments))


def planned_percent(*, round: Round, milestones: list[Milestone], on: datetime.date) -> Decimal:
    """The plan: 0 % when the round opens, then 40 / 60 / 85 / 100 % at the four milestones,
    straight lines in between."""
    targets = {
        Milestone.Kind.DRAFT_DUE: 40,
        Milestone.Kind.REVIEW_DUE: 60,
        Milestone.Kind.FINAL_DUE: 85,
        Milestone.Kind.APPROVAL: 100,
    }
    start = timezone.localtime(round.created_at).date() if round.created_at else on
    points = [(start, 0.0)] + sorted(
        (m.due_on, float(targets[m.kind])) for m in milestones if m.kind in targets
    )
    value = 0.0
    for (d0, v0), (d1, v1) in zip(points, points[1:], strict=False):
        if on >= d1:
            value = v1
        elif on > d0:
            value = v0 + (v1 - v0) * (on - d0).days / max(1, (d1 - d0).days)
            break
    return _pct(value)


def _pct(value: float) -> Decimal:
    return Decimal(str(value)).quantize(Decimal("0.01"), rounding=ROUND_HALF_UP)


@dataclass
class MilestoneCell:
    milestone: Milestone
    met: bool
    late: bool
    due_soon: bool


@dataclass
class ManualRow:
    participation: Participation
    manual: Manual
    edition: Edition | None
    status: str
    status_label: str
    compiled: bool
    open_comments: int
    health: Health
    progress: float | None
    cells: list[MilestoneCell]
    adopters: list[Agency] = field(default_factory=list)

    @property
    def percent(self) -> Decimal | None:
        return None if self.progress is None else _pct(self.progress * 100)

    @property
    def late(self) -> bool:
        return any(c.late for c in self.cells)


@dataclass
class AgencyGroup:
    agency: Agency
    rows: list[ManualRow]

    @property
    def percent(self) -> Decimal | None:
        values = [r.progress for r in self.rows if r.progress is not None]
        return _pct(100 * sum(values) / len(values)) if values else None

    @property
    def late(self) -> bool:
        return any(r.late for r in self.rows)


@dataclass
class RoundProgress:
    round: Round
    milestones: list[Milestone]
    groups: list[AgencyGroup]
    rows: list[ManualRow]
    percent: Decimal
    planned: Decimal
    counts: dict[str, int]
    skipped: list[ManualRow]
    today: datetime.date

    @property
    def on_plan(self) -> bool:
        return self.percent >= self.planned

    @property
    def late_count(self) -> int:
        return sum(r.late for r in self.rows)

    @property
    def compiled_count(self) -> int:
        return sum(r.compiled and r.status == S.SUBMITTED for r in self.rows)


def round_get(*, pk: int) -> Round:
    return Round.objects.select_related("scope", "opened_by").get(pk=pk)


def rounds_list():
    return Round.objects.select_related("scope").annotate(
        manuals=Count("participations", filter=Q(participations__state="joined"))
    )


ROW_FIELDS = (
    "round_id",
    "manual_id",
    "state",
    "skip_reason",
    "edition_id",
    "active",
    "compiled_fingerprint",
)


def agency_options(tree) -> list[tuple[int, str]]:
    """The agency tree as indented option labels for the filter."""
    return [(agency.pk, "\u00a0\u00a0\u00a0" * depth + agency.name) for agency, depth in tree]


def round_progress(
    *, round: Round, agency_id: int | None = None, today: datetime.date | None = None, tree=None
) -> RoundProgress:
    """Every manual of the round with its status against each milestone and its progress,
    grouped by owning agency; ``agency_id`` keeps manuals owned or adopted in that subtree."""
    today = today or timezone.localdate()
    milestones = list(round.milestones.order_by("due_on", "pk"))
    # Only what the page shows: 300 editions' text sections would dominate the page's time.
    participations = (
        Participation.objects.filter(round=round)
        .select_related("manual__agency", "manual__working_group", "edition")
        .only(
            *ROW_FIELDS,
            "manual__slug",
            "manual__title",
            "manual__agency__name",
            "manual__agency__parent_id",
            "manual__working_group__name",
            "manual__working_group__manual_id",
            "edition__status",
            "edition__year_be",
            "edition__label",
            "edition__manual_id",
        )
    )
    adoptions: dict[int, list[Agency]] = {}
    for adoption in (
        Adoption.objects.filter(manual__participations__round=round)
        .select_related("agency")
        .order_by("agency__name")
    ):
        adoptions.setdefault(adoption.manual_id, []).append(adoption.agency)
    keep = agency_subtree_ids(int(agency_id), tree) if agency_id else None
    participations = list(participations.order_by("manual__agency__name", "manual__pk"))
    if keep is not None:
        participations = [
            p
            for p in participations
            if p.manual.agency_id in keep
            or any(a.pk in keep for a in adoptions.get(p.manual_id, []))
        ]
    edition_ids = [p.edition_id for p in participations if p.edition_id]
    open_counts = dict(
        Comment.objects.threads()
        .open()
        .filter(edition_id__in=edition_ids)
        .values("edition_id")
        .annotate(n=Count("id"))
        .order_by()
        .values_list("edition_id", "n")
    )
    health = edition_health(edition_ids=edition_ids)

    rows, skipped = [], []
    counts = dict.fromkeys(S.values, 0)
    for p in participations:
        edition = p.edition
        if p.state == Participation.State.SKIPPED or edition is None:
            skipped.append(
                ManualRow(
                    participation=p,
                    manual=p.manual,
                    edition=None,
                    status="",
                    status_label=p.skip_reason,
                    compiled=False,
                    open_comments=0,
                    health=Health(),
                    progress=None,
                    cells=[],
                    adopters=adoptions.get(p.manual_id, []),
                )
            )
            continue
        compiled = p.is_compiled
        opened = open_counts.get(edition.pk, 0)
        h = health.get(edition.pk, Health())
        cells = []
        for m in milestones:
            met = milestone_met(m.kind, status=edition.status, compiled=compiled)
            cells.append(
                MilestoneCell(
                    milestone=m,
                    met=met,
                    late=not met and m.due_on < today,
                    due_soon=not met
                    and today <= m.due_on <= today + datetime.timedelta(days=DUE_SOON_DAYS),
                )
            )
        counts[edition.status] += 1
        rows.append(
            ManualRow(
                participation=p,
                manual=p.manual,
                edition=edition,
                status=edition.status,
                status_label=edition.get_status_display(),
                compiled=compiled,
                open_comments=opened,
                health=h,
                progress=edition_progress(
                    status=edition.status, compiled=compiled, health=h, open_comments=opened
                ),
                cells=cells,
                adopters=adoptions.get(p.manual_id, []),
            )
        )
    groups: dict[int, AgencyGroup] = {}
    for row in rows:
        agency = row.manual.agency
        groups.setdefault(agency.pk, AgencyGroup(agency=agency, rows=[])).rows.append(row)
    values = [r.progress for r in rows]
    return RoundProgress(
        round=round,
        milestones=milestones,
        groups=list(groups.values()),
        rows=rows,
        percent=_pct(100 * sum(values) / len(values)) if values else Decimal("0.00"),
        planned=planned_percent(round=round, milestones=milestones, on=today),
        counts=counts,
        skipped=skipped,
        today=today,
    )


def compiled_finals(*, round: Round):
    """Participations whose final ก.ก. compiled and that still wait for approval."""
    return (
        Participation.objects.filter(
            round=round,
            state=Participation.State.JOINED,
            edition__status=S.SUBMITTED,
        )
        .exclude(compiled_fingerprint="")
        .select_related("manual__agency", "edition")
        .annotate(
            open_comments=Count(
                "edition__comments",
                filter=Q(
                    edition__comments__status=Comment.Status.OPEN,
                    edition__comments__parent__isnull=True,
                ),
            )
        )
        .order_by("manual__agency__name", "pk")
    )


def snapshots_of(*, round: Round) -> list[ProgressSnapshot]:
    return list(round.snapshots.order_by("taken_on"))


def reports_of(*, round: Round) -> list[ProgressReport]:
    return list(round.reports.order_by("number"))


# --- shared manuals --------------------------------------------------------------------------


@dataclass
class AgencyComments:
    agency: Agency | None  # None: comments by someone outside the adopting agencies
    threads: list[Comment]

    @property
    def total(self) -> int:
        return len(self.threads)

    @property
    def open(self) -> int:
        return sum(t.is_open for t in self.threads)

    @property
    def answered(self) -> int:
        return sum(bool(t.replies.all()) for t in self.threads)


def shared_manuals():
    """Every manual with a working group, with its adopter count."""
    return (
        Manual.objects.filter(working_group__isnull=False)
        .select_related("agency", "working_group")
        .annotate(adopters=Count("adoptions", distinct=True))
        .order_by("title", "pk")
    )


def shared_edition(*, manual: Manual) -> Edition | None:
    """The edition adopters look at: the open draft, else the published edition."""
    return (
        manual.editions.open().first()
        or manual.editions.published().order_by("-published_on").first()
    )


def comments_by_agency(*, edition: Edition) -> list[AgencyComments]:
    """The edition's comment threads grouped by the adopting agency of their author, in a
    fixed number of queries (threads with replies, adoptions, authors' memberships, tree)."""
    from django.db.models import Prefetch

    from manuals.models import Membership

    threads = list(
        Comment.objects.threads()
        .filter(edition=edition)
        .select_related("author", "resolved_by")
        .prefetch_related(
            Prefetch(
                "replies",
                queryset=Comment.objects.select_related("author").order_by("created_at", "pk"),
            )
        )
        .order_by("status", "created_at", "pk")
    )
    adopters = {
        a.agency_id: a.agency
        for a in Adoption.objects.filter(manual_id=edition.manual_id).select_related(
            "agency__parent"
        )
    }
    parents = dict(Agency.objects.values_list("pk", "parent_id"))
    agencies_of: dict[int, list[int]] = {}
    for user_id, agency_id in Membership.objects.filter(
        user_id__in={t.author_id for t in threads}
    ).values_list("user_id", "agency_id"):
        agencies_of.setdefault(user_id, []).append(agency_id)

    def adopter_of(user_id: int) -> Agency | None:
        for agency_id in agencies_of.get(user_id, []):
            node = agency_id
            while node is not None:
                if node in adopters:
                    return adopters[node]
                node = parents.get(node)
        return None

    groups: dict[int | None, AgencyComments] = {}
    for thread in threads:
        agency = adopter_of(thread.author_id)
        key = agency.pk if agency else None
        groups.setdefault(key, AgencyComments(agency=agency, threads=[])).threads.append(thread)
    return sorted(
        groups.values(),
        key=lambda g: (g.agency is None, -g.open, g.agency.name if g.agency else ""),
    )


def adopters_of(*, manual: Manual) -> list[Agency]:
    return [
        a.agency for a in Adoption.objects.filter(manual=manual).select_related("agency__parent")
    ]


def chart_points(*, snapshots: list[ProgressSnapshot], width: int = 640, height: int = 220):
    """Polyline points (actual, planned) of the progress chart, in an SVG box of that size."""
    if not snapshots:
        return {"actual": "", "planned": "", "width": width, "height": height, "labels": []}
    pad = 30
    n = len(snapshots)
    step = (width - 2 * pad) / max(1, n - 1)

    def y(value) -> float:
        return round(height - pad - float(value) / 100 * (height - 2 * pad), 1)

    actual = " ".join(f"{round(pad + i * step, 1)},{y(s.percent)}" for i, s in enumerate(snapshots))
    planned = " ".join(
        f"{round(pad + i * step, 1)},{y(s.planned_percent)}" for i, s in enumerate(snapshots)
    )
    labels = [
        {"x": round(pad + i * step, 1), "date": s.taken_on, "percent": s.percent}
        for i, s in enumerate(snapshots)
        if n <= 8 or i in (0, n - 1) or i % max(1, n // 6) == 0
    ]
    gridlines = [{"y": y(v), "value": v} for v in (0, 25, 50, 75, 100)]
    return {
        "actual": actual,
        "planned": planned,
        "width": width,
        "height": height,
        "labels": labels,
        "grid": gridlines,
        "bottom": height - pad + 16,
    }
