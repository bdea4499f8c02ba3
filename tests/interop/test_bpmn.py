"""BPMN 2.0 of a process: valid against the OMG schema, read by bpmn-moddle without a warning,
laid out as our chart, and imported back into a process; hostile files are refused."""

from __future__ import annotations

import datetime
import json
import subprocess
from io import StringIO
from pathlib import Path
from xml.etree import ElementTree as ET  # noqa: S405 - only writes XML back

import pytest
from defusedxml.ElementTree import fromstring
from django.conf import settings
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import call_command
from django.urls import reverse

from flowcharts.selectors import chart_spec_for_process, edition_processes
from flowcharts.spec import effective_flows
from interop.bpmn import BPMN, BPMNDI, DC, DI, EXT, bpmn_schema, process_bpmn
from interop.errors import ImportRejected
from interop.services import process_import_bpmn
from manuals.models import Edition, Membership
from processes.models import Flow, Process, Step
from tests.factories import LaneFactory, MembershipFactory, ProcessFactory, StepFactory, UserFactory

pytestmark = pytest.mark.django_db
CHECK = Path(settings.BASE_DIR) / "tools" / "bpmn" / "check.mjs"
DATA = Path(__file__).resolve().parent.parent / "data" / "interop"


def q(ns, tag):
    return f"{{{ns}}}{tag}"


@pytest.fixture
def small(db):
    """A draft process of two steps."""
    process = ProcessFactory()
    StepFactory(process=process, position=1, shape="start", label="เริ่ม")
    StepFactory(process=process, position=2, shape="end", label="จบ")
    return process


@pytest.fixture
def demo(demo_manual):
    """The demo manual, loaded once for the module (tests/conftest.py ``demo_loaded``)."""
    return demo_manual


def _process(manual, number, status="published"):
    edition = manual.editions.get(status=status)
    return next(p for p in edition_processes(edition=edition) if p.number == number)


def _empty_process(edition) -> Process:
    mission = edition.missions.first()
    last = Process.objects.filter(mission=mission, parent=None).order_by("-position").first()
    return ProcessFactory(mission=mission, edition=edition, position=last.position + 1, name="ว่าง")


def moddle(data: bytes, tmp_path) -> dict:
    """bpmn-moddle's report on the file (``make bpmn-tools`` installs it)."""
    path = tmp_path / "check.bpmn"
    path.write_bytes(data)
    completed = subprocess.run(
        ["node", str(CHECK), str(path)], capture_output=True, text=True, timeout=60, check=False
    )
    assert completed.stdout, completed.stderr
    return json.loads(completed.stdout)


def shape_of(step_list):
    return [
        (s.shape, s.label or s.chart_label, s.detail, s.lane.name if s.lane else "")
        for s in step_list
    ]


def flows_by_position(process):
    """The arrows the chart draws, as (from position, to position, label, kind)."""
    spec = chart_spec_for_process(process)
    position = {str(s.pk): s.position for s in Step.objects.filter(process=process)}
    return sorted(
        (position[f.source], position[f.target], f.label, f.kind)
        for f in effective_flows(spec.steps, spec.flows)
    )


def test_demo_1_1_validates_parses_and_is_laid_out_like_the_chart(demo, tmp_path):
    process = _process(demo, "1.1")
    data = process_bpmn(process)

    assert not list(bpmn_schema().iter_errors(data.decode()))
    report = moddle(data, tmp_path)
    assert report["root"] == "bpmn:Definitions" and report["warnings"] == []

    root = fromstring(data)
    participant = root.find(f"{q(BPMN, 'collaboration')}/{q(BPMN, 'participant')}")
    assert participant.get("name") == demo.agency.name
    bpmn_process = root.find(q(BPMN, "process"))
    assert participant.get("processRef") == bpmn_process.get("id")
    spec = chart_spec_for_process(process)
    lanes = [lane.get("name") for lane in bpmn_process.iter(q(BPMN, "lane"))]
    assert lanes == [lane.name for lane in spec.lanes]  # the manual's lane order
    steps = list(process.steps.order_by("position"))
    assert len(list(bpmn_process.iter(q(BPMN, "startEvent")))) == 1
    assert len(list(bpmn_process.iter(q(BPMN, "endEvent")))) == 1
    tasks = list(bpmn_process.iter(q(BPMN, "task")))
    assert len(tasks) == sum(s.shape == "activity" for s in steps)
    gateway = next(bpmn_process.iter(q(BPMN, "exclusiveGateway")))
    branches = [
        f
        for f in bpmn_process.iter(q(BPMN, "sequenceFlow"))
        if f.get("sourceRef") == gateway.get("id")
    ]
    assert {f.get("name") for f in branches} == {"ไม่อนุมัติ", "อนุมัติ"}
    order = [e.get("id") for e in bpmn_process]
    loop = next(f for f in branches if f.get("name") == "ไม่อนุมัติ")
    assert order.index(loop.get("targetRef")) < order.index(gateway.get("id"))  # loops back
    documents = list(bpmn_process.iter(q(BPMN, "dataObjectReference")))
    assert len(documents) == sum(s.shape == "document" for s in steps) > 0
    associated = {a.get("sourceRef") for a in bpmn_process.iter(q(BPMN, "association"))}
    assert {d.get("id") for d in documents} <= associated
    # DI: every node, lane and flow drawn, at our chart's coordinates (lanes side by side)
    plane = root.find(f"{q(BPMNDI, 'BPMNDiagram')}/{q(BPMNDI, 'BPMNPlane')}")
    shapes = {
        s.get("bpmnElement"): s.find(q(DC, "Bounds")) for s in plane.iter(q(BPMNDI, "BPMNShape"))
    }
    for element in [*tasks, gateway, *documents]:
        assert element.get("id") in shapes
    lane_x = [float(shapes[lane.get("id")].get("x")) for lane in bpmn_process.iter(q(BPMN, "lane"))]
    assert lane_x == sorted(lane_x) and len(set(lane_x)) == len(lane_x)
    edges = {e.get("bpmnElement"): e for e in plane.iter(q(BPMNDI, "BPMNEdge"))}
    for flow in bpmn_process.iter(q(BPMN, "sequenceFlow")):
        assert len(edges[flow.get("id")].findall(q(DI, "waypoint"))) >= 2


def test_every_demo_process_validates_and_parses(demo, tmp_path):
    for process in edition_processes(edition=demo.editions.get(status="published")):
        data = process_bpmn(process)
        errors = list(bpmn_schema().iter_errors(data.decode()))
        assert not errors, (process.number, str(errors[0])[:300])
        assert moddle(data, tmp_path)["warnings"] == [], process.number


def test_round_trip_keeps_the_process(demo):
    """BPMN lanes are the chart's (units); each step's own position comes back from our
    extension, so every step keeps its actor, not its unit's lane."""
    draft = demo.editions.get(status="draft")
    drawn_in_other_lane = 0
    for source in edition_processes(edition=demo.editions.get(status="published")):
        number = source.number
        target = _empty_process(draft)
        data = process_bpmn(source)
        drawn_in_other_lane += sum(
            lane != own for lane, own in lanes_and_actors(data).values() if own
        )
        process_import_bpmn(process=target, data=data)
        imported = list(target.steps.select_related("lane").order_by("position"))
        original = list(source.steps.select_related("lane").order_by("position"))
        assert shape_of(imported) == shape_of(original), number
        assert flows_by_position(target) == flows_by_position(source), number
        # and again: the imported process exports to the same BPMN (ids aside)
        again = _empty_process(draft)
        process_import_bpmn(process=again, data=process_bpmn(target))
        assert shape_of(list(again.steps.order_by("position"))) == shape_of(imported)
        assert flows_by_position(again) == flows_by_position(target)
    # the demo draws units: most steps sit in a BPMN lane that is not their own actor
    assert drawn_in_other_lane > 50


def lanes_and_actors(data: bytes) -> dict[str, tuple[str, str]]:
    """Each flow node's BPMN lane and the actor our extension names: {id: (lane, actor)}."""
    root = fromstring(data)
    process = root.find(q(BPMN, "process"))
    lane_of = {
        ref.text: lane.get("name")
        for lane in process.iter(q(BPMN, "lane"))
        for ref in lane.findall(q(BPMN, "flowNodeRef"))
    }
    out = {}
    for element in process:
        if element.get("id") in lane_of:
            actor = element.find(f"{q(BPMN, 'extensionElements')}/{q(EXT, 'actor')}")
            name = actor.get("name") if actor is not None else ""
            out[element.get("id")] = (lane_of[element.get("id")], name)
    return out


def test_each_step_carries_its_actor_and_other_actors(demo, tmp_path):
    """The extension names the step's position (by name and lineage) and its other actors;
    the file stays valid BPMN, read by bpmn-moddle without a warning."""
    source = _process(demo, "1.1")
    step = next(s for s in source.steps.order_by("position") if s.lane_id and s.lane.unit_id)
    other = source.edition.lanes.exclude(pk=step.lane_id).first()
    step.other_lanes.add(other)
    data = process_bpmn(source)
    assert not list(bpmn_schema().iter_errors(data.decode()))
    assert moddle(data, tmp_path)["warnings"] == []
    root = fromstring(data)
    element = next(e for e in root.iter() if (e.get("id") or "").endswith(step.lineage.hex[:12]))
    actors = element.findall(f"{q(BPMN, 'extensionElements')}/{q(EXT, 'actor')}")
    assert [(a.get("name"), a.get("lineage"), a.get("role")) for a in actors] == [
        (step.lane.name, step.lane.lineage.hex, None),
        (other.name, other.lineage.hex, "other"),
    ]
    assert lanes_and_actors(data)[element.get("id")][0] == step.lane.unit.name  # drawn in its unit
    # into the draft: the actors are found by lineage, whatever the edition
    draft = demo.editions.get(status="draft")
    target = _empty_process(draft)
    process_import_bpmn(process=target, data=data)
    back = target.steps.get(label=step.label, position=step.position)
    assert back.lane.edition_id == draft.pk and back.lane.lineage == step.lane.lineage
    assert [lane.lineage for lane in back.other_lanes.all()] == [other.lineage]


def test_an_actor_unknown_by_lineage_is_found_or_added_by_name(small):
    """A file from elsewhere may carry our extension with lineages this edition never had:
    the actor is then found by name, or added as a new lane; a bad lineage is ignored."""
    known = LaneFactory(edition=small.edition, name="จพง.ธุรการ")
    small.steps.filter(position=1).update(lane=known)
    small.steps.filter(position=2).update(lane=known)
    root = fromstring(process_bpmn(small))
    actors = list(root.iter(q(EXT, "actor")))
    assert len(actors) == 2
    actors[0].set("lineage", "0" * 32)  # unknown here: found by its name
    actors[1].set("lineage", "not-a-lineage")
    actors[1].set("name", "  ผู้ปฏิบัติ   ใหม่ ")
    process_import_bpmn(process=small, data=ET.tostring(root, encoding="utf-8"))
    first, second = small.steps.select_related("lane").order_by("position")
    assert first.lane == known
    assert second.lane.name == "ผู้ปฏิบัติ ใหม่" and second.lane.edition_id == small.edition_id


def test_import_from_a_bpmn_io_style_file(demo):
    """A file drawn elsewhere: horizontal lanes, ids of its own, no documentation."""
    data = (DATA / "bpmnio_drawn.bpmn").read_bytes()
    draft = demo.editions.get(status="draft")
    target = _empty_process(draft)
    process_import_bpmn(process=target, data=data)
    steps = list(target.steps.select_related("lane").order_by("position"))
    assert [(s.shape, s.label, s.lane.name) for s in steps] == [
        ("start", "เริ่ม", "จพง.ธุรการ"),
        ("activity", "ตรวจเอกสาร", "จพง.ธุรการ"),
        ("decision", "ถูกต้อง?", "ผู้ตรวจใหม่"),
        ("end", "จบ", "จพง.ธุรการ"),
    ]
    assert draft.lanes.filter(name="ผู้ตรวจใหม่").exists()  # a new lane joins the edition
    assert sorted(Flow.objects.filter(source__process=target).values_list("label", flat=True)) == [
        "ถูก",
        "ผิด",
    ]


def test_command_and_chart_page(demo, tmp_path, client):
    target = tmp_path / "chart.bpmn"
    out = StringIO()
    call_command("render_flowchart", "kpp-spsc", "๑.๑", "-o", str(target), stdout=out)
    assert target.read_bytes().startswith(b"<?xml") and b"bpmn:definitions" in target.read_bytes()
    assert "chart.bpmn" in out.getvalue()

    process = _process(demo, "1.1")
    client.force_login(UserFactory())
    url = reverse("interop:process_bpmn", kwargs={"pk": process.pk})
    page = client.get(reverse("flowcharts:process_svg", kwargs={"pk": process.pk}))
    assert url in page.content.decode()
    response = client.get(url)
    assert response.status_code == 200 and b"bpmn:process" in response.content


def test_import_page_replaces_a_draft_process(demo, client):
    editor = Membership.objects.get(user__username="editor").user
    source = _process(demo, "1.1")
    draft_process = _process(demo, "1.1", status="draft")
    url = reverse("interop:process_bpmn_import", kwargs={"pk": draft_process.pk})
    client.force_login(UserFactory())
    assert client.get(url).status_code == 403
    client.force_login(editor)
    assert client.get(url).status_code == 200
    upload = SimpleUploadedFile("c.bpmn", process_bpmn(source), content_type="application/xml")
    response = client.post(url, {"file": upload})
    assert response.status_code == 302
    bad = SimpleUploadedFile("c.bpmn", b"<not-bpmn/>", content_type="application/xml")
    before = list(draft_process.steps.values_list("pk", flat=True))
    response = client.post(url, {"file": bad})
    assert response.status_code == 400 and "ไม่ใช่ไฟล์ BPMN" in response.content.decode()
    assert list(draft_process.steps.values_list("pk", flat=True)) == before


# ----------------------------------------------------------------------------- hostile files

BILLION_LAUGHS = b"""<?xml version="1.0"?>
<!DOCTYPE lolz [<!ENTITY lol "lol">
<!ENTITY lol2 "&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;">
<!ENTITY lol3 "&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;">]>
<bpmn:definitions xmlns:bpmn="http://www.omg.org/spec/BPMN/20100524/MODEL" targetNamespace="x">
<bpmn:process id="p"><bpmn:task id="t" name="&lol3;"/></bpmn:process></bpmn:definitions>"""
XXE = b"""<?xml version="1.0"?>
<!DOCTYPE d [<!ENTITY xxe SYSTEM "file:///etc/passwd">]>
<bpmn:definitions xmlns:bpmn="http://www.omg.org/spec/BPMN/20100524/MODEL" targetNamespace="x">
<bpmn:process id="p"><bpmn:task id="t" name="&xxe;"/></bpmn:process></bpmn:definitions>"""
HEAD = (
    b'<bpmn:definitions xmlns:bpmn="http://www.omg.org/spec/BPMN/20100524/MODEL"'
    b' targetNamespace="x">'
)


END = b"</bpmn:definitions>"


@pytest.mark.parametrize(
    ("data", "message"),
    [
        (BILLION_LAUGHS, "DTD"),
        (XXE, "DTD"),
        (b"<<<", "ไม่ใช่ XML"),
        (b"<svg xmlns='http://www.w3.org/2000/svg'/>", "ไม่ใช่ไฟล์ BPMN"),
        (HEAD + b"<bpmn:process id='p'><bpmn:bogus/></bpmn:process></bpmn:definitions>", "มาตรฐาน"),
        (
            HEAD + b"<bpmn:process id='p'><bpmn:task id='1bad'/></bpmn:process></bpmn:definitions>",
            "มาตรฐาน",
        ),
        (
            HEAD + b"<bpmn:process id='p'><bpmn:task id='t'/>"
            b"<bpmn:sequenceFlow id='f' sourceRef='t' targetRef='nowhere'/></bpmn:process>"
            b"</bpmn:definitions>",
            "ไม่มีอยู่",
        ),
        (HEAD + b"<bpmn:process id='p'/></bpmn:definitions>", "ไม่พบขั้นตอน"),
    ],
)
def test_hostile_and_broken_files_are_refused_and_nothing_changes(small, data, message):
    process = small
    before = list(process.steps.values_list("pk", "label"))
    lanes = process.edition.lanes.count()
    with pytest.raises(ImportRejected) as info:
        process_import_bpmn(process=process, data=data)
    assert message in str(info.value)
    assert list(process.steps.values_list("pk", "label")) == before
    assert process.edition.lanes.count() == lanes


def test_huge_files_are_refused_before_parsing(small, settings):
    settings.INTEROP_MAX_IMPORT_BYTES = 1000
    process = small
    with pytest.raises(ImportRejected, match="ใหญ่เกิน"):
        process_import_bpmn(process=process, data=HEAD + b" " * 2000 + b"</bpmn:definitions>")


def test_a_published_process_cannot_be_replaced(small):
    data = process_bpmn(small)
    Edition.objects.filter(pk=small.edition_id).update(
        status=Edition.Status.PUBLISHED, published_on=datetime.date(2024, 1, 1)
    )
    small.edition.refresh_from_db()
    with pytest.raises(ImportRejected, match="ฉบับร่าง"):
        process_import_bpmn(process=small, data=data)
    assert small.steps.count() == 2


def test_permission_is_checked_when_a_user_imports(small):
    process = small
    stranger = MembershipFactory(role=Membership.Role.EDITOR).user
    from django.core.exceptions import PermissionDenied

    with pytest.raises(PermissionDenied):
        process_import_bpmn(process=process, data=process_bpmn(process), by=stranger)
