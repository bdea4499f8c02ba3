"""The fuzz test over every URL: no input answers 500, and a refusal (4xx) writes nothing.

Every pattern of the URLconf (the admin's changelists separately) is resolved with real pks of a
small world (tests/editing/conftest.py: two agencies, drafts with steps, lanes, forms, flows, a
comment, a law, a notification, an export). For each endpoint and method (GET with the values
in the query string, POST with them in every form field) it sends each malformed value — NUL,
a non-ASCII digit (``²``), a huge number, a negative number, a wrong type, a 6,000-character
text, missing fields, a body that declares ``charset=utf-16`` — and each role (anonymous, a
reader without membership, the editor, another agency's editor, reviewer, approver, admin).
The database is snapshot (row counts, version sums, statuses) before every request and compared
after every 4xx. The counts are printed (``-s``) and written to var/fuzz-counts.txt.
"""

from __future__ import annotations

import itertools
import re
import time
from collections import Counter
from pathlib import Path
from types import SimpleNamespace

import pytest
from django.apps import apps
from django.contrib import admin
from django.contrib.auth import get_user_model
from django.db import connection
from django.test import Client
from django.urls import URLPattern, URLResolver, get_resolver, reverse

from manuals.models import Membership
from printing import services as printing_services
from printing.models import PdfExport
from reviews.models import Comment, Notification
from tests.factories import FlowFactory, LegalReferenceFactory, MembershipFactory, UserFactory

pytestmark = pytest.mark.django_db

PAYLOADS = {
    "nul": "ก\x00ข",
    "superscript": "²",
    "huge": "9" * 40,
    "negative": "-1",
    "wrong type": "[]{'x'}",
    "long": "ก" * 6000,
    "missing": None,
    "utf-16": "utf-16",
}
GET_NAMES = [
    "q",
    "agency",
    "base",
    "after",
    "page",
    "p",
    "format",
    "status",
    "kind",
    "next",
    "confirm",
    "direction",
    "term",
    "edition",
    "year",
    "sort",
    "o",
    "round",
    "target",
]
POST_NAMES = [
    "reason",
    "body",
    "name",
    "label",
    "detail",
    "text",
    "version",
    "direction",
    "position",
    "order",
    "lane",
    "new_lane",
    "duration_text",
    "headcount",
    "shape",
    "confirm",
    "letter_number",
    "letter_date",
    "participation",
    "target",
    "term",
    "meaning",
    "short",
    "full",
    "duties",
    "holder",
    "code",
    "title",
    "note",
    "q",
    "status",
    "kind",
    "parent",
    "mission",
    "scope_text",
    "statement",
    "clause_note",
    "reference",
    "to",
    "source",
    "keep",
    "remove",
    "username",
    "password",
    "email",
    "new_password1",
    "new_password2",
    "old_password",
    "language",
    "file",
    "slug",
    "waive",
    "percent",
    "narrative",
    "year_be",
    "confirm_open_comments",
]
ROLES = ["anonymous", "reader", "editor", "other_editor", "reviewer", "approver", "admin"]
# Endpoints that render a PDF, an image or a Word file: fewer requests (still every role).
HEAVY = re.compile(r"\.pdf|/png/|/svg/|\.docx|\.bpmn|reports\.xlsx|/export/")
# Requests that end the session: the client signs in again afterwards.
SESSION_ENDERS = re.compile(r"^/(accounts|admin|i18n)/")
EXCLUDED_TABLES = {
    "django_session",
    "axes_accessattempt",
    "axes_accesslog",
    "axes_accessfailurelog",
    "axes_accessattemptexpiration",
}


def _routes():
    """(route with <converters>, url name) for every non-admin pattern."""

    def walk(patterns, prefix=""):
        for p in patterns:
            if isinstance(p, URLResolver):
                if str(p.pattern) == "admin/":
                    continue
                yield from walk(p.url_patterns, prefix + str(p.pattern))
            elif isinstance(p, URLPattern):
                yield prefix + str(p.pattern), p.name

    return list(walk(get_resolver().url_patterns))


def _values(world, extra):
    """Real values for each converter, by the first path segment and the parameter name."""
    step = world.steps[0]
    return {
        ("manuals", "slug"): world.draft.manual.slug,
        ("editions", "pk"): world.draft.pk,
        ("editions", "edition_pk"): world.draft.pk,
        ("editions", "section"): "preface",
        ("editions", "kind"): "definition",
        ("rows", "kind"): "form",
        ("rows", "pk"): world.form.pk,
        ("rows", "parent_pk"): world.draft.pk,
        ("missions", "mission_pk"): world.process.mission_id,
        ("processes", "pk"): world.process.pk,
        ("steps", "pk"): step.pk,
        ("flows", "pk"): extra.flow.pk,
        ("charts", "pk"): world.process.pk,
        ("charts", "edition_pk"): world.draft.pk,
        ("print", "pk"): extra.export.pk,
        ("review", "pk"): world.draft.pk,
        ("review", "kind"): "step",
        ("search", "pk"): extra.law.pk,
        ("rounds", "pk"): 1,
        ("rounds", "agency_pk"): world.own.pk,
        ("rounds", "export_pk"): 1,
        ("interop", "pk"): world.draft.pk,
        ("accounts", "uidb64"): "MQ",
        ("accounts", "token"): "set-password",
    }


def _path(route, name, values, world, extra):
    first = route.split("/", 1)[0]
    special = {
        "print/editions/": world.draft.pk,
        "review/inbox/": extra.notification.pk,
        "review/manual/": world.draft.manual_id,
        "review/comment/": extra.comment.pk,
        "interop/process/": world.process.pk,
    }

    def fill(match):
        param = match.group(2)
        for prefix, value in special.items():
            if route.startswith(prefix) and param == "pk":
                return str(value)
        return str(values.get((first, param), 1))

    return "/" + re.sub(r"<(?:(\w+):)?(\w+)>", fill, route)


def _order(path: str) -> int:
    """Reading first, then writes, then the moves and deletes that end a row or an edition."""
    if re.search(r"delete|merge|approve|submit|withdraw|request-changes|new-revision", path):
        return 2
    return 1 if re.search(r"edit|new|add|move|reply|resolve|reopen", path) else 0


class Snapshot:
    def __init__(self):
        parts = []
        for model in apps.get_models():
            table = model._meta.db_table
            if table in EXCLUDED_TABLES or model._meta.proxy:
                continue
            # Table names come from the models' own metadata, not from input.
            parts.append(f'(SELECT COUNT(*) FROM "{table}")')  # noqa: S608
            names = {f.column for f in model._meta.concrete_fields}
            if "version" in names:
                parts.append(f'(SELECT COALESCE(SUM("version"), 0) FROM "{table}")')  # noqa: S608
            if "status" in names:
                parts.append(f'(SELECT COALESCE(SUM(LENGTH("status")), 0) FROM "{table}")')  # noqa: S608
        self.sql = "SELECT " + ", ".join(parts)

    def take(self):
        with connection.cursor() as cursor:
            cursor.execute(self.sql)
            return cursor.fetchone()


@pytest.fixture
def fuzz_world(world, monkeypatch):
    # No PDF is built inline (the export button would run a whole build per request).
    monkeypatch.setattr(printing_services, "export_pdf", SimpleNamespace(enqueue=lambda pk: None))
    flow = FlowFactory(source=world.steps[0], target=world.steps[2], label="ใช่")
    comment = Comment.objects.create(
        edition=world.draft, author=world.users["reviewer"], body="ตรวจตารางที่ ๓"
    )
    notification = Notification.objects.create(
        recipient=world.users["editor"], edition=world.draft, verb="submitted", message="ทดสอบ"
    )
    export = PdfExport.objects.create(edition=world.draft, content_hash="0" * 64)
    law = LegalReferenceFactory()
    reader = UserFactory(username="reader")
    superuser = get_user_model().objects.create_superuser("fuzzadmin", "a@example.org", "x")
    MembershipFactory(user=superuser, agency=world.root, role=Membership.Role.ADMIN)
    users = {**world.users, "reader": reader, "admin": superuser}
    return SimpleNamespace(
        world=world,
        flow=flow,
        comment=comment,
        notification=notification,
        export=export,
        law=law,
        users=users,
    )


def _clients(users):
    clients = {}
    for role in ROLES:
        client = Client(raise_request_exception=False)
        if role != "anonymous":
            client.force_login(users[role])
        clients[role] = client
    return clients


def _send(client, method, path, payload_name):
    value = PAYLOADS[payload_name]
    headers = {}
    if payload_name == "utf-16":
        body = "reason=แก้&body=x"  # the client encodes it in the declared charset
        if method == "get":
            return client.get(path, {"q": "x"}, headers={"content-type": "text/plain"})
        return client.post(
            path, body, content_type="application/x-www-form-urlencoded; charset=utf-16"
        )
    if method == "get":
        data = {} if value is None else dict.fromkeys(GET_NAMES, value)
        return client.get(path, data, headers=headers)
    data = {} if value is None else dict.fromkeys(POST_NAMES, value)
    return client.post(path, data, headers={"HX-Request": "true"})


def test_no_url_answers_500_and_refusals_write_nothing(fuzz_world, capsys):
    started = time.perf_counter()
    extra, world = fuzz_world, fuzz_world.world
    values = _values(world, extra)
    clients = _clients(extra.users)
    snapshot = Snapshot()
    paths = sorted({_path(r, n, values, world, extra) for r, n in _routes()}, key=_order)
    tried: Counter = Counter()
    statuses: Counter = Counter()
    failures, partial = [], []
    roles = itertools.cycle(ROLES)

    def one(role, method, path, payload):
        before = snapshot.take()
        response = _send(clients[role], method, path, payload)
        tried[(method, payload)] += 1
        statuses[response.status_code // 100] += 1
        if response.status_code >= 500:
            failures.append((role, method, path, payload, response.status_code))
        elif 400 <= response.status_code < 500 and snapshot.take() != before:
            partial.append((role, method, path, payload, response.status_code))
        if SESSION_ENDERS.match(path) and role != "anonymous":
            clients[role].force_login(extra.users[role])

    for path in paths:
        heavy = bool(HEAVY.search(path))
        for method in ("get", "post"):
            for role in ROLES:  # every role with the worst value
                one(role, method, path, "nul")
            if heavy:
                continue
            for payload in PAYLOADS:  # every value, the roles in turn
                one(next(roles), method, path, payload)

    # The admin: every registered model's changelist with hand-made query strings.
    admin_client = clients["admin"]
    admin_paths = 0
    for model in admin.site._registry:
        url = reverse(f"admin:{model._meta.app_label}_{model._meta.model_name}_changelist")
        admin_paths += 1
        fks = [f.name for f in model._meta.fields if f.is_relation][:2]
        texts = [f.name for f in model._meta.fields if f.get_internal_type() == "CharField"][:1]
        queries = [
            {"o": "²"},
            {"o": "1.-²"},
            {"p": "-1"},
            {"p": "²"},
            {"q": "ก\x00"},
            {"e": "1"},
            *({fk: "\x00"} for fk in fks),
            *({f"{fk}__id__exact": "²"} for fk in fks),
            *({t: "\x00"} for t in texts),
            *({f"{t}__exact": "ก\x00"} for t in texts),
        ]
        for query in queries:
            before = snapshot.take()
            response = admin_client.get(url, query)
            tried[("admin", "changelist")] += 1
            statuses[response.status_code // 100] += 1
            if response.status_code >= 500:
                failures.append(("admin", "get", url, query, response.status_code))
            elif response.status_code >= 400 and snapshot.take() != before:
                partial.append(("admin", "get", url, query, response.status_code))
    response = admin_client.get(
        "/admin/autocomplete/",
        {"term": "\x00", "app_label": "manuals", "model_name": "edition", "field_name": "based_on"},
    )
    assert response.status_code < 500

    seconds = time.perf_counter() - started
    total = sum(tried.values())
    summary = (
        f"fuzz: {len(paths)} URL patterns + {admin_paths} admin changelists, "
        f"{len(ROLES)} roles, {len(PAYLOADS)} payloads, 2 methods: {total} requests in "
        f"{seconds:.0f} s; answers by class {dict(sorted(statuses.items()))}; "
        f"500s: {len(failures)}; partial writes on a 4xx: {len(partial)}"
    )
    with capsys.disabled():
        print("\n" + summary)
    out = Path(__file__).resolve().parents[2] / "var" / "fuzz-counts.txt"
    out.parent.mkdir(exist_ok=True)
    out.write_text(summary + "\n", encoding="utf-8")
    assert failures == [], failures[:20]
    assert partial == [], partial[:20]
    assert len(paths) > 60 and admin_paths > 20
