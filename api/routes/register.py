"""The public certificate register (8, 7.4): no authentication, no personal data."""

from __future__ import annotations

import json
from datetime import UTC, datetime
from email.utils import format_datetime, parsedate_to_datetime
from typing import Annotated, Any

from fastapi import APIRouter, Query, Request, Response

from api.deps import ServicesDep
from api.labels import CERTIFICATE_STATUSES, GRADES, zh
from api.routes.certificates import CertificateNumber, verification_url
from api.schemas.certificates import (
    CertificateStatus,
    Grade,
    RegisterChange,
    RegisterChanges,
    RegisterEntry,
    RegisterPage,
)
from api.schemas.common import Text, Uscc
from domain.certificate import WITHDRAWAL_REASONS
from domain.errors import NotFound
from ecpsc import checkpoints
from ecpsc.services import Services
from projections.register import effective_status

router = APIRouter(prefix="/register", tags=["public register"])


def register_entry(services: Services, row: dict[str, Any]) -> RegisterEntry:
    """A register row as the public sees it."""
    status = effective_status(row, services.backoffice.today())
    return RegisterEntry(
        number=row["number"],
        organization={  # type: ignore[arg-type]
            "name": row["organization_name"],
            "uscc": row["uscc"],
            "address": row["address"],
        },
        scope=row["scope"],
        sites=json.loads(row["sites"]),
        grade=row["grade"],
        grade_label=zh(GRADES, row["grade"]),
        status=status,  # type: ignore[arg-type]
        status_label=zh(CERTIFICATE_STATUSES, status),
        issued_on=row["issued_on"],
        expires_on=row["expires_on"],
        suspended_from=row["suspended_from"],
        suspended_until=row["suspended_until"],
        withdrawn_on=row["withdrawn_on"],
        verification_url=verification_url(services, row["number"]),
    )


def register_row(services: Services, number: str) -> dict[str, Any]:
    """The register's row of a certificate, or 404."""
    row = services.read_models.view("register").certificate(number)
    if row is None:
        raise NotFound(f"登记册中没有证书 {number} / no certificate {number} on the register")
    return dict(row)


@router.get("/certificates", response_model=RegisterPage)
def search_register(
    services: ServicesDep,
    q: Annotated[
        Text | None,
        Query(
            description="a USCC, a certificate number, part of the organization's name, or "
            "words of the scope (looked for when no name holds the text)"
        ),
    ] = None,
    uscc: Uscc | None = None,
    status: CertificateStatus | None = None,
    grade: Grade | None = None,
    page: Annotated[int, Query(ge=1, le=1_000_000)] = 1,
    page_size: Annotated[int, Query(ge=1, le=100)] = 20,
) -> RegisterPage:
    """Search every certificate ever issued, with its current status."""
    rows, total = services.read_models.view("register").search(
        today=services.backoffice.today(),
        q=q,
        uscc=uscc,
        status=status,
        grade=grade,
        offset=(page - 1) * page_size,
        limit=page_size,
    )
    return RegisterPage(
        items=[register_entry(services, row) for row in rows],
        total=total,
        page=page,
        page_size=page_size,
    )


@router.get(
    "/certificates/{number}",
    response_model=RegisterEntry,
    responses={304: {"description": "not modified since the validators given"}},
)
def register_lookup(number: CertificateNumber, services: ServicesDep, request: Request) -> Any:
    """One certificate on the register; answers 304 to a matching conditional request."""
    entry = register_entry(services, row := register_row(services, number))
    etag = f'"{row["version"]}-{entry.status}"'
    modified = datetime.fromisoformat(row["last_modified"]).astimezone(UTC).replace(microsecond=0)
    headers = {
        "ETag": etag,
        "Last-Modified": format_datetime(modified, usegmt=True),
        "Cache-Control": "public, max-age=60",
    }
    if _not_modified(request, etag, modified):
        return Response(status_code=304, headers=headers)
    # Written here, as the response model writes it: FastAPI would validate the entry again
    # in its thread pool, a second hop for the public register's busiest request.
    return Response(entry.model_dump_json(), media_type="application/json", headers=headers)


def _not_modified(request: Request, etag: str, modified: datetime) -> bool:
    if_none_match = request.headers.get("if-none-match")
    if if_none_match is not None:
        tags = {t.strip().removeprefix("W/") for t in if_none_match.split(",")}
        return etag in tags or "*" in tags
    if_modified_since = request.headers.get("if-modified-since")
    if if_modified_since:
        try:
            since = parsedate_to_datetime(if_modified_since)
        except (TypeError, ValueError):
            return False
        if since.tzinfo is None:
            since = since.replace(tzinfo=UTC)
        return modified <= since
    return False


@router.get("/changes", response_model=RegisterChanges)
def register_changes(
    services: ServicesDep,
    after: Annotated[int, Query(ge=0, le=2**62, description="cursor of the last change seen")] = 0,
    limit: Annotated[int, Query(ge=1, le=1000)] = 100,
) -> RegisterChanges:
    """Every register change in order after a cursor; resume from `next`."""
    view = services.read_models.view("register")
    rows = view.changes(after, limit)
    # Signed checkpoints of the event log travel in the feed too, by their event's cursor, once
    # the register has caught up with them (a mirror resuming after one misses no change).
    seen = view.max_tracking_id(services.backoffice.name) or 0
    upto = rows[-1]["cursor"] if len(rows) == limit else seen + 1
    signed = [c for c in checkpoints.feed_items(services.backoffice, after)
              if c["cursor"] < upto and c["cursor"] <= seen]  # fmt: skip
    merged = sorted([*rows, *signed], key=lambda row: row["cursor"])[:limit]
    items = [RegisterChange(**row) for row in merged]
    return RegisterChanges(items=items, next=items[-1].cursor if items else after)


@router.get("/notices")
def withdrawal_notices(
    services: ServicesDep,
    page: Annotated[int, Query(ge=1, le=1_000_000)] = 1,
    page_size: Annotated[int, Query(ge=1, le=100)] = 20,
) -> dict[str, Any]:
    """Public notices of withdrawn certificates that could not be recovered (7.3.2)."""
    rows, total = services.read_models.view("register").notices(
        offset=(page - 1) * page_size, limit=page_size
    )
    items = [
        {
            "number": r["number"],
            "organization": {"name": r["organization_name"], "uscc": r["uscc"]},
            "reason": r["reason"],
            "reason_text": WITHDRAWAL_REASONS.get(r["reason"], r["reason"]),
            "withdrawn_on": r["withdrawn_on"],
            "published_at": r["published_at"],
            "notice": f"公告：{r['organization_name']} 的商品售后服务评价认证证书 {r['number']}"
            f" 自 {r['withdrawn_on']} 起撤销，证书未能收回，特此公告。 / Notice: certificate "
            f"{r['number']} of {r['organization_name']} is withdrawn from {r['withdrawn_on']}; "
            "it could not be recovered.",
        }
        for r in rows
    ]
    return {"items": items, "total": total, "page": page, "page_size": page_size}
