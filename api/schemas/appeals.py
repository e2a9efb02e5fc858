"""Appeals and complaints (ZPIC-WF-20 9)."""

from __future__ import annotations

from datetime import date
from typing import Any, Literal
from uuid import UUID

from pydantic import BaseModel, ConfigDict, Field

from api.schemas.common import BusinessDate, LongText, Sha256, Strict, Text

AppealKind = Literal["appeal", "complaint"]
Outcome = Literal["upheld", "partly_upheld", "rejected"]
AppealStatus = Literal[
    "received", "acknowledged", "assigned", "investigating", "resolved", "closed"
]


class Subject(Strict):
    """What the appeal or complaint is about (an appeal names at least one)."""

    decision_id: UUID | None = Field(
        default=None, description="申诉所针对的认证决定 / the decision appealed against (9)"
    )
    certificate_number: Text | None = Field(
        default=None, description="所涉证书 / the certificate concerned (9)"
    )
    application_id: UUID | None = Field(
        default=None, description="所涉申请 / the application concerned (9)"
    )


class Appellant(Strict):
    """Who appeals or complains, and how to reach them."""

    name: Text = Field(description="申诉人或投诉人 / who appeals or complains (9)")
    contact: Text = Field(description="联系方式 / how to reach them with the written notice (9)")


class AppealIn(Strict):
    """An appeal or complaint received."""

    model_config = ConfigDict(
        json_schema_extra={
            "examples": [
                {
                    "kind": "appeal",
                    "subject": {"decision_id": "6b1f0a8e-2c3d-4e5f-9a0b-1c2d3e4f5a6b"},
                    "appellant": {"name": "福州某电器有限公司", "contact": "林晓 13900000000"},
                    "received_on": "2026-11-24",
                    "text": "对不予认证决定有异议 / we object to the refusal of certification",
                }
            ]
        }
    )

    kind: AppealKind = Field(
        description="申诉（申请组织或获证组织对过程或决定）或投诉（任何人）/ an appeal by the "
        "applicant or client, or a complaint by anyone (9)"
    )
    subject: Subject = Field(
        default_factory=Subject, description="所涉对象；申诉至少指明一项 / what it is about (9)"
    )
    appellant: Appellant = Field(description="申诉人或投诉人 / who appeals or complains (9)")
    received_on: BusinessDate = Field(
        description="收到日期，60 日内处理完毕；不早于所针对的决定 / the day received: due 60 days "
        "later; not before the decision it objects to (9)"
    )
    text: LongText = Field(description="申诉或投诉内容 / what they say (9)")


class AcknowledgementIn(Strict):
    """Receipt acknowledged."""

    model_config = ConfigDict(json_schema_extra={"examples": [{"acknowledged_on": "2026-11-25"}]})

    acknowledged_on: BusinessDate = Field(
        description="确认收到日期 / the day receipt was acknowledged (9)"
    )


class AssignmentIn(Strict):
    """Handlers assigned."""

    model_config = ConfigDict(
        json_schema_extra={
            "examples": [
                {
                    "handler_ids": ["0b7e7d1c-4b8a-4f3e-9c2d-5a6b7c8d9e0f"],
                    "assigned_on": "2026-11-25",
                }
            ]
        }
    )

    handler_ids: list[UUID] = Field(
        min_length=1,
        max_length=10,
        description="处理人，须未参与所涉审查和决定 / handlers not involved in the subject: not on "
        "its audit team nor its decision makers (9; else 409 not_impartial)",
    )
    assigned_on: BusinessDate | None = Field(default=None, description="default: today")


class NoteIn(Strict):
    """An investigation note with its evidence (documents by sha256)."""

    model_config = ConfigDict(
        json_schema_extra={
            "examples": [
                {
                    "text": "复核审查记录，抽样比例计算无误 / the audit records were re-checked",
                    "evidence": [
                        "9f86d081884c7d659a2feaa0c55ad015a3bf4f1b2b0b822cd15d6c15b0f00a08"
                    ],
                    "noted_on": "2026-11-26",
                }
            ]
        }
    )

    text: LongText = Field(description="调查记录 / what the handler found (9)")
    evidence: list[Sha256] = Field(
        default_factory=list,
        max_length=100,
        description="证据文件的 SHA-256 / evidence documents by content hash (9, 10.3)",
    )
    noted_on: BusinessDate = Field(description="记录日期 / the day of the note (9)")


class ResolutionIn(Strict):
    """The resolution and the written notice's text."""

    model_config = ConfigDict(
        json_schema_extra={
            "examples": [
                {
                    "outcome": "rejected",
                    "resolved_on": "2026-11-27",
                    "notice": "经复核，原决定所依据的审查记录完整准确，维持原决定。 / The records "
                    "behind the decision were found complete and correct; it stands.",
                    "corrective_actions": [],
                }
            ]
        }
    )

    outcome: Outcome = Field(
        description="成立、部分成立或不成立；成立的申诉使原决定重新决定 / upheld, partly upheld "
        "or rejected; an upheld appeal against a decision reopens it (9)"
    )
    resolved_on: BusinessDate = Field(description="处理日期 / the day resolved (9)")
    notice: LongText = Field(description="书面通知正文 / the written notice's text (9)")
    corrective_actions: list[LongText] = Field(
        default_factory=list,
        max_length=50,
        description="corrective actions the resolution raises (each opened on resolved_on)",
    )


class NoticeSentIn(Strict):
    """The written notice went out."""

    model_config = ConfigDict(json_schema_extra={"examples": [{"sent_on": "2026-11-28"}]})

    sent_on: BusinessDate = Field(
        description="书面通知发出日期；案件结束 / the day sent; closes the case (9)"
    )


class EscalationIn(Strict):
    """The appellant escalated to the regulator or the accreditor (9.3)."""

    model_config = ConfigDict(
        json_schema_extra={
            "examples": [
                {
                    "to": "regulator",
                    "escalated_on": "2026-11-28",
                    "note": "向认监委反映 / wrote to CNCA",
                }
            ]
        }
    )

    to: Literal["regulator", "accreditor"] = Field(
        description="认证监管部门或认可机构 / the regulator (CNCA) or the accreditor (9.3)"
    )
    escalated_on: BusinessDate = Field(description="上诉日期 / the day they escalated (9.3)")
    note: LongText = Field(default="", description="备注 / what is known of it (9.3)")


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
