"""The import report page's content, read from a run's stored report and its edition.

The importer (``imports.services``) stores per process what it recognised, counts and warnings
with their source location; this module turns that into rows for the page, each linked to the
editor of its process (and step) in the imported edition. Process numbers in the report are
matched to the edition's processes by their dotted number.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from core.thai import arabic_digits

UNPLACED_LIMIT = 30

# Count keys the importer may report, with their labels (totals and per process).
COUNT_LABELS = {
    "missions": _("พันธกิจ"),
    "processes": _("กระบวนการ"),
    "subprocesses": _("กระบวนการย่อย"),
    "steps": _("ขั้นตอน"),
    "lanes": _("ผู้ปฏิบัติ"),
    "forms": _("แบบฟอร์ม"),
    "stakeholders": _("ผู้เกี่ยวข้อง"),
    "requirements": _("ข้อกำหนด"),
    "indicators": _("ตัวชี้วัด"),
    "legal": _("กฎหมาย/ระเบียบ"),
    "legal_requirements": _("กฎหมาย/ระเบียบ"),
    "legal_proposed": _("กฎหมายที่เสนอเพิ่มในคลัง"),
    "flows": _("ทางแยก/ลูกศร"),
    "definitions": _("คำจำกัดความ"),
    "abbreviations": _("อักษรย่อ"),
    "responsibilities": _("หน้าที่ความรับผิดชอบ"),
    "unplaced": _("ข้อความที่ยังไม่ได้จัดลงช่อง"),
    "warnings": _("ข้อควรตรวจ"),
    "repairs": _("คำที่ซ่อมแล้ว"),
}
# The per-process columns of the report table, in this order, when the report has them.
PROCESS_COLUMNS = ("steps", "stakeholders", "indicators", "legal_requirements", "legal")


@dataclass
class ReportView:
    totals: list[tuple[str, int]] = field(default_factory=list)
    process_columns: list[str] = field(default_factory=list)
    processes: list[dict] = field(default_factory=list)
    warning_groups: list[dict] = field(default_factory=list)
    warning_count: int = 0
    unplaced: list = field(default_factory=list)
    unplaced_total: int = 0


def _number_key(value) -> str:
    """ "๑.๑" / "1.1." / " 1.1" → "1.1"."""
    text = arabic_digits(str(value or "")).strip().strip(".")
    return ".".join(part for part in text.split(".") if part.strip())


def _processes_by_number(edition) -> dict[str, object]:
    from processes.selectors import flatten, process_tree

    found = {}
    for _mission, nodes in process_tree(edition=edition):
        for node in flatten(nodes):
            found[_number_key(node.number)] = node.process
    return found


def _steps_by_position(process_ids) -> dict[tuple[int, int], int]:
    from processes.models import Step

    rows = Step.objects.filter(process_id__in=process_ids).values_list(
        "process_id", "position", "pk"
    )
    return {(p, pos): pk for p, pos, pk in rows}


def _int(value) -> int | None:
    try:
        return int(arabic_digits(str(value)))
    except (TypeError, ValueError):
        return None


def _counts_of(entry: dict) -> dict[str, int]:
    counts = entry.get("counts")
    if isinstance(counts, dict):
        return {k: v for k, v in counts.items() if isinstance(v, int | float)}
    return {k: v for k, v in entry.items() if k in COUNT_LABELS and isinstance(v, int | float)}


def _warning(raw, *, default_number: str = "") -> dict:
    if isinstance(raw, str):
        raw = {"message": raw}
    location = raw.get("location") or raw.get("source_location") or ""
    if not location and (raw.get("page") or raw.get("line")):
        parts = []
        if raw.get("page"):
            parts.append(f"หน้า {raw['page']}")
        if raw.get("line"):
            parts.append(f"บรรทัด {raw['line']}")
        location = " ".join(parts)
    return {
        "message": raw.get("message") or raw.get("text") or "",
        "suggestion": raw.get("suggestion") or "",
        "location": location,
        "kind": raw.get("kind") or raw.get("code") or "",
        "number": _number_key(raw.get("process") or raw.get("process_number") or default_number),
        "step_number": raw.get("step") or raw.get("step_number") or raw.get("step_position"),
    }


def import_report(*, run) -> ReportView:
    """The report of a finished run, linked to the edition it made."""
    from imports.models import UnplacedText

    report = run.report if isinstance(run.report, dict) else {}
    edition = run.edition
    view = ReportView()
    by_number = _processes_by_number(edition) if edition is not None else {}

    counts = _counts_of(report)
    view.totals = [
        (str(COUNT_LABELS[key]), int(counts[key])) for key in COUNT_LABELS if key in counts
    ]

    entries = [e for e in report.get("processes") or [] if isinstance(e, dict)]
    present = [key for key in PROCESS_COLUMNS if any(key in _counts_of(e) for e in entries)]
    if "legal_requirements" in present and "legal" in present:
        present.remove("legal")
    view.process_columns = [str(COUNT_LABELS[key]) for key in present]

    warnings = [_warning(w) for w in report.get("warnings") or []]
    for entry in entries:
        number = _number_key(entry.get("number"))
        for w in entry.get("warnings") or []:
            warnings.append(_warning(w, default_number=number))

    processes = {
        _number_key(e.get("number")): by_number.get(_number_key(e.get("number"))) for e in entries
    }
    step_ids = _steps_by_position([p.pk for p in processes.values() if p is not None])

    def url_for(number: str, step_number=None) -> str:
        process = by_number.get(number)
        if process is None:
            return ""
        url = reverse("processes:editor", args=[process.pk])
        position = _int(step_number)
        if position is not None and (process.pk, position) in step_ids:
            return f"{url}#step-{step_ids[(process.pk, position)]}"
        return f"{url}#steps" if step_number else url

    per_number: dict[str, list[dict]] = {}
    for w in warnings:
        w["url"] = url_for(w["number"], w["step_number"]) if w["number"] else ""
        per_number.setdefault(w["number"], []).append(w)
    view.warning_count = len(warnings)

    for index, entry in enumerate(entries, start=1):
        number = _number_key(entry.get("number"))
        entry_counts = _counts_of(entry)
        view.processes.append(
            {
                "number": number,
                "name": entry.get("name") or entry.get("title") or "",
                "depth": max(0, number.count(".") - 1),
                "values": [entry_counts.get(key) for key in present],
                "warning_count": len(per_number.get(number, [])),
                "url": url_for(number),
                "anchor": index,
            }
        )
    anchors = {row["number"]: row["anchor"] for row in view.processes}
    names = {row["number"]: row["name"] for row in view.processes}
    general = per_number.pop("", [])
    if general:
        view.warning_groups.append(
            {"number": "", "title": _("ทั้งฉบับ"), "warnings": general, "anchor": 0}
        )
    for number, items in per_number.items():
        view.warning_groups.append(
            {
                "number": number,
                "title": names.get(number, ""),
                "warnings": items,
                "anchor": anchors.get(number, f"n{number}"),
            }
        )

    if edition is not None:
        rows = UnplacedText.objects.filter(edition=edition)
        view.unplaced_total = rows.count()
        view.unplaced = list(
            rows.select_related("process").order_by("position", "pk")[:UNPLACED_LIMIT]
        )
    return view
