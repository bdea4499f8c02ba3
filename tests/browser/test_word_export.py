"""The Word button in a real browser: the file is made in the background, the progress bar
polls, and the download link appears when it is made (the demo manual)."""

from __future__ import annotations

import pytest
from playwright.sync_api import expect

from interop.models import DocxExport
from interop.services import docx_run
from manuals.models import Manual
from tests.browser.conftest import screenshot

pytestmark = pytest.mark.browser


def test_word_export_shows_progress_then_the_download(login, demo_site, settings):
    # No worker in the test: the export waits in the queue until the test runs it.
    settings.TASKS = {"default": {"BACKEND": "django_tasks.backends.dummy.DummyBackend"}}
    page = login("editor")
    edition = Manual.objects.get(slug="kpp-spsc").editions.get(status="draft")
    page.goto(f"{demo_site.url}{edition.get_absolute_url()}")
    page.locator("[data-role=manual-docx]").click()
    bar = page.locator(".docx-export .progress-bar")
    expect(bar).to_be_visible()
    expect(page.locator(".docx-export")).to_contain_text("รอเริ่มงาน")
    screenshot(page, "word-export-queued")
    export = DocxExport.objects.get(edition=edition)
    assert export.status == "queued"

    docx_run(export_id=export.pk)  # what the worker does
    link = page.locator(".docx-export a[data-role=docx-download]")
    expect(link).to_be_visible(timeout=10_000)  # the fragment polls every second
    expect(page.locator(".docx-export")).to_contain_text("ขนาด")
    screenshot(page, "word-export-done")
    with page.expect_download() as download:
        link.click()
    name = download.value.suggested_filename
    assert name.endswith(".docx") and "กองนโยบายและแผนงาน" in name
    with open(download.value.path(), "rb") as handle:
        assert handle.read(2) == b"PK"
