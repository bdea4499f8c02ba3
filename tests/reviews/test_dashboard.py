import csv
import datetime
import io

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from manuals.models import Edition
from reviews.selectors import dashboard_build, edition_health
from tests.factories import (
    AgencyFactory,
    EditionFactory,
    IndicatorFactory,
    ManualFactory,
    ProcessFactory,
    StepFactory,
)

S = Edition.Status
TODAY = datetime.date(2025, 6, 1)


def make_manuals(n, parent=None):
    """n manuals, each with a published edition and an open draft holding a process."""
    for i in range(n):
        agency = AgencyFactory(parent=parent)
        manual = ManualFactory(agency=agency)
        EditionFactory(
            manual=manual,
            year_be=2564,
            status=S.PUBLISHED,
            published_on=datetime.date(2021, 9, i % 28 + 1),
        )
        draft = EditionFactory(manual=manual, year_be=2567)
        process = ProcessFactory(mission__edition=draft)
        StepFactory(process=process)


def _queries(client, url):
    with CaptureQueriesContext(connection) as ctx:
        response = client.get(url)
    assert response.status_code == 200
    return len(ctx.captured_queries)


@pytest.mark.django_db
def test_dashboard_queries_do_not_grow_with_manuals(client, people):
    client.force_login(people["reviewer"])
    make_manuals(10)
    few = _queries(client, "/review/")
    make_manuals(30)
    many = _queries(client, "/review/")
    assert few == many
    # The export reads the same way.
    assert _queries(client, "/review/export/?format=csv") == _queries(
        client, "/review/export/?format=xlsx"
    )


@pytest.mark.django_db
def test_selector_query_count_is_fixed(django_assert_num_queries):
    make_manuals(5)
    with django_assert_num_queries(5):
        # agency tree, manuals+agency, editions(+open comments), 2 health aggregates, and
        # nothing per row.
        board = dashboard_build(today=TODAY)
        assert len(board.rows) == 5


@pytest.mark.django_db
def test_overdue_and_due_soon(tree):
    _bureau, own, other = tree
    overdue = ManualFactory(agency=own)
    EditionFactory(manual=overdue, status=S.PUBLISHED, published_on=datetime.date(2022, 5, 1))
    soon = ManualFactory(agency=other)
    EditionFactory(manual=soon, status=S.PUBLISHED, published_on=datetime.date(2022, 7, 15))
    fine = ManualFactory()
    EditionFactory(manual=fine, status=S.PUBLISHED, published_on=datetime.date(2024, 1, 1))
    never = ManualFactory()
    EditionFactory(manual=never)
    board = dashboard_build(today=TODAY)
    by_manual = {r.manual: r for r in board.rows}
    assert by_manual[overdue].overdue and not by_manual[overdue].due_soon
    assert by_manual[overdue].next_review_due == datetime.date(2025, 5, 1)
    assert by_manual[soon].due_soon and not by_manual[soon].overdue
    assert not by_manual[fine].overdue and not by_manual[fine].due_soon
    assert by_manual[never].next_review_due is None
    assert (board.overdue, board.due_soon, board.never_published) == (1, 1, 1)
    assert board.rows[0].manual == overdue  # the most urgent first
    assert board.status_counts[S.PUBLISHED] == 3 and board.status_counts[S.DRAFT] == 1
    assert [r.manual for r in dashboard_build(today=TODAY, due="soon").rows] == [soon]


@pytest.mark.django_db
def test_filter_by_agency_tree_and_search(tree):
    bureau, own, other = tree
    sub = AgencyFactory(name="ฝ่ายบริหารงานทั่วไป", parent=own)
    in_own = ManualFactory(agency=own, title="คู่มือการปฏิบัติงานด้านสารบรรณ")
    in_sub = ManualFactory(agency=sub)
    in_other = ManualFactory(agency=other)
    outside = ManualFactory()
    manuals = lambda **kw: {r.manual for r in dashboard_build(**kw).rows}  # noqa: E731
    assert manuals(agency_id=own.pk) == {in_own, in_sub}
    assert manuals(agency_id=bureau.pk) == {in_own, in_sub, in_other}
    assert outside not in manuals(agency_id=bureau.pk)
    assert manuals(search="สารบรรณ") == {in_own}
    assert manuals(search="บริหารงานทั่วไป") == {in_sub}


@pytest.mark.django_db
def test_health_counts_problems_per_edition(draft):
    process = draft.processes.get()
    bare = ProcessFactory(mission=process.mission, edition=draft)
    StepFactory(process=bare, lane=None, duration_text="")
    StepFactory(process=bare, lane=None, duration_text="สองวันครึ่ง")
    IndicatorFactory(process=process)  # a second indicator must not double-count
    health = edition_health(edition_ids=[draft.pk])[draft.pk]
    assert health.processes == 2
    assert health.processes_without_indicators == 1
    assert health.steps == 4
    assert health.steps_without_lane == 2
    assert health.steps_without_duration == 1
    assert health.unparsed_durations == 1


@pytest.mark.django_db
def test_dashboard_page_and_exports(client, people, draft):
    EditionFactory(
        manual=draft.manual,
        year_be=2564,
        status=S.PUBLISHED,
        published_on=datetime.date(2021, 8, 25),
    )
    client.force_login(people["reviewer"])
    html = client.get("/review/").content.decode()
    assert draft.manual.agency.name in html
    assert "due-overdue" in html  # 2021 + 3 years is long past
    response = client.get("/review/export/?format=csv")
    assert response["Content-Type"].startswith("text/csv")
    rows = list(csv.reader(io.StringIO(response.content.decode("utf-8-sig"))))
    assert rows[0][0] == "หน่วยงาน"
    assert rows[1][0] == draft.manual.agency.name
    assert rows[1][6] == "2024-08-25"
    response = client.get("/review/export/?format=xlsx")
    from openpyxl import load_workbook

    sheet = load_workbook(io.BytesIO(response.content)).active
    assert sheet["A2"].value == draft.manual.agency.name
    assert sheet["G2"].value.date() == datetime.date(2024, 8, 25)


@pytest.mark.django_db
def test_dashboard_is_for_planners(client, people):
    client.force_login(people["editor"])
    assert client.get("/review/").status_code == 403
    assert client.get("/review/export/?format=csv").status_code == 403
    client.logout()
    assert client.get("/review/").status_code == 302
