"""The eligibility watchlist over HTTP (api.md Watchlist; rules §1, ZPIC-WF-20 4.1.2)."""

from __future__ import annotations

from typing import Any

from fastapi.testclient import TestClient

from tests.api.conftest import API, UserMaker, bearer, events_recorded
from tests.factories import VALID_USCCS

USCC = VALID_USCCS[1]


def listing(**overrides: Any) -> dict[str, Any]:
    """A POST /watchlist body."""
    body = {
        "uscc": USCC,
        "list": "business_suspension_order",
        "source": "北京市市场监督管理局 京市监责〔2026〕12号",
        "listed_on": "2026-11-01",
    }
    body.update(overrides)
    return body


def status_of(client: TestClient, headers: dict[str, str], uscc: str = USCC) -> dict[str, Any]:
    """GET /watchlist/{uscc}, checked to be 200."""
    response = client.get(f"{API}/watchlist/{uscc}", headers=headers)
    assert response.status_code == 200, response.text
    return response.json()  # type: ignore[no-any-return]


def test_unlisted_organization(client: TestClient, intake_headers: dict[str, str]) -> None:
    """Given an organization never listed, when GET /watchlist/{uscc}, then listed false."""
    assert status_of(client, intake_headers) == {
        "uscc": USCC, "listed": False, "listings": [], "version": 0,
    }


def test_listing_then_status(client: TestClient, intake_headers: dict[str, str]) -> None:
    """Given an unlisted organization,
    when intake records a business suspension order,
    then 201 listed true with the listing, and GET shows the same."""
    response = client.post(f"{API}/watchlist", json=listing(), headers=intake_headers)
    assert response.status_code == 201, response.text
    body = response.json()
    assert body["uscc"] == USCC
    assert body["listed"] is True
    assert body["version"] == 1
    assert body["listings"] == [{
        "list": "business_suspension_order",
        "source": listing()["source"],
        "listed_on": "2026-11-01",
    }]
    assert status_of(client, intake_headers) == body


def test_listing_on_another_list_adds_it(
    client: TestClient, intake_headers: dict[str, str]
) -> None:
    """Given an organization on one list, when listed on the other, then 201 with both."""
    first = client.post(f"{API}/watchlist", json=listing(), headers=intake_headers)
    assert first.status_code == 201
    response = client.post(
        f"{API}/watchlist", json=listing(list="serious_illegal", listed_on="2026-11-10"),
        headers=intake_headers,
    )
    assert response.status_code == 201, response.text
    assert {item["list"] for item in response.json()["listings"]} == {
        "business_suspension_order", "serious_illegal",
    }
    assert response.json()["version"] == 2


def test_listing_again_on_the_same_list_is_409(
    client: TestClient, intake_headers: dict[str, str]
) -> None:
    """Given an organization on a list,
    when it is listed on the same list again,
    then 409 already_listed ({code, message, clause}) and the entry is unchanged."""
    client.post(f"{API}/watchlist", json=listing(), headers=intake_headers)
    before = status_of(client, intake_headers)
    recorded = events_recorded(client)

    response = client.post(
        f"{API}/watchlist", json=listing(listed_on="2026-11-20"), headers=intake_headers
    )
    assert response.status_code == 409, response.text
    body = response.json()
    assert set(body) == {"code", "message", "clause"}
    assert body["code"] == "already_listed"
    assert "4.1.2" in body["clause"]
    assert status_of(client, intake_headers) == before
    assert events_recorded(client) == recorded


def test_delisting(client: TestClient, intake_headers: dict[str, str]) -> None:
    """Given a listed organization,
    when intake records its delisting,
    then 200 listed false with no listings, and GET agrees."""
    client.post(f"{API}/watchlist", json=listing(), headers=intake_headers)
    response = client.post(
        f"{API}/watchlist/{USCC}/delisting",
        json={"source": "北京市市场监督管理局 解除决定", "delisted_on": "2026-11-28"},
        headers=intake_headers,
    )
    assert response.status_code == 200, response.text
    body = response.json()
    assert body["listed"] is False
    assert body["listings"] == []
    assert body["version"] == 2
    assert status_of(client, intake_headers) == body


def test_delisting_when_not_listed_is_409(
    client: TestClient, intake_headers: dict[str, str]
) -> None:
    """Given an organization never listed, and one already delisted,
    when a delisting is recorded,
    then 409 not_listed and nothing is recorded."""
    delisting = {"source": "解除决定", "delisted_on": "2026-11-28"}
    recorded = events_recorded(client)
    response = client.post(f"{API}/watchlist/{USCC}/delisting", json=delisting,
                           headers=intake_headers)
    assert response.status_code == 409, response.text
    assert response.json()["code"] == "not_listed"
    assert set(response.json()) == {"code", "message", "clause"}
    assert events_recorded(client) == recorded

    client.post(f"{API}/watchlist", json=listing(), headers=intake_headers)
    client.post(f"{API}/watchlist/{USCC}/delisting", json=delisting, headers=intake_headers)
    before = status_of(client, intake_headers)
    recorded = events_recorded(client)
    response = client.post(f"{API}/watchlist/{USCC}/delisting", json=delisting,
                           headers=intake_headers)
    assert response.status_code == 409, response.text
    assert response.json()["code"] == "not_listed"
    assert status_of(client, intake_headers) == before
    assert events_recorded(client) == recorded


def test_delisting_before_the_listing_date_is_refused(
    client: TestClient, intake_headers: dict[str, str]
) -> None:
    """Given an organization listed on 2026-11-01,
    when a delisting dated 2026-10-31 is recorded,
    then 422 naming delisted_on, and the organization stays listed."""
    client.post(f"{API}/watchlist", json=listing(), headers=intake_headers)
    response = client.post(
        f"{API}/watchlist/{USCC}/delisting",
        json={"source": "解除决定", "delisted_on": "2026-10-31"},
        headers=intake_headers,
    )
    assert response.status_code == 422, response.text
    assert response.json()["detail"][0]["loc"] == ["body", "delisted_on"]
    assert status_of(client, intake_headers)["listed"] is True


def test_bad_uscc_is_422_naming_the_field(
    client: TestClient, intake_headers: dict[str, str]
) -> None:
    """Given a uscc whose check digit is wrong (…Y43 is right, …Y44 is not),
    when it is listed,
    then 422 with loc ["body", "uscc"], and nothing is recorded."""
    recorded = events_recorded(client)
    response = client.post(
        f"{API}/watchlist", json=listing(uscc="91350100M000100Y44"), headers=intake_headers
    )
    assert response.status_code == 422, response.text
    errors = response.json()["detail"]
    assert [e["loc"] for e in errors] == [["body", "uscc"]]
    assert "check digit" in errors[0]["msg"]
    assert events_recorded(client) == recorded

    for path in (f"{API}/watchlist/91350100M000100Y44",
                 f"{API}/watchlist/91350100m000100y43"):
        response = client.get(path, headers=intake_headers)
        assert response.status_code == 422, response.text
        assert response.json()["detail"][0]["loc"] == ["path", "uscc"]


def test_listed_on_after_today_is_422(client: TestClient, intake_headers: dict[str, str]) -> None:
    """Given today is 2026-11-28,
    when a listing dated 2026-11-29 is recorded,
    then 422 naming listed_on, and the organization is not listed."""
    response = client.post(
        f"{API}/watchlist", json=listing(listed_on="2026-11-29"), headers=intake_headers
    )
    assert response.status_code == 422, response.text
    assert response.json()["detail"][0]["loc"] == ["body", "listed_on"]
    assert status_of(client, intake_headers)["listed"] is False

    on_today = client.post(
        f"{API}/watchlist", json=listing(listed_on="2026-11-28"), headers=intake_headers
    )
    assert on_today.status_code == 201, on_today.text


def test_unknown_list_is_422(client: TestClient, intake_headers: dict[str, str]) -> None:
    """Given a list name outside the two lists, when listed, then 422 naming `list`."""
    response = client.post(
        f"{API}/watchlist", json=listing(list="blacklist"), headers=intake_headers
    )
    assert response.status_code == 422
    assert response.json()["detail"][0]["loc"] == ["body", "list"]
    assert status_of(client, intake_headers)["listed"] is False


def test_watchlist_needs_the_intake_role(
    client: TestClient, make_user: UserMaker, intake_headers: dict[str, str]
) -> None:
    """Given an auditor, when they list an organization or read its status, then 403."""
    auditor = bearer(make_user("auditor")["token"])
    assert client.post(f"{API}/watchlist", json=listing(), headers=auditor).status_code == 403
    assert client.get(f"{API}/watchlist/{USCC}", headers=auditor).status_code == 403
    assert status_of(client, intake_headers)["listed"] is False
