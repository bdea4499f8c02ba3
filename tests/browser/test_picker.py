"""The form picker (issue 11, item 11): a searchable checkbox list, each name once, several
ticked without Ctrl+click."""

from __future__ import annotations

from playwright.sync_api import expect

from manuals.models import Form
from processes.models import Step
from tests.browser.conftest import screenshot
from tests.browser.test_editing import _draft_process, _settled


def test_forms_are_ticked_in_a_searchable_list(login, demo_site):
    page = login("editor")
    draft, process = _draft_process()
    forms = list(Form.objects.filter(edition=draft).order_by("pk"))
    assert len(forms) >= 3
    step = Step.objects.filter(process=process).order_by("position")[1]
    step.forms.clear()
    page.goto(f"{demo_site.url}/processes/{process.pk}/")
    page.click(f"#step-{step.pk} .js-edit")
    row = page.locator(f"#step-{step.pk}.step-edit")
    row.locator("textarea[name=detail]").wait_for()
    _settled(page)
    picker = row.locator("[data-picker]").filter(has=page.locator("input[name=forms]"))
    assert picker.locator("select").count() == 0  # no Ctrl+click list
    labels = picker.locator(".picker-option label").all_inner_texts()
    assert len(labels) == len(forms)
    for label in labels:  # each name once ("แบบการเขียนโครงการ แบบการเขียนโครงการ" before)
        half = len(label) // 2
        assert not (len(label) > 3 and label[:half].strip() == label[half:].strip()), label

    target = str(forms[2])
    word = target.split()[-1]
    picker.locator(".picker-search").fill(word)
    visible = picker.locator(".picker-option:visible")
    expect(visible.first).to_be_visible()
    assert all(word.lower() in t.lower() for t in visible.all_inner_texts())
    picker.locator(".picker-search").press("Enter")  # filters, does not save
    expect(row).to_be_visible()
    picker.get_by_label(target, exact=True).check()
    picker.locator(".picker-search").fill("")
    picker.get_by_label(str(forms[0]), exact=True).check()  # a second one, no Ctrl
    screenshot(page, "form-picker")
    row.locator("button[type=submit]").first.click()
    expect(page.locator(f"#step-{step.pk}.step-row")).to_be_visible()
    assert set(step.forms.values_list("pk", flat=True)) == {forms[0].pk, forms[2].pk}
