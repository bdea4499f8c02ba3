"""Unplaced text in the editor: shown on the overview and next to its process, removed by hand
by the unit's editor only, never on a frozen edition."""

from __future__ import annotations

import datetime

import pytest
from django.urls import reverse

from imports.models import UnplacedText
from manuals.models import Edition, Membership
from tests.factories import EditionFactory, MembershipFactory, ProcessFactory

pytestmark = pytest.mark.django_db


def _unplaced(edition, process=None, text="ข้อความที่ไม่รู้ว่าอยู่ช่องใด", position=1, **extra):
    return UnplacedText.objects.create(
        edition=edition,
        process=process,
        text=text,
        source_location="หน้า 12 บรรทัด 3",
        page=12,
        line=3,
        position=position,
        **extra,
    )


@pytest.fixture
def edition():
    return EditionFactory()


@pytest.fixture
def process(edition):
    return ProcessFactory(mission__edition=edition, name="การจัดทำแผนปฏิบัติราชการ")


@pytest.fixture
def editor(edition):
    return MembershipFactory(agency=edition.manual.agency).user


def test_overview_lists_unplaced_text_with_its_source_location(client, edition, process, editor):
    _unplaced(edition, process, text="หมายเหตุ <b>ท้ายตาราง</b>")
    _unplaced(edition, None, text="ข้อความนอกตาราง", position=2)
    client.force_login(editor)
    html = client.get(reverse("manuals:edition", args=[edition.pk])).content.decode()
    assert "ข้อความที่ยังไม่ได้จัดลงช่อง" in html
    assert "หน้า ๑๒ บรรทัด ๓" in html  # Thai digits on screen
    assert "หมายเหตุ &lt;b&gt;ท้ายตาราง&lt;/b&gt;" in html  # user text escaped
    assert "ข้อความนอกตาราง" in html
    assert reverse("processes:editor", args=[process.pk]) in html
    assert html.count('class="list-group-item unplaced-item"') == 2


def test_overview_without_unplaced_text_draws_no_card(client, edition, editor):
    client.force_login(editor)
    html = client.get(reverse("manuals:edition", args=[edition.pk])).content.decode()
    assert 'id="unplaced"' not in html


def test_process_editor_shows_only_its_own_unplaced_text(client, edition, process, editor):
    other = ProcessFactory(mission=process.mission, edition=edition, name="อื่น")
    _unplaced(edition, process, text="ของกระบวนการนี้")
    _unplaced(edition, other, text="ของกระบวนการอื่น", position=2)
    client.force_login(editor)
    html = client.get(reverse("processes:editor", args=[process.pk])).content.decode()
    assert "ของกระบวนการนี้" in html
    assert "ของกระบวนการอื่น" not in html
    assert reverse("imports:unplaced_delete", args=[process.unplaced_texts.get().pk]) in html


def test_editor_removes_an_unplaced_text_with_htmx(client, edition, process, editor):
    item = _unplaced(edition, process)
    keep = _unplaced(edition, process, text="ยังอยู่", position=2)
    client.force_login(editor)
    response = client.post(
        reverse("imports:unplaced_delete", args=[item.pk]), HTTP_HX_REQUEST="true"
    )
    assert response.status_code == 200
    assert response.content == b""
    assert response["HX-Trigger"] == "unplaced-changed"
    assert list(UnplacedText.objects.values_list("pk", flat=True)) == [keep.pk]
    count = client.get(
        reverse("imports:unplaced_count", args=[edition.pk]) + f"?process={process.pk}"
    )
    assert count.content.decode() == "๑"


def test_plain_post_removes_and_goes_back_to_the_edition(client, edition, editor):
    item = _unplaced(edition)
    client.force_login(editor)
    response = client.post(reverse("imports:unplaced_delete", args=[item.pk]))
    assert response.status_code == 302
    assert response["Location"] == edition.get_absolute_url()
    assert not UnplacedText.objects.exists()


@pytest.mark.parametrize("role", [Membership.Role.REVIEWER, Membership.Role.APPROVER])
def test_readers_see_but_cannot_remove(client, edition, role):
    item = _unplaced(edition)
    client.force_login(MembershipFactory(agency=edition.manual.agency, role=role).user)
    html = client.get(reverse("manuals:edition", args=[edition.pk])).content.decode()
    assert item.text in html
    assert reverse("imports:unplaced_delete", args=[item.pk]) not in html
    response = client.post(reverse("imports:unplaced_delete", args=[item.pk]))
    assert response.status_code == 403
    assert UnplacedText.objects.filter(pk=item.pk).exists()


def test_other_unit_cannot_remove_or_see_a_draft(client, edition):
    item = _unplaced(edition)
    client.force_login(MembershipFactory().user)
    assert client.post(reverse("imports:unplaced_delete", args=[item.pk])).status_code == 403
    assert client.get(reverse("imports:unplaced_list", args=[edition.pk])).status_code == 403
    assert UnplacedText.objects.filter(pk=item.pk).exists()


def test_anonymous_is_sent_to_login(client, edition):
    item = _unplaced(edition)
    response = client.post(reverse("imports:unplaced_delete", args=[item.pk]))
    assert response.status_code == 302
    assert "login" in response["Location"]


def test_frozen_edition_refuses_removal(client, edition, editor):
    item = _unplaced(edition)
    Edition.objects.filter(pk=edition.pk).update(
        status=Edition.Status.PUBLISHED, published_on=datetime.date(2024, 1, 1)
    )
    client.force_login(editor)
    html = client.get(reverse("manuals:edition", args=[edition.pk])).content.decode()
    assert item.text in html  # still readable
    assert reverse("imports:unplaced_delete", args=[item.pk]) not in html
    response = client.post(reverse("imports:unplaced_delete", args=[item.pk]))
    assert response.status_code == 403
    assert UnplacedText.objects.filter(pk=item.pk).exists()


def test_full_list_page_shows_every_item_in_source_order(client, edition, editor):
    for n in range(12, 0, -1):
        _unplaced(edition, text=f"ข้อความลำดับ {n}", position=n)
    client.force_login(editor)
    overview = client.get(reverse("manuals:edition", args=[edition.pk])).content.decode()
    assert overview.count('class="list-group-item unplaced-item"') == 10  # the first ten
    assert "ดูทั้งหมด ๑๒ รายการ" in overview
    html = client.get(reverse("imports:unplaced_list", args=[edition.pk])).content.decode()
    assert html.count('class="list-group-item unplaced-item"') == 12
    assert html.index("ข้อความลำดับ 1<") < html.index("ข้อความลำดับ 2<") < html.index("ข้อความลำดับ 12<")


def test_revision_copies_unplaced_text(edition, process):
    """Unplaced text is edition content: the next revision keeps it (lineage unchanged)."""
    from manuals.services import edition_start_revision

    item = _unplaced(edition, process)
    Edition.objects.filter(pk=edition.pk).update(
        status=Edition.Status.PUBLISHED, published_on=datetime.date(2024, 1, 1)
    )
    draft = edition_start_revision(manual=edition.manual, year_be=2570)
    copy = UnplacedText.objects.get(edition=draft)
    assert copy.lineage == item.lineage
    assert copy.process.edition_id == draft.pk


def test_query_counts_do_not_grow_with_the_number_of_items(client, edition, process, editor):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    client.force_login(editor)
    urls = [
        reverse("imports:unplaced_list", args=[edition.pk]),
        reverse("processes:editor", args=[process.pk]),
    ]

    def counts():
        out = []
        for url in urls:
            with CaptureQueriesContext(connection) as captured:
                assert client.get(url).status_code == 200
            out.append(len(captured))
        return out

    _unplaced(edition, process, position=1)
    few = counts()
    for n in range(2, 30):
        _unplaced(edition, process, text=f"ข้อความ {n}", position=n)
    assert counts() == few
