"""The deadline jobs as dramatiq actors (rules.md §6, §8; api.md POST /sweeps, ECPSC_DAILY_JOBS).

Given/when/then around a broker and a worker: dramatiq's stub broker in process, and the
machine's real Redis, as `ecpsc worker` would use it.
"""

from __future__ import annotations

import socket
import time
from collections.abc import Iterator
from datetime import UTC, date, datetime
from email import message_from_bytes
from email.header import decode_header, make_header
from email.message import EmailMessage
from email.policy import default
from pathlib import Path

import pytest
from dramatiq import Worker
from dramatiq.broker import Broker
from fastapi.testclient import TestClient

from api.main import create_app
from domain.certificate import Certificate
from domain.sweeps import SweepJournal
from ecpsc.services import Services
from ecpsc.settings import Settings
from tests.api.conftest import API
from tests.api.lifecycle_office import LifecycleOffice
from tests.api.test_decisions_api import uscc
from workers import actors
from workers.broker import make_broker
from workers.context import use_services
from workers.schedule import next_run

QUEUES = (actors.DEADLINES_QUEUE, actors.NOTICES_QUEUE)


def bind(broker: Broker) -> None:
    """Point the actors at a broker (each test has its own)."""
    for actor in actors.ACTORS:
        actor.broker = broker
        broker.declare_actor(actor)


def drain(broker: Broker, worker: Worker) -> None:
    """Wait until both queues are empty twice over (a job may enqueue notices)."""
    for _ in range(2):
        for queue in QUEUES:
            broker.join(queue, timeout=30_000)
    worker.join()


@pytest.fixture
def office(client: TestClient, admin_headers: dict[str, str]) -> Iterator[LifecycleOffice]:
    """Staff on a fresh server whose services the actors use."""
    use_services(client.app.state.services)  # type: ignore[attr-defined]
    try:
        yield LifecycleOffice(client, admin_headers)
    finally:
        use_services(None)


def services_of(office: LifecycleOffice) -> Services:
    return office.client.app.state.services  # type: ignore[attr-defined,no-any-return]


def run_daily_jobs(broker: Broker) -> None:
    """Send the daily jobs and let a worker do them."""
    bind(broker)
    worker = Worker(broker, worker_threads=2, worker_timeout=100)
    worker.start()
    try:
        actors.daily_jobs.send()
        drain(broker, worker)
    finally:
        worker.stop()


@pytest.mark.parametrize("url", [None, "redis://127.0.0.1:6379/13"], ids=["stub", "redis"])
def test_the_daily_jobs_suspend_withdraw_and_notify_once(
    office: LifecycleOffice, settings: Settings, url: str | None
) -> None:
    """Given a certificate issued 2023-01-10 whose surveillance went overdue, when the daily
    jobs run through the broker (stub, then the machine's Redis), then it is suspended
    effective 2024-01-11 and withdrawn effective 2024-04-11, and the contact gets one notice of
    the withdrawal (the version the sweep left), Chinese first; when they run again, nothing
    more happens."""
    number = office.certificate(uscc(601), "2023-01-10")
    broker = make_broker(Settings(broker_url=url))
    if url:
        broker.flush_all()  # type: ignore[attr-defined]
    try:
        run_daily_jobs(broker)
        certificate = services_of(office).backoffice.get_certificate(number)
        assert (certificate.status, certificate.withdrawn_on) == ("withdrawn", date(2024, 4, 11))
        notices = sorted(settings.outbox_path.glob("*.eml"))
        assert len(notices) == 1
        message = message_from_bytes(notices[0].read_bytes(), policy=default)
        assert message["Subject"] == f"证书撤销通知 / Notice of withdrawal — {number}"
        assert message["To"] == "联系人 <c@example.cn>"
        body = message.get_body().get_content()  # type: ignore[union-attr]
        assert body.index("撤销") < body.index("withdrawn") and "2024-04-11" in body

        versions = certificate.version
        run_daily_jobs(broker)
        assert services_of(office).backoffice.get_certificate(number).version == versions
        assert sorted(settings.outbox_path.glob("*.eml")) == notices
    finally:
        broker.close()


def test_the_daily_run_catches_up_every_missed_day(office: LifecycleOffice) -> None:
    """Given the last sweep on 2026-11-25, when the daily jobs run on 2026-11-28, then each of
    2026-11-26, 27 and 28 is swept, in order, and nothing is left to catch up."""
    backoffice = services_of(office).backoffice
    backoffice.sweep(date(2026, 11, 25), [])
    assert backoffice.days_to_sweep() == [
        date(2026, 11, 26),
        date(2026, 11, 27),
        date(2026, 11, 28),
    ]
    run_daily_jobs(make_broker(Settings()))
    journal = backoffice.repository.get(SweepJournal.create_id())
    swept = [
        e.as_of
        for e in backoffice.repository.event_store.get(journal.id)
        if isinstance(e, SweepJournal.DaySwept)
    ]
    assert swept == [date(2026, 11, d) for d in (25, 26, 27, 28)]
    assert backoffice.days_to_sweep() == []


def test_a_notice_is_rendered_from_the_version_that_made_the_change(
    office: LifecycleOffice, settings: Settings
) -> None:
    """Given a certificate suspended and later reinstated, when the notice of the suspension's
    version is sent, then it tells of the suspension (not today's valid state), once."""
    number = office.certificate(uscc(602), "2026-01-10")
    suspended = office.post(
        f"/certificates/{number}/suspension",
        {
            "reason": "requested_by_organization",
            "verified_on": "2026-06-01",
            "effective_on": "2026-06-01",
        },
        office.decider,
    )
    assert suspended.status_code == 200, suspended.text
    version = suspended.json()["version"]
    reinstated = office.post(
        f"/certificates/{number}/reinstatement",
        {"verified_on": "2026-07-01", "effective_on": "2026-07-01"},
        office.decider,
    )
    assert reinstated.status_code == 200, reinstated.text
    actors.notify_certificate_change.fn(number, version)
    actors.notify_certificate_change.fn(number, version)
    (notice,) = settings.outbox_path.glob("*.eml")
    message = message_from_bytes(notice.read_bytes(), policy=default)
    assert message["Subject"].startswith("证书暂停通知")
    body = message.get_body().get_content()  # type: ignore[union-attr]
    assert "2026-06-01" in body and "2026-08-31" in body


def test_the_server_runs_the_daily_jobs_in_process_unless_told_not_to(
    settings: Settings,
) -> None:
    """Given `ecpsc serve`'s app with ECPSC_DAILY_JOBS on, when it starts, then today's
    deadline jobs run in process; with it off, they do not."""
    for daily_jobs, expected in ((False, [date(2026, 11, 28)]), (True, [])):
        app = create_app(settings.model_copy(update={"daily_jobs": daily_jobs}))
        with TestClient(app) as client:
            backoffice = client.app.state.services.backoffice  # type: ignore[attr-defined]
            deadline = time.monotonic() + 30
            while backoffice.days_to_sweep() != expected and time.monotonic() < deadline:
                time.sleep(0.05)
            assert backoffice.days_to_sweep() == expected


@pytest.mark.parametrize(
    ("now", "expected"),
    [
        # 2026-11-28 23:00 UTC is 2026-11-29 07:00 CST: the next run is 2026-11-30 00:05 CST.
        (datetime(2026, 11, 28, 23, 0, tzinfo=UTC), datetime(2026, 11, 29, 16, 5, tzinfo=UTC)),
        # 2026-11-28 16:04 UTC is 00:04 CST on the 29th: one minute to go.
        (datetime(2026, 11, 28, 16, 4, tzinfo=UTC), datetime(2026, 11, 28, 16, 5, tzinfo=UTC)),
        # Exactly at the run time, the next is a day later.
        (datetime(2026, 11, 28, 16, 5, tzinfo=UTC), datetime(2026, 11, 29, 16, 5, tzinfo=UTC)),
    ],
)
def test_the_schedule_runs_just_after_midnight_china_standard_time(
    now: datetime, expected: datetime
) -> None:
    """Given a moment in UTC, then the next daily run is the next 00:05 in China Standard
    Time (UTC+8), strictly after it."""
    assert next_run(now) == expected


def test_certificates_of_other_numbers_are_untouched(office: LifecycleOffice) -> None:
    """Given one overdue certificate and one issued last month, when the daily jobs run, then
    only the overdue one changes."""
    overdue = office.certificate(uscc(603), "2023-01-10")
    recent = office.certificate(uscc(604), "2026-10-10")
    run_daily_jobs(make_broker(Settings()))
    backoffice = services_of(office).backoffice
    assert backoffice.get_certificate(overdue).status == "withdrawn"
    fresh: Certificate = backoffice.get_certificate(recent)
    assert (fresh.status, fresh.version) == ("valid", 1)


def test_outbox_is_beside_the_embedded_store(tmp_path: Path) -> None:
    """Given the embedded store in a folder, then notices go to its outbox/ folder."""
    settings = Settings(database_url=f"sqlite:///{tmp_path}/ecpsc.sqlite")
    assert settings.outbox_path == tmp_path / "outbox"


# -- expiry reminders (6.1) -------------------------------------------------------------------


def eml(settings: Settings) -> list[EmailMessage]:
    """The messages in the outbox."""
    return [
        message_from_bytes(path.read_bytes(), policy=default)  # type: ignore[misc]
        for path in sorted(settings.outbox_path.glob("*.eml"))
    ]


def test_expiry_reminders_are_batched_per_recipient_per_day(
    office: LifecycleOffice, settings: Settings
) -> None:
    """Given certificates of one contact expiring in 30 days (2026-12-28) and in 90 days
    (2027-02-26), one of another contact expiring in 7 days (2026-12-05), and one expiring in
    47 days, when the reminders of 2026-11-28 are sent, then each contact gets exactly one
    message listing theirs, and sending again sends nothing."""
    thirty = office.certificate(uscc(611), "2023-12-29", contact_email="a@example.cn")
    ninety = office.certificate(uscc(612), "2024-02-27", contact_email="a@example.cn")
    seven = office.certificate(uscc(613), "2023-12-06", contact_email="b@example.cn")
    office.certificate(uscc(614), "2024-01-15", contact_email="a@example.cn")
    actors.send_expiry_reminders.fn("2026-11-28")
    messages = {m["To"].addresses[0].addr_spec: m for m in eml(settings)}
    assert set(messages) == {"a@example.cn", "b@example.cn"}
    body_a = messages["a@example.cn"].get_body().get_content()  # type: ignore[union-attr]
    assert body_a.index(thirty) < body_a.index(ninety)
    assert "还有 30 天" in body_a and "还有 90 天" in body_a and "2027-01-14" not in body_a
    assert messages["a@example.cn"]["Subject"].startswith("证书到期提醒 / Certificates expiring")
    body_b = messages["b@example.cn"].get_body().get_content()  # type: ignore[union-attr]
    assert seven in body_b and "还有 7 天" in body_b
    actors.send_expiry_reminders.fn("2026-11-28")
    assert len(eml(settings)) == 2


def test_no_reminder_for_a_certificate_already_recertified_or_withdrawn(
    office: LifecycleOffice, settings: Settings
) -> None:
    """Given a certificate expiring in 30 days that was withdrawn, when the reminders are sent,
    then none goes out."""
    number = office.certificate(uscc(615), "2023-12-29")
    office.surveil(number, "2024-12-01")
    office.surveil(number, "2025-12-01")
    withdrawn = office.post(
        f"/certificates/{number}/withdrawal",
        {"reason": "other", "verified_on": "2026-11-02", "effective_on": "2026-11-02"},
        office.decider,
    )
    assert withdrawn.status_code == 200, withdrawn.text
    actors.send_expiry_reminders.fn("2026-11-28")
    assert eml(settings) == []


def test_notices_go_out_over_smtp_when_configured(office: LifecycleOffice) -> None:
    """Given ECPSC_SMTP_URL pointing at an SMTP server, when a reminder is sent, then the
    server receives it from the configured sender to the contact, in UTF-8 Chinese."""
    from aiosmtpd.controller import Controller
    from aiosmtpd.handlers import Message

    received: list[EmailMessage] = []

    class Keep(Message):  # type: ignore[misc]
        def handle_message(self, message: EmailMessage) -> None:
            received.append(message)

    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    controller = Controller(Keep(), hostname="127.0.0.1", port=port)
    controller.start()
    services = services_of(office)
    original = services.settings
    try:
        services.settings = original.model_copy(update={"smtp_url": f"smtp://127.0.0.1:{port}"})
        number = office.certificate(uscc(616), "2023-12-29", contact_email="smtp@example.cn")
        actors.send_expiry_reminders.fn("2026-11-28")
    finally:
        services.settings = original
        controller.stop()
    assert len(received) == 1
    assert received[0]["X-RcptTo"] == "smtp@example.cn"
    assert str(make_header(decode_header(received[0]["From"]))) == original.mail_from
    assert number in received[0].get_payload(decode=True).decode("utf-8")


# -- the appeals digest (9) -------------------------------------------------------------------


def test_each_appeals_officer_gets_one_digest_of_urgent_cases_a_day(
    office: LifecycleOffice, settings: Settings
) -> None:
    """Given two appeals officers with e-mail (and one without), and complaints received
    2026-09-01 (overdue), 2026-10-20 (due 2026-12-19, 21 days left: not listed) and 2026-10-10
    (due 2026-12-09, 11 days left), when the daily jobs run on 2026-11-28, then each officer
    with an address gets one digest listing the overdue case before the one due in 11 days;
    run again the same day, nothing more is sent."""
    officers = []
    for name, email in (("申诉专员甲", "a.officer@ecpsc.cn"), ("申诉专员乙", "b.officer@ecpsc.cn")):
        body = {"name": name, "roles": ["appeals_officer"], "email": email}
        response = office.client.post(f"{API}/users", json=body, headers=office.admin)
        assert response.status_code == 201, response.text
        officers.append(response.json())
    officer_headers = {"Authorization": f"Bearer {officers[0]['token']}"}
    office.user("无邮箱专员", "appeals_officer")
    ids = {}
    for day in ("2026-09-01", "2026-10-20", "2026-10-10"):
        received = office.client.post(
            f"{API}/appeals",
            json={
                "kind": "complaint",
                "subject": {},
                "appellant": {"name": "消费者", "contact": "x"},
                "received_on": day,
                "text": "售后服务投诉",
            },
            headers=officer_headers,
        )
        assert received.status_code == 201, received.text
        ids[day] = received.json()["id"]
    run_daily_jobs(make_broker(Settings()))
    run_daily_jobs(make_broker(Settings()))
    messages = eml(settings)
    assert sorted(m["To"].addresses[0].addr_spec for m in messages) == [
        "a.officer@ecpsc.cn",
        "b.officer@ecpsc.cn",
    ]
    body = messages[0].get_body().get_content()  # type: ignore[union-attr]
    assert body.index(ids["2026-09-01"]) < body.index(ids["2026-10-10"])
    assert ids["2026-10-20"] not in body
    assert "已逾期 28 天" in body and "还有 11 天" in body
    assert "2 件，逾期 1 件" in messages[0]["Subject"]
