"""A published edition cannot be changed by any path: services, models, querysets, admin."""

import pytest
from django.core.exceptions import ValidationError

from core.models import EditionFrozenError
from manuals.content import edition_tables
from manuals.models import Edition, Lane
from manuals.services import edition_publish, edition_update_text
from processes.models import Step

pytestmark = pytest.mark.django_db


@pytest.fixture
def published(full_edition):
    return edition_publish(edition=full_edition)


def test_every_content_row_refuses_save_and_delete(published):
    for model, path, _ in edition_tables():
        row = model.objects.filter(**{path: published}).first()
        with pytest.raises(EditionFrozenError):
            row.save()
        with pytest.raises(EditionFrozenError):
            row.delete()
        assert model.objects.filter(pk=row.pk).exists()


def test_bulk_update_and_delete_are_refused(published):
    with pytest.raises(EditionFrozenError):
        Step.objects.filter(process__edition=published).update(detail="x")
    with pytest.raises(EditionFrozenError):
        Lane.objects.filter(edition=published).delete()
    assert not Step.objects.filter(detail="x").exists()


def test_new_rows_cannot_be_added(published):
    with pytest.raises(EditionFrozenError):
        Lane.objects.create(edition=published, name="ผู้ปฏิบัติใหม่", position=99)


def test_edition_text_cannot_change(published):
    published.preface = "แก้คำนำ"
    with pytest.raises(EditionFrozenError):
        published.save()
    with pytest.raises(ValidationError):
        edition_update_text(edition=published, preface="แก้คำนำ")
    with pytest.raises(EditionFrozenError):
        Edition.objects.get(pk=published.pk).delete()


def test_the_message_says_why_in_thai(published):
    with pytest.raises(EditionFrozenError) as info:
        Lane.objects.filter(edition=published).first().save()
    assert "เผยแพร่แล้ว" in info.value.messages[0]


def test_admin_shows_published_content_read_only(published, admin_client):
    step = Step.objects.filter(process__edition=published).first()
    url = f"/admin/processes/step/{step.pk}/change/"
    page = admin_client.get(url)
    assert page.status_code == 200
    assert 'name="detail"' not in page.content.decode()
    response = admin_client.post(url, {"detail": "แก้ผ่านแอดมิน", "process": step.process_id})
    assert response.status_code == 403
    step.refresh_from_db()
    assert step.detail != "แก้ผ่านแอดมิน"
    edition_page = admin_client.get(f"/admin/manuals/edition/{published.pk}/change/")
    assert 'name="preface"' not in edition_page.content.decode()


def test_draft_content_is_editable_in_admin(draft, admin_client):
    page = admin_client.get(f"/admin/manuals/edition/{draft.pk}/change/")
    assert 'name="preface"' in page.content.decode()


def test_forms_refuse_with_a_validation_error(published):
    from core.forms import EditionContentForm

    class StepForm(EditionContentForm):
        class Meta:
            model = Step
            fields = ["detail", "duration_text"]

    step = Step.objects.filter(process__edition=published).first()
    form = StepForm(data={"detail": "แก้ผ่านฟอร์ม", "duration_text": "๑ วัน"}, instance=step)
    assert not form.is_valid()
    assert "เผยแพร่แล้ว" in form.non_field_errors()[0]
    step.refresh_from_db()
    assert step.detail != "แก้ผ่านฟอร์ม"
