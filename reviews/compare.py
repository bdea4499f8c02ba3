"""Compare two editions of a manual row by row (matched by lineage), field by field.

Rows are added, removed, moved (another parent, or another place among the rows both editions
share) and changed; text is compared on Thai word tokens (PyThaiNLP), never on characters, so
a changed word is marked whole and combining marks are never cut off their letters.
All HTML is built with ``format_html``/``escape``: user text is always escaped.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from difflib import SequenceMatcher

from django.db import models
from django.utils.html import escape
from django.utils.safestring import SafeString
from django.utils.translation import gettext as _

from core.thai import arabic_digits, thai_digits, ui_digits
from core.worddiff import WordDiff, diff_words, diff_words_brief, word_tokens  # noqa: F401
from manuals.content import edition_tables
from manuals.models import Edition
from manuals.services import TEXT_SECTIONS

# --- row-level comparison ------------------------------------------------------------------


@dataclass
class FieldChange:
    name: str
    label: str
    old: str
    new: str
    is_text: bool
    words: WordDiff | None = None

    @property
    def old_html(self) -> SafeString:
        return self.words.old_html if self.words else escape(self.old)

    @property
    def new_html(self) -> SafeString:
        return self.words.new_html if self.words else escape(self.new)


@dataclass
class RowChange:
    kind: str  # "added" | "removed" | "changed"  (moved is a flag: a row may move and change)
    label: str
    context: str = ""
    moved: bool = False
    moved_from: str = ""
    moved_to: str = ""
    fields: list[FieldChange] = field(default_factory=list)
    lineage: str = ""

    @property
    def kind_label(self) -> str:
        if self.kind == "added":
            return _("เพิ่มใหม่")
        if self.kind == "removed":
            return _("ลบออก")
        if self.moved and not self.fields:
            return _("ย้ายตำแหน่ง")
        if self.moved:
            return _("ย้ายและแก้ไข")
        return _("แก้ไข")

    @property
    def css(self) -> str:
        return "moved" if self.kind == "changed" and self.moved and not self.fields else self.kind


@dataclass
class Section:
    key: str
    title: str
    rows: list[RowChange] = field(default_factory=list)

    def count(self, kind: str) -> int:
        if kind == "moved":
            return sum(1 for r in self.rows if r.moved)
        if kind == "changed":
            return sum(1 for r in self.rows if r.kind == "changed" and r.fields)
        return sum(1 for r in self.rows if r.kind == kind)


@dataclass
class EditionComparison:
    old: Edition
    new: Edition
    sections: list[Section]

    @property
    def changed_sections(self) -> list[Section]:
        return [s for s in self.sections if s.rows]

    @property
    def totals(self) -> dict[str, int]:
        return {
            kind: sum(s.count(kind) for s in self.sections)
            for kind in ("added", "removed", "moved", "changed")
        }

    @property
    def has_changes(self) -> bool:
        return any(s.rows for s in self.sections)


# How a model's rows are placed: the FK naming their parent (None: the edition itself).
_PLACE_PARENT = {
    "mission": None,
    "process": "parent_key",  # computed: mission or parent process
    "stakeholder": "process",
    "requirement": "process",
    "indicator": "process",
    "legalrequirement": "process",
    "step": "process",
    "flow": "source",
    "lane": None,
    "definition": None,
    "abbreviation": None,
    "responsibility": None,
}
_SKIP_FIELDS = {"id", "lineage", "version", "edition", "position"}


class _EditionRows:
    """Every content row of one edition, loaded in a fixed number of queries."""

    def __init__(self, edition: Edition):
        from processes.models import Mission, Process, Step

        self.edition = edition
        self.by_model: dict[type, list] = {}
        for model, path, _fk_map in edition_tables():
            related = [
                f.name for f in model._meta.concrete_fields if f.is_relation and f.name != "edition"
            ]
            qs = model.objects.filter(**{path: edition}).select_related(*related)
            if model is Step:
                qs = qs.prefetch_related("other_lanes", "forms")
            self.by_model[model] = list(qs.order_by("pk"))
        missions = {m.pk: m for m in self.by_model[Mission]}
        processes = {p.pk: p for p in self.by_model[Process]}
        self.process_number: dict[int, str] = {}
        for process in processes.values():
            parts, node = [], process
            while node is not None:
                parts.insert(0, node.position)
                if node.parent_id is None:
                    mission = missions.get(node.mission_id)
                    parts.insert(0, mission.position if mission else 0)
                    break
                node = processes.get(node.parent_id)
            self.process_number[process.pk] = ui_digits(".".join(str(p) for p in parts))
        self.processes = processes

    def process_label(self, process) -> str:
        return f"{self.process_number.get(process.pk, '')} {process.name}".strip()

    def row_label(self, row) -> str:
        """How the row is named in the change list (numbers in Thai digits)."""
        return thai_digits(self._row_label(row))

    def _row_label(self, row) -> str:
        name = row._meta.model_name
        if name == "mission":
            return _("พันธกิจที่ %(n)s %(unit)s") % {
                "n": ui_digits(row.position),
                "unit": row.unit,
            }
        if name == "process":
            return self.process_label(row)
        if name == "step":
            return _("%(process)s · ขั้นตอนที่ %(n)s %(label)s") % {
                "process": self.process_number.get(row.process_id, ""),
                "n": ui_digits(row.position),
                "label": row.chart_label,
            }
        if name == "flow":
            return f"{self._row_label(row.source)} → {self._row_label(row.target)}"
        return str(row)

    def context(self, row) -> str:
        process = getattr(row, "process", None)
        if process is not None and row._meta.model_name != "step":
            return self.process_label(self.processes.get(process.pk, process))
        if row._meta.model_name == "step":
            return self.process_label(self.processes.get(row.process_id, row.process))
        return ""

    def place(self, row) -> tuple[str | None, str]:
        """(parent lineage, readable place) of a row."""
        name = row._meta.model_name
        if name == "process":
            if row.parent_id:
                parent = self.processes[row.parent_id]
                return str(parent.lineage), self.process_label(parent)
            return str(row.mission.lineage), self.row_label(row.mission)
        parent_field = _PLACE_PARENT.get(name)
        if parent_field is None:
            return None, ""
        parent = getattr(row, parent_field)
        return str(parent.lineage), self.row_label(parent)


def _display(row, f: models.Field) -> str:
    value = getattr(row, f.attname)
    if value is None or value == "":
        return ""
    if f.is_relation:
        return str(getattr(row, f.name))
    if f.choices:
        return str(getattr(row, f"get_{f.name}_display")())
    if isinstance(value, bool):
        return _("ใช่") if value else _("ไม่ใช่")
    return ui_digits(value) if not isinstance(value, str) else value


def _comparable(row, f: models.Field):
    """What decides "changed": FKs to edition rows by lineage, others by value."""
    if f.is_relation:
        target = getattr(row, f.name)
        if target is None:
            return None
        return getattr(target, "lineage", target.pk)
    value = getattr(row, f.attname)
    return "" if value is None else value


def _m2m_fields(model) -> list[models.ManyToManyField]:
    return list(model._meta.many_to_many)


def _m2m_value(row, f) -> tuple[set, str]:
    items = list(getattr(row, f.name).all())
    return {i.lineage for i in items}, ", ".join(sorted(str(i) for i in items))


def _compare_fields(model, old, new) -> list[FieldChange]:
    changes: list[FieldChange] = []
    for f in model._meta.concrete_fields:
        if f.name in _SKIP_FIELDS or not f.editable or f.primary_key:
            continue
        if model._meta.model_name == "flow" and f.name == "source":
            continue  # a flow's source is its place
        if _PLACE_PARENT.get(model._meta.model_name) == f.name or f.name in ("mission", "parent"):
            continue
        if _comparable(old, f) == _comparable(new, f):
            continue
        is_text = isinstance(f, models.TextField | models.CharField) and not f.choices
        old_text, new_text = _display(old, f), _display(new, f)
        changes.append(
            FieldChange(
                name=f.name,
                label=str(f.verbose_name),
                old=old_text,
                new=new_text,
                is_text=is_text,
                words=diff_words(old_text, new_text) if is_text else None,
            )
        )
    for f in _m2m_fields(model):
        old_keys, old_text = _m2m_value(old, f)
        new_keys, new_text = _m2m_value(new, f)
        if old_keys != new_keys:
            changes.append(
                FieldChange(
                    name=f.name,
                    label=str(f.verbose_name),
                    old=old_text,
                    new=new_text,
                    is_text=False,
                )
            )
    return changes


def _moved_in_order(old_rows: dict, new_rows: dict, common: list, place_old, place_new) -> set:
    """Lineages of common rows whose order among their siblings changed (LCS on each parent)."""
    moved: set = set()
    groups: dict = {}
    for lineage in common:
        parent_old, parent_new = place_old[lineage][0], place_new[lineage][0]
        if parent_old != parent_new:
            moved.add(lineage)
            continue
        groups.setdefault(parent_new, []).append(lineage)
    for members in groups.values():
        if len(members) < 2 or not hasattr(new_rows[members[0]], "position"):
            continue
        before = sorted(members, key=lambda lin: old_rows[lin].position)
        after = sorted(members, key=lambda lin: new_rows[lin].position)
        matcher = SequenceMatcher(None, before, after, autojunk=False)
        kept = {
            lin
            for block in matcher.get_matching_blocks()
            for lin in after[block.b : block.b + block.size]
        }
        moved.update(set(members) - kept)
    return moved


def _sort_key(rows: _EditionRows, row) -> tuple:
    """Rows in manual order: by process number, then position."""
    name = row._meta.model_name
    if name == "process":
        process_id = row.pk
    elif name == "flow":
        process_id = row.source.process_id
    else:
        process_id = getattr(row, "process_id", None)
    number = rows.process_number.get(process_id, "") if process_id else ""
    parts = tuple(int(p) for p in re.findall(r"\d+", arabic_digits(number)))
    if name == "flow":
        return (parts, row.source.position, row.position, row.pk)
    return (parts, getattr(row, "position", 0), 0, row.pk)


def _compare_model(model, old: _EditionRows, new: _EditionRows) -> list[RowChange]:
    old_rows = {r.lineage: r for r in old.by_model[model]}
    new_rows = {r.lineage: r for r in new.by_model[model]}
    common = [lin for lin in new_rows if lin in old_rows]
    place_old = {lin: old.place(old_rows[lin]) for lin in common}
    place_new = {lin: new.place(new_rows[lin]) for lin in common}
    moved = _moved_in_order(old_rows, new_rows, common, place_old, place_new)
    changes: list[tuple[tuple, RowChange]] = []
    for lin, row in new_rows.items():
        if lin not in old_rows:
            changes.append(
                (
                    (0, *_sort_key(new, row)),
                    RowChange("added", new.row_label(row), new.context(row), lineage=str(lin)),
                )
            )
            continue
        fields = _compare_fields(model, old_rows[lin], row)
        is_moved = lin in moved
        if fields or is_moved:
            change = RowChange(
                "changed",
                new.row_label(row),
                new.context(row),
                moved=is_moved,
                fields=fields,
                lineage=str(lin),
            )
            if is_moved:
                change.moved_from = _place_text(old, old_rows[lin], place_old[lin][1])
                change.moved_to = _place_text(new, row, place_new[lin][1])
            changes.append(((0, *_sort_key(new, row)), change))
    for lin, row in old_rows.items():
        if lin not in new_rows:
            changes.append(
                (
                    (1, *_sort_key(old, row)),
                    RowChange("removed", old.row_label(row), old.context(row), lineage=str(lin)),
                )
            )
    changes.sort(key=lambda item: item[0])
    return [c for _key, c in changes]


def _place_text(rows: _EditionRows, row, parent_label: str) -> str:
    position = getattr(row, "position", None)
    text = parent_label
    if position is not None:
        text = (text + " " if text else "") + _("ลำดับที่ %(n)s") % {"n": ui_digits(position)}
    return text


def _compare_edition_text(old: Edition, new: Edition) -> list[RowChange]:
    fields = []
    for name in ("label", *TEXT_SECTIONS):
        f = Edition._meta.get_field(name)
        a, b = getattr(old, name) or "", getattr(new, name) or ""
        if name == "label":
            a, b = old.display_label, new.display_label
        if a != b:
            fields.append(FieldChange(name, str(f.verbose_name), a, b, True, diff_words(a, b)))
    if not fields:
        return []
    return [RowChange("changed", _("ข้อมูลทั้งฉบับ"), fields=fields)]


def edition_compare(*, old: Edition, new: Edition) -> EditionComparison:
    """Everything that differs between two editions of one manual, table by table."""
    old_rows, new_rows = _EditionRows(old), _EditionRows(new)
    sections = [Section("edition", _("ส่วนนำของคู่มือ"), _compare_edition_text(old, new))]
    order = [
        "mission",
        "process",
        "step",
        "flow",
        "stakeholder",
        "requirement",
        "indicator",
        "legalrequirement",
        "lane",
        "form",
        "definition",
        "abbreviation",
        "responsibility",
    ]
    models_by_name = {m._meta.model_name: m for m, _p, _f in edition_tables()}
    for name in order:
        model = models_by_name[name]
        sections.append(
            Section(
                name,
                str(model._meta.verbose_name_plural),
                _compare_model(model, old_rows, new_rows),
            )
        )
    return EditionComparison(old=old, new=new, sections=sections)
