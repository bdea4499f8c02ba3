"""Settings shared by every environment; each value can come from the environment."""

from __future__ import annotations

import datetime
import json
import os
from pathlib import Path

import dj_database_url

from core.fonts import install_fontconfig

BASE_DIR = Path(__file__).resolve().parent.parent.parent
VAR_DIR = Path(os.environ.get("VAR_DIR", BASE_DIR / "var"))


def env_bool(name: str, default: bool = False) -> bool:
    return os.environ.get(name, str(default)).strip().lower() in {"1", "true", "yes", "on"}


def env_list(name: str, default: str = "") -> list[str]:
    return [item.strip() for item in os.environ.get(name, default).split(",") if item.strip()]


SECRET_KEY = os.environ.get("DJANGO_SECRET_KEY", "")
DEBUG = env_bool("DJANGO_DEBUG", False)
ALLOWED_HOSTS = env_list("DJANGO_ALLOWED_HOSTS", "localhost,127.0.0.1")

INSTALLED_APPS = [
    "django.contrib.admin",
    "core.apps.UsersConfig",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "django.contrib.humanize",
    "crispy_forms",
    "crispy_bootstrap5",
    "django_htmx",
    "simple_history",
    "rules.apps.AutodiscoverRulesConfig",
    "django_tasks",
    "core.apps.TasksConfig",
    "axes",
    "core",
    "manuals",
    "processes",
    "flowcharts",
    "printing",
    "reviews",
    "interop",
    "search",
    "rounds",
    "imports",
    "demo",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "core.middleware.ThaiFirstLocaleMiddleware",
    "core.middleware.AdminThaiDigitsMiddleware",
    "core.middleware.RequestCharsetMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "django_htmx.middleware.HtmxMiddleware",
    "simple_history.middleware.HistoryRequestMiddleware",
    # Last: turns a login refused by the throttle into the Thai lockout page.
    "axes.middleware.AxesMiddleware",
]

ROOT_URLCONF = "config.urls"
WSGI_APPLICATION = "config.wsgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [BASE_DIR / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "django.template.context_processors.i18n",
            ],
            "builtins": ["core.templatetags.thai"],
        },
    }
]

# SQLite is the embedded default so `make run` needs no server; production and CI set
# DATABASE_URL to PostgreSQL.
DATABASES = {
    "default": dj_database_url.config(
        default=f"sqlite:///{VAR_DIR / 'db.sqlite3'}",
        conn_max_age=int(os.environ.get("DB_CONN_MAX_AGE", "60")),
    )
}
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    DATABASES["default"].setdefault("OPTIONS", {}).update(
        {
            "timeout": 20,
            "transaction_mode": "IMMEDIATE",
            "init_command": "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL;",
        }
    )
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"


def caches_from_env() -> dict:
    """One machine: a cache folder in var/. Several machines (web and db_worker): Redis
    (REDIS_URL=redis://host:6379/0), so a chart drawn on one machine is reused by every other."""
    redis_url = os.environ.get("REDIS_URL", "").strip()
    if redis_url:
        return {
            "default": {
                "BACKEND": "django.core.cache.backends.redis.RedisCache",
                "LOCATION": redis_url,
                "KEY_PREFIX": os.environ.get("CACHE_KEY_PREFIX", "manuals"),
            }
        }
    return {
        "default": {
            "BACKEND": "django.core.cache.backends.filebased.FileBasedCache",
            "LOCATION": str(VAR_DIR / "cache"),
            "OPTIONS": {"MAX_ENTRIES": 5000},
        }
    }


CACHES = caches_from_env()

AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {
        "NAME": "django.contrib.auth.password_validation.MinimumLengthValidator",
        "OPTIONS": {"min_length": int(os.environ.get("PASSWORD_MIN_LENGTH", "10"))},
    },
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]
AUTHENTICATION_BACKENDS = [
    # First: refuses a locked-out account before any password is checked (core/auth.py).
    "core.auth.LoginThrottleBackend",
    "rules.permissions.ObjectPermissionBackend",
    "django.contrib.auth.backends.ModelBackend",
]
# Login throttling (django-axes) on /accounts/login/ and /admin/login/: after this many wrong
# passwords for one user name the account is locked for the cool-off (or until an admin
# deletes its access attempt). By user name, not by address: behind the reverse proxy every
# client would share one address.
AXES_FAILURE_LIMIT = int(os.environ.get("AXES_FAILURE_LIMIT", "5"))
AXES_COOLOFF_TIME = datetime.timedelta(minutes=int(os.environ.get("AXES_COOLOFF_MINUTES", "15")))
AXES_LOCKOUT_PARAMETERS = ["username"]
# axes.W006 asks for the address as a lockout key: a whole district office behind one NAT
# address would then be locked out by one person's typos, and the user-agent/cookie rotation it
# warns about does not bypass a lock keyed on the user name alone.
SILENCED_SYSTEM_CHECKS = ["axes.W006"]
AXES_RESET_ON_SUCCESS = True
AXES_LOCKOUT_CALLABLE = "core.auth.lockout_response"
AXES_USERNAME_CALLABLE = "core.auth.throttle_username"
AXES_VERBOSE = False
LOGIN_URL = "login"
LOGIN_REDIRECT_URL = "manuals:home"
LOGOUT_REDIRECT_URL = "login"

LANGUAGE_CODE = "th"
LANGUAGES = [("th", "ไทย"), ("en", "English")]
LOCALE_PATHS = [BASE_DIR / "locale"]
TIME_ZONE = "Asia/Bangkok"
USE_I18N = True
USE_TZ = True

STATIC_URL = "static/"
STATICFILES_DIRS = [BASE_DIR / "static"]
STATIC_ROOT = VAR_DIR / "staticfiles"
MEDIA_URL = "media/"
MEDIA_ROOT = Path(os.environ.get("MEDIA_ROOT", VAR_DIR / "media"))


def storages_from_env() -> dict:
    """Where the files the application makes (PDFs of manuals, adopters' PDFs) are kept: a
    folder (MEDIA_ROOT) by default, an S3-compatible object store (MinIO, Ceph, AWS) shared by
    every web and worker machine when AWS_STORAGE_BUCKET_NAME is set, or any storage class
    named by STORAGE_BACKEND (with STORAGE_OPTIONS as JSON)."""
    backend = os.environ.get("STORAGE_BACKEND", "").strip()
    options: dict = json.loads(os.environ.get("STORAGE_OPTIONS", "") or "{}")
    bucket = os.environ.get("AWS_STORAGE_BUCKET_NAME", "").strip()
    if not backend and bucket:
        backend = "storages.backends.s3.S3Storage"
        options = {
            "bucket_name": bucket,
            "endpoint_url": os.environ.get("AWS_S3_ENDPOINT_URL") or None,
            "region_name": os.environ.get("AWS_S3_REGION_NAME") or None,
            "access_key": os.environ.get("AWS_S3_ACCESS_KEY_ID")
            or os.environ.get("AWS_ACCESS_KEY_ID")
            or None,
            "secret_key": os.environ.get("AWS_S3_SECRET_ACCESS_KEY")
            or os.environ.get("AWS_SECRET_ACCESS_KEY")
            or None,
            "location": os.environ.get("AWS_LOCATION", ""),
            "addressing_style": os.environ.get("AWS_S3_ADDRESSING_STYLE") or None,
            "signature_version": os.environ.get("AWS_S3_SIGNATURE_VERSION", "s3v4"),
            "custom_domain": os.environ.get("AWS_S3_CUSTOM_DOMAIN") or None,
            "querystring_auth": True,
            "querystring_expire": int(os.environ.get("AWS_QUERYSTRING_EXPIRE", "300")),
            "file_overwrite": False,
            "default_acl": None,
            **options,
        }
    if not backend:
        backend = "django.core.files.storage.FileSystemStorage"
    return {
        "default": {"BACKEND": backend, "OPTIONS": options},
        "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
    }


STORAGES = storages_from_env()
# Downloads: streamed through Django after the permission check (default), or, with an object
# store, answered with a redirect to a short-lived signed URL so the file bytes skip the web
# machine (STORAGE_SERVE_REDIRECT=true).
STORAGE_SERVE_REDIRECT = env_bool("STORAGE_SERVE_REDIRECT", False)

CRISPY_ALLOWED_TEMPLATE_PACKS = "bootstrap5"
CRISPY_TEMPLATE_PACK = "bootstrap5"

# Bad input must never be a 500: oversize bodies are refused by Django with a 400.
DATA_UPLOAD_MAX_MEMORY_SIZE = 2 * 1024 * 1024
DATA_UPLOAD_MAX_NUMBER_FIELDS = 2000

TASKS = {
    "default": {
        "BACKEND": os.environ.get("TASKS_BACKEND", "django_tasks_db.DatabaseBackend"),
    }
}

# ``load_demo`` also loads the demo revision round (50 districts) unless this is off.
DEMO_ROUND = True

EMAIL_BACKEND = os.environ.get("EMAIL_BACKEND", "django.core.mail.backends.console.EmailBackend")
EMAIL_HOST = os.environ.get("EMAIL_HOST", "localhost")
EMAIL_PORT = int(os.environ.get("EMAIL_PORT", "25"))
EMAIL_HOST_USER = os.environ.get("EMAIL_HOST_USER", "")
EMAIL_HOST_PASSWORD = os.environ.get("EMAIL_HOST_PASSWORD", "")
EMAIL_USE_TLS = env_bool("EMAIL_USE_TLS", False)
DEFAULT_FROM_EMAIL = os.environ.get("DEFAULT_FROM_EMAIL", "manuals@bangkok.go.th")

# PDF export queue: builds one person may have waiting or running at once (printing.services).
PDF_EXPORT_MAX_PENDING_PER_USER = int(os.environ.get("PDF_EXPORT_MAX_PENDING_PER_USER", "3"))

# Imports of whole-manual JSON and BPMN files: anything larger is refused before it is parsed.
INTEROP_MAX_IMPORT_BYTES = int(os.environ.get("INTEROP_MAX_IMPORT_BYTES", str(20 * 1024 * 1024)))

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "root": {"handlers": ["console"], "level": os.environ.get("LOG_LEVEL", "INFO")},
    "loggers": {
        "fontTools": {"level": "WARNING"},
        "weasyprint": {"level": "ERROR"},
        "axes": {"level": "WARNING"},
    },
}

# Graphviz (subprocess) and WeasyPrint (Pango, in-process) both find fonts via fontconfig.
VAR_DIR.mkdir(parents=True, exist_ok=True)
install_fontconfig(VAR_DIR / "fontconfig")

# Importing existing manuals (imports.services): the largest file accepted, in bytes.
IMPORT_MAX_BYTES = int(os.environ.get("IMPORT_MAX_BYTES", str(200 * 1024 * 1024)))
