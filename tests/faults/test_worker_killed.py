"""A worker killed (SIGKILL) in the middle of the daily sweep (issue 9, faults): RabbitMQ
delivers the unacknowledged message again, a new worker finishes the sweep, and every change the
rules owe happens exactly once — no certificate suspended, withdrawn or expired twice.

The store is the one under test (ECPSC_TEST_STORE); the broker is the machine's RabbitMQ, in a
virtual host of this test's own so no other test's worker can take its messages. On PostgreSQL
the test keeps to about 45 connections beside another test of a parallel run: every pool keeps
one connection and may open one more, and only the worker of the moment runs the read models.
A worker that does not stop on SIGTERM is killed with its whole process group, so none outlives
the test."""

from __future__ import annotations

import contextlib
import os
import shutil
import signal
import subprocess
import sys
import time
import uuid
from collections import Counter
from collections.abc import Iterator
from datetime import date
from pathlib import Path

import pytest
from dramatiq.brokers.rabbitmq import RabbitmqBroker
from dramatiq.message import Message

from domain.certificate import Certificate
from domain.sweeps import SweepJournal
from ecpsc.demo_data import fill
from ecpsc.services import Services
from ecpsc.settings import Settings

SWEEP_DAY = date(2027, 6, 30)
"""Seven months after the demo data's today: surveillances fall overdue, suspensions end."""
CERTIFICATES = 200
"""Enough that dozens fall due: the sweep then lasts long enough for the kill to land inside it
when the machine is busy (with 40, 17 fell due and a loaded CI run saw all 17 done first)."""
CHANGES = ("Suspended", "Withdrawn", "Expired")
WAIT_SECONDS = 40
STOP_SECONDS = 10
SMALL_POOLS = {"postgres_pool_size": 1, "postgres_max_overflow": 1}


def rabbitmqctl(*args: str) -> None:
    """Run rabbitmqctl (RabbitMQ's own administration command), failing the test if absent."""
    command = shutil.which("rabbitmqctl")
    if command is None:
        pytest.fail("rabbitmqctl is missing: install rabbitmq-server", pytrace=False)
    subprocess.run([command, *args], check=True, capture_output=True, timeout=60)


@pytest.fixture
def broker_url() -> Iterator[str]:
    """A RabbitMQ virtual host of this test's own."""
    vhost = f"ecpsc-test-{uuid.uuid4().hex[:10]}"
    rabbitmqctl("add_vhost", vhost)
    try:
        rabbitmqctl("set_permissions", "-p", vhost, "guest", ".*", ".*", ".*")
        yield f"amqp://guest:guest@127.0.0.1:5672/{vhost}"
    finally:
        rabbitmqctl("delete_vhost", vhost)


def worker(settings: Settings, broker_url: str) -> subprocess.Popen[bytes]:
    """`ecpsc worker` as its own process, one thread, no schedule, today the sweep's day; it
    keeps the read models itself, so the test process runs none (fewer connections)."""
    env = {**os.environ, "ECPSC_DATABASE_URL": settings.database_url,
           "ECPSC_BROKER_URL": broker_url, "ECPSC_TODAY": SWEEP_DAY.isoformat(),
           "ECPSC_PROJECTIONS": "on", "ECPSC_LOG_FORMAT": "text",
           "ECPSC_POSTGRES_POOL_SIZE": "1", "ECPSC_POSTGRES_MAX_OVERFLOW": "1",
           "ECPSC_DOCUMENTS_DIR": str(settings.documents_path),
           "ECPSC_OUTBOX_DIR": str(settings.outbox_path)}  # fmt: skip
    ecpsc = str(Path(sys.executable).with_name("ecpsc"))
    return subprocess.Popen([ecpsc, "worker", "--threads", "1", "--no-schedule"], env=env,
                            stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
                            start_new_session=True)  # fmt: skip


def stop(process: subprocess.Popen[bytes], *, hard: bool = False) -> None:
    """Stop a worker (SIGTERM, or SIGKILL when `hard`) and wait for it; one that outlives
    STOP_SECONDS is killed with its whole process group, so it keeps no connection."""
    if process.poll() is None and not hard:
        process.send_signal(signal.SIGTERM)
        try:
            process.wait(STOP_SECONDS)
            return
        except subprocess.TimeoutExpired:
            pass
    with contextlib.suppress(ProcessLookupError):
        os.killpg(process.pid, signal.SIGKILL)  # its own session: the worker and its children
    process.wait(STOP_SECONDS)


def changes_since(services: Services, versions: dict[str, int]) -> dict[str, list[str]]:
    """The rule-driven changes recorded on each certificate since the given versions."""
    found: dict[str, list[str]] = {}
    for number, version in versions.items():
        events = services.backoffice.repository.event_store.get(
            Certificate.create_id(number), gt=version
        )
        found[number] = [type(e).__name__ for e in events if type(e).__name__ in CHANGES]
    return found


def swept(services: Services, day: date) -> bool:
    """Whether the sweep journal records the day (the sweep's last act)."""
    journal = services.backoffice.repository.get(SweepJournal.create_id())
    return bool(journal.last_swept_on and journal.last_swept_on >= day)


def test_a_worker_killed_mid_sweep_is_redelivered_and_each_change_happens_once(
    settings: Settings, broker_url: str
) -> None:
    # given a store of demonstration data as of 2026-11-28, its read models built
    settings = settings.model_copy(update=SMALL_POOLS)
    fill(settings, CERTIFICATES, seed=3, progress=lambda _: None)
    services = Services(settings.model_copy(update={"today": SWEEP_DAY}), run_projections=False)
    workers: list[subprocess.Popen[bytes]] = []
    try:
        due = services.read_models.view("certificate_deadlines").due(SWEEP_DAY)
        assert len(due) >= 10, "too few certificates fall due to see a sweep interrupted"
        versions = {n: services.backoffice.get_certificate(n).version for n in due}
        # and the sweep of 2027-06-30 waiting on the deadlines queue
        broker = RabbitmqBroker(url=broker_url, confirm_delivery=True)
        broker.declare_queue("deadlines")
        broker.enqueue(Message(queue_name="deadlines", actor_name="run_sweep",
                               args=(SWEEP_DAY.isoformat(),), kwargs={}, options={}))  # fmt: skip
        broker.close()
        last = services.backoffice.recorder.max_notification_id()
        # when a worker takes it and is killed as soon as the sweep has recorded its first change
        first = worker(settings, broker_url)
        workers.append(first)
        deadline = time.monotonic() + WAIT_SECONDS
        try:
            while services.backoffice.recorder.max_notification_id() == last:
                assert time.monotonic() < deadline, "the worker never started the sweep"
                assert first.poll() is None, "the worker stopped by itself"
                time.sleep(0.001)
        finally:
            stop(first, hard=True)
        done_before_kill = sum(bool(c) for c in changes_since(services, versions).values())
        # and a new worker is started
        second = worker(settings, broker_url)
        workers.append(second)
        deadline = time.monotonic() + WAIT_SECONDS
        try:
            while not swept(services, SWEEP_DAY):
                assert time.monotonic() < deadline, "the sweep was not finished"
                assert second.poll() is None, "the second worker stopped by itself"
                time.sleep(0.2)
            time.sleep(1)  # let a duplicate, if any, be recorded before looking
        finally:
            stop(second)
        # then the kill landed in the middle of the sweep, the redelivered message finished it,
        # and no certificate got any change twice
        assert 0 < done_before_kill < len(due), f"{done_before_kill} of {len(due)} before the kill"
        changes = changes_since(services, versions)
        assert all(changes[n] for n in due), "a due certificate was left unchanged"
        twice = {n: c for n, c in changes.items() if max(Counter(c).values()) > 1}
        assert not twice, f"changes recorded twice: {twice}"
    finally:
        for process in workers:
            stop(process, hard=True)
        services.close()
