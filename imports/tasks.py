"""Background work of the imports app (Django Tasks API; the worker is ``manage.py db_worker``).

The task is defined in ``imports.uploads`` next to the service it runs; this module keeps the
path that queued tasks and the worker know.
"""

from imports.uploads import import_manual

__all__ = ["import_manual"]
