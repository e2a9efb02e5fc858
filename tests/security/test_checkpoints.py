"""Signed checkpoints of the event log (issue 20 item 2): the certification body's key signs the
chain's head, the checkpoints are public and travel in the register's change feed, and `ecpsc
verify --checkpoint` proves the log still extends each one a witness holds."""

from __future__ import annotations

import base64
import functools
import json
import stat
import threading
from http.server import SimpleHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any

import pytest
from click.testing import Result
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PublicKey
from fastapi.testclient import TestClient
from typer.testing import CliRunner

from api.main import create_app
from ecpsc.cli import cli
from ecpsc.settings import Settings
from tests.application.test_tamper_evidence import Vandal

pytestmark = pytest.mark.filterwarnings("ignore::DeprecationWarning")

API = "/api/v1"


def run(settings: Settings, *args: str) -> Result:
    """An `ecpsc` command against the test's store and key."""
    env = {
        "ECPSC_DATABASE_URL": settings.database_url,
        "ECPSC_SIGNING_KEY_FILE": str(settings.signing_key_file),
    }
    return CliRunner().invoke(cli, list(args), env=env)


def add_users(client: TestClient, admin: dict[str, str], count: int) -> None:
    for i in range(count):
        answer = client.post(
            f"{API}/users", json={"name": f"用户{i}", "roles": ["intake"]}, headers=admin
        )
        assert answer.status_code == 201, answer.text


def sign(client: TestClient, admin: dict[str, str]) -> dict[str, Any]:
    answer = client.post(f"{API}/integrity/checkpoints", headers=admin)
    assert answer.status_code == 201, answer.text
    return answer.json()  # type: ignore[no-any-return]


def save(tmp_path: Path, name: str, content: Any) -> str:
    path = tmp_path / name
    path.write_text(json.dumps(content))
    return str(path)


def test_a_checkpoint_is_signed_published_and_in_the_change_feed(
    client: TestClient, admin_headers: dict[str, str]
) -> None:
    """Given a back office with some events, when an admin signs a checkpoint, then: the public
    key is published without a token; the latest checkpoint and the list after a position are
    public; the signature holds under the published key over the documented canonical form
    (five lines: form, position, head, signed_at, key_id); and the register's change feed
    carries it as a `checkpoint` item."""
    add_users(client, admin_headers, 3)
    published = client.get("/.well-known/ecpsc-signing-key")
    assert published.status_code == 200, published.text
    key = published.json()
    assert key["algorithm"] == "Ed25519" and len(key["key_id"]) == 16

    signed = sign(client, admin_headers)

    assert set(signed) == {"position", "head", "signed_at", "key_id", "signature"}
    assert signed["key_id"] == key["key_id"] and signed["position"] >= 6
    latest = client.get(f"{API}/integrity/checkpoints/latest")
    assert latest.status_code == 200 and latest.json() == signed
    state = client.get(f"{API}/integrity", headers=admin_headers).json()
    assert state["latest_checkpoint"] == signed
    listed = client.get(f"{API}/integrity/checkpoints", params={"after": 0}).json()
    assert listed == {"items": [signed], "next": signed["position"]}
    assert client.get(
        f"{API}/integrity/checkpoints", params={"after": signed["position"]}
    ).json() == {"items": [], "next": signed["position"]}
    message = (
        f"ecpsc-checkpoint-v1\n{signed['position']}\n{signed['head']}\n"
        f"{signed['signed_at']}\n{signed['key_id']}"
    ).encode()
    public = Ed25519PublicKey.from_public_bytes(base64.b64decode(key["public_key"]))
    public.verify(base64.b64decode(signed["signature"]), message)  # raises if it does not hold
    feed = client.get(f"{API}/register/changes", params={"after": 0}).json()
    (item,) = [i for i in feed["items"] if i["change"] == "checkpoint"]
    assert item["checkpoint"] == signed and item["number"] is None
    assert item["cursor"] > signed["position"]


def test_only_an_admin_signs_on_demand(client: TestClient, admin_headers: dict[str, str]) -> None:
    """Given no token, when a checkpoint is asked to be signed, then 401 and none exists."""
    assert client.post(f"{API}/integrity/checkpoints").status_code == 401
    assert client.get(f"{API}/integrity/checkpoints/latest").status_code == 404


def test_verify_proves_the_log_extends_each_checkpoint_given(
    client: TestClient, admin_headers: dict[str, str], settings: Settings, tmp_path: Path
) -> None:
    """Given two checkpoints a witness saved (as a page of the public list), when `ecpsc verify
    --checkpoint` runs with the file and with the published key, then it exits 0 saying the log
    extends both."""
    add_users(client, admin_headers, 3)
    first = sign(client, admin_headers)
    add_users(client, admin_headers, 2)
    second = sign(client, admin_headers)
    page = client.get(f"{API}/integrity/checkpoints").json()
    assert page["items"] == [first, second]
    keys = save(tmp_path, "key.json", client.get("/.well-known/ecpsc-signing-key").json())

    result = run(settings, "verify", "--checkpoint", save(tmp_path, "page.json", page),
                 "--public-key", keys)  # fmt: skip

    assert result.exit_code == 0, result.output
    assert f"extends checkpoint {first['position']}" in result.output
    assert f"extends checkpoint {second['position']}" in result.output


def test_a_forged_or_altered_checkpoint_is_named(
    client: TestClient, admin_headers: dict[str, str], settings: Settings, tmp_path: Path
) -> None:
    """Given a genuine checkpoint and copies of it with another head, another position, an
    unknown key or a garbled signature, when each is given to `ecpsc verify --checkpoint` after
    the genuine one, then it exits 1 naming the altered checkpoint and what fails."""
    add_users(client, admin_headers, 3)
    genuine = sign(client, admin_headers)
    good = save(tmp_path, "good.json", genuine)
    altered = {
        "head": ({**genuine, "head": "0" * 64}, "signature does not hold"),
        "position": ({**genuine, "position": genuine["position"] - 1}, "signature does not hold"),
        "key": ({**genuine, "key_id": "0123456789abcdef"}, "unknown key"),
        "signature": ({**genuine, "signature": "!!"}, "not base64"),
        "form": ({"position": "seven"}, "missing"),
    }
    for name, (checkpoint, why) in altered.items():
        result = run(settings, "verify", "--checkpoint", good,
                     "--checkpoint", save(tmp_path, f"{name}.json", checkpoint))  # fmt: skip
        assert result.exit_code == 1, (name, result.output)
        assert why in result.output, (name, result.output)
        assert "does not hold" in result.output and "Traceback" not in result.output


def test_a_rewritten_chain_no_longer_extends_a_witnessed_checkpoint(
    client: TestClient, admin_headers: dict[str, str], settings: Settings, tmp_path: Path
) -> None:
    """Given a checkpoint a witness saved and no verification recorded in the store, when
    someone with write access edits event 3 and recomputes every link after it (the stored
    links agree with the events again), then `ecpsc verify --checkpoint` exits 1 naming the
    checkpoint as rewritten, and signing a new checkpoint is refused (409)."""
    add_users(client, admin_headers, 5)
    witnessed = sign(client, admin_headers)
    add_users(client, admin_headers, 1)
    vandal = Vandal(client.app.state.services.backoffice)  # type: ignore[attr-defined]
    vandal.unprotect()
    vandal.edit_one_byte(3)
    vandal.rewrite_chain_from(3)

    result = run(settings, "verify", "--record", "--checkpoint",
                 save(tmp_path, "witnessed.json", witnessed))  # fmt: skip

    assert result.exit_code == 1, result.output
    assert f"checkpoint {witnessed['position']}" in result.output
    assert "rewritten" in result.output
    refused = client.post(f"{API}/integrity/checkpoints", headers=admin_headers)
    assert refused.status_code == 409 and refused.json()["code"] == "chain_broken"


def test_the_daily_job_signs_one_checkpoint_a_day(settings: Settings) -> None:
    """Given the daily checkpoint job, when it runs twice on one day, then one checkpoint is
    signed."""
    from domain.people import DEADLINE_JOBS_ID
    from ecpsc.checkpoints import after_position, sign_if_due
    from ecpsc.signing import signing_key
    from ecpsc.store import open_backoffice

    bo = open_backoffice(settings)
    try:
        bo.register_user("用户", ["intake"], None, bo.bootstrap_admin())
        key = signing_key(settings)
        assert sign_if_due(bo, key, DEADLINE_JOBS_ID) is not None
        assert sign_if_due(bo, key, DEADLINE_JOBS_ID) is None
        assert len(after_position(bo, 0, 100)) == 1
    finally:
        bo.close()


def test_the_embedded_default_key_is_generated_once_readable_by_its_owner_only(
    tmp_path: Path,
) -> None:
    """Given the embedded store and no key configured, when the key is first needed, then it
    is generated beside the store with mode 0600, the same key is used afterwards, and `ecpsc
    key show` prints its id and public key."""
    from ecpsc.signing import signing_key

    settings = Settings(database_url=f"sqlite:///{tmp_path / 'var' / 'ecpsc.sqlite'}")
    key = signing_key(settings)
    path = tmp_path / "var" / "ecpsc-signing-key.pem"
    assert path.exists() and stat.S_IMODE(path.stat().st_mode) == 0o600
    assert key.source == str(path)
    fresh = Settings(database_url=f"sqlite:///{tmp_path / 'var' / 'ecpsc.sqlite'}")
    assert signing_key(fresh).key_id == key.key_id
    shown = CliRunner().invoke(
        cli, ["key", "show"], env={"ECPSC_DATABASE_URL": settings.database_url}
    )
    assert shown.exit_code == 0, shown.output
    assert f"key_id: {key.key_id}" in shown.output
    assert f"public_key: {key.public.public_key}" in shown.output


def test_a_rotated_key_stays_published_and_its_checkpoints_still_verify(
    client: TestClient, admin_headers: dict[str, str], settings: Settings, tmp_path: Path
) -> None:
    """Given a checkpoint signed with the old key, when the key is rotated (`ecpsc key
    generate`, the old key listed in ECPSC_SIGNING_PREVIOUS_KEYS), then the well-known answer
    publishes both and `ecpsc verify --checkpoint` still accepts the old checkpoint."""
    add_users(client, admin_headers, 2)
    old = sign(client, admin_headers)
    new_key = tmp_path / "new-key.pem"
    generated = CliRunner().invoke(cli, ["key", "generate", str(new_key)])
    assert generated.exit_code == 0 and "key_id" in generated.output
    env = {
        "ECPSC_DATABASE_URL": settings.database_url,
        "ECPSC_SIGNING_KEY_FILE": str(new_key),
        "ECPSC_SIGNING_PREVIOUS_KEYS": str(settings.signing_key_file),
    }
    result = CliRunner().invoke(
        cli, ["verify", "--checkpoint", save(tmp_path, "old.json", old)], env=env
    )
    assert result.exit_code == 0, result.output
    previous = str(settings.signing_key_file)
    rotated = settings.model_copy(
        update={"signing_key_file": new_key, "signing_previous_keys": previous}
    )

    with TestClient(create_app(rotated)) as again:
        published = again.get("/.well-known/ecpsc-signing-key").json()
    assert published["key_id"] != old["key_id"]
    assert [k["key_id"] for k in published["previous_keys"]] == [old["key_id"]]


def test_checkpoints_and_keys_are_read_from_urls(
    client: TestClient, admin_headers: dict[str, str], settings: Settings, tmp_path: Path
) -> None:
    """Given a witness's copies served over HTTP (a page of checkpoints and the published key),
    when `ecpsc verify --checkpoint URL --public-key URL` runs, then it reads both and exits 0;
    an address that does not answer is a usage error (exit 2) naming it."""
    add_users(client, admin_headers, 2)
    signed = sign(client, admin_headers)
    (tmp_path / "served").mkdir()
    save(tmp_path / "served", "page.json", {"items": [signed], "next": signed["position"]})
    save(tmp_path / "served", "key.json", client.get("/.well-known/ecpsc-signing-key").json())
    handler = functools.partial(QuietHandler, directory=str(tmp_path / "served"))
    with ThreadingHTTPServer(("127.0.0.1", 0), handler) as server:
        threading.Thread(target=server.serve_forever, daemon=True).start()
        base = f"http://127.0.0.1:{server.server_address[1]}"
        try:
            result = run(settings, "verify", "--checkpoint", f"{base}/page.json",
                         "--public-key", f"{base}/key.json")  # fmt: skip
            missing = run(settings, "verify", "--checkpoint", f"{base}/nothing.json")
        finally:
            server.shutdown()
    assert result.exit_code == 0, result.output
    assert f"extends checkpoint {signed['position']}" in result.output
    assert missing.exit_code == 2 and "nothing.json" in missing.output


class QuietHandler(SimpleHTTPRequestHandler):
    """Serves a directory without logging each request."""

    def log_message(self, format: str, *args: Any) -> None:
        """Say nothing."""


def test_a_checkpoint_of_the_empty_log_holds(settings: Settings, tmp_path: Path) -> None:
    """Given an empty store, when `ecpsc checkpoint` signs its head (position 0, the genesis
    link), then `ecpsc verify --checkpoint` accepts it."""
    signed = run(settings, "checkpoint")
    assert signed.exit_code == 0, signed.output
    checkpoint = json.loads(signed.output)
    assert (checkpoint["position"], checkpoint["head"]) == (0, "0" * 64)

    result = run(settings, "verify", "--checkpoint", save(tmp_path, "empty.json", checkpoint))

    assert result.exit_code == 0, result.output
