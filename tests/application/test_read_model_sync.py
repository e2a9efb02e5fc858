"""On the embedded store, read models trade a disk sync per event for speed; the events don't."""

from __future__ import annotations

import pytest

from ecpsc.services import Services


@pytest.mark.store("sqlite")
def test_read_models_sync_normally_and_the_event_store_fully(services: Services) -> None:
    # given the embedded store with its read models running
    # when each file's synchronous setting is read on the connections that write it
    def synchronous(datastore: object) -> int:
        with datastore.transaction(commit=False) as cursor:  # type: ignore[attr-defined]
            cursor.execute("PRAGMA synchronous")
            return int(cursor.fetchone()[0])

    # then the event store waits for the disk on every commit (FULL = 2) and each read model,
    # re-derivable from the events and committing its tracking with its rows, does not (1)
    assert synchronous(services.backoffice.recorder.datastore) == 2
    for name in ("register", "applications", "appeals", "audit_worklist"):
        assert synchronous(services.read_models.view(name).datastore) == 1, name
