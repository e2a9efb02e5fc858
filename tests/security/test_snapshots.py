"""Snapshots are inside the evidence (issue 20 item 1): the back office reads no snapshot from
the database, and `ecpsc verify` names a snapshot row that disagrees with its events."""

from __future__ import annotations

import json
from typing import Any

import pytest
from eventsourcing.persistence import EventStore
from fastapi.testclient import TestClient
from typer.testing import CliRunner

from api.main import create_app
from domain.backoffice import BackOffice
from domain.people import User
from ecpsc.cli import cli
from ecpsc.settings import Settings
from ecpsc.store import open_backoffice
from tests.security.database import DatabaseWriter

pytestmark = pytest.mark.filterwarnings("ignore::DeprecationWarning")


def clerk_with_history(bo: BackOffice, events: int) -> tuple[User, str]:
    """An intake clerk whose aggregate has `events` events more than its registration."""
    admin = bo.bootstrap_admin()
    user, token = bo.register_user("受理员乙", ["intake"], None, admin)
    for i in range(events):
        user.record_email(email=f"clerk{i}@example.cn", by=admin.id)
    bo.save(user)
    return user, token


def snapshot_in_database(bo: BackOffice, user_id: Any) -> None:
    """Write the user's snapshot row as earlier versions kept them (every 50 events)."""
    store = EventStore(mapper=bo.mapper, recorder=bo.factory.aggregate_recorder("snapshots"))
    user = bo.repository.event_store.get(user_id)
    aggregate: Any = None
    for event in user:
        aggregate = event.mutate(aggregate)  # type: ignore[attr-defined]
    store.put([User.Snapshot.take(aggregate)])


def make_admin_in_snapshot(db: DatabaseWriter, user_id: Any) -> None:
    """Edit the user's snapshot rows: the clerk's roles become admin and intake."""
    rows = db.rows(
        f"SELECT originator_version, state FROM {db.snapshots} WHERE originator_id = ?",
        (db.key(user_id),),
    )
    assert rows
    for row in rows:
        state = json.loads(bytes(row["state"]))
        assert state["state"]["roles"] == ["intake"]
        state["state"]["roles"] = ["admin", "intake"]
        db.execute(
            f"UPDATE {db.snapshots} SET state = ? WHERE originator_id = ?"
            " AND originator_version = ?",
            (json.dumps(state).encode(), db.key(user_id), row["originator_version"]),
        )


def test_an_edited_snapshot_does_not_make_a_clerk_an_admin_and_verify_names_it(
    settings: Settings,
) -> None:
    """Given an intake clerk with 60 events and their snapshot row in the database, edited to
    add the admin role, when the back office starts again and the clerk's token is used, then
    the clerk is still an intake clerk only (registering a user is refused, 403), and `ecpsc
    verify` exits 1 naming the clerk's snapshot and what disagrees (roles)."""
    bo = open_backoffice(settings)
    try:
        user, token = clerk_with_history(bo, 60)
        snapshot_in_database(bo, user.id)
        make_admin_in_snapshot(DatabaseWriter(bo), user.id)
    finally:
        bo.close()

    again = open_backoffice(settings)
    try:
        actor = again.authenticate(token)
        assert actor is not None and actor.roles == frozenset({"intake"})
    finally:
        again.close()
    with TestClient(create_app(settings)) as client:
        answer = client.post(
            "/api/v1/users",
            json={"name": "冒名管理员", "roles": ["admin"]},
            headers={"Authorization": f"Bearer {token}"},
        )
        assert answer.status_code == 403, answer.text

    result = CliRunner().invoke(cli, ["verify"], env={"ECPSC_DATABASE_URL": settings.database_url})
    assert result.exit_code == 1, result.output
    assert f"snapshot of {user.id} at version 61 disagrees" in result.output
    assert "(roles)" in result.output and "快照与其事件不符" in result.output


def test_an_honest_snapshot_row_verifies(settings: Settings) -> None:
    """Given a clerk's snapshot row that agrees with the clerk's events, when `ecpsc verify`
    runs, then it passes."""
    bo = open_backoffice(settings)
    try:
        user, _ = clerk_with_history(bo, 5)
        snapshot_in_database(bo, user.id)
    finally:
        bo.close()
    result = CliRunner().invoke(cli, ["verify"], env={"ECPSC_DATABASE_URL": settings.database_url})
    assert result.exit_code == 0, result.output


def test_snapshots_are_taken_in_memory_and_never_written_to_the_database(
    settings: Settings,
) -> None:
    """Given a clerk with 120 events, when a freshly started back office loads the clerk, adds
    60 more events and loads them again, then the clerk's state is the replay of every event,
    the process keeps a snapshot in memory, and the database holds no snapshot row."""
    bo = open_backoffice(settings)
    try:
        user, token = clerk_with_history(bo, 120)
    finally:
        bo.close()
    again = open_backoffice(settings)
    try:
        assert again.get_user(user.id).version == 121
        kept: Any = again.snapshots.recorder  # type: ignore[union-attr]
        assert kept.latest_version(user.id) == 121
        clerk = again.get_user(user.id)
        for i in range(60):
            clerk.record_email(email=f"later{i}@example.cn", by=clerk.id.hex)
        again.save(clerk)
        loaded = again.get_user(user.id)
        assert (loaded.version, loaded.email) == (181, "later59@example.cn")
        assert again.authenticate(token) is not None
        db = DatabaseWriter(again)
        table = db.snapshots
        assert db.rows(f"SELECT COUNT(*) AS n FROM {table}")[0]["n"] == 0
    finally:
        again.close()
