"""The whole-manual JSON: export an edition, import it as a new manual or as the next draft, and
get the same edition back; bad files are refused with a Thai message and write nothing."""

from __future__ import annotations

import datetime
import json
from io import StringIO

import pytest
from django.apps import apps
from django.core.exceptions import PermissionDenied
from django.core.management import CommandError, call_command

from core.models import EditionContent
from interop.errors import ImportRejected
from interop.manual_json import SCHEMA_PATH, schema_text
from interop.selectors import edition_export_json
from interop.services import edition_import_json
from manuals.models import Agency, Edition, LegalReference, Manual
from processes.models import Step
from tests.conftest import build_full_edition
from tests.factories import AgencyFactory, UserFactory

pytestmark = pytest.mark.django_db

THAI = "กขคงจฉชซญฎฏฐฑฒณดตถทธนบปผฝพฟภมยรลวศษสหฬอฮ"
EDITION_LOCAL = {"id", "manual", "based_on", "version", "created_at", "updated_at"}


def _content_models():
    """Walked from the app registry here too, so a table added later is compared as well."""
    return [m for m in apps.get_models() if issubclass(m, EditionContent)]


def snapshot(edition: Edition, *, with_status: bool = True) -> dict:
    """Every field and relation of every content row of the edition, keyed by lineage; rows
    point at each other by lineage, so two editions on different ids compare equal."""
    lineage_of = {}
    for model in _content_models():
        for pk, lineage in model.objects.filter(**{model.edition_path: edition}).values_list(
            "pk", "lineage"
        ):
            lineage_of[(model, pk)] = lineage
    out: dict = {
        "edition": {
            f.name: getattr(edition, f.attname)
            for f in Edition._meta.concrete_fields
            if f.name not in EDITION_LOCAL
            and (with_status or f.name not in {"status", "published_on"})
            and (with_status or not f.name.startswith("approval_letter"))
        }
    }
    for model in _content_models():
        table = {}
        for row in model.objects.filter(**{model.edition_path: edition}):
            item = {}
            for field in model._meta.concrete_fields:
                if field.primary_key:
                    continue
                value = getattr(row, field.attname)
                if field.is_relation and field.related_model is Edition:
                    value = "this edition"
                elif (
                    field.is_relation
                    and value is not None
                    and field.related_model in (_content_models())
                ):
                    value = lineage_of[(field.related_model, value)]
                item[field.name] = value
            for field in model._meta.many_to_many:
                item[field.name] = sorted(str(o.lineage) for o in getattr(row, field.name).all())
            assert row.lineage not in table, f"{model} lineage twice"
            table[row.lineage] = item
        out[model._meta.label] = table
    return out


@pytest.fixture
def demo(demo_manual):
    """The demo manual, loaded once for the module (tests/conftest.py ``demo_loaded``)."""
    return demo_manual


def test_demo_round_trip_is_identical(demo):
    published = demo.editions.get(status=Edition.Status.PUBLISHED)
    doc = edition_export_json(edition=published)
    text = json.dumps(doc, ensure_ascii=False)

    copy = edition_import_json(data=text, slug="kpp-copy")

    assert copy.manual.slug == "kpp-copy" and copy.pk != published.pk
    assert copy.manual.agency == demo.agency  # the same unit, found by its name path
    before, after = snapshot(published), snapshot(copy)
    assert before["edition"]["status"] == Edition.Status.PUBLISHED
    assert sum(len(t) for k, t in before.items() if k != "edition") > 400
    assert before == after
    # and the copy exports to the same file
    again = edition_export_json(edition=copy)
    doc["manual"]["slug"] = again["manual"]["slug"]
    doc.pop("exported_at"), again.pop("exported_at")
    assert again == doc


def test_every_table_round_trips_with_trees_m2m_and_laws(db):
    edition = build_full_edition()
    Step.objects.filter(process__edition=edition).update(
        duration_text="๑-๒ วัน", headcount_text="๓-๕ คน", same_row=True
    )
    laws_before = LegalReference.objects.count()
    doc = edition_export_json(edition=edition)
    assert all(doc["tables"][m._meta.label_lower] for m in _content_models()[:13])
    copy = edition_import_json(data=json.dumps(doc), slug="full-copy")
    assert snapshot(copy) == snapshot(edition)
    assert LegalReference.objects.count() == laws_before  # the shared library is reused


def test_laws_missing_on_the_other_server_are_added_to_its_library(db):
    edition = build_full_edition()
    doc = edition_export_json(edition=edition)
    law = doc["legal_references"][0]
    law["title"] = "ระเบียบที่เซิร์ฟเวอร์ปลายทางยังไม่มี"
    copy = edition_import_json(data=json.dumps(doc), slug="law-copy")
    assert LegalReference.objects.filter(title=law["title"]).count() == 1
    requirement = apps.get_model("processes", "LegalRequirement").objects.get(process__edition=copy)
    assert requirement.reference.title == law["title"]


def test_import_as_the_next_draft_of_an_existing_manual(demo):
    published = demo.editions.get(status=Edition.Status.PUBLISHED)
    doc = edition_export_json(edition=published)
    demo.editions.open().delete()

    draft = edition_import_json(data=json.dumps(doc), manual=demo)

    assert draft.manual == demo
    assert draft.status == Edition.Status.DRAFT and draft.published_on is None
    assert draft.based_on == published
    assert snapshot(draft, with_status=False) == snapshot(published, with_status=False)
    # lineage ids kept: the draft compares row by row with the edition it came from
    assert set(Step.objects.filter(process__edition=draft).values_list("lineage", flat=True)) == (
        set(Step.objects.filter(process__edition=published).values_list("lineage", flat=True))
    )


def test_next_draft_refused_while_the_manual_has_an_open_draft(demo):
    doc = edition_export_json(edition=demo.editions.get(status=Edition.Status.PUBLISHED))
    with pytest.raises(ImportRejected, match="ฉบับร่าง"):
        edition_import_json(data=json.dumps(doc), manual=demo)


def test_a_new_manual_needs_an_admin_and_a_draft_needs_its_editor(demo):
    doc = json.dumps(edition_export_json(edition=demo.editions.get(status="published")))
    stranger = UserFactory()
    with pytest.raises(PermissionDenied):
        edition_import_json(data=doc, slug="x-copy", by=stranger)
    admin = UserFactory(is_superuser=True)
    assert edition_import_json(data=doc, slug="x-copy", by=admin).manual.slug == "x-copy"


def test_schema_in_the_repo_matches_the_models():
    assert SCHEMA_PATH.read_text(encoding="utf-8") == schema_text(), (
        "run manage.py interop_schema (and raise FORMAT_VERSION if old files no longer fit)"
    )


def test_the_exported_file_validates_against_the_stored_schema(db):
    import jsonschema

    doc = edition_export_json(edition=build_full_edition())
    jsonschema.Draft202012Validator(json.loads(SCHEMA_PATH.read_text())).validate(doc)


# ----------------------------------------------------------------------------- bad files


def _counts() -> dict:
    models = [Manual, Edition, Agency, LegalReference, *_content_models()]
    return {m._meta.label: m.objects.count() for m in models}


@pytest.fixture
def good_doc(db):
    edition = build_full_edition()
    Edition.objects.filter(pk=edition.pk).update(
        status=Edition.Status.PUBLISHED, published_on=datetime.date(2024, 1, 1)
    )
    return edition_export_json(edition=Edition.objects.get(pk=edition.pk))


def _bad(doc_or_bytes, match: str, **kwargs):
    before = _counts()
    data = doc_or_bytes if isinstance(doc_or_bytes, bytes | str) else json.dumps(doc_or_bytes)
    kwargs.setdefault("slug", "bad-copy")
    with pytest.raises(ImportRejected) as info:
        edition_import_json(data=data, **kwargs)
    message = str(info.value)
    assert match in message
    assert any(ch in THAI for ch in message)  # a Thai message
    assert _counts() == before  # nothing written
    return message


def test_not_json_wrong_format_and_wrong_version(good_doc):
    _bad(b"{not json", "ไม่ใช่ JSON")
    _bad(b"\xff\xfe\x00garbage", "UTF-8")
    _bad("[1, 2, 3]", "ไม่ใช่ไฟล์คู่มือ")
    _bad({"format": "something-else"}, "ไม่ใช่ไฟล์คู่มือ")
    _bad(good_doc | {"version": 99}, "รุ่น")
    _bad("[" * 100_000 + "]" * 100_000, "ลึกเกินไป")


def test_schema_violations_name_the_place(good_doc):
    doc = json.loads(json.dumps(good_doc))
    doc["tables"]["processes.step"][0]["shape"] = "hexagon"
    message = _bad(doc, "ไม่ตรงตามรูปแบบ")
    assert "processes.step/0/shape" in message
    doc = json.loads(json.dumps(good_doc))
    doc["tables"]["processes.step"][0]["extra"] = 1
    _bad(doc, "ไม่ตรงตามรูปแบบ")
    doc = json.loads(json.dumps(good_doc))
    del doc["tables"]["manuals.lane"]
    _bad(doc, "ไม่ตรงตามรูปแบบ")
    doc = json.loads(json.dumps(good_doc))
    doc["tables"]["manuals.lane"][0]["name"] = "ก" * 151
    _bad(doc, "ไม่ตรงตามรูปแบบ")


def test_missing_references_and_duplicate_lineages(good_doc):
    doc = json.loads(json.dumps(good_doc))
    doc["tables"]["processes.step"][0]["lane"] = "00000000-0000-0000-0000-000000000000"
    _bad(doc, "ไม่มีอยู่ในไฟล์")
    doc = json.loads(json.dumps(good_doc))
    doc["tables"]["processes.step"][0]["forms"] = ["11111111-1111-1111-1111-111111111111"]
    _bad(doc, "ไม่มีอยู่ในไฟล์")
    doc = json.loads(json.dumps(good_doc))
    doc["tables"]["processes.legalrequirement"][0]["reference"] = "L999"
    _bad(doc, "ไม่มีอยู่ในไฟล์")
    doc = json.loads(json.dumps(good_doc))
    doc["tables"]["manuals.lane"][1]["lineage"] = doc["tables"]["manuals.lane"][0]["lineage"]
    _bad(doc, "ซ้ำ")
    doc = json.loads(json.dumps(good_doc))
    doc["tables"]["processes.step"][0]["lineage"] = "-" * 36
    _bad(doc, "รหัสสายประวัติ")


def test_a_cycle_in_a_tree_and_rows_that_break_constraints(good_doc):
    doc = json.loads(json.dumps(good_doc))
    lanes = doc["tables"]["manuals.lane"]
    lanes[0]["unit"], lanes[1]["unit"] = lanes[1]["lineage"], lanes[0]["lineage"]
    _bad(doc, "เป็นวง")
    doc = json.loads(json.dumps(good_doc))
    lanes = doc["tables"]["manuals.lane"]
    lanes[1]["name"] = lanes[0]["name"]  # two lanes of one name: the database refuses
    _bad(doc, "ขัดกับข้อกำหนด")
    doc = json.loads(json.dumps(good_doc))
    doc["edition"]["published_on"] = "2024-13-45"
    _bad(doc, "ไม่ถูกต้อง")
    doc = json.loads(json.dumps(good_doc))
    doc["edition"]["year_be"] = 1999
    _bad(doc, "ไม่ถูกต้อง")


def test_huge_files_are_refused_before_parsing(good_doc, settings):
    settings.INTEROP_MAX_IMPORT_BYTES = 10_000
    _bad(json.dumps(good_doc) + " " * 10_000, "ใหญ่เกิน")


def test_a_taken_slug_is_refused(good_doc):
    edition_import_json(data=json.dumps(good_doc), slug="taken")
    _bad(good_doc | {"manual": good_doc["manual"] | {"slug": "taken"}}, "มีคู่มือรหัส", slug=None)


# ----------------------------------------------------------------------------- commands


def test_export_manual_json_and_import_manual_json(demo, tmp_path):
    target = tmp_path / "m.json"
    out = StringIO()
    call_command("export_manual", "kpp-spsc", "-o", str(target), stdout=out)  # from extension
    assert "rows in" in out.getvalue()
    doc = json.loads(target.read_text(encoding="utf-8"))
    assert doc["format"] == "bma-manual-edition" and doc["manual"]["slug"] == "kpp-spsc"
    other = tmp_path / "m.data"
    call_command("export_manual", "kpp-spsc", "--format", "json", "-o", str(other), stdout=out)
    assert json.loads(other.read_text())["tables"] == doc["tables"]

    with pytest.raises(CommandError, match="มีคู่มือรหัส"):
        call_command("import_manual_json", str(target), stdout=StringIO())
    out = StringIO()
    call_command("import_manual_json", str(target), "--slug", "kpp-two", stdout=out)
    assert "kpp-two" in out.getvalue()
    out = StringIO()  # ``import_manual`` is the same command
    call_command("import_manual", str(target), "--slug", "kpp-three", stdout=out)
    assert "kpp-three" in out.getvalue() and Manual.objects.filter(slug="kpp-three").exists()
    copy = Manual.objects.get(slug="kpp-two").editions.get()
    assert snapshot(copy) == snapshot(demo.editions.get(status="published"))

    bad = tmp_path / "bad.json"
    bad.write_text('{"format": "bma-manual-edition", "version": 1}')
    with pytest.raises(CommandError, match="ไม่ตรงตามรูปแบบ"):
        call_command("import_manual_json", str(bad), "--slug", "x", stdout=StringIO())


# ----------------------------------------------------------------------------- the web page


def test_json_import_page(demo, client):
    from django.core.files.uploadedfile import SimpleUploadedFile
    from django.urls import reverse

    doc = edition_export_json(edition=demo.editions.get(status="published"))
    url = reverse("interop:import_json")
    assert client.get(url).status_code == 302  # sign in first
    client.force_login(UserFactory())
    page = client.get(url)
    assert page.status_code == 200 and "คุณไม่มีสิทธิ์นำเข้าคู่มือ" in page.content.decode()

    admin = UserFactory(is_superuser=True)
    client.force_login(admin)
    assert url in client.get("/").content.decode()  # in the user menu
    bad = SimpleUploadedFile("m.json", b'{"format": "nope"}', content_type="application/json")
    before = _counts()
    response = client.post(url, {"file": bad, "manual": "", "slug": "web-copy"})
    assert response.status_code == 400
    assert "ไม่ใช่ไฟล์คู่มือ" in response.content.decode()
    assert _counts() == before
    good = SimpleUploadedFile("m.json", json.dumps(doc).encode(), content_type="application/json")
    response = client.post(url, {"file": good, "manual": "", "slug": "web-copy"})
    copy = Manual.objects.get(slug="web-copy").editions.get()
    assert response.status_code == 302 and response["Location"] == copy.get_absolute_url()
    assert snapshot(copy) == snapshot(demo.editions.get(status="published"))

    # an editor brings it in as the next draft of their own manual
    demo.editions.open().delete()
    editor = (
        Manual.objects.get(slug="kpp-spsc").agency.memberships.get(user__username="editor").user
    )
    client.force_login(editor)
    good.seek(0)
    response = client.post(url, {"file": good, "manual": str(demo.pk)})
    draft = demo.editions.get(status=Edition.Status.DRAFT)
    assert response.status_code == 302 and response["Location"] == draft.get_absolute_url()


def test_export_queries_do_not_grow_with_rows(demo, django_assert_num_queries):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    small = build_full_edition()
    agency = small.manual.agency  # one level of parents, as the demo's unit has
    Agency.objects.filter(pk=agency.pk).update(parent=AgencyFactory())
    published = demo.editions.get(status="published")
    with CaptureQueriesContext(connection) as few:
        edition_export_json(edition=small)
    with django_assert_num_queries(len(few.captured_queries)):
        doc = edition_export_json(edition=published)
    assert len(doc["tables"]["processes.step"]) > 100
