"""The English interface: Thai is the default, English comes from locale/en (``.po`` and ``.mo``),
and the official documents (the printed manual, the change summary) stay Thai in either language.

After changing a visible string: ``manage.py makemessages -l en``, translate the new entries,
``manage.py compilemessages``, and commit both files (see README, "Languages").
"""

from __future__ import annotations

import ast
import datetime
import gettext
import re
from pathlib import Path

import pytest
from django.conf import settings
from django.urls import reverse
from django.utils import translation

from manuals.models import Edition, Membership
from tests.factories import (
    EditionFactory,
    IndicatorFactory,
    LaneFactory,
    ManualFactory,
    MembershipFactory,
    ProcessFactory,
    StakeholderFactory,
    StepFactory,
    UserFactory,
)

LOCALE = Path(settings.BASE_DIR) / "locale" / "en" / "LC_MESSAGES"
PO_FILE = LOCALE / "django.po"
MO_FILE = LOCALE / "django.mo"
THAI = re.compile(r"[\u0E00-\u0E7F]")
# %(name)s, %(n)d, %s, {name}
PLACEHOLDER = re.compile(r"%\([^)]+\)[sdfi]|%[sdfi]|\{\w*\}")


# ----------------------------------------------------------------------------- the .po file


def _unquote(text: str) -> str:
    return ast.literal_eval(text)


def parse_po(path: Path) -> list[dict]:
    """The entries of a .po file: msgctxt, msgid, msgid_plural, msgstr (a list: one per plural
    form) and flags. Obsolete entries (``#~``) are left out, as msgfmt leaves them out."""
    entries: list[dict] = []
    entry: dict | None = None
    key = None

    def new_entry() -> dict:
        return {"msgctxt": None, "msgid": "", "msgid_plural": None, "msgstr": {}, "flags": set()}

    for raw in path.read_text(encoding="utf-8").splitlines():
        line = raw.strip()
        if not line:
            if entry is not None:
                entries.append(entry)
            entry, key = None, None
            continue
        if line.startswith("#~"):
            continue
        if entry is None:
            entry = new_entry()
        if line.startswith("#,"):
            entry["flags"].update(flag.strip() for flag in line[2:].split(","))
            continue
        if line.startswith("#"):
            continue
        match = re.match(r"(msgctxt|msgid_plural|msgid|msgstr(?:\[(\d+)\])?)\s+(\".*\")$", line)
        if match:
            word, index, text = match.groups()
            if word.startswith("msgstr"):
                key = ("msgstr", int(index or 0))
                entry["msgstr"][key[1]] = _unquote(text)
            else:
                key = (word, None)
                entry[word] = _unquote(text)
        elif line.startswith('"') and key is not None:
            if key[0] == "msgstr":
                entry["msgstr"][key[1]] += _unquote(line)
            else:
                entry[key[0]] += _unquote(line)
        else:
            raise AssertionError(f"unexpected line in {path.name}: {raw!r}")
    if entry is not None:
        entries.append(entry)
    return entries


@pytest.fixture(scope="module")
def po_entries() -> list[dict]:
    assert PO_FILE.exists(), "locale/en/LC_MESSAGES/django.po is missing: manage.py makemessages"
    return parse_po(PO_FILE)


def _messages(entries):
    """The entries other than the header."""
    return [e for e in entries if e["msgid"]]


def test_po_has_a_header_and_hundreds_of_messages(po_entries):
    header = next(e for e in po_entries if e["msgid"] == "")
    assert "charset=UTF-8" in header["msgstr"][0]
    assert "Language: en" in header["msgstr"][0]
    assert "fuzzy" not in header["flags"]  # msgfmt would drop a fuzzy header, and its charset
    assert len(_messages(po_entries)) > 400


def test_every_message_is_translated_and_none_is_fuzzy(po_entries):
    untranslated = [
        e["msgid"]
        for e in _messages(po_entries)
        if not all(s.strip() for s in e["msgstr"].values())
    ]
    fuzzy = [e["msgid"] for e in _messages(po_entries) if "fuzzy" in e["flags"]]
    assert not untranslated, f"untranslated in django.po: {untranslated[:10]}"
    assert not fuzzy, f"fuzzy (check, then remove the flag): {fuzzy[:10]}"


def test_plural_messages_have_both_english_forms(po_entries):
    plurals = [e for e in _messages(po_entries) if e["msgid_plural"]]
    for e in plurals:
        assert sorted(e["msgstr"]) == [0, 1], e["msgid"]


def test_translations_keep_the_placeholders(po_entries):
    wrong = []
    for e in _messages(po_entries):
        wanted = sorted(PLACEHOLDER.findall(e["msgid"]))
        for text in e["msgstr"].values():
            if sorted(PLACEHOLDER.findall(text)) != wanted:
                wrong.append((e["msgid"], text))
    assert not wrong, wrong[:5]


# Hints that show what to type (a Thai duration, a Thai law title) keep their Thai examples, and
# process numbers are shown in Thai digits in either language.
THAI_ALLOWED = ("e.g. ", "Type a few words, e.g. ", "Process structure (numbers ๑.๑")


def test_english_has_no_thai_except_examples_of_thai_input(po_entries):
    with_thai = [
        text
        for e in _messages(po_entries)
        for text in e["msgstr"].values()
        if THAI.search(text) and not text.startswith(THAI_ALLOWED)
    ]
    assert not with_thai, with_thai[:5]


def test_the_mo_file_holds_every_translation_of_the_po(po_entries):
    """The .mo is what Django reads (no gettext needed at runtime); this fails when someone edits
    the .po and forgets ``manage.py compilemessages``."""
    assert MO_FILE.exists(), "locale/en/LC_MESSAGES/django.mo is missing: compilemessages"
    with MO_FILE.open("rb") as handle:
        catalog = gettext.GNUTranslations(handle)
    stale = []
    for e in _messages(po_entries):
        if e["msgid_plural"]:
            got = [catalog.ngettext(e["msgid"], e["msgid_plural"], n) for n in (1, 2)]
            want = [e["msgstr"][0], e["msgstr"][1]]
        elif e["msgctxt"] is not None:
            got, want = catalog.pgettext(e["msgctxt"], e["msgid"]), e["msgstr"][0]
        else:
            got, want = catalog.gettext(e["msgid"]), e["msgstr"][0]
        if got != want:
            stale.append(e["msgid"])
    assert not stale, f"django.mo is older than django.po (compilemessages): {stale[:5]}"


_TEMPLATE_STRING = re.compile(r"""\{%\s*translate\s+(["'])(.+?)\1(?:\s+context\s+(["'])(.+?)\3)?""")
_PYTHON_STRING = re.compile(r"""(?<![\w.])(?:_|gettext|gettext_lazy)\(\s*"([^"\\\n]+)"\s*[,)]""")
_SOURCE_DIRS = (
    "config",
    "core",
    "demo",
    "flowcharts",
    "interop",
    "manuals",
    "printing",
    "processes",
    "reviews",
    "search",
    "rounds",
    "imports",
)


def test_every_marked_string_in_the_source_is_in_the_po(po_entries):
    """A simple scan of ``{% translate "…" %}`` and ``_("…")``: a new string that is not in the
    .po means ``makemessages -l en`` (and a translation) was forgotten."""
    known = {(e["msgctxt"], e["msgid"]) for e in _messages(po_entries)}
    base = Path(settings.BASE_DIR)
    missing = set()
    files = [base / "templates"] + [base / name for name in _SOURCE_DIRS]
    for folder in files:
        for path in folder.rglob("*"):
            if "migrations" in path.parts or path.suffix not in (".html", ".py", ".txt"):
                continue
            text = path.read_text(encoding="utf-8")
            if path.suffix == ".py":
                found = {(None, m) for m in _PYTHON_STRING.findall(text)}
            else:
                found = {(m[3] or None, m[1]) for m in _TEMPLATE_STRING.findall(text)}
            missing |= {
                (str(path.relative_to(base)), s) for ctx, s in found if (ctx, s) not in known
            }
    assert not missing, f"marked but not in django.po (makemessages -l en): {sorted(missing)[:8]}"


# ----------------------------------------------------------------------------- the screens


@pytest.fixture
def editor_client(client, db):
    """An editor of a unit whose manual has a published edition and an open draft."""
    user = UserFactory(username="i18n-editor")
    manual = ManualFactory(agency__name="กองทดสอบภาษา")
    MembershipFactory(user=user, agency=manual.agency, role=Membership.Role.EDITOR)
    EditionFactory(
        manual=manual,
        year_be=2564,
        status=Edition.Status.PUBLISHED,
        published_on=datetime.date(2021, 8, 25),
    )
    draft = EditionFactory(manual=manual, year_be=2567)
    process = ProcessFactory(mission__edition=draft, name="การรับหนังสือ")
    StepFactory(process=process, position=1, lane=LaneFactory(edition=draft))
    client.force_login(user)
    client.draft = draft
    return client


def _navbar(html: str) -> str:
    nav = re.search(r"<nav\b.*?</nav>", html, re.S).group(0)
    # The language switch names each language in itself ("ภาษาไทย" / "English"), and the user's
    # name is data: neither is chrome to translate.
    nav = re.sub(r'<button[^>]*name="language".*?</button>', "", nav, flags=re.S)
    return nav


def _set_language(client, code: str):
    response = client.post(reverse("set_language"), {"language": code, "next": "/"})
    assert response.status_code == 302


def test_thai_is_the_default(editor_client):
    html = editor_client.get(reverse("manuals:home")).content.decode()
    assert '<html lang="th">' in html
    assert "คู่มือการปฏิบัติงานของฉัน" in html
    assert "ฉบับที่เผยแพร่ล่าสุด" in html
    assert 'value="en">English</button>' in html


def test_english_home_page_after_choosing_english(editor_client):
    _set_language(editor_client, "en")
    html = editor_client.get(reverse("manuals:home")).content.decode()
    assert '<html lang="en">' in html
    assert "<title>My manuals · Bangkok Metropolitan Administration</title>" in html
    assert "My work manuals" in html
    for header in ("Agency / manual", "Edition in progress", "Latest published edition"):
        assert f"<th>{header}</th>" in html
    assert "Open draft to edit" in html
    assert "Draft" in html  # the status badge (a model choice)
    navbar = _navbar(html)
    assert "BMA Work Manuals" in navbar and "Sign out" in navbar
    assert not THAI.search(navbar), THAI.findall(navbar)
    assert 'value="th">ภาษาไทย</button>' in html
    thead = re.search(r"<thead>.*?</thead>", html, re.S).group(0)
    assert not THAI.search(thead)
    # The content stays as written: the unit's name is Thai in either language.
    assert "กองทดสอบภาษา" in html


def test_english_edition_overview(editor_client):
    _set_language(editor_client, "en")
    html = editor_client.get(editor_client.draft.get_absolute_url()).content.decode()
    for text in ("Front matter", "Tables 1–5 by process", "Back matter", "Completeness"):
        assert text in html
    assert not THAI.search(_navbar(html))


def test_back_to_thai(editor_client):
    _set_language(editor_client, "en")
    assert "My work manuals" in editor_client.get("/").content.decode()
    _set_language(editor_client, "th")
    html = editor_client.get("/").content.decode()
    assert "คู่มือการปฏิบัติงานของฉัน" in html and "My work manuals" not in html


# ----------------------------------------------------------------------------- official documents


@pytest.fixture
def small_edition(db):
    edition = EditionFactory()
    process = ProcessFactory(mission__edition=edition, name="การรับหนังสือ")
    StakeholderFactory(process=process)
    IndicatorFactory(process=process)
    StepFactory(process=process, position=1, lane=LaneFactory(edition=edition))
    return edition


def test_the_printed_manual_is_thai_in_either_language(small_edition):
    from printing.builder import manual_html

    with translation.override("en"):
        english_ui = manual_html(small_edition.pk)
    with translation.override("th"):
        thai_ui = manual_html(small_edition.pk)
    assert english_ui == thai_ui
    assert "ผู้รับบริการ" in thai_ui  # the stakeholder kind (a model choice)


def test_the_change_summary_pdf_is_thai_in_either_language(small_edition, monkeypatch):
    from manuals.services import edition_publish, edition_start_revision
    from reviews import pdf
    from reviews.compare import edition_compare

    old = edition_publish(edition=small_edition, on=datetime.date(2021, 8, 25))
    new = edition_start_revision(manual=old.manual, year_be=2567)
    StepFactory(process=new.processes.get(), position=2, detail="ผู้อำนวยการกองลงนาม")
    rendered = []
    original = pdf.render_to_string

    def keep(*args, **kwargs):
        rendered.append(original(*args, **kwargs))
        return rendered[-1]

    monkeypatch.setattr(pdf, "render_to_string", keep)
    with translation.override("en"):
        comparison = edition_compare(old=old, new=new)
        assert any(r.kind_label == "Added" for s in comparison.sections for r in s.rows)
        data = pdf.change_summary_pdf(comparison=comparison)
        assert translation.get_language() == "en"
    assert data.startswith(b"%PDF")
    html = rendered[0]
    assert "สรุปการเปลี่ยนแปลง" in html and "[เพิ่มใหม่]" in html and "ขั้นตอนที่" in html
    assert "Summary of changes" not in html and "Added" not in html and "Step" not in html


def test_an_english_browser_still_gets_thai_until_the_user_picks_english(client):
    response = client.get("/accounts/login/", HTTP_ACCEPT_LANGUAGE="en-US,en;q=0.9")
    assert 'lang="th"' in response.content.decode()
