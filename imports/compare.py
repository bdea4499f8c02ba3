"""How much of a hand-curated manual (the demo data) an import reproduces, field by field.

Processes are paired by number; steps by their text (each curated step with the imported step
of the same process whose detail reads most alike, each imported step used once); start and
end markers are left out on both sides. A field counts as reproduced when the two values are
equal once spacing, bullets and punctuation are ignored, or read ≥ 90 % alike (OCR fixes made
by hand count against the import).
"""

from __future__ import annotations

import re
from difflib import SequenceMatcher

from core.thai import arabic_digits, thai_digits
from imports.plan import walk

_NOISE = re.compile(r"[\s\-–—•▪.,:;/()“”\"'\u200b]+")

STEP_FIELDS = (
    "detail",
    "label",
    "actor",
    "duration",
    "quality_standard",
    "monitoring",
    "references",
    "forms",
)
PROCESS_FIELDS = ("name", "scope_text", "responsible_unit")
LIST_FIELDS = ("stakeholders", "key_requirements", "indicators", "legal_requirements", "efficiency")


def _key(value) -> str:
    if isinstance(value, list | tuple):
        value = " ".join(str(v) for v in value)
    return _NOISE.sub("", arabic_digits(str(value or ""))).lower()


def same(a, b) -> bool:
    ka, kb = _key(a), _key(b)
    if ka == kb:
        return True
    if not ka or not kb:
        return False
    return SequenceMatcher(None, ka, kb, autojunk=False).ratio() >= 0.9


def _list_values(process: dict, name: str) -> list[str]:
    items = process.get(name, [])
    if name == "stakeholders":
        return [i["name"] for i in items]
    if name == "indicators":
        return [i["statement"] for i in items]
    if name == "legal_requirements":
        return [f"{i['ref']} {i.get('year_be') or ''}" for i in items]
    return list(items)


def _numbered(processes: list[dict]) -> dict[str, dict]:
    out = {}

    def visit(items, prefix):
        for p in items:
            number = prefix + [p["position"]]
            out[".".join(map(str, number))] = p
            visit(p.get("subprocesses", []), number)

    for mission_position, items in processes:
        visit(items, [mission_position])
    return out


def _content_steps(process: dict) -> list[dict]:
    return [s for s in process.get("steps", []) if s.get("shape") not in ("start", "end")]


def compare(curated_missions: list[dict], imported_missions: list[dict]) -> dict:
    """Per field: {"matched": n, "total": n, "share": x}; plus per-process rows."""
    curated = _numbered([(m["mission"]["position"], m["processes"]) for m in curated_missions])
    imported = _numbered([(m["mission"]["position"], m["processes"]) for m in imported_missions])
    fields: dict[str, list[int]] = {}

    def tally(name, ok):
        row = fields.setdefault(name, [0, 0])
        row[0] += int(ok)
        row[1] += 1

    rows = []
    for number, want in curated.items():
        got = imported.get(number)
        tally("process", got is not None)
        if got is None:
            rows.append({"number": thai_digits(number), "found": False})
            continue
        for name in PROCESS_FIELDS:
            if want.get(name):
                tally(f"process.{name}", same(want.get(name), got.get(name)))
        for name in LIST_FIELDS:
            wanted = _list_values(want, name)
            have = _list_values(got, name)
            for value in wanted:
                tally(f"table2.{name}", any(same(value, h) for h in have))
        want_steps = _content_steps(want)
        got_steps = list(_content_steps(got))
        matched_steps = 0
        for step in want_steps:
            best, best_ratio = None, 0.0
            for candidate in got_steps:
                ratio = SequenceMatcher(
                    None,
                    _key(step.get("detail") or step.get("label")),
                    _key(candidate["detail"] or candidate["label"]),
                    autojunk=False,
                ).ratio()
                if ratio > best_ratio:
                    best, best_ratio = candidate, ratio
            found = best is not None and best_ratio >= 0.5
            tally("step", found)
            if found:
                matched_steps += 1
                got_steps.remove(best)
            for name in STEP_FIELDS:
                value = step.get(name)
                if not value:
                    continue
                tally(f"step.{name}", found and same(value, best.get(name)))
        rows.append(
            {
                "number": thai_digits(number),
                "found": True,
                "curated_steps": len(want_steps),
                "imported_steps": len(_content_steps(got)),
                "matched_steps": matched_steps,
            }
        )
    return {
        "fields": {
            name: {"matched": m, "total": t, "share": round(m / t, 3) if t else None}
            for name, (m, t) in sorted(fields.items())
        },
        "processes": rows,
    }


def count_curated(missions: list[dict]) -> dict:
    top = [p for m in missions for p in m["processes"]]
    every = list(walk(top))
    return {
        "processes": len(top),
        "subprocesses": len(every) - len(top),
        "steps": sum(len(_content_steps(p)) for p in every),
    }
