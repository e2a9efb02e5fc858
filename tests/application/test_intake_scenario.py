"""Intake from submission to contract on the store under test, seen through the read model."""

from __future__ import annotations

from datetime import date
from uuid import UUID

import pytest

from domain.errors import RuleViolation
from ecpsc.services import Services
from tests.application.support import complete_documents, intake_user, page, settle, submit
from tests.factories import VALID_USCCS

USCC = VALID_USCCS[0]
OTHER = VALID_USCCS[3]


def _statuses(services: Services) -> dict[str, int]:
    """How many applications the read model shows in each status."""
    counts = {
        status: page(services, status=status)[1]
        for status in ("submitted", "supplement_requested", "accepted", "rejected", "contracted")
    }
    return {status: n for status, n in counts.items() if n}


def test_intake_scenario(services: Services) -> None:
    bo = services.backoffice

    # given an intake officer registered by the bootstrap admin, and uploaded materials
    officer, _ = intake_user(bo)
    documents = complete_documents(services, officer)
    assert services.documents.get(documents[0]["sha256"]).startswith(b"%PDF")
    settle(services)
    # then the applications list is still empty
    assert page(services) == ([], 0)

    # when an application is submitted
    app = submit(bo, officer, documents, USCC)
    settle(services)
    # then the list shows it, awaiting review, with its organization
    items, total = page(services, status="submitted")
    assert total == 1
    row = items[0]
    assert row["id"] == str(app.id)
    assert (row["status"], row["version"], row["uscc"]) == ("submitted", 1, USCC)
    assert row["organization_name"] == "福州某商贸有限公司"
    assert row["received_on"] == "2026-11-20"
    assert row["certificate_number"] is None
    assert page(services, uscc=USCC)[1] == 1
    assert page(services, uscc=OTHER)[1] == 0

    # when the organization is put on the watchlist
    bo.list_on_watchlist(USCC, "business_suspension_order", "福州市市场监督管理局 2026-9",
                         date(2026, 11, 21), officer)
    settle(services)
    # then the application cannot be accepted and stays as it was
    with pytest.raises(RuleViolation) as refused:
        bo.review_application(app.id, "accepted", [], [], date(2026, 11, 22), officer)
    assert refused.value.code == "ineligible"
    settle(services)
    assert _statuses(services) == {"submitted": 1}
    assert page(services)[0][0]["version"] == 1

    # when it is delisted and the application accepted
    bo.delist(USCC, "整改完成 / rectified", date(2026, 11, 23), officer)
    settle(services)
    assert _statuses(services) == {"submitted": 1}
    bo.review_application(app.id, "accepted", [], [], date(2026, 11, 24), officer)
    settle(services)
    # then the list shows it accepted, at version 2
    assert _statuses(services) == {"accepted": 1}
    items, total = page(services, status="accepted")
    assert (total, items[0]["id"], items[0]["version"]) == (1, str(app.id), 2)

    # when another organization's application arrives and is rejected
    other = submit(bo, officer, complete_documents(services, officer, "other"), OTHER,
                   name="厦门某电器有限公司", received_on=date(2026, 11, 25))
    settle(services)
    assert _statuses(services) == {"accepted": 1, "submitted": 1}
    bo.review_application(other.id, "rejected", ["超出认证范围 / outside the field"], [],
                          date(2026, 11, 26), officer)
    settle(services)
    # then each status counts its own
    assert _statuses(services) == {"accepted": 1, "rejected": 1}

    # when the first application's contract is signed
    bo.sign_contract(app.id, "HT-2026-0001", date(2026, 11, 27), officer)
    settle(services)
    # then it is contracted at version 3, and the list, newest receipt first, has both
    assert _statuses(services) == {"contracted": 1, "rejected": 1}
    items, total = page(services, status="contracted")
    assert (total, items[0]["id"], items[0]["version"]) == (1, str(app.id), 3)
    items, total = page(services)
    assert total == 2
    assert [r["id"] for r in items] == [str(other.id), str(app.id)]
    # and the read model agrees with the aggregates
    for row in items:
        aggregate = bo.get_application(UUID(row["id"]))
        assert (row["status"], row["version"]) == (aggregate.status, aggregate.version)
