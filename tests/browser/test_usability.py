"""What a new user ran into (issue 11), tried in Chromium: long pastes, Enter in long fields."""

from __future__ import annotations

import re

from playwright.sync_api import expect

from processes.models import Step
from tests.browser.conftest import screenshot
from tests.browser.test_editing import _draft_process, _settled


def _open_step_form(page, demo_site):
    _draft, process = _draft_process()
    step = Step.objects.filter(process=process).order_by("position").first()
    page.goto(f"{demo_site.url}/processes/{process.pk}/")
    page.click(f"#step-{step.pk} .js-edit")
    detail = page.locator(f"#step-{step.pk}.step-edit textarea[name=detail]")
    detail.wait_for()
    _settled(page)
    return step, detail


def test_long_paste_is_kept_counted_and_refused_in_thai(login, demo_site):
    page = login("editor")
    step, detail = _open_step_form(page, demo_site)
    detail.fill("")
    detail.focus()
    page.keyboard.insert_text("ก" * 20000)  # as a paste: the browser's maxlength would cut it
    assert detail.evaluate("el => el.value.length") == 20000
    counter = detail.locator("xpath=following-sibling::div[contains(@class, 'char-count')]")
    expect(counter).to_have_text("๒๐,๐๐๐ / ๕,๐๐๐")
    expect(counter).to_have_class(re.compile("text-danger"))
    detail.press("Control+Enter")
    error = page.locator(f"#step-{step.pk}.step-edit").get_by_text("ข้อความยาวเกินไป")
    expect(error).to_be_visible()
    expect(error).to_contain_text("ได้ไม่เกิน ๕,๐๐๐ ตัวอักษร")
    detail = page.locator(f"#step-{step.pk}.step-edit textarea[name=detail]")
    assert detail.evaluate("el => el.value.length") == 20000  # nothing lost
    screenshot(page, "step-form-too-long")
    step.refresh_from_db()
    assert len(step.detail) < 20000


def test_enter_makes_a_new_line_and_ctrl_enter_saves(login, demo_site):
    page = login("editor")
    step, detail = _open_step_form(page, demo_site)
    expect(page.locator(f"#step-{step.pk}.step-edit")).to_contain_text("กด Enter เพื่อขึ้นบรรทัดใหม่")
    detail.fill("รับหนังสือ")
    detail.press("End")
    detail.press("Enter")
    page.keyboard.insert_text("ลงทะเบียนรับ")
    page.wait_for_timeout(300)
    expect(page.locator(f"#step-{step.pk}.step-edit")).to_be_visible()  # Enter did not save
    step.refresh_from_db()
    assert "ลงทะเบียนรับ" not in step.detail
    detail.press("Control+Enter")
    expect(page.locator(f"#step-{step.pk}.step-row")).to_contain_text("ลงทะเบียนรับ")
    step.refresh_from_db()
    assert step.detail == "รับหนังสือ\nลงทะเบียนรับ"
