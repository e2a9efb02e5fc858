"""The stored form of every event type of appeals, notices and integrity checks (rules.md §10).

The companion of `test_event_forms.py` for `domain.appeal`, `domain.notice` and
`domain.integrity`. One back office in memory, today 2026-11-28, with past business dates:

- an initial certification refused on 2026-10-12; the applicant's appeal against the refusal is
  received, acknowledged, assigned to two appeals officers, investigated with a document,
  upheld with a corrective action (reopening the refusal), answered in writing, and escalated
  to the accreditor;
- a complaint about nothing on record (an empty subject), rejected;
- an expiry reminder recorded as sent by the deadline jobs;
- the integrity log started by an intact verification, then a broken one.

Changing an event's fields, its topic or how a value is encoded must fail here: a new shape
needs a new `class_version` with an upcaster, and then a new case. A case named
"Qualname (variant)" pins a second shape of the same event type.
"""

from __future__ import annotations

from datetime import date, timedelta
from decimal import Decimal
from typing import Any
from uuid import UUID

import pytest

from domain.appeal import Appeal
from domain.backoffice import BackOffice
from domain.corrective_action import CorrectiveAction
from domain.integrity import IntegrityLog
from domain.notice import NoticeRecord
from domain.people import DEADLINE_JOBS_ID
from tests.domain.support import upload
from tests.domain.test_event_forms import (
    Case,
    _domain_event_topics,
    _record,
    assert_replays,
    assert_stored_form,
    iso,
)
from tests.domain.test_event_forms_lifecycle import LAYERS, _case
from tests.domain.test_event_forms_lifecycle import Office as LifecycleOffice
from tests.factories import VALID_USCCS

TODAY = date(2026, 11, 28)
USCC = VALID_USCCS[3]
NAME = "福州丁电器有限公司"
APPELLANT = {"name": NAME, "contact": "13900000000"}
COMPLAINANT = {"name": "李四 / a customer", "phone": "13700000000"}
NOTICE = "经复核，申诉成立，将重新作出认证决定。/ Upheld: the decision will be made again."
ACTION = "完善决定复核程序 / tighten the review of decisions"
HEAD, BROKEN_HEAD = "ab" * 32, "cd" * 32
PROBLEM = (
    "链接 18 断开 / link 18 does not follow from the one before: events were edited, "
    "removed or reordered"
)
REMINDER_KEY = "expiry-reminders/2026-11-28/service@example.cn"
REMINDER_SUBJECT = "证书到期提醒 / Certificates expiring soon — 2026-11-28（2）"
REMINDED = ["ECPSC-SC-2024-00007", "ECPSC-SC-2024-00012"]


class Office(LifecycleOffice):
    """The lifecycle pins' staff, with two appeals officers uninvolved in any audit."""

    def __init__(self) -> None:
        super().__init__()
        self.officer = self.user("申诉专员甲", ["appeals_officer"])
        self.second = self.user("申诉专员乙", ["appeals_officer"])

    def refusal(self, day: date, decided_on: date) -> UUID:
        """An initial certification audited on a day and refused later; the decision's id."""
        application_id = self.contracted(USCC, NAME, day)
        audit = self.bo.plan_audit(
            audit_type="initial", start_on=day - timedelta(days=1), end_on=day,
            team=self.team("1.5"), onsite_days=Decimal("2.4"), sites=[], layers=LAYERS,
            justification=None, by=self.planner, application_id=application_id,
        )  # fmt: skip
        self.bo.complete_audit(audit.id, day, Decimal("2.4"), self.leader)
        reasons = ["服务记录不全 / service records incomplete"]
        decision, certificate = self.bo.decide(
            audit.id, "refuse", reasons, decided_on, self.decider
        )
        assert certificate is None
        return decision.id

def _appeal_view(a: Appeal) -> dict[str, Any]:
    """Everything an appeal shows after its receipt."""
    return {
        "status": a.status, "kind": a.kind, "subject": a.subject,
        "organization_uscc": a.organization_uscc, "appellant": a.appellant,
        "received_on": a.received_on, "due_on": a.due_on, "text": a.text,
        "received_by": a.received_by, "acknowledged_on": a.acknowledged_on,
        "handlers": a.handlers, "notes": a.notes, "resolution": a.resolution,
        "notice_sent_on": a.notice_sent_on, "escalations": a.escalations, "is_open": a.is_open,
    }  # fmt: skip


@pytest.fixture(scope="module")
def history() -> tuple[BackOffice, dict[str, Case]]:
    """An appeal's and a complaint's lives, a notice and two verifications, in memory."""
    office = Office()
    bo = office.bo
    intake, officer, second = office.intake.id, office.officer.id, office.second.id
    cases: dict[str, Case] = {}

    # an appeal against a refusal, from receipt to escalation (9.1-9.3)
    refusal = str(office.refusal(date(2026, 10, 10), date(2026, 10, 12)))
    text = "对不予认证决定有异议：维修记录已补充。/ We object to the refusal: records added."
    appeal = bo.receive_appeal(
        "appeal", {"decision_id": UUID(refusal)}, APPELLANT, date(2026, 11, 2), text,
        office.intake,
    ).id  # fmt: skip
    subject = {"decision_id": refusal, "certificate_number": None, "application_id": None}
    received = {
        "kind": "appeal", "subject": subject, "organization_uscc": USCC,
        "appellant": APPELLANT, "received_on": date(2026, 11, 2),
        "due_on": date(2027, 1, 1), "text": text,
    }  # fmt: skip
    untouched: dict[str, Any] = {
        "acknowledged_on": None, "handlers": [], "notes": [], "resolution": None,
        "notice_sent_on": None, "escalations": [], "is_open": True,
    }  # fmt: skip
    cases["Appeal.Received"] = _case(
        "domain.appeal:Appeal.Received", appeal, 1,
        # the subject stored with all three keys, ids as text; due 60 days after receipt
        {"originator_topic": "domain.appeal:Appeal", "kind": "appeal", "subject": subject,
         "organization_uscc": USCC, "appellant": APPELLANT, "received_on": iso("2026-11-02"),
         "due_on": iso("2027-01-01"), "text": text, "by": intake},
        _appeal_view,
        {"status": "received", **received, "received_by": intake, **untouched},
    )  # fmt: skip
    bo.acknowledge_appeal(appeal, date(2026, 11, 3), office.intake)
    cases["Appeal.Acknowledged"] = _case(
        "domain.appeal:Appeal.Acknowledged", appeal, 2,
        {"acknowledged_on": iso("2026-11-03"), "by": intake},
        lambda a: {"status": a.status, "acknowledged_on": a.acknowledged_on},
        {"status": "acknowledged", "acknowledged_on": date(2026, 11, 3)},
    )  # fmt: skip
    bo.assign_appeal(appeal, [second, officer], office.admin, assigned_on=date(2026, 11, 4))
    cases["Appeal.Assigned"] = _case(
        "domain.appeal:Appeal.Assigned", appeal, 3,
        # ids and names side by side, in the order given
        {"handler_ids": [second, officer], "handler_names": ["申诉专员乙", "申诉专员甲"],
         "assigned_on": iso("2026-11-04"), "by": "bootstrap-admin"},
        lambda a: {"status": a.status, "handlers": a.handlers, "assigned_on": a.assigned_on},
        {"status": "assigned",
         "handlers": [{"id": second, "name": "申诉专员乙"}, {"id": officer, "name": "申诉专员甲"}],
         "assigned_on": date(2026, 11, 4)},
    )  # fmt: skip
    evidence = upload(bo, office.officer, "repair_records")["sha256"]
    finding = "核实维修记录齐全 / the repair records are complete"
    bo.record_appeal_note(appeal, finding, [evidence], date(2026, 11, 10), office.officer)
    cases["Appeal.NoteRecorded"] = _case(
        "domain.appeal:Appeal.NoteRecorded", appeal, 4,
        {"text": finding, "evidence": [evidence], "noted_on": iso("2026-11-10"), "by": officer},
        lambda a: {"status": a.status, "notes": a.notes},
        {"status": "investigating",
         "notes": [{"text": finding, "evidence": [evidence], "noted_on": date(2026, 11, 10),
                    "by": officer}]},
    )  # fmt: skip
    _, actions = bo.resolve_appeal(
        appeal, "upheld", date(2026, 11, 20), NOTICE, [ACTION], office.second
    )
    (action,) = (str(a.id) for a in actions)
    resolution = {
        "outcome": "upheld", "notice": NOTICE, "corrective_action_ids": [action],
        "reopened_decision_id": refusal, "by": second,
    }  # fmt: skip
    cases["Appeal.Resolved"] = _case(
        "domain.appeal:Appeal.Resolved", appeal, 5,
        # upheld against a decision: the action raised and the decision reopened, by id
        {**resolution, "resolved_on": iso("2026-11-20")},
        lambda a: {"status": a.status, "resolution": a.resolution, "is_open": a.is_open},
        {"status": "resolved", "resolution": {**resolution, "resolved_on": date(2026, 11, 20)},
         "is_open": True},
    )  # fmt: skip
    bo.send_appeal_notice(appeal, date(2026, 11, 21), office.intake)
    cases["Appeal.NoticeSent"] = _case(
        "domain.appeal:Appeal.NoticeSent", appeal, 6,
        {"sent_on": iso("2026-11-21"), "by": intake},
        lambda a: {"status": a.status, "notice_sent_on": a.notice_sent_on, "is_open": a.is_open},
        {"status": "closed", "notice_sent_on": date(2026, 11, 21), "is_open": False},
    )  # fmt: skip
    note = "申诉人向认可机构投诉 / the appellant complained to CNAS"
    bo.escalate_appeal(appeal, "accreditor", date(2026, 11, 25), note, office.intake)
    cases["Appeal.Escalated"] = _case(
        "domain.appeal:Appeal.Escalated", appeal, 7,
        {"to": "accreditor", "escalated_on": iso("2026-11-25"), "note": note, "by": intake},
        lambda a: {"status": a.status, "escalations": a.escalations},
        {"status": "closed",
         "escalations": [{"to": "accreditor", "escalated_on": date(2026, 11, 25),
                          "note": note, "by": intake}]},
    )  # fmt: skip

    # a complaint about nothing on record, rejected (9.1, 9.2)
    grievance = "门店服务态度差 / rude service at a shop"
    complaint = bo.receive_appeal(
        "complaint", {}, COMPLAINANT, date(2026, 11, 15), grievance, office.intake
    ).id
    nothing = {"decision_id": None, "certificate_number": None, "application_id": None}
    cases["Appeal.Received (complaint)"] = _case(
        "domain.appeal:Appeal.Received", complaint, 1,
        # an empty subject stored as three nulls; no organization
        {"originator_topic": "domain.appeal:Appeal", "kind": "complaint", "subject": nothing,
         "organization_uscc": None, "appellant": COMPLAINANT, "received_on": iso("2026-11-15"),
         "due_on": iso("2027-01-14"), "text": grievance, "by": intake},
        _appeal_view,
        {"status": "received", "kind": "complaint", "subject": nothing,
         "organization_uscc": None, "appellant": COMPLAINANT, "received_on": date(2026, 11, 15),
         "due_on": date(2027, 1, 14), "text": grievance, "received_by": intake, **untouched},
    )  # fmt: skip
    bo.acknowledge_appeal(complaint, date(2026, 11, 16), office.intake)
    bo.assign_appeal(complaint, [officer], office.admin, assigned_on=date(2026, 11, 16))
    answer = "经核实，投诉不成立。/ Not substantiated."
    bo.resolve_appeal(complaint, "rejected", date(2026, 11, 26), answer, [], office.officer)
    cases["Appeal.Resolved (rejected)"] = _case(
        "domain.appeal:Appeal.Resolved", complaint, 4,
        # nothing raised, nothing reopened: an empty list and a null
        {"outcome": "rejected", "resolved_on": iso("2026-11-26"), "notice": answer,
         "corrective_action_ids": [], "reopened_decision_id": None, "by": officer},
        lambda a: {"status": a.status, "resolution": a.resolution},
        {"status": "resolved",
         "resolution": {"outcome": "rejected", "resolved_on": date(2026, 11, 26),
                        "notice": answer, "corrective_action_ids": [],
                        "reopened_decision_id": None, "by": officer}},
    )  # fmt: skip

    # an expiry reminder handed to the mail system by the deadline jobs (6.1)
    assert bo.record_notice(
        REMINDER_KEY, "expiry_reminder", "service@example.cn", REMINDER_SUBJECT, REMINDED,
        by=DEADLINE_JOBS_ID,
    )  # fmt: skip
    cases["NoticeRecord.Sent"] = _case(
        "domain.notice:NoticeRecord.Sent", NoticeRecord.create_id(REMINDER_KEY), 1,
        # sent_on is the back office's today, not given
        {"originator_topic": "domain.notice:NoticeRecord", "key": REMINDER_KEY,
         "kind": "expiry_reminder", "recipient": "service@example.cn",
         "subject": REMINDER_SUBJECT, "certificate_numbers": REMINDED,
         "sent_on": iso("2026-11-28"), "by": DEADLINE_JOBS_ID},
        lambda n: {"key": n.key, "kind": n.kind, "recipient": n.recipient,
                   "subject": n.subject, "certificate_numbers": n.certificate_numbers,
                   "sent_on": n.sent_on},
        {"key": REMINDER_KEY, "kind": "expiry_reminder", "recipient": "service@example.cn",
         "subject": REMINDER_SUBJECT, "certificate_numbers": REMINDED, "sent_on": TODAY},
    )  # fmt: skip

    # the integrity log: started by the first verification, which held; a later one broke (10)
    log = IntegrityLog.create_id()
    bo.record_verification(17, 17, HEAD, True, None, None, DEADLINE_JOBS_ID)
    intact = {"checked": 17, "last_notification_id": 17, "head": HEAD, "intact": True,
              "broken_at": None, "problem": None, "by": DEADLINE_JOBS_ID}  # fmt: skip
    cases["IntegrityLog.Started"] = _case(
        "domain.integrity:IntegrityLog.Started",
        log,
        1,
        {"originator_topic": "domain.integrity:IntegrityLog"},
        lambda g: {"last": g.last, "last_intact": g.last_intact},
        {"last": None, "last_intact": None},
    )
    cases["IntegrityLog.Verified"] = _case(
        "domain.integrity:IntegrityLog.Verified",
        log,
        2,
        intact,
        lambda g: {"last": g.last, "last_intact": g.last_intact},
        {"last": intact, "last_intact": intact},
    )
    bo.record_verification(17, 17, BROKEN_HEAD, False, 18, PROBLEM, "bootstrap-admin")
    broken = {"checked": 17, "last_notification_id": 17, "head": BROKEN_HEAD, "intact": False,
              "broken_at": 18, "problem": PROBLEM, "by": "bootstrap-admin"}  # fmt: skip
    cases["IntegrityLog.Verified (broken)"] = _case(
        "domain.integrity:IntegrityLog.Verified",
        log,
        3,
        broken,
        # the last intact verification stands beside the broken one
        lambda g: {"last": g.last, "last_intact": g.last_intact},
        {"last": broken, "last_intact": intact},
    )
    return bo, cases


CASES = (
    "Appeal.Received",
    "Appeal.Received (complaint)",
    "Appeal.Acknowledged",
    "Appeal.Assigned",
    "Appeal.NoteRecorded",
    "Appeal.Resolved",
    "Appeal.Resolved (rejected)",
    "Appeal.NoticeSent",
    "Appeal.Escalated",
    "NoticeRecord.Sent",
    "IntegrityLog.Started",
    "IntegrityLog.Verified",
    "IntegrityLog.Verified (broken)",
)


def test_every_case_is_run(history: tuple[BackOffice, dict[str, Case]]) -> None:
    """Given the history's cases, when listed, then each is parametrized below, and no more."""
    assert sorted(history[1]) == sorted(CASES)


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


def test_resolution_names_what_it_raised(history: tuple[BackOffice, dict[str, Case]]) -> None:
    """Given the upheld appeal, when its resolution is replayed, then its ids are the records'."""
    bo, cases = history
    case = cases["Appeal.Resolved"]
    event = bo.mapper.to_domain_event(_record(bo, case))
    (action_id,) = event.corrective_action_ids  # type: ignore[attr-defined]
    action: CorrectiveAction = bo.repository.get(UUID(action_id))
    assert (action.category, action.evidence) == ("appeal_resolution", ACTION)
    assert action.opened_on == date(2026, 11, 20) and type(action.opened_on) is date
    decision = bo.get_decision(UUID(event.reopened_decision_id))  # type: ignore[attr-defined]
    assert decision.reopened is not None
    assert decision.reopened["appeal_id"] == str(case.originator_id)


PINNED_MODULES = ("domain.appeal", "domain.notice", "domain.integrity")
"""Modules whose every event type is pinned here. Add a module when its events are pinned."""


def test_every_event_type_is_pinned(history: tuple[BackOffice, dict[str, Case]]) -> None:
    """Given these modules' event classes, when compared with the cases, then each is pinned."""
    defined = _domain_event_topics(PINNED_MODULES)
    pinned = {case.topic for case in history[1].values()}
    assert defined == pinned, f"not pinned: {sorted(defined - pinned)}"


def test_the_guard_sees_the_record_event_types() -> None:
    """Given the notice and integrity modules, when the guard lists them, then it finds 3 types."""
    topics = _domain_event_topics(("domain.notice", "domain.integrity"))
    assert topics == {
        "domain.notice:NoticeRecord.Sent",
        "domain.integrity:IntegrityLog.Started",
        "domain.integrity:IntegrityLog.Verified",
    }
