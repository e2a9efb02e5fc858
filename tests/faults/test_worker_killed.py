"""A worker killed (SIGKILL) in the middle of the daily sweep (issue 9, faults): RabbitMQ
delivers the unacknowledged message again, a new worker finishes the sweep, and every change the
rules owe happens exactly once — no certificate suspended, withdrawn or expired twice.

The store is the one under test (ECPSC_TEST_STORE); the broker is the machine's RabbitMQ, in a
virtual host of this test's own so no other test's worker can take its messages."""

from __future__ import annotations

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
from ecpsc.demo_data import fill
from ecpsc.services import Services
from ecpsc.settings import Settings

SWEEP_DAY = date(2027, 6, 30)
"""Seven months after the demo data's today: surveillances fall overdue, suspensions end."""
CHANGES = ("Suspended", "Withdrawn", "Expired")
WAIT_SECONDS = 120


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
    rabbitmqctl("set_permissions", "-p", vhost, "guest", ".*", ".*", ".*")
    try:
        yield f"amqp://guest:guest@127.0.0.1:5672/{vhost}"
    finally:
        rabbitmqctl("delete_vhost", vhost)


def worker(settings: Settings, broker_url: str) -> subprocess.Popen[bytes]:
    """`ecpsc worker` as its own process, one thread, no schedule, today the sweep's day."""
    env = {**os.environ, "ECPSC_DATABASE_URL": settings.database_url,
           "ECPSC_BROKER_URL": broker_url, "ECPSC_TODAY": SWEEP_DAY.isoformat(),
           "ECPSC_PROJECTIONS": "off", "ECPSC_LOG_FORMAT": "text",
           "ECPSC_DOCUMENTS_DIR": str(settings.documents_path),
           "ECPSC_OUTBOX_DIR": str(settings.outbox_path)}  # fmt: skip
    ecpsc = str(Path(sys.executable).with_name("ecpsc"))
    return subprocess.Popen([ecpsc, "worker", "--threads", "1", "--no-schedule"], env=env,
                            stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)  # fmt: skip


def changes_since(services: Services, versions: dict[str, int]) -> dict[str, list[str]]:
    """The rule-driven changes recorded on each certificate since the given versions."""
    found: dict[str, list[str]] = {}
    for number, version in versions.items():
        events = services.backoffice.repository.event_store.get(
            Certificate.create_id(number), gt=version
        )
        found[number] = [type(e).__name__ for e in events if type(e).__name__ in CHANGES]
    return found


def test_a_worker_killed_mid_sweep_is_redelivered_and_each_change_happens_once(
    settings: Settings, broker_url: str
) -> None:
    # given a store of demonstration data as of 2026-11-28, kept by a projector
    fill(settings, 40, seed=3, progress=lambda _: None)
    projector = Services(settings.model_copy(update={"today": SWEEP_DAY}), run_projections=True)
    try:
        projector.settle()
        due = projector.read_models.view("certificate_deadlines").due(SWEEP_DAY)
        assert len(due) >= 10, "too few certificates fall due to see a sweep interrupted"
        versions = {n: projector.backoffice.get_certificate(n).version for n in due}
        # and the sweep of 2027-06-30 waiting on the deadlines queue
        broker = RabbitmqBroker(url=broker_url, confirm_delivery=True)
        broker.declare_queue("deadlines")
        broker.enqueue(Message(queue_name="deadlines", actor_name="run_sweep",
                               args=(SWEEP_DAY.isoformat(),), kwargs={}, options={}))  # fmt: skip
        broker.close()
        last = projector.backoffice.recorder.max_notification_id()
        # when a worker takes it and is killed as soon as the sweep has recorded its first change
        first = worker(settings, broker_url)
        deadline = time.monotonic() + WAIT_SECONDS
        try:
            while projector.backoffice.recorder.max_notification_id() == last:
                assert time.monotonic() < deadline, "the worker never started the sweep"
                assert first.poll() is None, "the worker stopped by itself"
                time.sleep(0.001)
        finally:
            first.send_signal(signal.SIGKILL)
            first.wait(30)
        done_before_kill = sum(bool(c) for c in changes_since(projector, versions).values())
        # and a new worker is started
        second = worker(settings, broker_url)
        try:
            while True:
                projector.settle()
                if not projector.read_models.view("certificate_deadlines").due(SWEEP_DAY):
                    break
                assert time.monotonic() < deadline + WAIT_SECONDS, "the sweep was not finished"
                time.sleep(0.2)
            time.sleep(1)  # let a duplicate, if any, be recorded before looking
        finally:
            second.send_signal(signal.SIGTERM)
            second.wait(60)
        # then the kill landed in the middle of the sweep, the redelivered message finished it,
        # and no certificate got any change twice
        assert 0 < done_before_kill < len(due), f"{done_before_kill} of {len(due)} before the kill"
        changes = changes_since(projector, versions)
        assert all(changes[n] for n in due), "a due certificate was left unchanged"
        twice = {n: c for n, c in changes.items() if max(Counter(c).values()) > 1}
        assert not twice, f"changes recorded twice: {twice}"
    finally:
        projector.close()
