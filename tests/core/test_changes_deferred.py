"""core.changes.changes_deferred: a batch write notifies each edition/process once, at its end."""

from __future__ import annotations

import pytest

from core import changes


@pytest.fixture
def heard(monkeypatch):
    """Only this test's listener (the search index's would need a database)."""
    calls: list[tuple[int, int | None]] = []

    def listener(*, edition_id, process_id=None):
        calls.append((edition_id, process_id))

    monkeypatch.setattr(changes, "_changed", [listener])
    return calls


def test_notifications_are_collected_and_sent_once_at_the_end(heard):
    with changes.changes_deferred():
        for _ in range(3):
            changes.edition_changed(1, process_id=10)
        changes.edition_changed(1, process_id=11)
        changes.edition_changed(2, process_id=20)
        changes.edition_changed(2)  # the whole edition 2: its process change is covered
        assert heard == []
    assert sorted(heard) == [(1, 10), (1, 11), (2, None)]


def test_nested_blocks_send_once_from_the_outer_block(heard):
    with changes.changes_deferred():
        with changes.changes_deferred():
            changes.edition_changed(1, process_id=10)
        assert heard == []
    assert heard == [(1, 10)]


def test_a_failed_block_sends_nothing_and_later_changes_go_out_at_once(heard):
    with pytest.raises(RuntimeError), changes.changes_deferred():
        changes.edition_changed(1, process_id=10)
        raise RuntimeError
    assert heard == []
    changes.edition_changed(3)
    assert heard == [(3, None)]
