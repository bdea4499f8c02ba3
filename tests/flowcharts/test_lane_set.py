"""The lane-set screen: the manual's chart lanes edited once, used by every chart."""

from __future__ import annotations

import pytest
from django.urls import reverse

from flowcharts.selectors import chart_spec_for_process
from manuals.models import ChartLaneMode, Edition, Lane, Membership
from tests.factories import (
    LaneFactory,
    MembershipFactory,
    ProcessFactory,
    StepFactory,
    UserFactory,
)

pytestmark = pytest.mark.django_db


@pytest.fixture
def setup():
    process = ProcessFactory()
    edition = process.edition
    unit = LaneFactory(edition=edition, name="ฝ่ายบริหารงานทั่วไป", kind=Lane.Kind.UNIT, position=1)
    clerk = LaneFactory(edition=edition, name="จพง.ธุรการ", position=2)
    boss = LaneFactory(edition=edition, name="ผู้อำนวยการกอง", position=3)
    StepFactory(process=process, position=1, lane=clerk, label="รับเรื่อง")
    editor = UserFactory()
    MembershipFactory(user=editor, agency=edition.manual.agency, role=Membership.Role.EDITOR)
    return {
        "process": process,
        "edition": edition,
        "unit": unit,
        "clerk": clerk,
        "boss": boss,
        "editor": editor,
    }


def _url(edition):
    return reverse("flowcharts:lane_set", kwargs={"edition_pk": edition.pk})


def _post_data(edition, lanes, **changes):
    """What the screen posts for ``lanes`` as they are now, with ``changes`` applied."""
    data = {
        "mode": edition.chart_lane_mode,
        "initial-mode": edition.chart_lane_mode,
        "header": edition.chart_lane_header,
        "initial-header": edition.chart_lane_header,
    }
    for i, lane in enumerate(lanes, start=1):
        data[f"order_{lane.pk}"] = str(i)
        data[f"kind_{lane.pk}"] = lane.kind
        data[f"unit_{lane.pk}"] = str(lane.unit_id or "")
        data[f"version_{lane.pk}"] = str(lane.version)
        if lane.always_show:
            data[f"always_{lane.pk}"] = "on"
    data.update(changes)
    return {k: v for k, v in data.items() if v is not None}


def test_permissions(client, setup):
    edition = setup["edition"]
    response = client.get(_url(edition))
    assert response.status_code == 302  # anonymous: to the login page
    outsider = UserFactory()
    client.force_login(outsider)
    assert client.get(_url(edition)).status_code == 403  # another unit's draft
    lanes = [setup["unit"], setup["clerk"], setup["boss"]]
    assert client.post(_url(edition), _post_data(edition, lanes)).status_code == 403
    client.force_login(setup["editor"])
    page = client.get(_url(edition))
    assert page.status_code == 200
    assert "จพง.ธุรการ" in page.content.decode()


def test_editor_sets_units_order_always_show_mode_and_header(client, setup):
    edition, unit, clerk, boss = setup["edition"], setup["unit"], setup["clerk"], setup["boss"]
    client.force_login(setup["editor"])
    data = _post_data(
        edition,
        [unit, clerk, boss],
        **{
            f"unit_{clerk.pk}": str(unit.pk),
            f"always_{boss.pk}": "on",
            f"order_{boss.pk}": "1",
            f"order_{unit.pk}": "2",
            f"order_{clerk.pk}": "3",
            "header": "  สำนักพัฒนาสังคม ",
        },
    )
    response = client.post(_url(edition), data)
    assert response.status_code == 302
    clerk.refresh_from_db()
    boss.refresh_from_db()
    edition.refresh_from_db()
    assert clerk.unit_id == unit.pk and boss.always_show
    assert list(
        Lane.objects.filter(edition=edition).order_by("position").values_list("name", flat=True)
    ) == [
        "ผู้อำนวยการกอง",
        "ฝ่ายบริหารงานทั่วไป",
        "จพง.ธุรการ",
    ]
    assert edition.chart_lane_header == "สำนักพัฒนาสังคม"
    process = type(setup["process"]).objects.select_related("edition").get(pk=setup["process"].pk)
    spec = chart_spec_for_process(process)
    # every chart uses it: the director shows though no step is his; the clerk is in the unit
    assert [lane.name for lane in spec.lanes] == ["ผู้อำนวยการกอง", "ฝ่ายบริหารงานทั่วไป"]
    assert spec.steps[0].lane == str(unit.pk)
    assert spec.lane_header == "สำนักพัฒนาสังคม"
    assert "บันทึกช่องในแผนผังแล้ว" in client.get(response["Location"]).content.decode()


def test_a_position_cannot_be_a_unit_and_nothing_is_saved(client, setup):
    edition, unit, clerk, boss = setup["edition"], setup["unit"], setup["clerk"], setup["boss"]
    client.force_login(setup["editor"])
    data = _post_data(
        edition,
        [unit, clerk, boss],
        **{
            f"unit_{clerk.pk}": str(boss.pk),  # ผู้อำนวยการกอง is a position, not a unit
            f"always_{unit.pk}": "on",
            "mode": ChartLaneMode.POSITION,
        },
    )
    response = client.post(_url(edition), data)
    assert response.status_code == 422
    body = response.content.decode()
    assert "ตัวเลือก" in body or "เป็นตำแหน่ง" in body
    unit.refresh_from_db()
    edition.refresh_from_db()
    assert not unit.always_show and edition.chart_lane_mode == ChartLaneMode.UNIT


def test_unit_kind_checked_with_the_new_kinds(client, setup):
    edition, unit, clerk, boss = setup["edition"], setup["unit"], setup["clerk"], setup["boss"]
    client.force_login(setup["editor"])
    # the director's lane becomes a unit and the clerk joins it, in one save
    data = _post_data(
        edition,
        [unit, clerk, boss],
        **{f"kind_{boss.pk}": Lane.Kind.UNIT, f"unit_{clerk.pk}": str(boss.pk)},
    )
    # boss was a position when the form was built: not offered as a unit yet
    assert client.post(_url(edition), data).status_code == 422
    # a unit with members may not become a position
    clerk.unit = unit
    clerk.save()
    clerk.refresh_from_db()
    data = _post_data(edition, [unit, clerk, boss], **{f"kind_{unit.pk}": Lane.Kind.POSITION})
    response = client.post(_url(edition), data)
    assert response.status_code == 422
    assert "ยังมีตำแหน่งสังกัด" in response.content.decode()
    unit.refresh_from_db()
    assert unit.kind == Lane.Kind.UNIT


def test_stale_save_is_refused_and_keeps_the_users_choices(client, setup):
    edition, unit, clerk, boss = setup["edition"], setup["unit"], setup["clerk"], setup["boss"]
    client.force_login(setup["editor"])
    data = _post_data(edition, [unit, clerk, boss], **{f"always_{boss.pk}": "on"})
    # meanwhile someone else changes the clerk's lane
    clerk.full_name = "เจ้าพนักงานธุรการ"
    clerk.save()
    response = client.post(_url(edition), data)
    assert response.status_code == 409
    body = response.content.decode()
    assert "มีผู้อื่นแก้ไขช่องในแผนผังไปก่อนแล้ว" in body and "จพง.ธุรการ" in body
    boss.refresh_from_db()
    assert not boss.always_show  # nothing saved
    assert f'name="always_{boss.pk}"' in body and "checked" in body  # the user's choice kept
    # someone else changed the header: refused too
    other = _post_data(edition, [unit, clerk, boss])
    Edition.objects.filter(pk=edition.pk).update(chart_lane_header="กองนโยบายและแผนงาน")
    clerk.refresh_from_db()
    other[f"version_{clerk.pk}"] = str(clerk.version)
    assert client.post(_url(edition), other).status_code == 409


def test_frozen_edition_cannot_be_changed(client, setup):
    edition = setup["edition"]
    lanes = [setup["unit"], setup["clerk"], setup["boss"]]
    Edition.objects.filter(pk=edition.pk).update(
        status=Edition.Status.PUBLISHED, published_on="2024-01-01"
    )
    edition.refresh_from_db()
    client.force_login(setup["editor"])
    page = client.get(_url(edition))
    assert page.status_code == 200 and "disabled" in page.content.decode()
    response = client.post(_url(edition), _post_data(edition, lanes, **{"header": "ใหม่"}))
    assert response.status_code == 403
    edition.refresh_from_db()
    assert edition.chart_lane_header == "หน่วยงาน"


def test_incomplete_post_is_refused(client, setup):
    edition, unit, clerk, boss = setup["edition"], setup["unit"], setup["clerk"], setup["boss"]
    client.force_login(setup["editor"])
    data = _post_data(edition, [unit, clerk, boss], **{f"order_{boss.pk}": None})
    response = client.post(_url(edition), data)
    assert response.status_code == 422
    assert "ข้อมูลที่ส่งมาไม่ครบ" in response.content.decode()
