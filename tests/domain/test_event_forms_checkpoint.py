"""The stored form of the checkpoint log's events, pinned (issue 20 item 2).

The companion of `test_event_forms.py` for `domain.checkpoint`: a log started by its first
signed checkpoint, in memory.
"""

from __future__ import annotations

from datetime import date

import pytest

from domain.backoffice import BackOffice
from domain.checkpoint import CheckpointLog, checkpoint_message
from domain.people import DEADLINE_JOBS_ID
from tests.domain.test_event_forms import (
    Case,
    _domain_event_topics,
    assert_replays,
    assert_stored_form,
)

SIGNED = {
    "position": 17,
    "head": "ab" * 32,
    "signed_at": "2026-11-28T16:05:00Z",
    "key_id": "0123456789abcdef",
    "signature": "c2lnbmF0dXJl",
    "by": DEADLINE_JOBS_ID,
}


@pytest.fixture(scope="module")
def history() -> tuple[BackOffice, dict[str, Case]]:
    """One signed checkpoint, in memory."""
    bo = BackOffice(today=lambda: date(2026, 11, 28))
    log = CheckpointLog()
    log.signed(**SIGNED)
    bo.save(log)
    last = {k: v for k, v in SIGNED.items() if k != "by"}
    cases = {
        "CheckpointLog.Started": Case(
            "domain.checkpoint:CheckpointLog.Started", log.id, 1,
            {"originator_topic": "domain.checkpoint:CheckpointLog"}, {},
            lambda g: {"last": g.last}, {"last": None},
        ),
        "CheckpointLog.Signed": Case(
            "domain.checkpoint:CheckpointLog.Signed", log.id, 2, SIGNED, SIGNED,
            lambda g: {"last": g.last}, {"last": last},
        ),
    }  # fmt: skip
    return bo, cases


CASES = ("CheckpointLog.Started", "CheckpointLog.Signed")


@pytest.mark.parametrize("name", CASES)
def test_stored_form(history: tuple[BackOffice, dict[str, Case]], name: str) -> None:
    """Given an event made by the back office, when read, then topic, keys, values are pinned."""
    bo, cases = history
    assert_stored_form(bo, cases[name])


@pytest.mark.parametrize("name", CASES)
def test_replay(history: tuple[BackOffice, dict[str, Case]], name: str) -> None:
    """Given a stored record, when replayed, then fields keep value and type; aggregate shows it."""
    bo, cases = history
    assert_replays(bo, cases[name], name)


def test_every_event_type_is_pinned(history: tuple[BackOffice, dict[str, Case]]) -> None:
    """Given every event class of the checkpoint module, then each is pinned here."""
    defined = _domain_event_topics(("domain.checkpoint",))
    assert defined == {case.topic for case in history[1].values()}
    assert len(defined) == 2  # the guard sees the event types (it cannot pass on nothing)


def test_the_signed_form_is_five_lines() -> None:
    """Given a checkpoint's fields, when its canonical form is made, then it is the documented
    five lines with no final newline."""
    message = checkpoint_message(17, "ab" * 32, "2026-11-28T16:05:00Z", "0123456789abcdef")
    assert message == (
        b"ecpsc-checkpoint-v1\n17\n" + b"ab" * 32 + b"\n2026-11-28T16:05:00Z\n0123456789abcdef"
    )
