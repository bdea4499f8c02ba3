"""Complete the demo manual with the parts of seed 000 that were never entered by hand.

    .venv/bin/python scripts/import_demo_rest.py          # rewrites demo/data/mission_*.json

The curated demo holds processes ๑.๑–๒.๓ (demo/data/mission_1.json, mission_2.json). This
script imports the full text of seed 000 (tests/imports/data/seed000_full.txt) with the
importer, takes what the curated files lack — sub-processes ๑.๔.๓–๑.๔.๖ and ๑.๕.๑–๑.๕.๘, and the
missions ๓ and ๔ (processes ๓.๑–๔.๓ with every sub-process) — and writes them in the demo
data's own format, checked as the curated part was:

- actors are mapped onto the curated roles (same name once spacing and OCR spellings are
  undone, e.g. "จพง. ชุรการ" → "จพง.ธุรการ"); new roles keep the importer's dictionary name;
- every process with steps starts with a start and ends with an end step, as in the curation;
- laws go through the same library entries (by normalised title).

The result is committed; ``load_demo`` reads it and never imports at load time. Running the
script twice gives the same files.
"""

from __future__ import annotations

import json
import os
import sys
from difflib import SequenceMatcher
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings.test")

import django  # noqa: E402

django.setup()

from imports.actors import actor_key  # noqa: E402
from imports.plan import build_plan, walk  # noqa: E402
from imports.readers import read_text  # noqa: E402
from imports.recognise import recognise  # noqa: E402
from manuals.legal import normalise_title  # noqa: E402

DATA = ROOT / "demo" / "data"
SOURCE = ROOT / "tests" / "imports" / "data" / "seed000_full.txt"
# What the curated files lack, by (mission, process) → sub-process positions to take.
MISSING_SUBPROCESSES = {(1, 4): [3, 4, 5, 6], (1, 5): [1, 2, 3, 4, 5, 6, 7, 8]}
NEW_MISSIONS = (3, 4)
# Checked by hand: OCR and spacing slips in actor names the dictionary cannot undo alone.
HAND_FIXES = {
    "สยบ.": "สยป.",
    "คณะกรรมการ ตรวจรับพัสดุ": "คณะกรรมการตรวจรับพัสดุ",
    "สำนักงานเขต และโรงเรียนฝึก อาชีพ": "สำนักงานเขตและโรงเรียนฝึกอาชีพ",
    "หน่วยงานภายใน สำนักพัฒนาสังคม": "หน่วยงานภายในสำนักพัฒนาสังคม",
}


def _load(name: str) -> dict:
    return json.loads((DATA / name).read_text(encoding="utf-8"))


def _curated_roles() -> dict[str, dict]:
    roles: dict[str, dict] = {}
    for lane in _load("front.json").get("lanes", []):
        roles.setdefault(lane["name"], lane)
    for path in sorted(DATA.glob("mission_[12].json")):
        for role in json.loads(path.read_text(encoding="utf-8")).get("roles", []):
            roles.setdefault(role["name"], role)
    return roles


class RoleMap:
    """Imported actor names → the curated roles (or new roles, once each)."""

    def __init__(self, curated: dict[str, dict], imported: dict[str, dict]):
        self.curated = curated
        self.imported = imported
        self.by_key = {actor_key(name): name for name in curated}
        self.cache: dict[str, str] = {}

    def name(self, imported_name: str) -> str:
        if not imported_name:
            return ""
        if imported_name in self.cache:
            return self.cache[imported_name]
        fixed = HAND_FIXES.get(imported_name)
        if fixed:
            if fixed not in self.curated and fixed not in self.imported:
                self.imported[fixed] = {**self.imported.get(imported_name, {}), "name": fixed}
            imported_name_fixed = self.name(fixed)
            self.cache[imported_name] = imported_name_fixed
            return imported_name_fixed
        key = actor_key(imported_name)
        found = self.by_key.get(key)
        if found is None:
            best, ratio = None, 0.0
            for other_key, other in self.by_key.items():
                matcher = SequenceMatcher(None, key, other_key, autojunk=False)
                ops = matcher.get_opcodes()
                if ops and ops[0][0] != "equal":
                    continue
                r = matcher.ratio()
                if r > ratio:
                    best, ratio = other, r
            if best is not None and ratio >= 0.85:
                found = best
        self.cache[imported_name] = found or imported_name
        return self.cache[imported_name]

    def role(self, name: str) -> dict:
        if name in self.curated:
            return dict(self.curated[name])
        role = dict(self.imported.get(name) or {"name": name, "kind": "position"})
        role = {k: role.get(k, "") for k in ("name", "full_name", "kind", "unit")}
        role["full_name"] = role["full_name"] or name
        if role["unit"]:
            role["unit"] = self.name(role["unit"])
        return role


def _bracket(steps: list[dict], key_base: str) -> list[dict]:
    """A start step first and an end step last, as the curated processes have them."""
    if not steps:
        return steps

    def blank(shape, label, key):
        return {
            "key": key,
            "shape": shape,
            "label": label,
            "detail": "",
            "actor": "",
            "other_roles": [],
            "duration": "",
            "headcount": None,
            "headcount_text": "",
            "quality_standard": "",
            "monitoring": "",
            "forms": [],
            "references": "",
            "flows": [],
        }

    if steps[0]["shape"] != "start":
        steps.insert(0, blank("start", "เริ่มต้น", f"{key_base}-start"))
    if steps[-1]["shape"] != "end":
        steps.append(blank("end", "สิ้นสุด", f"{key_base}-end"))
    work = [s for s in steps if s["shape"] not in ("start", "end")]
    # the start and end sit in the first and the last work step's lane
    if work:
        steps[0]["actor"] = steps[0]["actor"] or work[0]["actor"]
        steps[-1]["actor"] = steps[-1]["actor"] or work[-1]["actor"]
    return steps


def _clean_process(process: dict, roles: RoleMap, used_roles: set, used_forms: set, used_laws: set):
    process.pop("_source", None)
    number = process.pop("_number", "")
    key_base = "imp-" + "-".join(str(n) for n in _arabic_number(number))
    for step in process["steps"]:
        step["key"] = "imp-" + step["key"]
        for flow in step["flows"]:
            flow["to"] = "imp-" + flow["to"]
        step["actor"] = roles.name(step["actor"])
        step["other_roles"] = list(
            dict.fromkeys(
                n for n in (roles.name(r) for r in step["other_roles"]) if n and n != step["actor"]
            )
        )
        used_roles.update([step["actor"], *step["other_roles"]] if step["actor"] else [])
        used_forms.update(step["forms"])
    process["steps"] = _bracket(process["steps"], key_base)
    for req in process.get("legal_requirements", []):
        used_laws.add(normalise_title(req["ref"]))
    for child in process.get("subprocesses", []):
        _clean_process(child, roles, used_roles, used_forms, used_laws)


def _arabic_number(text: str) -> list[int]:
    from core.thai import arabic_digits

    return [int(p) for p in arabic_digits(text).split(".") if p]


def _mission_file(mission: dict, processes, plan, roles: RoleMap) -> dict:
    used_roles: set = set()
    used_forms: set = set()
    used_laws: set = set()
    for process in processes:
        _clean_process(process, roles, used_roles, used_forms, used_laws)
    used_roles.discard("")
    # every role's unit is a role too
    names = set(used_roles)
    for name in list(names):
        unit = roles.role(name).get("unit")
        if unit:
            names.add(unit)
    return {
        "mission": mission,
        "roles": [roles.role(n) for n in sorted(names)],
        "forms": [f for f in plan["forms"] if f["code"] in used_forms],
        "legal_references": [
            law for law in plan["legal_references"] if normalise_title(law["title"]) in used_laws
        ],
        "processes": processes,
    }


def main() -> None:
    rec = recognise(read_text(SOURCE.read_text(encoding="utf-8")))
    plan, _warnings, _unplaced = build_plan(rec)
    roles = RoleMap(_curated_roles(), {r["name"]: r for r in plan["roles"]})
    by_mission = {m["mission"]["position"]: m for m in plan["missions"]}

    # 1. sub-processes missing under the curated ๑.๔ and ๑.๕
    mission_1 = _load("mission_1.json")
    extra_roles, extra_forms, extra_laws = [], [], []
    for (m, p), positions in MISSING_SUBPROCESSES.items():
        imported = next(x for x in by_mission[m]["processes"] if x["position"] == p)
        curated = next(x for x in mission_1["processes"] if x["position"] == p)
        subs = [s for s in imported["subprocesses"] if s["position"] in positions]
        part = _mission_file({}, subs, plan, roles)
        curated["subprocesses"] = [
            s for s in curated.get("subprocesses", []) if s["position"] not in positions
        ] + part["processes"]
        curated["subprocesses"].sort(key=lambda s: s["position"])
        extra_roles += part["roles"]
        extra_forms += part["forms"]
        extra_laws += part["legal_references"]
    known_roles = {r["name"] for r in mission_1["roles"]}
    curated_names = set(_curated_roles())
    for role in extra_roles:
        if role["name"] not in known_roles and role["name"] not in curated_names:
            mission_1["roles"].append(role)
            known_roles.add(role["name"])
    codes = {f["code"] for f in mission_1["forms"]}
    mission_1["forms"] += [f for f in extra_forms if f["code"] not in codes]
    laws = {normalise_title(law["title"]) for law in mission_1["legal_references"]}
    for law in extra_laws:
        if normalise_title(law["title"]) not in laws:
            mission_1["legal_references"].append(law)
            laws.add(normalise_title(law["title"]))
    _write("mission_1.json", mission_1)

    # 2. missions ๓ and ๔, whole
    for position in NEW_MISSIONS:
        source = by_mission[position]
        data = _mission_file(source["mission"], source["processes"], plan, roles)
        _write(f"mission_{position}.json", data)

    top = [p for m in plan["missions"] for p in m["processes"]]
    print(
        f"seed 000: {len(top)} processes, {len(list(walk(top))) - len(top)} sub-processes; "
        f"wrote mission_1.json (+ ๑.๔.๓–๑.๔.๖, ๑.๕.๑–๑.๕.๘), mission_3.json, mission_4.json"
    )


def _write(name: str, data: dict) -> None:
    (DATA / name).write_text(
        json.dumps(data, ensure_ascii=False, indent=1) + "\n", encoding="utf-8"
    )


if __name__ == "__main__":
    main()
