"""Login throttling (django-axes) as this site uses it.

Every sign-in through a web page (``/accounts/login/`` and ``/admin/login/``) passes through
``LoginThrottleBackend`` first: after ``AXES_FAILURE_LIMIT`` wrong passwords for one user name the
account is locked for ``AXES_COOLOFF_TIME`` and the page answers 429 with a Thai message
(``registration/locked_out.html``). An administrator unlocks it early in the admin
(Axes › Access attempts: delete the row) or with ``manage.py axes_reset_username NAME``.

``authenticate()`` called without a request (a management command, ``load_demo``'s check) is no
web login attempt: the throttle steps aside instead of raising.
"""

from __future__ import annotations

from axes.backends import AxesStandaloneBackend
from django.conf import settings
from django.shortcuts import render


class LoginThrottleBackend(AxesStandaloneBackend):
    def authenticate(self, request, username=None, password=None, **kwargs):
        if request is None:
            return None
        return super().authenticate(request, username=username, password=password, **kwargs)


def throttle_username(request, credentials=None) -> str:
    """The user name the throttle records: cleaned and no longer than a user name can be (a
    6,000-character name would not fit axes' column: PostgreSQL refused it with a 500)."""
    from core.text import clean_user_text

    value = (credentials or {}).get("username") or request.POST.get("username", "")
    return clean_user_text(str(value or ""), multiline=False)[:150]


def lockout_response(request, original_response=None, credentials=None):
    """The Thai page shown instead of the login form while the account is locked (429)."""
    cooloff = settings.AXES_COOLOFF_TIME
    minutes = max(1, int(cooloff.total_seconds() // 60)) if cooloff else 0
    return render(
        request,
        "registration/locked_out.html",
        {"failure_limit": settings.AXES_FAILURE_LIMIT, "lockout_minutes": minutes},
        status=429,
    )
