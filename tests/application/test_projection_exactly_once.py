"""The read model applies every event exactly once, however often it is stopped and restarted."""

from __future__ import annotations

import logging
import threading
from datetime import date
from uuid import UUID

import pytest

from domain.backoffice import BackOffice
from ecpsc.services import Services
from ecpsc.store import eventsourcing_env
from projections.runner import ReadModels
from tests.application.support import complete_documents, intake_user, page, settle, submit
from tests.factories import VALID_USCCS

RESTARTS = 12
APPLICATIONS = 40
BATCH = 5


def _write(
    services: Services,
    submitted: list[UUID],
    errors: list[BaseException],
    restarted: threading.Semaphore,
) -> None:
    """Submit applications, accepting every other one and contracting every fourth.

    After every BATCH applications the writer waits for the next restart of the read models,
    so restarts are sure to fall among the writes however fast either side is.
    """
    try:
        bo = services.backoffice
        officer, _ = intake_user(bo)
        documents = complete_documents(services, officer)
        for i in range(APPLICATIONS):
            app = submit(bo, officer, documents, VALID_USCCS[i % len(VALID_USCCS)],
                         name=f"第{i}号商贸有限公司", received_on=date(2026, 11, 1 + i % 20))
            submitted.append(app.id)
            if i % 2 == 0:
                bo.review_application(app.id, "accepted", [], [], date(2026, 11, 27), officer)
            if i % 4 == 0:
                bo.sign_contract(app.id, f"HT-{i}", date(2026, 11, 28), officer)
            if i % BATCH == BATCH - 1:
                assert restarted.acquire(timeout=30), "the read models were not restarted"
    except BaseException as error:  # reported by the test
        errors.append(error)


def test_restarting_read_models_while_writing_applies_each_event_once(
    services: Services, caplog: pytest.LogCaptureFixture
) -> None:
    caplog.set_level(logging.WARNING)
    # given a writer submitting, accepting and contracting applications
    submitted: list[UUID] = []
    errors: list[BaseException] = []
    restarted = threading.Semaphore(0)
    writer = threading.Thread(target=_write, args=(services, submitted, errors, restarted))
    writer.start()

    # when the read models are stopped and started again and again while it writes
    env = eventsourcing_env(services.settings)
    restarts = restarts_while_writing = 0
    while writer.is_alive() or restarts < RESTARTS:
        writing = writer.is_alive()
        services.read_models.close()
        services.read_models = ReadModels(env, postgres=services.settings.is_postgres)
        services.read_models.run()
        restarts += 1
        restarts_while_writing += writing
        restarted.release()
        writer.join(timeout=0.02)
    writer.join()
    assert errors == []
    assert restarts_while_writing >= APPLICATIONS // BATCH
    settle(services)

    # then the read model has one row per application submitted
    _, total = page(services)
    assert total == len(submitted) == APPLICATIONS
    rows = services.read_models.view("applications").rows(
        "SELECT id, status, version FROM applications_view"
    )
    assert sorted(r["id"] for r in rows) == sorted(str(i) for i in submitted)
    # and each row shows its aggregate's status at its aggregate's version
    for row in rows:
        aggregate = services.backoffice.get_application(UUID(row["id"]))
        assert (row["status"], row["version"]) == (aggregate.status, aggregate.version)
    counts = {s: page(services, status=s)[1] for s in ("submitted", "accepted", "contracted")}
    assert counts == {"submitted": 20, "accepted": 10, "contracted": 10}
    # and the tracking reached the last event of the store, each notification recorded once
    view = services.read_models.view("applications")
    assert view.max_tracking_id(BackOffice.name) == (
        services.backoffice.recorder.max_notification_id()
    )
    # and no runner failed or lagged on the way (stopping one is not an error)
    assert [r.getMessage() for r in caplog.records if r.levelno >= logging.WARNING] == []
