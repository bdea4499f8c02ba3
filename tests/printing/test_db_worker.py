"""The real background worker (`manage.py db_worker`, not the immediate backend): two worker
processes on one PostgreSQL queue, as on two worker machines, share the exports and run each
exactly once, writing the PDFs through the shared storage.

PostgreSQL only (CI runs the suite on PostgreSQL): the claim is `SELECT … FOR UPDATE SKIP
LOCKED`, which SQLite has not; there one worker process is the supported layout.
"""

from __future__ import annotations

import os
import re
import subprocess
import sys
import time
from pathlib import Path

import pytest
from django.conf import settings
from django.db import connection
from django.test import override_settings

from printing.models import PdfExport
from printing.services import export_request
from tests.factories import EditionFactory, MembershipFactory, ProcessFactory, StepFactory

ON_POSTGRESQL = settings.DATABASES["default"]["ENGINE"].endswith("postgresql")

pytestmark = [
    pytest.mark.django_db(transaction=True),
    pytest.mark.skipif(not ON_POSTGRESQL, reason="needs DATABASE_URL on PostgreSQL (CI)"),
]

EXPORTS = 4
BASE_DIR = Path(__file__).resolve().parent.parent.parent
DB_TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}}


def _worker_env(media: Path) -> dict[str, str]:
    db = connection.settings_dict  # the test database pytest-django made
    user = db.get("USER") or "postgres"
    password = f":{db['PASSWORD']}" if db.get("PASSWORD") else ""
    host = db.get("HOST") or "127.0.0.1"
    port = db.get("PORT") or "5432"
    env = dict(os.environ)
    env.update(
        DJANGO_SETTINGS_MODULE="config.settings.test",
        DATABASE_URL=f"postgres://{user}{password}@{host}:{port}/{db['NAME']}",
        TEST_TASKS_BACKEND="django_tasks_db.DatabaseBackend",
        TEST_MEDIA_ROOT=str(media),
        PYTHONUNBUFFERED="1",
    )
    return env


def test_two_db_workers_run_each_export_exactly_once(tmp_path):
    from django_tasks_db.models import DBTaskResult

    media = tmp_path / "shared-media"
    media.mkdir()
    editions = []
    for number in range(EXPORTS):
        edition = EditionFactory(preface=f"คำนำ ฉบับที่ {number}")
        StepFactory(process=ProcessFactory(mission__edition=edition), detail="รับหนังสือ")
        editions.append(edition)
    with override_settings(TASKS=DB_TASKS, MEDIA_ROOT=media):
        exports = [
            export_request(edition=e, by=MembershipFactory(agency=e.manual.agency).user)
            for e in editions
        ]
    assert {e.status for e in exports} == {PdfExport.Status.QUEUED}
    assert DBTaskResult.objects.count() == EXPORTS

    command = [sys.executable, "manage.py", "db_worker", "--batch", "--interval", "0.2", "-v", "2"]
    env = _worker_env(media)
    logs = [tmp_path / f"worker-{n}.log" for n in (1, 2)]
    workers = []
    for n, log in enumerate(logs, start=1):
        handle = log.open("wb")
        workers.append(
            (
                subprocess.Popen(
                    [*command, "--worker-id", f"worker-{n}"],
                    cwd=BASE_DIR,
                    env=env,
                    stdout=handle,
                    stderr=subprocess.STDOUT,
                ),
                handle,
            )
        )
    deadline = time.monotonic() + 600
    try:
        for process, _handle in workers:
            process.wait(timeout=max(1, deadline - time.monotonic()))
    finally:
        for process, handle in workers:
            if process.poll() is None:
                process.kill()
                process.wait()
            handle.close()
    output = "\n".join(log.read_text("utf-8", "replace") for log in logs)
    assert [p.returncode for p, _h in workers] == [0, 0], output[-3000:]

    results = list(DBTaskResult.objects.all())
    assert len(results) == EXPORTS
    assert {r.status for r in results} == {"SUCCESSFUL"}, output[-3000:]
    # each task was claimed by one worker, once, and both workers took a share
    assert all(len(r.worker_ids) == 1 for r in results), [r.worker_ids for r in results]
    assert {r.worker_ids[0] for r in results} == {"worker-1", "worker-2"}
    for result in results:
        started = re.findall(rf"Task id={result.id} path=\S+ state=RUNNING", output)
        assert len(started) == 1, output[-3000:]

    # every export is done, and exactly one PDF per export is in the shared store
    for export in exports:
        export.refresh_from_db()
        assert export.status == PdfExport.Status.DONE, export.error
        assert (media / export.file.name).read_bytes()[:5] == b"%PDF-"
    pdfs = sorted(p.relative_to(media).as_posix() for p in (media / "pdf").rglob("*.pdf"))
    assert pdfs == sorted(e.file.name for e in exports)
    # the laid-out pieces the workers keep for incremental exports are in the same store
    assert any((media / "pdfparts").rglob("*"))
