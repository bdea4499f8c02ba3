"""Background work of the imports app (Django Tasks API; the worker is ``manage.py db_worker``)."""

from __future__ import annotations

from django_tasks import task


@task()
def import_manual(run_id: int) -> int:
    """Import the uploaded file of one queued run; returns the new edition's id (0 on failure)."""
    from imports.uploads import import_execute

    run = import_execute(run_id=run_id)
    return run.edition_id or 0
