"""How fast the staff pages answer on a store full of data (issue 8: no page over 300 ms on the
embedded store holding 10,000 certificates).

    ecpsc demo-data --certificates 10000          # once, into ECPSC_DATABASE_URL
    python -m bench.pages --rounds 20             # then this, on the same store

A real server (uvicorn, in this process, on a free loopback port) serves the store; a staff
member holding every working role signs in through the form and every page is fetched `rounds`
times after two warm-up fetches. Prints a table (p50, p95, max in ms, status) and writes JSON
with the machine, the store and the commit.
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import secrets
import socket
import statistics
import subprocess
import threading
import time
from datetime import date
from pathlib import Path
from typing import Any

import httpx
import uvicorn

from api.main import create_app
from ecpsc.settings import Settings

GOAL_MS = 300.0
ROLES = ["intake", "planner", "auditor", "decision_maker", "appeals_officer",
         "compliance_officer"]  # fmt: skip
PASSWORD = "bench password, long enough"


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def _start(settings: Settings) -> tuple[uvicorn.Server, threading.Thread, Any, str]:
    port = _free_port()
    app = create_app(settings)
    server = uvicorn.Server(uvicorn.Config(app, host="127.0.0.1", port=port, log_level="warning"))
    thread = threading.Thread(target=server.run, daemon=True)
    thread.start()
    deadline = time.monotonic() + 120
    while not server.started:
        if time.monotonic() > deadline or not thread.is_alive():
            raise SystemExit("the server did not start")
        time.sleep(0.05)
    return server, thread, app, f"http://127.0.0.1:{port}"


def _signed_in(base: str, admin: dict[str, str]) -> httpx.Client:
    client = httpx.Client(base_url=base, timeout=60)
    name = f"bench-{secrets.token_hex(4)}"
    made = client.post("/api/v1/users", json={"name": "基准测试员", "roles": ROLES}, headers=admin)
    made.raise_for_status()
    user_id = made.json()["id"]
    client.post(f"/api/v1/users/{user_id}/password",
                json={"sign_in_name": name, "password": PASSWORD},
                headers=admin).raise_for_status()  # fmt: skip
    form = client.get("/sign-in").text
    token = form.split('name="csrf_token" value="', 1)[1].split('"', 1)[0]
    answer = client.post("/sign-in", data={"sign_in_name": name, "password": PASSWORD,
                                           "csrf_token": token, "next": "/"})  # fmt: skip
    if answer.status_code >= 400 or "ecpsc_session" not in client.cookies:
        raise SystemExit(f"could not sign in: {answer.status_code}")
    return client


def _first(rows: Any) -> dict[str, Any] | None:
    items = rows[0] if isinstance(rows, tuple) else rows
    return items[0] if items else None


def _pages(app: Any) -> list[str]:
    """The pages to time, with ids taken from the read models (the busiest organization)."""
    views = app.state.services.read_models
    today = app.state.services.backoffice.today()
    urls = ["/", "/applications", "/audits", "/certificates", "/appeals", "/retention",
            "/organizations?q=有限公司", "/certificates?q=电器"]  # fmt: skip
    urls += [f"/work/{key}" for key in ("to-review", "to-plan", "surveillance-due",
             "awaiting-decision", "suspensions-ending", "appeals", "exceptions")]  # fmt: skip
    register = views.view("register")
    first_certificate = _first(register.search(today=today, limit=1))
    if first_certificate:
        urls.append(f"/certificates/{first_certificate['number']}")
        uscc = first_certificate["uscc"]
        urls += [f"/organizations/{uscc}", f"/organizations/{uscc}?as_of={today.isoformat()}"]
    application = _first(views.view("applications").page(None, None, 0, 1))
    if application:
        urls.append(f"/applications/{application['id']}")
    try:
        audit = _first(views.view("audit_worklist").page("completed", 0, 1))
        if audit:
            urls += [f"/audits/{audit['id']}", f"/decisions/new?audit_id={audit['id']}"]
    except Exception:  # the read model may be absent on an older store
        pass
    appeal = _first(views.view("appeals").queue(today, None, limit=1))
    if appeal:
        urls.append(f"/appeals/{appeal['id']}")
    return urls


def _time(client: httpx.Client, url: str, rounds: int) -> dict[str, Any]:
    statuses = set()
    for _ in range(2):
        client.get(url)
    samples = []
    for _ in range(rounds):
        started = time.perf_counter()
        answer = client.get(url)
        samples.append((time.perf_counter() - started) * 1000)
        statuses.add(answer.status_code)
    samples.sort()
    return {
        "url": url,
        "status": sorted(statuses),
        "p50_ms": round(statistics.median(samples), 1),
        "p95_ms": round(samples[max(0, int(len(samples) * 0.95) - 1)], 1),
        "max_ms": round(samples[-1], 1),
        "bytes": len(client.get(url).content),
    }


def _commit() -> str:
    try:
        return subprocess.run(["git", "rev-parse", "--short", "HEAD"], capture_output=True,
                              text=True, check=True).stdout.strip()  # fmt: skip
    except (OSError, subprocess.CalledProcessError):
        return "unknown"


def main() -> None:
    """Time every staff page and print the table."""
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument(
        "--database-url", default=os.environ.get("ECPSC_DATABASE_URL", "sqlite:///var/ecpsc.sqlite")
    )
    parser.add_argument("--today", default=os.environ.get("ECPSC_TODAY"))
    parser.add_argument("--rounds", type=int, default=20)
    parser.add_argument("--json", type=Path, default=Path("bench/results/pages.json"))
    args = parser.parse_args()
    admin_token = secrets.token_urlsafe(16)
    settings = Settings(
        database_url=args.database_url, admin_token=admin_token, daily_jobs=False,
        today=date.fromisoformat(args.today) if args.today else None,
    )  # fmt: skip
    server, thread, app, base = _start(settings)
    try:
        certificates = app.state.services.read_models.view("register").search(
            today=app.state.services.backoffice.today(), limit=1
        )[1]
        client = _signed_in(base, {"Authorization": f"Bearer {admin_token}"})
        results = [_time(client, url, args.rounds) for url in _pages(app)]
    finally:
        server.should_exit = True
        thread.join(30)
    print(f"staff pages · {certificates} certificates · {args.database_url} · "
          f"{args.rounds} rounds · goal p95 ≤ {GOAL_MS:.0f} ms")  # fmt: skip
    print(f"{'page':58} {'status':>7} {'p50':>8} {'p95':>8} {'max':>8} {'KB':>6}")
    for r in results:
        flag = "" if r["p95_ms"] <= GOAL_MS and r["status"] == [200] else "  ✗"
        print(
            f"{r['url'][:58]:58} {','.join(map(str, r['status'])):>7} {r['p50_ms']:>8.1f} "
            f"{r['p95_ms']:>8.1f} {r['max_ms']:>8.1f} {r['bytes'] / 1024:>6.1f}{flag}"
        )
    args.json.parent.mkdir(parents=True, exist_ok=True)
    args.json.write_text(json.dumps({
        "benchmark": "staff pages", "goal_p95_ms": GOAL_MS, "certificates": certificates,
        "store": args.database_url.split("@")[-1], "rounds": args.rounds, "commit": _commit(),
        "machine": {"python": platform.python_version(), "platform": platform.platform(),
                    "cpus": os.cpu_count()},
        "results": results,
    }, ensure_ascii=False, indent=2))  # fmt: skip


if __name__ == "__main__":
    main()
