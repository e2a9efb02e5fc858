"""`ecpsc demo-data`: demonstration data written through the back office's own commands."""

from __future__ import annotations

import os
import random
import re
from collections import Counter
from typing import Any

import pytest
from typer.testing import CliRunner

from domain.backoffice import BackOffice
from domain.people import DEADLINE_JOBS_ID
from domain.uscc import is_valid_uscc
from ecpsc import demo_data, integrity
from ecpsc.cli import cli
from ecpsc.demo_data import (
    TRADE_CHARACTERS,
    ProjectorProcesses,
    StoreNotEmpty,
    draw_company_name,
    draw_organizations,
    fill,
    settings_env,
)
from ecpsc.services import Services
from ecpsc.settings import Settings
from ecpsc.store import eventsourcing_env, open_backoffice
from projections.registry import PROJECTIONS
from projections.runner import ReadModels
from tests.conftest import TODAY

CHINESE_COMPANY = re.compile(r"^[\u4e00-\u9fff]+有限公司$")


def quiet(_: str) -> None:
    """Progress lines are not the subject here."""


def test_thirty_certificates_fill_the_register_through_the_back_office(
    settings: Settings, request: pytest.FixtureRequest
) -> None:
    """Given an empty store, when demo-data writes 30 certificates, then the register holds 30
    certificates in a mix of statuses, each organization has a valid USCC and a Chinese company
    name, refused and unfinished applications come beside them, every certificate loads from
    its events as the register shows it, the hash chain holds, and the staff's tokens work."""
    report = fill(settings, 30, seed=1, progress=quiet)

    services: Services = request.getfixturevalue("services")
    register = services.read_models.view("register")
    rows: list[dict[str, Any]] = register.rows("SELECT * FROM register_certificates")
    assert report.certificates == len(rows) == 30
    statuses = Counter(row["status"] for row in rows)
    assert statuses["valid"] > 15 and len(statuses) >= 2, statuses
    applications = services.read_models.view("applications").rows("SELECT * FROM applications_view")
    assert len({a["uscc"] for a in applications}) == report.organizations > 30
    application_statuses = {a["status"] for a in applications}
    assert "contracted" in application_statuses and len(application_statuses) >= 2
    for row in rows:
        assert is_valid_uscc(row["uscc"]), row
        assert CHINESE_COMPANY.match(row["organization_name"]), row
        certificate = services.backoffice.get_certificate(row["number"])
        assert certificate.status_on(TODAY) == row["status"]
        assert certificate.organization["uscc"] == row["uscc"]
    assert all(is_valid_uscc(a["uscc"]) for a in applications)
    assert integrity.verify(services.backoffice, by=DEADLINE_JOBS_ID, record=False).intact
    for member in report.staff:
        actor = services.backoffice.authenticate(member.token)
        assert actor is not None and actor.roles == {member.role}


def test_with_sign_in_each_staff_member_can_sign_in_to_the_web_pages(
    settings: Settings, request: pytest.FixtureRequest
) -> None:
    """Given demo-data run with sign-in (as `make demo` runs it), when its staff sign in with the
    names and passwords it printed, then each is let in with their role."""
    report = fill(settings, 1, seed=1, progress=quiet, sign_in=True)

    services: Services = request.getfixturevalue("services")
    lines = "\n".join(demo_data.summary(report))
    assert len({m.password for m in report.staff}) == len(report.staff)
    for member in report.staff:
        assert f"{member.token}  {member.sign_in_name} {member.password}" in lines
    for member in (report.staff[0], report.staff[3]):  # the admin and an auditor
        _, actor = services.backoffice.sign_in(member.sign_in_name, member.password, "127.0.0.1")
        assert actor.id == member.id and actor.roles == {member.role}
    assert all(len(m.password) >= 10 for m in report.staff)


def test_a_store_holding_organizations_is_refused(settings: Settings) -> None:
    """Given a store already filled, when demo-data runs again, then it refuses: StoreNotEmpty,
    and the command exits with code 2 saying why."""
    fill(settings, 1, seed=1, progress=quiet)

    with pytest.raises(StoreNotEmpty):
        fill(settings, 1, seed=2, progress=quiet)
    env = {
        "ECPSC_DATABASE_URL": settings.database_url,
        "ECPSC_DOCUMENTS_DIR": str(settings.documents_dir),
        "ECPSC_TODAY": TODAY.isoformat(),
    }
    result = CliRunner().invoke(cli, ["demo-data", "--certificates", "1"], env=env)
    assert result.exit_code == 2
    assert "already holds organizations" in result.output


def test_the_same_seed_makes_the_same_organizations() -> None:
    """Given a seed, when the organizations are drawn twice, then they are the same; another
    seed draws others."""

    def names(seed: int) -> list[tuple[str, str, str]]:
        drawn = draw_organizations(random.Random(seed), 200, TODAY)
        return [(o.name, o.uscc, o.day.isoformat()) for o in drawn]

    assert names(1) == names(1)
    assert names(1) != names(2)
    assert len({uscc for _, uscc, _ in names(1)}) == len(names(1))


def test_when_a_city_s_two_character_names_are_all_taken_a_three_character_one_is_drawn() -> None:
    """Given every two-character trade name of one city and trade taken (a million-certificate
    run takes them), when another name is drawn there, then it is new, with three characters."""
    taken = {
        f"杭州{a}{b}电器有限公司"
        for a, _ in TRADE_CHARACTERS
        for b, _ in TRADE_CHARACTERS
        if a != b
    }
    before = set(taken)
    rng = random.Random(7)

    drawn = [draw_company_name(rng, "杭州", "电器", taken) for _ in range(50)]

    names = [name for name, _ in drawn]
    assert len(set(names)) == 50 and not set(names) & before
    assert all(len(name) == len("杭州") + 3 + len("电器有限公司") for name in names)
    assert all(CHINESE_COMPANY.match(name) for name in names)
    assert all(pinyin.isascii() and pinyin.isalpha() for _, pinyin in drawn)


def test_read_models_not_followed_during_the_run_catch_up_afterwards(settings: Settings) -> None:
    """Given demo-data told to build only the register while writing, when it has run, then the
    register shows every certificate while the applications view is still empty; and when the
    read models next run, the applications view catches up from the log."""
    report = fill(settings, 5, seed=3, progress=quiet, read_models_followed=["register"])

    env = eventsourcing_env(settings)
    read_models = ReadModels(env, postgres=settings.is_postgres)
    try:
        register = read_models.view("register").rows("SELECT number FROM register_certificates")
        applications = read_models.view("applications")
        assert len(register) == report.certificates == 5
        assert applications.rows("SELECT uscc FROM applications_view") == []

        # The register followed the run to its last event.
        last = read_models.view("register").max_tracking_id(BackOffice.name)
        read_models.run()
        read_models.wait(last, timeout=30)

        caught_up = read_models.view("applications").rows(
            "SELECT DISTINCT uscc FROM applications_view"
        )
        assert len(caught_up) == report.organizations
    finally:
        read_models.close()


@pytest.mark.store("postgres")
def test_a_long_run_refreshes_postgresql_s_statistics_as_the_log_grows(
    settings: Settings, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Given a PostgreSQL store whose statistics are never refreshed by autovacuum (a bulk
    load, or a server with it off), when demo-data writes past ANALYZE_FROM events, then the
    event log has been analyzed: its records are read by their index, not a parallel scan."""
    monkeypatch.setattr(demo_data, "ANALYZE_FROM", 1)

    fill(settings, 60, seed=1, progress=quiet)

    backoffice = open_backoffice(settings)
    try:
        with backoffice.recorder.datastore.transaction(commit=False) as curs:  # type: ignore[attr-defined]
            curs.execute(
                "SELECT last_analyze FROM pg_stat_user_tables WHERE relname = %s",
                [backoffice.recorder.events_table_name],  # type: ignore[attr-defined]
            )
            row = curs.fetchone()
    finally:
        backoffice.close()
    assert row is not None and row["last_analyze"] is not None


def test_demo_data_refuses_an_unknown_read_model_before_writing(settings: Settings) -> None:
    """Given a misspelt read model, when demo-data is asked to follow it, then it exits 2 naming
    the read models there are, and the store stays empty."""
    env = {"ECPSC_DATABASE_URL": settings.database_url, "ECPSC_TODAY": TODAY.isoformat()}

    result = CliRunner().invoke(
        cli, ["demo-data", "--certificates", "1", "--read-models", "register,registr"], env=env
    )

    assert result.exit_code == 2
    assert "no read model named registr" in result.output and "retention" in result.output
    backoffice = open_backoffice(settings)
    try:
        assert not backoffice.recorder.max_notification_id()
    finally:
        backoffice.close()


def test_the_projector_groups_of_some_read_models_keep_their_grouping() -> None:
    """Given some read models named, when demo-data groups them into projector processes, then
    each named one is in one group, grouped as in the full split, with no empty group."""
    named = {"register", "appeals", "retention"}

    groups = ProjectorProcesses.groups(named)

    assert sorted(n for g in groups for n in g) == sorted(named) and all(groups)
    full = ProjectorProcesses.groups()
    assert all(any(set(g) <= set(f) for f in full) for g in groups)
    assert len(groups) == 2  # register and appeals share a process; retention has its own


def test_the_projector_groups_run_every_read_model_once() -> None:
    """Given the read models, when demo-data splits them over projector processes, then each
    one is in exactly one group and no group is empty."""
    groups = ProjectorProcesses.groups()
    names = [name for group in groups for name in group]
    assert sorted(names) == sorted(m.projection_class.name for m in PROJECTIONS)
    assert all(groups)


def test_a_child_process_s_settings_are_the_parent_s(settings: Settings) -> None:
    """Given the settings of a run, when they are passed to a child process as ECPSC_*
    variables, then the child reads the same settings."""
    pinned = settings.model_copy(update={"today": TODAY, "projections": False})
    env = settings_env(pinned)
    with pytest.MonkeyPatch.context() as patch:
        for name in [n for n in os.environ if n.startswith("ECPSC_")]:
            patch.delenv(name)
        for name, value in env.items():
            patch.setenv(name, value)
        assert Settings() == pinned


def test_a_projector_asked_for_an_unknown_read_model_says_which_exist(settings: Settings) -> None:
    """Given a store, when `ecpsc projector --only` names a read model that does not exist,
    then it exits with code 2 naming it and the read models there are, and runs nothing."""
    env = {"ECPSC_DATABASE_URL": settings.database_url, "ECPSC_TODAY": TODAY.isoformat()}
    result = CliRunner().invoke(cli, ["projector", "--only", "register,registry"], env=env)
    assert result.exit_code == 2
    assert "no read model named registry" in result.output
    assert "retention" in result.output
