"""The stored form of the legal hold and disposal events, pinned (rules.md §10).

The companion of `test_event_forms.py` for `domain.hold` and `domain.disposal`: a hold placed
and released, and the record of a disposal, through the back office in memory.
"""

from __future__ import annotations

from datetime import date

import pytest

from domain.backoffice import BackOffice
from tests.domain.test_event_forms import (
    Case,
    _domain_event_topics,
    assert_replays,
    assert_stored_form,
    iso,
)
from tests.domain.test_event_forms_lifecycle import _given
from tests.factories import VALID_USCCS

TODAY = date(2026, 11, 28)
USCC = VALID_USCCS[0]
RECORDS = [
    {"aggregate_id": "0b1e0f7e-8f5d-4c39-9b43-3d8a3f1a2b01", "kind": "application",
     "versions": 3, "digests": ["a" * 64, "b" * 64, "c" * 64]},
]  # fmt: skip
DOCUMENT = "d" * 64


@pytest.fixture(scope="module")
def history() -> tuple[BackOffice, dict[str, Case]]:
    """A hold placed and released, and a disposal recorded, in memory."""
    bo = BackOffice(today=lambda: TODAY)
    admin = bo.bootstrap_admin()
    by = admin.id
    cases: dict[str, Case] = {}

    hold = bo.place_hold(USCC, "诉讼保全 / litigation hold", date(2026, 11, 1), admin)
    placed = {"uscc": USCC, "reason": "诉讼保全 / litigation hold", "by": by}
    cases["LegalHold.Placed"] = Case(
        "domain.hold:LegalHold.Placed", hold.id, 1,
        {"originator_topic": "domain.hold:LegalHold", **placed, "placed_on": iso("2026-11-01")},
        {**placed, "placed_on": date(2026, 11, 1)},
        lambda h: {"uscc": h.uscc, "placed_on": h.placed_on, "active": h.active},
        {"uscc": USCC, "placed_on": date(2026, 11, 1), "active": True},
    )  # fmt: skip
    bo.release_hold(hold.id, date(2026, 11, 20), admin)
    cases["LegalHold.Released"] = Case(
        "domain.hold:LegalHold.Released", hold.id, 2,
        {"released_on": iso("2026-11-20"), "by": by},
        {"released_on": date(2026, 11, 20), "by": by},
        lambda h: {"released_on": h.released_on, "active": h.active},
        {"released_on": date(2026, 11, 20), "active": False},
    )  # fmt: skip

    disposal = bo.record_disposal(
        row_key="application:0b1e0f7e-8f5d-4c39-9b43-3d8a3f1a2b01", uscc=USCC,
        reason="保存期满 / retention over", records=RECORDS, documents=[DOCUMENT],
        certificate_numbers=[], application_ids=["0b1e0f7e-8f5d-4c39-9b43-3d8a3f1a2b01"],
        retain_until=date(2025, 10, 10), by=admin,
    )  # fmt: skip
    stored = {
        "originator_topic": "domain.disposal:Disposal",
        "row_key": "application:0b1e0f7e-8f5d-4c39-9b43-3d8a3f1a2b01",
        "uscc": USCC,
        "reason": "保存期满 / retention over",
        "records": RECORDS,
        "documents": [DOCUMENT],
        "certificate_numbers": [],
        "application_ids": ["0b1e0f7e-8f5d-4c39-9b43-3d8a3f1a2b01"],
        "retain_until": iso("2025-10-10"),
        "disposed_on": iso("2026-11-28"),
        "by": by,
    }
    given = _given(stored)
    cases["Disposal.Recorded"] = Case(
        "domain.disposal:Disposal.Recorded", disposal.id, 1, stored, given,
        lambda d: {"row_key": d.row_key, "records": d.records, "disposed_on": d.disposed_on,
                   "disposed_by": d.disposed_by},
        {"row_key": "application:0b1e0f7e-8f5d-4c39-9b43-3d8a3f1a2b01", "records": RECORDS,
         "disposed_on": TODAY, "disposed_by": by},
    )  # fmt: skip
    return bo, cases


CASES = ("LegalHold.Placed", "LegalHold.Released", "Disposal.Recorded")


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
    """Given every event class of the hold and disposal modules, then each is pinned here."""
    defined = _domain_event_topics(("domain.hold", "domain.disposal"))
    assert defined == {case.topic for case in history[1].values()}
    assert len(defined) == 3  # the guard sees the event types (it cannot pass on nothing)
