"""Import an existing manual (Word, PDF, text/Markdown, or the project's JSON) as a draft.

``import_file`` is the one entry point (the command, the upload page's background task and the
tests use it): read → recognise → plan → write, all in one transaction, so a refused or failed
import leaves nothing behind. ``progress(percent, stage)`` reports along the way.
"""

from __future__ import annotations

import datetime
import re
import time
from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path

from django.conf import settings
from django.db import transaction
from django.utils.text import slugify
from django.utils.translation import gettext as _

from core.thai import thai_digits
from imports.errors import ImportRefused
from imports.plan import build_plan, plan_counts
from imports.readers import read_docx, read_pdf, read_text
from imports.recognise import recognise
from imports.writer import write_plan
from manuals.models import Agency, Edition, Manual

DEFAULT_MAX_BYTES = 200 * 1024 * 1024
TEXT_SUFFIXES = {".txt", ".md", ".markdown", ".text"}


def max_bytes() -> int:
    return int(getattr(settings, "IMPORT_MAX_BYTES", DEFAULT_MAX_BYTES))


def source_kind(filename: str) -> str:
    suffix = Path(filename or "").suffix.lower()
    if suffix == ".docx":
        return "docx"
    if suffix == ".pdf":
        return "pdf"
    if suffix == ".json":
        return "json"
    if suffix in TEXT_SUFFIXES:
        return "text"
    raise ImportRefused(
        _(
            "ระบบนำเข้าได้เฉพาะไฟล์ .docx, .pdf, .txt, .md หรือ .json "
            "(ไฟล์ .doc แบบเก่า โปรดบันทึกเป็น .docx ก่อน)"
        )
    )


@dataclass
class ImportResult:
    edition: Edition | None
    report: dict
    warnings: list[dict] = field(default_factory=list)
    counts: dict = field(default_factory=dict)
    seconds: float = 0.0
    plan: dict | None = None
    dry_run: bool = False


def _decode_text(data: bytes) -> str:
    for encoding in ("utf-8-sig", "utf-16") if data[:2] in (b"\xff\xfe", b"\xfe\xff") else ():
        try:
            return data.decode(encoding)
        except UnicodeDecodeError:
            pass
    for encoding in ("utf-8-sig", "cp874", "tis-620"):
        try:
            return data.decode(encoding)
        except UnicodeDecodeError:
            continue
    raise ImportRefused(_("อ่านข้อความในไฟล์ไม่ได้: โปรดบันทึกเป็น UTF-8"))


def read_blocks(data: bytes, kind: str, progress=None):
    if kind == "docx":
        return read_docx(data, max_bytes=max_bytes())
    if kind == "pdf":

        def page_progress(done, total):
            if progress and (done == total or done % 5 == 0):
                progress(
                    5 + int(45 * done / max(total, 1)),
                    _("อ่านหน้า %(done)s/%(total)s")
                    % {"done": thai_digits(done), "total": thai_digits(total)},
                )

        return read_pdf(data, progress=page_progress)
    text = _decode_text(data)
    if "\x00" in text:
        raise ImportRefused(_("ไฟล์นี้ไม่ใช่ไฟล์ข้อความ"))
    return read_text(text)


def _find_agency(name: str | None, cover: list[str]) -> Agency:
    """The agency by name or short name; else created under the root (กรุงเทพมหานคร)."""
    candidates = []
    if name:
        candidates.append(name.strip())
    for line in cover[:8]:
        line = line.strip()
        if line and line != "คู่มือการปฏิบัติงาน" and len(line) < 120:
            candidates.append(line)
    for candidate in candidates:
        agency = (
            Agency.objects.filter(name=candidate).first()
            or Agency.objects.filter(short_name=candidate).first()
        )
        if agency is not None:
            return agency
    wanted = (name or "").strip()
    if not wanted:
        wanted = next(
            (
                c
                for c in candidates
                if re.match(r"^(กอง|สำนัก|สำนักงาน|ฝ่าย|กลุ่มงาน|ศูนย์|ส่วน|กรม|กระทรวง)", c)
            ),
            "",
        )
    if not wanted:
        raise ImportRefused(_("ไม่พบชื่อหน่วยงานในไฟล์: โปรดระบุหน่วยงานเจ้าของคู่มือ"))
    root = Agency.objects.filter(parent__isnull=True).order_by("pk").first()
    if root is None:
        root = Agency.objects.create(name="กรุงเทพมหานคร", kind=Agency.Kind.BUREAU)
    if wanted == root.name:
        return root
    kind = Agency.Kind.DIVISION
    for prefix, value in (
        ("สำนักงานเขต", Agency.Kind.DISTRICT),
        ("สำนักงาน", Agency.Kind.OFFICE),
        ("สำนัก", Agency.Kind.BUREAU),
        ("ฝ่าย", Agency.Kind.SUBDIVISION),
        ("กลุ่มงาน", Agency.Kind.GROUP),
        ("ศูนย์", Agency.Kind.CENTER),
        ("ส่วน", Agency.Kind.SECTION),
    ):
        if wanted.startswith(prefix):
            kind = value
            break
    agency, _created = Agency.objects.get_or_create(
        name=wanted[:200], parent=root, defaults={"kind": kind}
    )
    return agency


def _unique_slug(agency: Agency) -> str:
    base = slugify(agency.short_name or "", allow_unicode=False) or "import"
    base = f"{base}-{agency.pk}" if base == "import" else base
    slug, n = base, 1
    while Manual.objects.filter(slug=slug).exists():
        n += 1
        slug = f"{base}-{n}"
    return slug[:80]


def _year_be(plan: dict) -> int:
    year = plan.get("year_be")
    if year and 2500 <= year <= 2700:
        return year
    return datetime.date.today().year + 543


def _report(rec, plan, written, warnings, unplaced, counts, seconds, source) -> dict:
    by_code = Counter(w["code"] for w in warnings)
    return {
        "source": source,
        "counts": counts,
        "chars": {
            "total": rec.total_chars,
            "placed": rec.ledger["placed"],
            "unplaced": rec.ledger["unplaced"],
            "structure": rec.ledger["structure"],
            "share_kept": round(rec.placed_share, 4),
        },
        "tables_seen": rec.tables_seen,
        "processes": written.get("processes", []) if written else [],
        "warnings_by_code": dict(by_code),
        "warnings": warnings,
        "unplaced": [
            {k: v for k, v in u.items() if k != "process"} | {"process": u.get("process_label")}
            for u in unplaced
        ],
        "legal_proposed": written.get("legal_proposed", []) if written else [],
        "seconds": round(seconds, 2),
    }


def _import_json(data: bytes, *, manual, filename, dry_run, started) -> ImportResult:
    from interop.errors import ImportRejected
    from interop.services import check_size, edition_import_json

    slug = None
    try:
        check_size(len(data))
        with transaction.atomic():
            edition = edition_import_json(data=data, manual=manual, slug=slug)
            counts = {
                "processes": edition.processes.filter(parent__isnull=True).count(),
                "subprocesses": edition.processes.filter(parent__isnull=False).count(),
                "steps": sum(p.steps.count() for p in edition.processes.all()),
            }
            if dry_run:
                transaction.set_rollback(True)
    except ImportRejected as error:
        raise ImportRefused(str(error)) from error
    seconds = time.monotonic() - started
    report = {"source": {"name": filename, "kind": "json"}, "counts": counts, "warnings": []}
    return ImportResult(
        edition=None if dry_run else edition,
        report=report,
        counts=counts,
        seconds=seconds,
        dry_run=dry_run,
    )


def import_file(
    path,
    *,
    filename: str | None = None,
    agency: Agency | None = None,
    agency_name: str | None = None,
    manual: Manual | None = None,
    user=None,
    dry_run: bool = False,
    progress=None,
) -> ImportResult:
    """Import the manual in ``path`` as a draft edition (a new manual, or ``manual``'s next
    draft). Raises ``ImportRefused`` with a Thai message for input it cannot take; nothing is
    written then, nor with ``dry_run``."""
    started = time.monotonic()
    report_progress = progress or (lambda percent, stage: None)
    path = Path(path)
    filename = filename or path.name
    kind = source_kind(filename)
    try:
        size = path.stat().st_size
    except OSError as exc:
        raise ImportRefused(_("ไม่พบไฟล์ที่จะนำเข้า")) from exc
    limit = max_bytes()
    if size > limit:
        raise ImportRefused(
            _("ไฟล์ใหญ่เกินกว่าที่ระบบรับได้ (ไม่เกิน %(mb)s เมกะไบต์)")
            % {"mb": thai_digits(limit // (1024 * 1024))}
        )
    if size == 0:
        raise ImportRefused(_("ไฟล์ว่างเปล่า ไม่มีข้อมูลให้นำเข้า"))
    data = path.read_bytes()
    if kind == "json":
        report_progress(10, _("อ่านไฟล์ JSON"))
        result = _import_json(
            data, manual=manual, filename=filename, dry_run=dry_run, started=started
        )
        report_progress(100, _("เสร็จแล้ว"))
        return result

    report_progress(5, _("อ่านไฟล์"))
    blocks = read_blocks(data, kind, progress=report_progress)
    report_progress(50, _("จำแนกตารางและกระบวนการ"))
    rec = recognise(blocks)
    report_progress(65, _("จัดข้อมูลลงช่อง"))
    plan, plan_warnings, plan_unplaced = build_plan(rec)
    counts = plan_counts(plan)
    if counts["processes"] == 0 or counts["steps"] == 0:
        raise ImportRefused(
            _(
                "ไม่พบตารางที่รู้จักในไฟล์ (ต้องมีตารางขั้นตอนการปฏิบัติงานที่มีหัวตาราง เช่น "
                "ที่ | ผังกระบวนการ | ระยะเวลา | รายละเอียดงาน | ผู้รับผิดชอบ) จึงไม่ได้นำเข้า"
            )
        )
    warnings = [w.as_dict() for w in rec.warnings] + plan_warnings
    unplaced = rec.unplaced + plan_unplaced
    source = {"name": filename, "kind": kind, "size": size, "blocks": len(blocks)}

    edition = None
    written: dict = {}
    with transaction.atomic():
        report_progress(75, _("บันทึกฉบับร่าง"))
        agency_obj = manual.agency if manual is not None else agency
        if agency_obj is None:
            agency_obj = _find_agency(agency_name, rec.cover)
        previous = None
        if manual is None:
            manual = Manual.objects.create(
                agency=agency_obj,
                slug=_unique_slug(agency_obj),
                title=(plan.get("title") or "คู่มือการปฏิบัติงาน")[:200],
            )
        else:
            manual = Manual.objects.select_for_update().get(pk=manual.pk)
            if manual.editions.open().exists():
                raise ImportRefused(
                    _("คู่มือนี้มีฉบับร่างที่กำลังปรับปรุงอยู่แล้ว จึงนำเข้าเป็นฉบับร่างใหม่ไม่ได้ (ส่งหรือลบฉบับร่างเดิมก่อน)")
                )
            previous = manual.editions.order_by("-year_be", "-pk").first()
        year = _year_be(plan)
        if previous is not None and year <= previous.year_be:
            year = previous.year_be + 1
        front = plan.get("front", {})
        edition = Edition.objects.create(
            manual=manual,
            year_be=year,
            label="",
            status=Edition.Status.DRAFT,
            based_on=manual.editions.published().order_by("-published_on", "-pk").first(),
            preface=front.get("preface", ""),
            executive_summary=front.get("executive_summary", ""),
            background=front.get("background", ""),
            objectives=front.get("objectives", ""),
            structure_duties=front.get("structure_duties", ""),
        )
        written = write_plan(edition, plan, unplaced, warnings, previous=previous)
        report_progress(95, _("สรุปรายงาน"))
        if dry_run:
            transaction.set_rollback(True)
    if not dry_run:
        from core.changes import edition_changed

        edition_changed(edition.pk)
    seconds = time.monotonic() - started
    counts["warnings"] = len(warnings)
    counts["unplaced"] = len(unplaced)
    report = _report(rec, plan, written, warnings, unplaced, counts, seconds, source)
    if dry_run:
        for row in report["processes"]:
            row["process_id"] = None
        for warning in warnings:
            warning["process_id"] = None
        report["legal_proposed"] = [
            {"id": None, "citation": p["citation"]} for p in report["legal_proposed"]
        ]
    else:
        report["edition_id"] = edition.pk
        report["manual_slug"] = manual.slug
    report_progress(100, _("เสร็จแล้ว"))
    return ImportResult(
        edition=None if dry_run else edition,
        report=report,
        warnings=warnings,
        counts=counts,
        seconds=seconds,
        plan=plan,
        dry_run=dry_run,
    )
