"""Property-based: no request the OpenAPI document allows (or almost allows) makes the server
answer 5xx, and every answer's status is one the document declares for that operation.
Schemathesis generates requests for every operation of /openapi.json and sends them, with the
bootstrap admin's token (and once more without any), to one server started once for this
module."""

from __future__ import annotations

import uuid
from collections import Counter
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path

import psycopg
import pytest
import schemathesis
from fastapi import FastAPI
from fastapi.testclient import TestClient
from hypothesis import HealthCheck, Phase, settings
from schemathesis.python.asgi import ASGIClient
from schemathesis.specs.openapi.checks import status_code_conformance

from api.main import create_app
from ecpsc.settings import Settings
from tests.conftest import ADMIN_TOKEN, POSTGRES_URL, STORE, TODAY

AUTH = {"Authorization": f"Bearer {ADMIN_TOKEN}"}
BASE_URL = "http://testserver"

# The OpenAPI document does not depend on the settings: build it without starting anything.
schema = schemathesis.openapi.from_dict(
    create_app(Settings(admin_token=ADMIN_TOKEN, today=TODAY)).openapi()
)


@dataclass
class Server:
    """The app under test, a client that reaches it in process, and what it answered."""

    app: FastAPI
    session: ASGIClient
    statuses: dict[str, Counter[int]] = field(default_factory=dict)


def _database(tmp: Path) -> Iterator[str]:
    if STORE == "sqlite":
        yield f"sqlite:///{tmp / 'ecpsc.sqlite'}"
        return
    name = f"ecpsc_fuzz_{uuid.uuid4().hex[:12]}"
    with psycopg.connect(POSTGRES_URL, autocommit=True) as conn:
        conn.execute(f'CREATE DATABASE "{name}"')
    try:
        yield f"{POSTGRES_URL.rpartition('/')[0]}/{name}"
    finally:
        with psycopg.connect(POSTGRES_URL, autocommit=True) as conn:
            conn.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


@pytest.fixture(scope="module")
def server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Server]:
    """One fresh store and one running app (lifespan started by TestClient) for the module."""
    tmp = tmp_path_factory.mktemp("fuzz")
    for database_url in _database(tmp):
        app = create_app(Settings(
            database_url=database_url,
            documents_dir=tmp / "documents",
            today=TODAY,
            admin_token=ADMIN_TOKEN,
            daily_jobs=False,
        ))
        with TestClient(app) as lifespan:
            assert lifespan.get("/api/v1/users/me", headers=AUTH).status_code == 200
            services = app.state.services
            # Not entered as a context manager: it must not start a second lifespan.
            session = ASGIClient(app, base_url=BASE_URL)
            try:
                yield Server(app=app, session=session)
            finally:
                session.close()
            # Every request was served by the services this lifespan started.
            assert app.state.services is services


@schema.parametrize()
@settings(
    max_examples=20,
    deadline=None,
    derandomize=True,
    database=None,
    suppress_health_check=list(HealthCheck),
)
def test_no_server_error(case: schemathesis.Case, server: Server) -> None:
    """Given the running back office and the bootstrap admin's token,
    when any generated request is sent to any operation,
    then the answer is never a 5xx, and its status is one the operation documents."""
    response = case.call(base_url=BASE_URL, session=server.session, headers=AUTH)
    server.statuses.setdefault(case.operation.label, Counter())[response.status_code] += 1
    assert response.status_code < 500, (
        f"{case.operation.label} answered {response.status_code}: {response.text[:2000]}\n"
        f"{case.as_curl_command(headers=AUTH)}"
    )
    case.validate_response(response, checks=[status_code_conformance])


@schema.parametrize()
@settings(
    max_examples=1,
    phases=[Phase.generate],  # one generated request each; the test above probes the rest
    deadline=None,
    derandomize=True,
    database=None,
    suppress_health_check=list(HealthCheck),
)
def test_a_request_without_a_token_is_refused_as_documented(
    case: schemathesis.Case, server: Server
) -> None:
    """Given the running back office,
    when a generated request is sent to any operation with no Authorization header,
    then an operation that needs a token refuses it (401, or 400 for a body it cannot read),
    and every answer's status is one the operation documents (what `--checks all` calls
    ignored_auth and status_code_conformance)."""
    response = case.call(base_url=BASE_URL, session=server.session)
    same_method = case.method.upper() == case.operation.method.upper()  # else a 405 probe
    if same_method and case.operation.definition.raw.get("security"):
        # 401, unless the body could not even be read (400 unparsable, 413 too large)
        assert response.status_code in {400, 401, 413}, (case.operation.label, response.text)
    else:
        assert response.status_code < 500, (case.operation.label, response.text[:2000])
    case.validate_response(response, checks=[status_code_conformance])


def test_the_generated_requests_reached_the_handlers(server: Server) -> None:
    """Given the generated requests above have run,
    then every operation was exercised, none only ever got 401 (the token worked),
    and some answers were 2xx: the test above did not pass vacuously."""
    assert server.statuses, "run this whole module: the generated requests come first"
    labels = {operation.ok().label for operation in schema.get_all_operations()}
    assert set(server.statuses) == labels
    for label, counts in server.statuses.items():
        assert set(counts) != {401}, (label, counts)
    successes = sum(n for counts in server.statuses.values()
                    for status, n in counts.items() if 200 <= status < 300)
    assert successes > 0, server.statuses
    assert any(200 <= status < 300 for status in server.statuses["GET /api/v1/applications"])
