"""What survives a restart of the process: users, tokens, documents, read models."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from datetime import date

from domain.backoffice import BackOffice
from ecpsc.services import Services
from ecpsc.settings import Settings
from tests.application.support import complete_documents, intake_user, page, settle, submit
from tests.factories import VALID_USCCS


@contextmanager
def running(settings: Settings) -> Iterator[Services]:
    """A process's services, with the read models running, closed at the end."""
    services = Services(settings, run_projections=True)
    try:
        yield services
    finally:
        services.close()


def test_users_tokens_and_read_models_survive_a_restart(settings: Settings) -> None:
    # given a process in which a user was registered and submitted two applications
    with running(settings) as first:
        officer, token = intake_user(first.backoffice, "王五")
        documents = complete_documents(first, officer)
        for uscc in VALID_USCCS[:2]:
            submit(first.backoffice, officer, documents, uscc)
        settle(first)
        assert page(first)[1] == 2
        last_before = first.backoffice.recorder.max_notification_id()

    # when a new process starts on the same store
    with running(settings) as second:
        # then the token still authenticates the same user with the same roles
        actor = second.backoffice.authenticate(token)
        assert actor is not None
        assert (actor.id, actor.name, actor.roles) == (officer.id, "王五", frozenset({"intake"}))
        # and nothing was written by starting up
        assert second.backoffice.recorder.max_notification_id() == last_before
        # and the stored documents are still there
        assert second.documents.get(documents[0]["sha256"]).startswith(b"%PDF")
        # and the read model still lists what was submitted, without re-applying anything
        settle(second)
        items, total = page(second, status="submitted")
        assert total == 2
        assert {r["uscc"] for r in items} == set(VALID_USCCS[:2])
        assert all(r["version"] == 1 for r in items)

        # when one more application is submitted after the restart
        new = submit(second.backoffice, actor, documents, VALID_USCCS[2])
        settle(second)
        # then the total goes up by exactly one
        items, total = page(second)
        assert total == 3
        assert str(new.id) in {r["id"] for r in items}
        view = second.read_models.view("applications")
        assert view.max_tracking_id(BackOffice.name) == (
            second.backoffice.recorder.max_notification_id()
        )


def test_a_restart_without_new_events_changes_nothing(settings: Settings) -> None:
    # given a process that recorded and projected an accepted application
    with running(settings) as first:
        officer, _ = intake_user(first.backoffice)
        app = submit(first.backoffice, officer, complete_documents(first, officer),
                     VALID_USCCS[0])
        first.backoffice.review_application(app.id, "accepted", [], [], date(2026, 11, 21),
                                            officer)
        settle(first)
        rows_before = page(first)

    # when the process is started and stopped three times
    for _ in range(3):
        with running(settings) as again:
            settle(again)
            rows_after = page(again)
            # then the read model is exactly as it was (same rows, same versions)
            assert rows_after == rows_before
            assert rows_after[0][0]["status"] == "accepted"
            assert rows_after[0][0]["version"] == 2
