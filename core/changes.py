"""Content-change notifications that lower apps send and higher apps listen to.

The services that write a manual's content call :func:`edition_changed` (in the same
transaction), so an index kept by a higher app (the search index) stays current without the
lower app importing it, and without model signals (bulk writes skip those). A listener is a
plain function registered once at start-up, e.g. in an ``AppConfig.ready``.
"""

from __future__ import annotations

from collections.abc import Callable

ChangeListener = Callable[..., None]

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
    for listener in list(_changed):
        listener(edition_id=edition_id, process_id=process_id)


def edition_published(edition_id: int) -> None:
    """An edition is being published (called before its status becomes published)."""
    for listener in list(_published):
        listener(edition_id=edition_id)
