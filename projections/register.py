"""The public certificate register (ZPIC-WF-20 8, 7.4): every certificate issued, no personal data.

Rows hold only what the public may see: number, organization name, uscc and address, scope,
sites, grade, status and dates. The change feed gives mirrors every change in order, keyed by
the event's notification id, so a mirror resuming from its cursor never misses or repeats one.
"""

from __future__ import annotations

import json
import re
import unicodedata
from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date
from typing import Any

from eventsourcing.dispatch import singledispatchmethod
from eventsourcing.domain import DomainEventProtocol
from eventsourcing.persistence import Tracking
from eventsourcing.projection import Projection
from psycopg.sql import SQL

from domain.certificate import Certificate
from domain.disposal import Disposal
from projections.view import PostgresView, SQLiteView, ViewQueries

STATUSES = ("valid", "suspended", "withdrawn", "expired")


CERTIFICATE_COLUMNS = (
    "number", "certificate_id", "organization_name", "uscc", "address", "scope", "sites", "grade",
    "status", "issued_on", "expires_on", "suspended_from", "suspended_until", "withdrawn_on",
    "last_modified", "version",
)  # fmt: skip
"""The columns of a register row."""

ChangeRow = tuple[int, str, str, str]
"""A change-feed row: cursor (the event's notification id), number, change, at."""

GRAMS_PER_STATEMENT = 400
"""Rows of one gram-count upsert (SQLite's 999 parameters bound its older versions)."""


def _like_pattern(text: str) -> str:
    escaped = text.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_")
    return f"%{escaped}%"


USCC_SHAPE = re.compile(r"[0-9A-HJ-NPQRTUWXY]{18}")
"""What a unified social credit code looks like (GB 32100: 18 characters, no I, O, S, V, Z)."""
NUMBER_SHAPE = re.compile(r"[A-Z]{2,}(?:-[A-Z0-9]+)+")
"""What a certificate number looks like (ECPSC-SC-2026-00001)."""
DASHES = dict.fromkeys(map(ord, "\u2010\u2011\u2012\u2013\u2014\u2015\u2212\uff0d\ufe63"), "-")
"""Dashes a person may type or paste for the ASCII hyphen of a number (full-width －, —, –)."""


@dataclass(frozen=True)
class RegisterQuery:
    """What a person typed into the register's search, read: a USCC, a certificate number, or
    text (part of a name, else words of the scope)."""

    kind: str
    text: str
    words: tuple[str, ...] = ()


def normalised_code(text: str) -> str:
    """A typed code as the register stores it: full-width letters and digits made ASCII, any
    dash the hyphen, spaces gone, upper case."""
    folded = unicodedata.normalize("NFKC", text).translate(DASHES)
    return "".join(folded.split()).upper()


def read_query(q: str | None) -> RegisterQuery:
    """Whether `q` is a USCC, a certificate number or text to look for in names and scopes."""
    text = (q or "").strip()
    if not text:
        return RegisterQuery("none", "")
    code = normalised_code(text)
    words = tuple(unicodedata.normalize("NFKC", text).split())
    if USCC_SHAPE.fullmatch(code):
        return RegisterQuery("uscc", code, words)
    if NUMBER_SHAPE.fullmatch(code) and any(c.isdigit() for c in code):
        return RegisterQuery("number", code, words)
    return RegisterQuery("text", text, words)


def effective_status(row: dict[str, Any], today: date) -> str:
    """A valid certificate past its last day reads as expired, even before the sweep records it."""
    if row["status"] == "valid" and row["expires_on"] < today.isoformat():
        return "expired"
    return str(row["status"])



def _iso(day: date | None) -> str | None:
    return None if day is None else day.isoformat()


def _standing(e: Any) -> dict[str, Any]:
    """The register columns of a certificate's standing after a status event."""
    return {
        "status": e.status_after,
        "suspended_from": _iso(e.suspended_from_after),
        "suspended_until": _iso(e.suspended_until_after),
    }

class RegisterQueries(ViewQueries):
    """The register's rows, its change feed, and its searches."""

    ddl: tuple[str, ...] = (
        "CREATE TABLE IF NOT EXISTS register_certificates ("
        " number TEXT PRIMARY KEY,"
        " certificate_id TEXT NOT NULL UNIQUE,"
        " organization_name TEXT NOT NULL,"
        " uscc TEXT NOT NULL,"
        " address TEXT NOT NULL,"
        " scope TEXT NOT NULL,"
        " sites TEXT NOT NULL,"
        " grade TEXT NOT NULL,"
        " status TEXT NOT NULL,"
        " issued_on TEXT NOT NULL,"
        " expires_on TEXT NOT NULL,"
        " suspended_from TEXT,"
        " suspended_until TEXT,"
        " withdrawn_on TEXT,"
        " last_modified TEXT NOT NULL,"
        " version INTEGER NOT NULL)",
        "CREATE INDEX IF NOT EXISTS register_certificates_uscc ON register_certificates (uscc)",
        "CREATE INDEX IF NOT EXISTS register_certificates_status"
        " ON register_certificates (status, expires_on)",
        "CREATE TABLE IF NOT EXISTS register_notices ("
        " cursor BIGINT PRIMARY KEY,"
        " number TEXT NOT NULL,"
        " organization_name TEXT NOT NULL,"
        " uscc TEXT NOT NULL,"
        " reason TEXT NOT NULL,"
        " withdrawn_on TEXT NOT NULL,"
        " published_at TEXT NOT NULL)",
        "CREATE TABLE IF NOT EXISTS register_changes ("
        " cursor BIGINT PRIMARY KEY,"
        " number TEXT NOT NULL,"
        " change TEXT NOT NULL,"
        " at TEXT NOT NULL)",
    )

    def certificate(self, number: str) -> dict[str, Any] | None:
        """One register row."""
        rows = self.rows("SELECT * FROM register_certificates WHERE number = ?", [number])
        return rows[0] if rows else None

    def certificates(self, numbers: Sequence[str]) -> dict[str, dict[str, Any]]:
        """Register rows by number, in one query (numbers not in the register are left out)."""
        wanted = sorted(set(numbers))
        if not wanted:
            return {}
        marks = ", ".join("?" * len(wanted))
        rows = self.rows(f"SELECT * FROM register_certificates WHERE number IN ({marks})", wanted)
        return {row["number"]: row for row in rows}

    def search(
        self,
        *,
        today: date,
        q: str | None = None,
        uscc: str | None = None,
        status: str | None = None,
        grade: str | None = None,
        offset: int = 0,
        limit: int = 20,
    ) -> tuple[list[dict[str, Any]], int]:
        """Certificates by what a person types (`q`: a USCC, a certificate number, part of the
        name or, when no name holds it, words of the scope), uscc, status (expiry by date
        included) and grade."""
        asked = read_query(q)
        if asked.kind == "none":
            return self._search(today, None, None, uscc, status, grade, offset, limit)
        if asked.kind == "uscc" and uscc in (None, asked.text):
            found = self._search(today, None, None, asked.text, status, grade, offset, limit)
        elif asked.kind == "number":
            found = self._search(
                today, None, None, uscc, status, grade, offset, limit, number=asked.text
            )
        else:
            found = [], 0
        if found[1]:
            return found
        # Text, or a code no certificate has (a name may look like one): part of a name, and
        # when no name holds it, the words of the scope.
        typed = (q or "").strip()
        found = self._search(today, typed, None, uscc, status, grade, offset, limit)
        if found[1] or not asked.words:
            return found
        return self._search(today, None, asked.words, uscc, status, grade, offset, limit)

    def _search(
        self,
        today: date,
        q: str | None,
        scope_words: Sequence[str] | None,
        uscc: str | None,
        status: str | None,
        grade: str | None,
        offset: int,
        limit: int,
        number: str | None = None,
    ) -> tuple[list[dict[str, Any]], int]:
        where: list[str] = []
        params: list[Any] = []
        counted = None
        if number:
            where.append("number = ?")
            params.append(number)
        for word in scope_words or ():
            where.append("scope LIKE ? ESCAPE '\\'")
            params.append(_like_pattern(word))
        if q and not (uscc or status or grade):
            counted = self._counted_name(q, offset + limit)
        if counted is not None:
            _, condition, values = counted
            where.append(condition)
            params.extend(values)
        elif q:
            condition, values = self._name_condition(q)
            where.append(condition)
            params.extend(values)
        if uscc:
            where.append("uscc = ?")
            params.append(uscc)
        if grade:
            where.append("grade = ?")
            params.append(grade)
        if status == "valid":
            where.append("status = 'valid' AND expires_on >= ?")
            params.append(today.isoformat())
        elif status == "expired":
            where.append("(status = 'expired' OR (status = 'valid' AND expires_on < ?))")
            params.append(today.isoformat())
        elif status:
            where.append("status = ?")
            params.append(status)
        clause = f" WHERE {' AND '.join(where)}" if where else ""
        if counted is not None:
            total = counted[0]
        else:
            counts = self.rows(f"SELECT COUNT(*) AS n FROM register_certificates{clause}", params)
            total = int(counts[0]["n"])
        rows = self.rows(
            f"SELECT * FROM register_certificates{clause} ORDER BY issued_on DESC, number"
            " LIMIT ? OFFSET ?",
            [*params, limit, offset],
        )
        return rows, total

    def _name_condition(self, q: str) -> tuple[str, list[Any]]:
        """The WHERE condition finding names that contain `q` (a scan, on the embedded store)."""
        return "organization_name LIKE ? ESCAPE '\\'", [_like_pattern(q)]

    def _counted_name(self, q: str, reach: int) -> tuple[int, str, list[Any]] | None:
        """Where the store keeps the count of names holding `q`: that total, and the condition
        finding the first `reach` of them soonest; None to count the matches."""
        return None

    def gram_counts_added(self, names: Sequence[tuple[str, int]]) -> list[tuple[str, list[Any]]]:
        """Upserts adding the grams of names added (1) and taken (-1) to the gram counts,
        GRAMS_PER_STATEMENT rows each."""
        counts: Counter[str] = Counter()
        for name, delta in names:
            grams = name_grams(name) | {""}
            if delta > 0:
                counts.update(grams)  # counting an iterable runs in C
            else:
                counts.subtract(grams)
        deltas = sorted((gram, n) for gram, n in counts.items() if n)
        statements = []
        for start in range(0, len(deltas), GRAMS_PER_STATEMENT):
            chunk = deltas[start : start + GRAMS_PER_STATEMENT]
            statements.append(
                (
                    "INSERT INTO register_gram_counts (gram, n) VALUES "
                    + ", ".join(["(?, ?)"] * len(chunk))
                    + " ON CONFLICT (gram) DO UPDATE SET n = register_gram_counts.n + excluded.n",
                    [value for pair in chunk for value in pair],
                )
            )
        return statements

    def certificates_added(self, rows: Sequence[dict[str, Any]]) -> list[tuple[str, list[Any]]]:
        """Inserts of whole register rows."""
        return [
            (f"INSERT INTO register_certificates ({', '.join(CERTIFICATE_COLUMNS)}) VALUES"
             f" ({', '.join('?' * len(CERTIFICATE_COLUMNS))})",
             [row[column] for column in CERTIFICATE_COLUMNS])
            for row in rows
        ]  # fmt: skip

    def changes_added(self, rows: Sequence[ChangeRow]) -> list[tuple[str, list[Any]]]:
        """Inserts of change-feed rows (cursor, number, change, at)."""
        return [
            ("INSERT INTO register_changes (cursor, number, change, at) VALUES (?, ?, ?, ?)",
             list(row))
            for row in rows
        ]  # fmt: skip

    def notices(self, offset: int, limit: int) -> tuple[list[dict[str, Any]], int]:
        """Public withdrawal notices of certificates that could not be recovered (7.3.2)."""
        total = self.rows("SELECT COUNT(*) AS n FROM register_notices")[0]["n"]
        rows = self.rows(
            "SELECT * FROM register_notices ORDER BY cursor DESC LIMIT ? OFFSET ?", [limit, offset]
        )
        return rows, int(total)

    def changes(self, after: int, limit: int) -> list[dict[str, Any]]:
        """Register changes after a cursor, in order."""
        return self.rows(
            "SELECT cursor, number, change, at FROM register_changes WHERE cursor > ?"
            " ORDER BY cursor LIMIT ?",
            [after, limit],
        )


GRAM_COUNTS = (
    "CREATE TABLE IF NOT EXISTS register_gram_counts (gram TEXT PRIMARY KEY, n BIGINT NOT NULL)"
)
"""How many names hold each piece of one to COUNTED_LENGTH characters ('' counts every row): the
total of a search by such a piece without counting its matches (电器 is in one name in
fifteen, 汽车销 too: 67,000 each over a million certificates)."""

COUNTED_LENGTH = 4
"""The longest pieces counted; a longer query's matches are counted when it is asked."""


def name_grams(name: str) -> set[str]:
    """The pieces of one to COUNTED_LENGTH characters of a name (as register_counted_grams
    gives them)."""
    return {name[i : i + n] for n in range(1, COUNTED_LENGTH + 1) for i in range(len(name) - n + 1)}


class SQLiteRegisterView(RegisterQueries, SQLiteView):
    """The register on the embedded store."""

    ddl: tuple[str, ...] = (*RegisterQueries.ddl, GRAM_COUNTS)


# Names are mostly Chinese, and a two-character query (华为, 海尔) is the common case: pg_trgm
# extracts no trigram from it, so its index would scan. Instead every name is indexed by its
# characters and pairs of characters; a query's pairs (its one character, if that is all it
# is) find the candidates through GIN, and LIKE keeps the exact substring rule.
REGISTER_GRAMS_DDL = (
    "DO $$ BEGIN"
    " CREATE FUNCTION register_grams(name TEXT) RETURNS TEXT[]"
    " LANGUAGE sql IMMUTABLE STRICT PARALLEL SAFE AS"
    " 'SELECT ARRAY(SELECT DISTINCT substr(name, i, n)"
    " FROM generate_series(1, char_length(name)) AS i, (VALUES (1), (2)) AS g(n)"
    " WHERE i + n - 1 <= char_length(name))';"
    " EXCEPTION WHEN duplicate_function OR unique_violation THEN NULL;"
    " END $$",
    "CREATE INDEX IF NOT EXISTS register_certificates_name_grams"
    " ON register_certificates USING GIN (register_grams(organization_name))",
    # The page order, so a query matching many names reads its page in order and stops.
    "CREATE INDEX IF NOT EXISTS register_certificates_page_order"
    " ON register_certificates (issued_on DESC, number)",
    # The gram counts (GRAM_COUNTS), counted from the rows already there when the table is new
    # (a register built by an earlier version); the projection keeps them from then on.
    "DO $$ BEGIN"
    " CREATE FUNCTION register_counted_grams(name TEXT) RETURNS TEXT[]"
    " LANGUAGE sql IMMUTABLE STRICT PARALLEL SAFE AS"
    " 'SELECT ARRAY(SELECT DISTINCT substr(name, i, n)"
    " FROM generate_series(1, char_length(name)) AS i,"
    f" generate_series(1, {COUNTED_LENGTH}) AS n"
    " WHERE i + n - 1 <= char_length(name))';"
    " EXCEPTION WHEN duplicate_function OR unique_violation THEN NULL;"
    " END $$",
    "DO $$ BEGIN"
    " IF to_regclass('register_gram_counts') IS NULL THEN"
    f"  {GRAM_COUNTS};"
    "  LOCK TABLE register_certificates IN SHARE MODE;"
    "  INSERT INTO register_gram_counts (gram, n)"
    "   SELECT g, count(*) FROM register_certificates,"
    "    unnest(register_counted_grams(organization_name) || ''::text) AS g GROUP BY g;"
    " END IF;"
    " END $$",
)


def query_grams(q: str) -> list[str]:
    """The characters pairs a name containing `q` must have (or its one character)."""
    if len(q) == 1:
        return [q]
    return sorted({q[i : i + 2] for i in range(len(q) - 1)})


class PostgresRegisterView(RegisterQueries, PostgresView):
    """The register on PostgreSQL, its name search served by an index of character pairs."""

    def __init__(self, datastore: Any, **kwargs: Any) -> None:
        super().__init__(datastore, **kwargs)
        self.sql_create_statements.extend(SQL(s).format() for s in REGISTER_GRAMS_DDL)  # type: ignore[arg-type]

    # A search matching at least this many names may read its page in page order (below).
    WALK_FROM = 1_000

    def _name_condition(self, q: str) -> tuple[str, list[Any]]:
        """Names holding every pair of `q`, then the exact substring."""
        return (
            "register_grams(organization_name) @> ?::text[]"
            " AND organization_name LIKE ? ESCAPE '\\'",
            [query_grams(q), _like_pattern(q)],
        )

    def _counted_name(self, q: str, reach: int) -> tuple[int, str, list[Any]] | None:
        """A name piece of up to COUNTED_LENGTH characters is counted from the gram counts; a
        common one reads its page in page order instead of gathering and sorting every match."""
        if len(q) > COUNTED_LENGTH:
            return None
        counts = {
            row["gram"]: int(row["n"])
            for row in self.rows(
                "SELECT gram, n FROM register_gram_counts WHERE gram IN (?, '')", [q]
            )
        }
        total, everyone = counts.get(q, 0), counts.get("", 0)
        if self._reads_in_page_order(total, everyone, reach):
            return total, "organization_name LIKE ? ESCAPE '\\'", [_like_pattern(q)]
        return total, *self._name_condition(q)

    def gram_counts_added(self, names: Sequence[tuple[str, int]]) -> list[tuple[str, list[Any]]]:
        """One upsert, PostgreSQL cutting the names into grams with the function that counted
        the rows already there (the projector's Python sends a few names, not their grams)."""
        return [
            (
                "INSERT INTO register_gram_counts (gram, n)"
                " SELECT g, sum(x.delta) FROM unnest(?::text[], ?::integer[]) AS x(name, delta),"
                " unnest(register_counted_grams(x.name) || ''::text) AS g"
                " GROUP BY g HAVING sum(x.delta) <> 0"
                " ON CONFLICT (gram) DO UPDATE SET n = register_gram_counts.n + excluded.n",
                [[name for name, _ in names], [delta for _, delta in names]],
            )
        ]

    def certificates_added(self, rows: Sequence[dict[str, Any]]) -> list[tuple[str, list[Any]]]:
        """One insert of every row, as an array per column."""
        arrays = ", ".join(
            "?::integer[]" if column == "version" else "?::text[]" for column in CERTIFICATE_COLUMNS
        )
        return [
            (
                f"INSERT INTO register_certificates ({', '.join(CERTIFICATE_COLUMNS)})"
                f" SELECT * FROM unnest({arrays})",
                [[row[column] for row in rows] for column in CERTIFICATE_COLUMNS],
            )
        ]

    def changes_added(self, rows: Sequence[ChangeRow]) -> list[tuple[str, list[Any]]]:
        """One insert of every change-feed row, as four arrays."""
        return [
            (
                "INSERT INTO register_changes (cursor, number, change, at)"
                " SELECT * FROM unnest(?::bigint[], ?::text[], ?::text[], ?::text[])",
                [list(column) for column in zip(*rows, strict=True)],
            )
        ]

    def _reads_in_page_order(self, total: int, everyone: int, reach: int) -> bool:
        """Whether reading rows in page order finds the first `reach` of `total` matches among
        `everyone` sooner than gathering and sorting all matches: it reads about
        reach · everyone / total rows, the other way `total` rows and a sort."""
        return total >= self.WALK_FROM and total * total >= reach * everyone


IDENTITY = ("number", "organization_name", "uscc")
"""What the projection remembers of a certificate's row."""

ROW_MEMORY = 200_000
"""Certificates whose register identity the projection remembers before it starts afresh."""


class RegisterProjection(Projection[RegisterQueries]):
    """Keeps the public register and its change feed."""

    name = "register"

    def __init__(self, view: RegisterQueries) -> None:
        super().__init__(view)
        # A certificate's number, organization name and uscc never change on the register once
        # issued: remembering them spares a query per status change. A restart, or a disposal,
        # begins a fresh memory.
        self._rows: dict[str, dict[str, Any]] = {}
        # The names the batch added (1) and took (-1), counted in the gram counts at its end.
        self._names_counted: list[tuple[str, int]] = []
        # The rows of certificates issued in the batch, inserted at its end: a later event of the
        # batch changes the row here instead of updating it.
        self._issued_rows: dict[str, dict[str, Any]] = {}
        # The batch's change-feed rows, likewise written once at its end.
        self._changes: list[ChangeRow] = []

    @singledispatchmethod
    def process_event(self, domain_event: DomainEventProtocol[Any], tracking: Tracking) -> None:
        """Events that do not change the register only advance the tracking."""
        self.view.write([], tracking)

    def _count_name(self, name: str, added: bool) -> None:
        """A name added to or taken from the register, in the gram counts."""
        if self.view.defer(self._gram_counts_written):
            self._names_counted.clear()  # left by a batch that failed
        self._names_counted.append((name, 1 if added else -1))

    def _change(self, event: Any, tracking: Tracking, number: str, change: str) -> None:
        """The change-feed row of an event, written with the batch."""
        if self.view.defer(self._changes_written):
            self._changes.clear()  # left by a batch that failed
        self._changes.append(
            (tracking.notification_id, number, change, event.timestamp.isoformat())
        )

    def _changes_written(self) -> list[tuple[str, list[Any]]]:
        rows, self._changes = self._changes, []
        return self.view.changes_added(rows) if rows else []

    def _gram_counts_written(self) -> list[tuple[str, list[Any]]]:
        """The names the batch added and took, as the view counts them."""
        names, self._names_counted = self._names_counted, []
        return self.view.gram_counts_added(names) if names else []

    @process_event.register
    def _issued(self, e: Certificate.Issued, tracking: Tracking) -> None:
        with self.view.batched():
            self._issue(e, tracking)

    def _issue(self, e: Certificate.Issued, tracking: Tracking) -> None:
        org = e.organization
        self._remember(str(e.originator_id), {"number": e.number,
                       "organization_name": org["name"], "uscc": org["uscc"]})  # fmt: skip
        self._count_name(org["name"], added=True)
        if self.view.defer(self._issued_rows_written):
            self._issued_rows.clear()  # left by a batch that failed
        self._issued_rows[e.number] = {
            "number": e.number,
            "certificate_id": str(e.originator_id),
            "organization_name": org["name"],
            "uscc": org["uscc"],
            "address": org["address"],
            "scope": e.scope,
            "sites": json.dumps(e.sites, ensure_ascii=False),
            "grade": e.grade,
            "status": "valid",
            "issued_on": e.issued_on.isoformat(),
            "expires_on": e.expires_on.isoformat(),
            "suspended_from": None,
            "suspended_until": None,
            "withdrawn_on": None,
            "last_modified": e.timestamp.isoformat(),
            "version": e.originator_version,
        }
        self.view.write([], tracking)
        self._change(e, tracking, e.number, "issued")

    def _issued_rows_written(self) -> list[tuple[str, list[Any]]]:
        """The rows of the certificates the batch issued, with what later events of the batch
        changed in them."""
        rows, self._issued_rows = list(self._issued_rows.values()), {}
        return self.view.certificates_added(rows) if rows else []

    def _remember(self, certificate_id: str, row: dict[str, Any]) -> None:
        if len(self._rows) >= ROW_MEMORY:
            self._rows.clear()
        self._rows[certificate_id] = row

    def _row(self, e: Any) -> dict[str, Any]:
        certificate_id = str(e.originator_id)
        if certificate_id not in self._rows:
            issued = [
                r for r in self._issued_rows.values() if r["certificate_id"] == certificate_id
            ]
            row = issued[0] if issued else self.view.rows(
                "SELECT number, organization_name, uscc FROM register_certificates"
                " WHERE certificate_id = ?", [certificate_id])[0]  # fmt: skip
            self._remember(certificate_id, {key: row[key] for key in IDENTITY})
        return self._rows[certificate_id]

    def _status(
        self,
        e: Any,
        tracking: Tracking,
        change: str,
        assignments: dict[str, Any],
        notice: bool = False,
    ) -> None:
        with self.view.batched():
            self._change_status(e, tracking, change, assignments, notice)

    def _change_status(
        self, e: Any, tracking: Tracking, change: str, assignments: dict[str, Any], notice: bool
    ) -> None:
        row = self._row(e)
        statements: list[tuple[str, list[Any]]] = []
        issued = self._issued_rows.get(row["number"])
        if issued is not None:
            issued.update(assignments)
            issued.update(last_modified=e.timestamp.isoformat(), version=e.originator_version)
        else:
            columns = ", ".join(f"{column} = ?" for column in assignments)
            statements.append(
                (
                    f"UPDATE register_certificates SET {columns}, last_modified = ?, version = ?"
                    " WHERE number = ?",
                    [
                        *assignments.values(),
                        e.timestamp.isoformat(),
                        e.originator_version,
                        row["number"],
                    ],
                )
            )
        self._change(e, tracking, row["number"], change)
        if notice:
            statements.append(
                (
                    "INSERT INTO register_notices (cursor, number, organization_name, uscc, reason,"
                    " withdrawn_on, published_at) VALUES (?, ?, ?, ?, ?, ?, ?)",
                    [
                        tracking.notification_id,
                        row["number"],
                        row["organization_name"],
                        row["uscc"],
                        e.reason,
                        e.effective_on.isoformat(),
                        e.timestamp.isoformat(),
                    ],
                )
            )
        self.view.write(statements, tracking)

    @process_event.register
    def _suspended(self, e: Certificate.Suspended, tracking: Tracking) -> None:
        # the certificate's standing after the event, by business dates: a suspension entered
        # late after a withdrawal or expiry leaves the row as it was (rules.md §12)
        self._status(e, tracking, "suspended", _standing(e))

    @process_event.register
    def _extended(self, e: Certificate.SuspensionExtended, tracking: Tracking) -> None:
        self._status(
            e, tracking, "suspension_extended", {"suspended_until": e.suspended_until.isoformat()}
        )

    @process_event.register
    def _reinstated(self, e: Certificate.Reinstated, tracking: Tracking) -> None:
        self._status(e, tracking, "reinstated", _standing(e))

    @process_event.register
    def _rescinded(self, e: Certificate.Rescinded, tracking: Tracking) -> None:
        self._status(
            e,
            tracking,
            "rescinded",
            {**_standing(e), "withdrawn_on": _iso(e.withdrawn_on_after)},
        )

    @process_event.register
    def _withdrawn(self, e: Certificate.Withdrawn, tracking: Tracking) -> None:
        # Unrecovered, the withdrawal is published as a public notice (7.3.2).
        self._status(
            e,
            tracking,
            "withdrawn",
            {
                "status": "withdrawn",
                "withdrawn_on": e.effective_on.isoformat(),
                "suspended_from": None,
                "suspended_until": None,
            },
            notice=not e.recovered,
        )

    @process_event.register
    def _grade_changed(self, e: Certificate.GradeChanged, tracking: Tracking) -> None:
        self._status(e, tracking, "grade_changed", {"grade": e.grade_to})

    @process_event.register
    def _recertified(self, e: Certificate.Recertified, tracking: Tracking) -> None:
        with self.view.batched():
            self._recertify(e, tracking)

    def _recertify(self, e: Certificate.Recertified, tracking: Tracking) -> None:
        org = e.organization
        row = self._row(e)
        if row["organization_name"] != org["name"]:  # renamed between cycles
            self._count_name(row["organization_name"], added=False)
            self._count_name(org["name"], added=True)
            self._remember(str(e.originator_id), {**row, "organization_name": org["name"]})
        self._status(
            e,
            tracking,
            "recertified",
            {
                "organization_name": org["name"],
                "address": org["address"],
                "scope": e.scope,
                "sites": json.dumps(e.sites, ensure_ascii=False),
                "grade": e.grade,
                "issued_on": e.reissued_on.isoformat(),
                "expires_on": e.expires_on.isoformat(),
            },
        )

    @process_event.register
    def _expired(self, e: Certificate.Expired, tracking: Tracking) -> None:
        self._status(
            e,
            tracking,
            "expired",
            {"status": "expired", "suspended_from": None, "suspended_until": None},
        )

    @process_event.register
    def _disposed(self, e: Disposal.Recorded, tracking: Tracking) -> None:
        with self.view.batched():
            self._dispose(e, tracking)

    def _dispose(self, e: Disposal.Recorded, tracking: Tracking) -> None:
        self.view.write(self._issued_rows_written(), tracking)  # the rows read and deleted next
        self._rows.clear()
        for row in self.view.certificates(e.certificate_numbers).values():
            self._count_name(row["organization_name"], added=False)
        statements: list[tuple[str, list[Any]]] = []
        for number in e.certificate_numbers:
            statements += [
                ("DELETE FROM register_certificates WHERE number = ?", [number]),
                ("DELETE FROM register_notices WHERE number = ?", [number]),
            ]
            self._change(e, tracking, number, "disposed")
        self.view.write(statements, tracking)
