"""Verifying the event log's hash chain, as `ecpsc verify`, the API and the daily job do it."""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import replace
from typing import Any
from uuid import UUID

from domain.backoffice import BackOffice
from ecpsc.chain import ChainReport, StoredLink, stored_links, verify_links


def _anchored(
    rows: Iterator[StoredLink], anchor: tuple[int, str] | None, found: list[str]
) -> Iterator[StoredLink]:
    """Pass the rows through, noting whether the last verified head is still where it was."""
    for row in rows:
        if anchor is not None and row.notification_id == anchor[0]:
            found.append(row.hash or "")
        yield row


def disposed(backoffice: BackOffice) -> set[tuple[str, int]]:
    """Events disposed of by a disposal the log records (a listing alone does not count)."""
    from ecpsc.disposal import disposed_events

    listed = disposed_events(backoffice.recorder)
    recorded: set[tuple[str, int]] = set()
    for disposal_id in set(listed.values()):
        disposal: Any = backoffice.repository.get(UUID(disposal_id))
        for record in disposal.records:
            for version in range(1, int(record["versions"]) + 1):
                recorded.add((str(UUID(record["aggregate_id"])), version))
    return {key for key in listed if key in recorded}


def verify(backoffice: BackOffice, by: str, record: bool = True) -> ChainReport:
    """Recompute the whole chain from the stored events; a rewritten chain is caught too, when
    the head an earlier verification recorded is no longer at its place."""
    log = backoffice.integrity_log()
    anchor = None
    if log is not None and log.last_intact and log.last_intact["last_notification_id"]:
        anchor = (int(log.last_intact["last_notification_id"]), str(log.last_intact["head"]))  # type: ignore[call-overload]
    found: list[str] = []
    report = verify_links(
        _anchored(stored_links(backoffice.recorder), anchor, found), disposed(backoffice)
    )
    if report.intact and anchor is not None and found != [anchor[1]]:
        report = replace(
            report,
            broken_at=anchor[0],
            problem=f"链接 {anchor[0]} 与上次校验记录的链头不符 / link {anchor[0]} is not the "
            "head the last verification recorded: the chain was rewritten",
        )
    if record:
        backoffice.record_verification(
            checked=report.checked,
            last_notification_id=report.last_notification_id,
            head=report.head,
            intact=report.intact,
            broken_at=report.broken_at,
            problem=report.problem,
            by=by,
        )
    return report
