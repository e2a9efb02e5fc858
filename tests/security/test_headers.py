"""Security headers on every page, no inline script in any template, and API docs that work
offline (issue 20, item 7)."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from fastapi.testclient import TestClient

from tests.pages.support import sign_in, staff_member

TEMPLATES = Path(__file__).resolve().parents[2] / "api" / "templates"


def directives(policy: str) -> dict[str, list[str]]:
    """A Content-Security-Policy as {directive: sources}."""
    parsed = {}
    for part in policy.split(";"):
        words = part.split()
        if words:
            parsed[words[0]] = words[1:]
    return parsed


def assert_page_is_guarded(response: object) -> None:
    """The headers every HTML page carries."""
    headers = response.headers  # type: ignore[attr-defined]
    assert headers["content-type"].startswith("text/html")
    policy = directives(headers["content-security-policy"])
    assert policy["script-src"] == ["'self'"], policy
    assert policy["frame-ancestors"] == ["'none'"]
    assert policy["object-src"] == ["'none'"]
    assert headers["x-content-type-options"] == "nosniff"
    assert headers["referrer-policy"] == "strict-origin-when-cross-origin"


@pytest.mark.parametrize(
    "path", ["/sign-in", "/verify/ECPSC-2026-000001", "/docs", "/redoc"]
)
def test_public_pages_carry_a_csp_without_inline_script_and_the_other_headers(
    client: TestClient, path: str
) -> None:
    """Given a fresh server,
    when a public page is opened,
    then it carries a CSP admitting only this origin's scripts and no framing, nosniff and a
    Referrer-Policy."""
    response = client.get(path)
    assert response.status_code in (200, 404), response.text
    assert_page_is_guarded(response)


def test_staff_pages_carry_the_same_headers(client: TestClient) -> None:
    """Given a signed-in admin,
    when the home page and the intake form are opened,
    then each carries the headers."""
    staff_member(client, "管理员", ["admin"], "admin1")
    sign_in(client, "admin1")
    for path in ("/", "/applications/new"):
        response = client.get(path)
        assert response.status_code == 200, response.text
        assert_page_is_guarded(response)


def test_json_answers_are_not_sniffed_or_framed(
    client: TestClient, admin_headers: dict[str, str]
) -> None:
    """Given a fresh server,
    when the API answers,
    then the answer says nosniff and frame-ancestors 'none' too."""
    response = client.get("/api/v1/users/me", headers=admin_headers)
    assert response.headers["x-content-type-options"] == "nosniff"
    assert "frame-ancestors 'none'" in response.headers["content-security-policy"]


def test_hsts_only_over_tls(client: TestClient) -> None:
    """Given a fresh server,
    when a page is asked for over plain HTTP, then through a TLS proxy (X-Forwarded-Proto),
    then only the second answer carries Strict-Transport-Security."""
    assert "strict-transport-security" not in client.get("/sign-in").headers
    over_tls = client.get("/sign-in", headers={"X-Forwarded-Proto": "https"})
    assert over_tls.headers["strict-transport-security"].startswith("max-age=31536000")


INLINE_SCRIPT = re.compile(r"<script(?![^>]*\bsrc=)[^>]*>", re.IGNORECASE)
HANDLER = re.compile(r"""\s(on[a-z]+|hx-on[:\w-]*)\s*=""", re.IGNORECASE)
EVAL_VALUE = re.compile(r"""=\s*['"]\s*(js|javascript):""", re.IGNORECASE)


@pytest.mark.parametrize(
    "template", sorted(TEMPLATES.rglob("*.html")), ids=lambda p: p.relative_to(TEMPLATES).as_posix()
)
def test_no_template_holds_inline_script(template: Path) -> None:
    """Given every page template,
    when it is read,
    then it holds no inline <script>, no on…= or hx-on handler and no js: value (the CSP
    would block them: behaviour lives in /static/*.js)."""
    text = template.read_text(encoding="utf-8")
    assert not INLINE_SCRIPT.search(text)
    assert not HANDLER.search(text), HANDLER.search(text)
    assert not EVAL_VALUE.search(text)


def test_the_api_docs_load_nothing_from_other_sites(client: TestClient) -> None:
    """Given a server without Internet access,
    when /docs is opened,
    then it names no other site, and the script and stylesheet it names are served here."""
    page = client.get("/docs")
    assert page.status_code == 200
    assert "http://" not in page.text and "https://" not in page.text
    sources = re.findall(r'(?:src|href)="(/[^"]+)"', page.text)
    assert any(s.endswith("swagger-ui-bundle.js") for s in sources)
    for source in sources:
        assert client.get(source).status_code == 200, source
