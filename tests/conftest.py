"""Fixtures shared by the suite: the store under test (ECPSC_TEST_STORE), settings, services.

`ECPSC_TEST_STORE=sqlite` (default) runs everything on the embedded store in temporary files;
`ECPSC_TEST_STORE=postgres` runs the same tests on PostgreSQL (ECPSC_TEST_POSTGRES_URL, default
postgresql://postgres@127.0.0.1:5432/postgres), each test in a fresh database. An unreachable
PostgreSQL fails the run: it is never skipped.
"""

from __future__ import annotations

import os
import uuid
from collections.abc import Iterator
from datetime import date
from pathlib import Path

import psycopg
import pytest
from fastapi.testclient import TestClient

from api.main import create_app
from ecpsc.services import Services
from ecpsc.settings import Settings

STORE = os.environ.get("ECPSC_TEST_STORE", "sqlite")
POSTGRES_URL = os.environ.get(
    "ECPSC_TEST_POSTGRES_URL", "postgresql://postgres@127.0.0.1:5432/postgres"
)
TODAY = date(2026, 11, 28)
ADMIN_TOKEN = "test-admin-token"

if STORE not in {"sqlite", "postgres"}:
    raise pytest.UsageError(f"ECPSC_TEST_STORE must be sqlite or postgres, not {STORE!r}")


def pytest_report_header() -> str:
    """Say which store the run uses."""
    return f"ECPSC store under test: {STORE}"


def pytest_configure(config: pytest.Config) -> None:
    """Register the `store` marker."""
    config.addinivalue_line(
        "markers", "store(name): a test of one store's own database (sqlite or postgres)"
    )


def pytest_collection_modifyitems(config: pytest.Config, items: list[pytest.Item]) -> None:
    """Tests of the other store's database are deselected, not skipped: CI runs each store."""
    keep, drop = [], []
    for item in items:
        marker = item.get_closest_marker("store")
        (drop if marker is not None and marker.args[0] != STORE else keep).append(item)
    if drop:
        config.hook.pytest_deselected(items=drop)
        items[:] = keep


def _admin_url(url: str, dbname: str) -> str:
    base, _, _ = url.rpartition("/")
    return f"{base}/{dbname}"


@pytest.fixture
def database_url(tmp_path: Path) -> Iterator[str]:
    """A fresh, empty event store for one test."""
    if STORE == "sqlite":
        yield f"sqlite:///{tmp_path / 'ecpsc.sqlite'}"
        return
    name = f"ecpsc_test_{uuid.uuid4().hex[:12]}"
    with psycopg.connect(POSTGRES_URL, autocommit=True) as conn:
        conn.execute(f'CREATE DATABASE "{name}"')
    try:
        yield _admin_url(POSTGRES_URL, name)
    finally:
        with psycopg.connect(POSTGRES_URL, autocommit=True) as conn:
            conn.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


def signing_key_file(tmp_path: Path) -> Path:
    """A signing key of the test's own (made once per test directory)."""
    from ecpsc.signing import write_new_key

    path = tmp_path / "signing-key.pem"
    if not path.exists():
        write_new_key(path)
    return path


@pytest.fixture
def settings(database_url: str, tmp_path: Path) -> Settings:
    """Settings for a test: a fresh store, today pinned to 2026-11-28, a bootstrap admin."""
    return Settings(
        database_url=database_url,
        documents_dir=tmp_path / "documents",
        outbox_dir=tmp_path / "outbox",
        signing_key_file=signing_key_file(tmp_path),
        today=TODAY,
        admin_token=ADMIN_TOKEN,
        daily_jobs=False,
    )


@pytest.fixture
def services(settings: Settings) -> Iterator[Services]:
    """The back office with its read models running, as `ecpsc serve` has them."""
    svc = Services(settings, run_projections=True)
    try:
        yield svc
    finally:
        svc.close()


@pytest.fixture
def client(settings: Settings) -> Iterator[TestClient]:
    """An HTTP client of a fresh server."""
    with TestClient(create_app(settings)) as test_client:
        yield test_client


@pytest.fixture
def admin_headers() -> dict[str, str]:
    """The bootstrap admin's Authorization header."""
    return {"Authorization": f"Bearer {ADMIN_TOKEN}"}
