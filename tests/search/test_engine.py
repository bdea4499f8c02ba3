"""The search engine, the same cases on SQLite (FTS5) and PostgreSQL (tsvector + pg_trgm)."""

import pytest

from manuals.models import Edition
from processes.services import step_delete, step_update
from search.selectors import SearchFilters, search_manuals
from tests.factories import EditionFactory, ManualFactory, MembershipFactory
from tests.search.conftest import fill


def step_ids(result):
    return [
        hit.entry.step_id
        for group in result.groups
        for process in group.processes
        for hit in process.hits
        if hit.entry.step_id
    ]


def kinds(result):
    return {hit.entry.kind for g in result.groups for p in g.processes for hit in p.hits}


@pytest.mark.parametrize(
    "query",
    ["ยืมเงิน", "การยืมเงิน", "ยืม เงิน", "สัญญายืมเงิน", "ยืมเงินใช้ในราชการ", "ยืมเงิน ราชการ"],
)
def test_thai_words_are_found_whatever_the_spacing(published, reader, query):
    _edition, rows = published
    assert rows["loan"].pk in step_ids(search_manuals(user=reader, raw_query=query))


@pytest.mark.parametrize("query", ["ระเบียบพัสดุ ๒๕๖๐", "ระเบียบพัสดุ 2560", "ระเบียบ พัสดุ 2560"])
def test_thai_and_arabic_digits_are_equal(published, reader, query):
    _edition, rows = published
    result = search_manuals(user=reader, raw_query=query)
    assert rows["buy"].pk in step_ids(result)
    assert "table2" in kinds(result)  # the legal requirement of Table 2


@pytest.mark.parametrize("query", ["แบบ ง.๑๐๑", "แบบ ง.101", "แบบง. 101", "ง.๑๐๑"])
def test_form_codes(published, reader, query):
    _edition, rows = published
    result = search_manuals(user=reader, raw_query=query)
    assert rows["loan"].pk in step_ids(result)
    assert "form" in kinds(result)


@pytest.mark.parametrize("query", ["e-GP", "EGP", "e GP", "ระบบ e-GP"])
def test_latin_tokens(published, reader, query):
    _edition, rows = published
    assert step_ids(search_manuals(user=reader, raw_query=query))[:1] == [rows["buy"].pk]


@pytest.mark.parametrize("query", ["จัดซื้อจัดจาง", "ขอซื้อขอจาง", "สัญญายืมเงน"])
def test_small_misspellings_still_find(published, reader, query):
    result = search_manuals(user=reader, raw_query=query)
    assert result.fuzzy
    assert step_ids(result)


def test_nothing_found_for_unrelated_words(published, reader):
    result = search_manuals(user=reader, raw_query="ดาวเทียมอวกาศ")
    assert result.groups == []


def test_highlighted_snippet_is_escaped(published, reader):
    edition, rows = published
    edition_draft = EditionFactory(manual=ManualFactory(agency=edition.manual.agency))
    fill(edition_draft, loan_detail="<script>alert(1)</script> การยืมเงิน")
    user = MembershipFactory(agency=edition.manual.agency).user
    result = search_manuals(user=user, raw_query="ยืมเงิน", filters=SearchFilters(status="open"))
    snippets = [h.snippet for g in result.groups for p in g.processes for h in p.hits]
    assert any("<mark>ยืมเงิน</mark>" in s for s in snippets)
    assert all("<script>" not in s for s in snippets)
    assert any("&lt;script&gt;" in s for s in snippets)


def test_index_follows_the_services(agency, reader):
    from manuals.models import Membership

    edition = EditionFactory(manual=ManualFactory(agency=agency))
    rows = fill(edition)
    editor = MembershipFactory(agency=agency, role=Membership.Role.EDITOR).user
    open_ = SearchFilters(status="open")
    assert not search_manuals(user=editor, raw_query="ทะเบียนคุมเงินยืม", filters=open_).groups
    step = rows["loan"]
    step_update(
        step=step,
        by=editor,
        data={"detail": "บันทึกลงทะเบียนคุมเงินยืม"},
        expected_version=step.version,
    )
    assert rows["loan"].pk in step_ids(
        search_manuals(user=editor, raw_query="ทะเบียนคุมเงินยืม", filters=open_)
    )
    step_delete(step=step, by=editor)
    assert not search_manuals(user=editor, raw_query="ทะเบียนคุมเงินยืม", filters=open_).groups


def test_published_ranks_before_drafts_and_title_hits_first(published, agency):
    edition, rows = published
    draft = EditionFactory(manual=edition.manual, status=Edition.Status.DRAFT, year_be=2567)
    fill(draft)
    from manuals.models import Membership

    planner = MembershipFactory(role=Membership.Role.REVIEWER).user
    result = search_manuals(user=planner, raw_query="ยืมเงิน", filters=SearchFilters(status="all"))
    assert result.groups[0].edition == edition
    first = result.groups[0].processes[0].hits[0]
    assert first.entry.title in {"การยืมเงินใช้ในราชการ", "ตรวจสอบสัญญายืมเงิน", "ใบขอยืมเงิน"}
