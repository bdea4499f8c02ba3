"""Small example charts (the reference manual's process ๑.๑), for the legend page, tests and
trying the engine by hand: ``python -m flowcharts.samples /tmp/charts``."""

from __future__ import annotations

import sys
from pathlib import Path

from .spec import ChartFlow, ChartLane, ChartSpec, ChartStep


def saraban_spec() -> ChartSpec:
    """๑.๑ กระบวนการงานด้านสารบรรณและธุรการทั่วไป, close to the reference manual's Table 4."""
    lanes = (
        ChartLane("gen", "การปฏิบัติงาน ฝ่ายบริหารงานทั่วไป"),
        ChartLane("dir", "ผู้อำนวยการกอง"),
        ChartLane("sec", "เลขานุการสำนัก"),
        ChartLane("dep", "รองผู้อำนวยการสำนัก"),
        ChartLane("head", "ผู้อำนวยการสำนัก"),
    )
    steps = (
        ChartStep("1", "gen", "start", "", duration="", headcount=None),
        ChartStep("2", "gen", "document", "หนังสือจากหน่วยงานภายนอก", duration="", headcount=None),
        ChartStep(
            "3", "gen", "activity", "รับหนังสือ", "รับหนังสือราชการจากหน่วยงานภายในและภายนอก", "5 นาที", 1
        ),
        ChartStep("4", "gen", "activity", "ตรวจสอบแยกประเภทหนังสือ", "", "5 นาที", 1),
        ChartStep(
            "5",
            "gen",
            "database",
            "ลงทะเบียนรับในระบบสารบรรณอิเล็กทรอนิกส์",
            "ลงทะเบียนรับหนังสือ",
            "10 นาที",
            1,
        ),
        ChartStep("6", "gen", "activity", "เสนอหัวหน้าฝ่ายตรวจสอบพิจารณาเสนอ", "", "30 นาที", 1),
        ChartStep("7", "dir", "activity", "เสนอเพื่อสั่งการ", "", "1 ชม.", 1),
        ChartStep("8", "sec", "decision", "พิจารณา", "", "1 วัน", 1),
        ChartStep("9", "dep", "subprocess", "พิจารณาสั่งการตามอำนาจหน้าที่", "", "1 วัน", 1),
        ChartStep("10", "head", "activity", "พิจารณาลงนาม/สั่งการ", "", "1 วัน", 1),
        ChartStep("11", "gen", "multi_document", "แจ้งเวียนหนังสือให้ผู้เกี่ยวข้องทราบ", "", "30 นาที", 2),
        ChartStep("12", "gen", "end", ""),
    )
    flows = (
        ChartFlow("2", "4", kind="data"),
        ChartFlow("8", "9", "อนุมัติ"),
        ChartFlow("8", "5", "ไม่อนุมัติ"),
        ChartFlow("10", "11", "ลงนาม"),
        ChartFlow("10", "7", "แก้ไข"),
    )
    return ChartSpec("๑.๑ กระบวนการงานด้านสารบรรณและธุรการทั่วไป", lanes, steps, flows)


def main(out: str = "/tmp/charts") -> None:  # noqa: S108 - a place to look at them
    from .legend import render_legend
    from .render import render

    folder = Path(out)
    folder.mkdir(parents=True, exist_ok=True)
    (folder / "saraban.png").write_bytes(render(saraban_spec(), "png"))
    (folder / "saraban.svg").write_bytes(render(saraban_spec(), "svg"))
    (folder / "legend.png").write_bytes(render_legend("png"))


if __name__ == "__main__":
    main(*sys.argv[1:])


STEP_TEXTS = (
    "รับเรื่องจากสำนักยุทธศาสตร์และประเมินผล",
    "ศึกษา ทบทวนสถานการณ์ของแผน วิเคราะห์สภาพแวดล้อม",
    "ตรวจสอบความครบถ้วนของเอกสารประกอบการเบิกจ่าย",
    "ลงทะเบียนรับหนังสือในระบบสารบรรณอิเล็กทรอนิกส์",
    "จัดทำร่างแผนปฏิบัติราชการประจำปีเสนอหัวหน้าหน่วยงาน",
    "แต่งตั้งคณะกรรมการตามวิธีการจัดซื้อจัดจ้าง",
    "บันทึกข้อมูลโครงการในระบบ BMA Digital Plans",
    "จัดทำรายงานขอซื้อขอจ้างตามระเบียบกระทรวงการคลังฯ พ.ศ. 2560",
    "แจ้งเวียนให้ส่วนราชการในสังกัดทราบและถือปฏิบัติ",
    "ประชุมชี้แจงแนวทางการจัดทำแผนปฏิบัติการประจำปี",
    "ตรวจสอบคุณสมบัติของบุคลากร ระดับ อายุราชการ",
    "จัดเก็บเอกสารเข้าแฟ้ม",
)
DURATIONS = ("5 นาที", "1 วัน", "๓ วันทำการ", "30 นาที - 1 ชั่วโมง", "ภายใน 15 วัน", "ทันที")
LANE_NAMES = (
    "ฝ่ายบริหารงานทั่วไป",
    "กลุ่มงานแผนงานและประเมินผล",
    "คณะทำงานฯ",
    "ผู้อำนวยการกองนโยบายและแผนงาน",
    "ผอ.สพส./ รผอ.สพส.",
    "สำนักงบประมาณกรุงเทพมหานคร (สงม.)",
    "สำนักยุทธศาสตร์และประเมินผล (สยป.)",
    "สำนักงาน ก.ก.",
)


def synthetic_spec(steps: int = 60, lanes: int = 8, salt: int = 0) -> ChartSpec:
    """A long deterministic chart: Thai step texts, every 7th step a decision looping back."""
    chart_lanes = tuple(ChartLane(f"L{i}", LANE_NAMES[i % len(LANE_NAMES)]) for i in range(lanes))
    chart_steps: list[ChartStep] = []
    flows: list[ChartFlow] = []
    for i in range(steps):
        lane = f"L{(i * 3 + i // 5 + salt) % lanes}"
        if i == 0:
            shape, label = "start", ""
        elif i == steps - 1:
            shape, label = "end", ""
        elif i % 7 == 6:
            shape, label = "decision", "พิจารณาให้ความเห็นชอบ"
        elif i % 11 == 4:
            shape, label = "document", "แบบรายงานผลการดำเนินงาน"
        elif i % 13 == 9:
            shape, label = "database", "ระบบ e-GP"
        elif i % 17 == 8:
            shape, label = "subprocess", "กระบวนการจัดซื้อจัดจ้าง"
        else:
            shape, label = "activity", STEP_TEXTS[(i + salt) % len(STEP_TEXTS)]
        chart_steps.append(
            ChartStep(
                key=f"k{i}",
                lane=lane,
                shape=shape,
                label=label,
                detail=f"ขั้นตอนที่ {i + 1}: {STEP_TEXTS[i % len(STEP_TEXTS)]}",
                duration=DURATIONS[i % len(DURATIONS)],
                headcount=1 + i % 4,
            )
        )
        if shape == "decision":
            flows.append(ChartFlow(f"k{i}", f"k{i + 1}", "เห็นชอบ"))
            flows.append(ChartFlow(f"k{i}", f"k{i - 3}", "ไม่เห็นชอบ/แก้ไข"))
        if shape == "document" and i + 2 < steps:
            flows.append(ChartFlow(f"k{i}", f"k{i + 2}", kind="data"))
    return ChartSpec("กระบวนการทดสอบ", chart_lanes, tuple(chart_steps), tuple(flows))
