"""A certification application from receipt to contract (ZPIC-WF-20 4.1)."""

from __future__ import annotations

from datetime import date
from typing import Any

from eventsourcing.domain import Aggregate, event

from domain.errors import InvalidInput, RuleViolation
from domain.rulebook.dates import ensure_not_before

DOCUMENT_KINDS: dict[str, str] = {
    "application_form": "认证申请书 / application form",
    "legal_status": "法律地位证明文件 / proof of legal status",
    "multi_site_list": "受审查组织多场所清单 / multi-site list",
    "licences": "行政许可、资质及强制性认证证书 / licences and qualifications",
    "documented_information": "服务体系成文信息 / documented information of the service system",
}

REVIEW_OUTCOMES = ("accepted", "supplement_requested", "rejected")

STATUSES = ("submitted", "supplement_requested", "accepted", "rejected", "contracted")


def required_document_kinds(site_count: int) -> list[str]:
    """Materials an application needs before it can be accepted (4.1.1).

    Every application needs the form and proof of legal status; a scope with service sites
    beside the central office is multi-site and needs the multi-site list. Licences may be
    declared not applicable and documented information exists only where it exists, so
    neither is required.
    """
    kinds = ["application_form", "legal_status"]
    if site_count > 0:
        kinds.append("multi_site_list")
    return kinds


class CertificationApplication(Aggregate):
    """An organization's application for after-sales service certification."""

    class Submitted(Aggregate.Created):
        """An application and its materials were received."""

        organization: dict[str, Any]
        scope: str
        effective_headcount: int
        sites: list[dict[str, str]]
        documents: list[dict[str, str]]
        received_on: date
        certificate_number: str | None
        by: str

    class Reviewed(Aggregate.Event):
        """The application was reviewed (4.1.3), weighing what `considered` lists."""

        outcome: str
        reasons: list[str]
        missing: list[str]
        reviewed_on: date
        considered: dict[str, Any]
        rulebook_version: str
        by: str

    class SupplementReceived(Aggregate.Event):
        """Supplementary materials were received; the application returned to review."""

        documents: list[dict[str, str]]
        received_on: date
        by: str

    class ContractSigned(Aggregate.Event):
        """The certification contract was signed (4.1.4)."""

        number: str
        signed_on: date
        by: str

    @event(Submitted)
    def __init__(
        self,
        organization: dict[str, Any],
        scope: str,
        effective_headcount: int,
        sites: list[dict[str, str]],
        documents: list[dict[str, str]],
        received_on: date,
        certificate_number: str | None,
        by: str,
    ) -> None:
        self.organization = organization
        self.scope = scope
        self.effective_headcount = effective_headcount
        self.sites = sites
        self.documents = list(documents)
        self.received_on = received_on
        self.certificate_number = certificate_number
        self.status = "submitted"
        self.reviews: list[dict[str, Any]] = []
        self.supplements: list[dict[str, Any]] = []
        self.contract: dict[str, Any] | None = None
        self.last_business_date = received_on

    @property
    def uscc(self) -> str:
        """The applicant's unified social credit code."""
        return str(self.organization["uscc"])

    def missing_documents(self) -> list[str]:
        """Required kinds of material not yet received (4.1.1)."""
        present = {d["kind"] for d in self.documents}
        return [k for k in required_document_kinds(len(self.sites)) if k not in present]

    def review(
        self,
        outcome: str,
        reasons: list[str],
        missing: list[str],
        reviewed_on: date,
        considered: dict[str, Any],
        rulebook_version: str,
        by: str,
    ) -> None:
        """Record the review of the application (4.1.3)."""
        if outcome not in REVIEW_OUTCOMES:
            raise InvalidInput("outcome", f"未知评审结论 / unknown review outcome {outcome!r}")
        if self.status != "submitted":
            raise RuleViolation(
                f"申请当前状态为 {self.status}，不能评审 / "
                f"an application in status {self.status} cannot be reviewed",
                code="not_awaiting_review",
                clause="ZPIC-WF-20 4.1.3",
            )
        ensure_not_before("reviewed_on", reviewed_on, "the last step", self.last_business_date)
        if outcome == "accepted" and self.missing_documents():
            names = ", ".join(self.missing_documents())
            raise RuleViolation(
                f"申请材料不全，缺少：{names} / the application lacks required materials: {names}",
                code="incomplete_application",
                clause="ZPIC-WF-20 4.1.1, 4.1.3",
            )
        if outcome == "supplement_requested" and not missing and not reasons:
            raise InvalidInput(
                "missing",
                "要求补充材料时须指明缺少或不足的材料 / "
                "a supplement request must name the missing or deficient items",
            )
        if outcome == "rejected" and not reasons:
            raise InvalidInput("reasons", "不予受理须说明理由 / a rejection needs its reasons")
        self._reviewed(
            outcome=outcome,
            reasons=reasons,
            missing=missing,
            reviewed_on=reviewed_on,
            considered=considered,
            rulebook_version=rulebook_version,
            by=by,
        )

    @event(Reviewed)
    def _reviewed(
        self,
        outcome: str,
        reasons: list[str],
        missing: list[str],
        reviewed_on: date,
        considered: dict[str, Any],
        rulebook_version: str,
        by: str,
    ) -> None:
        self.status = outcome
        self.last_business_date = reviewed_on
        self.reviews.append(
            {
                "outcome": outcome,
                "reasons": reasons,
                "missing": missing,
                "reviewed_on": reviewed_on,
                "considered": considered,
                "rulebook_version": rulebook_version,
                "by": by,
            }
        )

    def receive_supplement(
        self, documents: list[dict[str, str]], received_on: date, by: str
    ) -> None:
        """Record supplementary materials; the application returns to review (4.1.3)."""
        if self.status != "supplement_requested":
            raise RuleViolation(
                "未要求补充材料 / no supplement was requested for this application",
                code="no_supplement_requested",
                clause="ZPIC-WF-20 4.1.3",
            )
        ensure_not_before("received_on", received_on, "the review", self.last_business_date)
        self._supplement_received(documents=documents, received_on=received_on, by=by)

    @event(SupplementReceived)
    def _supplement_received(
        self, documents: list[dict[str, str]], received_on: date, by: str
    ) -> None:
        self.documents.extend(documents)
        self.supplements.append({"documents": documents, "received_on": received_on, "by": by})
        self.status = "submitted"
        self.last_business_date = received_on

    def sign_contract(self, number: str, signed_on: date, by: str) -> None:
        """Record the certification contract (4.1.4); audits can be planned from then on."""
        if self.status != "accepted":
            raise RuleViolation(
                "申请未被受理，不能签订认证合同 / "
                "a contract can only be signed for an accepted application",
                code="not_accepted",
                clause="ZPIC-WF-20 4.1.4",
            )
        ensure_not_before("signed_on", signed_on, "the acceptance", self.last_business_date)
        self._contract_signed(number=number, signed_on=signed_on, by=by)

    @event(ContractSigned)
    def _contract_signed(self, number: str, signed_on: date, by: str) -> None:
        self.contract = {"number": number, "signed_on": signed_on, "by": by}
        self.status = "contracted"
        self.last_business_date = signed_on
