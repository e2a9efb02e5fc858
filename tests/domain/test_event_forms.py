"""The stored form of every event type, pinned (rules.md §10: records are immutable events).

Stored events are read for as long as records are kept (up to six years). Changing an event's
fields, its topic or how a value is encoded must fail here: a new shape needs a new
`class_version` with an upcaster on the event class, and then a new case here. A new event
type needs a case too (see `test_every_event_type_is_pinned`).
"""

from __future__ import annotations

import importlib
import json
from collections.abc import Callable
from dataclasses import dataclass
from datetime import UTC, date, datetime, timedelta
from typing import Any
from uuid import UUID

import pytest
from eventsourcing.domain import Aggregate, DomainEvent
from eventsourcing.persistence import Notification
from eventsourcing.utils import get_topic

from domain.backoffice import CERTIFICATION_FIELD, BackOffice
from domain.credentials import ApiToken, token_digest
from domain.people import Actor
from domain.rulebook.version import RULEBOOK_VERSION
from domain.sign_in_desk import SignInLocked, SignInRefused
from domain.sign_in_name import SignInName
from domain.staff_session import StaffSession
from tests.domain.support import SCOPE, TODAY, upload
from tests.factories import VALID_USCCS, organization

USCC = VALID_USCCS[0]
ORGANIZATION = organization(USCC)
CCAA = {"number": "2026-N1SC-1234567", "valid_from": date(2025, 1, 1),
        "valid_until": date(2027, 12, 31)}
SITES = [{"name": "门店1", "address": "福州市台江区1号"}]
CONTRACT_NUMBER = "HT-2026-0001"


def iso(day: str) -> dict[str, str]:
    """How the DateAsISO transcoding stores a date."""
    return {"_type_": "date_iso", "_data_": day}


def moment(at: datetime) -> dict[str, str]:
    """How eventsourcing's DatetimeAsISO transcoding stores a moment."""
    return {"_type_": "datetime_iso", "_data_": at.isoformat()}


@dataclass
class Case:
    """One stored event: where it is, what was given, and how its aggregate shows it."""

    topic: str
    originator_id: UUID
    originator_version: int
    stored: dict[str, Any]
    """The state as stored, except the timestamp (dates as `iso(...)`)."""
    given: dict[str, Any]
    """The same fields as the command gave them (dates as date, lists as lists)."""
    aggregate: Callable[[Any], dict[str, Any]]
    """The aggregate's fields that show the event, after replay up to it."""
    expected_aggregate: dict[str, Any]


@pytest.fixture(scope="module")
def history() -> tuple[BackOffice, dict[str, Case]]:
    """One life of every aggregate type, through the back office, in memory."""
    bo = BackOffice(today=lambda: TODAY)
    admin = bo.bootstrap_admin()
    cases: dict[str, Case] = {}

    # people and tokens
    user, token = bo.register_user("张三", ["planner", "intake"], CCAA, admin)
    actor = bo.authenticate(token)
    assert isinstance(actor, Actor)
    by = actor.id
    digest = token_digest(token)
    token_id = ApiToken.create_id(digest)
    cases["User.Registered"] = Case(
        "domain.people:User.Registered", user.id, 1,
        {"originator_topic": "domain.people:User", "name": "张三",
         "roles": ["intake", "planner"],
         "ccaa_registration": {"number": "2026-N1SC-1234567",
                               "valid_from": iso("2025-01-01"),
                               "valid_until": iso("2027-12-31")},
         "by": "bootstrap-admin"},
        {"name": "张三", "roles": ["intake", "planner"], "ccaa_registration": CCAA,
         "by": "bootstrap-admin"},
        lambda u: {"name": u.name, "roles": u.roles, "ccaa_registration": u.ccaa_registration,
                   "registered_by": u.registered_by, "active": u.active},
        {"name": "张三", "roles": ["intake", "planner"], "ccaa_registration": CCAA,
         "registered_by": "bootstrap-admin", "active": True},
    )
    expires_at = bo.get_token(user.id, token_id).expires_at
    cases["ApiToken.Issued"] = Case(
        "domain.credentials:ApiToken.Issued", token_id, 1,
        {"originator_topic": "domain.credentials:ApiToken", "digest": digest,
         "user_id": str(user.id), "expires_at": moment(expires_at), "by": "bootstrap-admin",
         "class_version": 2},
        {"digest": digest, "user_id": str(user.id), "expires_at": expires_at,
         "by": "bootstrap-admin"},
        lambda t: {"digest": t.digest, "user_id": t.user_id, "issued_by": t.issued_by,
                   "revoked": t.revoked, "expires_at": t.expires_at},
        {"digest": digest, "user_id": str(user.id), "issued_by": "bootstrap-admin",
         "revoked": False, "expires_at": expires_at},
    )
    officer, _ = bo.register_user("申诉专员", ["appeals_officer"], None, admin,
                                  email="appeals@ecpsc.example.cn")
    cases["User.EmailRecorded"] = Case(
        "domain.people:User.EmailRecorded", officer.id, 2,
        {"email": "appeals@ecpsc.example.cn", "by": "bootstrap-admin"},
        {"email": "appeals@ecpsc.example.cn", "by": "bootstrap-admin"},
        lambda u: {"email": u.email, "version": u.version},
        {"email": "appeals@ecpsc.example.cn", "version": 2},
    )
    revoked_at = datetime(2026, 11, 28, 2, 0, tzinfo=UTC)
    bo.revoke_token(user.id, token_id, "泄露 / leaked", admin, at=revoked_at)
    cases["ApiToken.Revoked"] = Case(
        "domain.credentials:ApiToken.Revoked", token_id, 2,
        {"reason": "泄露 / leaked", "at": moment(revoked_at), "by": "bootstrap-admin",
         "class_version": 2},
        {"reason": "泄露 / leaked", "at": revoked_at, "by": "bootstrap-admin"},
        lambda t: {"revoked": t.revoked, "revocation": t.revocation},
        {"revoked": True,
         "revocation": {"reason": "泄露 / leaked", "at": revoked_at, "by": "bootstrap-admin"}},
    )
    leaver, _ = bo.register_user("离职者", ["auditor"], None, admin)
    left_at = datetime(2026, 11, 28, 3, 0, tzinfo=UTC)
    bo.deactivate_user(leaver.id, "离职 / left the company", admin, at=left_at)
    cases["User.Deactivated"] = Case(
        "domain.people:User.Deactivated", leaver.id, 2,
        {"reason": "离职 / left the company", "at": moment(left_at), "by": "bootstrap-admin"},
        {"reason": "离职 / left the company", "at": left_at, "by": "bootstrap-admin"},
        lambda u: {"active": u.active, "deactivation": u.deactivation},
        {"active": False, "deactivation": {"reason": "离职 / left the company", "at": left_at,
                                           "by": "bootstrap-admin"}},
    )

    # sign-in: a password, a session and its end, failures up to a lockout, a name moved on
    signed_at = datetime(2026, 11, 28, 1, 30, tzinfo=UTC)
    password = "correct horse battery"
    bo.set_password(officer.id, "shensu", password, admin)
    first_hash = bo.get_user(officer.id).password_hash
    cases["User.PasswordSet"] = Case(
        "domain.people:User.PasswordSet", officer.id, 3,
        {"sign_in_name": "shensu", "password_hash": first_hash, "by": "bootstrap-admin"},
        {"sign_in_name": "shensu", "password_hash": first_hash, "by": "bootstrap-admin"},
        lambda u: {"sign_in_name": u.sign_in_name, "password_hash": u.password_hash},
        {"sign_in_name": "shensu", "password_hash": first_hash},
    )
    name_id = SignInName.create_id("shensu")
    cases["SignInName.Claimed"] = Case(
        "domain.sign_in_name:SignInName.Claimed", name_id, 1,
        {"originator_topic": "domain.sign_in_name:SignInName", "name": "shensu",
         "user_id": str(officer.id), "by": "bootstrap-admin"},
        {"name": "shensu", "user_id": str(officer.id), "by": "bootstrap-admin"},
        lambda n: {"name": n.name, "user_id": n.user_id},
        {"name": "shensu", "user_id": str(officer.id)},
    )
    secret, _ = bo.sign_in("shensu", password, "127.0.0.1", signed_at)
    session_digest = token_digest(secret)
    session_id = StaffSession.create_id(session_digest)
    oid = str(officer.id)
    cases["User.SignedIn"] = Case(
        "domain.people:User.SignedIn", officer.id, 4,
        {"session_id": str(session_id), "address": "127.0.0.1", "at": moment(signed_at),
         "by": oid},
        {"session_id": str(session_id), "address": "127.0.0.1", "at": signed_at, "by": oid},
        lambda u: {"failed_sign_ins": u.failed_sign_ins, "locked_until": u.locked_until},
        {"failed_sign_ins": 0, "locked_until": None},
    )
    cases["StaffSession.Started"] = Case(
        "domain.staff_session:StaffSession.Started", session_id, 1,
        {"originator_topic": "domain.staff_session:StaffSession", "digest": session_digest,
         "user_id": oid, "address": "127.0.0.1", "started_at": moment(signed_at), "by": oid},
        {"digest": session_digest, "user_id": oid, "address": "127.0.0.1",
         "started_at": signed_at, "by": oid},
        lambda s: {"user_id": s.user_id, "started_at": s.started_at, "ended": s.ended},
        {"user_id": oid, "started_at": signed_at, "ended": False},
    )
    signed_out = signed_at + timedelta(hours=1)
    bo.sign_out(secret, signed_out)
    cases["StaffSession.Ended"] = Case(
        "domain.staff_session:StaffSession.Ended", session_id, 2,
        {"at": moment(signed_out), "by": oid},
        {"at": signed_out, "by": oid},
        lambda s: {"ended": s.ended},
        {"ended": True},
    )
    for minute in range(5):
        with pytest.raises((SignInRefused, SignInLocked)):
            bo.sign_in("shensu", "wrong password", "10.0.0.9",
                       signed_out + timedelta(minutes=minute))
    failed_at = signed_out
    cases["User.SignInFailed"] = Case(
        "domain.people:User.SignInFailed", officer.id, 5,
        {"failures": 1, "address": "10.0.0.9", "at": moment(failed_at), "by": oid},
        {"failures": 1, "address": "10.0.0.9", "at": failed_at, "by": oid},
        lambda u: {"failed_sign_ins": u.failed_sign_ins, "last_failed_at": u.last_failed_at},
        {"failed_sign_ins": 1, "last_failed_at": failed_at},
    )
    locked_at = signed_out + timedelta(minutes=4)
    until = locked_at + timedelta(minutes=15)
    cases["User.LockedOut"] = Case(
        "domain.people:User.LockedOut", officer.id, 10,
        {"failures": 5, "until": moment(until), "at": moment(locked_at), "by": oid},
        {"failures": 5, "until": until, "at": locked_at, "by": oid},
        lambda u: {"locked_until": u.locked_until, "failed_sign_ins": u.failed_sign_ins},
        {"locked_until": until, "failed_sign_ins": 0},
    )
    bo.set_password(officer.id, "appeals-officer", "another long password", admin)
    cases["SignInName.Released"] = Case(
        "domain.sign_in_name:SignInName.Released", name_id, 2,
        {"by": "bootstrap-admin"},
        {"by": "bootstrap-admin"},
        lambda n: {"user_id": n.user_id},
        {"user_id": None},
    )
    bo.set_password(user.id, "shensu", "zhang san's own password", admin)
    cases["SignInName.Reclaimed"] = Case(
        "domain.sign_in_name:SignInName.Reclaimed", name_id, 3,
        {"user_id": str(user.id), "by": "bootstrap-admin"},
        {"user_id": str(user.id), "by": "bootstrap-admin"},
        lambda n: {"user_id": n.user_id},
        {"user_id": str(user.id)},
    )

    # watchlist
    entry = bo.list_on_watchlist(USCC, "serious_illegal", "国家市场监督管理总局 2026-1",
                                 date(2026, 11, 10), actor)
    cases["WatchlistEntry.Listed"] = Case(
        "domain.watchlist:WatchlistEntry.Listed", entry.id, 1,
        {"originator_topic": "domain.watchlist:WatchlistEntry", "uscc": USCC,
         "watchlist": "serious_illegal", "source": "国家市场监督管理总局 2026-1",
         "listed_on": iso("2026-11-10"), "by": by},
        {"uscc": USCC, "watchlist": "serious_illegal", "source": "国家市场监督管理总局 2026-1",
         "listed_on": date(2026, 11, 10), "by": by},
        lambda w: {"uscc": w.uscc, "listings": w.listings},
        {"uscc": USCC, "listings": {"serious_illegal": {
            "source": "国家市场监督管理总局 2026-1", "listed_on": date(2026, 11, 10)}}},
    )
    bo.list_on_watchlist(USCC, "business_suspension_order", "福州市市场监督管理局 2026-7",
                         date(2026, 11, 12), actor)
    cases["WatchlistEntry.Relisted"] = Case(
        "domain.watchlist:WatchlistEntry.Relisted", entry.id, 2,
        {"watchlist": "business_suspension_order", "source": "福州市市场监督管理局 2026-7",
         "listed_on": iso("2026-11-12"), "by": by},
        {"watchlist": "business_suspension_order", "source": "福州市市场监督管理局 2026-7",
         "listed_on": date(2026, 11, 12), "by": by},
        lambda w: {"lists": sorted(w.listings),
                   "since": w.listings["business_suspension_order"]["listed_on"]},
        {"lists": ["business_suspension_order", "serious_illegal"],
         "since": date(2026, 11, 12)},
    )
    bo.delist(USCC, "整改完成 / rectified", date(2026, 11, 15), actor)
    cases["WatchlistEntry.Delisted"] = Case(
        "domain.watchlist:WatchlistEntry.Delisted", entry.id, 3,
        {"source": "整改完成 / rectified", "delisted_on": iso("2026-11-15"), "by": by},
        {"source": "整改完成 / rectified", "delisted_on": date(2026, 11, 15), "by": by},
        lambda w: {"listings": w.listings, "is_listed": w.is_listed},
        {"listings": {}, "is_listed": False},
    )

    # documents
    form = upload(bo, actor, "application_form")
    document = bo.get_document(form["sha256"])
    cases["Document.Uploaded"] = Case(
        "domain.document:Document.Uploaded", document.id, 1,
        {"originator_topic": "domain.document:Document", "sha256": form["sha256"],
         "size": len(b"application_form"), "media_type": "application/pdf",
         "filename": "application_form.pdf", "by": by},
        {"sha256": form["sha256"], "size": len(b"application_form"),
         "media_type": "application/pdf", "filename": "application_form.pdf", "by": by},
        lambda d: {"sha256": d.sha256, "size": d.size, "media_type": d.media_type,
                   "filename": d.filename},
        {"sha256": form["sha256"], "size": 16, "media_type": "application/pdf",
         "filename": "application_form.pdf"},
    )
    bo.register_document(form["sha256"], 16, "application/x-pdf", "申请书（盖章）.pdf", actor)
    cases["Document.UploadedAgain"] = Case(
        "domain.document:Document.UploadedAgain", document.id, 2,
        {"filename": "申请书（盖章）.pdf", "media_type": "application/x-pdf", "by": by},
        {"filename": "申请书（盖章）.pdf", "media_type": "application/x-pdf", "by": by},
        # The first upload's metadata stands; a later upload only adds a record.
        lambda d: {"filename": d.filename, "version": d.version},
        {"filename": "application_form.pdf", "version": 2},
    )
    bo.mark_original(form["sha256"], "stamped", "盖章页 / stamped page", date(2026, 11, 20), actor)
    original = {"form": "stamped", "note": "盖章页 / stamped page", "by": by}
    cases["Document.MarkedOriginal"] = Case(
        "domain.document:Document.MarkedOriginal", document.id, 3,
        {**original, "verified_on": iso("2026-11-20")},
        {**original, "verified_on": date(2026, 11, 20)},
        lambda d: {"original": d.original},
        {"original": {**original, "verified_on": date(2026, 11, 20)}},
    )

    # an application, through a supplement, to its contract
    # (the organization was delisted above, so it can be accepted)
    sites_doc = upload(bo, actor, "multi_site_list")
    legal = upload(bo, actor, "legal_status")
    app = bo.submit_application(ORGANIZATION, SCOPE, 300, SITES, [form, sites_doc],
                                date(2026, 11, 20), actor)
    cases["CertificationApplication.Submitted"] = Case(
        "domain.application:CertificationApplication.Submitted", app.id, 1,
        {"originator_topic": "domain.application:CertificationApplication",
         "organization": ORGANIZATION, "scope": SCOPE, "effective_headcount": 300,
         "sites": SITES, "documents": [form, sites_doc], "received_on": iso("2026-11-20"),
         "certificate_number": None, "by": by},
        {"organization": ORGANIZATION, "scope": SCOPE, "effective_headcount": 300,
         "sites": SITES, "documents": [form, sites_doc], "received_on": date(2026, 11, 20),
         "certificate_number": None, "by": by},
        lambda a: {"status": a.status, "organization": a.organization, "scope": a.scope,
                   "effective_headcount": a.effective_headcount, "sites": a.sites,
                   "documents": a.documents, "received_on": a.received_on,
                   "certificate_number": a.certificate_number},
        {"status": "submitted", "organization": ORGANIZATION, "scope": SCOPE,
         "effective_headcount": 300, "sites": SITES, "documents": [form, sites_doc],
         "received_on": date(2026, 11, 20), "certificate_number": None},
    )
    bo.review_application(app.id, "supplement_requested", ["缺少法律地位证明 / no legal status"],
                          ["legal_status"], date(2026, 11, 21), actor)
    considered = {
        "scope": SCOPE, "site_count": 1, "effective_headcount": 300,
        "initial_audit_days": "3.00", "audit_days_note": None,
        "competence": CERTIFICATION_FIELD, "missing_documents": ["legal_status"],
    }
    review = {"outcome": "supplement_requested",
              "reasons": ["缺少法律地位证明 / no legal status"], "missing": ["legal_status"],
              "considered": considered, "rulebook_version": RULEBOOK_VERSION, "by": by}
    cases["CertificationApplication.Reviewed"] = Case(
        "domain.application:CertificationApplication.Reviewed", app.id, 2,
        {**review, "reviewed_on": iso("2026-11-21")},
        {**review, "reviewed_on": date(2026, 11, 21)},
        lambda a: {"status": a.status, "reviews": a.reviews},
        {"status": "supplement_requested",
         "reviews": [{**review, "reviewed_on": date(2026, 11, 21)}]},
    )
    bo.receive_supplement(app.id, [legal], date(2026, 11, 22), actor)
    cases["CertificationApplication.SupplementReceived"] = Case(
        "domain.application:CertificationApplication.SupplementReceived", app.id, 3,
        {"documents": [legal], "received_on": iso("2026-11-22"), "by": by},
        {"documents": [legal], "received_on": date(2026, 11, 22), "by": by},
        lambda a: {"status": a.status, "documents": a.documents, "supplements": a.supplements},
        {"status": "submitted", "documents": [form, sites_doc, legal],
         "supplements": [{"documents": [legal], "received_on": date(2026, 11, 22), "by": by}]},
    )
    bo.review_application(app.id, "accepted", [], [], date(2026, 11, 23), actor)
    bo.sign_contract(app.id, CONTRACT_NUMBER, date(2026, 11, 24), actor)
    cases["CertificationApplication.ContractSigned"] = Case(
        "domain.application:CertificationApplication.ContractSigned", app.id, 5,
        {"number": CONTRACT_NUMBER, "signed_on": iso("2026-11-24"), "by": by},
        {"number": CONTRACT_NUMBER, "signed_on": date(2026, 11, 24), "by": by},
        lambda a: {"status": a.status, "contract": a.contract},
        {"status": "contracted",
         "contract": {"number": CONTRACT_NUMBER, "signed_on": date(2026, 11, 24), "by": by}},
    )
    return bo, cases


CASES = (
    "User.Registered",
    "User.EmailRecorded",
    "ApiToken.Issued",
    "ApiToken.Revoked",
    "User.Deactivated",
    "User.PasswordSet",
    "User.SignedIn",
    "User.SignInFailed",
    "User.LockedOut",
    "SignInName.Claimed",
    "SignInName.Released",
    "SignInName.Reclaimed",
    "StaffSession.Started",
    "StaffSession.Ended",
    "WatchlistEntry.Listed",
    "WatchlistEntry.Relisted",
    "WatchlistEntry.Delisted",
    "Document.Uploaded",
    "Document.UploadedAgain",
    "Document.MarkedOriginal",
    "CertificationApplication.Submitted",
    "CertificationApplication.Reviewed",
    "CertificationApplication.SupplementReceived",
    "CertificationApplication.ContractSigned",
)


def _record(bo: BackOffice, case: Case) -> Notification:
    records = [
        n for n in bo.recorder.select_notifications(start=1, limit=1000)
        if n.originator_id == case.originator_id and n.originator_version == case.originator_version
    ]
    assert len(records) == 1
    return records[0]


def assert_stored_form(bo: BackOffice, case: Case) -> None:
    """The stored record's topic, keys and the encoding of every value are as pinned."""
    record = _record(bo, case)
    state = json.loads(record.state)
    assert record.topic == case.topic
    assert set(state) == {"timestamp", *case.stored}
    assert state["timestamp"]["_type_"] == "datetime_iso"
    assert set(state["timestamp"]) == {"_type_", "_data_"}
    assert {k: v for k, v in state.items() if k != "timestamp"} == case.stored


def assert_replays(bo: BackOffice, case: Case, name: str) -> None:
    """The record turns back into its event (every field with its value and type), and the
    aggregate rebuilt up to it shows the event; "Qualname (variant)" names a second shape."""
    event = bo.mapper.to_domain_event(_record(bo, case))
    assert type(event).__qualname__ == name.partition(" ")[0]
    for field, value in case.given.items():
        assert getattr(event, field) == value, field
        assert type(getattr(event, field)) is type(value), field
    aggregate = bo.repository.get(case.originator_id, version=case.originator_version)
    assert aggregate.version == case.originator_version
    assert case.aggregate(aggregate) == case.expected_aggregate


@pytest.mark.parametrize("name", CASES)
def test_stored_form(history: tuple[BackOffice, dict[str, Case]], name: str) -> None:
    # given the event, produced through the back office
    # when its stored record is read
    # then its topic, its keys, and the encoding of every value are as pinned
    bo, cases = history
    assert_stored_form(bo, cases[name])


@pytest.mark.parametrize("name", CASES)
def test_replay(history: tuple[BackOffice, dict[str, Case]], name: str) -> None:
    # given the stored record of the event
    # when it is turned back into an event
    # then every field is what the command gave, with its type (date as date, list as list),
    # and the aggregate rebuilt up to it shows the event
    bo, cases = history
    assert_replays(bo, cases[name], name)


def test_dates_come_back_as_dates(history: tuple[BackOffice, dict[str, Case]]) -> None:
    # given the application's whole history
    bo, cases = history
    app_id = cases["CertificationApplication.Submitted"].originator_id
    # when it is replayed
    app = bo.get_application(app_id)
    # then every business date is a date, and every list a list (no tuple, no str)
    assert type(app.received_on) is date
    assert all(type(r["reviewed_on"]) is date for r in app.reviews)
    assert type(app.contract["signed_on"]) is date  # type: ignore[index]
    assert type(app.sites) is list and type(app.documents) is list
    user_id = cases["User.Registered"].originator_id
    registration = bo.get_user(user_id).ccaa_registration
    assert type(registration["valid_from"]) is date  # type: ignore[index]


PINNED_MODULES = (
    "domain.people",
    "domain.credentials",
    "domain.sign_in_name",
    "domain.staff_session",
    "domain.watchlist",
    "domain.document",
    "domain.application",
)
"""Modules whose every event type is pinned here. Add a module when its events are pinned."""


def _domain_event_topics(modules: tuple[str, ...]) -> set[str]:
    """The topics of every event class the aggregates of these modules define."""
    topics = set()
    for module_name in modules:
        module = importlib.import_module(module_name)
        for obj in vars(module).values():
            if not (isinstance(obj, type) and issubclass(obj, Aggregate)
                    and obj.__module__ == module.__name__):
                continue
            for name, attr in vars(obj).items():
                if (isinstance(attr, type) and issubclass(attr, DomainEvent)
                        and name not in {"Event", "Created"}):
                    topics.add(get_topic(attr))
    return topics


def test_every_event_type_is_pinned(history: tuple[BackOffice, dict[str, Case]]) -> None:
    # given every event class the aggregates of the pinned modules define
    defined = _domain_event_topics(PINNED_MODULES)
    # when compared with the cases of this module
    pinned = {case.topic for case in history[1].values()}
    # then each has its stored form pinned here (add a case for a new event type)
    assert defined == pinned, f"not pinned: {sorted(defined - pinned)}"


def test_the_guard_sees_event_types() -> None:
    # given the module of applications, with four event types
    # when the guard lists its event types
    topics = _domain_event_topics(("domain.application",))
    # then it finds all four (so the guard above cannot pass by seeing nothing)
    assert topics == {
        f"domain.application:CertificationApplication.{name}"
        for name in ("Submitted", "Reviewed", "SupplementReceived", "ContractSigned")
    }
