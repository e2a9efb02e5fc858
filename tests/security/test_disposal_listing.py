"""A row planted in the disposed-events table unlocks nothing (issue 20 item 3): only a disposal
the log records lets an event's content be replaced, by that disposal's tombstone; `ecpsc verify`
and the API name a listing no recorded disposal accounts for, never a traceback or a 500."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import date
from uuid import UUID, uuid4

import pytest
from click.testing import Result
from eventsourcing.persistence import StoredEvent
from fastapi.testclient import TestClient
from typer.testing import CliRunner

from domain.backoffice import BackOffice
from domain.integrity import IntegrityLog
from domain.people import User
from ecpsc.chain import state_digest
from ecpsc.cli import cli
from ecpsc.disposal import tombstone
from ecpsc.settings import Settings
from ecpsc.store import DISPOSED_EVENTS, open_backoffice
from tests.security.database import DatabaseWriter

pytestmark = pytest.mark.filterwarnings("ignore::DeprecationWarning")


@pytest.fixture
def backoffice(settings: Settings) -> Iterator[BackOffice]:
    """A back office with one intake clerk recorded."""
    bo = open_backoffice(settings)
    try:
        yield bo
    finally:
        bo.close()


def clerk(bo: BackOffice) -> User:
    user, _ = bo.register_user("受理员甲", ["intake"], None, bo.bootstrap_admin())
    return user


def plant_listing(db: DatabaseWriter, listed: str, version: int, disposal_id: str) -> None:
    db.execute(
        f"INSERT INTO {DISPOSED_EVENTS} (originator_id, originator_version, disposal_id)"
        " VALUES (?, ?, ?)",
        (listed, version, disposal_id),
    )


def other_disposal(bo: BackOffice) -> str:
    """A disposal the log records, of another record than the clerk's."""
    disposal = bo.record_disposal(
        row_key="91350100M000100Y43:1",
        uscc="91350100M000100Y43",
        reason="保存期满",
        records=[{"aggregate_id": str(uuid4()), "kind": "application", "versions": 1,
                  "digests": ["0" * 64]}],
        documents=[],
        certificate_numbers=[],
        application_ids=[],
        retain_until=date(2024, 6, 2),
        by=bo.bootstrap_admin(),
    )  # fmt: skip
    return str(disposal.id)


def test_a_planted_listing_does_not_unlock_an_event(backoffice: BackOffice) -> None:
    """Given the protections in place and a clerk's registration listed as disposed of by a
    disposal the log does not record for it (a made-up id, the clerk's own id, a recorded
    disposal of another record), when someone overwrites the event with a tombstone naming
    that disposal, then the database refuses and the event is unchanged."""
    user = clerk(backoffice)
    db = DatabaseWriter(backoffice)
    before = db.state(user.id, 1)
    for disposal_id in (str(uuid4()), str(user.id), other_disposal(backoffice)):
        with pytest.raises(Exception, match="append-only"):
            plant_and_edit(db, user.id, disposal_id)
    assert db.state(user.id, 1) == before


def plant_and_edit(db: DatabaseWriter, aggregate_id: UUID, disposal_id: str) -> None:
    """In one transaction, as an intruder would: list the event, then overwrite it."""
    content = tombstone(disposal_id, state_digest(db.state(aggregate_id, 1)), "2026-11-28")
    with db.recorder.datastore.transaction(commit=True) as curs:
        mark = "%s" if db.postgres else "?"
        curs.execute(
            f"INSERT INTO {DISPOSED_EVENTS} (originator_id, originator_version, disposal_id)"
            f" VALUES ({mark}, {mark}, {mark})",
            (db.listed_key(aggregate_id), 1, disposal_id),
        )
        curs.execute(
            f"UPDATE {db.events} SET state = {mark}"
            f" WHERE originator_id = {mark} AND originator_version = {mark}",
            (content, db.key(aggregate_id), 1),
        )


def run_verify(settings: Settings) -> Result:
    return CliRunner().invoke(cli, ["verify"], env={"ECPSC_DATABASE_URL": settings.database_url})


@pytest.mark.parametrize(
    ("listed", "disposal_id"),
    [
        ("user", "made-up"),
        ("user", "not a uuid"),
        ("not a uuid", "made-up"),
        ("user", "user"),
        ("user", "other disposal"),
    ],
)
def test_verify_names_a_listing_without_a_recorded_disposal(
    backoffice: BackOffice, settings: Settings, listed: str, disposal_id: str
) -> None:
    """Given a listing planted in the disposed-events table (its disposal made up, not a uuid,
    a clerk who is no disposal, or a recorded disposal of another record; its event real or
    not a uuid), when `ecpsc verify` runs,
    then it exits 1 naming the listing as a disposal listing without a disposal: no
    traceback."""
    user = clerk(backoffice)
    db = DatabaseWriter(backoffice)
    named = {"user": db.listed_key(user.id), "made-up": str(uuid4())}
    if disposal_id == "other disposal":
        named[disposal_id] = other_disposal(backoffice)
    plant_listing(db, named.get(listed, listed), 1, named.get(disposal_id, disposal_id))

    result = run_verify(settings)

    assert isinstance(result.exception, SystemExit), result.exception
    assert result.exit_code == 1, result.output
    assert "disposal listing without a disposal" in result.output
    assert "处置登记无据" in result.output


def test_the_api_verification_reports_a_planted_listing_without_a_500(
    client: TestClient, admin_headers: dict[str, str]
) -> None:
    """Given a listing planted for a made-up disposal, when POST /integrity/verification runs,
    then it answers 200 with intact false and the listing named; the outcome is recorded."""
    services = client.app.state.services  # type: ignore[attr-defined]
    user = clerk(services.backoffice)
    db = DatabaseWriter(services.backoffice)
    made_up = str(uuid4())
    plant_listing(db, db.listed_key(user.id), 1, made_up)

    response = client.post("/api/v1/integrity/verification", headers=admin_headers)

    assert response.status_code == 200, response.text
    body = response.json()
    assert body["intact"] is False
    assert made_up in body["problem"] and "disposal listing without a disposal" in body["problem"]
    assert body["last_verification"]["intact"] is False


def test_an_unreadable_event_planted_in_the_integrity_log_is_named_not_a_traceback(
    backoffice: BackOffice, settings: Settings
) -> None:
    """Given a verification recorded, and then an event of the integrity log written around the
    application (linked in the chain, but its content unreadable), when `ecpsc verify` runs,
    then it exits 1 naming the integrity log as unreadable: no traceback."""
    clerk(backoffice)
    assert run_verify(settings).exit_code == 0
    log = IntegrityLog.create_id()
    version = len(backoffice.recorder.select_events(log)) + 1
    backoffice.recorder.insert_events(
        [StoredEvent(originator_id=log, originator_version=version,
                     topic="domain.integrity:IntegrityLog.Verified", state=b"{not json")]
    )  # fmt: skip

    result = run_verify(settings)

    assert isinstance(result.exception, SystemExit), result.exception
    assert result.exit_code == 1 and "the integrity log cannot be read" in result.output
