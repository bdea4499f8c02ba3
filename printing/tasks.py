"""Background work of the printing app (Django Tasks API; the worker is ``manage.py db_worker``).

The task is defined in ``printing.services`` next to the service it runs; this module keeps the
path that queued tasks and the worker know.
"""

from printing.services import export_pdf

__all__ = ["export_pdf"]
