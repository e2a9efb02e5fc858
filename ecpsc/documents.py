"""The content-addressed document store (ZPIC-WF-20 4.1.1, 10.3): bytes under their SHA-256.

A directory for the embedded store, a table beside the events on PostgreSQL. Every read
recomputes the hash, so silent corruption is reported, never served.
"""

from __future__ import annotations

import hashlib
import os
import tempfile
from pathlib import Path
from typing import Protocol

import psycopg


class DocumentMissing(Exception):
    """No content is stored under that hash."""


class DocumentCorrupted(Exception):
    """The stored bytes no longer match their hash."""


def sha256_of(content: bytes) -> str:
    """The hex SHA-256 of some bytes."""
    return hashlib.sha256(content).hexdigest()


def _checked(sha256: str, content: bytes) -> bytes:
    if sha256_of(content) != sha256:
        raise DocumentCorrupted(sha256)
    return content


class DocumentStore(Protocol):
    """Where document content lives."""

    def put(self, content: bytes) -> str:
        """Store the bytes (once) and return their SHA-256."""
        ...

    def get(self, sha256: str) -> bytes:
        """The bytes stored under the hash, verified against it."""
        ...

    def dispose(self, sha256: str) -> bool:
        """Delete the bytes for good (10.2); whether there were any."""
        ...


class DirectoryDocumentStore:
    """Documents as files named by their hash, written atomically."""

    def __init__(self, root: Path) -> None:
        self.root = root
        self.root.mkdir(parents=True, exist_ok=True)

    def _path(self, sha256: str) -> Path:
        return self.root / sha256[:2] / sha256

    def put(self, content: bytes) -> str:
        """Store the bytes (once) and return their SHA-256."""
        digest = sha256_of(content)
        path = self._path(digest)
        if path.exists():
            return digest
        path.parent.mkdir(parents=True, exist_ok=True)
        fd, tmp = tempfile.mkstemp(dir=path.parent, prefix=".incoming-")
        try:
            with os.fdopen(fd, "wb") as f:
                f.write(content)
                f.flush()
                os.fsync(f.fileno())
            os.replace(tmp, path)
        except BaseException:
            Path(tmp).unlink(missing_ok=True)
            raise
        return digest

    def get(self, sha256: str) -> bytes:
        """The bytes stored under the hash, verified against it."""
        try:
            return _checked(sha256, self._path(sha256).read_bytes())
        except FileNotFoundError:
            raise DocumentMissing(sha256) from None

    def dispose(self, sha256: str) -> bool:
        """Delete the bytes for good (10.2); whether there were any."""
        path = self._path(sha256)
        existed = path.exists()
        path.unlink(missing_ok=True)
        return existed


class PostgresDocumentStore:
    """Documents as rows of `ecpsc_documents` beside the event store."""

    def __init__(self, conninfo: dict[str, str]) -> None:
        self.conninfo = conninfo
        with self._connect() as conn:
            conn.execute(
                "CREATE TABLE IF NOT EXISTS ecpsc_documents ("
                " sha256 TEXT PRIMARY KEY, content BYTEA NOT NULL,"
                " stored_at TIMESTAMPTZ NOT NULL DEFAULT now())"
            )

    def _connect(self) -> psycopg.Connection[tuple[object, ...]]:
        return psycopg.connect(**self.conninfo)  # type: ignore[arg-type]

    def put(self, content: bytes) -> str:
        """Store the bytes (once) and return their SHA-256."""
        digest = sha256_of(content)
        with self._connect() as conn:
            conn.execute(
                "INSERT INTO ecpsc_documents (sha256, content) VALUES (%s, %s)"
                " ON CONFLICT (sha256) DO NOTHING",
                (digest, content),
            )
        return digest

    def get(self, sha256: str) -> bytes:
        """The bytes stored under the hash, verified against it."""
        with self._connect() as conn:
            row = conn.execute(
                "SELECT content FROM ecpsc_documents WHERE sha256 = %s", (sha256,)
            ).fetchone()
        if row is None:
            raise DocumentMissing(sha256)
        content = row[0]
        if not isinstance(content, bytes | memoryview):
            raise DocumentCorrupted(sha256)
        return _checked(sha256, bytes(content))

    def dispose(self, sha256: str) -> bool:
        """Delete the bytes for good (10.2); whether there were any."""
        with self._connect() as conn:
            deleted = conn.execute("DELETE FROM ecpsc_documents WHERE sha256 = %s", (sha256,))
            return deleted.rowcount > 0
