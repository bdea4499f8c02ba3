"""What the recogniser found, laid out as the manual's data (the demo data's JSON shape).

``build_plan`` decides what goes where: Table 5 steps for a (sub-)process that has them, else
Table 3's; Table 3 rows that repeat a Table 5 step are checked against it, the rest kept as
unplaced text; chart nodes (Table 4) give steps their chart label and decision branches their
labelled arrows; actors become roles (lanes) through the dictionary; legal references are split
into title, year and amendment note. The plan is plain JSON: the writer fills the database from
it, and the demo data of the whole seed 000 is this plan, checked by hand.
"""

from __future__ import annotations

import re
from difflib import SequenceMatcher

from django.utils.translation import gettext as _

from core.thai import arabic_digits, thai_digits
from imports.actors import actor_key, lane_kind, split_actors
from imports.readers import source_chars
from imports.recognise import PNode, PStep, Recognised, dotted
from manuals.legal import normalise_title, split_citation

LEGAL_PREFIXES = (
    ("พระราชบัญญัติ", "พระราชบัญญัติ"),
    ("พ.ร.บ.", "พระราชบัญญัติ"),
    ("พระราชกฤษฎีกา", "พระราชกฤษฎีกา"),
    ("พ.ร.ฎ.", "พระราชกฤษฎีกา"),
    ("กฎกระทรวง", "กฎกระทรวง"),
    ("ระเบียบ", "ระเบียบ"),
    ("ข้อบัญญัติ", "ข้อบัญญัติ"),
    ("ประกาศ", "ประกาศ"),
    ("คำสั่ง", "คำสั่ง"),
    ("มติคณะรัฐมนตรี", "มติคณะรัฐมนตรี"),
    ("มติ ครม", "มติคณะรัฐมนตรี"),
    ("หนังสือ", "หนังสือสั่งการ"),
    ("แผน", "แผน"),
    ("นโยบาย", "นโยบาย"),
    ("รัฐธรรมนูญ", "อื่น ๆ"),
    ("กฎ ก.", "ระเบียบ"),
    ("กฎ", "ระเบียบ"),
)
# Arrows of the drawn Flow column read as text (the line between two boxes): drawing, not
# words of the box's label.
_ARROWS_RE = re.compile(r"\s*[↓↑→←⇩⇓⇧⇑⇨⇦▼▲►◄➔➜➝➞]+\s*")


def flow_label(text: str) -> str:
    """A Flow column box's text without the arrows drawn between boxes."""
    return re.sub(r"\s+", " ", _ARROWS_RE.sub(" ", text or "")).strip()


_HEADCOUNT = re.compile(r"^\s*([๐-๙0-9]{1,3})\s*(?:คน|ราย|อัตรา)?\s*$")
_NO_FORM = {"-", "–", "—", "ไม่มี", "ไม่มีแบบฟอร์ม"}


def legal_kind(title: str) -> str | None:
    value = title.strip()
    for prefix, kind in LEGAL_PREFIXES:
        if value.startswith(prefix):
            return kind
    return None


def _norm(text: str) -> str:
    return re.sub(r"[\s\-–—.,:;/()“”\"']+", "", text or "")


def similarity(a: str, b: str) -> float:
    ka, kb = _norm(a), _norm(b)
    if not ka or not kb:
        return 0.0
    if ka in kb or kb in ka:
        return 0.85 + 0.15 * min(len(ka), len(kb)) / max(len(ka), len(kb))
    matcher = SequenceMatcher(None, ka, kb, autojunk=False)
    if matcher.quick_ratio() < 0.5:
        return 0.0
    return matcher.ratio()


class _Planner:
    def __init__(self, rec: Recognised, label_prefix: str = "p"):
        self.rec = rec
        self.prefix = label_prefix
        self.warnings: list[dict] = []
        self.unplaced: list[dict] = []
        self.roles: dict[str, dict] = {}
        self.forms: dict[str, dict] = {}
        self.laws: dict[str, dict] = {}

    def warn(self, code, message, page=None, line=None, process="", before="", after=""):
        from imports.readers import location_text

        self.warnings.append(
            {
                "code": code,
                "message": message,
                "location": location_text(page, line),
                "page": page,
                "line": line,
                "process": process,
                "before": before,
                "after": after,
            }
        )

    def move_to_unplaced(self, text, page, line, reason, node: PNode | None):
        """Text the recogniser had counted as placed that the plan could not place."""
        text = (text or "").strip()
        if not text:
            return
        chars = source_chars(text)
        self.rec.ledger["placed"] -= chars
        self.rec.ledger["unplaced"] += chars
        self.unplaced.append(
            {
                "text": text,
                "page": page,
                "line": line,
                "reason": reason,
                "process": node.number if node else None,
                "process_label": node.label if node else "",
            }
        )

    # --- roles ------------------------------------------------------------------------------
    def role(self, spelling: str, mission_unit: str = "") -> str:
        lanes = self.rec.lanes
        name = lanes.name(spelling)[:150]
        if not name:
            return ""
        if name not in self.roles:
            units = {actor_key(u) for u in self.rec.units}
            kind = lane_kind(name, units)
            self.roles[name] = {"name": name, "full_name": "", "kind": kind, "unit": ""}
            if kind == "position" and mission_unit:
                unit_name = lanes.name(mission_unit)[:150] or mission_unit[:150]
                if actor_key(unit_name) != actor_key(name):
                    self.roles.setdefault(
                        unit_name,
                        {"name": unit_name, "full_name": "", "kind": "unit", "unit": ""},
                    )
                    if self.roles[unit_name]["kind"] == "unit":
                        self.roles[name]["unit"] = unit_name
        return name

    # --- forms and laws ---------------------------------------------------------------------
    def form_codes(self, text: str) -> list[str]:
        codes = []
        for line in (text or "").split("\n"):
            item = re.sub(r"^\s*[-–—•▪]\s*", "", line).strip()
            if not item or item in _NO_FORM:
                continue
            code = item[:80].strip()
            key = _norm(code)
            existing = next((c for c in self.forms if _norm(c) == key), None)
            if existing is None:
                self.forms[code] = {"code": code, "title": item if len(item) > 80 else ""}
                existing = code
            if existing not in codes:
                codes.append(existing)
        return codes

    def legal(self, items: list[str], node: PNode) -> list[dict]:
        out: list[dict] = []
        for item in items:
            title, year, amendment = split_citation(item)
            title = title.strip(" -")
            kind = legal_kind(title)
            if kind is None:
                # "ระเบียบอื่น ๆ ที่เกี่ยวข้อง" and the like: a note on the law before it
                if out:
                    out[-1]["clause_note"] = (out[-1]["clause_note"] + " " + item).strip()[:300]
                else:
                    self.move_to_unplaced(
                        item, node.page, node.line, _("ข้อกำหนดด้านกฎหมายที่ไม่ใช่ชื่อกฎหมาย"), node
                    )
                continue
            key = normalise_title(title)
            if key not in self.laws:
                self.laws[key] = {
                    "type": kind,
                    "title": title,
                    "year_be": year,
                    "amendment_note": amendment,
                    "spellings": [item.strip()],
                }
            else:
                law = self.laws[key]
                if item.strip() not in law["spellings"]:
                    law["spellings"].append(item.strip())
                if law["year_be"] is None and year:
                    law["year_be"] = year
            if any(normalise_title(r["ref"]) == key for r in out):
                continue
            out.append({"ref": self.laws[key]["title"], "year_be": year, "clause_note": ""})
        return out

    # --- steps ------------------------------------------------------------------------------
    def choose_steps(self, node: PNode) -> list[PStep]:
        t3 = node.steps.get("t3", [])
        t5 = node.steps.get("t5", [])
        if not t5:
            return list(t3)
        if not t3:
            return list(t5)
        # Both: Table 5 is the fuller one; a Table 3 row repeats a Table 5 step or is kept.
        for row in t3:
            best = max(
                (
                    max(similarity(row.detail, s.detail), similarity(row.detail, s.label))
                    for s in t5
                ),
                default=0.0,
            )
            text = "\n".join(
                v
                for v in (
                    row.label,
                    row.detail,
                    row.actors,
                    row.duration,
                    row.quality,
                    row.monitoring,
                    row.forms,
                    row.references,
                )
                if v
            )
            if best >= 0.6:
                continue
            self.move_to_unplaced(
                text, row.page, row.line, _("แถวในตารางที่ ๓ ที่ไม่ตรงกับขั้นตอนในตารางที่ ๕"), node
            )
        return list(t5)

    def steps(self, node: PNode, mission_unit: str) -> list[dict]:
        chosen = self.choose_steps(node)
        base = f"{self.prefix}{'-'.join(str(n) for n in node.number)}"
        out: list[dict] = []
        position = 0

        def add(step: dict) -> dict:
            nonlocal position
            position += 1
            step["key"] = f"{base}-s{position}"
            out.append(step)
            return step

        pending_branches: list[tuple[dict, list]] = []
        for row in chosen:
            if row.start_before and not out:
                add(self._blank("start", "เริ่มต้น", row))
            actors = [self.role(a, mission_unit) for a in split_actors(row.actors)]
            actors = list(dict.fromkeys(a for a in actors if a))
            headcount = None
            match = _HEADCOUNT.match(row.headcount or "")
            if match:
                headcount = int(arabic_digits(match.group(1)))
            shape = row.shape
            if shape == "activity" and not row.detail.strip() and not flow_label(row.label):
                # a row with no work in it, only what it refers to (the incoming letter of
                # seed 000's ๑.๕.๓): the document symbol the Flow column drew, not a blank
                # activity that could not be saved again
                shape = "document"
            step = add(
                {
                    "shape": shape,
                    "label": flow_label(row.label),
                    "detail": row.detail,
                    "actor": actors[0] if actors else "",
                    "other_roles": actors[1:],
                    "duration": row.duration,
                    "headcount": headcount,
                    "headcount_text": row.headcount,
                    "quality_standard": row.quality,
                    "monitoring": row.monitoring,
                    "forms": self.form_codes(row.forms),
                    "references": row.references,
                    "flows": [],
                    "_source": [row.page, row.line],
                }
            )
            if row.branches:
                pending_branches.append((step, row.branches))
            if row.end_after:
                add(self._blank("end", "สิ้นสุด", row))
        for step, branches in pending_branches:
            for label, target_label, _source_label in branches:
                target = self._find_step(out, target_label, exclude=step)
                if target is None:
                    self.move_to_unplaced(
                        f"{label}: {target_label}",
                        *step["_source"],
                        _("ทางแยกที่หาขั้นตอนปลายทางไม่พบ"),
                        node,
                    )
                    continue
                step["flows"].append({"to": target["key"], "label": label[:80], "kind": "flow"})
        for step in out:
            # a decision with labelled branches also continues to the next step unless told
            if step["flows"] and step["shape"] != "decision":
                step["shape"] = "decision"
            step.pop("_source", None)
        return out

    def _blank(self, shape: str, label: str, row: PStep) -> dict:
        return {
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
            "_source": [row.page, row.line],
        }

    def _find_step(self, steps: list[dict], label: str, exclude=None) -> dict | None:
        if not label:
            return None
        best, best_sim = None, 0.0
        for step in steps:
            if step is exclude:
                continue
            sim = max(similarity(label, step["label"]), similarity(label, step["detail"][:200]))
            if sim > best_sim:
                best, best_sim = step, sim
        return best if best_sim >= 0.6 else None

    def apply_chart(self, node: PNode, own: list[dict], steps: list[dict]) -> None:
        """Table 4's chart nodes: a chart label for a step that has none, else unplaced.

        ``steps`` are the process's own steps and its sub-processes' (a chart drawn for a
        process covers them); a process with no steps at all gets the chart's nodes as steps
        (``own``)."""
        if not node.chart_nodes:
            return
        base = f"{self.prefix}{'-'.join(map(str, node.number))}"
        for label, _shape, role, page, line in node.chart_nodes:
            if role in ("start", "end"):
                if steps and not any(s["shape"] == role for s in steps):
                    continue  # the start/end of a chart drawn for steps that have none
                continue
            target = self._find_step(steps, label)
            if target is None:
                if not steps or all(s["shape"] in ("start", "end") for s in steps):
                    own.append(
                        {
                            "key": f"{base}-c{len(steps) + 1}",
                            "shape": "decision" if role == "decision" else "activity",
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
                            "_source": [page, line],
                        }
                    )
                    continue
                self.move_to_unplaced(
                    label, page, line, _("ข้อความในแผนผัง (ตารางที่ ๔) ที่ไม่ตรงกับขั้นตอนใด"), node
                )
                continue
            if not target["label"]:
                target["label"] = label
            if role == "decision" and target["shape"] == "activity":
                target["shape"] = "decision"
        for source_label, target_label, label in node.chart_edges:
            source = self._find_step(steps, source_label)
            target = self._find_step(steps, target_label, exclude=source)
            if source is not None and target is not None:
                same_process = source["key"].rsplit("-", 1)[0] == target["key"].rsplit("-", 1)[0]
                target = target if same_process else None
            if source is None or target is None:
                self.move_to_unplaced(
                    f"{source_label} → {target_label}: {label}",
                    node.page,
                    node.line,
                    _("ลูกศรในแผนผังที่หาขั้นตอนไม่พบ"),
                    node,
                )
                continue
            flow = {"to": target["key"], "label": label[:80], "kind": "flow"}
            if flow not in source["flows"]:
                source["flows"].append(flow)

    # --- processes --------------------------------------------------------------------------
    def process(self, node: PNode, mission_unit: str) -> dict:
        rec = self.rec
        if not node.title:
            self.warn(
                "no_title",
                _("กระบวนการ %(number)s ไม่มีชื่อ") % {"number": node.label},
                node.page,
                node.line,
                node.label,
            )
        for lane in node.chart_lanes:
            self.role(lane, "")
        data = {
            "position": node.number[-1],
            "name": node.title or f"กระบวนการ {node.label}",
            "scope_text": node.scope_text,
            "scope_start": "",
            "scope_end": "",
            "responsible_unit": node.responsible_unit,
            "stakeholders": [
                {"kind": k, "name": name, "needs": needs} for k, name, needs in node.stakeholders
            ],
            "key_requirements": list(node.key_requirements),
            "indicators": [{"kind": k, "statement": s, "target": t} for k, s, t in node.indicators],
            "legal_requirements": self.legal(node.legal, node),
            "efficiency": list(node.efficiency),
            "cost_effectiveness": list(node.cost),
            "steps": self.steps(node, mission_unit),
            "subprocesses": [
                self.process(child, mission_unit) for child in rec.children(node.number)
            ],
            "_source": [node.page, node.line],
            "_number": node.label,
        }
        every = [s for p in walk([data]) for s in p["steps"]]
        self.apply_chart(node, data["steps"], every)
        if node.chart_headcount:
            first = next((s for s in data["steps"] if s["shape"] not in ("start", "end")), None)
            if first is not None and not first["headcount_text"]:
                first["headcount_text"] = node.chart_headcount
                match = _HEADCOUNT.match(node.chart_headcount)
                if match:
                    first["headcount"] = int(arabic_digits(match.group(1)))
            else:
                self.move_to_unplaced(
                    node.chart_headcount,
                    node.page,
                    node.line,
                    _("จำนวนผู้ปฏิบัติงานในแผนผัง"),
                    node,
                )
        if node.chart_duration:
            self.move_to_unplaced(
                node.chart_duration,
                node.page,
                node.line,
                _("ระยะเวลารวมในแผนผัง (ตารางที่ ๔) ระบบคำนวณจากขั้นตอน"),
                node,
            )
        if not data["steps"] and not data["subprocesses"]:
            self.warn(
                "no_steps",
                _("กระบวนการ %(number)s ไม่มีขั้นตอน") % {"number": node.label},
                node.page,
                node.line,
                node.label,
            )
        return data

    def build(self) -> dict:
        rec = self.rec
        missions = []
        for position in sorted(rec.missions):
            mission = rec.missions[position]
            processes = [n for n in rec.processes() if n.number[0] == position]
            if mission.unit:
                self.role(mission.unit)
            missions.append(
                {
                    "mission": {
                        "position": position,
                        "unit": (mission.unit or f"พันธกิจที่ {thai_digits(position)}")[:200],
                        "text": mission.text,
                    },
                    "processes": [self.process(node, mission.unit) for node in processes],
                }
            )
        if not missions:
            pass
        for name in list(self.roles):
            # a unit lane keeps its unit name as its full name
            role = self.roles[name]
            role["full_name"] = role["full_name"] or name
        return {
            "title": rec.title,
            "cover": rec.cover,
            "year_be": rec.year_be,
            "front": dict(rec.front),
            "roles": list(self.roles.values()),
            "forms": list(self.forms.values()),
            "legal_references": list(self.laws.values()),
            "definitions": [{"term": t[:200], "meaning": m} for t, m in rec.definitions],
            "abbreviations": [{"short": s[:60], "full": f[:300]} for s, f in rec.abbreviations],
            "responsibilities": [{"holder": h[:250], "duties": d} for h, d in rec.responsibilities],
            "missions": missions,
        }


def build_plan(rec: Recognised) -> tuple[dict, list[dict], list[dict]]:
    """(plan, extra warnings, extra unplaced) from what the recogniser found."""
    planner = _Planner(rec)
    plan = planner.build()
    return plan, planner.warnings, planner.unplaced


def walk(processes: list[dict]):
    for process in processes:
        yield process
        yield from walk(process.get("subprocesses", []))


def plan_counts(plan: dict) -> dict:
    top = [p for m in plan["missions"] for p in m["processes"]]
    every = list(walk(top))
    steps = [s for p in every for s in p["steps"]]
    return {
        "missions": len(plan["missions"]),
        "processes": len(top),
        "subprocesses": len(every) - len(top),
        "steps": len(steps),
        "steps_with_actor": sum(1 for s in steps if s["actor"]),
        "steps_with_duration": sum(1 for s in steps if s["duration"]),
        "lanes": len(plan["roles"]),
        "forms": len(plan["forms"]),
        "legal_references": len(plan["legal_references"]),
        "definitions": len(plan["definitions"]),
        "responsibilities": len(plan["responsibilities"]),
    }


def number_label(number) -> str:
    return dotted(tuple(number)) if number else ""
