"""The Word file is made in the background like the PDF: a progress bar that polls, the file
cached by the edition's content, a download named in Thai; never made inside the request."""

from __future__ import annotations

import io

import pytest
from django.urls import reverse
from docx import Document

from interop import services
from interop.models import DocxExport
from interop.services import docx_request, docx_run
from tests.factories import (
    EditionFactory,
    LaneFactory,
    MembershipFactory,
    ProcessFactory,
    StepFactory,
    UserFactory,
)

pytestmark = pytest.mark.django_db
DUMMY = {"default": {"BACKEND": "django_tasks.backends.dummy.DummyBackend"}}


@pytest.fixture
def small():
    edition = EditionFactory(year_be=2567)
    lane = LaneFactory(edition=edition, name="จพง.ธุรการ")
    for number in range(2):
        process = ProcessFactory(mission__edition=edition, name=f"กระบวนการ {number}")
        for position in range(1, 4):
            StepFactory(process=process, position=position, lane=lane, label=f"ขั้นที่ {position}")
    return edition


@pytest.fixture
def editor(small):
    return MembershipFactory(agency=small.manual.agency).user


def test_htmx_post_shows_the_download_and_the_file_is_cached_by_content(client, small, editor):
    client.force_login(editor)
    url = reverse("interop:docx_export", kwargs={"pk": small.pk})
    response = client.post(url, HTTP_HX_REQUEST="true")
    assert response.status_code == 200
    export = DocxExport.objects.get()
    assert export.status == "done" and export.stage == "finished" and export.charts_total == 2
    html = response.content.decode()
    download = reverse("interop:docx_download", kwargs={"pk": export.pk})
    assert download in html and "hx-trigger" not in html
    file = client.get(download)
    assert file.status_code == 200
    assert file["Content-Type"].endswith("wordprocessingml.document")
    assert "filename*=UTF-8''" in file["Content-Disposition"]
    assert Document(io.BytesIO(b"".join(file.streaming_content))).tables
    # the same content: the same file, nothing made again (the GET link serves it at once)
    client.post(url, HTTP_HX_REQUEST="true")
    again = client.get(reverse("interop:edition_docx", kwargs={"pk": small.pk}))
    assert again.status_code == 200 and DocxExport.objects.count() == 1
    # new content: a new file, and the open edition's old one is dropped
    step = small.missions.first().processes.first().steps.first()
    step.label = "ขั้นตอนที่แก้แล้ว"
    step.save()
    client.post(url, HTTP_HX_REQUEST="true")
    assert list(DocxExport.objects.values_list("status", flat=True)) == ["done"]
    assert DocxExport.objects.get().pk != export.pk


def test_queued_export_polls_with_its_stage_and_runs_with_progress(client, small, editor, settings):
    settings.TASKS = DUMMY
    client.force_login(editor)
    response = client.post(
        reverse("interop:docx_export", kwargs={"pk": small.pk}), HTTP_HX_REQUEST="true"
    )
    export = DocxExport.objects.get()
    assert export.status == "queued"  # not made in the request
    html = response.content.decode()
    assert 'hx-trigger="every 1s"' in html
    assert reverse("interop:docx_status", kwargs={"pk": export.pk}) in html
    # a second request joins the queued one
    assert docx_request(edition=small, by=editor).pk == export.pk
    # the plain link shows the progress page instead of making the file in the request
    page = client.get(reverse("interop:edition_docx", kwargs={"pk": small.pk}))
    assert page["Location"] == reverse("interop:docx_detail", kwargs={"pk": export.pk})
    assert "รอเริ่มงาน" in client.get(page["Location"]).content.decode()

    seen = []
    real = services._docx_progress

    def record(export_id, stage, done, total):
        real(export_id, stage, done, total)
        row = DocxExport.objects.get(pk=export_id)
        seen.append((row.stage, row.charts_done, row.charts_total, row.percent))

    services._docx_progress = record
    try:
        docx_run(export_id=export.pk)
    finally:
        services._docx_progress = real
    assert seen[0][0] == "loading"
    assert ("charts", 1, 2, 45) in seen and ("charts", 2, 2, 85) in seen
    assert seen[-1][0] == "writing"
    percents = [p for *_rest, p in seen]
    assert percents == sorted(percents)
    export.refresh_from_db()
    assert export.status == "done" and export.percent == 100 and export.file_size > 1000


def test_running_export_shows_the_charts_drawn_in_thai_digits(client, small, editor):
    export = DocxExport.objects.create(
        edition=small, content_hash="x", status="running", stage="charts", charts_done=12,
        charts_total=40,
    )  # fmt: skip
    client.force_login(editor)
    html = client.get(reverse("interop:docx_status", kwargs={"pk": export.pk})).content.decode()
    assert 'hx-trigger="every 1s"' in html
    assert "วาดแผนผังกระบวนการ" in html and "๑๒" in html and "๔๐" in html


def test_a_failure_is_said_in_thai_and_stops_polling(client, small, editor, monkeypatch):
    def broken(**kwargs):
        raise RuntimeError("<b>boom</b>")

    monkeypatch.setattr(services, "manual_docx", broken)
    client.force_login(editor)
    response = client.post(
        reverse("interop:docx_export", kwargs={"pk": small.pk}), HTTP_HX_REQUEST="true"
    )
    html = response.content.decode()
    assert DocxExport.objects.get().status == "failed"
    assert "สร้างไฟล์ Word ไม่สำเร็จ" in html and "hx-trigger" not in html
    assert "<b>boom" not in html
    export = DocxExport.objects.get()
    assert client.get(reverse("interop:docx_download", kwargs={"pk": export.pk})).status_code == 404
    # a failed export does not block a new try
    monkeypatch.undo()
    client.post(reverse("interop:docx_export", kwargs={"pk": small.pk}), HTTP_HX_REQUEST="true")
    assert DocxExport.objects.filter(status="done").count() == 1


def test_a_lost_file_or_a_stale_queue_is_made_again(small, editor, settings):
    export = docx_request(edition=small, by=editor)
    export.file.storage.delete(export.file.name)
    fresh = docx_request(edition=small, by=editor)
    assert fresh.pk != export.pk and fresh.status == "done"
    settings.TASKS = DUMMY
    step = small.missions.first().processes.first().steps.first()
    step.label = "ใหม่"
    step.save()
    queued = docx_request(edition=small, by=editor)
    DocxExport.objects.filter(pk=queued.pk).update(created_at="2020-01-01T00:00:00Z")
    again = docx_request(edition=small, by=editor)
    assert again.pk != queued.pk
    queued.refresh_from_db()
    assert queued.status == "failed" and "นานผิดปกติ" in queued.error


def test_someone_elses_draft_is_403_everywhere(client, small):
    export = DocxExport.objects.create(edition=small, content_hash="x", status="done")
    client.force_login(UserFactory())
    assert client.post(reverse("interop:docx_export", kwargs={"pk": small.pk})).status_code == 403
    for name in ("interop:docx_status", "interop:docx_detail", "interop:docx_download"):
        assert client.get(reverse(name, kwargs={"pk": export.pk})).status_code == 403, name
    assert DocxExport.objects.count() == 1
    client.logout()
    response = client.post(reverse("interop:docx_export", kwargs={"pk": small.pk}))
    assert response.status_code == 302  # sign in first


def test_the_panel_button_posts_to_the_background_export(client, small, editor):
    client.force_login(editor)
    panel = client.get(reverse("reviews:panel", kwargs={"pk": small.pk})).content.decode()
    url = reverse("interop:docx_export", kwargs={"pk": small.pk})
    assert f'hx-post="{url}"' in panel and f'id="docx-slot-{small.pk}"' in panel
