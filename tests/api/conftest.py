"""Helpers shared by the API tests: staff users of a given role, uploaded documents."""

from __future__ import annotations

import hashlib
from collections.abc import Callable

import pytest
from fastapi.testclient import TestClient

API = "/api/v1"

UserMaker = Callable[..., dict[str, str]]
Uploader = Callable[..., dict[str, str]]


def bearer(token: str) -> dict[str, str]:
    """The Authorization header of a token."""
    return {"Authorization": f"Bearer {token}"}


@pytest.fixture
def make_user(client: TestClient, admin_headers: dict[str, str]) -> UserMaker:
    """Register a staff user with roles; returns the 201 body (with its token)."""

    def make(*roles: str, name: str = "测试用户") -> dict[str, str]:
        response = client.post(
            f"{API}/users", json={"name": name, "roles": list(roles)}, headers=admin_headers
        )
        assert response.status_code == 201, response.text
        return response.json()  # type: ignore[no-any-return]

    return make


@pytest.fixture
def intake_headers(make_user: UserMaker) -> dict[str, str]:
    """The Authorization header of a user holding only the intake role."""
    return bearer(make_user("intake", name="受理员")["token"])


@pytest.fixture
def upload(client: TestClient, admin_headers: dict[str, str]) -> Uploader:
    """Upload bytes as a document; returns the 201 body after checking its hash."""

    def put(
        content: bytes, filename: str = "document.pdf", media_type: str = "application/pdf"
    ) -> dict[str, str]:
        response = client.post(
            f"{API}/documents",
            files={"file": (filename, content, media_type)},
            headers=admin_headers,
        )
        assert response.status_code == 201, response.text
        body = response.json()
        assert body["sha256"] == hashlib.sha256(content).hexdigest()
        return body  # type: ignore[no-any-return]

    return put


def events_recorded(client: TestClient) -> int:
    """How many events the server's store holds (the last notification id)."""
    recorder = client.app.state.services.backoffice.recorder  # type: ignore[attr-defined]
    return int(recorder.max_notification_id() or 0)
