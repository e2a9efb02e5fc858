"""Sign-in: a limit per address beside the per-account lockout, the same answer for unknown and
locked names, the unlock time in China time, no password echoed, and the bootstrap admin
signing in to the staff pages (issue 20, item 10)."""

from __future__ import annotations

import re
from collections.abc import Iterator
from datetime import UTC, datetime, timedelta, timezone

import pytest
from fastapi.testclient import TestClient

from api.main import create_app
from ecpsc.settings import Settings
from tests.pages.support import ADMIN, PASSWORD, csrf_of, staff_member

CHINA = timezone(timedelta(hours=8))
WRONG = "wrong-password-1234"


def attempt(client: TestClient, name: str, password: str = WRONG) -> object:
    """One sign-in through the form."""
    form = client.get("/sign-in")
    return client.post(
        "/sign-in", data={"sign_in_name": name, "password": password,
                          "csrf_token": csrf_of(form.text), "next": "/"},
        follow_redirects=False,
    )  # fmt: skip


def message(response: object) -> str:
    """The refusal the sign-in form shows (without the name given back in the field)."""
    found = re.search(r'class="refusal"[^>]*><strong>(.*?)<', response.text, re.S)  # type: ignore[attr-defined]
    assert found, response.text  # type: ignore[attr-defined]
    return found.group(1).strip()


def test_an_unknown_name_and_a_locked_one_get_the_same_answers(client: TestClient) -> None:
    """Given a planner, and a name nobody has,
    when each is given a wrong password five times, then once more,
    then both get 401, 401, 401, 401, 429, 429 with the same messages; the lockout names its
    end in China time; no answer repeats the password."""
    staff_member(client, "李强", ["planner"], "liqiang")
    before = datetime.now(UTC)
    answers = {name: [attempt(client, name) for _ in range(6)] for name in ("liqiang", "nobody")}
    for name, given in answers.items():
        assert [a.status_code for a in given] == [401, 401, 401, 401, 429, 429], name  # type: ignore[attr-defined]
        assert all(WRONG not in a.text for a in given)  # type: ignore[attr-defined]
    assert [message(a) for a in answers["liqiang"]] == [message(a) for a in answers["nobody"]]
    locked = message(answers["nobody"][4])
    ends = {(before + timedelta(minutes=m)).astimezone(CHINA).strftime("%Y-%m-%d %H:%M")
            for m in (15, 16)}  # fmt: skip
    assert "北京时间" in locked and any(end in locked for end in ends), locked


@pytest.fixture
def strict(settings: Settings) -> Iterator[TestClient]:
    """A server allowing 3 sign-in attempts a minute per address."""
    limited = settings.model_copy(update={"sign_in_rate_limit": "3/minute"})
    with TestClient(create_app(limited)) as c:
        yield c


def test_an_address_trying_many_names_is_slowed_down(strict: TestClient) -> None:
    """Given a limit of 3 attempts a minute per address,
    when one address tries four different names,
    then the fourth is 429 with Retry-After, before any name or password is checked —
    even the right password of a real account."""
    staff_member(strict, "李强", ["planner"], "liqiang")
    answers = [attempt(strict, name) for name in ("a1", "a2", "a3")]
    assert [a.status_code for a in answers] == [401, 401, 401]  # type: ignore[attr-defined]
    slowed = attempt(strict, "liqiang", PASSWORD)
    assert slowed.status_code == 429  # type: ignore[attr-defined]
    assert 0 < int(slowed.headers["retry-after"]) <= 60  # type: ignore[attr-defined]
    assert "ecpsc_session" not in strict.cookies


def test_the_bootstrap_admin_signs_in_to_the_staff_pages(client: TestClient) -> None:
    """Given the bootstrap admin's token,
    when it gives itself a sign-in name and password, and signs in through the form,
    then the password is set (200, not 'not a valid UUID') and the home page opens."""
    answer = client.post(
        "/api/v1/users/bootstrap-admin/password",
        json={"sign_in_name": "root", "password": PASSWORD}, headers=ADMIN,
    )  # fmt: skip
    assert answer.status_code == 200, answer.text
    assert answer.json()["roles"] == ["admin"]
    signed = attempt(client, "root", PASSWORD)
    assert signed.status_code == 303  # type: ignore[attr-defined]
    home = client.get("/")
    assert home.status_code == 200 and "系统管理员" in home.text
    again = client.post(
        "/api/v1/users/bootstrap-admin/password",
        json={"sign_in_name": "root", "password": "another long password"}, headers=ADMIN,
    )  # fmt: skip
    assert again.status_code == 200, again.text
    assert client.post("/api/v1/users/not-an-id/password",
                       json={"sign_in_name": "x", "password": PASSWORD},
                       headers=ADMIN).status_code == 422  # fmt: skip
