"""The editor in a real browser: the demo manual's draft, edited in place, kept after reload."""

from __future__ import annotations

from core.thai import thai_digits
from manuals.models import Manual
from processes.models import Flow, LegalRequirement, Process, Step
from processes.numbering import step_numbers
from tests.browser.conftest import screenshot
from tests.factories import AgencyFactory, EditionFactory, ManualFactory


def _draft_process():
    manual = Manual.objects.get(slug="kpp-spsc")
    draft = manual.editions.open().get()
    process = (
        Process.objects.filter(edition=draft, parent__isnull=True)
        .order_by("mission__position", "position")
        .first()
    )
    return draft, process


def _settled(page):
    """Wait until htmx has processed swapped-in content (its triggers are bound after settle)."""
    page.wait_for_function(
        "!document.querySelector('.htmx-request, .htmx-swapping, .htmx-settling, .htmx-added')"
    )
    page.wait_for_timeout(50)


def test_editor_edits_steps_in_place_and_everything_is_kept(login, demo_site):
    page = login("editor")
    screenshot(page, "home")
    page.get_by_text("เปิดฉบับร่างเพื่อแก้ไข").first.click()
    page.wait_for_selector(".health-panel")
    screenshot(page, "overview")

    draft, process = _draft_process()
    page.goto(f"{demo_site.url}/processes/{process.pk}/")
    page.wait_for_selector("#step-table")
    screenshot(page, "process-editor")
    steps = list(Step.objects.filter(process=process).order_by("position"))
    first, second, last = steps[0], steps[1], steps[-1]

    # 1. Change a step's duration.
    page.click(f"#step-{second.pk} .js-edit")
    page.wait_for_selector(f"#step-{second.pk}.step-edit input[name=duration_text]")
    _settled(page)
    page.fill(f"#step-{second.pk} input[name=duration_text]", "๓ วันทำการ")
    page.wait_for_selector(f"#step-{second.pk} .duration-hint .duration-parsed")
    page.screenshot(path="var/screenshots/step-form.png")
    page.press(f"#step-{second.pk} input[name=duration_text]", "Enter")
    page.wait_for_selector(f"#step-{second.pk}.step-row >> text=๓ วันทำการ")

    # 2. Add a step between the first two.
    page.click(f"#step-{first.pk} .js-insert")
    page.fill("#new-step-row input[name=label]", "ตรวจทานเอกสารแทรกใหม่")
    page.fill("#new-step-row textarea[name=detail]", "เจ้าหน้าที่ตรวจทานความถูกต้องของเอกสาร")
    page.fill("#new-step-row input[name=duration_text]", "๓๐ นาที")
    page.click("#new-step-row button[type=submit]")
    page.wait_for_selector("text=ตรวจทานเอกสารแทรกใหม่")
    inserted = Step.objects.get(process=process, label="ตรวจทานเอกสารแทรกใหม่")
    assert inserted.position == 2

    # 3. Reorder by keyboard: Alt+↓ moves the new step below the old second step. Start and end
    # rows are unnumbered (processes.numbering), so its number is that of the third row.
    order = list(Step.objects.filter(process=process).order_by("position"))
    at = [s.pk for s in order].index(inserted.pk)
    order[at], order[at + 1] = order[at + 1], order[at]
    expected = thai_digits(str(step_numbers([s.shape for s in order])[at + 1]))
    page.focus(f"#step-{inserted.pk}")
    page.keyboard.press("Alt+ArrowDown")
    number = f"document.querySelector('#step-{inserted.pk} .step-no').textContent.trim()"
    page.wait_for_function(f"{number} === '{expected}'")

    # 4. A decision branch from the last step back to the first.
    page.click(f"#step-{last.pk} .js-edit")
    page.fill(f"#flows-{last.pk} input[name=label]", "ไม่อนุมัติ")
    page.select_option(f"#flows-{last.pk} select[name=target]", str(first.pk))
    page.click(f"#flows-{last.pk} button[type=submit]")
    page.wait_for_selector(f"#flows-{last.pk} .flow-item >> text=ไม่อนุมัติ")
    page.click(f"#step-{last.pk} [data-cancel]")

    # 5. A legal reference from the shared library, found by Thai words.
    before = LegalRequirement.objects.filter(process=process).count()
    page.fill(f"#legal-q-{process.pk}", "ระเบียบ")
    page.wait_for_selector(f"#legal-results-{process.pk} .legal-pick")
    page.click(f"#legal-results-{process.pk} .legal-pick >> nth=0")
    rows = f"#list-legal-{process.pk} tbody tr[data-row]"
    page.wait_for_function(f"document.querySelectorAll('{rows}').length === {before + 1}")

    # 6. A Table 2 row: the add form opens on demand and stays open for the next row.
    stakeholders = f"#list-stakeholder-{process.pk}"
    page.click(f"{stakeholders} .add-row-lazy button")
    page.select_option(f"{stakeholders} form select[name=kind]", index=1)
    page.fill(f"{stakeholders} form textarea[name=name]", "ผู้ยื่นคำร้องทางออนไลน์")
    page.click(f"{stakeholders} form button[type=submit]")
    page.wait_for_selector(f"{stakeholders} tbody >> text=ผู้ยื่นคำร้องทางออนไลน์")
    page.wait_for_selector(f"{stakeholders} form textarea[name=name]")
    screenshot(page, "process-editor-after")

    # Reload: everything is kept.
    page.reload()
    page.wait_for_selector("#step-table")
    html = page.content()
    assert "๓ วันทำการ" in html and "ตรวจทานเอกสารแทรกใหม่" in html
    assert Step.objects.get(pk=second.pk).duration_text == "๓ วันทำการ"
    assert Step.objects.get(pk=inserted.pk).position == 3
    assert Step.objects.get(pk=second.pk).position == 2
    assert Flow.objects.filter(source=last, target=first, label="ไม่อนุมัติ").exists()
    assert LegalRequirement.objects.filter(process=process).count() == before + 1
    assert "ผู้ยื่นคำร้องทางออนไลน์" in html
    page.locator("#steps").screenshot(path="var/screenshots/step-table.png")


def test_another_agencys_manual_is_refused(login, demo_site):
    other = ManualFactory(agency=AgencyFactory(name="สำนักการคลัง"), slug="other-manual")
    draft = EditionFactory(manual=other)
    page = login("editor")
    response = page.goto(f"{demo_site.url}/editions/{draft.pk}/")
    assert response.status == 403
    assert "ไม่มีสิทธิ์" in page.content()
    assert "สำนักการคลัง" not in page.locator("main").inner_text().split("ไม่มีสิทธิ์")[0]
