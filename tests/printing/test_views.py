"""The export button, the progress fragment and the download, with their permissions."""

from __future__ import annotations

import pytest
from django.urls import reverse

from printing.models import PdfExport
from tests.factories import EditionFactory, MembershipFactory, ProcessFactory, StepFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def edition():
    edition = EditionFactory()
    StepFactory(process=ProcessFactory(mission__edition=edition))
    return edition


@pytest.fixture
def editor_client(client, edition):
    client.force_login(MembershipFactory(agency=edition.manual.agency).user)
    return client


def test_anonymous_is_sent_to_login(client, edition):
    response = client.post(reverse("printing:export", args=[edition.pk]))
    assert response.status_code == 302
    assert "login" in response["Location"]


def test_other_unit_gets_403_on_a_draft(client, edition):
    client.force_login(MembershipFactory().user)
    assert client.post(reverse("printing:export", args=[edition.pk])).status_code == 403


def test_htmx_post_returns_the_fragment_and_download_works(editor_client, edition):
    response = editor_client.post(
        reverse("printing:export", args=[edition.pk]), HTTP_HX_REQUEST="true"
    )
    assert response.status_code == 200
    export = PdfExport.objects.get()
    assert export.status == "done"
    assert reverse("printing:download", args=[export.pk]) in response.content.decode()
    download = editor_client.get(reverse("printing:download", args=[export.pk]))
    assert download["Content-Type"] == "application/pdf"
    assert "filename*=UTF-8''" in download["Content-Disposition"]
    assert b"".join(download.streaming_content).startswith(b"%PDF-")


def test_plain_post_redirects_to_the_status_page(editor_client, edition):
    response = editor_client.post(reverse("printing:export", args=[edition.pk]))
    export = PdfExport.objects.get()
    assert response["Location"] == reverse("printing:detail", args=[export.pk])
    page = editor_client.get(response["Location"])
    assert page.status_code == 200
    assert "ดาวน์โหลด PDF" in page.content.decode()


def test_running_export_polls_and_shows_stage_and_pages(editor_client, edition):
    export = PdfExport.objects.create(
        edition=edition, content_hash="x", status="running", stage="layout", pages_done=42
    )
    html = editor_client.get(reverse("printing:status", args=[export.pk])).content.decode()
    assert 'hx-trigger="every 1s"' in html
    assert "จัดหน้า" in html and "๔๒" in html


def test_failed_export_shows_the_message_and_stops_polling(editor_client, edition):
    export = PdfExport.objects.create(
        edition=edition, content_hash="x", status="failed", error="สร้างไฟล์ PDF ไม่สำเร็จ: <b>x</b>"
    )
    html = editor_client.get(reverse("printing:status", args=[export.pk])).content.decode()
    assert "hx-trigger" not in html
    assert "&lt;b&gt;x&lt;/b&gt;" in html


def test_status_and_download_of_someone_elses_draft_are_403(client, edition):
    export = PdfExport.objects.create(edition=edition, content_hash="x", status="done")
    client.force_login(MembershipFactory().user)
    assert client.get(reverse("printing:status", args=[export.pk])).status_code == 403
    assert client.get(reverse("printing:download", args=[export.pk])).status_code == 403
