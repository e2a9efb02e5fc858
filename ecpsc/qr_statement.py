"""The signed statement a certificate's QR code carries beside its verification address
(issue 20 item 4): what was printed — number, organization USCC, grade, issue and expiry dates —
signed with the certification body's key, so a printed certificate can be told genuine without
the register; the register still has the last word on its status today.

The QR code holds one address, `{public_url}/verify/{number}?s={statement}`, the statement being
`1.{number}.{uscc}.{grade}.{issued}.{expires}.{key_id}.{signature}` (dates YYYY-MM-DD, the
signature base64url without padding) and the signature covering `statement_message`.
"""

from __future__ import annotations

import binascii
import logging
import re
from dataclasses import dataclass, field
from datetime import date
from typing import Any
from urllib.parse import parse_qs, quote, urlsplit

from domain.rulebook.scoring import GRADE_NAMES
from ecpsc.settings import Settings
from ecpsc.signing import PublicKey, SigningKey, SigningKeyUnavailable, signing_key, unb64

log = logging.getLogger(__name__)

STATEMENT_FORM = "ecpsc-certificate-v1"
VERSION = "1"
PART = re.compile(r"^[A-Za-z0-9_-]{1,64}$")


def statement_message(
    number: str, uscc: str, grade: str, issued_on: str, expires_on: str, key_id: str
) -> bytes:
    """What the signature covers: seven lines, UTF-8, no final newline."""
    return "\n".join([STATEMENT_FORM, number, uscc, grade, issued_on, expires_on, key_id]).encode()


def make_statement(
    number: str, uscc: str, grade: str, issued_on: date, expires_on: date, key: SigningKey
) -> str:
    """The compact signed statement of a printed certificate."""
    parts = [number, uscc, grade, issued_on.isoformat(), expires_on.isoformat(), key.key_id]
    signature = key.sign(statement_message(*parts))
    encoded = binascii.b2a_base64(signature, newline=False).decode()
    encoded = encoded.replace("+", "-").replace("/", "_").rstrip("=")
    return ".".join([VERSION, *parts, encoded])


def signed_qr_address(settings: Settings, certificate: Any) -> str:
    """The address a certificate's QR code holds: its verification page with the signed
    statement of what is printed (the page alone when the key cannot be read, said in the
    log)."""
    base = f"{settings.public_url.rstrip('/')}/verify/{quote(certificate.number)}"
    try:
        key = signing_key(settings)
    except SigningKeyUnavailable as error:
        log.error("certificate %s printed without a signed statement: %s", certificate.number,
                  error)  # fmt: skip
        return base
    statement = make_statement(
        certificate.number,
        str(certificate.organization.get("uscc") or ""),
        certificate.grade,
        certificate.issued_on,
        certificate.expires_on,
        key,
    )
    return f"{base}?s={statement}"


@dataclass
class Checked:
    """What checking a statement found."""

    genuine: bool
    problem: str | None = None
    fields: dict[str, str] = field(default_factory=dict)

    def lines(self) -> list[str]:
        """How `ecpsc verify-qr` reports it."""
        f = self.fields
        if not self.genuine:
            return [f"NOT GENUINE: {self.problem}"]
        return [
            "genuine / 真实：认证机构签署的证书信息 / signed by the certification body",
            f"  number: {f['number']}",
            f"  uscc: {f['uscc']}",
            f"  grade: {GRADE_NAMES.get(f['grade'], f['grade'])}",
            f"  issued: {f['issued_on']}",
            f"  expires: {f['expires_on']}",
            f"  key_id: {f['key_id']}",
            "the register has the last word on its status today / 现行状态以登记册为准",
        ]


def statement_of(payload: str) -> str:
    """The statement in a QR code's text: its `s` parameter, or the text itself."""
    payload = payload.strip()
    if "://" in payload or payload.startswith("/"):
        found = parse_qs(urlsplit(payload).query).get("s")
        return found[0] if found else ""
    return payload


def check_statement(statement: str, keys: list[PublicKey], number: str | None = None) -> Checked:
    """Whether a statement is signed by one of the keys (and names `number`, when given)."""
    parts = statement.strip().split(".")
    if len(parts) != 8 or parts[0] != VERSION:
        return Checked(False, "不是本机构的签名声明 / not a signed statement of this body")
    _, num, uscc, grade, issued, expires, key_id, signature = parts
    fields = {"number": num, "uscc": uscc, "grade": grade, "issued_on": issued,
              "expires_on": expires, "key_id": key_id}  # fmt: skip
    if not all(PART.match(p) for p in (num, uscc, grade, issued, expires, key_id)):
        return Checked(False, "声明格式不对 / the statement is malformed", fields)
    key = next((k for k in keys if k.key_id == key_id), None)
    if key is None:
        return Checked(False, f"未知密钥 {key_id} / unknown key {key_id}", fields)
    try:
        raw = unb64(signature)
    except (binascii.Error, ValueError):
        return Checked(False, "签名不是 base64 / the signature is not base64", fields)
    if not key.verifies(statement_message(num, uscc, grade, issued, expires, key_id), raw):
        return Checked(False, "签名无效，证书信息被改动或伪造 / the signature does not hold: "
                       "what is printed was altered or forged", fields)  # fmt: skip
    if number is not None and number.upper() != num.upper():
        return Checked(False, f"声明属于证书 {num} / the statement is of certificate {num}", fields)
    return Checked(True, None, fields)


def check_payload(payload: str, keys: list[PublicKey]) -> Checked:
    """Check the text of a QR code (its address, or the statement alone)."""
    statement = statement_of(payload)
    if not statement:
        return Checked(False, "二维码中没有签名声明 / the QR code holds no signed statement")
    path = urlsplit(payload.strip()).path if "://" in payload else ""
    number = path.rsplit("/verify/", 1)[1] if "/verify/" in path else None
    return check_statement(statement, keys, number)
