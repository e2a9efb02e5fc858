"""README's "A first walk through the API" run as it stands (issue 21): its `bash` blocks, in
order, in one bash against a real `ecpsc serve` on a fresh store, must end with a certificate
valid on the register and on /verify — so the walk cannot rot unseen."""

from __future__ import annotations

import contextlib
import json
import os
import re
import shutil
import signal
import subprocess
import sys
import time
import urllib.error
import urllib.request
from collections.abc import Iterator
from pathlib import Path

import pytest

README = Path(__file__).resolve().parents[2] / "README.md"
SECTION = "## A first walk through the API"
ADMIN_TOKEN = "walk-admin-token"
TODAY = "2026-11-28"
START_SECONDS = 60
WALK_SECONDS = 120


def walk_blocks(readme: str) -> list[str]:
    """The ```bash blocks of the walk's section, in order (```sh blocks are not run)."""
    start = readme.index(SECTION) + len(SECTION)
    following = readme.find("\n## ", start)
    section = readme[start : following if following != -1 else len(readme)]
    return re.findall(r"^```bash\n(.*?)^```$", section, flags=re.MULTILINE | re.DOTALL)


def get(url: str) -> tuple[int, str]:
    """GET a URL: status and body."""
    try:
        with urllib.request.urlopen(url, timeout=10) as response:
            return response.status, response.read().decode()
    except urllib.error.HTTPError as error:
        return error.code, error.read().decode()


@pytest.fixture
def server(database_url: str, tmp_path: Path) -> Iterator[str]:
    """`ecpsc serve` on a free port (uvicorn picks it), a fresh store, today pinned; its URL."""
    log = tmp_path / "serve.log"
    env = {key: value for key, value in os.environ.items() if not key.startswith("ECPSC_")}
    env |= {
        "ECPSC_DATABASE_URL": database_url,
        "ECPSC_ADMIN_TOKEN": ADMIN_TOKEN,
        "ECPSC_TODAY": TODAY,
        "ECPSC_LOG_FORMAT": "text",
        "ECPSC_DOCUMENTS_DIR": str(tmp_path / "documents"),
        "ECPSC_OUTBOX_DIR": str(tmp_path / "outbox"),
    }
    ecpsc = str(Path(sys.executable).with_name("ecpsc"))
    with log.open("wb") as out:
        process = subprocess.Popen(
            [ecpsc, "serve", "--port", "0"],
            env=env,
            stdout=out,
            stderr=subprocess.STDOUT,
            start_new_session=True,
        )
    try:
        deadline = time.monotonic() + START_SECONDS
        while not (found := re.search(r"running on (http://\S+)", log.read_text(errors="replace"))):
            assert process.poll() is None, log.read_text(errors="replace")
            assert time.monotonic() < deadline, "ecpsc serve did not start\n" + log.read_text()
            time.sleep(0.2)
        yield found.group(1)
    finally:
        with contextlib.suppress(ProcessLookupError):
            os.killpg(process.pid, signal.SIGTERM)
        try:
            process.wait(15)
        except subprocess.TimeoutExpired:
            os.killpg(process.pid, signal.SIGKILL)
            process.wait(15)


def test_readme_has_the_whole_walk_in_bash_blocks() -> None:
    """Given README, when the walk's bash blocks are read, then they go from users to /verify."""
    script = "\n".join(walk_blocks(README.read_text(encoding="utf-8")))
    for call in (
        "/users",
        "/documents",
        "/applications",
        "/review",
        "/contract",
        "/audits",
        "/findings",
        "/complete",
        "/decisions",
        "/register/certificates",
        "/verify/",
    ):
        assert call in script, call
    assert "--data-urlencode 'q=商贸'" in script
    assert "<" + "sha256>" not in script and "<token" not in script


def test_the_readme_walk_ends_with_a_valid_certificate_on_verify(
    server: str, tmp_path: Path
) -> None:
    """Given a fresh server and README's walk, when its bash blocks run in one bash, in an empty
    folder, then every call succeeds and the certificate it grants is valid on the register
    and on /verify."""
    for tool in ("bash", "curl", "jq"):
        if shutil.which(tool) is None:
            pytest.fail(f"{tool} is missing: install it (Debian package {tool})", pytrace=False)
    blocks = walk_blocks(README.read_text(encoding="utf-8"))
    folder = tmp_path / "walk"
    folder.mkdir()
    env = {key: value for key, value in os.environ.items() if not key.startswith("ECPSC")}
    env |= {"ECPSC": server, "ECPSC_ADMIN_TOKEN": ADMIN_TOKEN}

    # the blocks as pasted one after another into one shell, stopping at the first failure
    walk = subprocess.run(
        ["bash", "-euo", "pipefail", "-c", "\n".join(blocks)],
        cwd=folder,
        env=env,
        capture_output=True,
        text=True,
        timeout=WALK_SECONDS,
    )

    assert walk.returncode == 0, walk.stdout + walk.stderr
    number = re.findall(r"^certificate (\S+)$", walk.stdout, flags=re.MULTILINE)
    assert len(number) == 1, walk.stdout
    assert walk.stdout.rstrip().endswith(f"有效 valid: {server}/verify/{number[0]}")
    assert {p.name for p in folder.iterdir()} >= {"application-form.pdf", "licence.pdf"}
    status, body = get(f"{server}/api/v1/register/certificates/{number[0]}")
    assert status == 200 and json.loads(body)["status"] == "valid", body
    status, page = get(f"{server}/verify/{number[0]}")
    assert status == 200 and "有效" in page and number[0] in page
