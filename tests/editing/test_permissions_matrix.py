"""Every write endpoint × role × own / other agency (and a published edition): who gets in."""

import datetime

import pytest
from django.db import transaction
from django.test import Client

from manuals.models import Edition
from tests.editing.endpoints import write_endpoints

ROLES = ["anonymous", "editor", "other_editor", "reviewer", "approver", "admin"]
ENDPOINT_NAMES = [
    "step_edit", "step_edit_form", "step_new", "step_delete", "step_move", "flow_add",
    "flow_delete", "row_create", "row_create_form", "row_edit", "row_edit_form", "row_delete",
    "row_move", "definition_create", "lane_create", "lane_merge", "process_create",
    "process_edit", "process_move", "process_delete", "legal_add", "legal_new", "legal_new_form",
    "section_edit",
]  # fmt: skip


def test_the_matrix_lists_every_write_endpoint(world):
    names = [name for name, *_ in write_endpoints(world.draft, world.process)]
    assert names == ENDPOINT_NAMES


def _request(user, method, url, data):
    client = Client(raise_request_exception=False)
    if user is not None:
        client.force_login(user)
    with transaction.atomic():
        response = getattr(client, method)(url, data, HTTP_HX_REQUEST="true")
        transaction.set_rollback(True)
    return response


def _frozen_copy(world):
    from tests.editing.conftest import build_draft

    edition, process, *_ = build_draft(world.own_child)
    Edition.objects.filter(pk=edition.pk).update(
        status=Edition.Status.PUBLISHED, published_on=datetime.date(2021, 9, 30)
    )
    return Edition.objects.get(pk=edition.pk), process


@pytest.mark.parametrize("endpoint", ENDPOINT_NAMES)
def test_write_endpoint_matrix(world, endpoint):
    targets = {
        "own": (world.draft, world.process, {"editor", "admin"}),
        "other": (world.other_draft, world.other_process, {"other_editor", "admin"}),
    }
    published, published_process = _frozen_copy(world)
    targets["published"] = (published, published_process, set())
    seen = []
    for target, (edition, process, allowed) in targets.items():
        spec = {name: rest for name, *rest in write_endpoints(edition, process)}[endpoint]
        method, url, data = spec
        for role in ROLES:
            user = None if role == "anonymous" else world.users[role]
            response = _request(user, method, url, data)
            status = response.status_code
            seen.append((target, role, status))
            if role == "anonymous":
                assert status == 302 and "/accounts/login/" in response["Location"], seen[-1]
            elif role in allowed:
                assert status in (200, 204, 422), (target, role, status, response.content[:300])
            else:
                assert status == 403, (target, role, status)
                assert "ไม่มีสิทธิ์" in response.content.decode() or "แก้ไข" in (
                    response.content.decode()
                )
