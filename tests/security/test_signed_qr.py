"""Signed QR codes (issue 20 item 4): a printed certificate's QR code carries, beside its
verification address, a statement of what is printed signed with the certification body's key;
`ecpsc verify-qr` and the /verify page tell a genuine print from an altered one, also when the
register has no entry or cannot be reached, the register keeping the last word on status."""

from __future__ import annotations

import json
from datetime import date
from pathlib import Path
from typing import Any
from urllib.parse import parse_qs, urlsplit

import pytest
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey
from eventsourcing.persistence import OperationalError
from fastapi.testclient import TestClient
from typer.testing import CliRunner

from ecpsc.cli import cli
from ecpsc.qr_statement import make_statement
from ecpsc.settings import Settings
from ecpsc.signing import PublicKey, signing_key
from tests.api.lifecycle_office import LifecycleOffice
from tests.api.test_decisions_api import uscc

pytestmark = pytest.mark.filterwarnings("ignore::DeprecationWarning")

API = "/api/v1"


@pytest.fixture
def office(client: TestClient, admin_headers: dict[str, str]) -> LifecycleOffice:
    """Staff on a fresh server."""
    return LifecycleOffice(client, admin_headers)


def printed_qr(office: LifecycleOffice, number: str) -> str:
    """The address the printed certificate's QR code holds."""
    answer = office.client.get(
        f"{API}/certificates/{number}/document",
        headers={**office.intake, "Accept": "application/json"},
    )
    assert answer.status_code == 200, answer.text
    return answer.json()["verification"]["qr"]  # type: ignore[no-any-return]


def verify_qr(settings: Settings, payload: str) -> Any:
    env = {"ECPSC_DATABASE_URL": settings.database_url,
           "ECPSC_SIGNING_KEY_FILE": str(settings.signing_key_file)}  # fmt: skip
    return CliRunner().invoke(cli, ["verify-qr", payload], env=env)


def altered(qr: str, old: str, new: str) -> str:
    """The QR address with one field of its statement changed (the signature kept)."""
    statement = parse_qs(urlsplit(qr).query)["s"][0]
    assert f".{old}." in statement
    return qr.replace(statement, statement.replace(f".{old}.", f".{new}.", 1))


def test_the_printed_qr_code_carries_a_statement_verify_qr_accepts(
    office: LifecycleOffice, settings: Settings
) -> None:
    """Given a certificate issued on 2026-03-02, when its printed document is made, then the QR
    code holds the verification address with a signed statement of number, USCC, grade and
    dates; `ecpsc verify-qr` says it is genuine; with the grade raised to five stars it exits 1
    saying it is not."""
    code = uscc(971)
    number = office.certificate(code, "2026-03-02")
    qr = printed_qr(office, number)
    assert qr.startswith(f"{settings.public_url}/verify/{number}?s=1.{number}.{code}.")
    html = office.client.get(
        f"{API}/certificates/{number}/document", headers={**office.intake, "Accept": "text/html"}
    ).text
    assert qr.replace("&", "&amp;") in html  # the QR code drawn on the page is that address

    genuine = verify_qr(settings, qr)
    assert genuine.exit_code == 0, genuine.output
    assert f"number: {number}" in genuine.output and f"uscc: {code}" in genuine.output
    assert "issued: 2026-03-02" in genuine.output

    grade = qr.split(f"{code}.")[1].split(".")[0]
    forged = verify_qr(
        settings, altered(qr, grade, "five_star" if grade != "five_star" else "compliant")
    )
    assert forged.exit_code == 1 and "NOT GENUINE" in forged.output
    assert "signature does not hold" in forged.output


def test_the_verify_page_checks_the_statement_beside_the_register(
    office: LifecycleOffice,
) -> None:
    """Given the QR address of a printed certificate, when the /verify page opens it, then it
    says the print is genuine above the register's status; with the expiry date moved it says
    the print is not genuine; the register's status is shown either way."""
    number = office.certificate(uscc(972), "2026-03-02")
    qr = printed_qr(office, number)
    path = qr.removeprefix("http://127.0.0.1:8000")

    page = office.client.get(path)
    assert page.status_code == 200, page.text
    assert 'data-genuine="yes"' in page.text and "印刷证书真实" in page.text
    assert 'data-status="valid"' in page.text

    expires = qr.split(".")[-3]
    forged = office.client.get(altered(path, expires, "2035-03-01"))
    assert forged.status_code == 200
    assert 'data-genuine="no"' in forged.text and "印刷证书无法证实" in forged.text
    assert 'data-status="valid"' in forged.text


def test_a_genuine_print_is_told_even_without_a_register_entry(
    client: TestClient, settings: Settings
) -> None:
    """Given a statement signed with the body's key for a certificate the register has no
    entry of, when /verify opens it, then the page says the print is genuine and that the
    register has no such certificate (404); a statement of another number is not genuine."""
    key = signing_key(settings)
    statement = make_statement("ECPSC-2019-000001", uscc(973), "four_star",
                               date(2019, 5, 6), date(2022, 5, 5), key)  # fmt: skip

    page = client.get("/verify/ECPSC-2019-000001", params={"s": statement})

    assert page.status_code == 404
    assert 'data-genuine="yes"' in page.text and 'data-status="unknown"' in page.text
    other = client.get("/verify/ECPSC-2019-000002", params={"s": statement})
    assert 'data-genuine="no"' in other.text


class UnreachableReadModels:
    """Read models whose store cannot be reached (a fake of the running ones)."""

    def view(self, name: str) -> Any:
        raise OperationalError("connection refused")


def test_a_genuine_print_is_told_while_the_register_is_unreachable(
    client: TestClient, settings: Settings
) -> None:
    """Given the register's store unreachable, when /verify opens a signed statement, then the
    page (503) still says the print is genuine and that the register cannot be reached now."""
    key = signing_key(settings)
    statement = make_statement("ECPSC-2026-000009", uscc(974), "compliant",
                               date(2026, 1, 5), date(2029, 1, 4), key)  # fmt: skip
    services = client.app.state.services  # type: ignore[attr-defined]
    running, services.read_models = services.read_models, UnreachableReadModels()
    try:
        page = client.get("/verify/ECPSC-2026-000009", params={"s": statement})
    finally:
        services.read_models = running
    assert page.status_code == 503
    assert 'data-genuine="yes"' in page.text and "登记册暂时无法访问" in page.text


def test_verify_qr_takes_the_statement_alone_and_a_published_key(
    client: TestClient, settings: Settings, tmp_path: Path
) -> None:
    """Given a statement signed with the body's key and the body's published key saved by a
    reader, when `ecpsc verify-qr` checks the statement alone with `--public-key` (no store, no
    private key), then it is genuine; with another body's key it is not (unknown key)."""
    key = signing_key(settings)
    statement = make_statement("ECPSC-2026-000010", uscc(975), "three_star",
                               date(2026, 2, 2), date(2029, 2, 1), key)  # fmt: skip
    published = tmp_path / "key.json"
    published.write_text(json.dumps(client.get("/.well-known/ecpsc-signing-key").json()))
    other = tmp_path / "other.pem"  # another body's public key, PEM
    other.write_text(PublicKey.of(Ed25519PrivateKey.generate().public_key()).pem)

    genuine = CliRunner().invoke(cli, ["verify-qr", statement, "--public-key", str(published)])
    forged = CliRunner().invoke(cli, ["verify-qr", statement, "--public-key", str(other)])

    assert genuine.exit_code == 0 and "number: ECPSC-2026-000010" in genuine.output
    assert forged.exit_code == 1 and "unknown key" in forged.output
