"""Regulator reporting (4.6.4, 7.4, 8.1.3): pending notifications, the monthly workbook, batches."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Depends, Path, Query, Response, status

from api.deps import ServicesDep, require
from api.reports.issuer import issuer
from api.schemas.regulator import (
    NotificationStatus,
    RegulatorNotification,
    RegulatorNotifications,
    SubmissionIn,
    SubmissionOut,
)
from domain.people import Actor
from domain.regulator_report import MONTH_PATTERN, RegulatorReport, report_due_on
from ecpsc.services import Services
from projections.regulator_outbox import WORKBOOK_MEDIA_TYPE, RegulatorOutboxQueries

router = APIRouter(prefix="/regulator", tags=["regulator reporting"])

ComplianceOfficer = Annotated[Actor, Depends(require("compliance_officer"))]
Month = Annotated[str, Path(pattern=MONTH_PATTERN, description="report month, YYYY-MM")]
MonthFilter = Annotated[
    str | None, Query(pattern=MONTH_PATTERN, description="month of the business date, YYYY-MM")
]


def outbox(services: Services) -> RegulatorOutboxQueries:
    """The regulator outbox read model."""
    view: RegulatorOutboxQueries = services.read_models.view("regulator_outbox")
    return view


def submission_out(report: RegulatorReport) -> SubmissionOut:
    """A recorded monthly report."""
    return SubmissionOut(
        batch_id=str(report.id),
        month=report.month,
        reported_on=report.reported_on,
        reference=report.reference,
        reported_by=report.reported_by,
        notification_cursors=list(report.notification_cursors),
        due_on=report_due_on(report.month),
        version=report.version,
    )


@router.get("/notifications", response_model=RegulatorNotifications)
def list_notifications(
    services: ServicesDep,
    actor: ComplianceOfficer,
    status: NotificationStatus | None = None,
    month: MonthFilter = None,
    page: Annotated[int, Query(ge=1, le=1_000_000)] = 1,
    page_size: Annotated[int, Query(ge=1, le=1000)] = 100,
) -> RegulatorNotifications:
    """Certificate changes queued for the regulator, in order, by status and month."""
    rows, total = outbox(services).notifications(
        status=status, month=month, offset=(page - 1) * page_size, limit=page_size
    )
    return RegulatorNotifications(
        items=[RegulatorNotification(**row) for row in rows],
        total=total,
        page=page,
        page_size=page_size,
    )


@router.get(
    "/reports/{month}",
    response_class=Response,
    responses={200: {"content": {WORKBOOK_MEDIA_TYPE: {}}, "description": "the workbook"}},
)
def monthly_report(month: Month, services: ServicesDep, actor: ComplianceOfficer) -> Response:
    """The month's report as the regulator expects it (due by the 10th of the next month)."""
    content = outbox(services).workbook(month, cb=issuer(services.settings))
    return Response(
        content=content,
        media_type=WORKBOOK_MEDIA_TYPE,
        headers={"Content-Disposition": f'attachment; filename="regulator-{month}.xlsx"'},
    )


@router.post(
    "/reports/{month}/submission",
    status_code=status.HTTP_201_CREATED,
    response_model=SubmissionOut,
)
def record_submission(
    month: Month,
    body: SubmissionIn,
    services: ServicesDep,
    actor: ComplianceOfficer,
    response: Response,
) -> SubmissionOut:
    """Record that the month's pending notifications reached the regulator, as one batch."""
    services.settle()  # the batch is what the outbox holds once it has caught up
    report = services.backoffice.mark_regulator_month_reported(
        month=month,
        notification_cursors=outbox(services).pending_cursors(month),
        reported_on=body.reported_on,
        reference=body.reference,
        by=actor,
    )
    services.settle()
    response.headers["Location"] = f"/api/v1/regulator/reports/{month}/submission"
    return submission_out(report)


@router.get("/reports/{month}/submission", response_model=SubmissionOut)
def get_submission(month: Month, services: ServicesDep, actor: ComplianceOfficer) -> SubmissionOut:
    """The recorded report of a month (404 until it is recorded)."""
    return submission_out(services.backoffice.get_regulator_report(month))
