"""Lines break between words only: the manual's vocabulary kept whole (printing.wordbreak)."""

from __future__ import annotations

import re

from printing.pagelabels import PageLabels, label
from printing.wordbreak import ZWSP, Vocabulary, breaks_inside, fold_line

VOCAB = Vocabulary.from_entries(["กองนโยบายและแผนงาน", "สำนักพัฒนาสังคม", "จพง.ธุรการ"])


def _plain(html: str) -> str:
    return re.sub(r"<[^>]+>", "", html).replace(ZWSP, "")


def test_common_and_manual_words_are_wrapped_whole_with_breaks_allowed_around():
    html = VOCAB.protect_html("<p>การดำเนินการของกรุงเทพมหานครและภาครัฐ</p>")
    assert '<span class="nw">ดำเนินการ</span>' in html
    assert '<span class="nw">กรุงเทพมหานคร</span>' in html
    assert '<span class="nw">ภาครัฐ</span>' in html
    # a zero-width space where a word touches other Thai letters, so a line may break there
    assert f"การ{ZWSP}<span" in html and f"</span>{ZWSP}ของ" in html
    assert _plain(html) == "การดำเนินการของกรุงเทพมหานครและภาครัฐ"


def test_a_word_wider_than_its_column_is_kept_whole_segment_by_segment():
    wide = VOCAB.protect_html("<p>สำนักพัฒนาสังคม</p>")
    assert '<span class="nw">สำนักพัฒนาสังคม</span>' in wide
    narrow = VOCAB.protect_html('<table><tr><td data-em="4">สำนักพัฒนาสังคม</td></tr></table>')
    assert '<span class="nw">สำนักพัฒนาสังคม</span>' not in narrow
    assert ZWSP in narrow and _plain(narrow) == "สำนักพัฒนาสังคม"
    assert VOCAB.units["สำนักพัฒนาสังคม"] == ("สำนัก", "พัฒนาสังคม")  # a common word


def test_tags_attributes_svg_and_style_are_left_alone():
    html = (
        '<div title="กรุงเทพมหานคร"><style>p::before{content:"ภาครัฐ"}</style>'
        "<svg><text>ภาครัฐ</text></svg>ภาครัฐ</div>"
    )
    out = VOCAB.protect_html(html)
    assert out.startswith('<div title="กรุงเทพมหานคร"><style>p::before{content:"ภาครัฐ"}</style>')
    assert "<svg><text>ภาครัฐ</text></svg>" in out
    assert out.endswith('<span class="nw">ภาครัฐ</span></div>')


def test_a_word_is_never_cut_from_its_vowels_and_marks():
    # "ภาครัฐ" is not a unit at the start of "เภาครัฐ" (เ belongs to the first letter)
    assert "nw" not in VOCAB.protect_text("เภาครัฐ")
    # nor before a following vowel or mark
    assert "nw" not in VOCAB.protect_text("จัดซื้อะ")


def test_the_check_finds_a_line_ending_inside_a_word_and_nothing_else():
    lines = ["งานของกรุงเทพมหา", "นครและภาค", "รัฐ ทุกแห่ง", "ดำเนินการ", "ของสำนัก"]
    found = breaks_inside(lines, VOCAB)
    assert found == [(0, "กรุงเทพมหา|นคร"), (1, "ภาค|รัฐ")]
    # a word wider than the narrowest column may break between its halves only
    assert VOCAB.cuts("กรุงเทพมหานคร") == {len("กรุงเทพ")}
    assert not breaks_inside(["กรุงเทพ", "มหานคร"], VOCAB)
    assert breaks_inside(["ผู้อำนวย", "การ"], VOCAB) == [(0, "ผู้อำนวย|การ")]


def test_margin_box_texts_fold_between_words():
    text = "การจัดทำแผนปฏิบัติราชการประจำปีของสำนักพัฒนาสังคม กองนโยบายและแผนงาน"
    folded = VOCAB.fold(text, 12, max_lines=9)
    lines = folded.split("\n")
    assert len(lines) > 1 and "".join(lines).replace(" ", "") == text.replace(" ", "")
    assert not breaks_inside(lines, Vocabulary.from_entries([]))
    assert fold_line("กองนโยบายและแผนงาน สำนักพัฒนาสังคม · ฉบับปรับปรุง พ.ศ. ๒๕๖๔", 12) == (
        "กองนโยบายและแผนงาน\nสำนักพัฒนาสังคม ·\nฉบับปรับปรุง พ.ศ. ๒๕๖๔"
    )


def test_a_name_too_long_for_the_page_head_keeps_its_number_and_ends_with_an_ellipsis():
    # the head is aligned to the bottom of the margin: a third line would push the first,
    # "ตารางที่ ๕ ๔.๑.๔.๑ …", off the page (page 262 of the demo once)
    text = (
        "๔.๑.๔.๑ กระบวนการพัฒนาระบบ ICT : กระบวนการย่อยการส่งเสริมและสนับสนุนการใช้ระบบ"
        " ICT : การส่งเสริมวัฒนธรรมการใช้ ICT"
    )
    lines = VOCAB.fold(text, 28).split("\n")
    assert len(lines) == 2
    assert lines[0].startswith("๔.๑.๔.๑ กระบวนการ")
    assert lines[1].endswith(" …") and text.replace(" ", "").startswith(
        "".join(lines)[:-1].replace(" ", "")
    )
    assert not breaks_inside(lines, VOCAB)
    assert VOCAB.fold("๑.๑ การรับหนังสือ", 28) == "๑.๑ การรับหนังสือ"


def test_page_labels_number_the_front_matter_on_its_own():
    labels = PageLabels()
    assert labels.add({"part-cover": 0, "part-preface": 1}, 2) == ["", "ก"]
    assert labels.add({"part-toc": 0}, 1) == ["ข"]
    assert labels.add({"part-summary": 0, "part-objectives": 2, "part-table1": 3}, 5) == [
        "-๑-",
        "-๒-",
        "-๓-",
        "๑",
        "๒",
    ]
    assert labels.add({}, 1) == ["๓"]
    assert labels.of_page(4) == "-๑-" and labels.of_page(9) == "๓"
    assert label("letter", 42) == "ฮ" and label("letter", 43) == "กก"  # no ฃ, ฅ


def test_a_long_run_of_text_is_given_in_pieces_cut_at_spaces():
    # WeasyPrint lays out a text box's remaining text again for every line: one box of
    # 10,000 letters took minutes, boxes of a few lines take as long as their letters
    text = "การดำเนินการของกรุงเทพมหานคร ผู้อำนวยการ ประกาศ " * 60
    html = VOCAB.protect_html(f'<table><tr><td data-em="20">{text}</td></tr></table>')
    pieces = re.findall(r"<span>(.*?)</span>(?=<span>|</td>)", html)
    assert len(pieces) > 10
    assert all(len(_plain(piece)) < 250 for piece in pieces)
    assert all(piece.endswith(" ") for piece in pieces[:-1])  # cut at spaces only
    assert _plain(html) == f"{text}"
    assert '<span class="nw">กรุงเทพมหานคร</span>' in html
    short = VOCAB.protect_html("<p>การดำเนินการ</p>")
    assert "<span>" not in short
