"""A BMA-wide revision round in a real browser, on the demo data.

The planner opens the round → the working group's editor edits the shared district manual →
two district reviewers comment → the group answers → the group submits, ก.ก. compiles the
final → the approver approves the batch with the letter number → each district's PDF shows
its own name.
"""

from __future__ import annotations

import datetime
import os
import subprocess

from django.core.management import call_command
from playwright.sync_api import expect

from demo.manual import load_demo
from demo.round import load_round_demo
from manuals.models import Edition, Manual
from rounds.models import Round
from tests.browser.conftest import screenshot

LETTER = "กท ๐๓๐๓/๑๒๙๓"
LOCAL_TITLE = "การตรวจสอบทะเบียนบ้านของเขตพระนคร"


def _login(page, url, username):
    page.context.clear_cookies()
    page.goto(f"{url}/accounts/login/")
    page.fill("input[name=username]", username)
    page.fill("input[name=password]", "demo-pass-123")
    page.click("button[type=submit]")
    page.wait_for_load_state("networkidle")


def _pdf_text(content: bytes, tmp_path, name: str) -> str:
    path = tmp_path / f"{name}.pdf"
    path.write_bytes(content)
    subprocess.run(
        ["pdftoppm", "-r", "50", "-png", "-f", "1", "-l", "1", str(path), str(path)[:-4]]
    )
    return subprocess.run(
        ["pdftotext", "-l", "3", str(path), "-"], capture_output=True, check=True
    ).stdout.decode()


def test_round_from_opening_to_batch_approval(page, transactional_db, live_server, tmp_path):
    call_command("load_demo", stdout=open(os.devnull, "w"))  # noqa: SIM115
    load_round_demo(demo=load_demo(), open_round=False)
    url = live_server.url
    shared = Manual.objects.get(slug="district-registry")
    # opening the round runs inline in the request (test settings) and a shared 2-core machine
    # may be slow: give each page the time it needs rather than fail on a timer
    page.set_default_timeout(120_000)
    page.set_default_navigation_timeout(180_000)

    # 1. The planner opens the round over every agency.
    _login(page, url, "reviewer")
    page.click("[data-nav=rounds]")
    page.click("[data-action=new-round]")
    today = datetime.date.today()
    page.fill("input[name=title]", "รอบการปรับปรุงคู่มือการปฏิบัติงาน พ.ศ. ๒๕๗๐")
    page.fill("input[name=year_be]", "2570")
    for name, days in (("draft_due", 30), ("review_due", 60), ("final_due", 90), ("approval", 120)):
        page.fill(f"input[name={name}]", (today + datetime.timedelta(days=days)).isoformat())
    screenshot(page, "round-new")
    page.click("[data-action=open-round]")
    page.wait_for_selector("[data-opening=done]")
    round = Round.objects.get()
    assert round.participations.filter(state="joined").count() == 21
    expect(page.locator("[data-skipped]")).to_contain_text("กองนโยบายและแผนงาน")
    expect(page.locator("tr[data-manual=district-registry]")).to_contain_text("๕๐ หน่วยงาน")
    screenshot(page, "round-page-opened")

    # 2. The working group's editor edits the shared draft (district offices cannot).
    draft = shared.editions.open().get()
    _login(page, url, "group_registry")
    page.goto(f"{url}/rounds/shared/{shared.pk}/")
    page.click("[data-action=edit-shared]")
    page.wait_for_load_state("networkidle")
    assert page.url.endswith(draft.get_absolute_url())
    from processes.models import Process

    process = Process.objects.filter(edition=draft).order_by("pk").first()
    step = process.steps.order_by("position").first()
    page.goto(f"{url}/processes/{process.pk}/")
    page.click(f"#step-{step.pk} .js-edit")
    page.wait_for_selector(f"#step-{step.pk}.step-edit input[name=duration_text]")
    page.fill(f"#step-{step.pk} input[name=duration_text]", "๒ วันทำการ")
    page.press(f"#step-{step.pk} input[name=duration_text]", "Enter")
    page.wait_for_selector(f"#step-{step.pk}.step-row >> text=๒ วันทำการ")

    # 3. Two district reviewers comment on the shared draft.
    for username, body in (
        ("district_a", "ขอเพิ่มการตรวจสอบสำเนาทะเบียนบ้านก่อนรับเรื่อง"),
        ("district_b", "ระยะเวลาของขั้นตอนแรกสั้นเกินไปสำหรับเขตที่มีผู้มาติดต่อมาก"),
    ):
        _login(page, url, username)
        page.goto(f"{url}/rounds/shared/{shared.pk}/")
        expect(page.locator("[data-action=edit-shared]")).to_have_count(0)
        page.fill("textarea[name=body]", body)
        page.click("[data-action=adopter-comment]")
        expect(page.locator(".alert-success")).to_be_visible()
    screenshot(page, "shared-district-comment")
    response = page.goto(f"{url}/processes/{process.pk}/steps/")
    assert page.locator(f"#step-{step.pk} .js-edit").count() == 0 or response.status == 403

    # 3b. The district's own editor adds a local step, kept apart from the shared text.
    _login(page, url, "district_editor")
    page.goto(f"{url}/rounds/shared/{shared.pk}/")
    expect(page.locator("[data-action=edit-shared]")).to_have_count(0)
    page.click("[data-action=local-additions]")
    page.fill("#id_new_title", LOCAL_TITLE)
    page.fill("#id_new_body", "ตรวจสอบสำเนาทะเบียนบ้านกับฐานข้อมูลของเขตก่อนรับเรื่องทุกครั้ง")
    page.click("[data-action=add-local]")
    expect(page.locator(".alert-success")).to_be_visible()
    expect(page.locator("[data-local-addition]")).to_have_count(1)
    screenshot(page, "shared-local-addition")

    # 4. The group sees the comments by district, answers and resolves them, submits.
    _login(page, url, "group_registry")
    page.goto(f"{url}/rounds/shared/{shared.pk}/")
    groups = page.locator("[data-agency-comments]")
    expect(groups).to_have_count(2)
    expect(page.locator("main")).to_contain_text("ฝ่ายทะเบียน สำนักงานเขตพระนคร")
    expect(page.locator("main")).to_contain_text("ฝ่ายทะเบียน สำนักงานเขตบางรัก")
    screenshot(page, "shared-group-comments")
    for _ in range(2):
        thread = page.locator("[data-thread]:has([data-action=resolve])").first
        thread.locator("input[name=body]").fill("คณะทำงานปรับร่างตามข้อเสนอแล้ว")
        thread.locator("[data-action=answer]").click()
        page.wait_for_load_state("networkidle")
        page.locator("[data-thread]:has([data-action=resolve])").first.locator(
            "[data-action=resolve]"
        ).click()
        page.wait_for_load_state("networkidle")
    expect(page.locator("[data-reply]")).to_have_count(2)
    screenshot(page, "shared-group-answered")
    page.goto(f"{url}/review/edition/{draft.pk}/")
    page.click("button[name=action][value=submit]")
    page.wait_for_load_state("networkidle")
    draft.refresh_from_db()
    assert draft.status == Edition.Status.SUBMITTED

    # the district sees its comment answered
    _login(page, url, "district_b")
    page.goto(f"{url}/rounds/shared/{shared.pk}/")
    expect(page.locator("[data-reply]")).to_have_count(1)
    expect(page.locator("main")).not_to_contain_text("สำเนาทะเบียนบ้าน")

    # 5. ก.ก. compiles the final.
    _login(page, url, "reviewer")
    page.goto(f"{url}/rounds/{round.pk}/")
    page.locator("tr[data-manual=district-registry] [data-action=compile]").click()
    page.wait_for_load_state("networkidle")
    expect(page.locator("tr[data-manual=district-registry]")).to_contain_text("รวบรวมแล้ว")

    # 6. The approver approves the batch with the letter number.
    _login(page, url, "approver")
    page.goto(f"{url}/rounds/{round.pk}/")
    page.click("[data-action=batch-approve]")
    expect(page.locator("tr[data-final]")).to_have_count(1)
    page.fill("input[name=letter_number]", LETTER)
    page.fill("input[name=letter_date]", today.isoformat())
    screenshot(page, "round-batch-approval")
    page.click("[data-action=approve-batch]")
    page.wait_for_load_state("networkidle")
    expect(page.locator(".alert-success")).to_contain_text(LETTER)
    draft.refresh_from_db()
    assert draft.status == Edition.Status.PUBLISHED
    assert draft.approval_letter_number == LETTER
    page.goto(f"{url}/rounds/{round.pk}/")
    screenshot(page, "round-page-approved")

    # 7. Each district prints its own copy: its name on the cover.
    for username, district in (("district_a", "พระนคร"), ("district_b", "บางรัก")):
        _login(page, url, username)
        page.goto(f"{url}/rounds/shared/{shared.pk}/")
        href = page.locator("[data-action=adopter-pdf]").get_attribute("href")
        # the test settings run tasks inline: the request itself makes the PDF
        page.goto(f"{url}{href}", timeout=480_000)
        link = page.locator("[data-action=download-adopter-pdf]")
        link.wait_for(timeout=480_000)
        if username == "district_b":
            screenshot(page, "adopter-pdf-ready")
        response = page.request.get(f"{url}{link.get_attribute('href')}", timeout=60_000)
        assert response.ok
        text = _pdf_text(response.body(), tmp_path, f"district-{username}")
        cover = text.split("\f")[0]
        assert f"สํานักงานเขต{district}" in cover or f"สำนักงานเขต{district}" in cover
        assert "คณะกรรมการข้าราชการ" not in cover
        # the local addition is in พระนคร's copy only
        full = subprocess.run(
            ["pdftotext", str(tmp_path / f"district-{username}.pdf"), "-"],
            capture_output=True,
            check=True,
        ).stdout.decode()
        flat = "".join(full.split()).replace("\u0e4d\u0e32", "\u0e33")
        has_local = "ส่วนเพิ่มเติมของ" in flat and "".join(LOCAL_TITLE.split()) in flat
        assert has_local is (district == "พระนคร")
