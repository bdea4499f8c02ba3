"""Digits in the script of the interface language on every page (issue 11, item 9).

Every GET page of the URLconf is rendered with the demo edition, as editor, approver and admin,
in Thai and in English. A digit of the wrong script in the visible text fails: Arabic digits
under the Thai UI (outside Latin tokens, URLs and ISO codes, which stay Arabic), Thai digits
under the English UI. Attributes, scripts and styles are not visible text; the user's own
content (what they typed, in whatever digits) is left out.
"""

from __future__ import annotations

import os
import re
from html.parser import HTMLParser
from pprint import pformat

import pytest
from django.apps import apps
from django.core.management import call_command
from django.db import models
from django.test import Client
from django.urls import URLPattern, URLResolver, get_resolver

from core.thai import THAI_DIGITS, arabic_digits, thai_digits

pytestmark = pytest.mark.django_db

CONTENT_APPS = {"manuals", "processes", "reviews", "rounds", "search", "interop", "auth"}
SKIP_NAMES = ("pdf", "export", "png", "docx", "json", "bpmn", "download", "logout", "favicon")
SKIP_PREFIXES = ("admin/", "i18n/", "static/", "media/")
THAI_LETTER = re.compile(r"[\u0e01-\u0e2e]")


class _Text(HTMLParser):
    """The visible text nodes of a page (no attributes, scripts or styles)."""

    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.nodes: list[str] = []
        self._skip = 0

    # the chart (<svg>) is the manual's Table 4 as it prints: a Thai document, like the PDF;
    # <del>/<ins> are word diffs of the users' own text, cut into words
    HIDDEN = ("script", "style", "template", "svg", "del", "ins")

    def handle_starttag(self, tag, attrs):
        if tag in self.HIDDEN:
            self._skip += 1

    def handle_endtag(self, tag):
        if tag in self.HIDDEN and self._skip:
            self._skip -= 1

    def handle_data(self, data):
        if not self._skip and data.strip():
            self.nodes.append(" ".join(data.split()))


def visible_text(html: str) -> list[str]:
    parser = _Text()
    parser.feed(html)
    return parser.nodes


def user_content() -> set[str]:
    """Every text the users typed (all text fields of the content apps), in both scripts."""
    values: set[str] = set()
    for model in apps.get_models():
        if model._meta.app_label not in CONTENT_APPS or model._meta.model_name.startswith(
            "historical"
        ):
            continue
        fields = [
            f.name
            for f in model._meta.concrete_fields
            if isinstance(f, models.CharField | models.TextField) and not f.choices
        ]
        if not fields:
            continue
        for row in model.objects.values_list(*fields):
            for value in row:
                if value and any(c.isdigit() for c in value):
                    for line in str(value).splitlines():
                        line = " ".join(line.split())
                        if line:
                            values |= {line, thai_digits(line), arabic_digits(line)}
    return values


def wrong_digits(nodes: list[str], language: str, content: set[str]) -> list[str]:
    bad = []
    for node in nodes:
        if node in content or any(len(c) > 8 and c in node for c in content):
            continue
        if language == "th":
            if thai_digits(node) != node:  # an Arabic digit outside a Latin token or URL
                bad.append(node)
        elif any(d in node for d in THAI_DIGITS) and not THAI_LETTER.search(node):
            # Thai text (the manual's own content) may carry Thai digits; UI text may not
            bad.append(node)
    return bad


def _patterns(resolver=None, prefix=""):
    resolver = resolver or get_resolver()
    for item in resolver.url_patterns:
        if isinstance(item, URLResolver):
            yield from _patterns(item, prefix + str(item.pattern))
        elif isinstance(item, URLPattern):
            yield prefix + str(item.pattern), item.name or ""


def _fill(route: str, ids: dict) -> list[str]:
    """URLs for a route: its parameters filled with the demo's objects, most likely first."""
    params = re.findall(r"<(?:(\w+):)?(\w+)>", route)
    if not params:
        return ["/" + route]
    candidates = []
    for converter, name in params:
        if converter in ("int", None) and name.endswith("pk") or name == "pk":
            key = route.split("/")[0]
            order = {
                "editions": ["draft", "published"],
                "edition": ["draft"],
                "processes": ["process"],
                "process": ["process"],
                "steps": ["step"],
                "flows": ["flow"],
                "missions": ["mission"],
                "rows": ["stakeholder", "process"],
                "manual": ["manual"],
            }.get(key, [])
            if "review/edition" in route:
                order = ["draft", "published"]
            if "charts/process" in route:
                order = ["process"]
            names = order + [n for n in ("draft", "process", "step", "manual") if n not in order]
            candidates.append([str(ids[n]) for n in names])
        elif name == "kind":
            candidates.append(["stakeholder", "definition", "lane"])
        elif name == "section":
            candidates.append(["preface", "objectives"])
        else:
            candidates.append(["kpp-spsc", str(ids["draft"])])
    urls = []
    for i in range(max(len(c) for c in candidates)):
        url = route
        for (_converter, name), values in zip(params, candidates, strict=True):
            url = re.sub(rf"<(?:\w+:)?{name}>", values[min(i, len(values) - 1)], url, count=1)
        urls.append("/" + url)
    return urls


def _clients():
    from django.contrib.auth import get_user_model

    users = get_user_model().objects
    for username in ("editor", "approver", "admin"):
        client = Client()
        client.force_login(users.get(username=username))
        yield username, client


def test_every_page_shows_digits_in_the_language_of_the_interface(settings):
    call_command("load_demo", stdout=open(os.devnull, "w"))  # noqa: SIM115
    from manuals.models import Manual
    from processes.models import Flow, Stakeholder, Step

    manual = Manual.objects.get(slug="kpp-spsc")
    draft = manual.editions.open().get()
    step = Step.objects.filter(process__edition=draft).order_by("process__pk", "position")[1]
    ids = {
        "draft": draft.pk,
        "published": manual.editions.get(status="published").pk,
        "process": step.process_id,
        "step": step.pk,
        "flow": Flow.objects.filter(source__process__edition=draft).first().pk,
        "mission": step.process.mission_id,
        "stakeholder": Stakeholder.objects.filter(process__edition=draft).first().pk,
        "manual": manual.pk,
    }
    content = user_content()
    routes = [
        (route, name)
        for route, name in _patterns()
        if not route.startswith(SKIP_PREFIXES) and not any(s in name for s in SKIP_NAMES)
    ]
    routes += [("admin/", "admin"), ("admin/manuals/edition/", "admin"), ("admin/auth/user/", "")]
    failures: dict[str, list[str]] = {}
    checked = 0
    for _username, client in _clients():
        for language in ("th", "en"):
            client.cookies[settings.LANGUAGE_COOKIE_NAME] = language
            for route, _name in routes:
                for url in _fill(route, ids):
                    response = client.get(url, {"q": "สารบรรณ"} if "search" in url else {})
                    if response.status_code != 200:
                        continue
                    if "text/html" not in response.get("Content-Type", ""):
                        break
                    checked += 1
                    bad = wrong_digits(visible_text(response.content.decode()), language, content)
                    if bad:
                        failures.setdefault(f"{language} {url}", sorted(set(bad))[:6])
                    break
    assert checked > 60  # the enumeration reached the pages
    assert failures == {}, pformat(failures, width=120)
