"""The printed page numbers, numbered as the official manuals are.

Seed 000 (and the BMA manuals like it) numbers its front matter on its own: the contents list
บทสรุปสำหรับผู้บริหาร at -๑-, ความเป็นมาและความสำคัญ at -๙-, and the body starts again at ๑
with ตารางที่ ๑. Here:

* the cover has no number;
* คำนำ and สารบัญ are numbered with Thai letters: ก, ข, ค … (they are not in the contents);
* the front matter (บทสรุปสำหรับผู้บริหาร … โครงสร้าง อัตรากำลัง และอำนาจหน้าที่) -๑-, -๒- …;
* the body, from ตารางที่ ๑ to the back matter, ๑, ๒, ๓ ….

``PageLabels.add(anchors, page_count)`` is called for each laid-out piece in print order and
gives the label of each of its pages (a piece's parts start where its ``part-…`` anchors say).
"""

from __future__ import annotations

from core.thai import thai_digits

UNNUMBERED = frozenset({"cover"})
LETTERED = frozenset({"preface", "toc"})
FRONT = frozenset({"summary", "background", "objectives", "structure"})
# Thai letters as the manuals count pages with them (ฃ and ฅ are obsolete and skipped).
THAI_LETTERS = "กขคฆงจฉชซฌญฎฏฐฑฒณดตถทธนบปผฝพฟภมยรลวศษสหฬอฮ"
# As wide as any label: the contents are laid out with it first, and keep their page count.
PLACEHOLDER = "-๘๘๘-"


def kind_of(key: str) -> str:
    if key in UNNUMBERED:
        return "none"
    if key in LETTERED:
        return "letter"
    if key in FRONT:
        return "front"
    return "body"


def label(kind: str, number: int) -> str:
    """The printed label of the ``number``-th page (from 1) of its kind."""
    if kind == "none":
        return ""
    if kind == "letter":
        letters = len(THAI_LETTERS)
        text = ""
        while number > 0:
            number, rest = divmod(number - 1, letters)
            text = THAI_LETTERS[rest] + text
        return text
    if kind == "front":
        return f"-{thai_digits(str(number))}-"
    return thai_digits(str(number))


class PageLabels:
    """Labels for the pages of the pieces, added in print order."""

    def __init__(self) -> None:
        self.kind = "none"
        self.counts: dict[str, int] = {}
        self.labels: list[str] = []

    def add(self, anchors: dict[str, int], page_count: int) -> list[str]:
        starts = {index: name.removeprefix("part-") for name, index in anchors.items()}
        out = []
        for index in range(page_count):
            if index in starts:
                self.kind = kind_of(starts[index])
            self.counts[self.kind] = self.counts.get(self.kind, 0) + 1
            out.append(label(self.kind, self.counts[self.kind]))
        self.labels.extend(out)
        return out

    def of_page(self, page: int) -> str:
        """The label of the 1-based ``page`` of the document."""
        return self.labels[page - 1]
