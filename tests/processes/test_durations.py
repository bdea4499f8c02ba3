"""processes.durations: the free-form step durations (ระยะเวลา) of the manuals."""

import dataclasses
import importlib.util
from decimal import Decimal
from pathlib import Path

import pytest

from processes.durations import MINUTES_PER_UNIT, UNITS, Duration, parse_duration

D = Decimal


def _parse(text):
    d = parse_duration(text)
    return d.kind, d.low, d.high, d.unit, d.per, d.qualifier


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        # number + unit, Thai and Arabic digits, spacing
        ("๑ วัน", ("length", D(1), D(1), "day", None, None)),
        ("๓๐ นาที", ("length", D(30), D(30), "minute", None, None)),
        ("5 นาที", ("length", D(5), D(5), "minute", None, None)),
        ("๒๐วัน", ("length", D(20), D(20), "day", None, None)),
        ("  ๗   วัน  ", ("length", D(7), D(7), "day", None, None)),
        ("๐.๕ วัน", ("length", D("0.5"), D("0.5"), "day", None, None)),
        ("๑/๒ วัน", ("length", D("0.5"), D("0.5"), "day", None, None)),
        ("ครึ่งวัน", ("length", D("0.5"), D("0.5"), "day", None, None)),
        ("ครึ่ง ชั่วโมง", ("length", D("0.5"), D("0.5"), "hour", None, None)),
        ("๑ วันครึ่ง", ("length", D("1.5"), D("1.5"), "day", None, None)),
        # hour spellings
        ("๒ ชั่วโมง", ("length", D(2), D(2), "hour", None, None)),
        ("๑ ชม.", ("length", D(1), D(1), "hour", None, None)),
        ("๑ ช.ม.", ("length", D(1), D(1), "hour", None, None)),
        ("๑ ชม", ("length", D(1), D(1), "hour", None, None)),
        ("๑๐ น.", ("length", D(10), D(10), "minute", None, None)),
        # working days, weeks, months, years
        ("๕ วันทำการ", ("length", D(5), D(5), "working_day", None, None)),
        ("๑ วัน ทำการ", ("length", D(1), D(1), "working_day", None, None)),
        ("๕ วันทําการ", ("length", D(5), D(5), "working_day", None, None)),  # NIKHAHIT+AA
        ("๑ สัปดาห์", ("length", D(1), D(1), "week", None, None)),
        ("๒ อาทิตย์", ("length", D(2), D(2), "week", None, None)),
        ("๑ เดือน", ("length", D(1), D(1), "month", None, None)),
        ("๑ ปี", ("length", D(12), D(12), "month", None, None)),
        # ranges
        ("๑-๒ วัน", ("length", D(1), D(2), "day", None, None)),
        ("๓ - ๕ วัน", ("length", D(3), D(5), "day", None, None)),
        ("๑๕ – ๓๐ วัน", ("length", D(15), D(30), "day", None, None)),
        ("๑๕—๓๐ วัน", ("length", D(15), D(30), "day", None, None)),
        ("๑ ถึง ๒ วัน", ("length", D(1), D(2), "day", None, None)),
        ("๑/๒ - ๑ วัน", ("length", D("0.5"), D(1), "day", None, None)),
        ("๑.๕ - ๒ วัน", ("length", D("1.5"), D(2), "day", None, None)),
        ("30 นาที - 1 ชั่วโมง", ("length", D(30), D(60), "minute", None, None)),
        ("๑ วัน - ๑ สัปดาห์", ("length", D(1), D(5), "day", None, None)),
        ("๕-๓ วัน", ("length", D(3), D(5), "day", None, None)),  # reversed: low <= high
        ("๑-๓ วัน ทำการ", ("length", D(1), D(3), "working_day", None, None)),
        # per item
        ("๓ นาที / ฉบับ", ("length", D(3), D(3), "minute", "ฉบับ", None)),
        ("๑๐-๑๕ นาที/แฟ้ม", ("length", D(10), D(15), "minute", "แฟ้ม", None)),
        ("๒ ชั่วโมง ต่อ ๑ ฎีกา", ("length", D(2), D(2), "hour", "ฎีกา", None)),
        ("๓๐ นาที/หน้า", ("length", D(30), D(30), "minute", "หน้า", None)),
        ("๑ วัน/เรื่อง", ("length", D(1), D(1), "day", "เรื่อง", None)),
        ("๑๕ นาที ต่อราย", ("length", D(15), D(15), "minute", "ราย", None)),
        ("๕ นาที/ เพิ่ม", ("length", D(5), D(5), "minute", "แฟ้ม", None)),  # OCR of แฟ้ม
        ("๕ วัน/ ๑๐ วัน", ("length", D(5), D(5), "day", None, None)),  # not an item
        # qualifiers
        ("ไม่เกิน ๑ ชม.", ("length", D(1), D(1), "hour", None, "at_most")),
        ("ไม่น้อยกว่า ๓ วันทำการ", ("length", D(3), D(3), "working_day", None, "at_least")),
        ("ภายใน ๑ วัน", ("length", D(1), D(1), "day", None, "within")),
        ("ประมาณ ๒-๓ ชั่วโมง", ("length", D(2), D(3), "hour", None, "about")),
        ("๑ สัปดาห์ หรือมากกว่า", ("length", D(1), D(1), "week", None, "at_least")),
        ("๓ วันขึ้นไป", ("length", D(3), D(3), "day", None, "at_least")),
        ("ภายใน ๒๔ ชั่วโมง/เรื่อง", ("length", D(24), D(24), "hour", "เรื่อง", "within")),
        # bare numbers are days
        ("๓๐", ("length", D(30), D(30), "day", None, None)),
        ("15", ("length", D(15), D(15), "day", None, None)),
        ("๑-๓", ("length", D(1), D(3), "day", None, None)),
        ("๐.๕", ("length", D("0.5"), D("0.5"), "day", None, None)),
        # immediate and ongoing
        ("ทันที", ("immediate", None, None, None, None, None)),
        ("ตลอดปี", ("ongoing", None, None, None, None, None)),
        ("ตลอดเวลา", ("ongoing", None, None, None, None, None)),
        ("ทุกวัน", ("ongoing", None, None, None, None, None)),
        ("ตลอดปีงบประมาณ", ("ongoing", None, None, None, None, None)),
        # calendar-bound and references
        ("ต.ค. ของปีปฏิทินก่อนดำเนินการ ๒ ปี", ("schedule", None, None, None, None, None)),
        ("ภายในวันที่ ๑๐ ของทุกเดือน", ("schedule", None, None, None, None, None)),
        ("ไม่เกิน วันที่ ๑๐ของ เดือน ถัดไป", ("schedule", None, None, None, None, None)),
        ("ไตรมาสที่ ๒", ("schedule", None, None, None, None, None)),
        ("ไตรมาส 2", ("schedule", None, None, None, None, None)),
        ("ต.ค. - ก.ย.", ("schedule", None, None, None, None, None)),
        ("มี.ค.-พ.ค ๖๗", ("schedule", None, None, None, None, None)),
        ("กันยายน", ("schedule", None, None, None, None, None)),
        ("ตามที่กำหนดในปฏิทินงบประมาณ", ("schedule", None, None, None, None, None)),
        ("ขึ้นอยู่กับปริมาณของงาน", ("schedule", None, None, None, None, None)),
        ("ตามระเบียบกระทรวงการคลัง", ("schedule", None, None, None, None, None)),
        ("ทุกวันที่ ๕", ("schedule", None, None, None, None, None)),
        ("ทุกเดือน", ("schedule", None, None, None, None, None)),
        ("อาทิตย์ละ ๑ ครั้ง", ("schedule", None, None, None, None, None)),
        ("ภายใน ๑๖.๓๐ น.", ("schedule", None, None, None, None, None)),  # a time of day
        ("30/09/2564", ("schedule", None, None, None, None, None)),
        # unknown
        ("", ("unknown", None, None, None, None, None)),
        ("-", ("unknown", None, None, None, None, None)),
        ("รอผลการพิจารณา", ("unknown", None, None, None, None, None)),
        ("๕ คน", ("unknown", None, None, None, None, None)),
    ],
)
def test_parse(text, expected):
    assert _parse(text) == expected


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        # merged OCR cells: the first duration wins
        ("๓ นาที / ฉบับ  ทันที", ("length", D(3), D(3), "minute", "ฉบับ", None)),
        ("ตลอดเวลา  ทันที", ("ongoing", None, None, None, None, None)),
        ("๑ วัน\n๕ วัน\n๓ วัน", ("length", D(1), D(1), "day", None, None)),
        ("๒๐ วัน หรือตามที่กำหนดใน ปฏิทิน", ("length", D(20), D(20), "day", None, None)),
        ("ตาม กำหนด ในสัญญา  ๑ วัน ทำการ", ("schedule", None, None, None, None, None)),
        ("๒ เดือน (ต.ค.-พ.ย.)", ("length", D(2), D(2), "month", None, None)),
        ("๓๐ วัน (ขยายได้อีกไม่เกิน ๓๐ วัน)", ("length", D(30), D(30), "day", None, None)),
        (
            "หากได้รับแจ้งจะใช้เวลาดำเนินการไม่เกิน ๑-๓ วัน",
            ("length", D(1), D(3), "day", None, "at_most"),
        ),
        # compound lengths (a smaller unit after a larger one) vs. two merged cells
        ("๑ ชั่วโมง ๓๐ นาที", ("length", D(90), D(90), "minute", None, None)),
        ("๑ ชม. ๓๐ น.", ("length", D(90), D(90), "minute", None, None)),
        ("1 วัน 3 ชั่วโมง", ("length", D(10), D(10), "hour", None, None)),
        ("๑ ปี ๖ เดือน", ("length", D(18), D(18), "month", None, None)),
        ("๒ ชั่วโมงครึ่ง", ("length", D("2.5"), D("2.5"), "hour", None, None)),
        ("๑ วัน  ๕ นาที", ("length", D(1), D(1), "day", None, None)),  # double space: 2 cells
        ("๑ วัน\n๕ นาที", ("length", D(1), D(1), "day", None, None)),
        ("๑ วัน ๕ วัน", ("length", D(1), D(1), "day", None, None)),
        # cells that wrap mid-phrase
        ("๑ วัน\nทำการ", ("length", D(1), D(1), "working_day", None, None)),
        ("๒ ชั่ว\nโมง", ("length", D(2), D(2), "hour", None, None)),
        ("๑๐ นาที/\nแฟ้ม", ("length", D(10), D(10), "minute", "แฟ้ม", None)),
        ("ไม่น้อย\nกว่า ๓ วัน", ("length", D(3), D(3), "day", None, "at_least")),
        ("๒ ชั่วโมง ต่อ\n๑ ฎีกา", ("length", D(2), D(2), "hour", "ฎีกา", None)),
    ],
)
def test_parse_merged_and_wrapped_cells(text, expected):
    assert _parse(text) == expected


def test_parsed_flag():
    assert parse_duration("๑ วัน").parsed
    assert parse_duration("ตามระเบียบ").parsed
    assert parse_duration("").parsed  # nothing written: nothing to flag
    assert parse_duration("-").parsed
    assert parse_duration(None).parsed
    assert not parse_duration("รอผลการพิจารณา").parsed
    assert not parse_duration("๕ คน").parsed


def test_text_is_kept_verbatim():
    text = " ๓ นาที / ฉบับ\nทันที "
    assert parse_duration(text).text == text
    assert parse_duration(None).text == ""


def test_duration_is_frozen():
    d = parse_duration("๑ วัน")
    with pytest.raises(dataclasses.FrozenInstanceError):
        d.low = D(2)


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("๑-๒ วัน", "๑–๒ วัน"),
        ("1 - 2 วัน", "๑–๒ วัน"),
        ("๓ นาที / ฉบับ", "๓ นาที/ฉบับ"),
        ("๒ ชั่วโมง ต่อ ๑ ฎีกา", "๒ ชั่วโมง/ฎีกา"),
        ("ไม่เกิน ๑ ชม.", "ไม่เกิน ๑ ชั่วโมง"),
        ("๑ สัปดาห์ หรือมากกว่า", "ไม่น้อยกว่า ๑ สัปดาห์"),
        ("๕ วัน ทำการ", "๕ วันทำการ"),
        ("๐.๕๐ วัน", "๐.๕ วัน"),
        ("ครึ่งวัน", "๐.๕ วัน"),
        ("๓๐", "๓๐ วัน"),
        ("30 นาที", "๓๐ นาที"),
        ("ทันที", "ทันที"),
        ("ตลอดปี", "ตลอดปี"),
        ("ไตรมาส 2", "ไตรมาส 2"),
        ("รอผล", "รอผล"),
        ("", ""),
    ],
)
def test_str(text, expected):
    assert str(parse_duration(text)) == expected


def test_to_minutes():
    assert parse_duration("๓๐ นาที").to_minutes() == (D(30), D(30))
    assert parse_duration("๑-๒ ชั่วโมง").to_minutes() == (D(60), D(120))
    assert parse_duration("๑ วัน").to_minutes() == (D(420), D(420))
    assert parse_duration("๑ วันทำการ").to_minutes() == (D(420), D(420))
    assert parse_duration("๑ สัปดาห์").to_minutes() == (D(2100), D(2100))
    assert parse_duration("๑ เดือน").to_minutes() == (D(9240), D(9240))
    assert parse_duration("ครึ่งวัน").to_minutes() == (D(210), D(210))
    assert parse_duration("ทันที").to_minutes() is None
    assert parse_duration("ตลอดปี").to_minutes() is None
    assert parse_duration("ไตรมาสที่ ๒").to_minutes() is None
    assert parse_duration("").to_minutes() is None
    assert set(MINUTES_PER_UNIT) == set(UNITS)


def test_values_fit_the_model_field():
    # DecimalField(max_digits=9, decimal_places=3): at most 3 decimals, below one million.
    d = parse_duration("๑/๓ วัน")
    assert d.low == D("0.333")
    assert -d.low.as_tuple().exponent <= 3
    assert parse_duration("30").low.as_tuple().exponent == 0  # 30, not 3E+1
    assert parse_duration("๙๙๙๙๙๙๙ วัน").kind == "unknown"


def test_only_length_has_values():
    for text in ("ทันที", "ตลอดปี", "ไตรมาส ๒", "", "xyz"):
        d = parse_duration(text)
        assert (d.low, d.high, d.unit, d.per, d.qualifier) == (None, None, None, None, None)


def test_never_raises_on_odd_input():
    for text in (
        "/",
        "๑/",
        "/๒ วัน",
        "๑/๐ วัน",
        "ต่อ",
        "๑.",
        "..",
        "1e5 วัน",
        "ครึ่ง",
        "\x00",
        "9" * 40 + " วัน",
    ):
        assert isinstance(parse_duration(text), Duration)


# --- the labelled seed corpus --------------------------------------------------------------

SCRIPT = Path(__file__).resolve().parents[2] / "scripts" / "measure_durations.py"


@pytest.fixture(scope="module")
def measure():
    spec = importlib.util.spec_from_file_location("measure_durations", SCRIPT)
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def test_every_seed_cell_is_labelled(measure):
    labels = measure.load_labels()
    cells = measure.load_cells()
    assert len(cells) > 500
    assert {text for _, text in cells} <= set(labels)
    for label in labels.values():
        assert label["shape"] in measure.SHAPES
        assert label["kind"] in ("length", "immediate", "ongoing", "schedule", "unknown")


def test_seed_corpus_parse_rate(measure):
    stats, mismatches = measure.measure()
    cells = sum(c["cells"] for c in stats.values())
    right = sum(c["right"] for c in stats.values())
    assert right / cells >= 0.95, mismatches
    # every shape the manuals use is handled, not just the common ones
    for shape in ("number_unit", "range", "per_item", "qualifier", "bare_number", "schedule"):
        assert stats[shape]["right"] / stats[shape]["cells"] >= 0.9, shape


def test_differences_detects_a_wrong_parse(measure):
    label = {"kind": "length", "low": "1", "high": "2", "unit": "day", "per": "", "qualifier": ""}
    assert measure.differences(label, parse_duration("๑-๒ วัน")) == []
    assert measure.differences(label, parse_duration("๑-๒ เดือน")) == ["unit month != day"]
    assert measure.differences(label, parse_duration("ทันที"))
