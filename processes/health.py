"""Edition health: the gaps an editor can fix before submitting, counted by one set of rules.

The dashboard (``reviews``, many editions in aggregate queries) and the overview's health panel
(one edition, the rows listed) both read these rules, so the two never disagree on the same
edition. Each rule is a ``Q`` on its model: the panel filters rows with it, the dashboard
counts rows with it.
"""

from __future__ import annotations

from dataclasses import dataclass

from django.db.models import CharField, Count, Func, Q, Value
from django.db.models.lookups import Exact

from processes.models import Process, Step

# Work steps carry a duration; terminators, documents, databases and connectors do not.
TIMED_SHAPES = (Step.Shape.ACTIVITY, Step.Shape.DECISION, Step.Shape.SUBPROCESS)
# Terminators and connectors sit in no one's lane.
NO_ACTOR_SHAPES = (Step.Shape.START, Step.Shape.END, Step.Shape.CONNECTOR)

# Blank = nothing but whitespace, tested in SQL (TRIM), not with a regex: SQLite runs a regex
# through a Python callback per row, which made the round page over 300 manuals (72,000
# steps) spend most of its time here.
WHITESPACE = " \t\n\r\x0b\x0c\xa0\u200b"


class Stripped(Func):
    """The text without leading and trailing whitespace (``WHITESPACE``)."""

    function = "TRIM"
    output_field = CharField()

    def __init__(self, expression, **extra):
        super().__init__(expression, Value(WHITESPACE), **extra)

    def as_postgresql(self, compiler, connection, **extra):
        return self.as_sql(compiler, connection, function="BTRIM", **extra)


_BLANK_DURATION = Q(Exact(Stripped("duration_text"), ""))
# Table 2 (and its indicators) belongs to a process; sub-processes share their parent's.
PROCESS_WITHOUT_INDICATORS = Q(parent__isnull=True, indicators__isnull=True)
STEP_WITHOUT_ACTOR = Q(lane__isnull=True) & ~Q(shape__in=NO_ACTOR_SHAPES)
STEP_WITHOUT_DURATION = _BLANK_DURATION & Q(shape__in=TIMED_SHAPES)
STEP_UNPARSED_DURATION = ~_BLANK_DURATION & Q(duration_parsed=False)


@dataclass
class HealthCounts:
    """An edition's health in numbers (the dashboard's column)."""

    processes: int = 0
    processes_without_indicators: int = 0
    steps: int = 0
    steps_without_lane: int = 0
    steps_without_duration: int = 0
    unparsed_durations: int = 0

    @property
    def problems(self) -> int:
        return (
            self.processes_without_indicators
            + self.steps_without_lane
            + self.steps_without_duration
            + self.unparsed_durations
        )


def edition_health_counts(*, edition_ids: list[int]) -> dict[int, HealthCounts]:
    """Health per edition in two aggregate queries, however many editions."""
    out: dict[int, HealthCounts] = {pk: HealthCounts() for pk in edition_ids}
    if not edition_ids:
        return out
    for row in (
        Process.objects.filter(edition_id__in=edition_ids)
        .values("edition_id")
        .annotate(
            total=Count("id", distinct=True),
            without=Count("id", distinct=True, filter=PROCESS_WITHOUT_INDICATORS),
        )
        .order_by()
    ):
        health = out[row["edition_id"]]
        health.processes = row["total"]
        health.processes_without_indicators = row["without"]
    for row in (
        Step.objects.filter(process__edition_id__in=edition_ids)
        .values("process__edition_id")
        .annotate(
            total=Count("id"),
            no_lane=Count("id", filter=STEP_WITHOUT_ACTOR),
            no_duration=Count("id", filter=STEP_WITHOUT_DURATION),
            unparsed=Count("id", filter=STEP_UNPARSED_DURATION),
        )
        .order_by()
    ):
        health = out[row["process__edition_id"]]
        health.steps = row["total"]
        health.steps_without_lane = row["no_lane"]
        health.steps_without_duration = row["no_duration"]
        health.unparsed_durations = row["unparsed"]
    return out
