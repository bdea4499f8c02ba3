"""The review cycle in a real browser, on the demo manual.

editor submits the 2567 draft → reviewer comments on a step and requests changes → editor
fixes the step, resolves the comment and resubmits → approver approves → the edition is
published with its PDF link, the dashboard shows the new due date, and the compare view marks
only the changed Thai words.

The step is fixed through the model (``Step.save``, which refuses frozen editions): the
editing UI (manuals/processes views) had not landed when this test was written; once it has,
this step should go through its page instead.
"""

from __future__ import annotations

import re

from django.urls import NoReverseMatch, reverse
from django.utils import timezone
from playwright.sync_api import expect

from core.thai import format_thai_date
from manuals.models import Edition
from reviews.selectors import edition_outline
from tests.browser.conftest import screenshot

OLD_DETAIL = "เจ้าหน้าที่รับหนังสือจากหน่วยงานภายใน หรือ หน่วยงานภายนอก"
NEW_DETAIL = "เจ้าหน้าที่ตรวจสอบหนังสือจากหน่วยงานภายใน หรือ หน่วยงานภายนอก"


def _status(page):
    return page.locator(".review-panel [data-status]").first.get_attribute("data-status")


def _printing_registered(pk: int) -> bool:
    try:
        reverse("printing:export", kwargs={"pk": pk})
    except NoReverseMatch:
        return False
    return True


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

    # 3. The editor fixes the step (see the module docstring), resolves and resubmits.
    step.refresh_from_db()
    step.detail = NEW_DETAIL
    step.save()
    page = login("editor")
    page.goto(review_url)
    expect(page.locator(".review-panel")).to_contain_text("ความเห็นที่ยังไม่ได้แก้ไข ๑ รายการ")
    thread = page.locator(f"#step-{step.pk} .comment-thread")
    expect(page.locator(f"#step-{step.pk} .step-detail")).to_have_text(NEW_DETAIL)
    thread.locator("input[name=body]").fill("แก้ไขแล้วตามความเห็น")
    thread.get_by_role("button", name="ตอบ").click()
    thread = page.locator(f"#step-{step.pk} .comment-thread")
    expect(thread.locator(".comment-reply")).to_contain_text("แก้ไขแล้วตามความเห็น")
    thread.locator("button[data-action=resolve]").click()
    expect(page.locator(f"#step-{step.pk} .comment-thread")).to_have_attribute(
        "data-comment-status", "resolved"
    )
    page.reload()
    page.get_by_role("button", name="ส่งตรวจสอบ").click()
    expect(page.locator(".alert-success")).to_contain_text("ส่งตรวจสอบแล้ว")
    assert _status(page) == "submitted"

    # 4. The approver approves: the edition is published, with its PDF.
    page = login("approver")
    page.goto(review_url)
    page.get_by_role("button", name="อนุมัติและเผยแพร่").click()
    expect(page.locator(".alert-success")).to_contain_text("อนุมัติและเผยแพร่แล้ว")
    assert _status(page) == "published"
    today = timezone.localdate()
    expect(page.locator(".review-panel")).to_contain_text(format_thai_date(today))
    pdf_button = page.locator("[data-role=manual-pdf]")
    if _printing_registered(draft.pk):
        # The printing app builds the PDF in a task and the fragment polls until it is done.
        pdf_button.click()
        download_link = page.locator(".pdf-export a", has_text="ดาวน์โหลด PDF")
        expect(download_link).to_be_visible(timeout=180_000)
        with page.expect_download() as download:
            download_link.click()
        assert download.value.suggested_filename.endswith(".pdf")
        with open(download.value.path(), "rb") as pdf:
            assert pdf.read(4) == b"%PDF"
    else:
        expect(pdf_button).to_have_count(0)
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
