"""The plan of an import written into a draft edition (called inside one transaction).

Lanes from the roles (a position inside its unit), forms matched to the manual's earlier
forms by their code, laws matched to the shared library by title and every known spelling
(else added as new entries, listed in the report for a reviewer to confirm; a near miss is
matched and warned about, never silently duplicated), then missions, processes with their
Table 2, steps with lanes, other roles, forms and flows, and the unplaced text.
"""

from __future__ import annotations

from difflib import SequenceMatcher

from django.utils.translation import gettext as _

from imports.models import UnplacedText
from imports.plan import walk
from imports.readers import location_text
from manuals.legal import normalise_title
from manuals.models import (
    Abbreviation,
    Definition,
    Edition,
    Form,
    Lane,
    LegalReference,
    Responsibility,
)
from processes.table2 import table2_create

LEGAL_KINDS = {label: value for value, label in LegalReference.Kind.choices}


def _library_index() -> dict[str, LegalReference]:
    index: dict[str, LegalReference] = {}
    for ref in LegalReference.objects.filter(merged_into__isnull=True):
        index.setdefault(normalise_title(ref.title), ref)
        for spelling in ref.spellings or []:
            index.setdefault(normalise_title(spelling), ref)
    return index


def match_laws(entries: list[dict], warnings: list[dict]) -> tuple[dict, list[dict]]:
    """{normalised title: LegalReference} for every cited law, and the new entries proposed."""
    index = _library_index()
    keys = list(index)
    by_key: dict[str, LegalReference] = {}
    proposed: list[dict] = []
    for entry in entries:
        key = normalise_title(entry["title"])
        ref = index.get(key)
        if ref is None:
            for spelling in entry.get("spellings", []):
                ref = index.get(normalise_title(spelling))
                if ref is not None:
                    break
        if ref is None and keys:
            best, best_ratio = None, 0.0
            for other in keys:
                if abs(len(other) - len(key)) > max(6, len(key) // 5):
                    continue
                matcher = SequenceMatcher(None, key, other, autojunk=False)
                if matcher.quick_ratio() < 0.9:
                    continue
                ratio = matcher.ratio()
                if ratio > best_ratio:
                    best, best_ratio = other, ratio
            if best is not None and best_ratio >= 0.93:
                ref = index[best]
                warnings.append(
                    {
                        "code": "legal_near_match",
                        "message": _("กฎหมายที่อ้างเขียนต่างจากคลังเล็กน้อย จึงใช้รายการในคลัง โปรดตรวจ"),
                        "location": "",
                        "page": None,
                        "line": None,
                        "process": "",
                        "before": entry["title"],
                        "after": ref.citation,
                    }
                )
        spellings = [s for s in entry.get("spellings", []) if s]
        if ref is None:
            ref = LegalReference(
                kind=LEGAL_KINDS.get(entry.get("type", ""), LegalReference.Kind.OTHER),
                title=entry["title"][:400],
                year_be=entry.get("year_be"),
                amendment_note=(entry.get("amendment_note") or "")[:200],
                spellings=spellings,
            )
            clash = LegalReference.objects.filter(title=ref.title, year_be=ref.year_be).first()
            if clash is not None:
                ref = clash
            else:
                ref.save()
                proposed.append({"id": ref.pk, "citation": ref.citation})
            index[key] = ref
            keys.append(key)
        else:
            merged = list(dict.fromkeys([*(ref.spellings or []), *spellings]))
            if merged != (ref.spellings or []):
                ref.spellings = merged
                ref.save(update_fields=["spellings", "search_text"])
        by_key[key] = ref
    return by_key, proposed


def write_plan(
    edition: Edition,
    plan: dict,
    unplaced: list[dict],
    warnings: list[dict],
    *,
    previous: Edition | None = None,
) -> dict:
    """Fill ``edition`` from ``plan``; returns the report's per-process rows and new laws."""
    from processes.models import (
        Flow,
        LegalRequirement,
        Mission,
        Process,
        Step,
    )

    # lanes
    lanes: dict[str, Lane] = {}
    for i, role in enumerate(plan["roles"], start=1):
        lanes[role["name"]] = Lane(
            edition=edition,
            position=i,
            name=role["name"][:150],
            full_name=(role.get("full_name") or "")[:250],
            kind=role.get("kind") or Lane.Kind.POSITION,
            always_show=bool(role.get("always_show")),
        )
    Lane.objects.bulk_create(lanes.values())
    members = []
    for role in plan["roles"]:
        unit = role.get("unit")
        if unit and unit in lanes and unit != role["name"]:
            lanes[role["name"]].unit = lanes[unit]
            members.append(lanes[role["name"]])
    if members:
        Lane.objects.bulk_update(members, ["unit"])

    # forms: the manual's earlier codes are kept as they were written
    earlier = {}
    if previous is not None:
        earlier = {f.code.replace(" ", ""): f for f in previous.forms.all()}
    forms: dict[str, Form] = {}
    for entry in plan["forms"]:
        code = entry["code"][:80]
        known = earlier.get(code.replace(" ", ""))
        forms[entry["code"]] = Form(
            edition=edition,
            code=known.code if known else code,
            title=(known.title if known else entry.get("title", ""))[:300],
        )
    seen_codes = set()
    unique_forms = []
    for key, form in list(forms.items()):
        if form.code in seen_codes:
            forms[key] = next(f for f in unique_forms if f.code == form.code)
            continue
        seen_codes.add(form.code)
        unique_forms.append(form)
    Form.objects.bulk_create(unique_forms)

    laws, proposed = match_laws(plan["legal_references"], warnings)

    for model, key, fields in (
        (Definition, "definitions", ("term", "meaning")),
        (Abbreviation, "abbreviations", ("short", "full")),
        (Responsibility, "responsibilities", ("holder", "duties")),
    ):
        model.objects.bulk_create(
            model(edition=edition, position=i, **{f: row[f] for f in fields})
            for i, row in enumerate(plan.get(key, []), start=1)
        )

    rows: list[dict] = []
    processes_by_number: dict[str, Process] = {}
    step_rows: list[tuple[Step, dict]] = []
    used_positions: dict = {}

    def fit(value, limit: int, field: str, data: dict) -> str:
        """``value`` cut to the column's length; the whole text is kept as unplaced text of
        the process (with its source page and line) so nothing is lost without a word."""
        value = value or ""
        if len(value) <= limit:
            return value
        page, line = (data.get("_source") or (None, None))[:2]
        unplaced.append(
            {
                "text": value,
                "page": page,
                "line": line,
                "process_label": data.get("_number") or "",
                "reason": _(
                    "ยาวเกินช่อง “%(field)s” (%(limit)s ตัวอักษร): ในช่องเก็บเฉพาะส่วนต้น ข้อความเต็มอยู่ที่นี่"
                )
                % {"field": field, "limit": limit},
            }
        )
        return value[:limit]

    def create_process(data, mission, parent, prefix):
        scope = (mission.pk, parent.pk if parent else None)
        taken = used_positions.setdefault(scope, set())
        position = data["position"]
        if position in taken:
            position = max(taken) + 1
            warnings.append(
                {
                    "code": "duplicate_number",
                    "message": _("เลขกระบวนการ %(number)s ซ้ำ จึงเลื่อนเป็นลำดับถัดไป")
                    % {"number": data["_number"]},
                    "location": location_text(*data["_source"]),
                    "page": data["_source"][0],
                    "line": data["_source"][1],
                    "process": data["_number"],
                    "before": "",
                    "after": "",
                }
            )
        taken.add(position)
        process = Process.objects.create(
            edition=edition,
            mission=mission,
            parent=parent,
            position=position,
            name=fit(data["name"], 300, _("ชื่อกระบวนการ"), data),
            scope_text=data.get("scope_text", ""),
            scope_start=fit(data.get("scope_start"), 500, _("จุดเริ่มต้น"), data),
            scope_end=fit(data.get("scope_end"), 500, _("จุดสิ้นสุด"), data),
            responsible_unit=fit(data.get("responsible_unit"), 250, _("หน่วยงานที่รับผิดชอบ"), data),
        )
        processes_by_number[data["_number"]] = process
        indicators = [
            {**ind, "target": fit(ind.get("target"), 120, _("ค่าเป้าหมาย"), data)}
            for ind in data.get("indicators", [])
        ]
        requirements = table2_create(process, {**data, "indicators": indicators})
        seen = set()
        legal_rows = []
        for i, req in enumerate(data.get("legal_requirements", []), start=1):
            ref = laws.get(normalise_title(req["ref"]))
            if ref is None or ref.pk in seen:
                continue
            seen.add(ref.pk)
            legal_rows.append(
                LegalRequirement(
                    process=process,
                    position=i,
                    reference=ref,
                    clause_note=fit(req.get("clause_note"), 300, _("ข้อ/มาตรา"), data),
                )
            )
        LegalRequirement.objects.bulk_create(legal_rows)
        steps = []
        for i, s in enumerate(data.get("steps", []), start=1):
            step = Step(
                process=process,
                position=i,
                shape=s.get("shape", Step.Shape.ACTIVITY),
                label=fit(s.get("label"), 400, _("ผังกระบวนการ"), data),
                detail=s.get("detail", ""),
                lane=lanes.get(s.get("actor") or ""),
                duration_text=fit(s.get("duration"), 200, _("ระยะเวลา"), data),
                headcount=s.get("headcount"),
                headcount_text=fit(s.get("headcount_text"), 100, _("จำนวนคน"), data),
                quality_standard=s.get("quality_standard", ""),
                monitoring=s.get("monitoring", ""),
                references=s.get("references", ""),
            )
            step.apply_duration()
            steps.append(step)
            step_rows.append((step, s))
        Step.objects.bulk_create(steps)
        rows.append(
            {
                "number": data["_number"],
                "name": process.name,
                "process_id": process.pk,
                "depth": len(prefix) + 1,
                "steps": len(steps),
                "stakeholders": len(data.get("stakeholders", [])),
                "indicators": len(data.get("indicators", [])),
                "requirements": requirements,
                "legal": len(legal_rows),
                "steps_with_actor": sum(1 for s in data.get("steps", []) if s.get("actor")),
                "steps_with_duration": sum(1 for s in data.get("steps", []) if s.get("duration")),
                "durations_unread": sum(
                    1 for st in steps if st.duration_text and not st.duration_parsed
                ),
            }
        )
        for child in data.get("subprocesses", []):
            create_process(child, mission, process, [*prefix, position])
        return process

    for mission_data in plan["missions"]:
        m = mission_data["mission"]
        mission = Mission.objects.create(
            edition=edition, position=m["position"], unit=m["unit"][:200], text=m.get("text", "")
        )
        for process_data in mission_data["processes"]:
            create_process(process_data, mission, None, [m["position"]])

    # many-to-many and flows, in bulk
    by_key = {s["key"]: step for step, s in step_rows}
    other_through = Step.other_lanes.through
    forms_through = Step.forms.through
    other_rows, form_rows, flows = [], [], []
    for step, s in step_rows:
        for name in dict.fromkeys(s.get("other_roles", [])):
            lane = lanes.get(name)
            if lane is not None and lane.pk != step.lane_id:
                other_rows.append(other_through(step_id=step.pk, lane_id=lane.pk))
        for code in dict.fromkeys(s.get("forms", [])):
            form = forms.get(code)
            if form is not None:
                form_rows.append(forms_through(step_id=step.pk, form_id=form.pk))
        seen = set()
        for i, item in enumerate(s.get("flows", []), start=1):
            target = by_key.get(item["to"])
            if target is None or target.pk == step.pk:
                continue
            key = (target.pk, item.get("label", ""))
            if key in seen:
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
    other_through.objects.bulk_create(other_rows, ignore_conflicts=True)
    forms_through.objects.bulk_create(form_rows, ignore_conflicts=True)
    Flow.objects.bulk_create(flows)

    UnplacedText.objects.bulk_create(
        UnplacedText(
            edition=edition,
            position=i,
            process=processes_by_number.get(u.get("process_label") or ""),
            text=u["text"],
            source_location=location_text(u.get("page"), u.get("line"))[:120],
            page=u.get("page"),
            line=u.get("line"),
            reason=(u.get("reason") or "")[:200],
        )
        for i, u in enumerate(unplaced, start=1)
    )
    for warning in warnings:
        process = processes_by_number.get(warning.get("process") or "")
        warning["process_id"] = process.pk if process else None
    return {"processes": rows, "legal_proposed": proposed, "process_ids": processes_by_number}


def count_steps(plan: dict) -> int:
    return sum(len(p["steps"]) for m in plan["missions"] for p in walk(m["processes"]))
