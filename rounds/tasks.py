"""Background work of the rounds app (Django Tasks API; the worker is ``manage.py db_worker``).

The tasks are defined in ``rounds.services`` next to the services they run; this module keeps
the paths that queued tasks and the worker know.
"""

from rounds.services import adopter_pdf, open_round

__all__ = ["adopter_pdf", "open_round"]
