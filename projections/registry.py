"""Every read model, with its view class for each store."""

from __future__ import annotations

from collections.abc import Collection
from dataclasses import dataclass
from typing import Any

from eventsourcing.projection import Projection

from projections.appeals import AppealsProjection, PostgresAppealsView, SQLiteAppealsView
from projections.applications import (
    ApplicationsProjection,
    PostgresApplicationsView,
    SQLiteApplicationsView,
)
from projections.audit_worklist import (
    AuditWorklistProjection,
    PostgresAuditWorklistView,
    SQLiteAuditWorklistView,
)
from projections.certificate_deadlines import (
    CertificateDeadlinesProjection,
    PostgresDeadlineView,
    SQLiteDeadlineView,
)
from projections.compliance import (
    ComplianceProjection,
    PostgresComplianceView,
    SQLiteComplianceView,
)
from projections.organization_index import (
    OrganizationIndexProjection,
    PostgresOrganizationIndexView,
    SQLiteOrganizationIndexView,
)
from projections.register import PostgresRegisterView, RegisterProjection, SQLiteRegisterView
from projections.regulator_outbox import (
    PostgresRegulatorOutboxView,
    RegulatorOutboxProjection,
    SQLiteRegulatorOutboxView,
)
from projections.retention import (
    PostgresRetentionView,
    RetentionProjection,
    SQLiteRetentionView,
)
from projections.staff import PostgresStaffView, SQLiteStaffView, StaffProjection
from projections.view import PostgresView, SQLiteView


@dataclass(frozen=True)
class ReadModel:
    """A projection and its view on each store."""

    projection_class: type[Projection[Any]]
    sqlite_view: type[SQLiteView]
    postgres_view: type[PostgresView]


PROJECTIONS: tuple[ReadModel, ...] = (
    ReadModel(ApplicationsProjection, SQLiteApplicationsView, PostgresApplicationsView),
    ReadModel(RegisterProjection, SQLiteRegisterView, PostgresRegisterView),
    ReadModel(RegulatorOutboxProjection, SQLiteRegulatorOutboxView, PostgresRegulatorOutboxView),
    ReadModel(CertificateDeadlinesProjection, SQLiteDeadlineView, PostgresDeadlineView),
    ReadModel(ComplianceProjection, SQLiteComplianceView, PostgresComplianceView),
    ReadModel(AppealsProjection, SQLiteAppealsView, PostgresAppealsView),
    ReadModel(StaffProjection, SQLiteStaffView, PostgresStaffView),
    ReadModel(RetentionProjection, SQLiteRetentionView, PostgresRetentionView),
    ReadModel(
        OrganizationIndexProjection, SQLiteOrganizationIndexView, PostgresOrganizationIndexView
    ),
    ReadModel(AuditWorklistProjection, SQLiteAuditWorklistView, PostgresAuditWorklistView),
)


def unknown_read_models(names: Collection[str]) -> str | None:
    """Why `names` are not all read models (naming those there are), or None when they are."""
    known = [m.projection_class.name for m in PROJECTIONS]
    unknown = sorted(set(names) - set(known))
    if not unknown:
        return None
    return f"no read model named {', '.join(unknown)} (there are {', '.join(known)})"
