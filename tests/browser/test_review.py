"""The review cycle in a real browser, on the demo manual.

editor submits the 2567 draft → reviewer comments on a step and requests changes (and sees
the comment beside the step in the read-only editor) → editor finds the comment counted on the
overview, fixes the step in the process editor, resolves the comment from the step's row and
resubmits → approver approves → the edition is published with its PDF downloadable, the
dashboard shows the new due date, and the compare view marks only the changed Thai words.
"""

from __future__ import annotations

import re

import pytest
from django.utils import timezone
from playwright.sync_api import expect

from core.thai import format_thai_date
from manuals.models import Edition
from reviews.selectors import edition_outline
from tests.browser.conftest import open_page, screenshot

OLD_DETAIL = "เจ้าหน้าที่รับหนังสือจากหน่วยงานภายใน หรือ หน่วยงานภายนอก"
NEW_DETAIL = "เจ้าหน้าที่ตรวจสอบหนังสือจากหน่วยงานภายใน หรือ หน่วยงานภายนอก"


def _status(page):
    return page.locator(".review-panel [data-status]").first.get_attribute("data-status")


def _settled(page):
    """Wait until htmx has swapped and settled what it loaded."""
    page.wait_for_function(
        "!document.querySelector('.htmx-request, .htmx-swapping, .htmx-settling, .htmx-added')"
    )


def _other_units_manuals(today, home):
    """A few more agencies' manuals, so the dashboard shows overdue and due-soon rows."""
    import datetime

    from manuals.models import Agency
    from tests.factories import AgencyFactory, EditionFactory, ManualFactory

    root = Agency.objects.get(pk=home.ancestor_ids()[-1])
    for name, days_ago, draft in (
        ("สำนักงานเขตพระนคร", 3 * 365 + 200, True),
        ("สำนักงานเขตบางรัก", 3 * 365 + 20, False),
        ("สำนักการระบายน้ำ", 3 * 365 - 40, True),
        ("สำนักอนามัย", 400, False),
    ):
        manual = ManualFactory(agency=AgencyFactory(name=name, parent=root, kind="district"))
        EditionFactory(
            manual=manual,
            year_be=2564,
            status=Edition.Status.PUBLISHED,
            published_on=today - datetime.timedelta(days=days_ago),
        )
        if draft:
            EditionFactory(manual=manual, year_be=2567)


@pytest.fixture(params=[(1366, 768), (390, 844)], ids=["desktop", "phone"])
def page(request, browser):
    """The whole cycle on a desktop screen and on a phone (issue 11): every button a clerk,
    reviewer and approver press is reachable at 390 px too."""
    with open_page(browser, *request.param) as page:
        yield page


def test_review_cycle_from_draft_to_published(login, demo_site):
    draft = Edition.objects.get(manual__slug="kpp-spsc", status=Edition.Status.DRAFT)
    first_process = edition_outline(edition=draft)[0]
    step = next(s for s in first_process.steps.all() if s.detail == OLD_DETAIL)
    review_url = f"{demo_site.url}/review/edition/{draft.pk}/"

    # 1. The editor submits the draft.
    page = login("editor")
    page.goto(review_url)
    page.get_by_role("button", name="ส่งตรวจสอบ").click()
    expect(page.locator(".alert-success")).to_contain_text("ส่งตรวจสอบแล้ว")
    assert _status(page) == "submitted"
    expect(page.get_by_role("button", name="ส่งตรวจสอบ")).to_have_count(0)

    # 2. The reviewer comments on the step and requests changes.
    page = login("reviewer")
    page.goto(review_url)
    page.locator(f"#process-{first_process.pk} > summary").click()
    step_item = page.locator(f"#step-{step.pk}")
    step_item.locator("button.comment-open").click()
    form = step_item.locator("form.comment-form")
    form.locator("textarea").fill("ควรระบุว่าเจ้าหน้าที่ตรวจสอบหนังสือก่อนลงทะเบียน")
    form.get_by_role("button", name="ให้ความเห็น").click()
    expect(step_item.locator(".comment-thread")).to_contain_text("ตรวจสอบหนังสือก่อนลงทะเบียน")
    expect(step_item.locator(".comment-thread")).to_have_attribute("data-comment-status", "open")
    page.fill("#reason", "โปรดแก้ไขขั้นตอนการรับหนังสือตามความเห็น")
    page.get_by_role("button", name="ส่งกลับให้แก้ไข").click()
    expect(page.locator(".alert-success")).to_contain_text("ส่งกลับให้หน่วยงานแก้ไขแล้ว")
    assert _status(page) == "changes_requested"
    page.locator(f"#step-{step.pk}").scroll_into_view_if_needed()
    screenshot(page, "review-with-comments")

    # The reviewer also sees it beside the step in the draft's editor (read-only there).
    editor_url = f"{demo_site.url}/processes/{first_process.pk}/"
    page.goto(editor_url)
    row = page.locator(f"#step-{step.pk}")
    expect(row.locator(".comment-toggle .comment-count")).to_have_text("๑")
    expect(page.locator("#step-table .js-edit")).to_have_count(0)
    row.locator(".comment-toggle").click()
    expect(page.locator(f"#comments-row-step-{step.pk} .comment-thread")).to_contain_text(
        "ตรวจสอบหนังสือก่อนลงทะเบียน"
    )
    page.locator(f"#comments-row-step-{step.pk}").scroll_into_view_if_needed()
    screenshot(page, "process-editor-reviewer")
    # …and may comment on the process itself beside its title.
    page.locator(f"[data-comments-key=process-{first_process.pk}]").click()
    expect(page.locator("#process-comments form.comment-form")).to_be_visible()
    page.locator("#process-comments").screenshot(path="var/screenshots/process-comments.png")
    page.locator("#process-comments [data-comments-close]").click()
    expect(page.locator("#process-comments")).to_be_hidden()

    # 3. The editor sees the comment counted on the overview, fixes the step in the process
    #    editor, resolves the comment from the step's row and resubmits.
    page = login("editor")
    page.goto(f"{demo_site.url}/editions/{draft.pk}/")
    toc_badge = page.locator(".toc-table .comment-badge")
    expect(toc_badge).to_have_count(1)
    expect(toc_badge).to_have_text(re.compile("๑"))
    expect(page.locator(".review-panel")).to_contain_text("ความเห็นที่ยังไม่ได้แก้ไข ๑ รายการ")
    # Comments on the whole edition open in place on the overview too.
    page.locator(f"[data-comments-key=edition-{draft.pk}]").click()
    expect(page.locator("#edition-comments form.comment-form")).to_be_visible()
    screenshot(page, "overview-open-comments")
    page.locator(f".toc-table a[href$='/processes/{first_process.pk}/']").click()
    page.wait_for_selector("#step-table")
    row = page.locator(f"#step-{step.pk}")
    toggle = row.locator(".comment-toggle")
    expect(toggle.locator(".comment-count")).to_have_text("๑")
    expect(toggle).to_have_class(re.compile("btn-warning"))

    # Edit the step in place: Ctrl+Enter in the detail saves the row (Enter is a new line).
    row.locator(".js-edit").click()
    detail = page.locator(f"#step-{step.pk}.step-edit textarea[name=detail]")
    detail.wait_for()
    _settled(page)
    detail.fill(NEW_DETAIL)
    detail.press("Control+Enter")
    row = page.locator(f"#step-{step.pk}.step-row")
    expect(row.locator(".col-detail")).to_contain_text(NEW_DETAIL)
    step.refresh_from_db()
    assert step.detail == NEW_DETAIL

    # Open the step's comments below its row: reply, then resolve there.
    row.locator(".comment-toggle").click()
    comment_row = page.locator(f"#comments-row-step-{step.pk}")
    thread = comment_row.locator(".comment-thread")
    expect(thread).to_contain_text("ตรวจสอบหนังสือก่อนลงทะเบียน")
    thread.locator("input[name=body]").fill("แก้ไขแล้วตามความเห็น")
    thread.get_by_role("button", name="ตอบ").click()
    expect(thread.locator(".comment-reply")).to_contain_text("แก้ไขแล้วตามความเห็น")
    comment_row.scroll_into_view_if_needed()
    screenshot(page, "process-editor-comment-thread")
    thread.locator("button[data-action=resolve]").click()
    expect(thread).to_have_attribute("data-comment-status", "resolved")
    # The badge and the review panel follow without a reload.
    expect(row.locator(".comment-toggle .comment-count")).to_have_text("")
    expect(row.locator(".comment-toggle")).to_have_class(re.compile("btn-outline-secondary"))
    expect(page.locator(".review-panel")).to_contain_text("ไม่มีความเห็นค้าง")
    page.locator(".review-panel").get_by_role("button", name="ส่งตรวจสอบ").click()
    expect(page.locator(".alert-success")).to_contain_text("ส่งตรวจสอบแล้ว")
    assert _status(page) == "submitted"

    # 4. The approver approves: the edition is published, with its PDF.
    # The approver was told of the submission, and publishing asks for a confirmation
    # that says what it does.
    page = login("approver")
    page.goto(f"{demo_site.url}/review/inbox/")
    expect(page.locator("body")).to_contain_text("ให้ตรวจสอบ")
    page.goto(review_url)
    today = timezone.localdate()
    page.locator(".approve-confirm summary").click()
    confirm = page.locator(".approve-confirm .card")
    expect(confirm).to_be_visible()
    expect(confirm).to_contain_text("จะแก้ไขไม่ได้อีก")
    expect(confirm).to_contain_text("จะถูกแทนที่")
    due_text = format_thai_date(today.replace(year=today.year + 3))
    expect(confirm).to_contain_text(f"กำหนดทบทวนครั้งถัดไป: {due_text}")
    screenshot(page, "approve-confirm")
    assert _status(page) == "submitted"
    confirm.get_by_role("button", name="ยืนยันอนุมัติและเผยแพร่").click()
    expect(page.locator(".alert-success")).to_contain_text("อนุมัติและเผยแพร่แล้ว")
    assert _status(page) == "published"
    expect(page.locator(".review-panel")).to_contain_text(format_thai_date(today))
    # The printing app builds the PDF in a task and the fragment polls until it is done.
    page.locator("[data-role=manual-pdf]").click()
    download_link = page.locator(".pdf-export a", has_text="ดาวน์โหลด PDF")
    expect(download_link).to_be_visible(timeout=180_000)
    with page.expect_download() as download:
        download_link.click()
    assert download.value.suggested_filename.endswith(".pdf")
    with open(download.value.path(), "rb") as pdf:
        assert pdf.read(4) == b"%PDF"
    trail = page.locator(".audit-trail li[data-action]")
    actions = [trail.nth(i).get_attribute("data-action") for i in range(trail.count())]
    assert actions[:2] == ["publish", "approve"]
    assert "request_changes" in actions and "resolve" in actions

    # 5. The dashboard shows the new due date (three years on), no longer overdue.
    page.goto(f"{demo_site.url}/review/?q=กองนโยบายและแผนงาน")
    row = page.locator("tr[data-manual=kpp-spsc]")
    due = today.replace(year=today.year + 3)
    expect(row.locator(".due-cell")).to_have_attribute("data-due", due.isoformat())
    expect(row.locator(".due-cell")).to_contain_text(format_thai_date(due, style="short"))
    expect(row).not_to_have_class(re.compile("due-overdue"))
    _other_units_manuals(today, draft.manual.agency)
    page.goto(f"{demo_site.url}/review/")
    expect(page.locator("tr.due-overdue")).to_have_count(2)
    expect(page.locator("tr.due-soon")).to_have_count(1)
    screenshot(page, "dashboard")

    # 6. Compare 2567 with 2564: only the changed words of the sentence are marked.
    page.goto(f"{demo_site.url}/review/edition/{draft.pk}/compare/")
    detail_row = page.locator(".compare-section#section-step [data-field=detail]").filter(
        has_text="หน่วยงานภายนอก"
    )
    expect(detail_row).to_have_count(1)
    assert detail_row.locator(".diff-old del").all_inner_texts() == ["รับ"]
    assert detail_row.locator(".diff-new ins").all_inner_texts() == ["ตรวจสอบ"]
    assert detail_row.locator(".diff-new").inner_text() == NEW_DETAIL
    detail_row.scroll_into_view_if_needed()
    screenshot(page, "compare")
    with page.expect_download() as download:
        page.locator("[data-role=summary-pdf]").click()
    assert download.value.suggested_filename.endswith(".pdf")
    with open(download.value.path(), "rb") as pdf:
        assert pdf.read(4) == b"%PDF"
