import datetime
import os

import pytest
from django.core.management import call_command
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from core.thai import format_thai_date
from manuals.models import Edition
from reviews import services
from reviews.models import AuditEntry, Comment, Notification
from tests.factories import EditionFactory, StepFactory

S = Edition.Status


def test_review_page_shows_status_comments_and_trail(client, draft, people):
    step = draft.processes.get().steps.get(position=1)
    services.comment_add(target=step, by=people["reviewer"], body="ระบุแบบฟอร์มที่ใช้ด้วย")
    client.force_login(people["editor"])
    html = client.get(f"/review/edition/{draft.pk}/").content.decode()
    assert "ระบุแบบฟอร์มที่ใช้ด้วย" in html
    assert f'id="comments-step-{step.pk}"' in html
    assert "ส่งตรวจสอบ" in html  # the editor may submit
    assert "ยืนยันส่งทั้งที่ยังมีความเห็นค้าง" in html
    assert 'data-action="comment"' in html  # the audit trail


def test_review_page_queries_do_not_grow_with_steps(client, draft, people):
    client.force_login(people["reviewer"])
    process = draft.processes.get()

    def count():
        with CaptureQueriesContext(connection) as ctx:
            assert client.get(f"/review/edition/{draft.pk}/").status_code == 200
        return len(ctx.captured_queries)

    services.comment_add(target=process.steps.first(), by=people["reviewer"], body="หนึ่ง")
    few = count()
    for _ in range(10):
        step = StepFactory(process=process)
        services.comment_add(target=step, by=people["reviewer"], body="อีกหนึ่ง")
    assert count() == few


def test_other_units_editor_cannot_open_the_draft(client, draft, people):
    client.force_login(people["other_editor"])
    assert client.get(f"/review/edition/{draft.pk}/").status_code == 403
    assert client.get(f"/review/edition/{draft.pk}/panel/").status_code == 403
    assert client.post(f"/review/edition/{draft.pk}/submit/").status_code == 403
    client.logout()
    response = client.get(f"/review/edition/{draft.pk}/")
    assert response.status_code == 302 and "/accounts/login/" in response["Location"]


def test_panel_fragment_counts_open_comments(client, draft, people):
    services.comment_add(target=draft, by=people["reviewer"], body="ก")
    services.comment_add(target=draft, by=people["reviewer"], body="ข")
    client.force_login(people["editor"])
    html = client.get(f"/review/edition/{draft.pk}/panel/").content.decode()
    assert "ความเห็นที่ยังไม่ได้แก้ไข ๒ รายการ" in html
    assert f'action="/review/edition/{draft.pk}/submit/"' in html


def test_comment_flow_over_htmx(client, draft, people):
    step = draft.processes.get().steps.get(position=2)
    client.force_login(people["reviewer"])
    headers = {"HTTP_HX_REQUEST": "true"}
    response = client.post(
        f"/review/comments/step/{step.pk}/add/", {"body": "<b>ระยะเวลา</b>ไม่ชัด"}, **headers
    )
    assert response.status_code == 200
    html = response.content.decode()
    assert f'id="comments-step-{step.pk}"' in html
    assert "&lt;b&gt;ระยะเวลา&lt;/b&gt;ไม่ชัด" in html  # escaped
    comment = Comment.objects.get()
    client.force_login(people["editor"])
    client.post(f"/review/comment/{comment.pk}/reply/", {"body": "แก้แล้วครับ"}, **headers)
    response = client.post(f"/review/comment/{comment.pk}/resolve/", **headers)
    assert 'data-comment-status="resolved"' in response.content.decode()
    # Without HTMX: back to the review page.
    response = client.post(f"/review/comment/{comment.pk}/reopen/")
    assert response.status_code == 302
    assert response["Location"].endswith(f"#comments-step-{step.pk}")
    comment.refresh_from_db()
    assert comment.status == Comment.Status.OPEN


def test_submit_with_open_comments_asks_then_confirms(client, draft, people):
    services.comment_add(target=draft, by=people["reviewer"], body="ยังไม่ครบ")
    client.force_login(people["editor"])
    response = client.post(f"/review/edition/{draft.pk}/submit/")
    assert response.status_code == 302 and "confirm=submit" in response["Location"]
    draft.refresh_from_db()
    assert draft.status == S.DRAFT
    client.post(f"/review/edition/{draft.pk}/submit/", {"confirm_open_comments": "on"})
    draft.refresh_from_db()
    assert draft.status == S.SUBMITTED


def test_request_changes_and_approve_views(client, draft, people):
    services.edition_submit(edition=draft, by=people["editor"])
    client.force_login(people["reviewer"])
    client.post(f"/review/edition/{draft.pk}/request-changes/", {"reason": ""})
    draft.refresh_from_db()
    assert draft.status == S.SUBMITTED  # a reason is required
    client.post(f"/review/edition/{draft.pk}/request-changes/", {"reason": "แก้ขั้นตอน ๒"})
    draft.refresh_from_db()
    assert draft.status == S.CHANGES_REQUESTED
    services.edition_submit(edition=draft, by=people["editor"])
    client.force_login(people["approver"])
    # one click does not publish: the panel first says what approving does
    response = client.post(f"/review/edition/{draft.pk}/approve/")
    assert response.status_code == 302 and "confirm=approve" in response["Location"]
    draft.refresh_from_db()
    assert draft.status == S.SUBMITTED
    html = client.get(response["Location"]).content.decode()
    assert 'class="approve-confirm w-100" open' in html
    due = timezone.localdate().replace(year=timezone.localdate().year + 3)
    assert f"กำหนดทบทวนครั้งถัดไป: {format_thai_date(due)}" in html
    assert "จะแก้ไขไม่ได้อีก" in html
    response = client.post(f"/review/edition/{draft.pk}/approve/", {"confirm": "yes"})
    assert response.status_code == 302
    draft.refresh_from_db()
    assert draft.status == S.PUBLISHED
    # Now the editor starts the next revision with one button.
    client.force_login(people["editor"])
    html = client.get(f"/review/edition/{draft.pk}/").content.decode()
    assert "เริ่มปรับปรุงฉบับใหม่" in html
    response = client.post(f"/review/manual/{draft.manual_id}/new-revision/")
    revision = draft.manual.editions.open().get()
    assert response["Location"] == f"/review/edition/{revision.pk}/"
    assert AuditEntry.objects.filter(edition=revision, action="start_revision").exists()


def test_inbox_lists_and_marks_read(client, draft, people):
    services.edition_submit(edition=draft, by=people["editor"])
    note = Notification.objects.get(recipient=people["reviewer"])
    client.force_login(people["reviewer"])
    html = client.get("/review/inbox/").content.decode()
    assert note.message in html
    response = client.post(f"/review/inbox/{note.pk}/read/")
    assert response["Location"] == f"/review/edition/{draft.pk}/"
    note.refresh_from_db()
    assert note.read_at is not None
    # Nobody reads someone else's notification.
    client.force_login(people["editor"])
    assert client.post(f"/review/inbox/{note.pk}/read/").status_code == 404


def test_reminders_are_sent_once_per_day(
    tree, people, mailoutbox, django_capture_on_commit_callbacks
):
    _bureau, own, _other = tree
    due = EditionFactory(
        manual__agency=own, status=S.PUBLISHED, published_on=datetime.date(2022, 7, 1)
    )
    late = EditionFactory(
        manual__agency=own, status=S.PUBLISHED, published_on=datetime.date(2021, 1, 1)
    )
    EditionFactory(manual__agency=own, status=S.PUBLISHED, published_on=datetime.date(2024, 1, 1))

    def run(day):
        with django_capture_on_commit_callbacks(execute=True), open(os.devnull, "w") as out:
            call_command("send_review_reminders", "--date", day, stdout=out)

    run("2025-06-01")
    notes = Notification.objects.filter(recipient=people["editor"])
    assert {(n.verb, n.edition_id) for n in notes} == {
        ("review_due", due.pk),
        ("review_overdue", late.pk),
    }
    assert len(mailoutbox) == 2
    assert mailoutbox[0].to == ["own_editor@example.org"]
    run("2025-06-01")
    assert notes.all().count() == 2 and len(mailoutbox) == 2
    run("2025-06-02")
    assert notes.all().count() == 4
    # Other units' editors hear nothing about this unit's manuals.
    assert not Notification.objects.filter(recipient=people["other_editor"]).exists()


pytestmark = pytest.mark.django_db
