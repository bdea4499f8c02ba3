"""Browser tests: Playwright for Python driving Debian's Chromium against live_server.

Run alone with ``make browser-test`` (``pytest -m browser``). Never ``playwright install``:
the browser is the system one, /usr/bin/chromium.
"""

from __future__ import annotations

import os
import shutil
from contextlib import contextmanager
from pathlib import Path

import pytest
from django.core.management import call_command

# Playwright's sync API runs an event loop in this thread; Django's ORM calls made by the
# test itself (fixtures, assertions) are still plain synchronous calls.
os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")

CHROMIUM = os.environ.get("CHROMIUM", shutil.which("chromium") or "/usr/bin/chromium")
SCREENSHOTS = Path(os.environ.get("SCREENSHOT_DIR", "var/screenshots"))


def pytest_collection_modifyitems(items):
    for item in items:
        if "tests/browser/" in str(item.fspath):
            item.add_marker(pytest.mark.browser)


@pytest.fixture(scope="session")
def browser():
    from playwright.sync_api import sync_playwright

    with sync_playwright() as p:
        browser = p.chromium.launch(
            executable_path=CHROMIUM,
            headless=True,
            args=[
                "--no-sandbox",
                "--disable-gpu",
                "--disable-quic",
                "--no-first-run",
                "--disable-background-networking",
                "--disable-component-update",
                "--disable-sync",
            ],
        )
        yield browser
        browser.close()


@contextmanager
def open_page(browser, width: int = 1366, height: int = 768):
    """A page in a fresh context (Thai, 15 s per action); below 500 px wide it is a phone's
    (mobile viewport, touch)."""
    phone = width < 500
    context = browser.new_context(
        viewport={"width": width, "height": height},
        locale="th-TH",
        is_mobile=phone,
        has_touch=phone,
    )
    context.set_default_timeout(15_000)
    try:
        yield context.new_page()
    finally:
        context.close()


@pytest.fixture
def page(browser):
    with open_page(browser) as page:
        yield page


@pytest.fixture
def demo_site(transactional_db, live_server):
    """The demo manual loaded into the live server's database."""
    call_command("load_demo", stdout=open(os.devnull, "w"))  # noqa: SIM115
    return live_server


@pytest.fixture
def login(page, demo_site):
    """Sign in as a demo user: ``login("editor")`` returns the page."""

    def _login(username: str):
        page.goto(f"{demo_site.url}/accounts/login/")
        page.fill("input[name=username]", username)
        page.fill("input[name=password]", "demo-pass-123")
        page.click("button[type=submit]")
        page.wait_for_load_state("networkidle")
        return page

    return _login


def screenshot(page, name: str) -> Path:
    """Save a full-page screenshot under var/screenshots/ (to look at, not to assert on)."""
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    width = (page.viewport_size or {}).get("width", 1366)
    path = SCREENSHOTS / (f"{name}.png" if width == 1366 else f"{name}-{width}px.png")
    page.screenshot(path=str(path), full_page=True)
    return path
