"""BPMN 2.0 XML of a process (Table 4) and back.

Export: one participant (the unit) whose lane set is the chart's lanes in the manual's order;
start / end steps become events, activities tasks, decisions exclusive gateways (their branch
labels name the sequence flows, loops included), sub-process boxes sub-processes, connectors
intermediate events, documents data objects (several kinds: a collection) and databases data
stores, joined by associations. Sequence flows also run past a document from the step before
it to the step after it, so the flow stays whole for BPMN tools. BPMN DI takes every shape,
lane and waypoint from our own chart layout, so the file opens laid out as the printed chart.
Lanes are vertical, as in the manual (``isHorizontal="false"``).

Import reads such a file (or one drawn in bpmn.io / Camunda Modeler) into a process: lanes by
name, tasks, events, gateways, data objects, flows. Untrusted XML is parsed with defusedxml
(no DTD, hence no entity expansion and no external entities), size-limited, and validated
against the OMG schemas in ``interop/schema/bpmn/`` before anything is written.
"""

from __future__ import annotations

import functools
import hashlib
import re
from dataclasses import dataclass, field
from pathlib import Path
from xml.etree import ElementTree as ET  # noqa: S405 - only builds our own XML; parsing below uses defusedxml

import xmlschema
from defusedxml import DTDForbidden, EntitiesForbidden, ExternalReferenceForbidden
from defusedxml.ElementTree import fromstring as safe_fromstring
from django.utils.translation import gettext as _

from core.thai import thai_digits
from flowcharts.layout import LANE_W, compute_layout
from flowcharts.selectors import chart_spec_for_process
from flowcharts.spec import (
    DATA_SHAPES,
    UNASSIGNED_LANE_KEY,
    UNASSIGNED_LANE_NAME,
    effective_flows,
    normalized_lanes,
)
from interop.errors import ImportRejected, check_size
from manuals.models import Lane
from processes.models import Step

BPMN = "http://www.omg.org/spec/BPMN/20100524/MODEL"
BPMNDI = "http://www.omg.org/spec/BPMN/20100524/DI"
DC = "http://www.omg.org/spec/DD/20100524/DC"
DI = "http://www.omg.org/spec/DD/20100524/DI"
TARGET_NAMESPACE = "https://bma-manuals.example/bpmn"
# Our extension (allowed by BPMN in every element's extensionElements): the step's own actor.
# BPMN lanes are the chart's lanes (units when the manual draws units), so the position that
# does the step rides along with it, and an import gives the step its position back.
EXT = "https://bma-manuals.example/bpmn/extension"
SCHEMA_FILE = Path(__file__).resolve().parent / "schema" / "bpmn" / "BPMN20.xsd"

for _prefix, _uri in (("bpmn", BPMN), ("bpmndi", BPMNDI), ("dc", DC), ("di", DI), ("bma", EXT)):
    ET.register_namespace(_prefix, _uri)

# step shape -> BPMN element (flow nodes); data shapes are handled apart
NODE_TAG = {
    "start": "startEvent",
    "end": "endEvent",
    "activity": "task",
    "decision": "exclusiveGateway",
    "subprocess": "subProcess",
    "connector": "intermediateThrowEvent",
}
SHAPE_OF_TAG = {
    "startEvent": "start",
    "endEvent": "end",
    "task": "activity",
    "userTask": "activity",
    "manualTask": "activity",
    "serviceTask": "activity",
    "scriptTask": "activity",
    "sendTask": "activity",
    "receiveTask": "activity",
    "businessRuleTask": "activity",
    "exclusiveGateway": "decision",
    "inclusiveGateway": "decision",
    "parallelGateway": "activity",
    "eventBasedGateway": "decision",
    "subProcess": "subprocess",
    "callActivity": "subprocess",
    "intermediateThrowEvent": "connector",
    "intermediateCatchEvent": "connector",
}
STEP_ID = re.compile(r"^Step_(\d+)_")
POOL_BAND = 30.0
EVENT_SIZE = {
    "start": (36.0, 36.0),
    "end": (36.0, 36.0),
    "connector": (36.0, 36.0),
    "document": (36.0, 50.0),
    "multi_document": (36.0, 50.0),
    "database": (50.0, 50.0),
}


def q(namespace: str, tag: str) -> str:
    return f"{{{namespace}}}{tag}"


def _f(value: float) -> str:
    return f"{value:.1f}"


@functools.cache
def bpmn_schema() -> xmlschema.XMLSchema:
    """The OMG BPMN 2.0 schema, loaded once from the repo (no network)."""
    return xmlschema.XMLSchema(str(SCHEMA_FILE), allow="local", defuse="always")


# ----------------------------------------------------------------------------- export


def process_bpmn(process) -> bytes:
    """The process as a BPMN 2.0 XML document (UTF-8 bytes) with diagram coordinates."""
    spec = chart_spec_for_process(process)
    layout = compute_layout(spec)
    steps = {
        str(step.pk): step
        for step in Step.objects.filter(process=process)
        .select_related("lane")
        .prefetch_related("other_lanes")
        .order_by("position")
    }
    lanes = normalized_lanes(spec)
    lane_ids = {}
    lineage = {
        str(pk): value
        for pk, value in Lane.objects.filter(
            pk__in=[int(lane.key) for lane in lanes if lane.key.isdigit()]
        ).values_list("pk", "lineage")
    }
    for lane in lanes:
        if lane.key == UNASSIGNED_LANE_KEY:
            lane_ids[lane.key] = "Lane_unassigned"
        else:
            known = lineage.get(lane.key)
            # a chart lane that is not one Lane row (a grouping of the chart) gets a stable id
            suffix = known.hex if known else hashlib.sha1(lane.key.encode()).hexdigest()[:16]  # noqa: S324
            lane_ids[lane.key] = f"Lane_{suffix}"

    def step_id(key: str) -> str:
        step = steps[key]
        return f"Step_{step.position}_{step.lineage.hex[:12]}"

    process_id = f"Process_{process.lineage.hex}"
    name = thai_digits(f"{process.number} {process.name}")
    definitions = ET.Element(
        q(BPMN, "definitions"),
        {
            "id": f"Definitions_{process.lineage.hex}",
            "targetNamespace": TARGET_NAMESPACE,
            "exporter": "BMA work manuals",
            "exporterVersion": "1",
        },
    )
    collaboration = ET.SubElement(
        definitions, q(BPMN, "collaboration"), {"id": f"Collaboration_{process.lineage.hex}"}
    )
    participant_id = f"Participant_{process.lineage.hex}"
    agency = process.edition.manual.agency.name
    ET.SubElement(
        collaboration,
        q(BPMN, "participant"),
        {"id": participant_id, "name": thai_digits(agency), "processRef": process_id},
    )
    root = ET.SubElement(
        definitions,
        q(BPMN, "process"),
        {"id": process_id, "name": name, "isExecutable": "false"},
    )
    lane_set = ET.SubElement(root, q(BPMN, "laneSet"), {"id": f"LaneSet_{process.lineage.hex}"})
    lane_elements = {}
    for lane in lanes:
        lane_elements[lane.key] = ET.SubElement(
            lane_set, q(BPMN, "lane"), {"id": lane_ids[lane.key], "name": thai_digits(lane.name)}
        )

    boxes = {box.step.key: box for box in layout.boxes}
    flows = effective_flows(tuple(b.step for b in layout.boxes), spec.flows)
    is_data = {key: boxes[key].shape in DATA_SHAPES for key in boxes}
    incoming: dict[str, list[str]] = {key: [] for key in boxes}
    outgoing: dict[str, list[str]] = {key: [] for key in boxes}

    sequence: list[tuple[str, str, str, str]] = []  # (id, source, target, label)
    associations: list[tuple[str, str, str, str]] = []  # (id, source, target, kind)
    for index, flow in enumerate(flows, start=1):
        if is_data[flow.source] or is_data[flow.target]:
            associations.append((f"Association_{index}", flow.source, flow.target, flow.kind))
        else:
            sequence.append((f"Flow_{index}", flow.source, flow.target, flow.label))
    # the flow past each document: from the flow nodes before it to the flow nodes after it
    by_source: dict[str, list] = {}
    for flow in flows:
        by_source.setdefault(flow.source, []).append(flow)

    def after(key: str, seen: set[str]) -> list[tuple[str, str]]:
        found = []
        for flow in by_source.get(key, []):
            if flow.kind != "flow" or flow.target in seen:
                continue
            if is_data[flow.target]:
                found += after(flow.target, seen | {flow.target})
            else:
                found.append((flow.target, flow.label))
        return found

    existing = {(s, t) for _i, s, t, _l in sequence}
    for flow in flows:
        if flow.kind == "flow" and not is_data[flow.source] and is_data[flow.target]:
            for target, label in after(flow.target, {flow.target}):
                if (flow.source, target) not in existing:
                    existing.add((flow.source, target))
                    sequence.append(
                        (f"Flow_past_{len(sequence) + 1}", flow.source, target, flow.label or label)
                    )
    for flow_id, source, target, _label in sequence:
        outgoing[source].append(flow_id)
        incoming[target].append(flow_id)

    # flow nodes and data objects, in step order
    for box in layout.boxes:
        key = box.step.key
        step = steps[key]
        element_id = step_id(key)
        label = thai_digits(step.label or step.chart_label)
        if box.shape in DATA_SHAPES:
            if box.shape == "database":
                element = ET.SubElement(
                    root, q(BPMN, "dataStoreReference"), {"id": element_id, "name": label}
                )
            else:
                data_id = f"DataObject_{step.lineage.hex[:12]}"
                attrs = {"id": data_id, "name": label}
                if box.shape == "multi_document":
                    attrs["isCollection"] = "true"
                ET.SubElement(root, q(BPMN, "dataObject"), attrs)
                element = ET.SubElement(
                    root,
                    q(BPMN, "dataObjectReference"),
                    {"id": element_id, "name": label, "dataObjectRef": data_id},
                )
        else:
            element = ET.Element(q(BPMN, NODE_TAG.get(box.shape, "task")), {"id": element_id})
            if label:
                element.set("name", label)
            if box.shape == "decision" and len(outgoing[key]) > 1:
                element.set("gatewayDirection", "Diverging")
        if step.detail:
            doc = ET.Element(q(BPMN, "documentation"))
            doc.text = thai_digits(step.detail)
            element.insert(0, doc)
        actors = _actor_extension(step)
        if actors is not None:
            element.insert(1 if step.detail else 0, actors)
        if box.shape not in DATA_SHAPES:
            for flow_id in incoming[key]:
                ET.SubElement(element, q(BPMN, "incoming")).text = flow_id
            for flow_id in outgoing[key]:
                ET.SubElement(element, q(BPMN, "outgoing")).text = flow_id
            root.append(element)
            lane_key = layout.lane_keys[box.lane]
            ET.SubElement(lane_elements[lane_key], q(BPMN, "flowNodeRef")).text = element_id
    for flow_id, source, target, label in sequence:
        attrs = {"id": flow_id, "sourceRef": step_id(source), "targetRef": step_id(target)}
        if label:
            attrs["name"] = thai_digits(label)
        ET.SubElement(root, q(BPMN, "sequenceFlow"), attrs)
    for assoc_id, source, target, kind in associations:
        ET.SubElement(
            root,
            q(BPMN, "association"),
            {
                "id": assoc_id,
                "sourceRef": step_id(source),
                "targetRef": step_id(target),
                # a solid arrow through a document points one way; a dashed side input none
                "associationDirection": "One" if kind == "flow" else "None",
            },
        )

    plane = _diagram(definitions, process, layout, lanes, lane_ids, participant_id, step_id)
    _diagram_edges(plane, layout, sequence, associations, boxes, step_id)
    return ET.tostring(definitions, encoding="utf-8", xml_declaration=True)


def _actor_extension(step):
    """``<bpmn:extensionElements>`` naming the step's actor (and its other actors), by name and
    lineage, or None for a step without one. It goes right after the documentation, where
    BPMN puts extension elements."""
    actors = [(step.lane, "")] if step.lane_id else []
    actors += [(lane, "other") for lane in step.other_lanes.all()]
    if not actors:
        return None
    extension = ET.Element(q(BPMN, "extensionElements"))
    for lane, role in actors:
        attrs = {"name": lane.name, "lineage": lane.lineage.hex}
        if role:
            attrs["role"] = role
        ET.SubElement(extension, q(EXT, "actor"), attrs)
    return extension


def _bounds(parent, x: float, y: float, w: float, h: float) -> None:
    ET.SubElement(
        parent, q(DC, "Bounds"), {"x": _f(x), "y": _f(y), "width": _f(w), "height": _f(h)}
    )


def _diagram(definitions, process, layout, lanes, lane_ids, participant_id, step_id):
    """The diagram's plane with the pool, the lanes and every node, from our chart layout."""
    diagram = ET.SubElement(
        definitions, q(BPMNDI, "BPMNDiagram"), {"id": f"Diagram_{process.lineage.hex}"}
    )
    plane = ET.SubElement(
        diagram,
        q(BPMNDI, "BPMNPlane"),
        {
            "id": f"Plane_{process.lineage.hex}",
            "bpmnElement": f"Collaboration_{process.lineage.hex}",
        },
    )
    left = layout.left_w
    pool = ET.SubElement(
        plane,
        q(BPMNDI, "BPMNShape"),
        {"id": f"{participant_id}_di", "bpmnElement": participant_id, "isHorizontal": "false"},
    )
    # a vertical pool: its name in a band above the lanes, each lane's name in a band above
    # its first row (where our chart prints the lane headers)
    top = max(0.0, layout.header_h - 2 * POOL_BAND)
    _bounds(pool, left, top, LANE_W * len(lanes), layout.height - top)
    for index, lane in enumerate(lanes):
        shape = ET.SubElement(
            plane,
            q(BPMNDI, "BPMNShape"),
            {
                "id": f"{lane_ids[lane.key]}_di",
                "bpmnElement": lane_ids[lane.key],
                "isHorizontal": "false",
            },
        )
        _bounds(
            shape, layout.lane_x(index), top + POOL_BAND, LANE_W, layout.height - top - POOL_BAND
        )
    for box in layout.boxes:
        element_id = step_id(box.step.key)
        shape = ET.SubElement(
            plane, q(BPMNDI, "BPMNShape"), {"id": f"{element_id}_di", "bpmnElement": element_id}
        )
        _bounds(shape, *node_bounds(box))
    return plane


def node_bounds(box) -> tuple[float, float, float, float]:
    """Where a step is drawn: our box, except that events and data objects get the sizes
    BPMN tools draw them at (a circle of 36, a sheet of 36 x 50), centred on the box."""
    w, h = EVENT_SIZE.get(box.shape, (box.w, box.h))
    return (box.x - w / 2, box.y - h / 2, w, h)


def _snap(point, toward, bounds):
    """Move an edge's end onto the drawn outline, keeping the first segment straight."""
    x, y = point
    bx, by, bw, bh = bounds
    if abs(y - toward[1]) < 0.5:  # horizontal segment
        return (bx + bw if toward[0] > x else bx, y) if not bx <= x <= bx + bw else (x, y)
    return (x, by + bh if toward[1] > y else by) if not by <= y <= by + bh else (x, y)


def _diagram_edges(plane, layout, sequence, associations, boxes, step_id):
    """Edges along the chart's own routes (a straight line for a flow the chart does not draw,
    such as the one past a document)."""
    routes = {
        (layout.boxes[r.source].step.key, layout.boxes[r.target].step.key): r for r in layout.routes
    }
    for edge_id, source, target, *_rest in [*sequence, *associations]:
        route = routes.get((source, target))
        points = list(route.points) if route and route.points else []
        a, b = boxes[source], boxes[target]
        if len(points) < 2:
            points = [(a.x, a.y + a.h / 2), (b.x, b.y - b.h / 2)]
        if a.shape in EVENT_SIZE:
            points[0] = _snap(points[0], points[1], node_bounds(a))
        if b.shape in EVENT_SIZE:
            points[-1] = _snap(points[-1], points[-2], node_bounds(b))
        edge = ET.SubElement(
            plane, q(BPMNDI, "BPMNEdge"), {"id": f"{edge_id}_di", "bpmnElement": edge_id}
        )
        for x, y in points:
            ET.SubElement(edge, q(DI, "waypoint"), {"x": _f(x), "y": _f(y)})


# ----------------------------------------------------------------------------- import


@dataclass
class ImportedStep:
    element_id: str
    shape: str
    label: str
    detail: str
    lane: str  # lane name, "" for none
    order: tuple
    # the step's own actor from our extension, (name, lineage hex or ""), and its other actors
    actor: tuple[str, str] | None = None
    others: list[tuple[str, str]] = field(default_factory=list)


@dataclass
class ImportedFlow:
    source: str
    target: str
    label: str = ""
    kind: str = "flow"


@dataclass
class ImportedProcess:
    name: str
    lanes: list[str] = field(default_factory=list)
    steps: list[ImportedStep] = field(default_factory=list)
    flows: list[ImportedFlow] = field(default_factory=list)


MAX_STEPS = 2000


def _rejected(message, detail: str = "", code: str = "bpmn"):
    return ImportRejected(message, detail=detail, code=code)


def _text(element) -> str:
    return " ".join((element.text or "").split()) if element is not None else ""


def _name(element) -> str:
    """A node's name as written: its line breaks (``&#10;``, as bpmn.io writes them too) are
    the label's own lines; a name of only white space is no name."""
    name = _NOT_TEXT.sub("", element.get("name") or "")
    return name if name.strip() else ""


_NOT_TEXT = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f]")
LINEAGE_HEX = re.compile(r"^[0-9a-f]{32}$")


def _actors(element) -> tuple[tuple[str, str] | None, list[tuple[str, str]]]:
    """The actors our extension names on a flow node: (its own, [others]); names are cut to a
    lane name's length, a lineage that is not 32 hex digits is dropped."""
    own, others = None, []
    extension = element.find(q(BPMN, "extensionElements"))
    if extension is None:
        return own, others
    for actor in extension.findall(q(EXT, "actor")):
        name = " ".join((actor.get("name") or "").split())[:150]
        lineage = (actor.get("lineage") or "").lower()
        if not name:
            continue
        pair = (name, lineage if LINEAGE_HEX.match(lineage) else "")
        if actor.get("role") == "other":
            if pair not in others:
                others.append(pair)
        elif own is None:
            own = pair
    return own, others


def parse_bpmn(data: bytes) -> ImportedProcess:
    """Read an untrusted BPMN file; raises ``ImportRejected`` (Thai) on anything wrong."""
    check_size(len(data))
    try:
        root = safe_fromstring(data, forbid_dtd=True, forbid_entities=True, forbid_external=True)
    except (DTDForbidden, EntitiesForbidden, ExternalReferenceForbidden) as exc:
        raise _rejected(
            _("ไฟล์มีการประกาศ DTD หรือ entity ซึ่งระบบไม่รับเพื่อความปลอดภัย"), code="xml_entities"
        ) from exc
    except ET.ParseError as exc:
        raise _rejected(_("ไฟล์ไม่ใช่ XML ที่ถูกต้อง"), detail=str(exc)[:120], code="not_xml") from exc
    if root.tag != q(BPMN, "definitions"):
        raise _rejected(_("ไฟล์นี้ไม่ใช่ไฟล์ BPMN 2.0"), code="not_bpmn")
    error = next(iter(bpmn_schema().iter_errors(root)), None)
    if error is not None and "IDREF" in str(error.reason or ""):
        raise _rejected(
            _("ไฟล์อ้างถึงขั้นตอนที่ไม่มีอยู่ในไฟล์"), detail=str(error.reason)[:200], code="bpmn_ref"
        )
    if error is not None:
        raise _rejected(
            _("ไฟล์ BPMN ไม่ถูกต้องตามมาตรฐาน BPMN 2.0"),
            detail=f"{error.path or ''}: {error.reason or ''}"[:200],
            code="bpmn_schema",
        )
    processes = list(root.iter(q(BPMN, "process")))
    if not processes:
        raise _rejected(_("ไม่พบกระบวนการในไฟล์ BPMN"), code="no_process")
    process = max(processes, key=lambda p: len(list(p)))
    bounds = {}
    for shape in root.iter(q(BPMNDI, "BPMNShape")):
        box = shape.find(q(DC, "Bounds"))
        if box is not None:
            bounds[shape.get("bpmnElement")] = tuple(
                float(box.get(name, "0")) for name in ("x", "y", "width", "height")
            )

    result = ImportedProcess(name=process.get("name", ""))
    node_lane: dict[str, str] = {}
    lane_boxes = []
    for lane in process.iter(q(BPMN, "lane")):
        lane_name = " ".join((lane.get("name") or "").split())
        if lane_name == UNASSIGNED_LANE_NAME:
            lane_name = ""
        if lane_name and lane_name not in result.lanes:
            result.lanes.append(lane_name)
        for ref in lane.findall(q(BPMN, "flowNodeRef")):
            node_lane[_text(ref)] = lane_name
        if lane.get("id") in bounds:
            lane_boxes.append((bounds[lane.get("id")], lane_name))

    collections = {
        obj.get("id")
        for obj in process.iter(q(BPMN, "dataObject"))
        if obj.get("isCollection") == "true"
    }
    nodes: dict[str, ImportedStep] = {}
    for index, element in enumerate(process):
        tag = element.tag.split("}", 1)[-1]
        if tag in SHAPE_OF_TAG:
            shape = SHAPE_OF_TAG[tag]
        elif tag == "dataObjectReference":
            shape = "multi_document" if element.get("dataObjectRef") in collections else "document"
        elif tag == "dataStoreReference":
            shape = "database"
        else:
            continue
        element_id = element.get("id", "")
        box = bounds.get(element_id)
        lane_name = node_lane.get(element_id)
        if lane_name is None and box is not None:
            centre = box[0] + box[2] / 2
            lane_name = next(
                (name for (x, _y, w, _h), name in lane_boxes if x <= centre <= x + w), ""
            )
        numbered = STEP_ID.match(element_id)
        order = (
            (0, int(numbered.group(1)), index)
            if numbered
            else (1, box[1] if box else 0.0, box[0] if box else 0.0, index)
        )
        actor, others = _actors(element)
        nodes[element_id] = ImportedStep(
            element_id=element_id,
            shape=shape,
            label=_name(element),
            detail=(element.findtext(q(BPMN, "documentation")) or "").strip(),
            lane=lane_name or "",
            order=order,
            actor=actor,
            others=others,
        )
    if not nodes:
        raise _rejected(_("ไม่พบขั้นตอนในไฟล์ BPMN"), code="no_steps")
    if len(nodes) > MAX_STEPS:
        raise _rejected(_("ไฟล์มีขั้นตอนมากเกินไป"), code="too_many")

    def known(ref: str, what: str) -> str:
        if ref not in nodes:
            raise _rejected(
                _("ไฟล์อ้างถึงขั้นตอนที่ไม่มีอยู่ในไฟล์"), detail=f"{what} → {ref}", code="bpmn_ref"
            )
        return ref

    flows: list[ImportedFlow] = []
    for element in process.iter(q(BPMN, "sequenceFlow")):
        flows.append(
            ImportedFlow(
                known(element.get("sourceRef", ""), element.get("id", "")),
                known(element.get("targetRef", ""), element.get("id", "")),
                " ".join((element.get("name") or "").split()),
            )
        )
    for element in process.iter(q(BPMN, "association")):
        source, target = element.get("sourceRef", ""), element.get("targetRef", "")
        if source in nodes and target in nodes:  # text annotations and the like are left out
            kind = "flow" if element.get("associationDirection") == "One" else "data"
            flows.append(ImportedFlow(source, target, "", kind))
    for owner in process:
        for tag, outgoing in (("dataOutputAssociation", True), ("dataInputAssociation", False)):
            for assoc in owner.findall(q(BPMN, tag)):
                refs = [_text(r) for r in assoc.findall(q(BPMN, "sourceRef"))]
                target = _text(assoc.find(q(BPMN, "targetRef")))
                for ref in [target] if outgoing else refs:
                    if ref in nodes and owner.get("id") in nodes:
                        pair = (owner.get("id"), ref) if outgoing else (ref, owner.get("id"))
                        flows.append(ImportedFlow(*pair))
    # a sequence flow that only runs past a document duplicates the two flows through it
    through = {(f.source, f.target) for f in flows if f.kind == "flow"}
    data_nodes = {key for key, node in nodes.items() if node.shape in DATA_SHAPES}

    def past_document(flow: ImportedFlow) -> bool:
        return any((flow.source, d) in through and (d, flow.target) in through for d in data_nodes)

    result.flows = [
        f
        for f in flows
        if nodes[f.source].shape in DATA_SHAPES
        or nodes[f.target].shape in DATA_SHAPES
        or not past_document(f)
    ]
    if all(node.order[0] == 0 for node in nodes.values()):
        result.steps = sorted(nodes.values(), key=lambda node: node.order)  # our own numbering
    else:
        result.steps = _flow_order(nodes, result.flows)
    return result


def _flow_order(nodes: dict[str, ImportedStep], flows: list[ImportedFlow]) -> list[ImportedStep]:
    """Steps of a file drawn elsewhere, in the order the work flows: from the start events
    along the sequence flows (first flow first); a document goes just before the step it feeds
    (or after the one that makes it); anything unreached keeps the file's order."""
    document_order = sorted(nodes.values(), key=lambda node: node.order[-1])
    after: dict[str, list[str]] = {}
    for flow in flows:
        after.setdefault(flow.source, []).append(flow.target)
    starts = [n.element_id for n in document_order if n.shape == "start"] or [
        document_order[0].element_id
    ]
    seen: list[str] = []
    queue = list(starts)
    while queue:
        key = queue.pop(0)
        if key in seen or nodes[key].shape in DATA_SHAPES:
            continue
        seen.append(key)
        queue.extend(t for t in after.get(key, []) if t not in seen)
    for node in document_order:
        if node.element_id in seen:
            continue
        feeds = next((t for t in after.get(node.element_id, []) if t in seen), None)
        made_by = next(
            (f.source for f in flows if f.target == node.element_id and f.source in seen), None
        )
        if feeds is not None:
            seen.insert(seen.index(feeds), node.element_id)
        elif made_by is not None:
            seen.insert(seen.index(made_by) + 1, node.element_id)
        else:
            seen.append(node.element_id)
    return [nodes[key] for key in seen]
