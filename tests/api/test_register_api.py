"""The public certificate register over HTTP, without any token (api.md Public register;
rules.md §5, §8; ZPIC-WF-20 8, 7.4)."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from contextlib import ExitStack
from datetime import date
from email.utils import parsedate_to_datetime
from typing import Any

import pytest
from fastapi.testclient import TestClient

from api.main import create_app
from ecpsc.settings import Settings
from tests.api.conftest import API
from tests.api.test_decisions_api import CONTACT, CertificationOffice, uscc

REGISTER = f"{API}/register/certificates"
CHANGES = f"{API}/register/changes"
UNKNOWN_NUMBER = "ECPSC-SC-2026-99999"


@pytest.fixture
def office(client: TestClient, admin_headers: dict[str, str]) -> CertificationOffice:
    """The certification body's staff on a fresh server."""
    return CertificationOffice(client, admin_headers)


@pytest.fixture
def public(client: TestClient) -> TestClient:
    """The same server as the public sees it: the client sends no Authorization header."""
    assert "authorization" not in {k.lower() for k in client.headers}
    return client


def search(public: TestClient, **params: Any) -> dict[str, Any]:
    """GET /register/certificates, checked to be 200."""
    response = public.get(REGISTER, params=params)
    assert response.status_code == 200, response.text
    return response.json()  # type: ignore[no-any-return]


def numbers(page: dict[str, Any]) -> list[str]:
    return [item["number"] for item in page["items"]]


def changes(public: TestClient, after: int | None = None, limit: int | None = None) -> Any:
    """GET /register/changes, checked to be 200."""
    params = {k: v for k, v in {"after": after, "limit": limit}.items() if v is not None}
    response = public.get(CHANGES, params=params)
    assert response.status_code == 200, response.text
    return response.json()


def test_a_certificate_on_the_register_shows_no_personal_data(
    office: CertificationOffice, public: TestClient
) -> None:
    """Given a certificate granted to an organization whose application named a contact person,
    phone and e-mail,
    when anyone looks it up on the register without a token,
    then 200 with the organization's name, uscc and address, the validity and status, and the
    contact's name, phone and e-mail appear nowhere in the answer."""
    number = office.certificate(uscc(1), "福州甲商贸有限公司")

    response = public.get(f"{REGISTER}/{number}")

    assert response.status_code == 200, response.text
    entry = response.json()
    assert entry["number"] == number == "ECPSC-SC-2026-00001"
    assert entry["organization"] == {
        "name": "福州甲商贸有限公司",
        "uscc": uscc(1),
        "address": "福建省福州市鼓楼区五四路1号",
    }
    assert entry["status"] == "valid"
    assert entry["grade"] == "five_star"
    assert (entry["issued_on"], entry["expires_on"]) == ("2026-11-28", "2029-11-27")
    assert entry["verification_url"].endswith(f"/verify/{number}")
    for personal in CONTACT.values():
        assert personal not in response.text
    assert "contact" not in response.text
    for word in ("phone", "email", "mail"):
        assert word not in response.text.lower()
    # nor in the search results
    listing = public.get(REGISTER, params={"q": "甲商贸"})
    assert listing.status_code == 200
    assert numbers(listing.json()) == [number]
    for personal in CONTACT.values():
        assert personal not in listing.text


def test_the_register_is_searched_by_name_uscc_status_and_grade(
    office: CertificationOffice, public: TestClient
) -> None:
    """Given three certificates: two five_star, one four_star,
    when the register is searched by part of a name, by uscc, by status and by grade,
    then each search finds exactly the matching certificates, with their total."""
    first = office.certificate(uscc(1), "福州甲家电商贸有限公司")
    second = office.certificate(uscc(2), "厦门乙家电连锁有限公司", repair_nonconformity=True)
    third = office.certificate(uscc(3), "泉州丙百货有限公司")

    everything = search(public)
    assert everything["total"] == 3
    assert sorted(numbers(everything)) == [first, second, third]

    by_name = search(public, q="家电")
    assert (sorted(numbers(by_name)), by_name["total"]) == ([first, second], 2)
    assert numbers(search(public, q="百货")) == [third]
    assert search(public, q="不存在的名称")["total"] == 0

    by_uscc = search(public, uscc=uscc(2))
    assert (numbers(by_uscc), by_uscc["total"]) == ([second], 1)
    assert by_uscc["items"][0]["organization"]["uscc"] == uscc(2)
    assert search(public, uscc=uscc(4))["total"] == 0

    assert search(public, status="valid")["total"] == 3
    for status in ("suspended", "withdrawn", "expired"):
        assert search(public, status=status)["total"] == 0

    four_star = search(public, grade="four_star")
    assert (numbers(four_star), four_star["total"]) == ([second], 1)
    assert four_star["items"][0]["grade"] == "four_star"
    assert sorted(numbers(search(public, grade="five_star"))) == [first, third]
    assert search(public, grade="compliant")["total"] == 0

    both = search(public, q="家电", grade="five_star")
    assert (numbers(both), both["total"]) == ([first], 1)


def test_malformed_searches_are_422(public: TestClient) -> None:
    """Given the register, when it is searched with an invalid uscc, an unknown status or grade,
    or a page below 1, then 422."""
    for params in (
        {"uscc": "91350100M000100Y44"},
        {"status": "lapsed"},
        {"grade": "six_star"},
        {"page": 0},
        {"page_size": 0},
        {"page_size": 101},
    ):
        assert public.get(REGISTER, params=params).status_code == 422, params


def test_the_register_is_paged_with_its_total(
    office: CertificationOffice, public: TestClient
) -> None:
    """Given five certificates,
    when the register is read two at a time,
    then the pages hold 2, 2 and 1 different certificates, together all five, each page with
    total 5, and a page past the end is empty."""
    issued = [office.certificate(uscc(i), f"福州第{i}商贸有限公司") for i in range(1, 6)]

    pages = [search(public, page=p, page_size=2) for p in (1, 2, 3, 4)]

    assert [len(p["items"]) for p in pages] == [2, 2, 1, 0]
    assert all(p["total"] == 5 for p in pages)
    assert [(p["page"], p["page_size"]) for p in pages] == [(1, 2), (2, 2), (3, 2), (4, 2)]
    seen = [n for p in pages for n in numbers(p)]
    assert sorted(seen) == sorted(issued)
    assert len(set(seen)) == 5


@pytest.mark.parametrize(
    ("q", "expected"),
    [
        ("%", ["百分%之百商贸有限公司"]),
        ("_", ["下划_线商贸有限公司"]),
        ("分%之", ["百分%之百商贸有限公司"]),
        ("划_线", ["下划_线商贸有限公司"]),
        ("\\", ["反斜\\杠商贸有限公司"]),
        ("%%", []),
        ("__", []),
    ],
)
def test_wildcards_in_a_name_search_are_taken_literally(
    office: CertificationOffice, public: TestClient, q: str, expected: list[str]
) -> None:
    """Given certificates of organizations named with %, _ and \\ and one without,
    when the register is searched for a text containing % or _,
    then they match only themselves, never any text (no LIKE wildcards)."""
    names = [
        "百分%之百商贸有限公司",
        "下划_线商贸有限公司",
        "反斜\\杠商贸有限公司",
        "普通商贸有限公司",
    ]
    for i, name in enumerate(names, start=1):
        office.certificate(uscc(i), name)

    found = search(public, q=q)

    assert sorted(item["organization"]["name"] for item in found["items"]) == sorted(expected)
    assert found["total"] == len(expected)


def test_an_unknown_number_is_404(public: TestClient) -> None:
    """Given no such certificate, when it is looked up, then 404 {code, message, clause}."""
    response = public.get(f"{REGISTER}/{UNKNOWN_NUMBER}")
    assert response.status_code == 404, response.text
    assert response.json()["code"] == "not_found"
    assert UNKNOWN_NUMBER in response.json()["message"]


def test_conditional_lookups(office: CertificationOffice, public: TestClient) -> None:
    """Given a certificate on the register,
    when it is looked up, then the answer carries an ETag and a Last-Modified date;
    when it is looked up again with If-None-Match of that ETag, or If-Modified-Since equal to
    Last-Modified (or later), then 304 with no body and the same validators;
    with another ETag, or a date before Last-Modified, then 200 with the entry."""
    number = office.certificate(uscc(1), "福州甲商贸有限公司")
    url = f"{REGISTER}/{number}"

    first = public.get(url)
    assert first.status_code == 200
    etag, last_modified = first.headers["ETag"], first.headers["Last-Modified"]
    assert etag.startswith('"') and etag.endswith('"')
    modified = parsedate_to_datetime(last_modified)
    assert last_modified.endswith(" GMT")

    for headers in (
        {"If-None-Match": etag},
        {"If-None-Match": f'"other", {etag}'},
        {"If-None-Match": f"W/{etag}"},
        {"If-None-Match": "*"},
        {"If-Modified-Since": last_modified},
        {"If-Modified-Since": "Fri, 31 Dec 2100 23:59:59 GMT"},
    ):
        again = public.get(url, headers=headers)
        assert again.status_code == 304, headers
        assert again.content == b""
        assert again.headers["ETag"] == etag
        assert again.headers["Last-Modified"] == last_modified

    for headers in (
        {"If-None-Match": '"0-valid"'},
        {"If-None-Match": '"stale"'},
        {"If-Modified-Since": "Mon, 01 Jan 2024 00:00:00 GMT"},
        # If-None-Match decides when both are given (RFC 9110 13.2.2)
        {"If-None-Match": '"stale"', "If-Modified-Since": last_modified},
        {"If-Modified-Since": "not a date"},
    ):
        again = public.get(url, headers=headers)
        assert again.status_code == 200, headers
        assert again.json() == first.json()
        assert again.headers["ETag"] == etag
    assert parsedate_to_datetime(public.get(url).headers["Last-Modified"]) == modified


def test_every_grant_appears_once_in_the_change_feed_in_order(
    office: CertificationOffice, public: TestClient
) -> None:
    """Given three grants,
    when a mirror reads the change feed from the start,
    then each grant appears exactly once as "issued", in the order granted, with increasing
    cursors; a mirror resuming from `next` sees nothing new until another grant, and then
    exactly that grant: no misses, no repeats."""
    empty = changes(public)
    assert empty == {"items": [], "next": 0}

    granted = [office.certificate(uscc(i), f"福州第{i}商贸有限公司") for i in range(1, 4)]

    feed = changes(public)
    assert [(c["number"], c["change"]) for c in feed["items"]] == [(n, "issued") for n in granted]
    cursors = [c["cursor"] for c in feed["items"]]
    assert cursors == sorted(cursors) and len(set(cursors)) == 3
    assert feed["next"] == cursors[-1]
    assert all(c["at"] for c in feed["items"])

    # resuming from `next`: nothing new, however often asked
    resumed = changes(public, after=feed["next"])
    assert resumed == {"items": [], "next": feed["next"]}
    assert changes(public, after=resumed["next"]) == resumed

    # another grant: exactly that one
    fourth = office.certificate(uscc(4), "福州第4商贸有限公司")
    resumed = changes(public, after=feed["next"])
    assert [(c["number"], c["change"]) for c in resumed["items"]] == [(fourth, "issued")]
    assert resumed["next"] == resumed["items"][0]["cursor"] > feed["next"]
    assert changes(public, after=resumed["next"])["items"] == []

    # read in pages of one, the mirror sees the same four changes once each
    mirrored, cursor = [], 0
    while page := changes(public, after=cursor, limit=1)["items"]:
        mirrored += page
        cursor = page[-1]["cursor"]
    assert [c["number"] for c in mirrored] == [*granted, fourth]


ServerOn = Callable[[date], TestClient]


@pytest.fixture
def server_on(settings: Settings) -> Iterator[ServerOn]:
    """Start another server on the same store whose today is pinned to a given day
    (ECPSC_TODAY); it only reads, the test's first server keeps the projections."""
    with ExitStack() as stack:

        def start(today: date) -> TestClient:
            later = settings.model_copy(update={"today": today})
            return stack.enter_context(TestClient(create_app(later, run_projections=False)))

        yield start


def test_a_certificate_past_its_last_day_reads_expired(
    office: CertificationOffice, public: TestClient, server_on: ServerOn
) -> None:
    """Given a certificate issued 2026-11-28, valid through 2029-11-27,
    when the register is read by a server whose today is 2029-11-27, it is valid;
    read by a server whose today is 2029-11-28, it is expired: in the lookup, the searches by
    status and the verification page, and its ETag changes with its status."""
    number = office.certificate(uscc(1), "福州甲商贸有限公司")
    before = public.get(f"{REGISTER}/{number}")
    assert before.json()["status"] == "valid"
    last_day, day_after = server_on(date(2029, 11, 27)), server_on(date(2029, 11, 28))

    on_last_day = last_day.get(f"{REGISTER}/{number}")
    after = day_after.get(f"{REGISTER}/{number}")

    assert on_last_day.status_code == 200 and on_last_day.json()["status"] == "valid"
    assert on_last_day.headers["ETag"] == before.headers["ETag"]
    assert last_day.get(REGISTER, params={"status": "valid"}).json()["total"] == 1
    assert after.status_code == 200, after.text
    assert after.json()["status"] == "expired"
    assert after.json()["expires_on"] == "2029-11-27"
    assert after.headers["ETag"] != before.headers["ETag"]
    stale = day_after.get(f"{REGISTER}/{number}", headers={"If-None-Match": before.headers["ETag"]})
    assert stale.status_code == 200 and stale.json()["status"] == "expired"
    expired = day_after.get(REGISTER, params={"status": "expired"}).json()
    assert (numbers(expired), expired["total"]) == ([number], 1)
    assert day_after.get(REGISTER, params={"status": "valid"}).json()["total"] == 0
    page = day_after.get(f"/verify/{number}")
    assert page.status_code == 200 and "过期" in page.text
    # the first server, still on 2026-11-28, shows it valid
    assert public.get(f"{REGISTER}/{number}").json()["status"] == "valid"


def test_the_not_found_verification_page_says_when_it_was_checked(public: TestClient) -> None:
    """Given no such certificate, when its verification page is opened, then 404 and the page,
    like a found one, says on which day it was checked (today, 2026-11-28)."""
    response = public.get(f"/verify/{UNKNOWN_NUMBER}")
    assert response.status_code == 404
    assert "Checked on 2026-11-28" in response.text


def _granted_on(office: CertificationOffice, n: int, name: str, on: str = "2026-11-12") -> str:
    """A certificate granted on a past day (so later status changes can be dated); its number."""
    return office.grant(office.completed_audit(uscc(n), name), on)


def _status_change(office: CertificationOffice, number: str, action: str, reason: str) -> None:
    body = {"reason": reason, "verified_on": "2026-11-20", "effective_on": "2026-11-20"}
    response = office.client.post(
        f"{API}/certificates/{number}/{action}", json=body, headers=office.decision_maker
    )
    assert response.status_code == 200, response.text


def test_register_entries_carry_chinese_labels_beside_the_codes(
    office: CertificationOffice, public: TestClient
) -> None:
    """Given a valid five-star certificate, a four-star one suspended on 2026-11-20 and a third
    withdrawn the same day,
    when they are read from the register's search and one by one,
    then each carries status_label (有效 / 暂停 / 撤销) and grade_label (五星级 / 四星级) beside
    the codes, and its sites (the central office at least)."""
    valid = _granted_on(office, 1, "福州甲家电商贸有限公司")
    suspended = office.grant(
        office.completed_audit(uscc(2), "厦门乙家电连锁有限公司", repair_nonconformity=True),
        "2026-11-12",
    )
    withdrawn = _granted_on(office, 3, "泉州丙百货有限公司")
    _status_change(office, suspended, "suspension", "requested_by_organization")
    _status_change(office, withdrawn, "withdrawal", "suspension_expired_unresolved")

    listed = {item["number"]: item for item in search(public)["items"]}
    looked_up = {n: public.get(f"{REGISTER}/{n}").json() for n in (valid, suspended, withdrawn)}

    expected = {
        valid: ("valid", "有效", "five_star", "五星级"),
        suspended: ("suspended", "暂停", "four_star", "四星级"),
        withdrawn: ("withdrawn", "撤销", "five_star", "五星级"),
    }
    for entries in (listed, looked_up):
        for number, (status, status_label, grade, grade_label) in expected.items():
            entry = entries[number]
            assert (entry["status"], entry["status_label"]) == (status, status_label)
            assert (entry["grade"], entry["grade_label"]) == (grade, grade_label)
            assert entry["sites"] and all("address" in site for site in entry["sites"])


def test_an_expired_certificate_reads_as_expired_in_chinese(
    office: CertificationOffice, server_on: ServerOn
) -> None:
    """Given a certificate valid through 2029-11-27,
    when the register is read on 2029-11-28 (the sweep not yet run),
    then its status is expired and its status_label 过期."""
    number = office.certificate(uscc(1), "福州甲商贸有限公司")
    entry = server_on(date(2029, 11, 28)).get(f"{REGISTER}/{number}").json()
    assert (entry["status"], entry["status_label"]) == ("expired", "过期")


def test_the_search_box_takes_a_uscc_a_certificate_number_or_scope_words(
    office: CertificationOffice, public: TestClient
) -> None:
    """Given two certificates (household appliances scope, 福州甲 and 厦门乙),
    when q is a USCC (as typed: lower case, spaces), a certificate number (lower case, a
    full-width dash, a long dash), or words of the scope no name holds,
    then the search finds exactly that certificate, or both for scope words, with the total;
    a number or USCC no certificate has finds nothing, unless a name holds it as typed."""
    first = office.certificate(uscc(1), "福州甲商贸有限公司")
    second = office.certificate(uscc(2), "厦门乙连锁有限公司")

    assert numbers(search(public, q=uscc(2))) == [second]
    assert numbers(search(public, q=f" {uscc(2)[:9].lower()} {uscc(2)[9:]} ")) == [second]
    assert numbers(search(public, q=first)) == [first]
    assert numbers(search(public, q=first.lower().replace("-", "－", 1))) == [first]
    assert numbers(search(public, q=second.replace("-", "—").replace("SC", "ｓｃ"))) == [second]

    by_scope = search(public, q="家用电器 售后服务")
    assert (sorted(numbers(by_scope)), by_scope["total"]) == (sorted([first, second]), 2)
    assert search(public, q="家用电器 汽车")["total"] == 0
    assert search(public, q=UNKNOWN_NUMBER)["total"] == 0
    assert search(public, q=uscc(3))["total"] == 0
    # a name still wins: text a name holds finds that name only, never scope matches
    assert numbers(search(public, q="厦门乙")) == [second]
    # and a name shaped like a code is found by its name when no certificate has that code
    third = office.certificate(uscc(3), "AB-12")
    assert numbers(search(public, q="AB-12")) == [third]
