"""A re-export lays out only what changed and gives the same manual as a cold build.

The demo's open draft is built once (parallel path), then a step of ๑.๑ gets a much longer
detail:
its Table 3 and Table 5 rows grow by pages, so every later page number, the contents, the
contents' links and the outline all move. The re-export (same page store) must lay out only
the chunks that changed and give, page by page, the text of a cold build of the changed manual
(fresh store, laid out in this process: other pieces, same pages), with working links and
bookmarks. The clock is fixed so the draft stamp (build time to the minute) prints the same."""

from __future__ import annotations

import datetime
from dataclasses import dataclass
from pathlib import Path
from unittest import mock

import pytest
from django.core.files.storage import FileSystemStorage
from django.core.management import call_command
from django.db import transaction
from pypdf import PdfReader

from .pdftools import pages_text, skeleton

pytestmark = pytest.mark.django_db

EXTRA_LINES = "\n".join(f"- ตรวจสอบเอกสารประกอบรายการที่ {n} ให้ครบถ้วนก่อนเสนอ" for n in range(40))


@dataclass
class Builds:
    before: object  # BuiltPdf of the unchanged manual
    incremental: object
    cold: object
    incremental_path: Path
    cold_path: Path
    titles: dict[str, str]  # part key -> contents title


@pytest.fixture(scope="module")
def builds(django_db_setup, django_db_blocker, tmp_path_factory) -> Builds:
    from manuals.models import Edition
    from printing.builder import build_manual, chart_items
    from printing.pagestore import PageStore
    from printing.parts import build_parts
    from printing.selectors import printable_edition
    from processes.models import Process, Step

    folder = tmp_path_factory.mktemp("incremental")
    store = PageStore(FileSystemStorage(location=folder / "kept"))
    clock = mock.patch(
        "django.utils.timezone.now",
        return_value=datetime.datetime(2026, 12, 3, 7, 30, tzinfo=datetime.UTC),
    )
    with django_db_blocker.unblock(), transaction.atomic(), clock:
        call_command("load_demo", verbosity=0)
        edition = Edition.objects.get(manual__slug="kpp-spsc", status="draft")
        # a third of the demo (about 100 pages, 35 chunks) moves pages, contents, links and
        # bookmarks as the whole does, in a third of the time: mission 4 and most of
        # mission 1's processes go
        edition.missions.filter(position=4).delete()
        Process.objects.filter(edition=edition, mission__position=1, parent=None).exclude(
            position__lte=3
        ).delete()
        before = build_manual(edition.pk, workers=2, parallel_min_weight=0, store=store)
        step = (
            Step.objects.filter(process__edition=edition, process__parent=None)
            .order_by("process__mission__position", "process__position", "position")
            .first()
        )
        step.detail = f"{step.detail}\n{EXTRA_LINES}"
        step.save()
        incremental = build_manual(edition.pk, workers=2, parallel_min_weight=0, store=store)
        fresh = PageStore(FileSystemStorage(location=folder / "fresh"))
        cold = build_manual(edition.pk, workers=1, store=fresh)
        data = printable_edition(edition_id=edition.pk)
        parts = build_parts(data, chart_items(data.processes))
        titles = {p.key: p.title for p in parts if p.toc}
        transaction.set_rollback(True)
    paths = []
    for name, built in (("incremental", incremental), ("cold", cold)):
        path = folder / f"{name}.pdf"
        path.write_bytes(built.pdf)
        paths.append(path)
    return Builds(before, incremental, cold, *paths, titles)


def test_only_the_changed_chunks_are_laid_out_again(builds):
    assert builds.before.chunks_laid_out == builds.before.chunks  # nothing kept yet
    assert builds.incremental.page_count > builds.before.page_count  # later pages moved
    # the changed step's chunks (its process's Table 3, maybe its chart and Table 5 rows)
    assert 1 <= builds.incremental.chunks_laid_out <= 4 < builds.incremental.chunks / 5
    assert builds.cold.chunks_laid_out == builds.cold.chunks


def test_incremental_and_cold_give_the_same_text_page_by_page(builds):
    incremental = pages_text(builds.incremental_path)
    cold = pages_text(builds.cold_path)
    assert len(incremental) == builds.cold.page_count
    assert incremental == cold
    assert builds.incremental.toc_pages == builds.cold.toc_pages
    assert any(skeleton("รายการที่ ๓๙ ให้ครบถ้วน") in skeleton(page) for page in incremental)


def _links(path: Path) -> list[tuple[int, int]]:
    reader = PdfReader(path)
    links = []
    for index, page in enumerate(reader.pages):
        for annot in page.get("/Annots") or []:
            annot = annot.get_object()
            if annot.get("/Subtype") == "/Link" and "/Dest" in annot:
                links.append((index, reader.get_page_number(annot["/Dest"][0].get_object())))
    return links


def test_contents_links_point_at_the_parts_pages(builds):
    links = _links(builds.incremental_path)
    assert links == _links(builds.cold_path)
    toc_page = builds.incremental.toc_pages["toc"] - 1
    targets = sorted({target for page, target in links if page == toc_page})
    # every entry links (title and number) to the page its number prints
    entries = {k: v for k, v in builds.incremental.toc_pages.items() if k in builds.titles}
    assert targets == sorted({page - 1 for page in entries.values()})
    # title and number link each entry (a title wrapped over two lines gives a link per line)
    toc_links = [target for page, target in links if page == toc_page]
    assert all(toc_links.count(page - 1) >= 2 for page in entries.values())
    text = pages_text(builds.incremental_path)
    for key, page in entries.items():
        assert skeleton(builds.titles[key])[:12] in skeleton(text[page - 1]), key


def _outline(path: Path) -> list[tuple[int, str, int]]:
    reader = PdfReader(path)
    items = []

    def walk(nodes, depth):
        for node in nodes:
            if isinstance(node, list):
                walk(node, depth + 1)
            else:
                items.append((depth, node.title, reader.get_destination_page_number(node)))

    walk(reader.outline, 0)
    return items


def test_bookmarks_follow_the_moved_pages(builds):
    outline = _outline(builds.incremental_path)
    assert outline == _outline(builds.cold_path)
    text = pages_text(builds.incremental_path)
    assert len(outline) > 40
    for _depth, title, page in outline:
        assert skeleton(title)[:15] in skeleton(text[page]), title
    # the back matter moved by the pages the longer step added, and its bookmark with it
    shift = builds.incremental.page_count - builds.before.page_count
    moved = builds.incremental.toc_pages["definitions"]
    assert moved == builds.before.toc_pages["definitions"] + shift
    assert (0, "คำจำกัดความ", moved - 1) in outline
