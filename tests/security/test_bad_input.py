"""Finding 5: malformed values that used to answer 500 now get a 4xx or are read safely."""

from __future__ import annotations

import pytest
from django.test import Client
from django.urls import reverse

from core.params import parse_int, parse_text
from manuals.models import Edition
from reviews.models import AuditEntry
from reviews.services import edition_submit

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize(
    "value", ["²", "¹²", "٣", "1²", "-1", "9" * 40, "", " ", "1.5", None, True]
)
def test_parse_int_refuses_what_int_cannot_read(value):
    assert parse_int(value) is None


def test_parse_int_reads_ascii_and_thai_digits():
    assert parse_int("42") == 42 and parse_int(" ๔๒ ") == 42 and parse_int(7) == 7
    assert parse_int("0", minimum=1) is None and parse_int("x", default=3) == 3


def test_parse_text_drops_nul_and_bounds_length():
    assert parse_text("ก\x00ข\nค") == "กข ค"
    assert len(parse_text("ก" * 5000)) == 200


def _client(world, role):
    client = Client(raise_request_exception=False)
    client.force_login(world.users[role])
    return client


@pytest.mark.parametrize("value", ["²", "ก\x00", "9" * 40, "-3"])
def test_integer_parameters_never_500(world, value):
    reviewer = _client(world, "reviewer")
    editor = _client(world, "editor")
    assert reviewer.get(reverse("reviews:dashboard"), {"agency": value}).status_code == 200
    compare = reverse("reviews:compare", args=[world.draft.pk])
    assert reviewer.get(compare, {"base": value}).status_code == 200
    step_new = reverse("processes:step_new", args=[world.process.pk])
    assert editor.get(step_new, {"after": value}).status_code == 400
    # a refused new process shows its error under the parent that was sent ("²" gave a 500)
    create = reverse("processes:process_create", args=[world.process.mission_id])
    assert editor.post(create, {"name": "", "parent": value}).status_code == 422
    count = reverse("imports:unplaced_count", args=[world.draft.pk])
    assert editor.get(count, {"process": value}).status_code == 200


@pytest.mark.parametrize(
    "name", ["reviews:dashboard", "reviews:dashboard_export", "processes:legal_search"]
)
def test_nul_in_search_is_read_without_it(world, name):
    client = _client(world, "reviewer")
    args = [world.process.pk] if name == "processes:legal_search" else []
    response = client.get(reverse(name, args=args), {"q": "ระเบียบ\x00พัสดุ"})
    assert response.status_code == 200


def test_nul_in_a_transition_reason_is_dropped(world):
    edition_submit(edition=world.draft, by=world.users["editor"])
    client = _client(world, "reviewer")
    url = reverse("reviews:request_changes", args=[world.draft.pk])
    response = client.post(url, {"reason": "แก้\x00ตาราง\x00ที่ ๓"})
    assert response.status_code == 302
    entry = AuditEntry.objects.get(edition=world.draft, action=AuditEntry.Action.REQUEST_CHANGES)
    assert entry.reason == "แก้ตารางที่ ๓"
    world.draft.refresh_from_db()
    assert world.draft.status == Edition.Status.CHANGES_REQUESTED


def test_moving_an_unordered_row_is_a_400_not_a_fielderror(world):
    client = _client(world, "editor")
    url = reverse("processes:row_move", args=["form", world.form.pk])
    response = client.post(url, {"direction": "up"}, HTTP_HX_REQUEST="true")
    assert response.status_code == 400
    assert "ย้ายลำดับเองไม่ได้" in response.content.decode()


def test_form_post_in_utf16_is_a_thai_400(world):
    client = _client(world, "editor")
    step = world.steps[0]
    body = "detail=ทดสอบ".encode("utf-16")
    response = client.generic(
        "POST",
        reverse("processes:step_edit", args=[step.pk]),
        body,
        content_type="application/x-www-form-urlencoded; charset=utf-16",
    )
    assert response.status_code == 400
    assert "UTF-8" in response.content.decode()
    step.refresh_from_db()
    assert step.detail != "ทดสอบ"


def test_admin_changelist_reads_a_cleaned_query_string(world):
    """NUL in a filter or search (PostgreSQL refuses it: 500) and ² in ?o= / ?p= are dropped
    for every registered ModelAdmin, ours and the libraries'."""
    from django.contrib import admin
    from django.contrib.auth import get_user_model
    from django.http import QueryDict

    from core.admin_mixins import SafeChangeListMixin, clean_changelist_query

    query = clean_changelist_query(QueryDict("q=%E0%B8%81%00&o=%C2%B2&p=-1&o=2.-1&p=3"))
    assert query.getlist("q") == ["ก"] and query.getlist("o") == ["2.-1"]
    assert query.getlist("p") == ["3"]
    assert all(isinstance(m, SafeChangeListMixin) for m in admin.site._registry.values())
    superuser = get_user_model().objects.create_superuser("su", "su@example.org", "x")
    client = Client(raise_request_exception=False)
    client.force_login(superuser)
    response = client.get("/admin/manuals/edition/", {"q": "กอง\x00", "o": "²", "p": "²"})
    assert response.status_code == 200
    assert response.context["cl"].query == "กอง"
