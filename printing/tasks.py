"""Background work of the printing app (Django Tasks API; the worker is ``manage.py db_worker``)."""

from __future__ import annotations

from django_tasks import task


@task()
def export_pdf(export_id: int) -> int:
    """Make the PDF of one queued export; returns its page count (0 when it failed)."""
    from printing.services import export_run

    export = export_run(export_id=export_id)
    return export.page_count or 0
