"""Phone width (issue 11, item 14): every main page usable at 390 px, no horizontal scroll
beyond the viewport; screenshots under var/screenshots/phone-*.png to look at."""

from __future__ import annotations

import pytest

from manuals.models import Manual
from processes.models import Step
from tests.browser.conftest import open_page, screenshot
from tests.browser.test_editing import _draft_process, _settled

PHONE = {"width": 390, "height": 844}


@pytest.fixture
def page(browser):
    with open_page(browser, PHONE["width"], PHONE["height"]) as page:
        yield page


@pytest.fixture
def phone(login):
    """Sign in on the phone: ``phone("editor")`` returns the page."""
    return login


def _width(page) -> int:
    return page.evaluate("document.documentElement.scrollWidth")


def _check(page, name, failures):
    page.wait_for_load_state("networkidle")
    screenshot(page, f"phone-{name}")
    width = _width(page)
    if width > PHONE["width"]:
        wide = page.evaluate(
            """() => [...document.querySelectorAll('body *')]
                .filter(e => e.getBoundingClientRect().right > 390.5)
                .slice(0, 5)
                .map(e => `${e.tagName}.${e.className} ${e.getBoundingClientRect().right}`)"""
        )
        failures.append(f"{name}: {width}px {wide}")


def test_editor_pages_fit_a_phone(phone, demo_site):
    page = phone("editor")
    failures: list[str] = []
    _check(page, "home", failures)
    draft, process = _draft_process()
    page.goto(f"{demo_site.url}/editions/{draft.pk}/")
    _check(page, "overview", failures)
    page.goto(f"{demo_site.url}/processes/{process.pk}/")
    page.wait_for_selector("#step-table")
    _check(page, "process-editor", failures)
    step = Step.objects.filter(process=process).order_by("position")[1]
    page.click(f"#step-{step.pk} .js-edit")
    page.wait_for_selector(f"#step-{step.pk}.step-edit textarea[name=detail]")
    _settled(page)
    _check(page, "step-form", failures)
    page.locator(f"#step-{step.pk}.step-edit").screenshot(
        path="var/screenshots/phone-step-form-only.png"
    )
    save = page.locator(f"#step-{step.pk}.step-edit button[type=submit]").first
    box = save.bounding_box()
    assert box is not None and box["x"] >= 0 and box["x"] + box["width"] <= PHONE["width"]
    page.goto(f"{demo_site.url}/editions/{draft.pk}/history/")
    _check(page, "history", failures)
    page.goto(f"{demo_site.url}/review/edition/{draft.pk}/")
    _check(page, "review", failures)
    assert failures == []


def test_review_pages_fit_a_phone(phone, demo_site):
    page = phone("reviewer")
    failures: list[str] = []
    _check(page, "reviewer-home", failures)
    page.goto(f"{demo_site.url}/review/")
    _check(page, "dashboard", failures)
    manual = Manual.objects.get(slug="kpp-spsc")
    draft = manual.editions.open().get()
    page.goto(f"{demo_site.url}/review/edition/{draft.pk}/")
    _check(page, "reviewer-edition", failures)
    published = manual.editions.filter(status="published").get()
    page.goto(f"{demo_site.url}/review/edition/{draft.pk}/compare/?base={published.pk}")
    _check(page, "compare", failures)
    page.goto(f"{demo_site.url}/review/inbox/")
    _check(page, "inbox", failures)
    assert failures == []
