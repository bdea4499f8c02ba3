"""Background work of the interop app (Django Tasks API; the worker is ``manage.py db_worker``).

The task is defined in ``interop.services`` next to the service it runs; this module keeps the
path the worker knows.
"""

from interop.services import export_docx

__all__ = ["export_docx"]
