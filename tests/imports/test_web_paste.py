"""Paste a table into a process's step table: preview with column choices, then all steps added
in one transaction through the processes services; bad pastes get a Thai message."""

from __future__ import annotations

import datetime
import re

import pytest
from django.urls import reverse

from manuals.models import Edition, Form, Lane, Membership
from processes.models import Step
from tests.factories import (
    EditionFactory,
    FormFactory,
    LaneFactory,
    MembershipFactory,
    ProcessFactory,
    StepFactory,
)
from tests.imports.clipboard import HEADER, ROWS, tsv, word_html

pytestmark = pytest.mark.django_db


@pytest.fixture
def process():
    edition = EditionFactory()
    process = ProcessFactory(mission__edition=edition)
    StepFactory(process=process, position=1, label="ขั้นตอนเดิม")
    return process


@pytest.fixture
def editor_client(client, process):
    client.force_login(MembershipFactory(agency=process.edition.manual.agency).user)
    return client


def _preview(client, process, **data):
    return client.post(
        reverse("imports:paste_preview", args=[process.pk]), data, HTTP_HX_REQUEST="true"
    )


def _add(client, process, **data):
    return client.post(
        reverse("imports:paste_add", args=[process.pk]), data, HTTP_HX_REQUEST="true"
    )


def _selected(html: str) -> list[str]:
    """The chosen field of each column select in the preview."""
    out = []
    for select in re.findall(r'<select[^>]*name="col-\d+".*?</select>', html, re.S):
        chosen = re.search(r'<option value="([^"]*)" selected', select)
        out.append(chosen.group(1) if chosen else None)
    return out


def test_editor_sees_the_paste_button(editor_client, process):
    html = editor_client.get(reverse("processes:editor", args=[process.pk])).content.decode()
    assert "วางตาราง" in html
    assert reverse("imports:paste_preview", args=[process.pk]) in html


def test_reader_has_no_paste_button(client, process):
    agency = process.edition.manual.agency
    client.force_login(MembershipFactory(agency=agency, role=Membership.Role.REVIEWER).user)
    html = client.get(reverse("processes:editor", args=[process.pk])).content.decode()
    assert reverse("imports:paste_preview", args=[process.pk]) not in html


def test_word_html_preview_maps_columns_by_header_words(editor_client, process):
    response = _preview(editor_client, process, html=word_html(ROWS), text=tsv(ROWS))
    assert response.status_code == 200
    html = response.content.decode()
    assert _selected(html) == ["", "label", "detail", "lane", "duration_text", "forms"]
    assert "จะเพิ่ม <strong>๓</strong> ขั้นตอน" in html
    assert "รับหนังสือจากหน่วยงานภายนอก<br>ลงทะเบียนรับในระบบ" in html
    assert "ผอ.กอง / หัวหน้าฝ่าย" in html
    assert Step.objects.filter(process=process).count() == 1  # a preview writes nothing


def test_word_html_adds_every_row_after_the_existing_steps(editor_client, process):
    edition = process.edition
    LaneFactory(edition=edition, name="จพง.ธุรการ", position=1)
    FormFactory(edition=edition, code="แบบ ง.๑๐๑")
    response = _add(editor_client, process, html=word_html(ROWS), text=tsv(ROWS))
    assert response.status_code == 200
    assert "เพิ่ม ๓ ขั้นตอน" in response.content.decode()
    assert "steps-changed" in response["HX-Trigger"]
    steps = list(Step.objects.filter(process=process).order_by("position"))
    assert [s.position for s in steps] == [1, 2, 3, 4]
    first, second, third = steps[1:]
    assert first.detail == "รับหนังสือจากหน่วยงานภายนอก\nลงทะเบียนรับในระบบ"
    # "จพง. ธุรการ" is the existing lane จพง.ธุรการ (spaces and dots normalised)
    assert first.lane.name == "จพง.ธุรการ"
    assert Lane.objects.filter(edition=edition, name__startswith="จพง").count() == 1
    # several actors: the first is the lane, the others share the step
    assert second.lane.name == "ผอ.กอง"
    assert [lane.name for lane in second.other_lanes.all()] == ["หัวหน้าฝ่าย"]
    # durations go through the parser, kept as written
    assert first.duration_text == "๕ นาที" and first.duration_unit == "minute"
    assert second.duration_unit == "working_day" and second.duration_parsed
    assert (third.duration_low, third.duration_high) == (1, 2)
    # forms matched to the manual's list, not duplicated
    assert [f.code for f in second.forms.all()] == ["แบบ ง.๑๐๑"]
    assert Form.objects.filter(edition=edition).count() == 1
    # the history says who added them
    assert first.history.first().history_user.memberships.exists()


def test_tab_separated_text_with_a_quoted_multiline_cell(editor_client, process):
    text = tsv(ROWS)
    assert '"รับหนังสือจากหน่วยงานภายนอก\nลงทะเบียนรับในระบบ"' in text
    response = _add(editor_client, process, html="", text=text)
    assert response.status_code == 200
    details = list(
        Step.objects.filter(process=process, position__gt=1)
        .order_by("position")
        .values_list("detail", flat=True)
    )
    assert details == [
        "รับหนังสือจากหน่วยงานภายนอก\nลงทะเบียนรับในระบบ",
        "เสนอหนังสือต่อผู้อำนวยการกอง",
        "พิจารณาสั่งการ",
    ]


def test_user_changes_a_column_and_drops_another(editor_client, process):
    # the user makes the forms column a reference and leaves the duration out
    choice = {f"col-{i}": v for i, v in enumerate(["", "", "detail", "lane", "", "references"])}
    preview = _preview(editor_client, process, text=tsv(ROWS), **choice)
    assert _selected(preview.content.decode()) == ["", "", "detail", "lane", "", "references"]
    assert 'class="paste-ignored"' in preview.content.decode()
    _add(editor_client, process, text=tsv(ROWS), **choice)
    second = Step.objects.get(process=process, position=3)
    assert second.references == "แบบ ง.๑๐๑"
    assert second.duration_text == ""
    assert not second.forms.exists()


def test_repeated_header_rows_and_a_title_line_are_skipped(editor_client, process):
    rows = [["ตารางที่ ๕ ขั้นตอนการปฏิบัติงาน"] + [""] * 5, HEADER, ROWS[0], HEADER, ROWS[1]]
    response = _preview(editor_client, process, html=word_html(rows, header=None))
    html = response.content.decode()
    assert "จะเพิ่ม <strong>๒</strong> ขั้นตอน" in html
    assert "ข้าม ๒ แถวที่ไม่ใช่ขั้นตอน" in html
    _add(editor_client, process, html=word_html(rows, header=None))
    assert Step.objects.filter(process=process).count() == 3


def test_a_table_without_header_guesses_the_detail_column(editor_client, process):
    rows = [["1", "รับเรื่องจากประชาชนและตรวจสอบเอกสาร", "๕ นาที"], ["2", "เสนอผู้อำนวยการ", "๑ วัน"]]
    html = _preview(editor_client, process, text=tsv(rows, header=None)).content.decode()
    assert "ไม่พบแถวหัวตาราง" in html
    assert _selected(html) == ["", "detail", ""]


@pytest.mark.parametrize(
    "data, message",
    [
        ({"html": "", "text": ""}, "ไม่พบตารางในข้อความที่วาง"),
        ({"html": "<p>ข้อความธรรมดา</p>", "text": "ข้อความธรรมดา\nอีกบรรทัด"}, "คอลัมน์เดียว"),
        ({"html": "<table><tr><td>", "text": ""}, "ไม่พบตาราง"),
        ({"text": "\x00\x01\t\x02"}, "ไม่พบตาราง"),
    ],
)
def test_bad_paste_gets_a_thai_message_and_writes_nothing(editor_client, process, data, message):
    for post in (_preview, _add):
        response = post(editor_client, process, **data)
        assert response.status_code == 422
        assert message in response.content.decode()
    assert Step.objects.filter(process=process).count() == 1


def test_too_long_paste_is_refused(editor_client, process, settings):
    response = _preview(editor_client, process, text="ก\tข\n" * 400)
    assert response.status_code == 422
    assert "ไม่เกิน ๓๐๐ แถว" in response.content.decode()


def test_add_without_a_detail_column_is_refused(editor_client, process):
    choice = {f"col-{i}": v for i, v in enumerate(["", "", "", "lane", "duration_text", ""])}
    response = _add(editor_client, process, text=tsv(ROWS), **choice)
    assert response.status_code == 422
    assert "รายละเอียดของงาน" in response.content.decode()
    assert Step.objects.filter(process=process).count() == 1


def test_one_bad_row_adds_nothing(editor_client, process):
    """All or nothing: a row the model refuses (an actor name too long for a lane) rolls back
    the rows before it."""
    rows = [ROWS[0], ["๒", "", "เสนอหนังสือ", "ก" * 200, "๑ วัน", ""]]
    response = _add(editor_client, process, text=tsv(rows))
    assert response.status_code == 422
    assert Step.objects.filter(process=process).count() == 1
    assert not Lane.objects.filter(edition=process.edition).exists()


def test_other_unit_and_reviewer_get_403(client, process):
    agency = process.edition.manual.agency
    for user in (
        MembershipFactory().user,
        MembershipFactory(agency=agency, role=Membership.Role.REVIEWER).user,
    ):
        client.force_login(user)
        assert _preview(client, process, text=tsv(ROWS)).status_code == 403
        assert _add(client, process, text=tsv(ROWS)).status_code == 403
    assert Step.objects.filter(process=process).count() == 1


def test_anonymous_is_sent_to_login(client, process):
    response = client.post(reverse("imports:paste_add", args=[process.pk]), {"text": tsv(ROWS)})
    assert response.status_code == 302 and "login" in response["Location"]


def test_frozen_edition_refuses_the_paste(editor_client, process):
    Edition.objects.filter(pk=process.edition_id).update(
        status=Edition.Status.PUBLISHED, published_on=datetime.date(2024, 1, 1)
    )
    assert _preview(editor_client, process, text=tsv(ROWS)).status_code == 403
    assert _add(editor_client, process, text=tsv(ROWS)).status_code == 403
    assert Step.objects.filter(process=process).count() == 1


def test_plain_post_redirects_to_the_step_table(editor_client, process):
    response = editor_client.post(
        reverse("imports:paste_add", args=[process.pk]), {"text": tsv(ROWS)}
    )
    assert response.status_code == 302
    assert response["Location"].endswith(reverse("processes:editor", args=[process.pk]) + "#steps")


def test_pasted_steps_are_in_the_search_index(editor_client, process):
    """The index is brought up to date once at the end of the paste (core.changes)."""
    from search.models import SearchEntry

    _add(editor_client, process, text=tsv(ROWS))
    indexed = set(
        SearchEntry.objects.filter(process=process, step__isnull=False).values_list(
            "step_id", flat=True
        )
    )
    assert indexed == set(Step.objects.filter(process=process).values_list("pk", flat=True))


def test_headcount_as_written_and_unknown_forms_are_kept(editor_client, process):
    header = ["รายละเอียดของงาน", "จำนวนผู้ปฏิบัติงาน (คน)", "แบบฟอร์มที่ใช้"]
    rows = [["รับเรื่อง", "๒", "แบบ ก.๑, แบบ ข.๒"], ["ตรวจสอบ", "๓-๕ คน", ""]]
    response = _add(editor_client, process, text=tsv(rows, header=header))
    assert response.status_code == 200
    first, second = Step.objects.filter(process=process, position__gt=1).order_by("position")
    assert (first.headcount, first.headcount_text) == (2, "")
    assert (second.headcount, second.headcount_text) == (None, "๓-๕ คน")
    assert sorted(f.code for f in first.forms.all()) == ["แบบ ก.๑", "แบบ ข.๒"]
    assert Form.objects.filter(edition=process.edition).count() == 2  # added to the manual's list
