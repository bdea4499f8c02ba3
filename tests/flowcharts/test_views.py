"""Table 4 in the browser: permission matrix, the inline SVG fragment, errors, PNG, legend."""

from __future__ import annotations

import re
import xml.etree.ElementTree as ET

import pytest
from django.contrib.auth import get_user_model
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from flowcharts import embed, views
from flowcharts.render import ChartError
from flowcharts.text import clean
from manuals.models import Membership
from tests.factories import (
    AgencyFactory,
    LaneFactory,
    MembershipFactory,
    ProcessFactory,
    StepFactory,
    UserFactory,
)

from .conftest import demo_process
from .svgparse import SVG, groups, texts

pytestmark = pytest.mark.django_db

CHART_VIEWS = ["flowcharts:process_page", "flowcharts:process_svg", "flowcharts:process_png"]


def _user(username):
    return get_user_model().objects.get(username=username)


def _outsider():
    """An editor of another unit: reads published manuals only."""
    return MembershipFactory(agency=AgencyFactory(), role=Membership.Role.EDITOR).user


def _fragment_svg(html: str) -> ET.Element:
    match = re.search(r"<svg\b.*?</svg>", html, re.S)
    assert match, html[:500]
    return ET.fromstring(match.group(0))  # noqa: S314 - our own page


def _plain(text: str) -> str:
    return re.sub(r"\s+", "", text)


@pytest.mark.parametrize("name", CHART_VIEWS)
def test_permission_matrix_on_the_draft(client, demo, name):
    process = demo_process(demo, "1.1", status="draft")
    url = reverse(name, args=[process.pk])
    response = client.get(url)
    assert response.status_code == 302 and "/accounts/login/" in response["Location"]
    client.force_login(_outsider())
    assert client.get(url).status_code == 403
    client.force_login(_user("editor"))  # the owning unit's editor
    assert client.get(url).status_code == 200
    client.force_login(_user("reviewer"))  # reviewers read every unit's drafts
    assert client.get(url).status_code == 200


@pytest.mark.parametrize("name", CHART_VIEWS)
def test_published_edition_is_read_by_everyone_signed_in(client, demo, name):
    url = reverse(name, args=[demo_process(demo, "1.1").pk])
    assert client.get(url).status_code == 302
    client.force_login(_outsider())
    assert client.get(url).status_code == 200


def test_unknown_process_is_404(client, demo):
    client.force_login(_user("editor"))
    assert client.get(reverse("flowcharts:process_svg", args=[999_999])).status_code == 404


def test_svg_fragment_shows_every_step_label(client, demo):
    process = demo_process(demo, "2.1")
    client.force_login(_user("editor"))
    response = client.get(reverse("flowcharts:process_svg", args=[process.pk]))
    assert response.status_code == 200
    html = response.content.decode()
    assert "<html" not in html  # a fragment, not a page
    assert "<?xml" not in html and "<!DOCTYPE" not in html
    root = _fragment_svg(html)
    shown = [_plain("".join(texts(g))) for g in groups(root, "step")]
    labels = [_plain(step.chart_label) for step in process.steps.order_by("position")]
    assert shown == labels
    # ids are prefixed per process so several charts can share a page; no Graphviz titles
    assert all(g.get("id", "").startswith(f"p{process.pk}-") for g in root.iter(f"{SVG}g"))
    assert not list(root.iter(f"{SVG}title"))
    # the step detail is the tooltip
    details = {clean(step.detail) for step in process.steps.all() if step.detail}
    tooltips = {a.get("{http://www.w3.org/1999/xlink}title") for a in root.iter(f"{SVG}a")}
    assert details and details <= tooltips
    assert 'font-family: "Sarabun"' in html  # the browser must draw the text in Sarabun


def test_chart_error_shows_the_thai_message_not_a_500(client, demo, monkeypatch):
    def broken(spec, fmt="svg", **kwargs):
        raise ChartError("สร้างแผนผังไม่สำเร็จ: ทดสอบข้อผิดพลาด", "boom")

    monkeypatch.setattr(views, "render_chart", broken)
    process = demo_process(demo, "1.1")
    client.force_login(_user("editor"))
    for name in CHART_VIEWS:
        response = client.get(reverse(name, args=[process.pk]))
        assert response.status_code == 200, name
        html = response.content.decode()
        assert "สร้างแผนผังไม่สำเร็จ: ทดสอบข้อผิดพลาด" in html
        assert 'class="alert alert-warning' in html
        assert "boom" not in html  # the technical detail goes to the log only


def test_png_download_is_named_after_the_process(client, demo):
    process = demo_process(demo, "1.4")
    client.force_login(_user("editor"))
    response = client.get(reverse("flowcharts:process_png", args=[process.pk]))
    assert response["Content-Type"] == "image/png"
    assert response.content.startswith(b"\x89PNG\r\n\x1a\n")
    assert response["Content-Disposition"] == 'attachment; filename="kpp-spsc_1.4.png"'


def test_legend_fragment(client, demo):
    client.force_login(_user("editor"))
    html = client.get(reverse("flowcharts:legend_svg")).content.decode()
    root = _fragment_svg(html)
    meanings = "".join(t for g in groups(root, "meaning") for t in texts(g))
    assert "การตัดสินใจ" in _plain(meanings) and "ฐานข้อมูล" in _plain(meanings)


def test_process_page_has_chart_subprocesses_and_legend(client, demo):
    process = demo_process(demo, "1.1")
    client.force_login(_user("editor"))
    html = client.get(reverse("flowcharts:process_page", args=[process.pk])).content.decode()
    assert "ตารางที่ ๔" in html and "๑.๑ กระบวนการด้านสารบรรณ" in html
    assert reverse("flowcharts:process_png", args=[process.pk]) in html
    child = process.children.get(position=1)
    assert reverse("flowcharts:process_page", args=[child.pk]) in html and "๑.๑.๑" in html
    assert 'id="lg-legend"' in html


def test_user_text_is_escaped_in_the_fragment(client):
    process = ProcessFactory(name='<script>alert("x")</script>')
    lane = LaneFactory(edition=process.edition, name="<b>ฝ่าย</b>")
    StepFactory(process=process, position=1, lane=lane, label="<img src=x onerror=alert(1)>")
    StepFactory(process=process, position=2, lane=lane, label="ส่ง & รับ", detail='"><script>')
    client.force_login(UserFactory(is_superuser=True))
    html = client.get(reverse("flowcharts:process_svg", args=[process.pk])).content.decode()
    assert "<script" not in html.lower() and "<img" not in html and "<b>" not in html
    root = _fragment_svg(html)
    shown = "".join(texts(root))
    assert "<imgsrc=xonerror=alert(1)>" in _plain(shown) and "ส่ง&รับ" in _plain(shown)
    page = client.get(reverse("flowcharts:process_page", args=[process.pk])).content.decode()
    assert "&lt;script&gt;alert(&quot;x&quot;)&lt;/script&gt;" in page
    assert "<script>alert" not in page


def test_editors_of_the_draft_get_links_to_the_step_editor(client, demo):
    process = demo_process(demo, "1.1", status="draft")
    url = reverse("flowcharts:process_svg", args=[process.pk])
    client.force_login(_user("editor"))
    html = client.get(url).content.decode()
    root = _fragment_svg(html)
    hrefs = [a.get("{http://www.w3.org/1999/xlink}href") for a in root.iter(f"{SVG}a")]
    steps = process.steps.order_by("position")
    expected = [reverse("processes:step_edit", kwargs={"pk": step.pk}) for step in steps]
    assert [h for h in hrefs if h] == expected
    assert "คลิกที่ขั้นตอนเพื่อแก้ไข" in html
    client.force_login(_user("reviewer"))  # reads the draft but may not edit it
    root = _fragment_svg(client.get(url).content.decode())
    assert not [a for a in root.iter(f"{SVG}a") if a.get("{http://www.w3.org/1999/xlink}href")]
    # nobody edits a published edition: no links there either
    published = demo_process(demo, "1.1")
    client.force_login(_user("editor"))
    html = client.get(reverse("flowcharts:process_svg", args=[published.pk])).content.decode()
    assert "xlink:href" not in html


def test_no_links_without_a_step_editor_page(client, demo, monkeypatch):
    monkeypatch.setattr(embed, "STEP_EDIT_URL", "processes:no_such_page")
    process = demo_process(demo, "1.1", status="draft")
    client.force_login(_user("editor"))
    html = client.get(reverse("flowcharts:process_svg", args=[process.pk])).content.decode()
    assert "xlink:href" not in html
    assert _fragment_svg(html) is not None


def test_queries_do_not_grow_with_the_steps(client):
    user = UserFactory(is_superuser=True)
    client.force_login(user)
    counts = []
    for steps in (3, 30):
        process = ProcessFactory()
        lanes = [LaneFactory(edition=process.edition) for _ in range(3)]
        for i in range(steps):
            StepFactory(process=process, position=i + 1, lane=lanes[i % 3])
        with CaptureQueriesContext(connection) as queries:
            response = client.get(reverse("flowcharts:process_svg", args=[process.pk]))
        assert response.status_code == 200
        counts.append(len(queries))
    assert counts[0] == counts[1]
