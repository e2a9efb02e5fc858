"""The public endpoints (register search, /verify) have a rate limit per address: 429 with
Retry-After, configurable, generous by default (issue 20, item 11)."""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from fastapi.testclient import TestClient

from api.main import create_app
from ecpsc.settings import Settings

SEARCH = "/api/v1/register/certificates"
VERIFY = "/verify/ECPSC-2026-000001"


def server(settings: Settings, **limits: str) -> TestClient:
    """A server with the given limit settings."""
    return TestClient(create_app(settings.model_copy(update=limits)))


@pytest.fixture
def strict(settings: Settings) -> Iterator[TestClient]:
    """A server allowing 3 public requests a minute per address."""
    with server(settings, public_rate_limit="3/minute") as client:
        yield client


def test_past_the_limit_the_public_endpoints_answer_429_with_retry_after(
    strict: TestClient,
) -> None:
    """Given a limit of 3 public requests a minute,
    when one address searches the register twice and opens /verify twice,
    then the fourth request is 429 with Retry-After; staff endpoints are not limited."""
    answers = [strict.get(SEARCH), strict.get(SEARCH), strict.get(VERIFY), strict.get(VERIFY)]
    assert [a.status_code for a in answers[:3]] == [200, 200, 404]
    assert answers[3].status_code == 429
    assert 0 < int(answers[3].headers["retry-after"]) <= 60
    assert strict.get(SEARCH).status_code == 429
    staff = strict.get("/api/v1/users/me", headers={"Authorization": "Bearer test-admin-token"})
    assert staff.status_code == 200


def test_the_limit_is_generous_by_default_and_can_be_turned_off(settings: Settings) -> None:
    """Given the default settings, then the limit `off`, then an exempt address,
    when one address makes 100 register searches,
    then none is refused."""
    for limits in ({}, {"public_rate_limit": "off"},
                   {"public_rate_limit": "1/minute", "rate_limit_exempt": "testclient"}):
        with server(settings, **limits) as client:
            assert {client.get(SEARCH).status_code for _ in range(100)} == {200}, limits
