"""Every admin list and change page loads, with a query count that does not grow with rows."""

import pytest
from django.contrib import admin
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from tests.factories import LegalRequirementFactory, MembershipFactory

pytestmark = pytest.mark.django_db

MODELS = [
    (model._meta.app_label, model._meta.model_name)
    for model in admin.site._registry
    if model._meta.app_label in {"manuals", "processes", "reviews", "printing", "flowcharts"}
]


def _make_rows(factory_edition):
    from printing.models import PdfExport
    from reviews.services import comment_add, edition_submit

    edition = factory_edition()
    # Rows outside an edition too.
    editor = MembershipFactory(agency=edition.manual.agency).user
    MembershipFactory(agency=edition.manual.agency, role="reviewer")  # notified on submit
    LegalRequirementFactory(process=edition.processes.first())
    # Review rows (comment, audit entry, notification) and an export.
    comment_add(target=edition.processes.first(), by=editor, body="โปรดตรวจสอบระยะเวลา")
    edition_submit(edition=edition, by=editor, confirm_open_comments=True)
    PdfExport.objects.create(edition=edition, content_hash="0" * 64)
    return edition


def _count(client, url):
    client.get(url)  # warm up: the first request also touches the session
    with CaptureQueriesContext(connection) as ctx:
        response = client.get(url)
    assert response.status_code == 200, url
    return len(ctx.captured_queries)


@pytest.mark.parametrize(("app", "model"), MODELS)
def test_changelist_query_count_is_constant(admin_client, app, model):
    url = reverse(f"admin:{app}_{model}_changelist")
    _make_rows(_fresh_full_edition)
    few = _count(admin_client, url)
    for _ in range(3):
        _make_rows(_fresh_full_edition)
    many = _count(admin_client, url)
    assert many == few, f"{url}: {few} queries with few rows, {many} with more"


@pytest.mark.parametrize(("app", "model"), MODELS)
def test_change_page_loads_with_constant_queries(admin_client, app, model):
    _make_rows(_fresh_full_edition)
    from django.apps import apps

    klass = apps.get_model(app, model)
    obj = klass.objects.order_by("pk").first()
    url = reverse(f"admin:{app}_{model}_change", args=[obj.pk])
    few = _count(admin_client, url)
    for _ in range(3):
        _make_rows(_fresh_full_edition)
    many = _count(admin_client, url)
    assert many == few, f"{url}: {few} then {many} queries"


def _fresh_full_edition():
    """A new full edition (the fixture body, callable several times)."""
    from tests.conftest import build_full_edition

    return build_full_edition()
