"""Importing in a real browser: upload a small Word file, read the report, open the editor,
paste a table copied from Word (a synthetic paste event with text/html), remove an unplaced
text. Screenshots at 1366 px and 390 px go to var/screenshots/import-*.png."""

from __future__ import annotations

from imports.models import ImportRun, UnplacedText
from manuals.models import Membership
from processes.models import Process, Step
from tests.browser.conftest import screenshot
from tests.imports.clipboard import ROWS, tsv, word_html
from tests.imports.sources import PROCESS_TITLE, manual_docx

PASTE = """
([html, text]) => {
  const box = document.querySelector('#paste-text');
  box.focus();
  const data = new DataTransfer();
  data.setData('text/html', html);
  data.setData('text/plain', text);
  const init = {clipboardData: data, bubbles: true, cancelable: true};
  box.dispatchEvent(new ClipboardEvent('paste', init));
}
"""


def _settled(page):
    page.wait_for_function(
        "!document.querySelector('.htmx-request, .htmx-swapping, .htmx-settling, .htmx-added')"
    )
    page.wait_for_timeout(50)


def test_upload_a_word_file_read_the_report_and_paste_a_table(login, demo_site, tmp_path):
    page = login("editor")
    page.click("[data-role=import-manual]")
    page.wait_for_selector("form.import-form")
    screenshot(page, "import-upload")

    source = tmp_path / "คู่มือกองทดสอบ.docx"
    source.write_bytes(manual_docx())
    agency = Membership.objects.get(user__username="editor").agency
    page.set_input_files("input[name=file]", str(source))
    page.select_option("select[name=target]", f"agency:{agency.pk}")
    page.click("form.import-form button[type=submit]")
    page.wait_for_selector("#report-processes")
    run = ImportRun.objects.get()
    assert run.status == ImportRun.Status.DONE, run.error
    assert "นำเข้าเสร็จแล้ว" in page.content()
    screenshot(page, "import-report")
    page.set_viewport_size({"width": 390, "height": 844})
    screenshot(page, "import-report-390")
    page.set_viewport_size({"width": 1366, "height": 768})

    # the report links each process to its editor
    sub = Process.objects.get(edition=run.edition, name=PROCESS_TITLE.split(" ", 1)[1])
    page.click(f"#report-processes a[href='/processes/{sub.pk}/']")
    page.wait_for_selector("#step-table")
    before = Step.objects.filter(process=sub).count()

    # paste a table copied from Word
    page.click("[data-paste-open]")
    page.wait_for_selector("#paste-modal.show #paste-text")
    page.evaluate(PASTE, [word_html(ROWS), tsv(ROWS)])
    page.wait_for_selector("#paste-preview table")
    _settled(page)
    chosen = page.eval_on_selector_all("#paste-preview select", "els => els.map(e => e.value)")
    assert chosen == ["", "label", "detail", "lane", "duration_text", "forms"]
    screenshot(page, "import-paste-preview")
    # the user leaves the forms column out, the preview follows
    page.select_option("#paste-col-5", "")
    page.wait_for_selector(
        "#paste-col-5 >> xpath=ancestor::th[contains(@class,'paste-col-ignored')]"
    )
    _settled(page)
    page.click("#paste-add")
    page.wait_for_selector("[data-role=paste-done]")
    assert "เพิ่ม ๓ ขั้นตอน" in page.inner_text("[data-role=paste-done]")
    page.wait_for_function(
        f"document.querySelectorAll('#step-tbody tr.step-row').length === {before + 3}"
    )
    steps = list(Step.objects.filter(process=sub).order_by("position"))
    assert len(steps) == before + 3
    assert steps[-1].detail == "พิจารณาสั่งการ"
    assert not steps[-2].forms.exists()
    page.click("[data-role=paste-done] [data-bs-dismiss=modal]")
    page.wait_for_selector("#paste-modal", state="hidden")
    assert "พิจารณาสั่งการ" in page.inner_text("#step-table")
    screenshot(page, "import-editor-after-paste")
    page.set_viewport_size({"width": 390, "height": 844})
    page.click("[data-paste-open]")
    page.wait_for_selector("#paste-modal.show #paste-text")
    page.evaluate(PASTE, ["", tsv(ROWS)])
    page.wait_for_selector("#paste-preview table")
    _settled(page)
    # the modal fills the small screen: the viewport is what the clerk sees
    page.screenshot(path="var/screenshots/import-paste-preview-390.png")


def test_unplaced_text_is_removed_from_the_overview(login, demo_site):
    from manuals.models import Manual

    draft = Manual.objects.get(slug="kpp-spsc").editions.open().get()
    process = Process.objects.filter(edition=draft).order_by("mission__position", "position")[0]
    item = UnplacedText.objects.create(
        edition=draft,
        process=process,
        text="หมายเหตุ: ข้อความท้ายตารางที่ระบบจัดลงช่องไม่ได้",
        source_location="หน้า 12 บรรทัด 3",
        position=1,
    )
    UnplacedText.objects.create(edition=draft, text="ข้อความนอกตาราง", position=2)
    page = login("editor")
    page.goto(f"{demo_site.url}/editions/{draft.pk}/")
    page.wait_for_selector("#unplaced")
    assert "หน้า ๑๒ บรรทัด ๓" in page.inner_text("#unplaced")
    screenshot(page, "import-overview-unplaced")
    page.on("dialog", lambda dialog: dialog.accept())
    page.click(f"#unplaced-{item.pk} button.btn-outline-danger")
    page.wait_for_selector(f"#unplaced-{item.pk}", state="detached")
    page.wait_for_function("document.querySelector('#unplaced .badge').textContent.trim() === '๑'")
    assert not UnplacedText.objects.filter(pk=item.pk).exists()
    page.goto(f"{demo_site.url}/processes/{process.pk}/")
    assert "หมายเหตุ: ข้อความท้าย" not in page.content()
