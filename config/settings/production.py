"""Production: everything from the environment; refuses to start when it would be unsafe.

- ``DJANGO_SECRET_KEY`` must be a real secret: missing, a known default, shorter than 50
  characters or with fewer than 5 distinct characters (Django's own ``check --deploy`` rule)
  stops the server.
- E-mail goes out over SMTP (``EMAIL_HOST`` …): a console/file/memory backend would write the
  password-reset links with their tokens into the server log, so it stops the server unless
  ``ALLOW_CONSOLE_EMAIL=1`` says it is wanted (a staging machine).
- HTTPS behind the reverse proxy: the proxy sets ``X-Forwarded-Proto``; plain HTTP is
  redirected, HSTS tells browsers to stay on HTTPS, cookies are secure.
- WhiteNoise serves ``/static/`` from gunicorn itself (run ``manage.py collectstatic``).
- A Content-Security-Policy (django-csp): scripts only from our own static files (no inline
  script anywhere: page behaviours are in ``static/js/actions.js``), no framing, no plugins.
"""

from __future__ import annotations

import os

from django.core.exceptions import ImproperlyConfigured

from .base import *  # noqa: F403
from .base import INSTALLED_APPS, MIDDLEWARE, SECRET_KEY, env_bool

KNOWN_DEFAULT_KEYS = {
    "dev-only-insecure-key-change-me",
    "test-only-key",
    "change-me",
    "changeme",
    "secret",
    "django-secret-key",
}


def check_secret_key(key: str) -> None:
    """Refuse a missing, default or weak secret key (the rules of Django's security.W009)."""
    if not key:
        raise ImproperlyConfigured("DJANGO_SECRET_KEY must be set in production")
    if (
        key.lower() in KNOWN_DEFAULT_KEYS
        or key.startswith("django-insecure")
        or len(key) < 50
        or len(set(key)) < 5
    ):
        raise ImproperlyConfigured(
            "DJANGO_SECRET_KEY is a default or weak value: use at least 50 random characters, "
            "e.g. python -c 'import secrets; print(secrets.token_urlsafe(64))'"
        )


check_secret_key(SECRET_KEY)
DEBUG = False

# --- e-mail: SMTP unless a log backend is explicitly allowed -----------------------------------
EMAIL_BACKEND = os.environ.get("EMAIL_BACKEND", "django.core.mail.backends.smtp.EmailBackend")
_LOG_BACKENDS = ("console", "filebased", "locmem", "dummy")
if any(f".{name}." in EMAIL_BACKEND for name in _LOG_BACKENDS) and not env_bool(
    "ALLOW_CONSOLE_EMAIL"
):
    raise ImproperlyConfigured(
        f"EMAIL_BACKEND={EMAIL_BACKEND} would write password-reset links to the log; configure "
        "SMTP (EMAIL_HOST, EMAIL_PORT, EMAIL_HOST_USER, EMAIL_HOST_PASSWORD, EMAIL_USE_TLS) or "
        "set ALLOW_CONSOLE_EMAIL=1 on purpose"
    )

# --- HTTPS behind the reverse proxy -----------------------------------------------------------
SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
SECURE_SSL_REDIRECT = env_bool("DJANGO_SSL_REDIRECT", True)
SECURE_HSTS_SECONDS = int(os.environ.get("DJANGO_HSTS_SECONDS", str(365 * 24 * 3600)))
SECURE_HSTS_INCLUDE_SUBDOMAINS = env_bool("DJANGO_HSTS_INCLUDE_SUBDOMAINS", True)
SECURE_HSTS_PRELOAD = env_bool("DJANGO_HSTS_PRELOAD", True)
SESSION_COOKIE_SECURE = env_bool("DJANGO_SECURE_COOKIES", True)
CSRF_COOKIE_SECURE = env_bool("DJANGO_SECURE_COOKIES", True)
CSRF_TRUSTED_ORIGINS = [
    origin.strip()
    for origin in os.environ.get("DJANGO_CSRF_TRUSTED_ORIGINS", "").split(",")
    if origin.strip()
]
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
X_FRAME_OPTIONS = "DENY"

# --- static files from gunicorn (WhiteNoise), CSP header ----------------------------------------
INSTALLED_APPS = [*INSTALLED_APPS, "csp"]
_security = MIDDLEWARE.index("django.middleware.security.SecurityMiddleware")
MIDDLEWARE = [
    *MIDDLEWARE[: _security + 1],
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "csp.middleware.CSPMiddleware",
    *MIDDLEWARE[_security + 1 :],
]
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {"BACKEND": "whitenoise.storage.CompressedManifestStaticFilesStorage"},
}

SELF, NONE = "'self'", "'none'"
CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": [SELF],
        "script-src": [SELF],
        # Bootstrap and htmx set style attributes (progress bars, indicators).
        "style-src": [SELF, "'unsafe-inline'"],
        "img-src": [SELF, "data:", "blob:"],
        "font-src": [SELF, "data:"],
        "connect-src": [SELF],
        "frame-src": [SELF],
        "frame-ancestors": [NONE],
        "form-action": [SELF],
        "base-uri": [SELF],
        "object-src": [NONE],
    }
}
