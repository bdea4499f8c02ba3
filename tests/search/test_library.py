"""The curated legal library: merge duplicates, mark replaced laws, who is told, exports."""

import csv
import io

import pytest
from django.urls import reverse

from manuals.models import LegalReference, Membership
from manuals.services import edition_publish
from processes.models import LegalRequirement
from processes.selectors import edition_health, process_tree
from search.index import index_rebuild
from search.selectors import search_manuals
from search.services import legal_reference_mark, legal_reference_merge
from tests.factories import (
    AgencyFactory,
    EditionFactory,
    LegalReferenceFactory,
    LegalRequirementFactory,
    ManualFactory,
    MembershipFactory,
    ProcessFactory,
)

OLD = "ระเบียบกระทรวงการคลังว่าด้วยการพัสดุ"
NEW = "ระเบียบกระทรวงการคลังว่าด้วยการจัดซื้อจัดจ้างและการบริหารพัสดุภาครัฐ"


@pytest.fixture
def planner(db):
    return MembershipFactory(role=Membership.Role.REVIEWER, agency=AgencyFactory()).user


@pytest.fixture
def library(db):
    """The same law entered twice (two spellings); cited by a published edition and a draft."""
    survivor = LegalReferenceFactory(title=NEW, year_be=2560, spellings=[f"{NEW} พ.ศ. ๒๕๖๐"])
    duplicate = LegalReferenceFactory(
        title="ระเบียบ กค. ว่าด้วยการจัดซื้อจัดจ้างและการบริหารพัสดุภาครัฐ", year_be=2560
    )
    old = LegalReferenceFactory(title=OLD, year_be=2535)
    agency = AgencyFactory(name="กองคลัง")
    published = EditionFactory(manual=ManualFactory(agency=agency), year_be=2564)
    p1 = ProcessFactory(mission__edition=published, name="การจัดซื้อวัสดุ")
    LegalRequirementFactory(process=p1, reference=duplicate, clause_note="ข้อ ๒๒")
    LegalRequirementFactory(process=p1, reference=old)
    published = edition_publish(edition=published)
    draft = EditionFactory(manual=published.manual, year_be=2567)
    p2 = ProcessFactory(mission__edition=draft, name="การจัดซื้อวัสดุ")
    LegalRequirementFactory(process=p2, reference=duplicate, clause_note="ข้อ ๒๒")
    LegalRequirementFactory(process=p2, reference=survivor, clause_note="ข้อ ๒๔")
    LegalRequirementFactory(process=p2, reference=old, clause_note="ข้อ ๕")
    other_draft = EditionFactory(manual=ManualFactory(agency=AgencyFactory()))
    p3 = ProcessFactory(mission__edition=other_draft)
    LegalRequirementFactory(process=p3, reference=duplicate, clause_note="ข้อ ๑")
    return locals()


def test_merge_moves_draft_citations_and_keeps_published_print(library, planner):
    lib = library
    legal_reference_merge(survivor=lib["survivor"], duplicate=lib["duplicate"], by=planner)
    survivor = LegalReference.objects.get(pk=lib["survivor"].pk)
    # Old spellings are known spellings of the survivor.
    assert "ระเบียบ กค. ว่าด้วยการจัดซื้อจัดจ้างและการบริหารพัสดุภาครัฐ" in survivor.spellings
    assert LegalReference.objects.get(pk=lib["duplicate"].pk).merged_into == survivor
    # The draft process citing both keeps one row with both clauses; the other draft moved.
    rows = LegalRequirement.objects.filter(process=lib["p2"], reference=survivor)
    assert [r.clause_note for r in rows] == ["ข้อ ๒๔ ข้อ ๒๒"]
    assert not LegalRequirement.objects.filter(process=lib["p2"], reference=lib["duplicate"])
    assert LegalRequirement.objects.get(process=lib["p3"]).reference == survivor
    # The published edition still cites (and prints) what it was published with.
    published_row = LegalRequirement.objects.get(process=lib["p1"], clause_note="ข้อ ๒๒")
    assert published_row.reference_id == lib["duplicate"].pk
    assert published_row.citation.startswith("ระเบียบ กค.")
    # Typing the old spelling again picks the survivor; the duplicate leaves the picker.
    from manuals.selectors import legal_reference_search

    assert lib["duplicate"].pk not in [r.pk for r in legal_reference_search(query="กค. พัสดุ")]


def test_merge_refuses_itself_and_non_planners(library):
    editor = MembershipFactory(agency=library["agency"]).user
    from django.core.exceptions import PermissionDenied, ValidationError

    with pytest.raises(PermissionDenied):
        legal_reference_merge(
            survivor=library["survivor"], duplicate=library["duplicate"], by=editor
        )
    admin = MembershipFactory(role=Membership.Role.ADMIN).user
    with pytest.raises(ValidationError):
        legal_reference_merge(survivor=library["old"], duplicate=library["old"], by=admin)


def test_replaced_law_flags_drafts_and_lists_them(library, planner, client):
    lib = library
    legal_reference_mark(
        reference=lib["old"], by=planner, status="replaced", replaced_by=lib["survivor"]
    )
    health = edition_health(edition=lib["draft"], tree=process_tree(edition=lib["draft"]))
    assert [row.reference_id for row in health.replaced_laws] == [lib["old"].pk]
    published = edition_health(
        edition=lib["published"], tree=process_tree(edition=lib["published"])
    )
    assert published.replaced_laws == []

    editor = MembershipFactory(agency=lib["agency"]).user
    client.force_login(editor)
    page = client.get(reverse("manuals:edition", kwargs={"pk": lib["draft"].pk})).content.decode()
    assert "health-replaced-laws" in page and "ว่าด้วยการพัสดุ" in page

    client.force_login(planner)
    response = client.get(reverse("search:law_export", kwargs={"pk": lib["old"].pk}))
    rows = list(csv.reader(io.StringIO(response.content.decode("utf-8-sig"))))
    assert len(rows) == 2  # header + the one draft still citing it
    assert rows[1][0] == "กองคลัง" and "ข้อ ๕" in rows[1]


def test_replacement_cannot_loop(library, planner):
    from django.core.exceptions import ValidationError

    legal_reference_mark(
        reference=library["old"], by=planner, status="replaced", replaced_by=library["survivor"]
    )
    with pytest.raises(ValidationError):
        legal_reference_mark(
            reference=library["survivor"], by=planner, status="replaced", replaced_by=library["old"]
        )


def test_export_cells_starting_with_formula_signs_are_text(library, planner, client):
    from openpyxl import load_workbook

    lib = library
    lib["agency"].name = '=HYPERLINK("http://x","y")'
    lib["agency"].save()
    LegalRequirement.objects.filter(process=lib["p2"], reference=lib["old"]).update(
        clause_note="+ข้อ ๕ @SUM(A1)"
    )
    client.force_login(planner)
    url = reverse("search:law_export", kwargs={"pk": lib["old"].pk})
    rows = list(csv.reader(io.StringIO(client.get(url).content.decode("utf-8-sig"))))
    assert rows[1][0] == '\'=HYPERLINK("http://x","y")'
    assert rows[1][6].startswith("'+")
    book = load_workbook(io.BytesIO(client.get(url, {"format": "xlsx"}).content))
    cells = list(book.active.iter_rows(min_row=2, values_only=False))[0]
    assert cells[0].data_type == "s" and cells[0].value.startswith("=HYPERLINK")


def test_pages_and_permissions(library, planner, client, django_assert_max_num_queries):
    lib = library
    editor = MembershipFactory(agency=lib["agency"]).user
    client.force_login(editor)
    law_url = reverse("search:law", kwargs={"pk": lib["duplicate"].pk})
    page = client.get(law_url).content.decode()
    assert "กองคลัง" in page and "รวมรายการ" not in page  # editors read, planners curate
    merge = reverse("search:law_merge", kwargs={"pk": lib["survivor"].pk})
    assert client.post(merge, {"duplicate": lib["duplicate"].pk}).status_code == 403
    assert client.get(reverse("search:law_export", kwargs={"pk": lib["old"].pk})).status_code == 403

    client.force_login(planner)
    assert client.post(merge, {"duplicate": "²"}).status_code == 400
    assert client.post(merge, {"duplicate": lib["survivor"].pk}).status_code == 400
    response = client.post(merge, {"duplicate": lib["duplicate"].pk})
    assert response.status_code == 302
    assert client.get(law_url).status_code == 302  # the merged entry forwards to the survivor
    mark = reverse("search:law_mark", kwargs={"pk": lib["old"].pk})
    assert client.post(mark, {"status": "replaced"}).status_code == 400  # needs the successor
    assert client.post(mark, {"status": "bogus\x00"}).status_code == 400
    response = client.post(mark, {"status": "replaced", "replaced_by": lib["survivor"].pk})
    assert response.status_code == 302

    for name in ("search:laws", "search:forms", "search:lanes"):
        assert client.get(reverse(name), {"q": "\x00พัสดุ"}).status_code == 200
    with django_assert_max_num_queries(12):
        page = client.get(reverse("search:law", kwargs={"pk": lib["survivor"].pk}))
    assert page.content.decode().count("<tr>") >= 4


def test_law_search_finds_old_spelling_after_merge(library, planner):
    lib = library
    legal_reference_merge(survivor=lib["survivor"], duplicate=lib["duplicate"], by=planner)
    index_rebuild()
    result = search_manuals(user=planner, raw_query="ระเบียบ กค.", filters=None)
    assert result.groups  # the published edition's Table 2 still prints that spelling


def test_library_list_query_count_does_not_grow(
    library, planner, client, django_assert_num_queries, django_assert_max_num_queries
):
    client.force_login(planner)
    url = reverse("search:laws")
    client.get(url)
    with django_assert_max_num_queries(50) as few:
        first = client.get(url).content.decode().count("<tr>")
    expected = len(few.captured_queries)  # now: later requests reset the query log
    for i in range(4):
        law = LegalReferenceFactory(title=f"ประกาศกรุงเทพมหานคร เรื่องที่ {i}")
        LegalRequirementFactory(process=library["p3"], reference=law)
    for name in ("search:forms", "search:lanes"):
        assert client.get(reverse(name)).status_code == 200
    with django_assert_num_queries(expected):
        more = client.get(url).content.decode().count("<tr>")
    assert more == first + 4


def test_rebuild_command(library, capsys):
    from django.core.management import call_command

    from search.models import SearchEntry

    SearchEntry.objects.all().delete()
    call_command("rebuild_search_index")
    assert SearchEntry.objects.filter(kind="table2").count() == 3  # p1, p2, p3
    assert "Indexed" in capsys.readouterr().out


def test_forms_and_actors_across_manuals_fold_spellings(db, client, planner):
    from tests.factories import FormFactory, LaneFactory, StepFactory

    for agency_name, code, lane_name in (
        ("กองคลัง", "แบบ ง.๑๐๑", "จพง.ธุรการ"),
        ("กองการเจ้าหน้าที่", "แบบ ง. 101", "จพง. ธุรการ"),
    ):
        edition = EditionFactory(manual=ManualFactory(agency=AgencyFactory(name=agency_name)))
        lane = LaneFactory(edition=edition, name=lane_name)
        step = StepFactory(process=ProcessFactory(mission__edition=edition), lane=lane)
        step.forms.add(FormFactory(edition=edition, code=code))
    client.force_login(planner)
    from search.library import forms_across_manuals, lanes_across_manuals

    [form] = [r for r in forms_across_manuals() if "101" in r.name or "๑๐๑" in r.name]
    assert (form.manuals, form.steps, form.agencies) == (2, 2, ["กองการเจ้าหน้าที่", "กองคลัง"])
    [lane] = [r for r in lanes_across_manuals() if "ธุรการ" in r.name]
    assert lane.manuals == 2 and len(lane.spellings) == 2
    page = client.get(reverse("search:forms")).content.decode()
    assert "กองการเจ้าหน้าที่, กองคลัง" in page
