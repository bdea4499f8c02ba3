"""Finding 2: wrong passwords lock the account (both login pages), an admin unlocks it, and a
numeric-only or short password is refused."""

from __future__ import annotations

import pytest
from axes.models import AccessAttempt
from django.conf import settings
from django.contrib.auth import get_user_model
from django.contrib.auth.password_validation import validate_password
from django.core.exceptions import ValidationError
from django.test import Client

from tests.factories import UserFactory

pytestmark = pytest.mark.django_db
PASSWORD = "pw-123456"  # tests.factories.UserFactory


def _login(client, url, username, password):
    return client.post(url, {"username": username, "password": password, "next": "/"})


def _signed_in(client) -> bool:
    return "_auth_user_id" in client.session


@pytest.mark.parametrize("url", ["/accounts/login/", "/admin/login/"])
def test_wrong_passwords_lock_the_account(url):
    user = UserFactory(username="target", is_staff=True)
    client = Client()
    limit = settings.AXES_FAILURE_LIMIT
    assert limit == 3  # the test settings keep it small
    for _ in range(limit - 1):
        response = _login(client, url, "target", "wrong-guess")
        assert response.status_code == 200 and not _signed_in(client)
    response = _login(client, url, "target", "wrong-guess")
    assert response.status_code == 429
    # Now even the right password is refused, with the Thai page.
    response = _login(Client(), url, user.username, PASSWORD)
    assert response.status_code == 429
    html = response.content.decode()
    assert "ระงับการเข้าสู่ระบบชั่วคราว" in html and "๓ ครั้ง" in html and "๑๕ นาที" in html
    assert not _signed_in(client)


def test_a_success_before_the_limit_resets_the_count():
    UserFactory(username="typo")
    client = Client()
    for _ in range(settings.AXES_FAILURE_LIMIT - 1):
        _login(client, "/accounts/login/", "typo", "nope")
    assert _login(client, "/accounts/login/", "typo", PASSWORD).status_code == 302
    client.logout()
    for _ in range(settings.AXES_FAILURE_LIMIT - 1):
        _login(client, "/accounts/login/", "typo", "nope")
    assert _login(client, "/accounts/login/", "typo", PASSWORD).status_code == 302


def test_an_admin_unlocks_the_account():
    UserFactory(username="locked")
    for _ in range(settings.AXES_FAILURE_LIMIT):
        _login(Client(), "/accounts/login/", "locked", "nope")
    assert _login(Client(), "/accounts/login/", "locked", PASSWORD).status_code == 429
    admin = get_user_model().objects.create_superuser("root", "root@example.org", "x")
    staff = Client()
    staff.force_login(admin)
    changelist = staff.get("/admin/axes/accessattempt/")
    assert changelist.status_code == 200 and "locked" in changelist.content.decode()
    attempt = AccessAttempt.objects.get(username="locked")
    response = staff.post(f"/admin/axes/accessattempt/{attempt.pk}/delete/", {"post": "yes"})
    assert response.status_code == 302
    assert _login(Client(), "/accounts/login/", "locked", PASSWORD).status_code == 302


@pytest.mark.parametrize("password", ["12345678901234", "๑๒๓๔๕๖๗๘๙๐๑๒", "short-1", "password123"])
def test_weak_passwords_are_refused(password):
    with pytest.raises(ValidationError):
        validate_password(password, UserFactory.build(username="somchai"))


def test_password_change_refuses_numeric_only():
    user = UserFactory(username="somchai")
    client = Client()
    client.force_login(user)
    response = client.post(
        "/accounts/password_change/",
        {
            "old_password": PASSWORD,
            "new_password1": "20250601123456",
            "new_password2": "20250601123456",
        },
    )
    assert response.status_code == 200  # the form again, with the error
    user.refresh_from_db()
    assert user.check_password(PASSWORD)


def test_the_demo_password_passes_the_validators():
    from demo.manual import DEMO_PASSWORD

    for username in ["editor", "reviewer", "approver", "admin"]:
        validate_password(DEMO_PASSWORD, UserFactory.build(username=username))


def test_a_huge_user_name_is_recorded_bounded_not_a_500():
    """Found by the fuzz test on PostgreSQL: axes stored the whole name (varchar 255)."""
    client = Client(raise_request_exception=False)
    response = _login(client, "/accounts/login/", "ก" * 6000, "wrong")
    assert response.status_code == 200
    assert AccessAttempt.objects.get().username == "ก" * 150
