"""The upload page: a file becomes a draft through a background task with a progress bar and a
report; permissions per role; bad files get a Thai message, nothing is written, the page stays
usable."""

from __future__ import annotations

import datetime
import io
import json
import zipfile

import pytest
from django.core.cache import cache
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from imports.models import ImportRun, UnplacedText
from imports.uploads import progress_recorder, run_progress
from manuals.models import Agency, Edition, Manual, Membership
from processes.models import Process, Step
from tests.factories import (
    AgencyFactory,
    EditionFactory,
    ManualFactory,
    MembershipFactory,
    UserFactory,
)
from tests.imports.sources import PROCESS_TITLE, manual_docx, manual_text

pytestmark = pytest.mark.django_db
UPLOAD = "imports:upload"


@pytest.fixture
def unit():
    return AgencyFactory(name="กองทดสอบ")


@pytest.fixture
def editor(unit):
    return MembershipFactory(agency=unit).user


@pytest.fixture
def published(unit):
    manual = ManualFactory(agency=unit, slug="kong-test")
    return EditionFactory(
        manual=manual,
        year_be=2564,
        status=Edition.Status.PUBLISHED,
        published_on=datetime.date(2021, 9, 30),
    )


def _file(name: str, data: bytes) -> SimpleUploadedFile:
    return SimpleUploadedFile(name, data, content_type="application/octet-stream")


def _post(client, target: str, name: str, data: bytes):
    return client.post(reverse(UPLOAD), {"target": target, "file": _file(name, data)})


def _new_manuals(unit) -> list[Manual]:
    return list(Manual.objects.filter(agency=unit).exclude(slug="kong-test"))


# --- who may import what --------------------------------------------------------------------


def test_anonymous_is_sent_to_login(client):
    response = client.get(reverse(UPLOAD))
    assert response.status_code == 302 and "login" in response["Location"]


def test_editor_is_offered_their_units_and_manuals_without_a_draft(client, unit, editor):
    sub = AgencyFactory(name="ฝ่ายย่อยของกอง", parent=unit)
    other = AgencyFactory(name="กองอื่น")
    open_manual = EditionFactory(manual__agency=unit).manual  # has a draft already
    free = EditionFactory(
        manual__agency=sub,
        status=Edition.Status.PUBLISHED,
        published_on=datetime.date(2021, 1, 1),
    ).manual
    client.force_login(editor)
    html = client.get(reverse(UPLOAD)).content.decode()
    assert f'value="agency:{unit.pk}"' in html
    assert f'value="agency:{sub.pk}"' in html  # a unit below the editor's
    assert f'value="agency:{other.pk}"' not in html
    assert f'value="manual:{free.pk}"' in html
    assert f'value="manual:{open_manual.pk}"' not in html


def test_reviewer_without_an_editor_role_is_told_so(client, unit):
    client.force_login(MembershipFactory(agency=unit, role=Membership.Role.REVIEWER).user)
    response = client.get(reverse(UPLOAD))
    assert response.status_code == 200
    assert "คุณยังไม่มีสิทธิ์นำเข้าคู่มือ" in response.content.decode()
    assert 'type="file"' not in response.content.decode()


def test_a_tampered_target_outside_the_users_units_is_refused(client, unit, editor):
    other = AgencyFactory(name="กองอื่น")
    client.force_login(editor)
    response = _post(client, f"agency:{other.pk}", "m.txt", manual_text())
    assert response.status_code == 400
    assert "ตัวเลือกไม่ถูกต้อง" in response.content.decode()
    assert not ImportRun.objects.exists() and not Manual.objects.filter(agency=other).exists()


def test_admin_may_import_for_any_agency(client, unit):
    admin = UserFactory(is_superuser=True)
    client.force_login(admin)
    html = client.get(reverse(UPLOAD)).content.decode()
    assert f'value="agency:{unit.pk}"' in html


def test_home_and_manual_page_link_to_the_import(client, unit, editor, published):
    client.force_login(editor)
    home = client.get(reverse("manuals:home")).content.decode()
    assert reverse(UPLOAD) in home
    assert f"{reverse(UPLOAD)}?manual=kong-test" in home  # next draft from a file
    overview = client.get(published.get_absolute_url()).content.decode()
    assert f"{reverse(UPLOAD)}?manual=kong-test" in overview
    form = client.get(f"{reverse(UPLOAD)}?manual=kong-test").content.decode()
    assert f'value="manual:{published.manual_id}" selected' in form


def test_reader_has_no_import_link(client, unit, published):
    client.force_login(MembershipFactory(agency=unit, role=Membership.Role.REVIEWER).user)
    assert reverse(UPLOAD) not in client.get(reverse("manuals:home")).content.decode()
    assert reverse(UPLOAD) not in client.get(published.get_absolute_url()).content.decode()


# --- a good import ----------------------------------------------------------------------------


@pytest.mark.parametrize("name, data", [("คู่มือ.md", manual_text), ("คู่มือ.docx", manual_docx)])
def test_upload_makes_a_new_manual_draft_and_shows_the_report(client, unit, editor, name, data):
    client.force_login(editor)
    response = _post(client, f"agency:{unit.pk}", name, data())
    run = ImportRun.objects.get()
    assert response.status_code == 302
    assert response["Location"] == reverse("imports:run", args=[run.pk])
    assert run.status == ImportRun.Status.DONE, run.error
    assert run.created_by == editor and run.source_name == name
    assert not run.source_file  # the upload is not kept once read
    edition = run.edition
    assert edition.status == Edition.Status.DRAFT and edition.manual.agency == unit
    sub = Process.objects.get(edition=edition, name=PROCESS_TITLE.split(" ", 1)[1])
    assert Step.objects.filter(process=sub).count() == 2

    page = client.get(response["Location"])
    html = page.content.decode()
    assert page.status_code == 200
    assert "รายงานการนำเข้า" in html and "นำเข้าเสร็จแล้ว" in html
    assert sub.name in html
    assert reverse("processes:editor", args=[sub.pk]) in html  # each process links to its editor
    assert "กระบวนการ ๑.๑ ไม่มีชื่อ" in html  # a warning, with its source location
    assert "ในต้นฉบับ บรรทัด" in html
    # the editor may now edit the imported draft
    editor_page = client.get(reverse("processes:editor", args=[sub.pk]))
    assert editor_page.status_code == 200 and "วางตาราง" in editor_page.content.decode()


def test_upload_as_the_next_draft_of_a_published_manual(client, unit, editor, published):
    client.force_login(editor)
    _post(client, f"manual:{published.manual_id}", "m.txt", manual_text())
    run = ImportRun.objects.get()
    assert run.status == ImportRun.Status.DONE, run.error
    draft = run.edition
    assert draft.manual_id == published.manual_id
    assert draft.status == Edition.Status.DRAFT and draft.year_be > published.year_be
    assert _new_manuals(unit) == []


def test_json_export_comes_back_as_the_next_draft(client, unit, editor, published):
    from interop.selectors import edition_export_json
    from tests.factories import ProcessFactory, StepFactory

    StepFactory(process=ProcessFactory(mission__edition=EditionFactory(manual=ManualFactory())))
    data = json.dumps(edition_export_json(edition=published), ensure_ascii=False).encode()
    client.force_login(editor)
    _post(client, f"manual:{published.manual_id}", "m.json", data)
    run = ImportRun.objects.get()
    assert run.status == ImportRun.Status.DONE, run.error
    assert run.source_kind == "json"
    assert run.edition.manual_id == published.manual_id


# --- bad files --------------------------------------------------------------------------------


def _zip_bomb() -> bytes:
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as z:
        z.writestr("[Content_Types].xml", "<Types/>")
        z.writestr("word/document.xml", b"<" + b"a" * 60_000_000 + b">")
    return out.getvalue()


@pytest.mark.parametrize(
    "name, data, message",
    [
        ("virus.exe", b"MZ....", "รับเฉพาะไฟล์"),
        ("noext", b"abc", "ไฟล์ไม่มีนามสกุล"),
    ],
)
def test_wrong_kind_is_refused_before_anything_is_kept(client, unit, editor, name, data, message):
    client.force_login(editor)
    response = _post(client, f"agency:{unit.pk}", name, data)
    assert response.status_code == 400
    assert message in response.content.decode()
    assert 'type="file"' in response.content.decode()  # the form is still there
    assert not ImportRun.objects.exists()


def test_empty_file_is_refused(client, unit, editor):
    client.force_login(editor)
    response = _post(client, f"agency:{unit.pk}", "m.docx", b"")
    assert response.status_code == 400
    assert "ว่างเปล่า" in response.content.decode()


def test_file_over_the_size_limit_is_refused(client, unit, editor, settings):
    settings.IMPORT_MAX_BYTES = 1024 * 1024
    client.force_login(editor)
    response = _post(client, f"agency:{unit.pk}", "m.txt", b"x" * (1024 * 1024 + 10))
    assert response.status_code == 400
    assert "ไฟล์ใหญ่เกินไป" in response.content.decode()
    assert "๑ เมกะไบต์" in response.content.decode()
    assert not ImportRun.objects.exists()


@pytest.mark.parametrize(
    "name, data, message",
    [
        ("เสีย.docx", b"PK\x03\x04 this is not a Word file", ""),
        ("ระเบิด.docx", None, ""),
        ("ภาพ.pdf", b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF", ""),
        ("ไม่มีตาราง.txt", "คำนำ\n\nคู่มือนี้ไม่มีตารางใดเลย".encode(), "ไม่พบตารางที่รู้จัก"),
    ],
)
def test_unreadable_file_fails_in_thai_and_writes_nothing(
    client, unit, editor, name, data, message
):
    client.force_login(editor)
    before = (Manual.objects.count(), Edition.objects.count(), Step.objects.count())
    response = _post(client, f"agency:{unit.pk}", name, data if data is not None else _zip_bomb())
    run = ImportRun.objects.get()
    assert response.status_code == 302
    assert run.status == ImportRun.Status.FAILED
    assert run.error and any("\u0e00" <= ch <= "\u0e7f" for ch in run.error)  # a Thai message
    assert message in run.error
    assert (Manual.objects.count(), Edition.objects.count(), Step.objects.count()) == before
    assert not UnplacedText.objects.exists()
    page = client.get(reverse("imports:run", args=[run.pk]))
    assert page.status_code == 200
    html = page.content.decode()
    assert run.error.replace('"', "&quot;") in html or run.error in html
    assert reverse(UPLOAD) in html  # "เลือกไฟล์ใหม่"
    assert '<h1 class="h4 mb-1">นำเข้าไม่สำเร็จ</h1>' in html


def test_the_queue_being_down_fails_the_run_with_a_thai_message(client, unit, editor, monkeypatch):
    from imports import uploads

    class QueueDown:
        def enqueue(self, *args, **kwargs):
            raise ConnectionError("queue down")

    monkeypatch.setattr(uploads, "import_manual", QueueDown())
    client.force_login(editor)
    _post(client, f"agency:{unit.pk}", "m.txt", manual_text())
    run = ImportRun.objects.get()
    assert run.status == ImportRun.Status.FAILED
    assert "ระบบคิวงานไม่พร้อม" in run.error
    assert _new_manuals(unit) == []


# --- progress and the run page ----------------------------------------------------------------


def test_progress_reaches_the_polling_fragment(client, unit, editor):
    run = ImportRun.objects.create(
        agency=unit, source_name="m.docx", source_kind="docx", created_by=editor, status="running"
    )
    record = progress_recorder(run.pk)
    record(42, "จำแนกตารางและกระบวนการ")
    run.refresh_from_db()
    assert (run.progress, run.stage) == (42, "จำแนกตารางและกระบวนการ")
    # inside the importer's transaction only the cache carries it
    from django.db import transaction

    with transaction.atomic():
        record(77, "บันทึกฉบับร่าง")
    run.refresh_from_db()
    assert run.progress == 42
    assert run_progress(run) == (77, "บันทึกฉบับร่าง")
    client.force_login(editor)
    response = client.get(reverse("imports:run_status", args=[run.pk]), HTTP_HX_REQUEST="true")
    html = response.content.decode()
    assert 'aria-valuenow="77"' in html and "๗๗%" in html and "บันทึกฉบับร่าง" in html
    assert 'hx-trigger="every 1s"' in html
    cache.clear()


def test_a_finished_run_tells_the_polling_page_to_reload(client, unit, editor):
    run = ImportRun.objects.create(
        agency=unit, source_name="m.docx", source_kind="docx", created_by=editor, status="done"
    )
    client.force_login(editor)
    response = client.get(reverse("imports:run_status", args=[run.pk]), HTTP_HX_REQUEST="true")
    assert response["HX-Refresh"] == "true"
    assert 'hx-trigger="every 1s"' not in response.content.decode()


def test_someone_elses_run_is_403(client, unit, editor):
    run = ImportRun.objects.create(
        agency=unit, source_name="m.docx", source_kind="docx", created_by=editor, status="failed"
    )
    client.force_login(MembershipFactory(agency=AgencyFactory()).user)
    assert client.get(reverse("imports:run", args=[run.pk])).status_code == 403
    assert client.get(reverse("imports:run_status", args=[run.pk])).status_code == 403


def test_report_page_lists_processes_warnings_and_unplaced_text(client, unit, editor):
    """The report as the importer stores it, linked to the edition's processes."""
    from tests.factories import ProcessFactory

    edition = EditionFactory(manual__agency=unit)
    process = ProcessFactory(mission__edition=edition, name="การรับหนังสือ")
    UnplacedText.objects.create(
        edition=edition, process=process, text="หมายเหตุท้ายตาราง", source_location="หน้า 3"
    )
    run = ImportRun.objects.create(
        agency=unit,
        edition=edition,
        manual=edition.manual,
        source_name="m.pdf",
        source_kind="pdf",
        created_by=editor,
        status="done",
        report={
            "counts": {"processes": 1, "steps": 0, "warnings": 2, "unplaced": 1},
            "chars": {"share_kept": 0.9934},
            "processes": [
                {
                    "number": "๑.๑",
                    "name": "การรับหนังสือ",
                    "process_id": process.pk,
                    "depth": 2,
                    "steps": 0,
                    "indicators": 0,
                    "stakeholders": 2,
                },
                {"number": "๑.๒", "name": "ถูกลบไปแล้ว", "process_id": 99999, "steps": 4},
            ],
            "warnings": [
                {
                    "code": "ocr",
                    "message": "อักษรต่างภาษาในคำ",
                    "location": "หน้า 12 บรรทัด 3",
                    "process": "๑.๑",
                    "process_id": process.pk,
                    "before": "ผู้อำนวยกา รส่วน",
                    "after": "ผู้อำนวยการส่วน",
                },
                {
                    "code": "ocr_suspect",
                    "message": "สงสัยว่าอ่านผิด",
                    "suggestion": "น่าจะเป็น จพง.ธุรการ",
                    "process_id": None,
                },
                {
                    "code": "number_gap",
                    "message": "เลขกระบวนการข้าม",
                    "location": "หน้า 40",
                    "process": "",
                    "process_id": None,
                },
            ],
            "legal_proposed": [{"id": 1, "citation": "ระเบียบใหม่ พ.ศ. ๒๕๖๗"}],
        },
    )
    client.force_login(editor)
    html = client.get(reverse("imports:run", args=[run.pk])).content.decode()
    assert "๙๙.๓%" in html
    assert "การรับหนังสือ" in html and "ถูกลบไปแล้ว" in html
    editor_url = reverse("processes:editor", args=[process.pk])
    assert html.count(f'href="{editor_url}"') >= 2  # the process row and its warning
    assert reverse("processes:editor", args=[99999]) not in html  # deleted since: no link
    assert "หน้า ๑๒ บรรทัด ๓" in html and "ผู้อำนวยการส่วน" in html
    assert "ทั้งฉบับ" in html and "เลขกระบวนการข้าม" in html
    assert "น่าจะเป็น จพง.ธุรการ" in html
    assert "ระเบียบใหม่ พ.ศ. ๒๕๖๗" in html
    assert "หมายเหตุท้ายตาราง" in html
    assert reverse("imports:unplaced_delete", args=[UnplacedText.objects.get().pk]) in html
    assert Agency.objects.filter(pk=unit.pk).exists()
