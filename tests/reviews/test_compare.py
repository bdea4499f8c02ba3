import datetime
import re
import subprocess

import pytest

from core.thai import thai_digits
from manuals.services import edition_publish, edition_start_revision
from processes.models import Step
from reviews.compare import diff_words, edition_compare, word_tokens
from tests.factories import LaneFactory, StepFactory

pytestmark = pytest.mark.django_db


def _marked(html: str, tag: str) -> list[str]:
    return re.findall(rf"<{tag} class=\"diff-{tag}\">(.*?)</{tag}>", str(html))


def test_changed_thai_sentence_marks_only_the_changed_words():
    old = "เจ้าหน้าที่รับหนังสือและลงทะเบียนรับ"
    new = "เจ้าหน้าที่ตรวจสอบหนังสือและลงทะเบียนรับภายในวันเดียวกัน"
    diff = diff_words(old, new)
    assert _marked(diff.inline_html, "del") == ["รับ"]
    assert _marked(diff.inline_html, "ins") == ["ตรวจสอบ", "ภายในวันเดียวกัน"]
    # Unchanged words stay outside any mark, whole (no vowel or tone mark cut off).
    assert str(diff.inline_html).startswith("เจ้าหน้าที่<del")
    assert _marked(diff.old_html, "del") == ["รับ"] and _marked(diff.old_html, "ins") == []
    assert _marked(diff.new_html, "ins") == ["ตรวจสอบ", "ภายในวันเดียวกัน"]
    assert diff.removed_words == ["รับ"]


def test_whole_words_are_marked_never_parts_of_a_word():
    # A character diff would mark only "สอบ"; a word diff replaces the word ตรวจ by ตรวจสอบ.
    diff = diff_words("เจ้าหน้าที่ตรวจเอกสาร", "เจ้าหน้าที่ตรวจสอบเอกสาร")
    assert _marked(diff.inline_html, "del") == ["ตรวจ"]
    assert _marked(diff.inline_html, "ins") == ["ตรวจสอบ"]
    diff = diff_words("เสนอหัวหน้าฝ่ายพิจารณา", "เสนอผู้อำนวยการกองพิจารณา")
    assert _marked(diff.inline_html, "del") == ["หัวหน้าฝ่าย"]
    assert _marked(diff.inline_html, "ins") == ["ผู้อำนวยการกอง"]
    diff = diff_words("ส่งให้ผู้อำนวยการกองลงนาม", "ส่งให้ผู้อำนวยการกองลงนามภายใน ๑ วัน")
    assert _marked(diff.inline_html, "ins") == ["ภายใน ๑ วัน"]
    assert _marked(diff.inline_html, "del") == []


def test_word_tokens_keep_spaces_and_join_back():
    text = "ระเบียบสำนักนายกรัฐมนตรี ว่าด้วยงานสารบรรณ พ.ศ. ๒๕๒๖"
    assert "".join(word_tokens(text)) == text


def test_user_text_is_escaped():
    diff = diff_words("<b>เดิม</b>", '<script>alert("x")</script>ใหม่')
    html = str(diff.inline_html)
    assert "<script>" not in html and "<b>" not in html
    assert "&lt;script&gt;" in html


@pytest.fixture
def pair(draft):
    """The draft published as 2564, and a 2567 revision of it with known changes."""
    old = edition_publish(edition=draft, on=datetime.date(2021, 8, 25))
    new = edition_start_revision(manual=old.manual, year_be=2567)
    process = new.processes.get()
    first, second = process.steps.order_by("position")
    # 1. a changed sentence
    first.detail = "เจ้าหน้าที่ตรวจสอบหนังสือและลงทะเบียนรับ"
    # 2. a moved step (swap the two)
    first.position = 10
    first.save()
    second.position = 1
    second.save()
    first.position = 2
    first.save()
    # 3. an added step and a new lane on it
    lane = LaneFactory(edition=new, name="ผู้อำนวยการกอง")
    StepFactory(process=process, position=3, lane=lane, detail="ผู้อำนวยการกองลงนาม")
    # 4. a renamed process
    process.name = "การรับและลงทะเบียนหนังสือ"
    process.save()
    return old, new


def test_compare_finds_added_removed_moved_changed(pair):
    old, new = pair
    comparison = edition_compare(old=old, new=new)
    steps = next(s for s in comparison.sections if s.key == "step")
    kinds = sorted((r.kind, r.moved, bool(r.fields)) for r in steps.rows)
    # The two original steps swapped: one of them is "moved" (the other stays in LCS order);
    # one changed its text; one was added.
    assert ("added", False, False) in kinds
    changed = [r for r in steps.rows if r.fields]
    assert len(changed) == 1
    field = changed[0].fields[0]
    assert field.name == "detail"
    assert _marked(field.words.inline_html, "del") == ["รับ"]
    assert _marked(field.words.inline_html, "ins") == ["ตรวจสอบ"]
    assert sum(r.moved for r in steps.rows) == 1
    processes = next(s for s in comparison.sections if s.key == "process")
    assert [f.name for f in processes.rows[0].fields] == ["name"]
    lanes = next(s for s in comparison.sections if s.key == "lane")
    assert [r.kind for r in lanes.rows] == ["added"]
    totals = comparison.totals
    assert totals["added"] == 2 and totals["removed"] == 0 and totals["moved"] == 1


def test_compare_removed_rows_and_identical_editions(pair):
    old, new = pair
    assert not edition_compare(old=old, new=old).has_changes
    comparison = edition_compare(old=new, new=old)  # backwards: the added step is removed
    steps = next(s for s in comparison.sections if s.key == "step")
    removed = [r.label for r in steps.rows if r.kind == "removed"]
    assert len(removed) == 1
    assert removed[0].endswith(
        "· ขั้นตอนที่ ๓ " + thai_digits(Step.objects.get(process__edition=new, position=3).label)
    )


def test_compare_step_moved_to_another_process(draft):
    from tests.factories import ProcessFactory

    old = edition_publish(edition=draft, on=datetime.date(2021, 8, 25))
    ProcessFactory  # noqa: B018 - (factory used below on the new edition)
    new = edition_start_revision(manual=old.manual, year_be=2567)
    source = new.processes.get()
    target = ProcessFactory(mission=source.mission, edition=new, name="กระบวนการใหม่")
    step = source.steps.get(position=2)
    step.process = target
    step.position = 1
    step.save()
    comparison = edition_compare(old=old, new=new)
    steps = next(s for s in comparison.sections if s.key == "step")
    moved = [r for r in steps.rows if r.moved]
    assert len(moved) == 1
    assert "การรับหนังสือ" in moved[0].moved_from
    assert "กระบวนการใหม่" in moved[0].moved_to


def test_compare_views_and_pdf(client, pair, people, tmp_path):
    old, new = pair
    client.force_login(people["reviewer"])
    response = client.get(f"/review/edition/{new.pk}/compare/")
    assert response.status_code == 200
    html = response.content.decode()
    assert '<del class="diff-del">รับ</del>' in html
    assert '<ins class="diff-ins">ตรวจสอบ</ins>' in html
    summary = client.get(f"/review/edition/{new.pk}/compare/?base={old.pk}&view=summary")
    assert "สรุปการเปลี่ยนแปลง" in summary.content.decode()
    pdf = client.get(f"/review/edition/{new.pk}/compare.pdf?base={old.pk}")
    assert pdf.status_code == 200
    assert pdf["Content-Type"] == "application/pdf"
    assert pdf.content.startswith(b"%PDF")
    path = tmp_path / "summary.pdf"
    path.write_bytes(pdf.content)
    fonts = subprocess.run(["pdffonts", str(path)], capture_output=True, text=True).stdout
    assert "Sarabun" in fonts  # the Thai font is embedded: no empty boxes
    text = subprocess.run(["pdftotext", str(path), "-"], capture_output=True, text=True).stdout
    # (pdftotext reorders some Thai marks, so check words without them)
    assert "คู่มือการปฏิบัติงาน" in text
    assert "ตรวจสอบ" in text


def test_compare_refuses_an_edition_of_another_manual(client, pair, people):
    from tests.factories import EditionFactory

    _old, new = pair
    stranger = EditionFactory()
    client.force_login(people["reviewer"])
    assert client.get(f"/review/edition/{new.pk}/compare/?base={stranger.pk}").status_code == 404
