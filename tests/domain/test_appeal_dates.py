"""An appeal is received on or after the date of what it objects to (rules.md §12, clause 9)."""

from __future__ import annotations

from datetime import date, timedelta
from uuid import UUID

import pytest

from domain.appeal import ensure_received_after_subject
from domain.errors import RuleViolation
from tests.domain.test_event_forms_records import APPELLANT, USCC, Office
from tests.factories import VALID_USCCS

TEXT = "对决定有异议 / we object"
DAY = timedelta(days=1)


@pytest.fixture
def office() -> Office:
    """Staff over one back office in memory, today 2026-11-28."""
    return Office()


def refused(office: Office, subject: dict[str, object], received_on: date) -> RuleViolation:
    """The refusal of an appeal about the subject received on a day; nothing is recorded."""
    before = office.bo.recorder.max_notification_id()
    with pytest.raises(RuleViolation) as error:
        office.bo.receive_appeal("appeal", subject, APPELLANT, received_on, TEXT, office.officer)
    assert office.bo.recorder.max_notification_id() == before
    assert error.value.clause == "ZPIC-WF-20 9"
    return error.value


def test_an_appeal_before_the_decision_it_objects_to_is_refused(office: Office) -> None:
    """Given a refusal decided on 2026-10-12, when an appeal against it is received on 10-11,
    then appeal_before_decision (clause 9) naming both dates, nothing recorded; received on
    the decision's own day, it is recorded."""
    decision_id = office.refusal(date(2026, 10, 10), date(2026, 10, 12))
    subject = {"decision_id": decision_id}
    error = refused(office, subject, date(2026, 10, 11))
    assert error.code == "appeal_before_decision"
    assert "2026-10-11" in error.message and "2026-10-12" in error.message
    appeal = office.bo.receive_appeal(
        "appeal", subject, APPELLANT, date(2026, 10, 12), TEXT, office.officer
    )
    assert appeal.received_on == date(2026, 10, 12)


def test_a_certificate_is_objected_to_from_the_decision_that_granted_it(office: Office) -> None:
    """Given a certificate granted on 2023-03-01, when an appeal naming it
    is received the day before the grant, then appeal_before_decision; on the day of the grant,
    recorded; a complaint naming it is recorded whatever its date (it need not object to it)."""
    granted_on = date(2023, 3, 1)
    number = office.certificate(VALID_USCCS[1], "福州乙商贸有限公司", granted_on)
    subject = {"certificate_number": number}
    assert refused(office, subject, granted_on - DAY).code == "appeal_before_decision"
    complaint = office.bo.receive_appeal(
        "complaint", subject, APPELLANT, granted_on - DAY, TEXT, office.officer
    )
    assert complaint.kind == "complaint"
    appeal = office.bo.receive_appeal(
        "appeal", subject, APPELLANT, granted_on, TEXT, office.officer
    )
    assert appeal.subject["certificate_number"] == number


def test_an_application_is_objected_to_from_its_receipt_not_its_decision(office: Office) -> None:
    """Given an application received on 2026-10-10 and refused on 10-12, when an appeal naming
    only the application is received on 10-09, then appeal_before_application; received on
    10-11 (against its handling, before the decision) it is recorded."""
    decision_id = office.refusal(date(2026, 10, 10), date(2026, 10, 12))
    application_id = office.bo.get_decision(decision_id).application_id
    assert application_id is not None
    subject = {"application_id": UUID(application_id)}
    assert refused(office, subject, date(2026, 10, 9)).code == "appeal_before_application"
    appeal = office.bo.receive_appeal(
        "appeal", subject, APPELLANT, date(2026, 10, 11), TEXT, office.officer
    )
    assert appeal.organization_uscc == USCC


def test_the_rule_compares_each_date_it_is_given() -> None:
    """Given only the dates known, when a receipt falls before any of them, then refused; on
    or after all of them, accepted; with none known, accepted."""
    ensure_received_after_subject(date(2026, 1, 1))
    ensure_received_after_subject(date(2026, 1, 5), decided_on=date(2026, 1, 5))
    with pytest.raises(RuleViolation) as error:
        ensure_received_after_subject(
            date(2026, 1, 5),
            decided_on=date(2026, 1, 4),
            application_received_on=date(2026, 1, 6),
        )
    assert error.value.code == "appeal_before_application"
