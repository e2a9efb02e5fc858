"""One daily run, however triggered, records the day's changes and sends its notices once.

`POST /sweeps`, `ecpsc sweep` and the workers' daily run all go through
`deadline_jobs.run_day`: an on-demand sweep of a day sends that day's expiry reminders, and the
daily run owed afterwards sends nothing again (issue 18 item 7).
"""

from __future__ import annotations

from collections.abc import Iterator
from email import message_from_bytes
from email.message import EmailMessage
from email.policy import default
from pathlib import Path

import pytest
from fastapi.testclient import TestClient
from typer.testing import CliRunner

from api.main import create_app
from ecpsc.cli import cli
from ecpsc.notifier import Notice
from ecpsc.settings import Settings
from tests.api.lifecycle_office import LifecycleOffice
from tests.api.test_decisions_api import uscc
from tests.workers.test_deadline_actors import run_daily_jobs
from workers.broker import make_broker
from workers.context import use_services

REMINDER_SUBJECT = "证书到期提醒 / Certificates expiring soon — 2026-11-28（1）"


@pytest.fixture
def office(client: TestClient, admin_headers: dict[str, str]) -> Iterator[LifecycleOffice]:
    """Staff on a fresh server (today 2026-11-28) whose services the actors use."""
    use_services(client.app.state.services)  # type: ignore[attr-defined]
    try:
        yield LifecycleOffice(client, admin_headers)
    finally:
        use_services(None)


def expiring_in_thirty_days(office: LifecycleOffice, code: int) -> str:
    """A certificate issued 2023-12-29, surveilled on time, expiring 2026-12-28: 30 days after
    2026-11-28, the day its 30-day reminder is due; its number."""
    number = office.certificate(uscc(code), "2023-12-29", contact_email="r@example.cn")
    office.surveil(number, "2024-12-01")
    office.surveil(number, "2025-12-01")
    return number


def outbox(settings: Settings) -> list[EmailMessage]:
    """The messages written to the outbox, oldest file name first."""
    return [
        message_from_bytes(path.read_bytes(), policy=default)  # type: ignore[misc]
        for path in sorted(settings.outbox_path.glob("*.eml"))
    ]


def test_the_on_demand_sweep_sends_the_days_reminder_and_the_daily_run_nothing_more(
    office: LifecycleOffice, settings: Settings
) -> None:
    """Given a certificate whose 30-day expiry reminder is due on 2026-11-28, when an admin
    sweeps that day on demand, then the answer counts one notice and the contact has one
    reminder naming it, its subject whole; when the same sweep is posted again, and when the
    daily run owed for the day runs through the workers, nothing more is sent."""
    number = expiring_in_thirty_days(office, 621)
    swept = office.post("/sweeps", {"as_of": "2026-11-28"}, office.admin)
    assert swept.status_code == 200, swept.text
    assert (swept.json()["changes"], swept.json()["notices_sent"]) == ([], 1)
    (reminder,) = outbox(settings)
    assert reminder["To"].addresses[0].addr_spec == "r@example.cn"
    assert reminder["Subject"] == REMINDER_SUBJECT
    body = reminder.get_body().get_content()  # type: ignore[union-attr]
    assert number in body and "还有 30 天" in body

    again = office.post("/sweeps", {"as_of": "2026-11-28"}, office.admin)
    assert (again.json()["changes"], again.json()["notices_sent"]) == ([], 0)
    run_daily_jobs(make_broker(Settings()))
    assert len(outbox(settings)) == 1


def test_the_daily_run_sends_the_reminder_of_a_day_nobody_swept(
    office: LifecycleOffice, settings: Settings
) -> None:
    """Given the same certificate and no sweep yet, when the daily run goes through the
    workers, then the reminder goes out once; a later on-demand sweep of the day sends none."""
    expiring_in_thirty_days(office, 622)
    run_daily_jobs(make_broker(Settings()))
    assert [m["Subject"] for m in outbox(settings)] == [REMINDER_SUBJECT]
    swept = office.post("/sweeps", {"as_of": "2026-11-28"}, office.admin)
    assert swept.json()["notices_sent"] == 0
    assert len(outbox(settings)) == 1


def test_ecpsc_sweep_sends_the_days_notices_too(
    office: LifecycleOffice, settings: Settings
) -> None:
    """Given the certificate due its reminder, when `ecpsc sweep --as-of 2026-11-28` runs on
    the same store, then it says one notice was sent and the outbox holds that reminder."""
    expiring_in_thirty_days(office, 623)
    env = {
        "ECPSC_DATABASE_URL": settings.database_url,
        "ECPSC_TODAY": "2026-11-28",
        "ECPSC_OUTBOX_DIR": str(settings.outbox_path),
    }
    result = CliRunner().invoke(cli, ["sweep", "--as-of", "2026-11-28"], env=env)
    assert result.exit_code == 0, result.output
    assert "1 notice(s) sent" in result.output
    assert [m["Subject"] for m in outbox(settings)] == [REMINDER_SUBJECT]


@pytest.mark.parametrize(
    "subject",
    [
        REMINDER_SUBJECT,
        "证书撤销通知 / Notice of withdrawal — ZPIC-SC-2023-00001",
        "申诉投诉每日提醒 / Appeals digest 2026-11-28：3 件，逾期 1 件",
        "A plain subject long enough to be folded across two lines by the mail policy, spaces kept",
    ],
)
def test_a_folded_subject_keeps_every_space(subject: str, tmp_path: Path) -> None:
    """Given a subject longer than one header line, when the notice is written as an e-mail
    and read back, then the subject decodes exactly, spaces included ("expiring soon")."""
    notice = Notice(key="k", recipient="a@example.cn", recipient_name="联系人", subject=subject,
                    body="正文 / body")  # fmt: skip
    raw = bytes(notice.message("ecpsc@example.cn"))
    assert b"\nSubject: " in raw and b"\n " in raw.split(b"\nDate:")[0]  # it was folded
    read: EmailMessage = message_from_bytes(raw, policy=default)  # type: ignore[assignment]
    assert read["Subject"] == subject


def test_a_notice_the_mail_server_refuses_is_sent_by_the_next_run_of_the_day(
    settings: Settings, admin_headers: dict[str, str]
) -> None:
    """Given a reminder due on 2026-11-28 and a mail server that refuses connections, when the
    day is swept on demand, then 200: the day is recorded, one notice failed and nothing was
    sent; when the day is swept again with the mail working (the outbox), the reminder goes."""
    unreachable = settings.model_copy(update={"smtp_url": "smtp://127.0.0.1:1"})
    with TestClient(create_app(unreachable)) as client:
        office = LifecycleOffice(client, admin_headers)
        expiring_in_thirty_days(office, 624)
        swept = office.post("/sweeps", {"as_of": "2026-11-28"}, office.admin)
        assert swept.status_code == 200, swept.text
        assert (swept.json()["notices_sent"], swept.json()["notices_failed"]) == (0, 1)
        assert client.app.state.services.backoffice.days_to_sweep() == []  # type: ignore[attr-defined]
    assert outbox(settings) == []
    with TestClient(create_app(settings)) as client:
        office = LifecycleOffice(client, admin_headers)
        again = office.post("/sweeps", {"as_of": "2026-11-28"}, office.admin)
        assert (again.json()["notices_sent"], again.json()["notices_failed"]) == (1, 0)
    assert [m["Subject"] for m in outbox(settings)] == [REMINDER_SUBJECT]
