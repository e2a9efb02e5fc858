"""The public pages: the verification page a certificate's QR code opens and the register's
search page, without any token (api.md Public register and its Additions; ZPIC-WF-20 8.1.1, 7.4).
"""

from __future__ import annotations

import re
from html.parser import HTMLParser
from typing import Any

import pytest
from fastapi.testclient import TestClient

from api.reports.issuer import issuer
from tests.api.conftest import API
from tests.api.test_decisions_api import CertificationOffice, uscc

RAW_CODES = re.compile(
    r"\b(valid|suspended|withdrawn|expired|five_star|four_star|three_star|compliant)\b"
)
"""Codes of the register that a person must never read (only their Chinese labels)."""


class _Text(HTMLParser):
    def __init__(self) -> None:
        super().__init__()
        self.parts: list[str] = []
        self._skip = 0

    def handle_starttag(self, tag: str, attrs: Any) -> None:
        self._skip += tag in ("style", "script")

    def handle_endtag(self, tag: str) -> None:
        self._skip -= tag in ("style", "script")

    def handle_data(self, data: str) -> None:
        if not self._skip:
            self.parts.append(data)


def visible_text(html: str) -> str:
    """What a person reads on the page (no markup, no attribute values, no style)."""
    parser = _Text()
    parser.feed(html)
    return " ".join(" ".join(parser.parts).split())


def chinese_text(html: str) -> str:
    """The visible text without the English beside it (`<span class="en">`)."""
    english = r'<(span|p) class="en"[^>]*>.*?</\1>'
    return visible_text(re.sub(english, "", html, flags=re.S))


class SitesOffice(CertificationOffice):
    """The staff, with the multi-site list a multi-site application needs among its documents."""

    def __init__(self, client: Any, admin_headers: dict[str, str]) -> None:
        super().__init__(client, admin_headers)
        response = self.client.post(
            f"{API}/documents",
            files={"file": ("sites.pdf", b"%PDF-1.4 multi_site_list", "application/pdf")},
            headers=self.intake,
        )
        assert response.status_code == 201, response.text
        sites = {"kind": "multi_site_list", "filename": "sites.pdf"}
        self.documents = [*self.documents, {**sites, "sha256": response.json()["sha256"]}]


@pytest.fixture
def office(client: TestClient, admin_headers: dict[str, str]) -> CertificationOffice:
    """The certification body's staff on a fresh server."""
    return SitesOffice(client, admin_headers)


@pytest.fixture
def public(client: TestClient) -> TestClient:
    """The same server as the public sees it: no token, no session."""
    client.cookies.clear()
    assert "authorization" not in {k.lower() for k in client.headers}
    return client


def with_shops(office: CertificationOffice, n: int, name: str, granted_on: str) -> str:
    """A certificate of an organization with two shops besides its central office, granted on
    a given day; its number."""
    app_id = office.contracted_application(uscc(n), name, sites=2)
    audit_id = office.planned_audit(app_id)
    assert office.complete(audit_id)["passed"] is True
    return office.grant(audit_id, granted_on)


def change_status(office: CertificationOffice, number: str, action: str, reason: str) -> None:
    """A suspension or withdrawal verified and effective on 2026-11-20."""
    body = {"reason": reason, "verified_on": "2026-11-20", "effective_on": "2026-11-20"}
    response = office.client.post(
        f"{API}/certificates/{number}/{action}", json=body, headers=office.decision_maker
    )
    assert response.status_code == 200, response.text


def test_the_verification_page_lists_the_sites_and_the_certification_body(
    office: CertificationOffice, public: TestClient
) -> None:
    """Given a valid certificate of an organization with two shops (门店0, 门店1),
    when its verification page is opened without a token,
    then it is a page (text/html) that says 有效 and valid through 2029-11-27, lists the
    central office and both shops with their addresses, names the certification body, and
    shows no raw code."""
    number = with_shops(office, 1, "福州甲家电商贸有限公司", "2026-11-28")

    page = public.get(f"/verify/{number}")

    assert page.status_code == 200
    assert page.headers["content-type"].startswith("text/html")
    text = visible_text(page.text)
    assert "有效" in text and "有效期至 2029-11-27" in text
    sites = re.search(r'<ol class="sites" id="sites">(.*?)</ol>', page.text, re.S)
    assert sites is not None
    listed = visible_text(sites.group(1))
    for shop, address in (("门店0", "福州市台江区0号"), ("门店1", "福州市台江区1号")):
        assert shop in listed and address in listed
    assert "中心办公室" in listed and "central office" not in listed
    assert issuer()["name"]["zh"] in text
    assert not RAW_CODES.search(chinese_text(page.text))


@pytest.mark.parametrize(
    ("action", "reason", "status", "words"),
    [
        ("suspension", "requested_by_organization", "暂停",
         ["自 2026-11-20 起暂停", "暂停期至 2027-02-19", "不得使用本证书"]),
        ("withdrawal", "suspension_expired_unresolved", "撤销",
         ["自 2026-11-20 起撤销", "已经失效", "不得再使用本证书"]),
    ],
)  # fmt: skip
def test_a_suspended_or_withdrawn_certificate_s_page_says_what_that_means_and_from_when(
    office: CertificationOffice, public: TestClient, action: str, reason: str, status: str,
    words: list[str],
) -> None:
    """Given a certificate granted 2026-11-12 and suspended (or withdrawn) from 2026-11-20,
    when its verification page is opened,
    then the status reads 暂停 (撤销) and the explanation says from when (and until when), and
    that the certificate may not be used meanwhile."""
    number = with_shops(office, 1, "福州甲家电商贸有限公司", "2026-11-12")
    change_status(office, number, action, reason)

    page = public.get(f"/verify/{number}")

    assert page.status_code == 200
    explanation = re.search(r'id="explanation">(.*?)</div>', page.text, re.S)
    assert explanation is not None
    said = visible_text(explanation.group(1))
    for word in words:
        assert word in said, (word, said)
    assert re.search(rf'id="status" data-status="[a-z]+">\s*{status}', page.text)


@pytest.mark.parametrize(
    "typed",
    [
        "ecpsc-sc-2026-00001",
        "ECPSC－SC－2026－00001",
        "ECPSC—SC–2026-00001",
        " ECPSC-SC-2026-00001 ",
        "ECPSC - SC - 2026 - 00001",
        "ＥＣＰＳＣ-ＳＣ-２０２６-０００01",
    ],
)
def test_what_a_person_types_is_read_as_the_number(
    office: CertificationOffice, public: TestClient, typed: str
) -> None:
    """Given certificate ECPSC-SC-2026-00001,
    when its verification page is opened with the number typed in lower case, with full-width
    or long dashes, spaces, or full-width characters,
    then the certificate's page (200), showing the number as issued."""
    number = office.certificate(uscc(1), "福州甲商贸有限公司")
    assert number == "ECPSC-SC-2026-00001"

    page = public.get(f"/verify/{typed}")

    assert page.status_code == 200, typed
    assert f'id="number">{number}<' in page.text


@pytest.mark.parametrize(
    "typed",
    ["ECPSC-SC-2026-99999", "<script>alert(1)</script>", "证书", "A" * 300, "x%2Fy", "--"],
)
def test_a_number_on_no_certificate_or_malformed_is_a_page_never_json(
    public: TestClient, typed: str
) -> None:
    """Given no certificate of that number, or input that cannot be a number at all,
    when the verification page is opened with it,
    then 404 with the not-found page (text/html, 无此证书, a search box), never the API's JSON,
    and the input is shown escaped."""
    page = public.get(f"/verify/{typed}")

    assert page.status_code == 404
    assert page.headers["content-type"].startswith("text/html")
    assert "无此证书" in page.text and 'action="/register"' in page.text
    assert "<script>alert" not in page.text


def test_the_verification_address_without_a_number_opens_the_register_search(
    public: TestClient,
) -> None:
    """Given the public, when /verify is opened with no number, then they are sent to the
    register's search page."""
    for path in ("/verify", "/verify/"):
        answer = public.get(path, follow_redirects=False)
        assert answer.status_code == 303 and answer.headers["location"] == "/register"


def _result_numbers(html: str) -> list[str]:
    return re.findall(r'<li data-number="([^"]+)"', html)


def test_the_register_page_finds_by_name_uscc_number_and_scope_words(
    office: CertificationOffice, public: TestClient
) -> None:
    """Given a valid five-star certificate (福州甲家电), a four-star one suspended from
    2026-11-20 (厦门乙家电) and a withdrawn one (泉州丙百货),
    when the register page is searched without a token by part of a name, a USCC (lower case),
    a certificate number (full-width dash), scope words, and by status,
    then each search lists exactly the matching certificates, each with its status and grade in
    Chinese (有效, 暂停, 撤销; 五星级, 四星级) and a link to its verification page, and no raw
    code."""
    first = office.grant(office.completed_audit(uscc(1), "福州甲家电商贸有限公司"), "2026-11-12")
    second = office.grant(
        office.completed_audit(uscc(2), "厦门乙家电连锁有限公司", repair_nonconformity=True),
        "2026-11-12",
    )
    third = office.grant(office.completed_audit(uscc(3), "泉州丙百货有限公司"), "2026-11-12")
    change_status(office, second, "suspension", "requested_by_organization")
    change_status(office, third, "withdrawal", "suspension_expired_unresolved")

    def found(**params: str) -> tuple[list[str], str]:
        page = public.get("/register", params=params)
        assert page.status_code == 200, params
        assert page.headers["content-type"].startswith("text/html")
        return _result_numbers(page.text), page.text

    by_name, html = found(q="家电")
    assert sorted(by_name) == sorted([first, second])
    assert f'href="/verify/{first}"' in html
    shown = chinese_text(html)
    assert "有效" in shown and "暂停" in shown and "五星级" in shown and "四星级" in shown
    assert "暂停期 2026-11-20 至 2027-02-19" in shown
    assert not RAW_CODES.search(shown), RAW_CODES.search(shown)

    assert found(q=uscc(2).lower())[0] == [second]
    assert found(q=third.replace("-", "－"))[0] == [third]
    assert found(q=third)[0] == [third]
    html = found(q=third)[1]
    assert "撤销" in chinese_text(html) and "撤销于 2026-11-20" in chinese_text(html)
    assert sorted(found(q="家用电器 售后")[0]) == sorted([first, second, third])
    assert found(status="suspended")[0] == [second]
    assert found(grade="four_star")[0] == [second]
    assert found(q="家电", status="valid")[0] == [first]
    nothing, html = found(q="不存在的名称")
    assert nothing == [] and "未找到" in html


def test_the_register_page_without_a_query_shows_the_search_box(public: TestClient) -> None:
    """Given the public, when /register is opened with nothing typed, or with a status, grade or
    page that makes no sense, then 200 with the search box (a page never answers 422)."""
    for params in ({}, {"status": "lapsed"}, {"grade": "six_star"}, {"page": "abc"},
                   {"q": "x" * 500}, {"page": "-3"}, {"q": "家电\x00\x1b"}):  # fmt: skip
        page = public.get("/register", params=params)
        assert page.status_code == 200, params
        assert page.headers["content-type"].startswith("text/html")
        assert 'role="search"' in page.text and 'name="q"' in page.text
