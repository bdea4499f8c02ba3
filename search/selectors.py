"""Searching every manual: which editions a user may search, the ranked hits, grouped.

Two stages, the same on PostgreSQL and SQLite:
1. candidates from the index (PostgreSQL: GIN on the ``simple`` tsvector of the word tokens,
   pg_trgm GIN on the compact text; SQLite: FTS5), at most ``CANDIDATES`` rows, restricted to
   the editions the user may read and the filters chosen;
2. those rows ranked in Python (published first, title hits, exact phrase, word coverage),
   then only the page's hits loaded with their manual, process and step.
A query that matches nothing word for word falls back to trigram similarity (misspellings).
Every query count is fixed: it does not grow with the number of hits.
"""

from __future__ import annotations

import math
from dataclasses import dataclass, field

from django.db import connection
from django.db.models import Value
from django.db.models.functions import StrIndex
from django.urls import reverse

from manuals.models import Edition
from manuals.permissions import _agency_parents, can_edit, is_admin, is_any_reader
from processes.models import Process
from search.models import SearchEntry
from search.text import (
    clean_query,
    highlight,
    search_compact,
    search_words,
    word_similarity,
)

CANDIDATES = 200
FUZZY_CANDIDATES = 80
FUZZY_TOTAL = 240
FUZZY_THRESHOLD = 0.6
PAGE_SIZE = 40

STATUS_CHOICES = ("published", "open", "all")


@dataclass
class SearchFilters:
    agency_id: int | None = None
    status: str = "published"  # published | open (drafts under way) | all I may read
    kind: str = ""
    year: int | None = None


@dataclass
class Query:
    text: str
    words: list[str]
    compact: str

    @classmethod
    def parse(cls, raw: str | None) -> Query:
        text = clean_query(raw)
        return cls(
            text=text,
            words=list(dict.fromkeys(search_words(text)))[:12],
            compact=search_compact(text),
        )

    @property
    def empty(self) -> bool:
        return not self.words and not self.compact


@dataclass
class Hit:
    entry: SearchEntry
    score: float
    snippet: str = ""  # HTML: escaped text, matches in <mark>
    title_html: str = ""
    url: str = ""
    editable: bool = False
    process_number: str = ""


@dataclass
class ProcessGroup:
    process: Process | None
    number: str
    hits: list[Hit] = field(default_factory=list)


@dataclass
class EditionGroup:
    edition: Edition
    score: float
    processes: list[ProcessGroup] = field(default_factory=list)


@dataclass
class SearchResult:
    query: Query
    groups: list[EditionGroup]
    total: int  # candidates found (capped at CANDIDATES)
    shown: int
    fuzzy: bool
    capped: bool


# --- who may search what ------------------------------------------------------------------------


def _subtree(agency_id: int, user) -> set[int]:
    parents = _agency_parents(user)
    children: dict = {}
    for pk, parent in parents.items():
        children.setdefault(parent, []).append(pk)
    out, frontier = set(), [agency_id]
    while frontier:
        node = frontier.pop()
        if node not in out:
            out.add(node)
            frontier.extend(children.get(node, []))
    return out


def searchable_editions(*, user, filters: SearchFilters) -> dict[int, Edition]:
    """Editions matching the filters that the user may read (drafts only where allowed)."""
    qs = Edition.objects.select_related("manual__agency")
    if filters.status == "open":
        qs = qs.filter(status__in=Edition.Status.open_values())
    elif filters.status != "all":
        qs = qs.filter(status=Edition.Status.PUBLISHED)
    if filters.year:
        qs = qs.filter(year_be=filters.year)
    if filters.agency_id:
        qs = qs.filter(manual__agency_id__in=_subtree(filters.agency_id, user))
    if filters.status == "published" or is_any_reader(user) or is_admin(user):
        # Everyone signed in reads published editions; readers and admins read every edition
        # (the rule manuals.view_edition, decided once instead of once per edition).
        return {e.pk: e for e in qs} if getattr(user, "is_authenticated", False) else {}
    return {e.pk: e for e in qs if user.has_perm("manuals.view_edition", e)}


# --- stage 1: candidates --------------------------------------------------------------------------


def _pg_candidates(query: Query, edition_ids: list[int], kind: str, limit: int) -> list[int]:
    """Exact-phrase rows first (pg_trgm GIN on the compact text), then word matches (GIN on
    the tsvector), each bounded: two index scans, each rechecking only its own condition."""
    where_kind = "AND kind = %s" if kind else ""
    scope: list = [edition_ids] + ([kind] if kind else [])
    conditions = []
    if len(query.compact) >= 3:
        conditions.append(("compact LIKE %s", f"%{query.compact}%"))
    if query.words:
        conditions.append(
            (
                "tsv @@ plainto_tsquery('simple'::regconfig, %s)",
                " ".join(query.words),
            )
        )
    ids: list[int] = []
    seen: set[int] = set()
    with connection.cursor() as cursor:
        for condition, value in conditions:
            if len(ids) >= limit:
                break
            # Only constant SQL fragments are joined in; every value is a parameter.
            cursor.execute(
                "SELECT id FROM search_searchentry WHERE edition_id = ANY(%s) "  # noqa: S608
                f"{where_kind} AND {condition} LIMIT {int(limit)}",
                [*scope, value],
            )
            for (pk,) in cursor.fetchall():
                if pk not in seen and len(ids) < limit:
                    seen.add(pk)
                    ids.append(pk)
    return ids


def _fts_phrase(text: str) -> str:
    return '"' + text.replace('"', '""') + '"'


def _sqlite_candidates(query: Query, edition_ids: list[int], kind: str, limit: int) -> list[int]:
    parts, params = [], []
    if query.words:
        parts.append("SELECT rowid FROM search_fts_words WHERE search_fts_words MATCH %s")
        params.append(" ".join(_fts_phrase(w) for w in query.words))
    if len(query.compact) >= 3:
        parts.append("SELECT rowid FROM search_fts_trgm WHERE search_fts_trgm MATCH %s")
        params.append(_fts_phrase(query.compact))
    if not parts:
        return []
    marks = ",".join(["%s"] * len(edition_ids))
    where_kind = "AND kind = %s" if kind else ""
    sql = (  # constant fragments and placeholders only
        f"SELECT id FROM search_searchentry WHERE id IN ({' UNION '.join(parts)}) "  # noqa: S608
        f"AND edition_id IN ({marks}) {where_kind} LIMIT {int(limit)}"
    )
    with connection.cursor() as cursor:
        cursor.execute(sql, params + edition_ids + ([kind] if kind else []))
        return [row[0] for row in cursor.fetchall()]


def _fuzzy_candidates(query: Query, edition_ids: list[int], kind: str) -> list[int]:
    """Candidates for a query with a misspelling, from the indexes, bounded: a small
    misspelling leaves one half of the query intact (rows holding the left or the right half
    as a substring) or garbles one word token (rows holding all the other words). The caller
    keeps only the rows whose text is similar enough (``word_similarity``)."""
    text = query.compact
    if len(text) < 4:
        return []
    pieces: list[Query] = []
    if len(text) >= 6:
        half = len(text) // 2
        for part in (text[: half + 1], text[half - 1 :]):
            pieces.append(Query(text=part, words=[], compact=part))
    words = [w for w in query.words if len(w) > 1]
    if len(words) > 1:
        for i in range(min(len(words), 6)):
            subset = words[:i] + words[i + 1 :]
            pieces.append(Query(text=" ".join(subset), words=subset, compact=""))
    ids: list[int] = []
    seen: set[int] = set()
    for piece in pieces:
        if len(ids) >= FUZZY_TOTAL:
            break
        for pk in _candidates(piece, edition_ids, kind, limit=FUZZY_CANDIDATES):
            if pk not in seen:
                seen.add(pk)
                ids.append(pk)
    return ids[:FUZZY_TOTAL]


def _candidates(
    query: Query, edition_ids: list[int], kind: str, limit: int = CANDIDATES
) -> list[int]:
    if connection.vendor == "postgresql":
        return _pg_candidates(query, edition_ids, kind, limit)
    return _sqlite_candidates(query, edition_ids, kind, limit)


# --- stage 2: ranking -----------------------------------------------------------------------------

TITLE_KINDS = {SearchEntry.Kind.TABLE1, SearchEntry.Kind.FORM}


def _word_signals(tokens: list[str], words: list[str]) -> tuple[int, int, int | None]:
    """In one pass: how many query words occur, how often, and the shortest stretch of tokens
    holding them all (None when some is missing)."""
    wanted = set(words)
    last: dict[str, int] = {}
    hits = 0
    best = None
    for index, token in enumerate(tokens):
        if token in wanted:
            hits += 1
            last[token] = index
            if len(last) == len(wanted):
                span = index - min(last.values()) + 1
                if best is None or span < best:
                    best = span
    return len(last), hits, best


def _score(row: dict, query: Query, edition: Edition, fuzzy_score: float | None) -> float:
    tokens = row["tokens"].split()
    title_compact = search_compact(row["title"])
    score = 0.0
    if edition.status == Edition.Status.PUBLISHED:
        score += 3.0
    elif edition.status in Edition.Status.open_values():
        score += 1.0
    if query.compact and query.compact in title_compact:
        score += 2.5
    elif query.words and all(w in title_compact for w in query.words):
        score += 1.5
    if row["phrase_at"]:
        score += 2.0
    if query.words:
        present, hits, stretch = _word_signals(tokens, query.words)
        score += present / len(query.words) + min(hits, 8) * 0.05
        if stretch is not None and len(query.words) > 1:
            # Words close together (e.g. within one law's title) rank above scattered ones.
            slack = stretch - len(query.words)
            score += 1.5 if slack <= 1 else 1.0 if slack <= 12 else 0.0
    if fuzzy_score is not None:
        score += 2.0 * fuzzy_score
    if row["kind"] in TITLE_KINDS:
        score += 0.2
    return score - 0.05 * math.log(1 + len(tokens))


def search_manuals(
    *, user, raw_query: str | None, filters: SearchFilters | None = None, limit: int = PAGE_SIZE
) -> SearchResult:
    """The ranked, grouped hits of a query over every edition the user may read."""
    filters = filters or SearchFilters()
    query = Query.parse(raw_query)
    if query.empty:
        return SearchResult(query, [], 0, 0, False, False)
    editions = searchable_editions(user=user, filters=filters)
    if not editions:
        return SearchResult(query, [], 0, 0, False, False)
    edition_ids = sorted(editions)
    kind = filters.kind if filters.kind in SearchEntry.Kind.values else ""
    ids = _candidates(query, edition_ids, kind)
    fuzzy = False
    if not ids:
        ids = _fuzzy_candidates(query, edition_ids, kind)
        fuzzy = bool(ids)
    if not ids:
        return SearchResult(query, [], 0, 0, False, False)

    fields = ["id", "edition_id", "kind", "title", "tokens", "phrase_at"]
    rows = SearchEntry.objects.filter(pk__in=ids).annotate(
        phrase_at=StrIndex("compact", Value(query.compact or "\x00"))
    )
    if fuzzy:
        fields.append("compact")
    scored = []
    for row in rows.values(*fields):
        similarity = None
        if fuzzy:
            similarity = word_similarity(query.compact, row["compact"][:1500])
            if similarity < FUZZY_THRESHOLD:
                continue
        scored.append((_score(row, query, editions[row["edition_id"]], similarity), row["id"]))
    scored.sort(key=lambda item: (-item[0], item[1]))
    top = scored[:limit]
    groups = _grouped(top, query, editions, user)
    return SearchResult(
        query=query,
        groups=groups,
        total=len(scored),
        shown=len(top),
        fuzzy=fuzzy,
        capped=len(ids) >= CANDIDATES,
    )


# --- grouping and links ---------------------------------------------------------------------------


def process_numbers(edition_ids: set[int]) -> dict[int, str]:
    """Dotted numbers of every process of these editions, in one query."""
    rows = {
        pk: (parent, pos, mission_pos)
        for pk, parent, pos, mission_pos in Process.objects.filter(
            edition_id__in=edition_ids
        ).values_list("pk", "parent_id", "position", "mission__position")
    }
    out: dict[int, str] = {}

    def number(pk: int) -> str:
        if pk in out:
            return out[pk]
        parent, pos, mission_pos = rows[pk]
        out[pk] = f"{number(parent) if parent else mission_pos}.{pos}"
        return out[pk]

    for pk in rows:
        number(pk)
    return out


def _url(entry: SearchEntry) -> str:
    if entry.process_id:
        url = reverse("processes:editor", kwargs={"pk": entry.process_id})
        if entry.step_id:
            return f"{url}#step-{entry.step_id}"
        return url
    if entry.kind == SearchEntry.Kind.FORM:
        return reverse(
            "processes:edition_list", kwargs={"edition_pk": entry.edition_id, "kind": "form"}
        )
    if entry.anchor in {"definition", "abbreviation", "responsibility"}:
        return reverse(
            "processes:edition_list", kwargs={"edition_pk": entry.edition_id, "kind": entry.anchor}
        )
    return reverse("manuals:edition", kwargs={"pk": entry.edition_id}) + f"#section-{entry.anchor}"


def _needles(query: Query) -> list[str]:
    return [query.compact, *query.words] if query.compact else list(query.words)


def _grouped(top, query: Query, editions: dict[int, Edition], user) -> list[EditionGroup]:
    entries = {
        e.pk: e
        for e in SearchEntry.objects.filter(pk__in=[pk for _s, pk in top]).select_related(
            "process", "step"
        )
    }
    numbers = process_numbers({e.edition_id for e in entries.values()})
    needles = _needles(query)
    groups: dict[int, EditionGroup] = {}
    process_groups: dict[tuple[int, int | None], ProcessGroup] = {}
    for score, pk in top:
        entry = entries[pk]
        entry.edition = editions[entry.edition_id]
        hit = Hit(
            entry=entry,
            score=score,
            snippet=highlight(entry.body, needles)[0],
            title_html=highlight(entry.title, needles, width=200)[0],
            url=_url(entry),
            editable=can_edit(user, entry.edition),
            process_number=numbers.get(entry.process_id, ""),
        )
        group = groups.get(entry.edition_id)
        if group is None:
            group = groups[entry.edition_id] = EditionGroup(edition=entry.edition, score=score)
        key = (entry.edition_id, entry.process_id)
        pgroup = process_groups.get(key)
        if pgroup is None:
            pgroup = process_groups[key] = ProcessGroup(
                process=entry.process, number=numbers.get(entry.process_id, "")
            )
            group.processes.append(pgroup)
        pgroup.hits.append(hit)
    return sorted(groups.values(), key=lambda g: -g.score)
