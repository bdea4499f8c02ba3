"""The navbar search as a user meets it: results as you type, keyboard only."""

from tests.browser.conftest import screenshot


def test_navbar_search_by_keyboard(login):
    page = login("reviewer")
    page.keyboard.press("/")  # focuses the search box
    page.keyboard.type("ยืมเงิน")
    page.wait_for_selector("#nav-search-results a.list-group-item", timeout=15_000)
    assert "ฎีกาประเภทต่าง ๆ" in page.inner_text("#nav-search-results")
    page.keyboard.press("ArrowDown")
    focused = page.evaluate("document.activeElement.textContent")
    assert "ฎีกาประเภทต่าง ๆ" in focused
    page.keyboard.press("Escape")
    assert page.inner_text("#nav-search-results").strip() == ""
    page.keyboard.press("Enter")  # the box has focus again: the full results page
    page.wait_for_url("**/search/?q=*")
    assert "<mark>" in page.inner_html("#search-results")
    screenshot(page, "search-results")
