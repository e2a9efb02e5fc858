"""A read model applies a run of events in one transaction: all of them or none, each once."""

from __future__ import annotations

import time
from concurrent.futures import ThreadPoolExecutor
from datetime import date
from typing import Any

import pytest
from eventsourcing.persistence import Tracking

from ecpsc.services import Services
from projections.view import Statement
from tests.factories import VALID_USCCS

PROBE = "BatchProbe"
"""A tracking name of its own, so the probe never meets the running projections' records."""


def _change(cursor: int) -> Statement:
    return (
        "INSERT INTO register_changes (cursor, number, change, at) VALUES (?, ?, ?, ?)",
        [cursor, f"PROBE-{cursor}", "issued", "2026-11-28T00:00:00+00:00"],
    )


def _probe_rows(view: Any) -> list[dict[str, Any]]:
    return view.rows(
        "SELECT cursor FROM register_changes WHERE number LIKE 'PROBE-%' ORDER BY cursor"
    )


def test_a_batch_that_fails_part_way_leaves_no_row_and_no_tracking(services: Services) -> None:
    # given the register's view
    view = services.read_models.view("register")
    # when two events are applied in one batch and the third fails
    with pytest.raises(RuntimeError), view.batched():
        view.write([_change(900_001)], Tracking(PROBE, 1))
        view.write([_change(900_002)], Tracking(PROBE, 2))
        raise RuntimeError("the third event could not be applied")
    # then neither the rows nor the tracking of the first two were kept: they will be applied again
    assert _probe_rows(view) == []
    assert not view.has_tracking_id(PROBE, 1)
    assert view.max_tracking_id(PROBE) is None


def test_inside_a_batch_the_projection_sees_its_own_rows_and_readers_see_them_at_commit(
    services: Services,
) -> None:
    # given the register's view and another thread reading it
    view = services.read_models.view("register")
    with ThreadPoolExecutor(max_workers=1) as reader:
        # when one event is applied in an open batch, and an event it does not handle follows
        with view.batched():
            view.write([_change(900_003)], Tracking(PROBE, 3))
            view.insert_tracking(Tracking(PROBE, 4))
            # then the projecting thread reads its own row, while readers do not see it yet
            assert _probe_rows(view) == [{"cursor": 900_003}]
            assert reader.submit(_probe_rows, view).result() == []
            assert not reader.submit(view.has_tracking_id, PROBE, 3).result()
        # and once the batch commits, everyone sees the row and the last tracking record
        assert reader.submit(_probe_rows, view).result() == [{"cursor": 900_003}]
        assert view.max_tracking_id(PROBE) == 4



def _answered_writes(cursor: int) -> list[Statement]:
    # Two writes whose answers nobody reads, the second's large: PostgreSQL sends the first
    # answer when the second fills its buffer, so in pipeline mode that answer arrives while
    # the next statement is being sent.
    return [
        ("UPDATE register_changes SET change = change WHERE cursor = ?", [cursor]),
        (
            "UPDATE register_changes SET change = change WHERE cursor = ? RETURNING cursor, ?",
            [cursor, "x" * 20_000],
        ),
    ]


def test_inside_a_batch_a_read_and_the_tracking_get_their_own_answers_not_a_write_s(
    services: Services,
) -> None:
    # given the register's view and one probe row
    view = services.read_models.view("register")
    view.write([_change(900_005)], Tracking(PROBE, 5))
    # when a batch writes, waits for the writes' answers to arrive, and reads
    with view.batched():
        view.write(_answered_writes(900_005), Tracking(PROBE, 6))
        time.sleep(0.2)
        # then the read gets its own rows
        assert _probe_rows(view) == [{"cursor": 900_005}]
        # and when the batch's last writes are answered just before it ends
        view.write(_answered_writes(900_005), Tracking(PROBE, 7))
        time.sleep(0.2)
    # then its tracking record is written with it
    assert view.max_tracking_id(PROBE) == 7


@pytest.mark.store("postgres")
def test_an_event_whose_notification_was_missed_still_reaches_the_read_models(
    services: Services, monkeypatch: pytest.MonkeyPatch
) -> None:
    # given the running read models, and a write that sends no NOTIFY (as when it commits
    # between a subscription's first pull and its LISTEN)
    recorder = type(services.backoffice.recorder)
    monkeypatch.setattr(recorder, "_notify_channel", lambda self, curs: None)
    # when a command is recorded
    services.backoffice.list_on_watchlist(
        VALID_USCCS[1], "serious_illegal", "国家企业信用信息公示系统", date(2026, 11, 22),
        services.backoffice.bootstrap_admin(),
    )  # fmt: skip
    last = services.backoffice.recorder.max_notification_id()
    # then every read model applies it within a few seconds all the same
    services.read_models.wait(last, timeout=5.0)
