"""Findings 9 and 11: production settings. ``check --deploy`` with a real secret has nothing to
say; a weak or default secret, or a console mail backend, stops the server; HSTS, the SSL
redirect behind the proxy header, WhiteNoise and a CSP are on."""

from __future__ import annotations

import json
import os
import secrets
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]


def _run(*args: str, **env: str) -> subprocess.CompletedProcess:
    environ = {
        k: v
        for k, v in os.environ.items()
        # The browser tests' conftest sets DJANGO_ALLOW_ASYNC_UNSAFE for Playwright's event loop;
        # a deployment never has it, and ``check --deploy`` rightly refuses it.
        if k
        not in {
            "EMAIL_BACKEND",
            "ALLOW_CONSOLE_EMAIL",
            "DJANGO_SECRET_KEY",
            "DJANGO_ALLOW_ASYNC_UNSAFE",
        }
    }
    environ.update(DJANGO_SETTINGS_MODULE="config.settings.production", **env)
    return subprocess.run(
        [sys.executable, "manage.py", *args],
        cwd=ROOT,
        env=environ,
        capture_output=True,
        text=True,
        timeout=120,
    )


def test_check_deploy_with_a_real_secret_has_no_warnings():
    result = _run("check", "--deploy", DJANGO_SECRET_KEY=secrets.token_urlsafe(64))
    assert result.returncode == 0, result.stderr
    output = result.stdout + result.stderr
    assert "System check identified no issues" in output
    assert "WARNING" not in output.upper()


@pytest.mark.parametrize(
    "key",
    [
        "",
        "dev-only-insecure-key-change-me",
        "short-secret",
        "a" * 60,
        "django-insecure-" + "x" * 50,
    ],
)
def test_a_weak_or_default_secret_refuses_to_start(key):
    result = _run("check", DJANGO_SECRET_KEY=key)
    assert result.returncode != 0
    assert "DJANGO_SECRET_KEY" in result.stderr


def test_the_console_mail_backend_refuses_to_start_unless_allowed():
    key = secrets.token_urlsafe(64)
    console = "django.core.mail.backends.console.EmailBackend"
    result = _run("check", DJANGO_SECRET_KEY=key, EMAIL_BACKEND=console)
    assert result.returncode != 0 and "ALLOW_CONSOLE_EMAIL" in result.stderr
    assert (
        _run(
            "check", DJANGO_SECRET_KEY=key, EMAIL_BACKEND=console, ALLOW_CONSOLE_EMAIL="1"
        ).returncode
        == 0
    )


def test_the_production_settings_values():
    script = (
        "import json; from django.conf import settings as s; print(json.dumps({"
        "'email': s.EMAIL_BACKEND, 'ssl': s.SECURE_SSL_REDIRECT, 'hsts': s.SECURE_HSTS_SECONDS,"
        "'proxy': list(s.SECURE_PROXY_SSL_HEADER), 'mw': s.MIDDLEWARE,"
        "'static': s.STORAGES['staticfiles']['BACKEND'],"
        "'csp': s.CONTENT_SECURITY_POLICY['DIRECTIVES']}))"
    )
    result = _run("shell", "-c", script, DJANGO_SECRET_KEY=secrets.token_urlsafe(64))
    assert result.returncode == 0, result.stderr
    values = json.loads(result.stdout.strip().splitlines()[-1])
    assert values["email"].endswith("smtp.EmailBackend")
    assert values["ssl"] is True and values["hsts"] >= 31536000
    assert values["proxy"] == ["HTTP_X_FORWARDED_PROTO", "https"]
    middleware = values["mw"]
    assert middleware.index("whitenoise.middleware.WhiteNoiseMiddleware") == 1
    assert "csp.middleware.CSPMiddleware" in middleware
    assert values["static"] == "core.staticstorage.StaticStorage"
    csp = values["csp"]
    assert csp["script-src"] == ["'self'"]  # no inline script, no eval
    assert csp["frame-ancestors"] == ["'none'"] and csp["object-src"] == ["'none'"]


def test_no_template_has_an_inline_script_or_handler():
    """The CSP allows scripts only from our static files: no template may rely on more."""
    import re

    offenders = []
    pattern = re.compile(r"<script(?![^>]*\bsrc=)|\son[a-z]+\s*=\s*[\"']|javascript:", re.I)
    for path in ROOT.glob("**/templates/**/*.html"):
        if ".venv" in path.parts or "pdf" in path.parts:
            continue
        if pattern.search(path.read_text(encoding="utf-8")):
            offenders.append(str(path.relative_to(ROOT)))
    assert offenders == []
