"""The navbar: the planners' dashboard link, and everyone's inbox with its unread count."""

import re

from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from reviews.models import Notification

DASHBOARD = f'href="{reverse("reviews:dashboard")}"'
INBOX = f'href="{reverse("reviews:inbox")}"'


def _nav(client) -> str:
    html = client.get(reverse("manuals:home")).content.decode()
    return re.search(r"<nav class=\"navbar.*?</nav>", html, re.S).group(0)


def _notify(user, edition, n: int) -> None:
    for i in range(n):
        Notification.objects.create(
            recipient=user, verb=Notification.Verb.SUBMITTED, edition=edition, message=f"#{i}"
        )


def test_dashboard_link_only_for_those_who_may_see_the_dashboard(client, people):
    for name in ("reviewer", "approver", "admin"):
        client.force_login(people[name])
        assert DASHBOARD in _nav(client), name
        assert "แดชบอร์ด" in _nav(client)
    for name in ("editor", "nobody"):
        client.force_login(people[name])
        assert DASHBOARD not in _nav(client), name


def test_inbox_link_shows_the_unread_count(client, draft, people):
    editor = people["editor"]
    client.force_login(editor)
    nav = _nav(client)
    assert INBOX in nav and "inbox-unread" not in nav
    _notify(editor, draft, 3)
    Notification.objects.filter(message="#0").update(read_at=timezone.now())
    _notify(people["reviewer"], draft, 4)  # someone else's
    nav = _nav(client)
    assert re.search(r'class="badge[^"]*inbox-unread"[^>]*>๒<', nav)


def test_unread_count_is_one_query_however_many_notifications(client, draft, people):
    client.force_login(people["editor"])

    def count() -> int:
        with CaptureQueriesContext(connection) as ctx:
            client.get(reverse("reviews:inbox"))
        return len(ctx.captured_queries)

    _notify(people["editor"], draft, 1)
    few = count()
    _notify(people["editor"], draft, 30)
    assert count() == few
    with CaptureQueriesContext(connection) as ctx:
        client.get(reverse("manuals:home"))
    assert sum("reviews_notification" in q["sql"] for q in ctx.captured_queries) == 1


def test_signed_out_pages_have_no_inbox(client):
    html = client.get(reverse("login")).content.decode()
    assert INBOX not in html and DASHBOARD not in html
