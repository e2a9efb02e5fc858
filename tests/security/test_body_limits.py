"""Request bodies are bounded before they are read, and a command's token is checked before
its body (issue 20, item 5; api.md Limits)."""

from __future__ import annotations

import json
from collections.abc import Iterator
from dataclasses import dataclass, field

from fastapi.testclient import TestClient

from tests.api.conftest import API, events_recorded
from tests.conftest import ADMIN_TOKEN
from tests.factories import application_body

MIB = 1024 * 1024
AUTH = (b"authorization", f"Bearer {ADMIN_TOKEN}".encode())


@dataclass
class Exchange:
    """What an ASGI call answered, and how many body chunks the server asked for."""

    status: int = 0
    body: bytes = b""
    chunks_read: int = 0
    headers: dict[bytes, bytes] = field(default_factory=dict)


def call(
    client: TestClient,
    path: str,
    headers: list[tuple[bytes, bytes]],
    chunks: Iterator[bytes],
) -> Exchange:
    """Send a request straight to the running app, its body handed over chunk by chunk on
    demand, so the test sees how much of it the server read."""
    exchange = Exchange()
    scope = {
        "type": "http", "asgi": {"version": "3.0"}, "http_version": "1.1", "method": "POST",
        "scheme": "http", "path": path, "raw_path": path.encode(), "query_string": b"",
        "root_path": "", "headers": headers, "client": ("127.0.0.1", 50000),
        "server": ("testserver", 80),
    }  # fmt: skip
    pending = iter(chunks)
    following = next(pending, None)

    async def receive() -> dict[str, object]:
        nonlocal following
        chunk = following
        if chunk is None:
            return {"type": "http.disconnect"}
        exchange.chunks_read += 1
        following = next(pending, None)
        return {"type": "http.request", "body": chunk, "more_body": following is not None}

    async def send(message: dict[str, object]) -> None:
        if message["type"] == "http.response.start":
            exchange.status = int(message["status"])  # type: ignore[call-overload]
            exchange.headers = dict(message["headers"])  # type: ignore[call-overload]
        elif message["type"] == "http.response.body":
            exchange.body += message.get("body", b"")  # type: ignore[operator]

    assert client.portal is not None
    client.portal.call(client.app, scope, receive, send)
    return exchange


def megabytes(count: int) -> Iterator[bytes]:
    """A JSON body of `count` MiB, one MiB a chunk: a string that never ends early."""
    yield b'{"name": "'
    for _ in range(count):
        yield b"x" * MIB
    yield b'", "roles": ["intake"]}'


def test_a_json_command_declared_larger_than_1_mib_is_a_413_before_a_byte_is_read(
    client: TestClient,
) -> None:
    """Given the admin's token,
    when a command declares a Content-Length of 1 GiB,
    then the answer is 413 and the server asked for none of the body."""
    exchange = call(
        client, f"{API}/users",
        [AUTH, (b"content-type", b"application/json"),
         (b"content-length", str(1024 * MIB).encode())],
        megabytes(1024),
    )  # fmt: skip
    assert exchange.status == 413
    assert exchange.chunks_read == 0
    assert "1 MiB" in json.loads(exchange.body)["detail"]


def test_a_chunked_body_is_cut_off_once_it_passes_the_limit(client: TestClient) -> None:
    """Given the admin's token and a body sent without a Content-Length,
    when it runs on for 64 MiB,
    then the server stops reading after the second MiB and answers 413; nothing is
    recorded."""
    before = events_recorded(client)
    exchange = call(
        client, f"{API}/users", [AUTH, (b"content-type", b"application/json")], megabytes(64)
    )
    assert exchange.status == 413
    assert exchange.chunks_read <= 3
    assert events_recorded(client) == before


def test_an_anonymous_command_is_a_401_before_its_body_is_read(client: TestClient) -> None:
    """Given no token, and then a token nobody was given,
    when each sends a command (and an upload) with a large body,
    then each is answered 401 and the server asked for none of the body."""
    for credentials in ([], [(b"authorization", b"Bearer not-a-token")]):
        for path, kind in (
            (f"{API}/users", b"application/json"),
            (f"{API}/documents", b"multipart/form-data; boundary=x"),
        ):
            exchange = call(client, path, [*credentials, (b"content-type", kind)], megabytes(8))
            assert exchange.status == 401, exchange.body
            assert exchange.chunks_read == 0
            assert exchange.headers[b"www-authenticate"] == b"Bearer"


def test_an_upload_may_be_50_mib_but_not_more(client: TestClient) -> None:
    """Given the admin's token,
    when an upload declares 60 MiB,
    then it is 413 before a byte is read; a JSON command of 2 MiB is refused the same way."""
    upload = call(
        client, f"{API}/documents",
        [AUTH, (b"content-type", b"multipart/form-data; boundary=x"),
         (b"content-length", str(60 * MIB).encode())],
        megabytes(60),
    )  # fmt: skip
    assert upload.status == 413
    assert upload.chunks_read == 0
    assert "51 MiB" in json.loads(upload.body)["detail"]


def test_commands_within_the_limits_are_served_as_before(
    client: TestClient, admin_headers: dict[str, str]
) -> None:
    """Given the limits,
    when the admin registers a user, a document of 2 MiB is uploaded and an application is
    submitted,
    then each is served (201), the token checked once before the body."""
    user = client.post(
        f"{API}/users", json={"name": "甲", "roles": ["intake"]}, headers=admin_headers
    )
    assert user.status_code == 201, user.text
    clerk = {"Authorization": f"Bearer {user.json()['token']}"}
    upload = client.post(
        f"{API}/documents", files={"file": ("a.pdf", b"%PDF" + b"0" * 2 * MIB)}, headers=clerk
    )
    assert upload.status_code == 201, upload.text
    application = client.post(f"{API}/applications", json=application_body([]), headers=clerk)
    assert application.status_code == 201, application.text
    assert application.json()["status"] == "submitted"
