import pytest

from manuals.legal import legal_search_text, normalise_title, split_citation


@pytest.mark.parametrize(
    "spelling",
    [
        "ระเบียบสำนักนายกรัฐมนตรีว่าด้วยงานสารบรรณ พ.ศ. ๒๕๒๖ และที่แก้ไขเพิ่มเติม",
        "- ระเบียบสำนักนายกรัฐมนตรี ว่าด้วยงานสารบรรณ พ.ศ.2526",
        "ระเบียบสำนักนายกรัฐมนตรีว่าด้วยงานสารบรรณ (และที่แก้ไขเพิ่มเติม)",
    ],
)
def test_spellings_of_one_law_share_a_key(spelling):
    assert normalise_title(spelling) == normalise_title("ระเบียบสำนักนายกรัฐมนตรีว่าด้วยงานสารบรรณ")


def test_different_laws_have_different_keys():
    assert normalise_title("ระเบียบกรุงเทพมหานครว่าด้วยงานสารบรรณ") != normalise_title(
        "ระเบียบสำนักนายกรัฐมนตรีว่าด้วยงานสารบรรณ"
    )


def test_split_citation():
    title, year, note = split_citation(
        "- ระเบียบสำนักนายกรัฐมนตรีว่าด้วยงานสารบรรณ พ.ศ. ๒๕๒๖ และที่แก้ไขเพิ่มเติม"
    )
    assert (title, year, note) == (
        "ระเบียบสำนักนายกรัฐมนตรีว่าด้วยงานสารบรรณ",
        2526,
        "และที่แก้ไขเพิ่มเติม",
    )
    assert split_citation("คำสั่งกรุงเทพมหานคร ที่ ๒๗๑๘/๒๕๖๐") == (
        "คำสั่งกรุงเทพมหานคร ที่ 2718/2560",
        None,
        "",
    )


def test_search_text_holds_words_of_every_spelling():
    text = legal_search_text("ระเบียบกระทรวงการคลังว่าด้วยการจัดซื้อจัดจ้าง", ["ระเบียบ กค. พัสดุ"])
    words = text.split()
    assert "ว่าด้วย" in words and "พัสดุ" in words
