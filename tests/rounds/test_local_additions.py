"""Local additions of an adopting agency: edited in the browser by its own editors only, kept
apart from the shared text, printed after the shared process they follow in that agency's own
copy, and still there after the next round."""

from __future__ import annotations

import datetime

import pytest
from django.urls import reverse

from manuals.models import (
    Adoption,
    Edition,
    LocalAddition,
    WorkingGroup,
    WorkingGroupMember,
)
from printing.builder import _attach_local_additions, build_parts
from printing.selectors import printable_edition
from rounds import services
from tests.factories import (
    EditionFactory,
    LaneFactory,
    MissionFactory,
    ProcessFactory,
    StepFactory,
)
from tests.rounds.conftest import MILESTONES

pytestmark = pytest.mark.django_db

TITLE = "การตรวจสอบทะเบียนบ้านของเขตพระนคร"
BODY = "เจ้าหน้าที่ตรวจสอบสำเนาทะเบียนบ้านกับฐานข้อมูลของเขตก่อนรับเรื่อง ๒ รอบ"


@pytest.fixture
def shared2(bma, people):
    """A shared district manual with two processes, adopted by both district offices."""
    edition = EditionFactory(
        year_be=2564, status=Edition.Status.DRAFT, manual__agency=bma["kk"], manual__slug="reg2"
    )
    lane = LaneFactory(edition=edition, name="จพง.ธุรการ")
    mission = MissionFactory(edition=edition, position=1)
    for position, name in ((1, "การรับคำร้อง"), (2, "การออกหนังสือรับรอง")):
        process = ProcessFactory(mission=mission, position=position, name=name)
        StepFactory(process=process, position=1, lane=lane, detail=f"เริ่ม{name}")
        StepFactory(process=process, position=2, lane=lane, detail=f"จบ{name}")
    edition.status = Edition.Status.PUBLISHED
    edition.published_on = datetime.date(2021, 8, 25)
    edition.save()
    manual = edition.manual
    group = WorkingGroup.objects.create(manual=manual, name="คณะทำงานฝ่ายทะเบียน")
    WorkingGroupMember.objects.create(group=group, user=people["group_editor"], agency=bma["d1"])
    for key in ("d1", "d2"):
        Adoption.objects.create(manual=manual, agency=bma[key])
    return manual


def _page(manual, agency):
    return reverse("rounds:local_additions", args=[manual.pk, agency.pk])


def _first_lineage(manual) -> str:
    return str(next(iter(services.local_process_choices(manual))))


def test_an_adopters_editor_adds_changes_and_deletes_through_the_page(client, people, bma, shared2):
    client.force_login(people["d1_editor"])
    page = client.get(_page(shared2, bma["d1"]))
    assert page.status_code == 200
    assert 'data-form="new-local"' in page.content.decode()
    response = client.post(
        _page(shared2, bma["d1"]),
        {"after_process_lineage": _first_lineage(shared2), "title": TITLE, "body": BODY},
    )
    assert response.status_code == 302
    addition = LocalAddition.objects.get()
    assert addition.adoption.agency == bma["d1"]
    assert (addition.title, addition.body) == (TITLE, BODY)
    assert TITLE in client.get(_page(shared2, bma["d1"])).content.decode()

    second = list(services.local_process_choices(shared2))[1]
    client.post(
        _page(shared2, bma["d1"]),
        {
            "addition": addition.pk,
            "action": "save",
            "after_process_lineage": str(second),
            "title": TITLE + " (แก้ไข)",
            "body": BODY,
        },
    )
    addition.refresh_from_db()
    assert addition.title.endswith("(แก้ไข)")
    assert addition.after_process_lineage == second
    assert LocalAddition.objects.count() == 1

    client.post(_page(shared2, bma["d1"]), {"addition": addition.pk, "action": "delete"})
    assert not LocalAddition.objects.exists()


def test_bad_input_is_refused_in_thai_and_nothing_is_saved(client, people, bma, shared2):
    client.force_login(people["d1_editor"])
    for data in (
        {"after_process_lineage": "not-a-uuid", "title": TITLE, "body": BODY},
        {"after_process_lineage": _first_lineage(shared2), "title": "", "body": BODY},
        {"after_process_lineage": _first_lineage(shared2), "title": "ก" * 301, "body": BODY},
    ):
        response = client.post(_page(shared2, bma["d1"]), data)
        assert response.status_code == 400
        assert "โปรด" in response.content.decode()
    # a process of another manual is not a place in this one
    with pytest.raises(services.ValidationError):
        services.local_addition_save(
            adoption=Adoption.objects.get(agency=bma["d1"], manual=shared2),
            by=people["d1_editor"],
            title=TITLE,
            body=BODY,
            after_process_lineage="00000000-0000-0000-0000-000000000000",
        )
    assert not LocalAddition.objects.exists()


def test_only_the_adopters_own_editors_change_its_additions(client, people, bma, shared2):
    data = {"after_process_lineage": _first_lineage(shared2), "title": TITLE, "body": BODY}
    # another district's editor: not even the page of d1
    client.force_login(people["d2_editor"])
    assert client.get(_page(shared2, bma["d1"])).status_code == 403
    assert client.post(_page(shared2, bma["d1"]), data).status_code == 403
    # a planner reads every adopter's additions, but changes none
    client.force_login(people["planner"])
    page = client.get(_page(shared2, bma["d1"]))
    assert page.status_code == 200
    assert 'data-form="new-local"' not in page.content.decode()
    assert client.post(_page(shared2, bma["d1"]), data).status_code == 403
    # someone from nowhere
    client.force_login(people["nobody"])
    assert client.get(_page(shared2, bma["d1"])).status_code == 403
    assert not LocalAddition.objects.exists()
    # an agency that does not adopt the manual has no page
    client.force_login(people["d1_editor"])
    assert client.get(_page(shared2, bma["bureau"])).status_code == 404


def _normal(text: str) -> str:
    return text.replace("\u0e4d\u0e32", "\u0e33").replace(" ", "")


def test_printed_after_its_process_in_the_adopters_copy_and_kept_in_the_next_round(
    client, people, bma, shared2, tmp_path
):
    from rounds.models import AdopterPdf
    from tests.rounds.test_views import _pdf_text

    # written against the published edition (round 2564) ...
    services.local_addition_save(
        adoption=Adoption.objects.get(agency=bma["d1"], manual=shared2),
        by=people["d1_editor"],
        title=TITLE,
        body=BODY,
        after_process_lineage=_first_lineage(shared2),
    )
    # ... then the next round starts the 2567 draft of the shared manual
    services.round_open(
        by=people["planner"], title="รอบ 2567", year_be=2567, scope=None, milestones=MILESTONES
    )
    draft = shared2.editions.open().get()
    assert services.local_process_choices(shared2)  # the draft's processes, same lineages

    # in its place: in Table 3, after the first process's steps, before the second process;
    # the other district's copy has no trace of it (the parts' HTML, no layout)
    def table3(agency):
        data = printable_edition(edition_id=draft.pk)
        _attach_local_additions(data, agency.pk)
        data.edition.manual.agency = agency
        return next(str(p.html) for p in build_parts(data, []) if p.key == "table3")

    html = table3(bma["d1"])
    first, second = html.find("กระบวนการ ๑.๑"), html.find("กระบวนการ ๑.๒")
    assert 0 <= first < html.find(TITLE) < second
    assert html.find("ส่วนเพิ่มเติมของสำนักงานเขตพระนคร") < html.find(TITLE)
    assert html.rfind("</tbody>", 0, second) < html.find(TITLE)
    assert TITLE not in table3(bma["d2"])

    # and in the PDF of d1's copy, made in the background like every adopter's copy
    client.force_login(people["d1_editor"])
    client.get(reverse("rounds:adopter_pdf", args=[shared2.pk, bma["d1"].pk]))
    export = AdopterPdf.objects.get(agency=bma["d1"])
    assert export.status == AdopterPdf.Status.DONE, export.error
    response = client.get(reverse("rounds:adopter_pdf_file", args=[export.pk]))
    text = _pdf_text(b"".join(response.streaming_content), tmp_path)
    pages = [_normal(p) for p in text.split("\f")]
    at = [i for i, p in enumerate(pages) if _normal(TITLE) in p]
    assert len(at) == 1, "the local addition is printed once"
    assert _normal("ส่วนเพิ่มเติมของสำนักงานเขตพระนคร") in pages[at[0]]
    assert _normal(BODY)[:20] in pages[at[0]]

    # a change to the addition makes a new copy (the adopter's content hash includes it)
    addition = LocalAddition.objects.get()
    services.local_addition_save(
        adoption=addition.adoption,
        by=people["d1_editor"],
        addition=addition,
        title=TITLE,
        body=BODY + " เพิ่มเติม",
        after_process_lineage=addition.after_process_lineage,
    )
    assert services.local_additions_hash(
        manual=shared2, agency=bma["d1"]
    ) != services.local_additions_hash(manual=shared2, agency=bma["d2"])
