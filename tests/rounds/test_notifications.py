import datetime

import pytest
from django.core import mail
from django.core.management import call_command

from reviews.models import Notification
from rounds import services
from rounds.models import ProgressSnapshot, RoundNotice
from tests.rounds.conftest import MILESTONES


@pytest.fixture
def round(people, manuals, shared):
    return services.round_open(
        by=people["planner"], title="รอบ 2567", year_be=2567, scope=None, milestones=MILESTONES
    )


def _run(today, capture):
    with capture(execute=True):
        call_command("send_round_reminders", today=today.isoformat())


def test_due_soon_then_late_reminders_reach_editors_once(
    round, people, django_capture_on_commit_callbacks
):
    before = MILESTONES["draft_due"] - datetime.timedelta(days=3)
    _run(before, django_capture_on_commit_callbacks)
    due = Notification.objects.filter(verb=Notification.Verb.MILESTONE_DUE)
    assert set(due.values_list("recipient__username", flat=True)) == {"editor", "group_editor"}
    subjects = [m.subject for m in mail.outbox]
    assert any("ใกล้ถึงกำหนดของรอบการปรับปรุง" in s for s in subjects)
    assert any("ส่งร่างคู่มือ" in m.body for m in mail.outbox)
    # the shared manual's reminder goes to its working group, not to the district editors
    assert not due.filter(recipient=people["d2_editor"]).exists()

    count, mails = Notification.objects.count(), len(mail.outbox)
    _run(before, django_capture_on_commit_callbacks)  # twice on a day: nothing new
    _run(before + datetime.timedelta(days=1), django_capture_on_commit_callbacks)
    assert Notification.objects.count() == count and len(mail.outbox) == mails

    after = MILESTONES["draft_due"] + datetime.timedelta(days=1)
    _run(after, django_capture_on_commit_callbacks)
    late = Notification.objects.filter(verb=Notification.Verb.MILESTONE_LATE)
    assert late.filter(recipient=people["editor"]).count() == 1
    _run(after, django_capture_on_commit_callbacks)
    assert late.filter(recipient=people["editor"]).count() == 1
    assert RoundNotice.objects.filter(kind="late").exists()
    assert ProgressSnapshot.objects.filter(round=round).count() == 3


def test_a_district_comment_tells_the_working_group_once(
    round, people, shared, django_capture_on_commit_callbacks
):
    draft = shared.editions.open().get()
    with django_capture_on_commit_callbacks(execute=True):
        services.adopter_comment_add(target=draft, by=people["d2_editor"], body="ขอเพิ่มแบบฟอร์ม")
    notes = Notification.objects.filter(verb=Notification.Verb.ADOPTER_COMMENT)
    assert list(notes.values_list("recipient__username", flat=True)) == ["group_editor"]
    assert "สำนักงานเขตบางรัก" in notes.get().message
    assert any("group_editor@example.org" in m.to for m in mail.outbox)
    # the daily catch-up does not send it again
    _run(datetime.date.today(), django_capture_on_commit_callbacks)
    assert notes.count() == 1


def test_a_comment_on_the_review_page_is_caught_up_by_the_daily_run(
    round, people, shared, django_capture_on_commit_callbacks
):
    from reviews.services import comment_add

    draft = shared.editions.open().get()
    comment_add(target=draft, by=people["d1_editor"], body="ขั้นตอนที่ ๓ ใช้เวลานานกว่านี้")
    assert not Notification.objects.filter(verb=Notification.Verb.ADOPTER_COMMENT).exists()
    _run(datetime.date.today(), django_capture_on_commit_callbacks)
    _run(datetime.date.today(), django_capture_on_commit_callbacks)
    notes = Notification.objects.filter(verb=Notification.Verb.ADOPTER_COMMENT)
    assert notes.count() == 1 and "สำนักงานเขตพระนคร" in notes.get().message


def test_bad_date_is_a_clear_error():
    from django.core.management.base import CommandError

    with pytest.raises(CommandError):
        call_command("send_round_reminders", today="31/03/2567")
