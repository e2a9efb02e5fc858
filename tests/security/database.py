"""Someone with write access to the test's database, on either store (tests/security)."""

from __future__ import annotations

from typing import Any
from uuid import UUID

from domain.backoffice import BackOffice
from tests.conftest import STORE


class DatabaseWriter:
    """Writes rows straight into the database, around the application."""

    def __init__(self, backoffice: BackOffice) -> None:
        self.recorder: Any = backoffice.recorder
        self.postgres = STORE == "postgres"

    def execute(self, sql: str, params: tuple[Any, ...] = ()) -> None:
        """Run one statement in its own transaction (`?` marks parameters on both stores)."""
        with self.recorder.datastore.transaction(commit=True) as curs:
            curs.execute(sql.replace("?", "%s") if self.postgres else sql, params)

    def rows(self, sql: str, params: tuple[Any, ...] = ()) -> list[Any]:
        """The rows of one query."""
        with self.recorder.datastore.transaction(commit=False) as curs:
            curs.execute(sql.replace("?", "%s") if self.postgres else sql, params)
            return list(curs.fetchall())

    @property
    def events(self) -> str:
        """The events table, as SQL names it."""
        table = self.recorder.events_table_name
        return f'"{table}"' if self.postgres else table

    @property
    def snapshots(self) -> str:
        """The library's snapshots table, as SQL names it."""
        table = self.recorder.events_table_name.removesuffix("_events") + "_snapshots"
        return f'"{table}"' if self.postgres else table

    def key(self, aggregate_id: UUID) -> Any:
        """An originator id as the events table holds it."""
        return aggregate_id if self.postgres else aggregate_id.hex

    def listed_key(self, aggregate_id: UUID) -> str:
        """An originator id as the disposed-events table holds it."""
        return str(aggregate_id) if self.postgres else aggregate_id.hex

    def state(self, aggregate_id: UUID, version: int) -> bytes:
        """One stored event's content."""
        (row,) = self.rows(
            f"SELECT state FROM {self.events} WHERE originator_id = ? AND originator_version = ?",
            (self.key(aggregate_id), version),
        )
        return bytes(row["state"])

    def set_state(self, aggregate_id: UUID, version: int, state: bytes) -> None:
        """Overwrite one stored event's content."""
        self.execute(
            f"UPDATE {self.events} SET state = ?"
            " WHERE originator_id = ? AND originator_version = ?",
            (state, self.key(aggregate_id), version),
        )
