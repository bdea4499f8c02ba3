"""Loads the demo manual (seed 000: กองนโยบายและแผนงาน สำนักพัฒนาสังคม) from JSON in the repo.

The JSON files under data/ were curated by hand from the published manual (OCR errors fixed);
the loader validates them, builds the agency tree, the legal library (deduplicated by
normalised title), and a published edition with every table. Running it twice changes nothing.
"""

from __future__ import annotations

import datetime
import json
from dataclasses import dataclass, field
from pathlib import Path

from django.contrib.auth import get_user_model
from django.db import transaction

from core.changes import edition_changed, edition_published
from manuals.legal import normalise_title
from manuals.models import (
    Abbreviation,
    Agency,
    Definition,
    Edition,
    Form,
    Lane,
    LegalReference,
    Manual,
    Membership,
    Responsibility,
)
from manuals.services import edition_start_revision
from processes.models import (
    Flow,
    LegalRequirement,
    Mission,
    Process,
    Step,
)
from processes.table2 import table2_create

DATA_DIR = Path(__file__).parent / "data"
DEMO_PASSWORD = "demo-pass-123"  # noqa: S105 - documented demo credential, load_demo only
LEGAL_KINDS = {label: value for value, label in LegalReference.Kind.choices}


class DemoDataError(ValueError):
    """The demo JSON does not hold together (a flow to a missing step, an unknown role …)."""


@dataclass
class DemoResult:
    manual: Manual
    edition: Edition
    created: bool
    users: list[tuple[str, str, str]] = field(default_factory=list)


def read_demo_data(data_dir: Path = DATA_DIR) -> dict:
    """front.json plus every mission_*.json, merged (roles and laws deduplicated, in order).

    front.json's ``lanes`` is the manual's chart lane set (units, committees, outside bodies,
    in chart order); the missions' ``roles`` add the positions, each naming its ``unit``."""
    front = json.loads((data_dir / "front.json").read_text(encoding="utf-8"))
    missions = [
        json.loads(p.read_text(encoding="utf-8")) for p in sorted(data_dir.glob("mission_*.json"))
    ]
    roles: dict[str, dict] = {lane["name"]: lane for lane in front.get("lanes", [])}
    forms: dict[str, dict] = {}
    laws = list(front.get("legal_references", []))
    for mission in missions:
        for role in mission.get("roles", []):
            roles.setdefault(role["name"], role)
        for form in mission.get("forms", []):
            forms.setdefault(form["code"], form)
        laws.extend(mission.get("legal_references", []))
    data = dict(front)
    data["roles"] = list(roles.values())
    data["forms"] = list(forms.values())
    data["legal_references"] = laws
    data["missions"] = missions
    _validate(data)
    return data


def _walk_processes(processes):
    for process in processes:
        yield process
        yield from _walk_processes(process.get("subprocesses", []))


def _validate(data: dict) -> None:
    roles = {r["name"] for r in data["roles"]}
    problems: list[str] = [
        f"role {r['name']!r}: unknown unit {r['unit']!r}"
        for r in data["roles"]
        if r.get("unit") and r["unit"] not in roles
    ]
    forms = {f["code"] for f in data["forms"]}
    laws = {normalise_title(law["title"]) for law in data["legal_references"]}
    keys: set[str] = set()
    for mission in data["missions"]:
        for process in _walk_processes(mission["processes"]):
            for step in process.get("steps", []):
                if step["key"] in keys:
                    problems.append(f"duplicate step key {step['key']}")
                keys.add(step["key"])
                for role in [step.get("actor"), *step.get("other_roles", [])]:
                    if role and role not in roles:
                        problems.append(f"{step['key']}: unknown role {role!r}")
                for code in step.get("forms", []):
                    if code not in forms:
                        problems.append(f"{step['key']}: unknown form {code!r}")
            for req in process.get("legal_requirements", []):
                if normalise_title(req["ref"]) not in laws:
                    problems.append(f"{process['name']}: unknown law {req['ref']!r}")
    for mission in data["missions"]:
        for process in _walk_processes(mission["processes"]):
            for step in process.get("steps", []):
                for flow in step.get("flows", []) or []:
                    if flow["to"] not in keys:
                        problems.append(f"{step['key']}: flow to missing step {flow['to']!r}")
    if problems:
        raise DemoDataError("; ".join(problems[:20]))


def _agency_tree(node: dict, parent: Agency | None, by_name: dict[str, Agency]) -> None:
    agency, _ = Agency.objects.get_or_create(
        name=node["name"],
        parent=parent,
        defaults={"short_name": node.get("short_name", ""), "kind": node["kind"]},
    )
    by_name[agency.name] = agency
    for child in node.get("children", []):
        _agency_tree(child, agency, by_name)


def _legal_library(entries: list[dict]) -> dict[str, LegalReference]:
    """Merge every cited law into the shared library; key = normalised title."""
    by_key: dict[str, LegalReference] = {}
    existing = {normalise_title(ref.title): ref for ref in LegalReference.objects.all()}
    for entry in entries:
        key = normalise_title(entry["title"])
        ref = by_key.get(key) or existing.get(key)
        spellings = [s for s in entry.get("spellings", []) if s]
        if ref is None:
            ref = LegalReference(
                kind=LEGAL_KINDS.get(entry.get("type", ""), LegalReference.Kind.OTHER),
                title=entry["title"].strip(),
                year_be=entry.get("year_be"),
                amendment_note=entry.get("amendment_note", ""),
                spellings=spellings,
            )
            ref.save()
        else:
            merged = list(dict.fromkeys([*ref.spellings, *spellings]))
            if merged != ref.spellings:
                ref.spellings = merged
                ref.save()
        by_key[key] = ref
    return by_key


def _users(home_agency: Agency, root: Agency) -> list[tuple[str, str, str]]:
    User = get_user_model()
    accounts = [
        ("editor", "ผู้จัดทำ (กองนโยบายและแผนงาน)", home_agency, Membership.Role.EDITOR),
        ("reviewer", "ผู้ตรวจสอบ (สำนักงาน ก.ก.)", root, Membership.Role.REVIEWER),
        ("approver", "ผู้อนุมัติ (ปลัดกรุงเทพมหานคร)", root, Membership.Role.APPROVER),
        ("admin", "ผู้ดูแลระบบ", root, Membership.Role.ADMIN),
    ]
    out = []
    for username, title, agency, role in accounts:
        user, created = User.objects.get_or_create(
            username=username, defaults={"first_name": title, "email": f"{username}@example.org"}
        )
        if created:
            user.set_password(DEMO_PASSWORD)
            if username == "admin":
                user.is_staff = user.is_superuser = True
            user.save()
        Membership.objects.get_or_create(user=user, agency=agency, role=role)
        out.append((username, DEMO_PASSWORD, title))
    return out


@transaction.atomic
def load_demo(data_dir: Path = DATA_DIR) -> DemoResult:
    """Create the demo manual once; later runs only make sure users and memberships exist."""
    data = read_demo_data(data_dir)
    by_name: dict[str, Agency] = {}
    _agency_tree(data["agencies"], None, by_name)
    root = by_name[data["agencies"]["name"]]
    manual_data = data["manual"]
    home = by_name[manual_data["agency"]]
    users = _users(home, root)
    manual, _ = Manual.objects.get_or_create(
        slug=manual_data["slug"], defaults={"agency": home, "title": manual_data["title"]}
    )
    existing = manual.editions.filter(year_be=data["edition"]["year_be"]).first()
    if existing is not None:
        return DemoResult(manual=manual, edition=existing, created=False, users=users)

    laws = _legal_library(data["legal_references"])
    edition_data = data["edition"]
    edition = Edition.objects.create(
        manual=manual,
        year_be=edition_data["year_be"],
        label=edition_data["label"],
        status=Edition.Status.DRAFT,
        chart_lane_mode=edition_data.get("chart_lane_mode", Edition.chart_lane_mode.field.default),
        chart_lane_header=edition_data.get(
            "chart_lane_header", Edition.chart_lane_header.field.default
        ),
        **{
            k: edition_data.get(k, "")
            for k in (
                "preface",
                "executive_summary",
                "background",
                "objectives",
                "structure_duties",
            )
        },
    )
    _fill_edition(edition, data, laws)
    edition_changed(edition.pk)
    edition_published(edition.pk)
    edition.status = Edition.Status.PUBLISHED
    edition.published_on = datetime.date.fromisoformat(edition_data["published_on"])
    edition.save()
    # The unit's next revision (๒๕๖๗, three years on) as an open draft, for the editors.
    edition_start_revision(manual=manual, year_be=edition.year_be + 3)
    return DemoResult(manual=manual, edition=edition, created=True, users=users)


def _fill_edition(edition: Edition, data: dict, laws: dict[str, LegalReference]) -> None:
    lanes = {
        role["name"]: Lane.objects.create(
            edition=edition,
            position=i,
            name=role["name"],
            full_name=role.get("full_name", ""),
            kind=role.get("kind", Lane.Kind.POSITION),
            always_show=bool(role.get("always_show")),
        )
        for i, role in enumerate(data["roles"], start=1)
    }
    members = []
    for role in data["roles"]:
        if role.get("unit"):
            lanes[role["name"]].unit = lanes[role["unit"]]
            members.append(lanes[role["name"]])
    Lane.objects.bulk_update(members, ["unit"])
    forms = {
        f["code"]: Form.objects.create(edition=edition, code=f["code"], title=f.get("title", ""))
        for f in data["forms"]
    }
    for model, key, fields in (
        (Definition, "definitions", ("term", "meaning")),
        (Abbreviation, "abbreviations", ("short", "full")),
        (Responsibility, "responsibilities", ("holder", "duties")),
    ):
        model.objects.bulk_create(
            model(edition=edition, position=i, **{f: row[f] for f in fields})
            for i, row in enumerate(data.get(key, []), start=1)
        )
    steps_by_key: dict = {}
    pending_flows: list = []
    for mission_data in data["missions"]:
        m = mission_data["mission"]
        mission = Mission.objects.create(
            edition=edition, position=m["position"], unit=m["unit"], text=m.get("text", "")
        )
        for process_data in mission_data["processes"]:
            _create_process(
                process_data, mission, None, lanes, forms, laws, steps_by_key, pending_flows
            )
    _create_flows(steps_by_key, pending_flows)


def _create_process(data, mission, parent, lanes, forms, laws, steps_by_key, pending_flows):
    process = Process.objects.create(
        edition=mission.edition,
        mission=mission,
        parent=parent,
        position=data["position"],
        name=data["name"],
        scope_text=data.get("scope_text", ""),
        scope_start=data.get("scope_start", ""),
        scope_end=data.get("scope_end", ""),
        responsible_unit=data.get("responsible_unit", ""),
    )
    table2_create(process, data)
    seen = set()
    for i, req in enumerate(data.get("legal_requirements", []), start=1):
        ref = laws[normalise_title(req["ref"])]
        if ref.pk in seen:
            continue
        seen.add(ref.pk)
        LegalRequirement.objects.create(
            process=process, position=i, reference=ref, clause_note=req.get("clause_note", "")
        )
    _create_steps(process, data.get("steps", []), lanes, forms, steps_by_key, pending_flows)
    for child in data.get("subprocesses", []):
        _create_process(child, mission, process, lanes, forms, laws, steps_by_key, pending_flows)
    return process


def _create_steps(process, steps, lanes, forms, steps_by_key, pending_flows):
    for i, s in enumerate(steps, start=1):
        step = Step(
            process=process,
            position=i,
            shape=s.get("shape", Step.Shape.ACTIVITY),
            label=(s.get("label") or "")[: Step._meta.get_field("label").max_length],
            detail=s.get("detail", ""),
            lane=lanes.get(s.get("actor") or ""),
            duration_text=s.get("duration", ""),
            headcount=s.get("headcount"),
            headcount_text=s.get("headcount_text", ""),
            same_row=bool(s.get("same_row")),
            quality_standard=s.get("quality_standard", ""),
            monitoring=s.get("monitoring", ""),
            references=s.get("references", ""),
        )
        step.save()
        others = [lanes[name] for name in s.get("other_roles", []) if name in lanes]
        if others:
            step.other_lanes.set(others)
        if s.get("forms"):
            step.forms.set([forms[code] for code in s["forms"]])
        steps_by_key[s["key"]] = step
        if s.get("flows"):
            pending_flows.append((step, s["flows"]))


def _create_flows(steps_by_key, pending_flows):
    flows = []
    for step, items in pending_flows:
        seen = set()
        for i, item in enumerate(items, start=1):
            target = steps_by_key[item["to"]]
            key = (target.pk, item.get("label", ""))
            if target.pk == step.pk or key in seen:
                continue
            seen.add(key)
            flows.append(
                Flow(
                    source=step,
                    target=target,
                    position=i,
                    label=item.get("label", "")[:80],
                    kind=item.get("kind", "flow"),
                )
            )
    Flow.objects.bulk_create(flows)
