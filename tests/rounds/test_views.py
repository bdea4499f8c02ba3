import pytest
from django.urls import reverse

from manuals.models import Agency, Edition
from reviews import services as review_services
from rounds import services
from rounds.models import Round
from tests.rounds.conftest import MILESTONES, published_manual

S = Edition.Status


@pytest.fixture
def round(people, manuals, shared):
    return services.round_open(
        by=people["planner"], title="รอบ 2567", year_be=2567, scope=None, milestones=MILESTONES
    )


def test_planner_opens_a_round_from_the_form(client, people, manuals):
    client.force_login(people["planner"])
    response = client.post(
        reverse("rounds:new"),
        {"title": "รอบการปรับปรุง พ.ศ. 2567", "year_be": 2567, "scope": "", **MILESTONES},
    )
    round = Round.objects.get()
    assert response.status_code == 302 and response.url == round.get_absolute_url()
    page = client.get(round.get_absolute_url())
    assert page.status_code == 200
    assert "รอบการปรับปรุง พ.ศ. ๒๕๖๗" in page.content.decode()
    assert round.participations.count() == 3


def test_bad_round_form_keeps_input_and_says_why(client, people):
    client.force_login(people["planner"])
    bad = {**MILESTONES, "approval": "2024-01-01"}
    response = client.post(reverse("rounds:new"), {"title": "รอบทดสอบ", "year_be": 2567, **bad})
    assert response.status_code == 200
    assert "เรียงตามลำดับ" in response.content.decode()
    assert not Round.objects.exists()
    response = client.post(reverse("rounds:new"), {"title": "", "year_be": "abc"})
    assert response.status_code == 200 and not Round.objects.exists()


@pytest.mark.parametrize(
    "who,status",
    [
        ("planner", 200),
        ("approver", 200),
        ("editor", 403),
        ("d1_editor", 403),
        ("nobody", 403),
    ],
)
def test_who_sees_the_round_page(client, people, round, who, status):
    client.force_login(people[who])
    assert client.get(round.get_absolute_url()).status_code == status
    assert client.get(reverse("rounds:list")).status_code == status


def test_anonymous_is_sent_to_login(client, round):
    response = client.get(round.get_absolute_url())
    assert response.status_code == 302 and "login" in response.url


def test_round_page_marks_late_manuals_and_filters_by_agency(client, people, round, bma):
    client.force_login(people["planner"])
    # today is after every milestone of MILESTONES (2024): every unsubmitted draft is late
    html = client.get(round.get_absolute_url()).content.decode()
    assert 'class="text-center late"' in html
    assert 'data-manual="division"' in html and 'data-manual="finance"' in html
    filtered = client.get(round.get_absolute_url(), {"agency": bma["bureau"].pk}).content.decode()
    assert 'data-manual="division"' in filtered and 'data-manual="finance"' not in filtered
    # a district sees the shared manual it adopts
    district = client.get(round.get_absolute_url(), {"agency": bma["d2"].pk}).content.decode()
    assert 'data-manual="district-registry"' in district
    assert 'data-manual="division"' not in district


def _pdf_text(content: bytes, folder) -> str:
    import subprocess

    path = folder / "out.pdf"
    path.write_bytes(content)
    return subprocess.run(
        ["pdftotext", "-layout", str(path), "-"], capture_output=True, check=True
    ).stdout.decode()


def _many_manuals(n, parent):
    for i in range(n):
        agency = Agency.objects.create(name=f"กองทดสอบ {i}", parent=parent, kind="division")
        published_manual(agency, f"bulk-{parent.pk}-{i}")


def test_round_page_query_count_does_not_grow_with_manuals(
    client, people, bma, django_assert_max_num_queries
):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    _many_manuals(3, bma["bureau"])
    _many_manuals(15, bma["other_bureau"])
    small, large = (
        services.round_open(
            by=people["planner"], title="รอบ", year_be=2567, scope=scope, milestones=MILESTONES
        )
        for scope in (bma["bureau"], bma["other_bureau"])
    )
    assert small.participations.count() == 3 and large.participations.count() == 15
    client.force_login(people["planner"])
    client.get(small.get_absolute_url())
    with CaptureQueriesContext(connection) as few:
        assert client.get(small.get_absolute_url()).status_code == 200
    with django_assert_max_num_queries(len(few.captured_queries)):
        assert client.get(large.get_absolute_url()).status_code == 200


def test_batch_approval_page_lists_reasons_and_approves(client, people, round):
    rows = list(round.participations.filter(state="joined").select_related("edition", "manual"))
    from tests.rounds.test_batch_approval import _editor_of

    for p in rows:
        if p.manual.slug == "district-registry":
            review_services.edition_submit(edition=p.edition, by=people["group_editor"])
        else:
            review_services.edition_submit(edition=p.edition, by=_editor_of(people, p.manual))
    client.force_login(people["planner"])
    client.post(reverse("rounds:compile", args=[round.pk]))
    review_services.comment_add(target=rows[0].edition, by=people["planner_root"], body="ขาดตัวชี้วัด")
    client.force_login(people["approver"])
    page = client.get(reverse("rounds:approve", args=[round.pk]))
    assert page.status_code == 200
    data = {
        "participation": [p.pk for p in rows],
        "letter_number": "กท ๐๓๐๓/๑๒๙๓",
        "letter_date": "2024-08-25",
    }
    refused = client.post(reverse("rounds:approve", args=[round.pk]), data)
    assert refused.status_code == 200
    assert "ความเห็นที่ยังไม่ได้แก้ไข" in refused.content.decode()
    assert not Edition.objects.filter(status=S.PUBLISHED, year_be=2567).exists()
    ok = client.post(
        reverse("rounds:approve", args=[round.pk]), {**data, "waive": [rows[0].edition_id]}
    )
    assert ok.status_code == 302
    assert Edition.objects.filter(status=S.PUBLISHED, year_be=2567).count() == 4
    assert set(
        Edition.objects.filter(year_be=2567).values_list("approval_letter_number", flat=True)
    ) == {"กท ๐๓๐๓/๑๒๙๓"}


def test_only_approvers_reach_batch_approval(client, people, round):
    for who in ("planner", "editor", "group_editor"):
        client.force_login(people[who])
        assert client.get(reverse("rounds:approve", args=[round.pk])).status_code == 403


def test_reports_export_as_xlsx_and_pdf(client, people, round, tmp_path):
    client.force_login(people["planner"])
    response = client.post(
        reverse("rounds:report_create", args=[round.pk]),
        {"reported_on": "2024-05-20", "narrative": "ทุกหน่วยงานอยู่ระหว่างการจัดทำคู่มือ"},
    )
    assert response.status_code == 302
    report = round.reports.get()
    assert report.number == 1 and "ทุกหน่วยงาน" in report.narrative
    assert not report.on_plan  # nothing submitted by 20 May against a 31 March draft milestone
    xlsx = client.get(reverse("rounds:reports_xlsx", args=[round.pk]))
    assert xlsx.status_code == 200 and xlsx.content[:2] == b"PK"
    from io import BytesIO

    from openpyxl import load_workbook

    sheet = load_workbook(BytesIO(xlsx.content)).active
    values = [c.value for c in sheet[5]]
    assert values[0] == 1 and values[5] == "ล่าช้ากว่าแผน"
    pdf = client.get(reverse("rounds:reports_pdf", args=[round.pk]))
    assert pdf.status_code == 200 and pdf.content.startswith(b"%PDF")
    text = _pdf_text(pdf.content, tmp_path)
    assert "รายงานความก้าวหน้า" in text and "ล่าช้า" in text and "๒๐ พ.ค." in text


def test_bad_report_date_is_refused_without_a_500(client, people, round):
    client.force_login(people["planner"])
    response = client.post(reverse("rounds:report_create", args=[round.pk]), {"reported_on": "x"})
    assert response.status_code == 302 and not round.reports.exists()


def test_opening_fragment_polls_until_done(client, people, round):
    client.force_login(people["planner"])
    Round.objects.filter(pk=round.pk).update(opening=Round.Opening.RUNNING, manuals_done=1)
    html = client.get(reverse("rounds:opening", args=[round.pk])).content.decode()
    assert "hx-trigger" in html
    Round.objects.filter(pk=round.pk).update(opening=Round.Opening.DONE)
    html = client.get(reverse("rounds:opening", args=[round.pk])).content.decode()
    assert "hx-trigger" not in html


def _row_html(client, round, slug: str) -> str:
    import re

    html = client.get(round.get_absolute_url()).content.decode()
    match = re.search(rf'<tr data-manual="{slug}".*?</tr>', html, re.S)
    assert match, slug
    return match.group(0)


def test_round_page_rows_are_reused_until_what_they_show_changes(client, people, round):
    """Rows are kept rendered in the cache under a hash of what they show: the same page twice
    gives the same rows, and a change of status, compilation or comments shows at once."""
    from reviews.services import comment_add
    from rounds.models import Participation
    from tests.rounds.test_batch_approval import _editor_of

    client.force_login(people["planner"])
    part = Participation.objects.select_related("edition", "manual").get(
        round=round, manual__slug="division"
    )
    first = _row_html(client, round, "division")
    assert first == _row_html(client, round, "division")
    assert part.edition.get_status_display() in first

    comment_add(target=part.edition, by=people["planner"], body="ขอแก้ไขคำนำ")
    with_comment = _row_html(client, round, "division")
    assert with_comment != first
    assert '<td class="text-end">๑</td>' in with_comment

    review_services.edition_submit(
        edition=part.edition, by=_editor_of(people, part.manual), confirm_open_comments=True
    )
    submitted = _row_html(client, round, "division")
    assert "csrfmiddlewaretoken" in submitted and 'data-action="compile"' in submitted
    # a row holding a form is made per request (its CSRF token is the request's)
    client.get(round.get_absolute_url())
    services.participation_compile(participation=part, by=people["planner"])
    compiled = _row_html(client, round, "division")
    assert 'data-action="compile"' not in compiled and "รวบรวมแล้ว" in compiled
    # in English the same row is another row
    client.post(reverse("set_language"), {"language": "en", "next": "/"})
    assert _row_html(client, round, "division") != compiled
