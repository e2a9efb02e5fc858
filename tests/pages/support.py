"""Signing in to the staff pages in tests: users with passwords, CSRF tokens read off forms."""

from __future__ import annotations

import re
from typing import Any
from uuid import UUID

from fastapi.testclient import TestClient

from tests.conftest import ADMIN_TOKEN

ADMIN = {"Authorization": f"Bearer {ADMIN_TOKEN}"}
PASSWORD = "a long test password"
_CSRF = re.compile(r'name="csrf_token" value="([^"]+)"')


def csrf_of(html: str) -> str:
    """The CSRF token a page's forms carry."""
    match = _CSRF.search(html)
    assert match, "the page has no form with a CSRF token"
    return match.group(1)


def staff_member(
    client: TestClient, name: str, roles: list[str], sign_in_name: str, **extra: Any
) -> str:
    """Register a staff member through the API and give them a password; their id."""
    answer = client.post("/api/v1/users", json={"name": name, "roles": roles, **extra},
                         headers=ADMIN)  # fmt: skip
    assert answer.status_code == 201, answer.text
    user_id = str(answer.json()["id"])
    answer = client.post(f"/api/v1/users/{user_id}/password",
                         json={"sign_in_name": sign_in_name, "password": PASSWORD},
                         headers=ADMIN)  # fmt: skip
    assert answer.status_code == 200, answer.text
    return user_id


def sign_in(client: TestClient, sign_in_name: str, password: str = PASSWORD) -> str:
    """Sign in through the form (cookies kept on the client); the session's CSRF token."""
    client.cookies.clear()
    form = client.get("/sign-in")
    answer = client.post(
        "/sign-in",
        data={"sign_in_name": sign_in_name, "password": password,
              "csrf_token": csrf_of(form.text), "next": "/"},
        follow_redirects=False,
    )  # fmt: skip
    assert answer.status_code == 303, answer.text
    home = client.get("/")
    assert home.status_code == 200, home.text
    return csrf_of(home.text)


def user_uuid(user_id: str) -> UUID:
    """A user id as the back office takes it."""
    return UUID(user_id)
