"""The import report page's content, read from a run's stored report and its edition.

The importer (``imports.services._report``) stores the counts, per process what it recognised
(``processes``: number, name, process_id, steps, stakeholders, indicators …), every warning with
its source location (``warnings``: code, message, location, process, process_id, before/after
for a repair), the share of the source's characters kept, and the laws it proposed for the
shared library. This module turns that into rows for the page, each linked to the editor of
its process in the imported edition (a process deleted since is shown without a link).
"""

from __future__ import annotations

from dataclasses import dataclass, field

from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from core.thai import arabic_digits

UNPLACED_LIMIT = 30

# Totals at the top of the report, in this order, when the importer counted them.
TOTALS = (
    ("processes", _("กระบวนการ")),
    ("subprocesses", _("กระบวนการย่อย")),
    ("steps", _("ขั้นตอน")),
    ("lanes", _("ผู้ปฏิบัติ")),
    ("forms", _("แบบฟอร์ม")),
    ("legal_references", _("กฎหมาย/ระเบียบ")),
    ("definitions", _("คำจำกัดความ")),
    ("responsibilities", _("หน้าที่ความรับผิดชอบ")),
    ("warnings", _("ข้อควรตรวจ")),
    ("unplaced", _("ข้อความที่ยังไม่ได้จัดลงช่อง")),
)
# Columns of the per-process table.
PROCESS_COLUMNS = (
    ("steps", _("ขั้นตอน")),
    ("steps_with_actor", _("มีผู้รับผิดชอบ")),
    ("steps_with_duration", _("มีระยะเวลา")),
    ("durations_unread", _("ระยะเวลาที่อ่านไม่ได้")),
    ("stakeholders", _("ผู้เกี่ยวข้อง")),
    ("indicators", _("ตัวชี้วัด")),
    ("requirements", _("ข้อกำหนด")),
    ("legal", _("กฎหมาย/ระเบียบ")),
)
# Counts where 0 is worth a warning badge (a process with no steps, no indicators).
EXPECTED = {"steps", "steps_with_actor", "steps_with_duration", "indicators"}


@dataclass
class ReportView:
    totals: list[tuple[str, int]] = field(default_factory=list)
    share_kept: float | None = None
    process_columns: list[str] = field(default_factory=list)
    processes: list[dict] = field(default_factory=list)
    warning_groups: list[dict] = field(default_factory=list)
    warning_count: int = 0
    legal_proposed: list[dict] = field(default_factory=list)
    unplaced: list = field(default_factory=list)
    unplaced_total: int = 0


def _number(value) -> str:
    """ "๑.๑" / "1.1." → "1.1" (shown with Thai digits by the template)."""
    text = arabic_digits(str(value or "")).strip().strip(".")
    return ".".join(part.strip() for part in text.split(".") if part.strip())


def _warning(raw, live: set[int]) -> dict:
    if not isinstance(raw, dict):
        raw = {"message": str(raw)}
    before, after = raw.get("before") or "", raw.get("after") or ""
    process_id = raw.get("process_id")
    return {
        "code": raw.get("code") or "",
        "message": raw.get("message") or "",
        "location": raw.get("location") or "",
        "before": before,
        "after": after,
        # the importer's own wording of a suggestion, when it is not a before → after repair
        "suggestion": "" if (before or after) else (raw.get("suggestion") or ""),
        "number": _number(raw.get("process")),
        "process_id": process_id if process_id in live else None,
    }


def _editor_url(process_id: int | None, anchor: str = "") -> str:
    if not process_id:
        return ""
    return reverse("processes:editor", args=[process_id]) + anchor


def import_report(*, run) -> ReportView:
    """The report of a finished run, linked to the edition it made."""
    from imports.models import UnplacedText
    from processes.models import Process

    report = run.report if isinstance(run.report, dict) else {}
    edition = run.edition
    view = ReportView()
    live: set[int] = set()
    if edition is not None:
        live = set(Process.objects.filter(edition=edition).values_list("pk", flat=True))

    counts = report.get("counts") if isinstance(report.get("counts"), dict) else {}
    view.totals = [(str(label), int(counts[key])) for key, label in TOTALS if key in counts]
    chars = report.get("chars") if isinstance(report.get("chars"), dict) else {}
    if isinstance(chars.get("share_kept"), int | float):
        view.share_kept = round(100 * chars["share_kept"], 1)

    entries = [e for e in report.get("processes") or [] if isinstance(e, dict)]
    columns = [(key, label) for key, label in PROCESS_COLUMNS if any(key in e for e in entries)]
    view.process_columns = [str(label) for _key, label in columns]

    warnings = [_warning(w, live) for w in report.get("warnings") or []]
    view.warning_count = len(warnings)
    by_process: dict = {}
    for w in warnings:
        key = w["process_id"] or w["number"]
        w["url"] = _editor_url(w["process_id"])
        by_process.setdefault(key, []).append(w)

    numbers = [_number(e.get("number")) for e in entries]
    for index, entry in enumerate(entries, start=1):
        process_id = entry.get("process_id") if entry.get("process_id") in live else None
        number = numbers[index - 1]
        # a process whose steps are in its sub-processes: no steps of its own is expected
        parent = any(n.startswith(number + ".") for n in numbers) if number else False
        own = by_process.get(process_id or number, [])
        alarms = {"indicators"} if parent else EXPECTED
        view.processes.append(
            {
                "number": number,
                "name": entry.get("name") or "",
                "depth": max(0, number.count(".") - 1),
                "cells": [
                    (entry.get(key), key in alarms and entry.get(key) == 0) for key, _l in columns
                ],
                "warning_count": len(own),
                "url": _editor_url(process_id),
                "anchor": index,
                "key": process_id or number,
            }
        )
    rows = {row["key"]: row for row in view.processes}
    general = by_process.pop("", []) + by_process.pop(None, [])
    if general:
        view.warning_groups.append(
            {"number": "", "title": _("ทั้งฉบับ"), "warnings": general, "anchor": 0}
        )
    for key, items in by_process.items():
        row = rows.get(key)
        view.warning_groups.append(
            {
                "number": row["number"] if row else items[0]["number"],
                "title": row["name"] if row else "",
                "warnings": items,
                "anchor": row["anchor"] if row else f"x{len(view.warning_groups)}",
            }
        )

    view.legal_proposed = [
        p for p in report.get("legal_proposed") or [] if isinstance(p, dict) and p.get("citation")
    ]
    if edition is not None:
        unplaced = UnplacedText.objects.filter(edition=edition)
        view.unplaced_total = unplaced.count()
        view.unplaced = list(
            unplaced.select_related("process").order_by("position", "pk")[:UNPLACED_LIMIT]
        )
    return view
