"""Regulator notifications and monthly reports (4.6.4, 7.4, 8.1.3)."""

from __future__ import annotations

from datetime import date
from typing import Literal

from pydantic import BaseModel, ConfigDict, Field

from api.schemas.common import BusinessDate, Strict, Text

NotificationStatus = Literal["pending", "reported"]


class RegulatorNotification(BaseModel):
    """One certificate change the regulator is told of, with the certificate as it was after."""

    cursor: int
    number: str
    change: str
    business_date: date
    month: str
    organization_name: str
    uscc: str
    scope: str
    basis: str
    grade: str
    certificate_status: str
    issued_on: date
    expires_on: date
    audit_id: str | None
    recorded_at: str
    status: NotificationStatus
    batch_id: str | None


class RegulatorNotifications(BaseModel):
    """A page of notifications in cursor order, with the total matching."""

    items: list[RegulatorNotification]
    total: int
    page: int
    page_size: int


class SubmissionIn(Strict):
    """The month's report reached the regulator: when, and the regulator's receipt."""

    model_config = ConfigDict(
        json_schema_extra={
            "examples": [{"reported_on": "2026-11-08", "reference": "CNCA-RPT-2026-10-0042"}]
        }
    )

    reported_on: BusinessDate = Field(
        description="报送日期 / the day reported, by the 10th of the next month (8.1.3)"
    )
    reference: Text = Field(description="监管部门的回执编号 / the regulator's receipt (7.4, 8.1.3)")


class SubmissionOut(BaseModel):
    """A recorded monthly report: the batch of notifications it carried."""

    batch_id: str
    month: str
    reported_on: date
    reference: str
    reported_by: str
    notification_cursors: list[int]
    due_on: date
    version: int
