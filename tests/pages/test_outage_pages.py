"""While the event store cannot be reached, a browser gets a page saying so, in the reader's
language, with Retry-After; the JSON API keeps its `503 store_unavailable` (issue 9)."""

from __future__ import annotations

from typing import Any

import pytest
from eventsourcing.persistence import OperationalError
from fastapi.testclient import TestClient

from tests.pages.support import sign_in, staff_member

PAGE = {"Accept": "text/html,application/xhtml+xml,*/*;q=0.8"}


def _store_down(client: TestClient, monkeypatch: pytest.MonkeyPatch) -> None:
    """Every read of the event store fails, as while PostgreSQL is stopped."""

    def unreachable(*args: Any, **kwargs: Any) -> Any:
        raise OperationalError("connection refused")

    recorder = client.app.state.services.backoffice.recorder  # type: ignore[attr-defined]
    monkeypatch.setattr(recorder, "select_events", unreachable)


def test_a_staff_page_during_an_outage_is_a_page_with_retry_after(
    client: TestClient, monkeypatch: pytest.MonkeyPatch
) -> None:
    # given a signed-in staff member
    staff_member(client, "王敏", ["intake"], "wangmin")
    sign_in(client, "wangmin")
    # when the store cannot be reached and they open a page
    _store_down(client, monkeypatch)
    answer = client.get("/", headers=PAGE)
    # then 503 with Retry-After, as a page in Chinese that offers to retry the same address
    assert answer.status_code == 503, answer.text
    assert answer.headers["Retry-After"] == "5"
    assert answer.headers["content-type"].startswith("text/html")
    assert "<h1>暂时无法访问</h1>" in answer.text
    assert "没有记录任何内容" in answer.text
    assert '<a href="/">重试</a>' in answer.text
    # and in English for a reader who chose it
    client.cookies.set("ecpsc_lang", "en")
    english = client.get("/certificates", headers=PAGE)
    assert english.status_code == 503
    assert "<h1>Temporarily unavailable</h1>" in english.text
    assert '<a href="/certificates">Retry</a>' in english.text


def test_the_api_during_an_outage_answers_json_503(
    client: TestClient, admin_headers: dict[str, str], monkeypatch: pytest.MonkeyPatch
) -> None:
    # given the store cannot be reached
    _store_down(client, monkeypatch)
    # when a JSON client reads a record, even one that sends a browser's Accept
    answer = client.get(f"/api/v1/documents/{'a' * 64}/record", headers={**admin_headers, **PAGE})
    # then the contract's 503 store_unavailable, with Retry-After
    assert answer.status_code == 503, answer.text
    assert answer.headers["Retry-After"] == "5"
    assert answer.json()["code"] == "store_unavailable"
