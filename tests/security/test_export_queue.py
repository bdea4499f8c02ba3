"""Finding 6: the PDF export queue cannot be flooded. At most one build waits per edition (a
request for newer content replaces the queued one, which is never built) and one person has at
most PDF_EXPORT_MAX_PENDING_PER_USER builds waiting."""

from __future__ import annotations

from types import SimpleNamespace

import pytest
from django.conf import settings
from django.test import Client
from django.urls import reverse

from printing import services
from printing.models import PdfExport
from tests.factories import EditionFactory, MembershipFactory, ProcessFactory, StepFactory

pytestmark = pytest.mark.django_db
Q = PdfExport.Status


@pytest.fixture
def queued(monkeypatch):
    """No worker: enqueued export ids are only collected."""
    ids: list[int] = []
    monkeypatch.setattr(services, "export_pdf", SimpleNamespace(enqueue=ids.append))
    return ids


def _edition(agency=None):
    kwargs = {"manual__agency": agency} if agency else {}
    edition = EditionFactory(preface="คำนำ", **kwargs)
    StepFactory(process=ProcessFactory(mission__edition=edition), detail="รับหนังสือ")
    return edition


def test_twenty_requests_after_edits_leave_one_queued_build(queued, monkeypatch):
    edition = _edition()
    editor = MembershipFactory(agency=edition.manual.agency).user
    for i in range(20):
        edition.preface = f"คำนำ ครั้งที่ {i}"
        edition.save()
        services.export_request(edition=edition, by=editor)
    assert PdfExport.objects.filter(edition=edition, status=Q.QUEUED).count() == 1
    cancelled = PdfExport.objects.filter(edition=edition, status=Q.FAILED)
    assert cancelled.count() == 19
    assert all("มีคำขอที่ใหม่กว่า" in e.error for e in cancelled)

    # The worker then meets the 19 cancelled builds: none is built.
    def must_not_build(*args, **kwargs):
        raise AssertionError("a cancelled export was built")

    monkeypatch.setattr("printing.builder.build_manual", must_not_build)
    for pk in queued[:-1]:
        assert services.export_run(export_id=pk).status == Q.FAILED


def test_the_same_content_joins_the_queued_build(queued):
    edition = _edition()
    editor = MembershipFactory(agency=edition.manual.agency).user
    first = services.export_request(edition=edition, by=editor)
    assert services.export_request(edition=edition, by=editor).pk == first.pk
    assert len(queued) == 1


def test_one_person_has_a_limited_number_of_waiting_builds(queued):
    limit = settings.PDF_EXPORT_MAX_PENDING_PER_USER
    editions = [_edition() for _ in range(limit + 1)]
    reader = MembershipFactory(agency=editions[0].manual.agency).user
    reader.is_superuser = True  # reads every edition
    reader.save()
    for edition in editions[:limit]:
        services.export_request(edition=edition, by=reader)
    with pytest.raises(services.ExportLimitError) as exc:
        services.export_request(edition=editions[-1], by=reader)
    assert "รอให้เสร็จก่อน" in exc.value.messages[0]
    assert not PdfExport.objects.filter(edition=editions[-1]).exists()
    # Through the button: a Thai message, no 500.
    client = Client()
    client.force_login(reader)
    url = reverse("printing:export", args=[editions[-1].pk])
    response = client.post(url, HTTP_HX_REQUEST="true")
    assert response.status_code == 200 and "รอให้เสร็จก่อน" in response.content.decode()
    response = client.post(url)
    assert response.status_code == 302
    # Another person is not held up by this one.
    other = MembershipFactory(agency=editions[-1].manual.agency).user
    assert services.export_request(edition=editions[-1], by=other).status == Q.QUEUED
