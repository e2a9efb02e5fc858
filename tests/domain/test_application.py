"""The application's state machine (ZPIC-WF-20 4.1), in memory, in given/when/then style."""

from __future__ import annotations

import contextlib
from collections.abc import Callable
from datetime import date
from uuid import uuid4

import pytest

from domain.backoffice import BackOffice
from domain.errors import InvalidInput, NotFound, RuleViolation, VersionConflict
from domain.people import Actor
from domain.rulebook.version import RULEBOOK_VERSION
from tests.domain.support import (
    RECEIVED_ON,
    SCOPE,
    TODAY,
    complete_documents,
    site_list,
    stored_count,
    submit,
    upload,
)
from tests.factories import organization


def test_submitted_application_awaits_review(bo: BackOffice, intake: Actor) -> None:
    # given complete materials
    documents = complete_documents(bo, intake)
    # when the application is submitted
    app = submit(bo, intake, documents=documents)
    # then it is stored at version 1, awaiting review, with what was given
    stored = bo.get_application(app.id)
    assert stored.version == 1
    assert stored.status == "submitted"
    assert stored.uscc == organization()["uscc"]
    assert stored.scope == SCOPE
    assert stored.effective_headcount == 300
    assert stored.received_on == RECEIVED_ON
    assert stored.documents == documents
    assert stored.missing_documents() == []
    assert stored.reviews == [] and stored.supplements == [] and stored.contract is None
    assert stored_count(bo, app.id) == 1


def test_supplement_loop_then_acceptance_and_contract(bo: BackOffice, intake: Actor) -> None:
    # given an application without proof of legal status
    form = upload(bo, intake, "application_form")
    app = submit(bo, intake, documents=[form])
    assert bo.get_application(app.id).missing_documents() == ["legal_status"]

    # when review asks for a supplement
    bo.review_application(app.id, "supplement_requested", [], ["legal_status"],
                          date(2026, 11, 21), intake)
    # then the application waits for it
    stored = bo.get_application(app.id)
    assert (stored.status, stored.version) == ("supplement_requested", 2)
    assert stored.reviews[0]["missing"] == ["legal_status"]

    # when the supplement arrives
    legal = upload(bo, intake, "legal_status")
    bo.receive_supplement(app.id, [legal], date(2026, 11, 22), intake)
    # then the application is back in review, with every document it received
    stored = bo.get_application(app.id)
    assert (stored.status, stored.version) == ("submitted", 3)
    assert stored.documents == [form, legal]
    assert stored.missing_documents() == []
    assert stored.supplements == [
        {"documents": [legal], "received_on": date(2026, 11, 22), "by": intake.id}
    ]

    # when it is accepted
    bo.review_application(app.id, "accepted", [], [], date(2026, 11, 23), intake)
    stored = bo.get_application(app.id)
    assert (stored.status, stored.version) == ("accepted", 4)
    assert [r["outcome"] for r in stored.reviews] == ["supplement_requested", "accepted"]

    # and the contract is signed
    bo.sign_contract(app.id, "HT-2026-0001", date(2026, 11, 24), intake)
    # then the application is contracted, and the whole history is stored as five events
    stored = bo.get_application(app.id)
    assert (stored.status, stored.version) == ("contracted", 5)
    assert stored.contract == {
        "number": "HT-2026-0001", "signed_on": date(2026, 11, 24), "by": intake.id
    }
    assert [type(e).__name__ for e in bo.events.get(app.id)] == [
        "Submitted", "Reviewed", "SupplementReceived", "Reviewed", "ContractSigned"
    ]


def test_review_records_what_it_considered(bo: BackOffice, intake: Actor) -> None:
    # given a complete application from an organization with two service sites
    app = submit(bo, intake, sites=2)
    # when it is accepted
    bo.review_application(app.id, "accepted", [], [], date(2026, 11, 21), intake)
    # then the review records scope, sites, headcount, audit time, competence and the rulebook
    review = bo.get_application(app.id).reviews[0]
    considered = review["considered"]
    assert considered["scope"] == SCOPE
    assert considered["site_count"] == 2
    assert considered["effective_headcount"] == 300
    assert considered["initial_audit_days"] == "3.00"  # 276-625 people: 3 person-days
    assert considered["audit_days_note"] is None
    assert considered["competence"].startswith("03 ")
    assert considered["missing_documents"] == []
    assert review["rulebook_version"] == RULEBOOK_VERSION
    assert review["reviewed_on"] == date(2026, 11, 21)


def test_rejection_needs_reasons(bo: BackOffice, intake: Actor) -> None:
    # given a submitted application
    app = submit(bo, intake)
    # when it is rejected without reasons
    with pytest.raises(InvalidInput) as refused:
        bo.review_application(app.id, "rejected", [], [], date(2026, 11, 21), intake)
    # then the field `reasons` is named and nothing is recorded
    assert refused.value.field == "reasons"
    assert refused.value.code == "invalid_input"
    assert stored_count(bo, app.id) == 1

    # when it is rejected with a reason
    bo.review_application(app.id, "rejected", ["超出认证范围 / outside the certification field"],
                          [], date(2026, 11, 21), intake)
    # then it is rejected with that reason
    stored = bo.get_application(app.id)
    assert stored.status == "rejected"
    assert stored.reviews[0]["reasons"] == ["超出认证范围 / outside the certification field"]


def test_supplement_request_must_name_what_is_missing(bo: BackOffice, intake: Actor) -> None:
    # given a submitted application
    app = submit(bo, intake)
    # when a supplement is requested naming neither missing items nor reasons
    with pytest.raises(InvalidInput) as refused:
        bo.review_application(app.id, "supplement_requested", [], [], date(2026, 11, 21), intake)
    # then the field `missing` is named and nothing is recorded
    assert refused.value.field == "missing"
    assert stored_count(bo, app.id) == 1


def _accepted(bo: BackOffice, by: Actor) -> object:
    app = submit(bo, by)
    return bo.review_application(app.id, "accepted", [], [], date(2026, 11, 21), by)


def _supplement_requested(bo: BackOffice, by: Actor) -> object:
    app = submit(bo, by)
    return bo.review_application(app.id, "supplement_requested", [], ["licences"],
                                 date(2026, 11, 21), by)


def _rejected(bo: BackOffice, by: Actor) -> object:
    app = submit(bo, by)
    return bo.review_application(app.id, "rejected", ["不符合 / not eligible"], [],
                                 date(2026, 11, 21), by)


def _contracted(bo: BackOffice, by: Actor) -> object:
    app = _accepted(bo, by)
    return bo.sign_contract(app.id, "HT-1", date(2026, 11, 22), by)  # type: ignore[attr-defined]


@pytest.mark.parametrize("reach", [_accepted, _supplement_requested, _rejected, _contracted])
@pytest.mark.parametrize("outcome", ["accepted", "rejected", "supplement_requested"])
def test_only_a_submitted_application_can_be_reviewed(
    bo: BackOffice, intake: Actor, reach: Callable[[BackOffice, Actor], object], outcome: str
) -> None:
    # given an application that is no longer awaiting review
    app = reach(bo, intake)
    app_id = app.id  # type: ignore[attr-defined]
    before = bo.get_application(app_id)
    # when it is reviewed again
    with pytest.raises(RuleViolation) as refused:
        bo.review_application(app_id, outcome, ["r"], ["licences"], date(2026, 11, 27), intake)
    # then the review is refused as not awaiting review and nothing changes
    assert refused.value.code == "not_awaiting_review"
    after = bo.get_application(app_id)
    assert (after.status, after.version) == (before.status, before.version)
    assert stored_count(bo, app_id) == before.version


@pytest.mark.parametrize(
    ("sites", "kinds", "missing"),
    [
        (0, ["legal_status"], "application_form"),
        (0, ["application_form"], "legal_status"),
        (0, [], "application_form, legal_status"),
        (2, ["application_form", "legal_status"], "multi_site_list"),
        (1, ["application_form", "legal_status", "licences"], "multi_site_list"),
    ],
)
def test_acceptance_needs_the_required_materials(
    bo: BackOffice, intake: Actor, sites: int, kinds: list[str], missing: str
) -> None:
    # given an application lacking a required material
    app = submit(bo, intake, documents=[upload(bo, intake, k) for k in kinds], sites=sites)
    # when it is accepted
    with pytest.raises(RuleViolation) as refused:
        bo.review_application(app.id, "accepted", [], [], date(2026, 11, 21), intake)
    # then it is refused as incomplete, naming what is missing, and nothing is recorded
    assert refused.value.code == "incomplete_application"
    assert missing in refused.value.message
    assert bo.get_application(app.id).status == "submitted"
    assert stored_count(bo, app.id) == 1


@pytest.mark.parametrize(
    ("sites", "kinds"),
    [
        (0, ["application_form", "legal_status"]),
        (3, ["application_form", "legal_status", "multi_site_list"]),
    ],
)
def test_acceptance_with_the_required_materials(
    bo: BackOffice, intake: Actor, sites: int, kinds: list[str]
) -> None:
    # given an application with exactly the required materials (no licences needed)
    app = submit(bo, intake, documents=[upload(bo, intake, k) for k in kinds], sites=sites)
    # when it is accepted
    bo.review_application(app.id, "accepted", [], [], date(2026, 11, 21), intake)
    # then it is accepted
    assert bo.get_application(app.id).status == "accepted"


def test_a_supplement_can_complete_the_materials(bo: BackOffice, intake: Actor) -> None:
    # given a multi-site application that lacked its multi-site list and was sent back for it
    docs = [upload(bo, intake, "application_form"), upload(bo, intake, "legal_status")]
    app = submit(bo, intake, documents=docs, sites=1)
    bo.review_application(app.id, "supplement_requested", [], ["multi_site_list"],
                          date(2026, 11, 21), intake)
    # when the list arrives and the application is accepted
    bo.receive_supplement(app.id, [upload(bo, intake, "multi_site_list")], date(2026, 11, 22),
                          intake)
    bo.review_application(app.id, "accepted", [], [], date(2026, 11, 22), intake)
    # then it is accepted
    assert bo.get_application(app.id).status == "accepted"


def test_a_supplement_needs_a_request(bo: BackOffice, intake: Actor) -> None:
    # given an application awaiting review
    app = submit(bo, intake)
    # when a supplement is received without having been requested
    with pytest.raises(RuleViolation) as refused:
        bo.receive_supplement(app.id, [upload(bo, intake, "licences")], date(2026, 11, 21),
                              intake)
    # then it is refused and nothing is recorded
    assert refused.value.code == "no_supplement_requested"
    assert stored_count(bo, app.id) == 1


@pytest.mark.parametrize("reach", [submit, _supplement_requested, _rejected])
def test_a_contract_needs_an_accepted_application(
    bo: BackOffice, intake: Actor, reach: Callable[[BackOffice, Actor], object]
) -> None:
    # given an application that is not accepted
    app_id = reach(bo, intake).id  # type: ignore[attr-defined]
    version = bo.get_application(app_id).version
    # when a contract is signed
    with pytest.raises(RuleViolation) as refused:
        bo.sign_contract(app_id, "HT-1", date(2026, 11, 27), intake)
    # then it is refused and nothing is recorded
    assert refused.value.code == "not_accepted"
    assert stored_count(bo, app_id) == version


def test_documents_must_have_been_uploaded(bo: BackOffice, intake: Actor) -> None:
    # given a document reference whose content was never uploaded
    ghost = {"kind": "application_form", "filename": "x.pdf", "sha256": "0" * 64}
    before = bo.recorder.max_notification_id()
    # when an application names it
    with pytest.raises(RuleViolation) as refused:
        submit(bo, intake, documents=[ghost, upload(bo, intake, "legal_status")])
    # then it is refused and no application is recorded (only the one real upload)
    assert refused.value.code == "unknown_document"
    assert bo.recorder.max_notification_id() == (before or 0) + 1


# -- business dates -----------------------------------------------------------------------


def test_review_date_before_receipt_is_refused(bo: BackOffice, intake: Actor) -> None:
    # given an application received on 2026-11-20
    app = submit(bo, intake)
    # when it is reviewed on 2026-11-19
    with pytest.raises(InvalidInput) as refused:
        bo.review_application(app.id, "accepted", [], [], date(2026, 11, 19), intake)
    # then reviewed_on is refused; the same day is fine
    assert refused.value.field == "reviewed_on"
    assert stored_count(bo, app.id) == 1
    bo.review_application(app.id, "accepted", [], [], RECEIVED_ON, intake)
    assert bo.get_application(app.id).status == "accepted"


def test_supplement_date_before_review_is_refused(bo: BackOffice, intake: Actor) -> None:
    # given a supplement requested on 2026-11-21
    app = _supplement_requested(bo, intake)
    app_id = app.id  # type: ignore[attr-defined]
    # when the supplement is dated 2026-11-20
    with pytest.raises(InvalidInput) as refused:
        bo.receive_supplement(app_id, [upload(bo, intake, "licences")], RECEIVED_ON, intake)
    # then received_on is refused and nothing is recorded
    assert refused.value.field == "received_on"
    assert stored_count(bo, app_id) == 2


def test_second_review_date_before_supplement_is_refused(bo: BackOffice, intake: Actor) -> None:
    # given a supplement received on 2026-11-23
    app_id = _supplement_requested(bo, intake).id  # type: ignore[attr-defined]
    bo.receive_supplement(app_id, [upload(bo, intake, "licences")], date(2026, 11, 23), intake)
    # when the next review is dated 2026-11-22
    with pytest.raises(InvalidInput) as refused:
        bo.review_application(app_id, "accepted", [], [], date(2026, 11, 22), intake)
    # then reviewed_on is refused
    assert refused.value.field == "reviewed_on"
    assert stored_count(bo, app_id) == 3


def test_contract_date_before_acceptance_is_refused(bo: BackOffice, intake: Actor) -> None:
    # given an application accepted on 2026-11-21
    app_id = _accepted(bo, intake).id  # type: ignore[attr-defined]
    # when the contract is dated 2026-11-20
    with pytest.raises(InvalidInput) as refused:
        bo.sign_contract(app_id, "HT-1", RECEIVED_ON, intake)
    # then signed_on is refused and nothing is recorded
    assert refused.value.field == "signed_on"
    assert stored_count(bo, app_id) == 2


TOMORROW = date(2026, 11, 29)


def test_receipt_after_today_is_refused(bo: BackOffice, intake: Actor) -> None:
    # given complete materials
    documents = complete_documents(bo, intake)
    before = bo.recorder.max_notification_id()
    # when the application is dated tomorrow
    with pytest.raises(InvalidInput) as refused:
        submit(bo, intake, documents=documents, received_on=TOMORROW)
    # then received_on is refused and nothing is recorded; today itself is fine
    assert refused.value.field == "received_on"
    assert bo.recorder.max_notification_id() == before
    assert submit(bo, intake, documents=documents, received_on=TODAY).received_on == TODAY


@pytest.mark.parametrize("field", ["reviewed_on", "signed_on", "received_on"])
def test_step_dated_after_today_is_refused(bo: BackOffice, intake: Actor, field: str) -> None:
    # given an application ready for the step
    if field == "reviewed_on":
        app_id = submit(bo, intake).id

        def step(day: date) -> object:
            return bo.review_application(app_id, "accepted", [], [], day, intake)
    elif field == "signed_on":
        app_id = _accepted(bo, intake).id  # type: ignore[attr-defined]

        def step(day: date) -> object:
            return bo.sign_contract(app_id, "HT-1", day, intake)
    else:
        app_id = _supplement_requested(bo, intake).id  # type: ignore[attr-defined]
        licences = [upload(bo, intake, "licences")]

        def step(day: date) -> object:
            return bo.receive_supplement(app_id, licences, day, intake)
    version = bo.get_application(app_id).version
    # when the step is dated tomorrow
    with pytest.raises(InvalidInput) as refused:
        step(TOMORROW)
    # then the date is refused, nothing is recorded, and today is accepted
    assert refused.value.field == field
    assert stored_count(bo, app_id) == version
    step(TODAY)
    assert bo.get_application(app_id).version == version + 1


# -- refusals leave no trace --------------------------------------------------------------


def test_refused_commands_leave_version_and_events_unchanged(
    bo: BackOffice, intake: Actor
) -> None:
    # given an accepted application (version 2, two stored events)
    app_id = _accepted(bo, intake).id  # type: ignore[attr-defined]
    events_before = [(e.originator_version, type(e).__name__) for e in bo.events.get(app_id)]
    log_before = bo.recorder.max_notification_id()
    refusals = [
        lambda: bo.review_application(app_id, "accepted", [], [], TODAY, intake),
        lambda: bo.receive_supplement(app_id, [], TODAY, intake),
        lambda: bo.sign_contract(app_id, "HT-1", date(2026, 11, 20), intake),
        lambda: bo.sign_contract(app_id, "HT-1", TOMORROW, intake),
        lambda: bo.sign_contract(app_id, "HT-1", TODAY, intake, expected_version=1),
    ]
    for refusal in refusals:
        # when a command the rules refuse is given
        with pytest.raises((RuleViolation, InvalidInput, VersionConflict)):
            refusal()
        # then the aggregate's version and its stored events are unchanged
        assert bo.get_application(app_id).version == 2
        assert stored_count(bo, app_id) == 2
    assert [(e.originator_version, type(e).__name__) for e in bo.events.get(app_id)] == (
        events_before
    )
    assert bo.recorder.max_notification_id() == log_before


def test_stale_expected_version_is_a_conflict(bo: BackOffice, intake: Actor) -> None:
    # given an application at version 1
    app = submit(bo, intake)
    # when it is reviewed by someone who saw version 2
    with pytest.raises(VersionConflict) as refused:
        bo.review_application(app.id, "accepted", [], [], TODAY, intake, expected_version=2)
    # then it is a version conflict; with the right version it succeeds
    assert refused.value.code == "version_conflict"
    assert stored_count(bo, app.id) == 1
    bo.review_application(app.id, "accepted", [], [], TODAY, intake, expected_version=1)
    assert bo.get_application(app.id).version == 2


def test_unknown_application_is_not_found(bo: BackOffice, intake: Actor) -> None:
    # given an id no application has, and the id of a document (another aggregate type)
    doc = upload(bo, intake, "application_form")
    document_id = bo.get_document(doc["sha256"]).id
    # when either is read or reviewed as an application
    # then NotFound
    for app_id in (uuid4(), document_id):
        with pytest.raises(NotFound):
            bo.get_application(app_id)
        with pytest.raises(NotFound):
            bo.review_application(app_id, "accepted", [], [], TODAY, intake)


def test_headcount_must_be_positive(bo: BackOffice, intake: Actor) -> None:
    # given complete materials
    documents = complete_documents(bo, intake)
    before = bo.recorder.max_notification_id()
    # when an application declares no effective headcount
    # then it is refused and nothing is recorded
    with pytest.raises(ValueError, match="effective_headcount"):
        bo.submit_application(organization(), SCOPE, 0, site_list(0), documents, RECEIVED_ON,
                              intake)
    assert bo.recorder.max_notification_id() == before


def test_an_unknown_review_outcome_is_refused(bo: BackOffice, intake: Actor) -> None:
    # given a submitted application
    app = submit(bo, intake)
    # when it is reviewed with an outcome the rules do not have
    with contextlib.suppress(InvalidInput, RuleViolation, ValueError):
        bo.review_application(app.id, "approved", [], [], date(2026, 11, 21), intake)
    # then nothing is recorded and the application still awaits review
    assert stored_count(bo, app.id) == 1
    assert bo.get_application(app.id).status == "submitted"
