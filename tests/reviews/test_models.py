import pytest
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction

from reviews import services
from reviews.admin import AuditEntryAdmin
from reviews.models import AuditEntry, Notification


@pytest.fixture
def entry(draft, people):
    services.edition_submit(edition=draft, by=people["editor"])
    return AuditEntry.objects.get(edition=draft)


def test_audit_entries_cannot_be_changed(entry):
    entry.reason = "แก้ประวัติ"
    with pytest.raises(ValidationError):
        entry.save()
    with pytest.raises(ValidationError):
        AuditEntry.objects.filter(pk=entry.pk).update(reason="แก้ประวัติ")
    entry.refresh_from_db()
    assert entry.reason == ""


def test_audit_entries_cannot_be_deleted(entry, draft):
    with pytest.raises(ValidationError):
        entry.delete()
    with pytest.raises(ValidationError):
        AuditEntry.objects.all().delete()
    # Nor by deleting the edition they belong to.
    from django.db.models import ProtectedError

    with pytest.raises(ProtectedError):
        draft.delete()
    assert AuditEntry.objects.filter(pk=entry.pk).exists()


def test_audit_admin_is_read_only(entry, rf, people):
    from django.contrib.admin.sites import site

    request = rf.get("/")
    request.user = people["admin"]
    admin = AuditEntryAdmin(AuditEntry, site)
    assert not admin.has_add_permission(request)
    assert not admin.has_change_permission(request, entry)
    assert not admin.has_delete_permission(request, entry)


def test_reminder_keys_are_unique_per_recipient(draft, people):
    Notification.objects.create(
        recipient=people["editor"], verb="review_due", edition=draft, message="x", key="k:1"
    )
    with pytest.raises(IntegrityError), transaction.atomic():
        Notification.objects.create(
            recipient=people["editor"], verb="review_due", edition=draft, message="x", key="k:1"
        )
    # Transition notifications carry no key and may repeat.
    for _ in range(2):
        Notification.objects.create(
            recipient=people["editor"], verb="submitted", edition=draft, message="x"
        )


@pytest.mark.parametrize("model", ["auditentry", "comment", "notification"])
def test_admin_pages_are_view_only(admin_client, draft, people, model):
    services.comment_add(target=draft, by=people["reviewer"], body="ความเห็น")
    services.edition_submit(edition=draft, by=people["editor"], confirm_open_comments=True)
    from django.apps import apps

    obj = apps.get_model("reviews", model).objects.order_by("pk").first()
    assert admin_client.get(f"/admin/reviews/{model}/").status_code == 200
    html = admin_client.get(f"/admin/reviews/{model}/{obj.pk}/change/").content.decode()
    assert 'name="_save"' not in html
    assert admin_client.post(f"/admin/reviews/{model}/{obj.pk}/delete/").status_code == 403
