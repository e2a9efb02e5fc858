"""The back office: the one place that loads aggregates, checks cross-aggregate rules and saves."""

from __future__ import annotations

from collections.abc import Callable
from datetime import date
from decimal import Decimal
from fractions import Fraction
from typing import Any, TypeVar
from uuid import UUID

from eventsourcing.domain import Aggregate
from eventsourcing.persistence import IntegrityError

from domain.appeal import Appeal, ensure_received_after_subject
from domain.application import CertificationApplication
from domain.audit import Audit
from domain.calendar_desk import CalendarDesk
from domain.certificate import (
    CERTIFICATION_BASIS,
    FOLLOW_UPS,
    WITHDRAWAL_REASONS,
    Certificate,
    CertificateNumbering,
    expiry_for,
)
from domain.corrective_action import CorrectiveAction
from domain.credentials import ApiToken, new_token, token_digest
from domain.decision import Decision
from domain.disposal import Disposal
from domain.document import Document
from domain.errors import InvalidInput, RuleViolation
from domain.hold import LegalHold
from domain.integrity import IntegrityLog
from domain.notice import NOTICE_KINDS, NoticeRecord
from domain.people import BOOTSTRAP_ADMIN_ID, DEADLINE_JOBS_ID, ROLES, Actor, User
from domain.regulator_report import RegulatorReport, ensure_month, first_day, next_month
from domain.rulebook.audit_time import base_days
from domain.rulebook.dates import ensure_not_before
from domain.rulebook.numbers import two_decimals
from domain.rulebook.version import RULEBOOK_VERSION
from domain.rulebook.working_days import OfficialCalendar
from domain.sign_in_desk import SignInDesk
from domain.sweeps import DueChange, SweepJournal, apply_change, due_change
from domain.uscc import uscc_problem
from domain.watchlist import WATCHLISTS, WatchlistEntry

A = TypeVar("A", bound=Aggregate)
L = TypeVar("L", SweepJournal, IntegrityLog)

NUMBERING_ATTEMPTS = 20
"""How often a grant retries after a concurrent grant took the number it had drawn."""

CERTIFICATION_FIELD = "03 批发和零售服务 / wholesale and retail services (ZPIC-WF-20 2.1)"


def ensure_valid_uscc(uscc: str) -> None:
    """Refuse a uscc that fails GB 32100-2015 (charset, structure, check digit)."""
    problem = uscc_problem(uscc)
    if problem is not None:
        raise InvalidInput("uscc", problem)


class BackOffice(CalendarDesk, SignInDesk):
    """Commands of the certification body's back office, over its event store."""

    name = "BackOffice"
    snapshotting_intervals = {SweepJournal: 50, IntegrityLog: 50, User: 50}  # noqa: RUF012
    """The deadline jobs' journal gains an event a day, a user one per sign-in; a snapshot
    keeps their loading short."""

    # -- people ----------------------------------------------------------------------------

    def register_user(
        self,
        name: str,
        roles: list[str],
        ccaa_registration: dict[str, Any] | None,
        by: Actor,
        email: str | None = None,
    ) -> tuple[User, str]:
        """Register a staff member and issue their first token (shown once)."""
        unknown = sorted(set(roles) - set(ROLES))
        if unknown:
            raise ValueError(f"unknown roles: {unknown}")
        user = User(
            name=name, roles=sorted(set(roles)), ccaa_registration=ccaa_registration, by=by.id
        )
        if email:
            user.record_email(email=email, by=by.id)
        token = new_token()
        credential = ApiToken(digest=token_digest(token), user_id=str(user.id),
                              expires_at=self.token_expiry(), by=by.id)
        self.save(user, credential)
        return user, token

    def issue_token(self, user_id: UUID, by: Actor) -> str:
        """Issue another token to an existing user (shown once)."""
        user = self.get_user(user_id)
        token = new_token()
        self.save(ApiToken(digest=token_digest(token), user_id=str(user.id),
                           expires_at=self.token_expiry(), by=by.id))
        return token

    def get_user(self, user_id: UUID) -> User:
        """A staff member by id."""
        return self._get(User, user_id, "用户 / user")

    def authenticate(self, token: str) -> Actor | None:
        """The actor behind a bearer token, or None when the token is unknown or revoked."""
        credential = self._find(ApiToken, ApiToken.create_id(token_digest(token)))
        if credential is None or not self.token_accepted(credential):
            return None
        user = self._find(User, UUID(credential.user_id))
        if user is None or not user.active:
            return None
        return Actor(str(user.id), user.name, frozenset(user.roles))

    @staticmethod
    def bootstrap_admin() -> Actor:
        """The actor of ECPSC_ADMIN_TOKEN."""
        return Actor(
            BOOTSTRAP_ADMIN_ID, "系统管理员 / bootstrap administrator", frozenset({"admin"})
        )

    # -- documents -------------------------------------------------------------------------

    def register_document(
        self, sha256: str, size: int, media_type: str, filename: str, by: Actor
    ) -> Document:
        """Record an upload of content already stored under its SHA-256 (4.1.1, 10.3)."""
        document = self._find(Document, Document.create_id(sha256))
        if document is None:
            document = Document(
                sha256=sha256, size=size, media_type=media_type, filename=filename, by=by.id
            )
        else:
            document.upload_again(filename=filename, media_type=media_type, by=by.id)
        self.save(document)
        return document

    def mark_original(
        self, sha256: str, form: str, note: str, verified_on: date, by: Actor
    ) -> Document:
        """Mark a stored document as a signed or stamped original (10.3)."""
        self._check_business_date("verified_on", verified_on)
        document = self.get_document(sha256)
        document.mark_original(form=form, note=note, verified_on=verified_on, by=by.id)
        self.save(document)
        return document

    def get_document(self, sha256: str) -> Document:
        """A document's metadata by its SHA-256."""
        return self._get(Document, Document.create_id(sha256), "文件 / document")

    def _check_documents_known(self, documents: list[dict[str, str]]) -> None:
        for doc in documents:
            if self._find(Document, Document.create_id(doc["sha256"])) is None:
                raise RuleViolation(
                    f"文件 {doc['sha256']} 未上传 / document {doc['sha256']} was never uploaded",
                    code="unknown_document",
                    clause="ZPIC-WF-20 4.1.1, 10.3",
                )

    # -- watchlist -------------------------------------------------------------------------

    def list_on_watchlist(
        self, uscc: str, watchlist: str, source: str, listed_on: date, by: Actor
    ) -> WatchlistEntry:
        """Record that an enforcement authority listed the organization (4.1.2)."""
        if watchlist not in WATCHLISTS:
            raise InvalidInput("list", f"未知名单 / unknown watchlist {watchlist!r}")
        ensure_valid_uscc(uscc)
        self._check_business_date("listed_on", listed_on)
        entry = self._find(WatchlistEntry, WatchlistEntry.create_id(uscc))
        if entry is None:
            entry = WatchlistEntry(
                uscc=uscc, watchlist=watchlist, source=source, listed_on=listed_on, by=by.id
            )
        else:
            entry.list_again(watchlist=watchlist, source=source, listed_on=listed_on, by=by.id)
        self.save(entry)
        return entry

    def delist(self, uscc: str, source: str, delisted_on: date, by: Actor) -> WatchlistEntry:
        """Record that the organization was taken off the watchlist (4.1.2)."""
        self._check_business_date("delisted_on", delisted_on)
        entry = self._find(WatchlistEntry, WatchlistEntry.create_id(uscc))
        if entry is None:
            raise RuleViolation(
                "该组织不在监管名单上 / the organization is not on the watchlist",
                code="not_listed",
                clause="ZPIC-WF-20 4.1.2",
            )
        entry.delist(source=source, delisted_on=delisted_on, by=by.id)
        self.save(entry)
        return entry

    def watchlist_entry(self, uscc: str) -> WatchlistEntry | None:
        """The organization's watchlist record, if it was ever listed."""
        return self._find(WatchlistEntry, WatchlistEntry.create_id(uscc))

    def is_listed(self, uscc: str, on: date | None = None) -> bool:
        """Whether the organization is on the watchlist now, or was on a given day (4.1.2).

        A command dated in the past is refused if the organization was listed on its date or
        is listed now: both make it ineligible.
        """
        entry = self.watchlist_entry(uscc)
        if entry is None:
            return False
        return entry.is_listed or (on is not None and entry.was_listed_on(on))

    # -- applications ----------------------------------------------------------------------

    def submit_application(
        self,
        organization: dict[str, Any],
        scope: str,
        effective_headcount: int,
        sites: list[dict[str, str]],
        documents: list[dict[str, str]],
        received_on: date,
        by: Actor,
        certificate_number: str | None = None,
    ) -> CertificationApplication:
        """Receive an application with its materials (4.1.1)."""
        ensure_valid_uscc(str(organization.get("uscc", "")))
        self._check_business_date("received_on", received_on)
        if effective_headcount < 1:
            raise ValueError("effective_headcount must be at least 1")
        self._check_documents_known(documents)
        if certificate_number is not None:
            certificate = self._certificate_named(certificate_number, "ZPIC-WF-20 6.1")
            if certificate.organization["uscc"] != organization.get("uscc"):
                raise RuleViolation(
                    f"证书 {certificate_number} 属于另一组织 / certificate {certificate_number} "
                    "belongs to another organization",
                    code="certificate_of_another_organization",
                    clause="ZPIC-WF-20 6.1",
                )
            certificate.ensure_recertifiable(received_on)
        application = CertificationApplication(
            organization=organization,
            scope=scope,
            effective_headcount=effective_headcount,
            sites=sites,
            documents=documents,
            received_on=received_on,
            certificate_number=certificate_number,
            by=by.id,
        )
        self.save(application)
        return application

    def get_application(self, application_id: UUID) -> CertificationApplication:
        """An application by id, from its events."""
        return self._get(CertificationApplication, application_id, "申请 / application")

    def review_application(
        self,
        application_id: UUID,
        outcome: str,
        reasons: list[str],
        missing: list[str],
        reviewed_on: date,
        by: Actor,
        expected_version: int | None = None,
    ) -> CertificationApplication:
        """Record the review (4.1.3); a listed organization cannot be accepted (4.1.2)."""
        self._check_business_date("reviewed_on", reviewed_on)
        application = self.get_application(application_id)
        self._check_version(application, expected_version)
        if outcome == "accepted" and self.is_listed(application.uscc, on=reviewed_on):
            raise RuleViolation(
                "该组织被责令停业整顿或列入严重违法企业名单，不能受理 / the organization is on "
                "the watchlist (business suspension order or serious illegal enterprise list) "
                "and cannot be accepted",
                code="ineligible",
                clause="ZPIC-WF-20 4.1.2",
            )
        application.review(
            outcome=outcome,
            reasons=reasons,
            missing=missing,
            reviewed_on=reviewed_on,
            considered=self._review_considerations(application),
            rulebook_version=RULEBOOK_VERSION,
            by=by.id,
        )
        self.save(application)
        return application

    @staticmethod
    def _review_considerations(application: CertificationApplication) -> dict[str, Any]:
        """What a review weighs (4.1.3): scope, sites, headcount, audit time, competence."""
        days = base_days(application.effective_headcount)
        return {
            "scope": application.scope,
            "site_count": len(application.sites),
            "effective_headcount": application.effective_headcount,
            "initial_audit_days": None if days is None else two_decimals(Fraction(days)),
            "audit_days_note": None
            if days is not None
            else (
                "有效人数超过10700，审核时间由策划人员书面论证确定且不少于6人日 / above 10,700 "
                "the planner sets the time with a written justification, at least 6 days"
            ),
            "competence": CERTIFICATION_FIELD,
            "missing_documents": application.missing_documents(),
        }

    def receive_supplement(
        self,
        application_id: UUID,
        documents: list[dict[str, str]],
        received_on: date,
        by: Actor,
        expected_version: int | None = None,
    ) -> CertificationApplication:
        """Record supplementary materials; the application goes back to review (4.1.3)."""
        self._check_business_date("received_on", received_on)
        application = self.get_application(application_id)
        self._check_version(application, expected_version)
        self._check_documents_known(documents)
        application.receive_supplement(documents=documents, received_on=received_on, by=by.id)
        self.save(application)
        return application

    def sign_contract(
        self,
        application_id: UUID,
        number: str,
        signed_on: date,
        by: Actor,
        expected_version: int | None = None,
    ) -> CertificationApplication:
        """Record the certification contract (4.1.4)."""
        self._check_business_date("signed_on", signed_on)
        application = self.get_application(application_id)
        self._check_version(application, expected_version)
        application.sign_contract(number=number, signed_on=signed_on, by=by.id)
        self.save(application)
        return application

    # -- audits ----------------------------------------------------------------------------

    def _team(self, team: list[dict[str, Any]]) -> list[dict[str, Any]]:
        """Team members with what the rules need to know of each user (4.2.3)."""
        ids = [str(m["user_id"]) for m in team]
        if len(set(ids)) != len(ids):
            raise InvalidInput("team", "审查组成员重复 / a user appears twice in the team")
        members = []
        for m in team:
            user = self._find(User, UUID(str(m["user_id"])))
            if user is None:
                raise RuleViolation(
                    f"用户 {m['user_id']} 不存在 / no user {m['user_id']}",
                    code="unknown_user",
                    clause="ZPIC-WF-20 4.2.3",
                )
            members.append(
                {
                    "user_id": str(user.id),
                    "name": user.name,
                    "role": m["role"],
                    "days": Decimal(m["days"]),
                    "registration": user.ccaa_registration,
                    "staff_roles": list(user.roles),
                }
            )
        return members

    def plan_audit(
        self,
        *,
        audit_type: str,
        start_on: date,
        end_on: date,
        team: list[dict[str, Any]],
        onsite_days: Decimal,
        sites: list[str],
        layers: list[str],
        justification: str | None,
        by: Actor,
        application_id: UUID | None = None,
        certificate_number: str | None = None,
        effective_headcount: int | None = None,
    ) -> Audit:
        """Plan an audit of an application or a certificate against 4.2 (time, team, sample)."""
        if application_id is None:
            if certificate_number is None:
                raise InvalidInput(
                    "application_id",
                    "须指明申请或证书 / name the application or the certificate audited",
                )
            return self._plan_certificate_audit(
                certificate_number=certificate_number,
                audit_type=audit_type,
                start_on=start_on,
                end_on=end_on,
                team=team,
                onsite_days=onsite_days,
                sites=sites,
                layers=layers,
                justification=justification,
                by=by,
                effective_headcount=effective_headcount,
            )
        if certificate_number is not None:
            raise InvalidInput(
                "certificate_number",
                "申请的审查不另填证书号 / an application's audit takes no certificate_number",
            )
        application = self.get_application(application_id)
        if application.status != "contracted":
            raise RuleViolation(
                "签订认证合同前不能策划审查 / no audit can be planned before the certification "
                "contract is recorded",
                code="no_contract",
                clause="ZPIC-WF-20 4.1.4",
            )
        expected = "recertification" if application.certificate_number else "initial"
        if audit_type != expected:
            raise RuleViolation(
                f"该申请应进行{'再认证' if expected == 'recertification' else '初次认证'}审查 / "
                f"this application calls for an {expected} audit, not {audit_type}",
                code="wrong_audit_type",
                clause="ZPIC-WF-20 4.2.1.2",
            )
        audit_id = Audit.id_for_application(application.id, audit_type)
        if self._find(Audit, audit_id) is not None:
            raise RuleViolation(
                "该申请的审查已策划 / this application's audit is already planned",
                code="audit_already_planned",
                clause="ZPIC-WF-20 4.2.4",
            )
        audit = Audit.plan(
            application_id=str(application.id),
            certificate_number=application.certificate_number,
            audit_type=audit_type,
            organization=application.organization,
            scope=application.scope,
            effective_headcount=application.effective_headcount,
            service_sites=[s["name"] for s in application.sites],
            start_on=start_on,
            end_on=end_on,
            team=self._team(team),
            onsite_days=onsite_days,
            sites=sites,
            layers=layers,
            justification=justification,
            rulebook_version=RULEBOOK_VERSION,
            by=by.id,
        )
        self.save(audit)
        return audit

    def _certificate_named(self, number: str, clause: str) -> Certificate:
        """A certificate a command names in its body: unknown → 409 unknown_certificate."""
        certificate = self._find(Certificate, Certificate.create_id(number))
        if certificate is None:
            raise RuleViolation(
                f"证书 {number} 不存在 / no certificate numbered {number}",
                code="unknown_certificate",
                clause=clause,
            )
        return certificate

    def _plan_certificate_audit(
        self,
        *,
        certificate_number: str,
        audit_type: str,
        start_on: date,
        end_on: date,
        team: list[dict[str, Any]],
        onsite_days: Decimal,
        sites: list[str],
        layers: list[str],
        justification: str | None,
        by: Actor,
        effective_headcount: int | None,
    ) -> Audit:
        """5.1–5.4: a surveillance or supplementary audit of a live certificate, sized by the
        organization's current headcount, offering the sites not yet visited this cycle first."""
        certificate = self._certificate_named(certificate_number, "ZPIC-WF-20 5.1")
        if audit_type not in ("surveillance", "supplementary"):
            raise RuleViolation(
                "证书的审查为监督审查或补充审查，再认证须先提交申请 / a certificate is audited "
                "by surveillance or supplementary audits; recertification starts with an "
                "application",
                code="wrong_audit_type",
                clause="ZPIC-WF-20 5.1, 6.1",
            )
        certificate.ensure_open(action=("审查", "audited"))
        if certificate.status_on(start_on) == "expired":
            raise RuleViolation(
                f"证书已于 {certificate.expires_on.isoformat()} 到期 / the certificate expired "
                f"after {certificate.expires_on.isoformat()}",
                code="certificate_expired",
                clause="ZPIC-WF-20 8.1.2",
            )
        if audit_type == "surveillance" and certificate.next_surveillance_due is None:
            raise RuleViolation(
                "再认证年度不进行监督审查 / no surveillance is due: the recertification year "
                "has none",
                code="no_surveillance_due",
                clause="ZPIC-WF-20 5.2",
            )
        cycle_audit = self.get_audit(UUID(certificate.cycle_audit_id))
        latest = cycle_audit
        if certificate.cycle_audits:
            latest = self.get_audit(UUID(certificate.cycle_audits[-1]["audit_id"]))
        headcount = effective_headcount or latest.effective_headcount
        audit_id = Audit.id_for_certificate(certificate.number, certificate.certificate_audits + 1)
        if self._find(Audit, audit_id) is not None:
            raise RuleViolation(
                "该证书已有一次审查在进行中 / an audit of this certificate is planned and not "
                "yet completed",
                code="audit_already_planned",
                clause="ZPIC-WF-20 4.2.4",
            )
        audit = Audit.plan(
            application_id=None,
            certificate_number=certificate.number,
            audit_type=audit_type,
            organization=dict(latest.organization),
            scope=certificate.scope,
            effective_headcount=headcount,
            service_sites=list(latest.service_sites),
            start_on=start_on,
            end_on=end_on,
            team=self._team(team),
            onsite_days=onsite_days,
            sites=sites,
            layers=layers,
            justification=justification,
            rulebook_version=RULEBOOK_VERSION,
            by=by.id,
            visited_sites=frozenset(cycle_audit.sites) | certificate.visited_sites,
            audit_id=audit_id,
        )
        self.save(audit)
        return audit

    def previous_cycle(self, audit: Audit) -> dict[str, Any] | None:
        """6.2: for a recertification audit, the cycle it would renew: scores, special
        deductions and suspensions (appeals and complaints join them with ZPIC-WF-20 9)."""
        if audit.audit_type != "recertification" or audit.certificate_number is None:
            return None
        certificate = self.get_certificate(audit.certificate_number)
        cycle_audit = self.get_audit(UUID(certificate.cycle_audit_id))
        audits = []
        for aggregate in [cycle_audit] + [
            self.get_audit(UUID(a["audit_id"])) for a in certificate.cycle_audits
        ]:
            if aggregate.id == audit.id or aggregate.completion is None:
                continue
            score = aggregate.completion["score"]
            audits.append(
                {
                    "audit_id": str(aggregate.id),
                    "type": aggregate.audit_type,
                    "completed_on": aggregate.completion["completed_on"].isoformat(),
                    "score": score["score"],
                    "passed": score["passed"],
                    "grade": score["grade"],
                    "special_deductions": [
                        {"category": d["category"], "evidence": d["evidence"]}
                        for d in aggregate.special_deductions
                    ],
                }
            )
        return {
            "certificate_number": certificate.number,
            "cycle": certificate.cycle,
            "issued_on": certificate.issued_on.isoformat(),
            "expires_on": certificate.expires_on.isoformat(),
            "audits": audits,
            "suspensions": [
                {k: v.isoformat() if isinstance(v, date) else v for k, v in s.items()}
                for s in certificate.cycle_suspensions
            ],
            "appeals": [],
            "complaints": [],
        }

    def get_audit(self, audit_id: UUID) -> Audit:
        """An audit by id, from its events."""
        return self._get(Audit, audit_id, "审查 / audit")

    def _open_audit(self, audit_id: UUID, expected_version: int | None) -> Audit:
        audit = self.get_audit(audit_id)
        self._check_version(audit, expected_version)
        return audit

    def record_finding(
        self,
        audit_id: UUID,
        indicator: str,
        clause: str,
        kind: str,
        sampled: int | None,
        nonconforming: int | None,
        evidence: str,
        by: Actor,
        expected_version: int | None = None,
    ) -> tuple[Audit, int]:
        """A team member records a finding (4.4.2.3); a trainee's waits for approval."""
        audit = self._open_audit(audit_id, expected_version)
        number = audit.record_finding(
            indicator=indicator,
            clause=clause,
            kind=kind,
            sampled=sampled,
            nonconforming=nonconforming,
            evidence=evidence,
            by=by.id,
        )
        self.save(audit)
        return audit, number

    def approve_finding(
        self, audit_id: UUID, number: int, by: Actor, expected_version: int | None = None
    ) -> Audit:
        """A qualified team member approves a trainee's finding (4.2.3)."""
        audit = self._open_audit(audit_id, expected_version)
        audit.approve_finding(number=number, by=by.id)
        self.save(audit)
        return audit

    def exclude_indicator(
        self,
        audit_id: UUID,
        indicator: str,
        reason: str,
        by: Actor,
        expected_version: int | None = None,
    ) -> Audit:
        """Exclude a goods-service indicator that does not apply (4.4.2.2)."""
        audit = self._open_audit(audit_id, expected_version)
        audit.exclude(indicator=indicator, reason=reason, by=by.id)
        self.save(audit)
        return audit

    def record_special_deduction(
        self,
        audit_id: UUID,
        category: str,
        evidence: str,
        by: Actor,
        expected_version: int | None = None,
        found_on: date | None = None,
    ) -> tuple[Audit, CorrectiveAction]:
        """Record a special deduction and open its corrective action, in one save (4.4.2.3).

        The action opens on the day the deduction was found: by default the audit's last day,
        or today while the audit is still under way.
        """
        audit = self._open_audit(audit_id, expected_version)
        opened_on = found_on or min(self.today(), audit.end_on)
        self._check_business_date("found_on", opened_on)
        ensure_not_before("found_on", opened_on, "start_on", audit.start_on)
        action = CorrectiveAction(
            audit_id=str(audit.id),
            category=category,
            evidence=evidence,
            opened_on=opened_on,
            by=by.id,
        )
        audit.record_special_deduction(
            category=category, evidence=evidence, corrective_action_id=str(action.id), by=by.id
        )
        self.save(action, audit)
        return audit, action

    def record_special_bonus(
        self, audit_id: UUID, evidence: str, by: Actor, expected_version: int | None = None
    ) -> Audit:
        """Record the audit's one special bonus (4.4.2.3)."""
        audit = self._open_audit(audit_id, expected_version)
        audit.record_special_bonus(evidence=evidence, by=by.id)
        self.save(audit)
        return audit

    def complete_audit(
        self,
        audit_id: UUID,
        completed_on: date,
        onsite_days: Decimal,
        by: Actor,
        expected_version: int | None = None,
    ) -> Audit:
        """The team leader completes the audit; the score is fixed under this rulebook (4.4.3)."""
        self._check_business_date("completed_on", completed_on)
        audit = self._open_audit(audit_id, expected_version)
        audit.complete(
            completed_on=completed_on,
            onsite_days=onsite_days,
            rulebook_version=RULEBOOK_VERSION,
            by=by.id,
        )
        certificate = None
        if audit.application_id is None and audit.certificate_number is not None:
            certificate = self.get_certificate(audit.certificate_number)
            if certificate.status in ("valid", "suspended"):
                assert audit.completion is not None
                certificate.record_audit(
                    audit_id=str(audit.id),
                    audit_type=audit.audit_type,
                    completed_on=completed_on,
                    score=audit.completion["score"],
                    sites=list(audit.sites),
                    rulebook_version=RULEBOOK_VERSION,
                    by=by.id,
                )
            else:
                certificate = None
        self.save(audit, *([certificate] if certificate is not None else []))
        return audit

    def get_corrective_action(self, action_id: UUID) -> CorrectiveAction:
        """A corrective action by id."""
        return self._get(CorrectiveAction, action_id, "整改 / corrective action")

    def close_corrective_action(
        self,
        action_id: UUID,
        verified_on: date,
        evidence: str,
        by: Actor,
        expected_version: int | None = None,
    ) -> CorrectiveAction:
        """Record the verification of a correction (4.4.2.3)."""
        self._check_business_date("verified_on", verified_on)
        action = self.get_corrective_action(action_id)
        self._check_version(action, expected_version)
        action.close(verified_on=verified_on, evidence=evidence, by=by.id)
        self.save(action)
        return action

    # -- decisions and certificates ---------------------------------------------------------

    def decide(
        self,
        audit_id: UUID,
        outcome: str,
        reasons: list[str],
        decided_on: date,
        by: Actor,
        grade: str | None = None,
        withdrawal_reason: str | None = None,
    ) -> tuple[Decision, Certificate | None]:
        """Grant or refuse certification on a completed audit (4.6); a grant issues the certificate.

        On a failed surveillance or supplementary audit the outcome is its follow-up (5.6).

        Concurrent grants clash on the year's numbering and are retried, so numbers stay unique
        and in order; a second decision on the same audit clashes on the decision's id.
        """
        for attempt in range(NUMBERING_ATTEMPTS):
            try:
                return self._decide(
                    audit_id, outcome, reasons, decided_on, by, grade, withdrawal_reason
                )
            except IntegrityError:
                if attempt == NUMBERING_ATTEMPTS - 1:
                    raise
        raise AssertionError("unreachable")  # pragma: no cover

    def _decide(
        self,
        audit_id: UUID,
        outcome: str,
        reasons: list[str],
        decided_on: date,
        by: Actor,
        grade: str | None = None,
        withdrawal_reason: str | None = None,
    ) -> tuple[Decision, Certificate | None]:
        self._check_business_date("decided_on", decided_on)
        if outcome not in ("grant", "refuse", *FOLLOW_UPS):
            raise InvalidInput("outcome", f"未知决定 / unknown outcome {outcome!r}")
        if withdrawal_reason is not None and withdrawal_reason not in WITHDRAWAL_REASONS:
            raise InvalidInput(
                "withdrawal_reason",
                f"未知撤销原因 / unknown withdrawal reason {withdrawal_reason!r}",
            )
        audit = self.get_audit(audit_id)
        if audit.completion is None:
            raise RuleViolation(
                "审查尚未完成，不能作出认证决定 / the audit is not completed",
                code="audit_not_completed",
                clause="ZPIC-WF-20 4.6.1",
            )
        if by.id in audit.team_user_ids:
            raise RuleViolation(
                "审查组成员（含实习审查员）不得作出认证决定 / a member of the audit team, "
                "trainees included, may not make the certification decision",
                code="not_impartial",
                clause="ZPIC-WF-20 4.6.1, 4.6.2",
            )
        previous, sequence = self.latest_decision(str(audit.id))
        if previous is not None and previous.reopened is None:
            raise RuleViolation(
                "该审查已作出认证决定 / this audit already has its decision",
                code="already_decided",
                clause="ZPIC-WF-20 4.6",
            )
        if previous is not None and previous.certificate_number and outcome == "grant":
            raise RuleViolation(
                f"该审查已颁发证书 {previous.certificate_number}，请对证书采取措施 / this audit "
                f"already certified {previous.certificate_number}; act on the certificate instead",
                code="already_certified",
                clause="ZPIC-WF-20 9.2",
            )
        decision_id = Decision.create_id(str(audit.id), sequence + 1)
        completed_on = audit.completion["completed_on"]
        ensure_not_before("decided_on", decided_on, "the audit's completion", completed_on)
        score = audit.completion["score"]
        if audit.application_id is None:
            return self._follow_up(
                audit, decision_id, outcome, reasons, decided_on, by, grade, withdrawal_reason
            )
        if outcome in FOLLOW_UPS:
            raise RuleViolation(
                "后续处理只适用于未通过的监督或补充审查 / a follow-up applies only to a failed "
                "surveillance or supplementary audit; this audit calls for grant or refuse",
                code="wrong_outcome",
                clause="ZPIC-WF-20 4.6, 5.6",
            )
        if outcome == "refuse":
            if not reasons:
                raise InvalidInput("reasons", "不予认证须说明理由 / a refusal needs its reasons")
            decision = Decision.numbered(
                decision_id,
                audit_id=str(audit.id),
                application_id=audit.application_id,
                outcome="refuse",
                reasons=reasons,
                decided_on=decided_on,
                certificate_number=None,
                grade=None,
                rulebook_version=RULEBOOK_VERSION,
                by=by.id,
            )
            self.save(decision)
            return decision, None
        self._check_grantable(audit, decided_on)
        if audit.audit_type == "recertification" and audit.certificate_number is not None:
            return self._recertify(audit, decision_id, reasons, decided_on, by)
        numbering = self._find(
            CertificateNumbering, CertificateNumbering.create_id(decided_on.year)
        ) or CertificateNumbering(year=decided_on.year)
        number = numbering.allocate(decision_id=str(decision_id), by=by.id)
        # The decision is made last, so everything its save records is as of its timestamp.
        certificate = Certificate(
            number=number,
            organization={k: audit.organization[k] for k in ("name", "uscc", "address")},
            scope=audit.scope,
            sites=self._covered_sites(audit),
            grade=score["grade"],
            issued_on=decided_on,
            expires_on=expiry_for(decided_on),
            audit_id=str(audit.id),
            decision_id=str(decision_id),
            application_id=audit.application_id,
            basis=CERTIFICATION_BASIS,
            by=by.id,
        )
        decision = Decision.numbered(
            decision_id,
            audit_id=str(audit.id),
            application_id=audit.application_id,
            outcome="grant",
            reasons=reasons,
            decided_on=decided_on,
            certificate_number=number,
            grade=score["grade"],
            rulebook_version=RULEBOOK_VERSION,
            by=by.id,
        )
        self.save(numbering, certificate, decision)
        return decision, certificate

    def _recertify(
        self,
        audit: Audit,
        decision_id: UUID,
        reasons: list[str],
        decided_on: date,
        by: Actor,
    ) -> tuple[Decision, Certificate | None]:
        """6.3: a recertification grant continues the certificate under the same number."""
        assert audit.completion is not None and audit.certificate_number is not None
        grade = audit.completion["score"]["grade"]
        certificate = self.get_certificate(audit.certificate_number)
        certificate.recertify(
            decision_id=str(decision_id),
            audit_id=str(audit.id),
            application_id=audit.application_id,
            decided_on=decided_on,
            grade=grade,
            organization={k: audit.organization[k] for k in ("name", "uscc", "address")},
            scope=audit.scope,
            sites=self._covered_sites(audit),
            rulebook_version=RULEBOOK_VERSION,
            by=by.id,
        )
        decision = Decision.numbered(
            decision_id,
            audit_id=str(audit.id),
            application_id=audit.application_id,
            outcome="grant",
            reasons=reasons,
            decided_on=decided_on,
            certificate_number=certificate.number,
            grade=grade,
            rulebook_version=RULEBOOK_VERSION,
            by=by.id,
        )
        self.save(certificate, decision)
        return decision, certificate

    def _follow_up(
        self,
        audit: Audit,
        decision_id: UUID,
        outcome: str,
        reasons: list[str],
        decided_on: date,
        by: Actor,
        grade: str | None,
        withdrawal_reason: str | None,
    ) -> tuple[Decision, Certificate | None]:
        """5.6: the follow-up of a failed surveillance or supplementary audit."""
        assert audit.completion is not None and audit.certificate_number is not None
        if audit.completion["score"]["passed"]:
            raise RuleViolation(
                "审查已通过，等级已随审查调整，无需决定 / the audit passed; the grade followed "
                "it on completion and no decision is needed",
                code="no_decision_needed",
                clause="ZPIC-WF-20 5.5",
            )
        if outcome not in FOLLOW_UPS:
            raise RuleViolation(
                "未通过的监督审查须决定后续处理：补充审查、降级、暂停或撤销 / a failed "
                "surveillance calls for a follow-up: supplementary_audit, downgrade, suspend "
                "or withdraw",
                code="follow_up_required",
                clause="ZPIC-WF-20 5.6",
            )
        if not reasons:
            raise InvalidInput("reasons", "后续处理须说明理由 / a follow-up needs its reasons")
        certificate = self.get_certificate(audit.certificate_number)
        certificate.decide_follow_up(
            audit_id=str(audit.id),
            decision_id=str(decision_id),
            follow_up=outcome,
            decided_on=decided_on,
            grade=grade,
            reason=withdrawal_reason,
            by=by.id,
        )
        decision = Decision.numbered(
            decision_id,
            audit_id=str(audit.id),
            application_id=None,
            outcome=outcome,
            reasons=reasons,
            decided_on=decided_on,
            certificate_number=certificate.number,
            grade=certificate.grade,
            rulebook_version=RULEBOOK_VERSION,
            by=by.id,
        )
        self.save(certificate, decision)
        return decision, certificate

    def _check_grantable(self, audit: Audit, decided_on: date) -> None:
        """4.6: a passed audit, every corrective action closed, the organization not listed."""
        assert audit.completion is not None
        if not audit.completion["score"]["passed"]:
            raise RuleViolation(
                "审查未通过，不能批准认证 / "
                "the audit did not pass; certification cannot be granted",
                code="audit_not_passed",
                clause="ZPIC-WF-20 4.4.3, 4.6",
            )
        open_actions = [
            d["corrective_action_id"]
            for d in audit.special_deductions
            if not self.get_corrective_action(UUID(d["corrective_action_id"])).closed_by(decided_on)
        ]
        if open_actions:
            raise RuleViolation(
                f"特别扣分项的整改尚未验证关闭：{', '.join(open_actions)} / corrective actions "
                f"still open: {', '.join(open_actions)}",
                code="corrective_actions_open",
                clause="ZPIC-WF-20 4.4.2.3, 4.6",
            )
        if self.is_listed(str(audit.organization["uscc"]), on=decided_on):
            raise RuleViolation(
                "该组织在监管名单上，不能批准认证 / the organization is on the watchlist",
                code="ineligible",
                clause="ZPIC-WF-20 4.1.2, 4.6",
            )

    def _covered_sites(self, audit: Audit) -> list[dict[str, str]]:
        """The central office and the service sites in scope, with addresses (8.1.1)."""
        # the name as data, in Chinese; printed documents translate the label
        sites = [{"name": "中心办公室", "address": audit.organization["address"]}]
        if audit.application_id is not None:
            application = self.get_application(UUID(audit.application_id))
            sites += [dict(s) for s in application.sites]
        return sites

    def decisions_on(self, audit_id: str) -> list[Decision]:
        """The audit's decisions in order: one, unless upheld appeals reopened them."""
        decisions: list[Decision] = []
        while found := self._find(Decision, Decision.create_id(audit_id, len(decisions) + 1)):
            decisions.append(found)
        return decisions

    def latest_decision(self, audit_id: str) -> tuple[Decision | None, int]:
        """The audit's latest decision and its place (0 when none)."""
        decisions = self.decisions_on(audit_id)
        return (decisions[-1] if decisions else None), len(decisions)

    def get_decision(self, decision_id: UUID) -> Decision:
        """A decision by id."""
        return self._get(Decision, decision_id, "认证决定 / decision")

    def get_certificate(self, number: str) -> Certificate:
        """A certificate by number."""
        return self._get(Certificate, Certificate.create_id(number), "证书 / certificate")

    # -- certificate status (7) ---------------------------------------------------------------

    def _certificate_for_change(
        self, number: str, expected_version: int | None, **business_dates: date
    ) -> Certificate:
        for field, day in business_dates.items():
            self._check_business_date(field, day)
        certificate = self.get_certificate(number)
        self._check_version(certificate, expected_version)
        # the guard is the certificate's state on the effective date, which the aggregate
        # checks: a late record is recorded and flagged, never refused for today (§12)
        return certificate

    def suspend_certificate(
        self,
        number: str,
        reason: str,
        verified_on: date,
        effective_on: date,
        months: int,
        by: Actor,
        expected_version: int | None = None,
    ) -> Certificate:
        """Suspend a certificate (7.2); a late effect is recorded as it was, and flagged."""
        certificate = self._certificate_for_change(
            number, expected_version, verified_on=verified_on, effective_on=effective_on
        )
        certificate.suspend(
            reason=reason,
            verified_on=verified_on,
            effective_on=effective_on,
            months=months,
            by=by.id,
            calendar=self.calendar_around(verified_on),
        )
        self.save(certificate)
        return certificate

    def extend_suspension(
        self, number: str, months: int, by: Actor, expected_version: int | None = None
    ) -> Certificate:
        """Extend a suspension within the 6-month ceiling (7.2.2)."""
        certificate = self._certificate_for_change(number, expected_version)
        certificate.extend_suspension(months=months, by=by.id)
        self.save(certificate)
        return certificate

    def reinstate_certificate(
        self,
        number: str,
        verified_on: date,
        effective_on: date,
        by: Actor,
        expected_version: int | None = None,
    ) -> Certificate:
        """Reinstate a suspended certificate whose cause was resolved in time (7.2)."""
        certificate = self._certificate_for_change(
            number, expected_version, verified_on=verified_on, effective_on=effective_on
        )
        certificate.reinstate(
            verified_on=verified_on,
            effective_on=effective_on,
            by=by.id,
            calendar=self.calendar_around(verified_on),
        )
        self.save(certificate)
        return certificate

    def withdraw_certificate(
        self,
        number: str,
        reason: str,
        verified_on: date,
        effective_on: date,
        recovered: bool,
        by: Actor,
        expected_version: int | None = None,
    ) -> Certificate:
        """Withdraw a certificate for good (7.3); unrecovered, a public notice follows (7.3.2)."""
        certificate = self._certificate_for_change(
            number, expected_version, verified_on=verified_on, effective_on=effective_on
        )
        certificate.withdraw(
            reason=reason,
            verified_on=verified_on,
            effective_on=effective_on,
            recovered=recovered,
            by=by.id,
            calendar=self.calendar_around(verified_on),
        )
        self.save(certificate)
        return certificate

    def rescind_deadline_action(
        self,
        number: str,
        action: str,
        action_effective_on: date,
        reason: str,
        decided_on: date,
        by: Actor,
        expected_version: int | None = None,
    ) -> Certificate:
        """Rescind a deadline job's suspension or withdrawal that a late entry contradicts
        (rules.md §12): one new event naming it and why; nothing is edited."""
        certificate = self._certificate_for_change(
            number, expected_version, decided_on=decided_on
        )
        certificate.rescind(
            action=action,
            action_effective_on=action_effective_on,
            reason=reason,
            decided_on=decided_on,
            by=by.id,
        )
        self.save(certificate)
        return certificate

    def recover_certificate(
        self, number: str, recovered_on: date, by: Actor, expected_version: int | None = None
    ) -> Certificate:
        """Record that a withdrawn certificate was recovered (7.3.2)."""
        self._check_business_date("recovered_on", recovered_on)
        certificate = self.get_certificate(number)
        self._check_version(certificate, expected_version)
        certificate.recover(recovered_on=recovered_on, by=by.id)
        self.save(certificate)
        return certificate

    # -- the deadline jobs (5.3, 7.3.1, 8.1.2) ------------------------------------------------

    def sweep(self, as_of: date, numbers: list[str]) -> list[DueChange]:
        """Record every change the rules owe the named certificates as of a day, in date order.

        Idempotent: a change already recorded is not due any more, so a second run for the same
        day finds nothing. The caller passes candidates (the register's); each certificate's own
        events decide. A concurrent command on the same certificate is retried once reloaded.
        """
        self._check_business_date("as_of", as_of)
        done: list[DueChange] = []
        calendars: dict[int, OfficialCalendar] = {}
        for number in numbers:
            for _attempt in range(NUMBERING_ATTEMPTS):
                certificate = self._find(Certificate, Certificate.create_id(number))
                if certificate is None:
                    break
                changes = []
                while (change := due_change(certificate, as_of)) is not None:
                    year = change.effective_on.year
                    if year not in calendars:
                        calendars[year] = self.calendar_around(change.effective_on)
                    apply_change(
                        certificate, change, by=DEADLINE_JOBS_ID, calendar=calendars[year]
                    )
                    changes.append(change)
                if not changes:
                    break
                try:
                    self.save(certificate)
                except IntegrityError:
                    continue
                done += changes
                break
        self._journal(as_of, done)
        return done

    def _append_to_log(self, cls: type[L], record: Callable[[L], None]) -> L:
        """Record on a one-of-a-kind log aggregate, retried while others append at once."""
        for _ in range(NUMBERING_ATTEMPTS):
            log = self._find(cls, cls.create_id()) or cls()
            record(log)
            try:
                self.save(log)
                return log
            except IntegrityError:
                continue
        raise RuleViolation(
            "记录冲突，请重试 / the record was changed concurrently; retry",
            code="version_conflict",
            clause="ZPIC-WF-20 10",
        )

    def _journal(self, as_of: date, changes: list[DueChange]) -> None:
        self._append_to_log(
            SweepJournal,
            lambda journal: journal.swept(
                as_of=as_of, changes=[c.as_record() for c in changes], by=DEADLINE_JOBS_ID
            ),
        )

    def days_to_sweep(self) -> list[date]:
        """The days the daily run owes: each since the last swept, through today."""
        journal = self._find(SweepJournal, SweepJournal.create_id()) or SweepJournal()
        return journal.days_to_catch_up(self.today())

    # -- appeals and complaints (9) ------------------------------------------------------------

    def _subject(self, subject: dict[str, Any]) -> tuple[dict[str, str | None], str | None]:
        """The subject as recorded (ids as strings) and the organization it concerns."""
        decision_id = subject.get("decision_id")
        number = subject.get("certificate_number")
        application_id = subject.get("application_id")
        uscc: str | None = None
        unknown = RuleViolation(
            "申诉或投诉的对象不存在 / the subject of the appeal does not exist",
            code="unknown_subject",
            clause="ZPIC-WF-20 9.1",
        )
        if decision_id is not None:
            decision = self._find(Decision, UUID(str(decision_id)))
            if decision is None:
                raise unknown
            uscc = self.get_audit(UUID(decision.audit_id)).organization["uscc"]
        if number is not None:
            certificate = self._find(Certificate, Certificate.create_id(str(number)))
            if certificate is None:
                raise unknown
            uscc = uscc or certificate.organization["uscc"]
        if application_id is not None:
            application = self._find(CertificationApplication, UUID(str(application_id)))
            if application is None:
                raise unknown
            uscc = uscc or application.organization["uscc"]
        recorded = {
            "decision_id": None if decision_id is None else str(decision_id),
            "certificate_number": None if number is None else str(number),
            "application_id": None if application_id is None else str(application_id),
        }
        return recorded, uscc

    def _subject_dates(self, subject: dict[str, str | None]) -> dict[str, date | None]:
        """The dates an appeal about the (known) subject cannot precede: the named decision's,
        the certificate's granting decision's, the application's receipt (clause 9)."""
        dates: dict[str, date | None] = {}
        if subject["decision_id"]:
            dates["decided_on"] = self.get_decision(UUID(subject["decision_id"])).decided_on
        if subject["certificate_number"]:
            first = self.repository.event_store.get(
                Certificate.create_id(subject["certificate_number"]), lte=1
            )
            # The first issue, not issued_on as it stands: a recertification moves that on.
            issued = next(iter(first))
            assert isinstance(issued, Certificate.Issued)
            dates["certificate_granted_on"] = issued.issued_on
        if subject["application_id"]:
            application = self.get_application(UUID(subject["application_id"]))
            dates["application_received_on"] = application.received_on
        return dates

    def involved_in(self, subject: dict[str, str | None]) -> dict[str, str]:
        """Everyone involved in the subject over its whole history, and how (9.2): the teams of
        its audits, trainees included, and whoever decided on it or changed the certificate."""
        involved: dict[str, str] = {}
        audits: set[str] = set()
        numbers: set[str] = set()
        if subject.get("decision_id"):
            decision = self.get_decision(UUID(str(subject["decision_id"])))
            audits.add(decision.audit_id)
            if decision.certificate_number:
                numbers.add(decision.certificate_number)
        if subject.get("application_id"):
            application = self.get_application(UUID(str(subject["application_id"])))
            for audit_type in ("initial", "recertification"):
                planned = Audit.id_for_application(application.id, audit_type)
                if self._find(Audit, planned) is not None:
                    audits.add(str(planned))
            if application.certificate_number:
                numbers.add(application.certificate_number)
        if subject.get("certificate_number"):
            numbers.add(str(subject["certificate_number"]))
        for number in numbers:
            certificate = self.get_certificate(number)
            for e in self.repository.event_store.get(certificate.id):
                if getattr(e, "audit_id", None):
                    audits.add(str(getattr(e, "audit_id")))  # noqa: B009
                actor = getattr(e, "by", None)
                if actor and not isinstance(e, Certificate.AuditCompleted | Certificate.Issued):
                    involved.setdefault(actor, f"证书 {number} 的处理人 / acted on {number}")
        for audit_id in audits:
            audit = self.get_audit(UUID(audit_id))
            for member in audit.team:
                involved.setdefault(
                    member["user_id"], f"审查组成员 / on the team of audit {audit_id}"
                )
            for decision in self.decisions_on(audit_id):
                involved.setdefault(decision.decided_by, f"认证决定人 / decided {decision.id}")
        return involved

    def receive_appeal(
        self,
        kind: str,
        subject: dict[str, Any],
        appellant: dict[str, str],
        received_on: date,
        text: str,
        by: Actor,
    ) -> Appeal:
        """Record an appeal or complaint (9.1); an appeal needs a subject."""
        self._check_business_date("received_on", received_on)
        recorded, uscc = self._subject(subject)
        if kind == "appeal" and not any(recorded.values()):
            raise InvalidInput(
                "subject", "申诉须指明对象（决定、证书或申请）/ an appeal names what it objects to"
            )
        if kind == "appeal":  # a complaint may name a record only for context (§12 "Appeals")
            ensure_received_after_subject(received_on, **self._subject_dates(recorded))
        appeal = Appeal.receive(
            kind=kind,
            subject=recorded,
            organization_uscc=uscc,
            appellant=appellant,
            received_on=received_on,
            text=text,
            by=by.id,
        )
        self.save(appeal)
        return appeal

    def get_appeal(self, appeal_id: UUID) -> Appeal:
        """An appeal or complaint by id."""
        return self._get(Appeal, appeal_id, "申诉/投诉 / appeal")

    def _open_appeal(self, appeal_id: UUID, expected_version: int | None) -> Appeal:
        appeal = self.get_appeal(appeal_id)
        self._check_version(appeal, expected_version)
        return appeal

    def acknowledge_appeal(
        self, appeal_id: UUID, acknowledged_on: date, by: Actor, expected_version: int | None = None
    ) -> Appeal:
        """Acknowledge receipt to the appellant."""
        self._check_business_date("acknowledged_on", acknowledged_on)
        appeal = self._open_appeal(appeal_id, expected_version)
        appeal.acknowledge(acknowledged_on=acknowledged_on, by=by.id)
        self.save(appeal)
        return appeal

    def assign_appeal(
        self,
        appeal_id: UUID,
        handler_ids: list[str],
        by: Actor,
        assigned_on: date | None = None,
        expected_version: int | None = None,
    ) -> Appeal:
        """Assign appeals officers not involved in the subject's history (9.2)."""
        assigned_on = assigned_on or self.today()
        self._check_business_date("assigned_on", assigned_on)
        appeal = self._open_appeal(appeal_id, expected_version)
        if len(set(handler_ids)) != len(handler_ids):
            raise InvalidInput("handler_ids", "处理人重复 / a handler appears twice")
        involved = self.involved_in(appeal.subject)
        handlers = []
        for handler_id in handler_ids:
            user = self._find(User, UUID(str(handler_id)))
            if user is None or not user.active:
                raise RuleViolation(
                    f"用户 {handler_id} 不存在 / no active user {handler_id}",
                    code="unknown_user",
                    clause="ZPIC-WF-20 9.2",
                )
            if not {"appeals_officer", "admin"} & set(user.roles):
                raise RuleViolation(
                    f"{user.name} 不是申诉处理人员 / {user.name} is not an appeals officer",
                    code="not_an_appeals_officer",
                    clause="ZPIC-WF-20 9.2",
                )
            if str(user.id) in involved:
                raise RuleViolation(
                    f"{user.name} 参与过申诉对象（{involved[str(user.id)]}），不得处理 / "
                    f"{user.name} was involved in the subject and may not handle it",
                    code="not_impartial",
                    clause="ZPIC-WF-20 9.2",
                )
            handlers.append({"id": str(user.id), "name": user.name})
        appeal.assign(handlers=handlers, assigned_on=assigned_on, by=by.id)
        self.save(appeal)
        return appeal

    def record_appeal_note(
        self,
        appeal_id: UUID,
        text: str,
        evidence: list[str],
        noted_on: date,
        by: Actor,
        expected_version: int | None = None,
    ) -> Appeal:
        """A handler's investigation note with its evidence (documents by sha256)."""
        self._check_business_date("noted_on", noted_on)
        appeal = self._open_appeal(appeal_id, expected_version)
        for sha256 in evidence:
            self.get_document(sha256)
        appeal.record_note(
            text=text, evidence=evidence, noted_on=noted_on, by=by.id, admin="admin" in by.roles
        )
        self.save(appeal)
        return appeal

    def resolve_appeal(
        self,
        appeal_id: UUID,
        outcome: str,
        resolved_on: date,
        notice: str,
        corrective_actions: list[str],
        by: Actor,
        expected_version: int | None = None,
    ) -> tuple[Appeal, list[CorrectiveAction]]:
        """Resolve it; corrective actions it raises are opened, and an upheld appeal against a
        decision reopens the decision for a new one on the same audit (9.2)."""
        self._check_business_date("resolved_on", resolved_on)
        appeal = self._open_appeal(appeal_id, expected_version)
        if by.id in self.involved_in(appeal.subject):
            raise RuleViolation(
                "参与过申诉对象的人员不得处理 / someone involved in the subject may not resolve it",
                code="not_impartial",
                clause="ZPIC-WF-20 9.2",
            )
        decision: Decision | None = None
        decision_id = appeal.subject.get("decision_id")
        if outcome == "upheld" and decision_id:
            decision = self.get_decision(UUID(decision_id))
            latest, _ = self.latest_decision(decision.audit_id)
            if latest is None or latest.id != decision.id or decision.reopened is not None:
                raise RuleViolation(
                    "该决定已被新的决定取代 / that decision has been superseded by a newer one",
                    code="decision_superseded",
                    clause="ZPIC-WF-20 9.2",
                )
        audit_id = self._subject_audit(appeal.subject)
        actions = [
            CorrectiveAction(
                audit_id=audit_id,
                category="appeal_resolution",
                evidence=description,
                opened_on=resolved_on,
                by=by.id,
            )
            for description in corrective_actions
        ]
        appeal.resolve(
            outcome=outcome,
            resolved_on=resolved_on,
            notice=notice,
            corrective_action_ids=[str(a.id) for a in actions],
            reopened_decision_id=None if decision is None else str(decision.id),
            by=by.id,
            admin="admin" in by.roles,
        )
        if decision is not None:
            decision.reopen(appeal_id=str(appeal.id), reopened_on=resolved_on, by=by.id)
        self.save(*actions, appeal, *([decision] if decision is not None else []))
        return appeal, actions

    def _subject_audit(self, subject: dict[str, str | None]) -> str:
        """The audit a corrective action from a resolution hangs on ("" when none)."""
        if subject.get("decision_id"):
            return self.get_decision(UUID(str(subject["decision_id"]))).audit_id
        if subject.get("certificate_number"):
            certificate = self.get_certificate(str(subject["certificate_number"]))
            if certificate.cycle_audits:
                return str(certificate.cycle_audits[-1]["audit_id"])
            return certificate.audit_id
        if subject.get("application_id"):
            for audit_type in ("initial", "recertification"):
                audit_id = Audit.id_for_application(str(subject["application_id"]), audit_type)
                if self._find(Audit, audit_id) is not None:
                    return str(audit_id)
        return ""

    def send_appeal_notice(
        self, appeal_id: UUID, sent_on: date, by: Actor, expected_version: int | None = None
    ) -> Appeal:
        """Record that the written notice went to the appellant; the case closes."""
        self._check_business_date("sent_on", sent_on)
        appeal = self._open_appeal(appeal_id, expected_version)
        appeal.send_notice(sent_on=sent_on, by=by.id)
        self.save(appeal)
        return appeal

    def escalate_appeal(
        self,
        appeal_id: UUID,
        to: str,
        escalated_on: date,
        note: str,
        by: Actor,
        expected_version: int | None = None,
    ) -> Appeal:
        """Record the appellant's escalation to the regulator or accreditor (9.3)."""
        self._check_business_date("escalated_on", escalated_on)
        appeal = self._open_appeal(appeal_id, expected_version)
        appeal.escalate(to=to, escalated_on=escalated_on, note=note, by=by.id)
        self.save(appeal)
        return appeal

    # -- retention (10) ------------------------------------------------------------------------

    def place_hold(self, uscc: str, reason: str, placed_on: date, by: Actor) -> LegalHold:
        """Hold every record of an organization beyond its retention (10.2)."""
        ensure_valid_uscc(uscc)
        self._check_business_date("placed_on", placed_on)
        hold = LegalHold(uscc=uscc, reason=reason, placed_on=placed_on, by=by.id)
        self.save(hold)
        return hold

    def get_hold(self, hold_id: UUID) -> LegalHold:
        """A legal hold by id."""
        return self._get(LegalHold, hold_id, "保全 / legal hold")

    def release_hold(
        self, hold_id: UUID, released_on: date, by: Actor, expected_version: int | None = None
    ) -> LegalHold:
        """Release a legal hold."""
        self._check_business_date("released_on", released_on)
        hold = self.get_hold(hold_id)
        self._check_version(hold, expected_version)
        hold.release(released_on=released_on, by=by.id)
        self.save(hold)
        return hold

    def record_disposal(
        self,
        row_key: str,
        uscc: str,
        reason: str,
        records: list[dict[str, Any]],
        documents: list[str],
        certificate_numbers: list[str],
        application_ids: list[str],
        retain_until: date,
        by: Actor,
    ) -> Disposal:
        """Record the disposal of a retention row's records: what, when, by whom, digests."""
        if not reason.strip():
            raise InvalidInput("reason", "须写明处置依据 / the reason is required")
        if self._find(Disposal, Disposal.create_id(row_key)) is not None:
            raise RuleViolation(
                "该记录已处置 / these records were already disposed of",
                code="already_disposed",
                clause="ZPIC-WF-20 10.2",
            )
        disposal = Disposal(
            row_key=row_key,
            uscc=uscc,
            reason=reason,
            records=records,
            documents=documents,
            certificate_numbers=certificate_numbers,
            application_ids=application_ids,
            retain_until=retain_until,
            disposed_on=self.today(),
            by=by.id,
        )
        self.save(disposal)
        return disposal

    # -- tamper evidence (10) ------------------------------------------------------------------

    def integrity_log(self) -> IntegrityLog | None:
        """The record of verifications of the hash chain, if any ran."""
        return self._find(IntegrityLog, IntegrityLog.create_id())

    def record_verification(
        self,
        checked: int,
        last_notification_id: int | None,
        head: str,
        intact: bool,
        broken_at: int | None,
        problem: str | None,
        by: str,
    ) -> IntegrityLog:
        """Record the outcome of a verification of the hash chain."""
        return self._append_to_log(
            IntegrityLog,
            lambda log: log.verified(
                checked=checked,
                last_notification_id=last_notification_id,
                head=head,
                intact=intact,
                broken_at=broken_at,
                problem=problem,
                by=by,
            ),
        )

    # -- notices to organizations --------------------------------------------------------------

    def contact_of(self, certificate: Certificate) -> dict[str, Any] | None:
        """The contact person of the application behind the certificate's current cycle."""
        if certificate.application_id is None:
            return None
        application = self._find(CertificationApplication, UUID(certificate.application_id))
        contact = application.organization.get("contact") if application else None
        return dict(contact) if contact and contact.get("email") else None

    def notice_recorded(self, key: str) -> bool:
        """Whether the notice with this key already went out."""
        return self._find(NoticeRecord, NoticeRecord.create_id(key)) is not None

    def record_notice(
        self,
        key: str,
        kind: str,
        recipient: str,
        subject: str,
        certificate_numbers: list[str],
        by: str = DEADLINE_JOBS_ID,
    ) -> bool:
        """Record that a notice went out today; False when another worker recorded it first."""
        if kind not in NOTICE_KINDS:
            raise InvalidInput("kind", f"未知通知类型 / unknown notice kind {kind!r}")
        record = NoticeRecord(
            key=key,
            kind=kind,
            recipient=recipient,
            subject=subject,
            certificate_numbers=certificate_numbers,
            sent_on=self.today(),
            by=by,
        )
        try:
            self.save(record)
        except IntegrityError:
            return False
        return True

    # -- regulator reporting (4.6.4, 7.4, 8.1.3) ------------------------------------------------

    def mark_regulator_month_reported(
        self,
        month: str,
        notification_cursors: list[int],
        reported_on: date,
        reference: str,
        by: Actor,
    ) -> RegulatorReport:
        """Record that a finished month's notifications (the batch named) reached the regulator.

        The caller passes the month's pending notification cursors as the read model shows them;
        a month is reported once, and only after it has ended.
        """
        ensure_month(month)
        self._check_business_date("reported_on", reported_on)
        if not reference.strip():
            raise InvalidInput(
                "reference", "须填写报送回执或编号 / the submission reference is required"
            )
        if reported_on < first_day(next_month(month)):
            raise RuleViolation(
                f"{month} 尚未结束，不能报送 / the month {month} has not ended; its report "
                "cannot be submitted yet",
                code="month_not_ended",
                clause="ZPIC-WF-20 8.1.3",
            )
        already = RuleViolation(
            f"{month} 的报告已报送 / the report of {month} was already submitted",
            code="month_already_reported",
            clause="ZPIC-WF-20 8.1.3",
        )
        if self._find(RegulatorReport, RegulatorReport.create_id(month)) is not None:
            raise already
        report = RegulatorReport(
            month=month,
            notification_cursors=sorted(set(notification_cursors)),
            reported_on=reported_on,
            reference=reference.strip(),
            by=by.id,
        )
        try:
            self.save(report)
        except IntegrityError:
            raise already from None
        return report

    def get_regulator_report(self, month: str) -> RegulatorReport:
        """The record of a month's report to the regulator (404 when not yet reported)."""
        ensure_month(month)
        return self._get(
            RegulatorReport, RegulatorReport.create_id(month), "监管报告 / regulator report"
        )
