"""The test suite: `make test`. PostgreSQL when DATABASE_URL is set (CI), else SQLite."""

import os
import tempfile
from pathlib import Path

from .base import *  # noqa: F403

SECRET_KEY = "test-only-key"  # noqa: S105
DEBUG = False
# A small lockout limit, so the throttling tests need few attempts.
AXES_FAILURE_LIMIT = 3
PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
CACHES = {
    "default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache", "LOCATION": "tests"}
}
# Tasks run inline in tests unless a test asks for the database backend explicitly (the
# db_worker test starts real workers with TEST_TASKS_BACKEND=django_tasks_db.DatabaseBackend).
TASKS = {
    "default": {
        "BACKEND": os.environ.get(
            "TEST_TASKS_BACKEND", "django_tasks.backends.immediate.ImmediateBackend"
        )
    }
}
# Only the tests that need the demo round load it (demo.round.load_round_demo).
DEMO_ROUND = False
MEDIA_ROOT = Path(
    os.environ.get("TEST_MEDIA_ROOT") or tempfile.mkdtemp(prefix="manuals-test-media-")
)

# PostgreSQL: create the test database from a template with a UTF-8 ctype (.ci/run makes it),
# because a C ctype breaks Thai text search.
if DATABASES["default"]["ENGINE"].endswith("postgresql"):  # noqa: F405
    DATABASES["default"]["TEST"] = {  # noqa: F405
        "TEMPLATE": os.environ.get("DATABASE_TEST_TEMPLATE", "template0"),
        "CHARSET": "UTF8",
    }
