"""Batch approval is all or nothing under a real concurrent edit: two threads, each on its own
PostgreSQL connection, interleaved deterministically (each waits until the database shows the
other blocked on a row lock).

1. The unit's edit holds the edition (withdraw, change a step, submit again) while the batch
   starts: the batch waits for it, then sees the change and approves nothing.
2. The batch holds the editions while the unit tries to withdraw one: the unit waits, the whole
   batch is published, and the withdrawal is refused.
"""

from __future__ import annotations

import threading
import time

import pytest
from django.conf import settings
from django.db import connection, transaction

from manuals.models import Edition
from processes.models import Step
from reviews import services as review_services
from rounds import services
from tests.rounds.test_batch_approval import LETTER, LETTER_DATE, _editor_of, finals  # noqa: F401

ON_POSTGRESQL = settings.DATABASES["default"]["ENGINE"].endswith("postgresql")
pytestmark = [
    pytest.mark.django_db(transaction=True),
    pytest.mark.skipif(not ON_POSTGRESQL, reason="row locks between connections: PostgreSQL"),
]
S = Edition.Status


class Worker(threading.Thread):
    """Runs ``fn`` on its own database connection; keeps its result or exception."""

    def __init__(self, fn):
        super().__init__(daemon=True)
        self.fn, self.result, self.error = fn, None, None

    def run(self):
        try:
            self.result = self.fn()
        except BaseException as exc:  # noqa: BLE001 - handed to the test
            self.error = exc
        finally:
            connection.close()


def _wait_for_a_lock_wait(timeout: float = 20.0) -> None:
    """Until another connection of this database waits on a lock."""
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        with connection.cursor() as cursor:
            cursor.execute(
                "SELECT count(*) FROM pg_stat_activity WHERE datname = current_database()"
                " AND wait_event_type = 'Lock' AND pid <> pg_backend_pid()"
            )
            if cursor.fetchone()[0]:
                return
        time.sleep(0.05)
    raise AssertionError("the other connection never waited for the lock")


def _batch(people, parts):
    return services.batch_approve(
        by=people["approver"], participations=parts, letter_number=LETTER, letter_date=LETTER_DATE
    )


def test_an_edit_in_flight_stops_the_whole_batch(people, finals):  # noqa: F811
    _round, parts = finals
    changed = parts[1]
    editor = _editor_of(people, changed.manual)
    holding, release = threading.Event(), threading.Event()

    def edit():
        with transaction.atomic():
            review_services.edition_withdraw(edition=changed.edition, by=editor)
            step = Step.objects.filter(process__edition=changed.edition).first()
            step.detail = "แก้ไขระหว่างอนุมัติ"
            step.save()
            review_services.edition_submit(edition=changed.edition, by=editor)
            holding.set()
            assert release.wait(30)
        return True

    unit = Worker(edit)
    unit.start()
    assert holding.wait(30)
    batch = Worker(lambda: _batch(people, parts))
    batch.start()
    _wait_for_a_lock_wait()  # the batch waits on the edition the unit holds
    assert batch.is_alive()
    release.set()
    unit.join(30)
    batch.join(60)
    assert unit.error is None and unit.result is True
    assert isinstance(batch.error, services.BatchRefused), batch.error
    assert len(batch.error.reasons) == 1
    assert "หลังจากรวบรวม" in batch.error.reasons[0]
    ids = [p.edition_id for p in parts]
    assert Edition.objects.filter(pk__in=ids, status=S.SUBMITTED).count() == 3
    assert not Edition.objects.filter(status__in=[S.APPROVED]).exists()
    assert not Edition.objects.filter(pk__in=ids).exclude(approval_letter_number="").exists()
    assert Step.objects.filter(detail="แก้ไขระหว่างอนุมัติ").count() == 1


def test_a_withdrawal_during_the_batch_waits_and_is_refused(people, finals, monkeypatch):  # noqa: F811
    _round, parts = finals
    target = parts[2]
    editor = _editor_of(people, target.manual)
    holding, release = threading.Event(), threading.Event()
    original = services.edition_approve

    def slow_approve(**kwargs):
        if not holding.is_set():  # first edition: every edition of the batch is locked now
            holding.set()
            assert release.wait(30)
        return original(**kwargs)

    monkeypatch.setattr(services, "edition_approve", slow_approve)
    batch = Worker(lambda: _batch(people, parts))
    batch.start()
    assert holding.wait(30)
    unit = Worker(lambda: review_services.edition_withdraw(edition=target.edition, by=editor))
    unit.start()
    _wait_for_a_lock_wait()  # the withdrawal waits on the edition the batch holds
    assert unit.is_alive()
    release.set()
    batch.join(60)
    unit.join(30)
    assert batch.error is None, batch.error
    assert len(batch.result.editions) == 3
    assert unit.error is not None  # refused: the edition is published by now
    for p in parts:
        edition = Edition.objects.get(pk=p.edition_id)
        assert edition.status == S.PUBLISHED
        assert edition.approval_letter_number == LETTER
