"""The back office: the one place that loads aggregates, checks cross-aggregate rules and saves."""

from __future__ import annotations

from collections.abc import Callable
from datetime import date
from fractions import Fraction
from typing import Any, TypeVar
from uuid import UUID

from eventsourcing.application import AggregateNotFoundError, Application
from eventsourcing.domain import Aggregate
from eventsourcing.persistence import JSONTranscoder, Transcoding
from eventsourcing.utils import EnvType

from domain.application import CertificationApplication
from domain.credentials import ApiToken, new_token, token_digest
from domain.document import Document
from domain.errors import NotFound, RuleViolation, VersionConflict
from domain.people import BOOTSTRAP_ADMIN_ID, ROLES, Actor, User
from domain.rulebook.audit_time import base_days
from domain.rulebook.dates import ensure_not_after_today, today_in_china
from domain.rulebook.numbers import two_decimals
from domain.rulebook.version import RULEBOOK_VERSION
from domain.watchlist import WatchlistEntry

A = TypeVar("A", bound=Aggregate)

CERTIFICATION_FIELD = "03 批发和零售服务 / wholesale and retail services (ZPIC-WF-20 2.1)"


class DateAsISO(Transcoding):
    """Stores a calendar date as YYYY-MM-DD."""

    type = date
    name = "date_iso"

    def encode(self, obj: date) -> str:
        return obj.isoformat()

    def decode(self, data: str) -> date:
        return date.fromisoformat(data)


class BackOffice(Application[UUID]):
    """Commands of the certification body's back office, over its event store."""

    name = "BackOffice"

    def __init__(self, env: EnvType | None = None, today: Callable[[], date] | None = None):
        super().__init__(env)
        self._today = today or today_in_china

    def register_transcodings(self, transcoder: JSONTranscoder) -> None:
        """Teach the store to keep dates."""
        super().register_transcodings(transcoder)
        transcoder.register(DateAsISO())

    def today(self) -> date:
        """The back office's today (China Standard Time, or ECPSC_TODAY when pinned)."""
        return self._today()

    # -- loading ---------------------------------------------------------------------------

    def _get(self, cls: type[A], aggregate_id: UUID, what: str) -> A:
        try:
            aggregate: Aggregate = self.repository.get(aggregate_id)
        except AggregateNotFoundError:
            raise NotFound(f"未找到{what} / {what} not found") from None
        if not isinstance(aggregate, cls):
            raise NotFound(f"未找到{what} / {what} not found")
        return aggregate

    def _find(self, cls: type[A], aggregate_id: UUID) -> A | None:
        try:
            aggregate: Aggregate = self.repository.get(aggregate_id)
        except AggregateNotFoundError:
            return None
        return aggregate if isinstance(aggregate, cls) else None

    @staticmethod
    def _check_version(aggregate: Aggregate, expected_version: int | None) -> None:
        if expected_version is not None and expected_version != aggregate.version:
            raise VersionConflict(
                f"记录已被修改（当前版本 {aggregate.version}）/ the record has changed "
                f"(current version {aggregate.version}, If-Match {expected_version})"
            )

    def _check_business_date(self, field: str, day: date) -> None:
        ensure_not_after_today(field, day, self.today())

    # -- people ----------------------------------------------------------------------------

    def register_user(
        self,
        name: str,
        roles: list[str],
        ccaa_registration: dict[str, Any] | None,
        by: Actor,
    ) -> tuple[User, str]:
        """Register a staff member and issue their first token (shown once)."""
        unknown = sorted(set(roles) - set(ROLES))
        if unknown:
            raise ValueError(f"unknown roles: {unknown}")
        user = User(
            name=name, roles=sorted(set(roles)), ccaa_registration=ccaa_registration, by=by.id
        )
        token = new_token()
        credential = ApiToken(digest=token_digest(token), user_id=str(user.id), by=by.id)
        self.save(user, credential)
        return user, token

    def issue_token(self, user_id: UUID, by: Actor) -> str:
        """Issue another token to an existing user (shown once)."""
        user = self.get_user(user_id)
        token = new_token()
        self.save(ApiToken(digest=token_digest(token), user_id=str(user.id), by=by.id))
        return token

    def get_user(self, user_id: UUID) -> User:
        """A staff member by id."""
        return self._get(User, user_id, "用户 / user")

    def authenticate(self, token: str) -> Actor | None:
        """The actor behind a bearer token, or None when the token is unknown or revoked."""
        credential = self._find(ApiToken, ApiToken.create_id(token_digest(token)))
        if credential is None or credential.revoked:
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

    def is_listed(self, uscc: str) -> bool:
        """Whether the organization is on the watchlist now (4.1.2)."""
        entry = self.watchlist_entry(uscc)
        return entry is not None and entry.is_listed

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
        self._check_business_date("received_on", received_on)
        if effective_headcount < 1:
            raise ValueError("effective_headcount must be at least 1")
        self._check_documents_known(documents)
        if certificate_number is not None:
            # Certificates arrive with the certification-decision capability; until one with
            # this number exists, a recertification application has nothing to continue.
            raise RuleViolation(
                f"证书 {certificate_number} 不存在 / no certificate numbered {certificate_number}",
                code="unknown_certificate",
                clause="ZPIC-WF-20 6.1",
            )
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
        if outcome == "accepted" and self.is_listed(application.uscc):
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
