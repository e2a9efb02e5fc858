"""Appeals and complaints (ZPIC-WF-20 9)."""

from __future__ import annotations

from datetime import date
from typing import Any, Literal
from uuid import UUID

from pydantic import BaseModel, Field

from api.schemas.common import BusinessDate, LongText, Sha256, Strict, Text

AppealKind = Literal["appeal", "complaint"]
Outcome = Literal["upheld", "partly_upheld", "rejected"]
AppealStatus = Literal[
    "received", "acknowledged", "assigned", "investigating", "resolved", "closed"
]


class Subject(Strict):
    """What the appeal or complaint is about (an appeal names at least one)."""

    decision_id: UUID | None = None
    certificate_number: Text | None = None
    application_id: UUID | None = None


class Appellant(Strict):
    """Who appeals or complains, and how to reach them."""

    name: Text
    contact: Text


class AppealIn(Strict):
    """An appeal or complaint received."""

    kind: AppealKind
    subject: Subject = Field(default_factory=Subject)
    appellant: Appellant
    received_on: BusinessDate
    text: LongText


class AcknowledgementIn(Strict):
    """Receipt acknowledged."""

    acknowledged_on: BusinessDate


class AssignmentIn(Strict):
    """Handlers assigned."""

    handler_ids: list[UUID] = Field(min_length=1, max_length=10)
    assigned_on: BusinessDate | None = Field(default=None, description="default: today")


class NoteIn(Strict):
    """An investigation note with its evidence (documents by sha256)."""

    text: LongText
    evidence: list[Sha256] = Field(default_factory=list, max_length=100)
    noted_on: BusinessDate


class ResolutionIn(Strict):
    """The resolution and the written notice's text."""

    outcome: Outcome
    resolved_on: BusinessDate
    notice: LongText
    corrective_actions: list[LongText] = Field(
        default_factory=list,
        max_length=50,
        description="corrective actions the resolution raises (each opened on resolved_on)",
    )


class NoticeSentIn(Strict):
    """The written notice went out."""

    sent_on: BusinessDate


class EscalationIn(Strict):
    """The appellant escalated to the regulator or the accreditor (9.3)."""

    to: Literal["regulator", "accreditor"]
    escalated_on: BusinessDate
    note: LongText = ""


class QueueItem(BaseModel):
    """An appeal in the queue, with its deadline."""

    id: str
    kind: AppealKind
    subject: dict[str, str | None]
    organization_uscc: str | None
    appellant_name: str
    received_on: date
    due_on: date
    days_left: int
    overdue: bool
    status: AppealStatus
    handler_ids: list[str]
    outcome: Outcome | None


class AppealOut(BaseModel):
    """An appeal or complaint with its whole course."""

    id: str
    kind: AppealKind
    status: AppealStatus
    subject: dict[str, str | None]
    organization_uscc: str | None
    appellant: dict[str, str]
    text: str
    received_on: date
    due_on: date
    days_left: int
    overdue: bool
    acknowledged_on: date | None
    handlers: list[dict[str, str]]
    notes: list[dict[str, Any]]
    resolution: dict[str, Any] | None
    notice_sent_on: date | None
    escalations: list[dict[str, Any]]
    then_and_now: dict[str, Any] | None = Field(
        default=None,
        description="the decision under appeal, its audit and score as they stood when the "
        "decision was recorded, beside everything recorded about the organization since",
    )
    version: int
