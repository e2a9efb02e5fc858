"""Tamper evidence on the store under test (rules.md §10): the hash chain is written with every
event, and `ecpsc verify` names the first broken link when a stored event was edited, removed
or reordered — also after the database's own append-only protections were switched off.
"""

from __future__ import annotations

import threading
from collections.abc import Iterator
from typing import Any
from uuid import uuid4

import pytest
from eventsourcing.persistence import StoredEvent
from typer.testing import CliRunner

from domain.backoffice import BackOffice
from ecpsc.chain import CHAIN_TABLE, GENESIS, link, state_digest
from ecpsc.cli import cli
from ecpsc.settings import Settings
from ecpsc.store import open_backoffice
from tests.conftest import STORE

pytestmark = pytest.mark.filterwarnings("ignore::DeprecationWarning")


@pytest.fixture
def backoffice(settings: Settings) -> Iterator[BackOffice]:
    """A back office with twenty events recorded (ten users, each with a token)."""
    bo = open_backoffice(settings)
    admin = bo.bootstrap_admin()
    for i in range(10):
        bo.register_user(f"用户{i}", ["intake"], None, admin)
    try:
        yield bo
    finally:
        bo.close()


def run_verify(settings: Settings, *args: str) -> Any:
    """`ecpsc verify` against the test's store."""
    env = {"ECPSC_DATABASE_URL": settings.database_url}
    return CliRunner().invoke(cli, ["verify", *args], env=env)


class Vandal:
    """Someone with write access to the database who switches its protections off first."""

    def __init__(self, bo: BackOffice) -> None:
        self.bo = bo
        self.recorder: Any = bo.recorder
        self.postgres = STORE == "postgres"

    def _execute(self, statements: list[tuple[str, tuple[Any, ...]]]) -> None:
        with self.recorder.datastore.transaction(commit=True) as curs:
            for sql, params in statements:
                curs.execute(sql if not self.postgres else sql.replace("?", "%s"), params)

    @property
    def events(self) -> str:
        table = self.recorder.events_table_name
        return f'"{table}"' if self.postgres else table

    @property
    def key(self) -> str:
        return "notification_id" if self.postgres else "rowid"

    def unprotect(self) -> None:
        """Drop the append-only triggers of the events and the chain."""
        if self.postgres:
            self._execute(
                [(f"ALTER TABLE {t} DISABLE TRIGGER USER", ()) for t in (self.events, CHAIN_TABLE)]
            )
        else:
            self._execute(
                [
                    (f"DROP TRIGGER IF EXISTS {name}", ())
                    for name in (
                        "stored_events_no_update_but_recorded_disposal",
                        "stored_events_no_delete",
                        f"{CHAIN_TABLE}_no_update",
                        f"{CHAIN_TABLE}_no_delete",
                    )
                ]
            )

    def state(self, n: int) -> bytes:
        with self.recorder.datastore.transaction(commit=False) as curs:
            curs.execute(
                f"SELECT state FROM {self.events} WHERE {self.key} = "
                + ("%s" if self.postgres else "?"),
                (n,),
            )
            return bytes(curs.fetchone()["state"])

    def set_state(self, n: int, state: bytes) -> None:
        self._execute([(f"UPDATE {self.events} SET state = ? WHERE {self.key} = ?", (state, n))])

    def edit_one_byte(self, n: int) -> None:
        state = bytearray(self.state(n))
        index = state.index(b"\xe7")  # a byte of a Chinese name: 用 is e7 94 a8
        state[index + 2] ^= 0x01  # 用 becomes 甩 (e7 94 a9): one byte, still valid UTF-8
        self.set_state(n, bytes(state))

    def remove(self, n: int) -> None:
        self._execute([(f"DELETE FROM {self.events} WHERE {self.key} = ?", (n,))])

    def rewrite_chain_from(self, n: int) -> None:
        """Recompute every link from n on, as someone who knows the algorithm would."""
        with self.recorder.datastore.transaction(commit=False) as curs:
            curs.execute(
                f"SELECT {self.key} AS n, originator_id, originator_version, topic, state"
                f" FROM {self.events} ORDER BY {self.key}"
            )
            rows = curs.fetchall()
            curs.execute(
                f"SELECT notification_id, hash FROM {CHAIN_TABLE} ORDER BY notification_id"
            )
            links = {int(r["notification_id"]): r["hash"] for r in curs.fetchall()}
        previous = links.get(n - 1, GENESIS)
        statements: list[tuple[str, tuple[Any, ...]]] = []
        for row in rows:
            if int(row["n"]) < n:
                continue
            digest = state_digest(bytes(row["state"]))
            previous = link(
                previous, int(row["n"]), str(row["originator_id"]), row["originator_version"],
                row["topic"], digest,
            )  # fmt: skip
            statements.append(
                (
                    f"UPDATE {CHAIN_TABLE} SET state_digest = ?, hash = ?"
                    " WHERE notification_id = ?",
                    (digest, previous, int(row["n"])),
                )
            )
        self._execute(statements)


def test_an_intact_log_verifies_and_the_outcome_is_recorded(
    backoffice: BackOffice, settings: Settings
) -> None:
    """Given twenty events written through the back office, when `ecpsc verify` runs, then it
    exits 0 naming the head, and the verification is recorded (with its own event chained)."""
    result = run_verify(settings)
    assert result.exit_code == 0, result.output
    assert "intact: 20 event(s)" in result.output
    log = backoffice.integrity_log()
    assert log is not None and log.last is not None
    assert (log.last["intact"], log.last["checked"]) == (True, 20)
    again = run_verify(settings)
    assert again.exit_code == 0 and "intact: 22 event(s)" in again.output


def test_editing_one_byte_of_one_event_is_named(backoffice: BackOffice, settings: Settings) -> None:
    """Given the protections switched off, when one byte of event 7's content is changed, then
    `ecpsc verify` exits 1 naming notification 7 as edited."""
    vandal = Vandal(backoffice)
    vandal.unprotect()
    vandal.edit_one_byte(7)
    result = run_verify(settings)
    assert result.exit_code == 1
    assert "BROKEN at notification 7" in result.output and "edited" in result.output


def test_a_removed_event_is_named(backoffice: BackOffice, settings: Settings) -> None:
    """Given the protections switched off, when event 12 is deleted, then verify names it."""
    vandal = Vandal(backoffice)
    vandal.unprotect()
    vandal.remove(12)
    result = run_verify(settings)
    assert result.exit_code == 1
    assert "BROKEN at notification 12" in result.output and "removed" in result.output


def test_reordered_events_are_named(backoffice: BackOffice, settings: Settings) -> None:
    """Given the protections switched off, when the contents of events 5 and 9 are swapped,
    then verify names event 5."""
    vandal = Vandal(backoffice)
    vandal.unprotect()
    fifth, ninth = vandal.state(5), vandal.state(9)
    vandal.set_state(5, ninth)
    vandal.set_state(9, fifth)
    result = run_verify(settings)
    assert result.exit_code == 1 and "BROKEN at notification 5" in result.output


def test_a_rewritten_chain_is_caught_by_the_last_verified_head(
    backoffice: BackOffice, settings: Settings
) -> None:
    """Given a verification that recorded the head at event 20, when someone edits event 3 and
    recomputes every link after it, then the links agree with the events again, but verify
    names link 20: it is no longer the head the verification recorded."""
    assert run_verify(settings).exit_code == 0
    vandal = Vandal(backoffice)
    vandal.unprotect()
    vandal.edit_one_byte(3)
    vandal.rewrite_chain_from(3)
    result = run_verify(settings)
    assert result.exit_code == 1
    assert "BROKEN at notification 20" in result.output and "rewritten" in result.output


def test_the_chain_cannot_be_changed_while_the_protections_stand(backoffice: BackOffice) -> None:
    """Given the protections in place, when a link is updated, then the database refuses."""
    recorder: Any = backoffice.recorder
    with (
        pytest.raises(Exception, match="append-only"),
        recorder.datastore.transaction(commit=True) as curs,
    ):
        curs.execute(f"UPDATE {CHAIN_TABLE} SET hash = 'x'")


def test_events_of_any_bytes_are_stored_as_given_in_order_and_linked(
    backoffice: BackOffice, settings: Settings
) -> None:
    """Given events whose stored bytes hold quotes, backslashes, braces, NULs and invalid UTF-8,
    when one transaction records them, then each is read back byte for byte, numbered in the
    order given, and the chain still verifies."""
    awkward = [
        b'"',
        b"\\",
        b"{,}",
        b"\x00\x00",
        b"\xff\xfe",
        b"",
        b'(a,"b")\\\\x00',
        bytes(range(256)),
    ]
    ids = [uuid4() for _ in awkward]
    stored = [
        StoredEvent(originator_id=i, originator_version=1, topic=f"t:{n}'\"\\", state=s)
        for n, (i, s) in enumerate(zip(ids, awkward, strict=True))
    ]
    recorder = backoffice.recorder
    before = recorder.max_notification_id() or 0

    numbers = recorder.insert_events(stored)

    assert list(numbers or []) == list(range(before + 1, before + 1 + len(awkward)))
    for event, i in zip(stored, ids, strict=True):
        [back] = recorder.select_events(i)
        assert (back.topic, back.state, back.originator_version) == (event.topic, event.state, 1)
    result = run_verify(settings)
    assert result.exit_code == 0 and f"intact: {before + len(awkward)} event(s)" in result.output


@pytest.mark.store("postgres")
def test_one_large_transaction_of_events_is_recorded_and_linked(backoffice: BackOffice) -> None:
    """Given 12,000 events of 2 KB (one demo-data flush of a day's sweep over a large register,
    24 MB), when they are recorded in one call, then it returns within a minute with their ids
    in order (in psycopg's pipeline mode such an INSERT never returned), and each is linked."""
    stored = [
        StoredEvent(originator_id=uuid4(), originator_version=1, topic="t:Big", state=bytes(2048))
        for _ in range(12_000)
    ]
    recorder = backoffice.recorder
    before = recorder.max_notification_id() or 0
    answer: list[Any] = []

    worker = threading.Thread(
        target=lambda: answer.append(recorder.insert_events(stored)), daemon=True
    )
    worker.start()
    worker.join(timeout=60)

    assert not worker.is_alive(), "the insert did not return within a minute"
    assert list(answer[0]) == list(range(before + 1, before + 12_001))
    with recorder.datastore.transaction(commit=False) as curs:  # type: ignore[attr-defined]
        curs.execute(
            f"SELECT count(*) AS n FROM {CHAIN_TABLE} WHERE notification_id > %s", [before]
        )
        linked = curs.fetchone()
    assert linked is not None and linked["n"] == 12_000
