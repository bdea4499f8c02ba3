"""Content-change notifications that lower apps send and higher apps listen to.

The services that write a manual's content call :func:`edition_changed` (in the same
transaction), so an index kept by a higher app (the search index) stays current without the
lower app importing it, and without model signals (bulk writes skip those). A listener is a
plain function registered once at start-up, e.g. in an ``AppConfig.ready``.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from contextlib import contextmanager
from contextvars import ContextVar

ChangeListener = Callable[..., None]

# Inside ``changes_deferred()``: the (edition, process) pairs changed so far, sent at its end.
_deferred: ContextVar[set | None] = ContextVar("deferred_edition_changes", default=None)

_changed: list[ChangeListener] = []
_published: list[ChangeListener] = []


def on_edition_changed(listener: ChangeListener) -> ChangeListener:
    """Register ``listener(edition_id=…, process_id=…)``; usable as a decorator."""
    if listener not in _changed:
        _changed.append(listener)
    return listener


def on_edition_published(listener: ChangeListener) -> ChangeListener:
    """Register ``listener(edition_id=…)``, called while the publication is being written."""
    if listener not in _published:
        _published.append(listener)
    return listener


def edition_changed(edition_id: int, *, process_id: int | None = None) -> None:
    """Content of an edition changed: only one process's rows when ``process_id`` is given."""
    pending = _deferred.get()
    if pending is not None:
        pending.add((edition_id, process_id))
        return
    _send_changed(edition_id, process_id)


def _send_changed(edition_id: int, process_id: int | None) -> None:
    for listener in list(_changed):
        listener(edition_id=edition_id, process_id=process_id)


def edition_published(edition_id: int) -> None:
    """An edition is being published (called before its status becomes published)."""
    for listener in list(_published):
        listener(edition_id=edition_id)


@contextmanager
def changes_deferred() -> Iterator[None]:
    """Collect the change notifications of a block and send each once when it ends (a whole
    edition once instead of each of its processes): a batch write such as a pasted table of 60
    steps then re-indexes its process once, not 60 times. Nothing is sent if the block fails
    (its transaction rolls back)."""
    if _deferred.get() is not None:  # nested: the outer block sends
        yield
        return
    pending: set = set()
    token = _deferred.set(pending)
    try:
        yield
    finally:
        _deferred.reset(token)
    whole = {edition for edition, process in pending if process is None}
    for edition in sorted(whole):
        _send_changed(edition, None)
    for edition, process in sorted(p for p in pending if p[0] not in whole):
        _send_changed(edition, process)
