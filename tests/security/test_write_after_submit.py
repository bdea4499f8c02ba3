"""Finding 8: an edit racing a submit. The edit was checked against an edition loaded before the
submit, so it landed after it; now every content write locks the edition row and rechecks the
stored status in its own transaction."""

from __future__ import annotations

import threading
import time

import pytest
from django.core.exceptions import PermissionDenied
from django.db import connection, transaction

from manuals import services as manual_services
from manuals.models import Definition, Edition
from processes import services
from processes.models import Step
from reviews.services import edition_submit

S = Edition.Status


def _loaded_step(world):
    """The step as a view loads it (with its edition) before anything else happens."""
    return Step.objects.select_related("process__edition").get(pk=world.steps[0].pk)


@pytest.mark.django_db
def test_a_step_loaded_before_a_submit_is_not_saved_after_it(world):
    step = _loaded_step(world)
    assert step.process.edition.status == S.DRAFT
    edition_submit(edition=world.draft, by=world.users["editor"])  # between load and save
    with pytest.raises(PermissionDenied):
        services.step_update(
            step=step,
            by=world.users["editor"],
            data={"detail": "บันทึกหลังส่งตรวจสอบ"},
            expected_version=step.version,
        )
    assert Step.objects.get(pk=step.pk).detail != "บันทึกหลังส่งตรวจสอบ"


@pytest.mark.django_db
def test_a_row_and_a_text_section_loaded_before_a_submit(world):
    definition = Definition.objects.create(edition=world.draft, term="คำ", meaning="ความหมาย")
    row = Definition.objects.select_related("edition").get(pk=definition.pk)
    edition = Edition.objects.get(pk=world.draft.pk)
    edition_submit(edition=world.draft, by=world.users["editor"])
    with pytest.raises(PermissionDenied):
        manual_services.content_row_update(
            row=row, by=world.users["editor"], data={"meaning": "ใหม่"}, expected_version=1
        )
    with pytest.raises(PermissionDenied):
        manual_services.edition_text_change(
            edition=edition,
            by=world.users["editor"],
            data={"preface": "คำนำหลังส่ง"},
            expected_version=edition.version,
        )
    with pytest.raises(PermissionDenied):
        services.step_insert(process=_loaded_step(world).process, by=world.users["editor"])
    assert Definition.objects.get(pk=row.pk).meaning == "ความหมาย"


@pytest.mark.skipif(
    connection.vendor != "postgresql",
    reason="row locks between threads need PostgreSQL (CI); the in-memory SQLite test "
    "database is one shared-cache file whose table locks fail instead of waiting",
)
@pytest.mark.django_db(transaction=True)
def test_two_threads_on_postgresql(world):
    """A submit holding the edition's row lock: the concurrent save waits, then is refused."""
    step = _loaded_step(world)
    submitted = threading.Event()
    release = threading.Event()
    outcome = {}

    def submitter():
        try:
            with transaction.atomic():
                edition_submit(edition=world.draft, by=world.users["editor"])
                submitted.set()
                release.wait(5)
        finally:
            connection.close()

    def editor():
        try:
            services.step_update(
                step=step,
                by=world.users["editor"],
                data={"detail": "แข่งกับการส่ง"},
                expected_version=step.version,
            )
            outcome["result"] = "saved"
        except PermissionDenied:
            outcome["result"] = "refused"
        finally:
            connection.close()

    first = threading.Thread(target=submitter)
    first.start()
    assert submitted.wait(5)
    second = threading.Thread(target=editor)
    second.start()
    time.sleep(0.3)
    assert second.is_alive()  # waiting for the edition's lock
    release.set()
    first.join(5)
    second.join(5)
    assert outcome["result"] == "refused"
    assert Step.objects.get(pk=step.pk).detail != "แข่งกับการส่ง"
