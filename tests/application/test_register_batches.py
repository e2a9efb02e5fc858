"""The register inserts the rows of certificates a batch issues at the batch's end, with what
later events of the batch changed in them: the register and its change feed are the same as when
each event is applied on its own."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta
from typing import Any

import pytest
from eventsourcing.persistence import Tracking

from domain.certificate import Certificate
from domain.disposal import Disposal
from ecpsc.services import Services
from projections import register
from projections.register import RegisterProjection

PROBE = "RegisterBatchProbe"
"""A tracking name of its own, so the probe never meets the running projections' records."""


def _life(serial: int) -> list[Any]:
    """A certificate's life on the register: issued, graded down, suspended, reinstated,
    recertified under a new name, withdrawn without recovery."""
    cid = Certificate.create_id(f"BATCH-{serial}")
    at = datetime(2026, 1, 1, tzinfo=UTC)

    def base(version: int) -> dict[str, Any]:
        return {"originator_id": cid, "originator_version": version,
                "timestamp": at + timedelta(days=version)}  # fmt: skip

    day, by = date(2026, 6, 1), "probe"
    schedule = {
        "due_on": day,
        "due_on_provisional": False,
        "due_on_calendar": "package",
        "late": False,
        "by": by,
    }
    return [
        Certificate.Issued(
            **base(1),
            originator_topic="domain.certificate:Certificate",
            number=f"BATCH-{serial}",
            organization={
                "name": "海尔智家股份有限公司",
                "uscc": f"USCC-B{serial}",
                "address": "青岛市",
            },
            scope="家电售后",
            sites=[],
            grade="five_star",
            issued_on=date(2026, 1, 1),
            expires_on=date(2029, 1, 1),
            audit_id="a",
            decision_id="d",
            application_id=None,
            basis="initial",
            by=by,
        ),
        Certificate.GradeChanged(
            **base(2),
            grade_from="five_star",
            grade_to="four_star",
            reason="surveillance",
            audit_id="a2",
            decision_id=None,
            effective_on=day,
            by=by,
        ),
        Certificate.Suspended(
            **base(3),
            reason="r",
            verified_on=day,
            effective_on=day,
            months=3,
            suspended_until=date(2026, 9, 1),
            missed_due_on=None,
            status_after="suspended",
            suspended_from_after=day,
            suspended_until_after=date(2026, 9, 1),
            **schedule,
        ),
        Certificate.Reinstated(
            **base(4),
            verified_on=day,
            effective_on=day,
            status_after="valid",
            suspended_from_after=None,
            suspended_until_after=None,
            **schedule,
        ),
        Certificate.Recertified(
            **base(5),
            decision_id="d2",
            audit_id="a3",
            application_id=None,
            reissued_on=date(2028, 12, 1),
            cycle_starts_on=date(2029, 1, 1),
            expires_on=date(2032, 1, 1),
            grade="five_star",
            organization={"name": "海尔智家集团", "uscc": f"USCC-B{serial}", "address": "青岛"},
            scope="家电售后",
            sites=[],
            next_surveillance_due=None,
            rulebook_version="test",
            by=by,
        ),
        Certificate.Withdrawn(
            **base(6), reason="r", verified_on=day, effective_on=day, recovered=False, **schedule
        ),
    ]


def _disposal(serial: int, number: str) -> Disposal.Recorded:
    return Disposal.Recorded(
        originator_id=Disposal.create_id(f"batch-row-{serial}"), originator_version=1,
        timestamp=datetime(2030, 1, 1, tzinfo=UTC), originator_topic="domain.disposal:Disposal",
        row_key=f"batch-row-{serial}", uscc="USCC", reason="retention ended", records=[],
        documents=[], certificate_numbers=[number], application_ids=[],
        retain_until=date(2029, 1, 1), disposed_on=date(2030, 1, 1), by="probe",
    )  # fmt: skip


def _register(view: Any, number: str) -> dict[str, Any]:
    """A certificate's row, changes and notices, without what names it."""
    rows = view.rows("SELECT * FROM register_certificates WHERE number = ?", [number])
    changes = view.rows("SELECT change, at FROM register_changes WHERE number = ? ORDER BY cursor",
                        [number])  # fmt: skip
    notices = view.rows("SELECT reason, withdrawn_on, organization_name FROM register_notices"
                        " WHERE number = ?", [number])  # fmt: skip
    for row in rows:
        del row["number"], row["certificate_id"], row["uscc"]
    return {"rows": rows, "changes": changes, "notices": notices}


def _apply(projection: RegisterProjection, events: list[Any], first: int, batch: bool) -> None:
    view = projection.view
    for offset, event in enumerate(events):
        tracking = Tracking(PROBE, first + offset)
        if batch:
            with view.batched():  # one open batch across the loop
                projection.process_event(event, tracking)
        else:
            projection.process_event(event, tracking)


@pytest.mark.parametrize("row_memory", [register.ROW_MEMORY, 1])
def test_a_certificate_issued_and_changed_in_one_batch_reads_as_when_applied_event_by_event(
    services: Services, monkeypatch: pytest.MonkeyPatch, row_memory: int
) -> None:
    # given the register, and a projection that remembers few rows or many
    monkeypatch.setattr(register, "ROW_MEMORY", row_memory)
    view = services.read_models.view("register")
    projection = RegisterProjection(view)
    # when one certificate's life is applied event by event, and another's in one batch
    _apply(projection, _life(1), first=10, batch=False)
    with view.batched():
        _apply(projection, _life(2), first=20, batch=True)
    # then both read the same: the last grade, status, name and dates, every change and notice
    one_by_one, batched = _register(view, "BATCH-1"), _register(view, "BATCH-2")
    assert batched == one_by_one
    assert batched["rows"][0]["organization_name"] == "海尔智家集团"
    assert batched["rows"][0]["status"] == "withdrawn"
    assert [c["change"] for c in batched["changes"]] == [
        "issued", "grade_changed", "suspended", "reinstated", "recertified", "withdrawn"
    ]  # fmt: skip
    assert len(batched["notices"]) == 1
    assert view.max_tracking_id(PROBE) == 25


def test_a_certificate_issued_and_disposed_of_in_one_batch_leaves_no_row_and_no_count(
    services: Services,
) -> None:
    # given the register
    view = services.read_models.view("register")
    projection = RegisterProjection(view)
    before = {r["gram"]: r["n"] for r in view.rows("SELECT gram, n FROM register_gram_counts")}
    # when a certificate is issued and its records disposed of in the same batch
    with view.batched():
        _apply(projection, [*_life(3)[:2], _disposal(3, "BATCH-3")], first=30, batch=True)
    # then no row is left, the change feed says so, and the gram counts are as before
    assert _register(view, "BATCH-3")["rows"] == []
    assert [c["change"] for c in _register(view, "BATCH-3")["changes"]] == [
        "issued", "grade_changed", "disposed"
    ]  # fmt: skip
    after = {r["gram"]: r["n"] for r in view.rows("SELECT gram, n FROM register_gram_counts")}
    assert {g: n for g, n in after.items() if n} == {g: n for g, n in before.items() if n}
