"""Verifying the event log's hash chain, as `ecpsc verify`, the API and the daily job do it.

Beside the chain itself a verification checks what could unlock or stand in for events: every
listing of a disposed event must belong to a disposal the log records (10.2), and every
snapshot left in the database must agree with the replay of the events it summarises (the
application itself reads none: ecpsc.snapshots).
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import replace
from typing import Any
from uuid import UUID

from eventsourcing.application import AggregateNotFoundError

from domain.backoffice import BackOffice
from domain.disposal import Disposal
from ecpsc.chain import ChainReport, StoredLink, stored_links, verify_links
from ecpsc.snapshots import disagreeing_snapshots


def _anchored(
    rows: Iterator[StoredLink], anchor: tuple[int, str] | None, found: list[str]
) -> Iterator[StoredLink]:
    """Pass the rows through, noting whether the last verified head is still where it was."""
    for row in rows:
        if anchor is not None and row.notification_id == anchor[0]:
            found.append(row.hash or "")
        yield row


def _taken_by(backoffice: BackOffice, disposal_id: str) -> set[tuple[str, int]] | None:
    """The events a disposal the log records took, or None when the log records no such one."""
    try:
        disposal: Any = backoffice.repository.get(UUID(disposal_id))
    except (ValueError, AggregateNotFoundError):
        return None
    if not isinstance(disposal, Disposal):
        return None
    taken: set[tuple[str, int]] = set()
    for record in disposal.records:
        for version in range(1, int(record["versions"]) + 1):
            taken.add((str(UUID(record["aggregate_id"])), version))
    return taken


def disposed_and_unrecorded(backoffice: BackOffice) -> tuple[set[tuple[str, int]], list[str]]:
    """Events disposed of by a disposal the log records, and a problem for every listing that
    no recorded disposal accounts for (a listing alone does not count)."""
    from ecpsc.disposal import disposed_events

    listed = disposed_events(backoffice.recorder)
    disposals = {d: _taken_by(backoffice, d) for d in sorted(set(listed.values()))}
    recorded: set[tuple[str, int]] = set()
    problems: list[str] = []
    for (aggregate_id, version), disposal_id in sorted(listed.items()):
        taken = disposals[disposal_id]
        if taken is not None and (aggregate_id, version) in taken:
            recorded.add((aggregate_id, version))
            continue
        zh, en = (
            ("日志中没有该处置记录", "the log records no such disposal")
            if taken is None
            else ("该处置记录不含此事件", "that disposal does not take it")
        )
        problems.append(
            f"处置登记无据：记录 {aggregate_id} 第 {version} 版登记为被 {disposal_id} 处置，但{zh}"
            f" / disposal listing without a disposal: event {version} of {aggregate_id} is "
            f"listed as disposed of by {disposal_id}, but {en}"
        )
    return recorded, problems


def disposed(backoffice: BackOffice) -> set[tuple[str, int]]:
    """Events disposed of by a disposal the log records (a listing alone does not count)."""
    return disposed_and_unrecorded(backoffice)[0]


def verify(backoffice: BackOffice, by: str, record: bool = True) -> ChainReport:
    """Recompute the whole chain from the stored events; a rewritten chain is caught too, when
    the head an earlier verification recorded is no longer at its place."""
    log = backoffice.integrity_log()
    anchor = None
    if log is not None and log.last_intact and log.last_intact["last_notification_id"]:
        anchor = (int(log.last_intact["last_notification_id"]), str(log.last_intact["head"]))  # type: ignore[call-overload]
    found: list[str] = []
    recorded, problems = disposed_and_unrecorded(backoffice)
    report = verify_links(_anchored(stored_links(backoffice.recorder), anchor, found), recorded)
    if report.intact and anchor is not None and found != [anchor[1]]:
        report = replace(
            report,
            broken_at=anchor[0],
            problem=f"链接 {anchor[0]} 与上次校验记录的链头不符 / link {anchor[0]} is not the "
            "head the last verification recorded: the chain was rewritten",
        )
    report = with_findings(report, problems + disagreeing_snapshots(backoffice))
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


def with_findings(report: ChainReport, problems: list[str]) -> ChainReport:
    """The report with further problems: the chain's own first, then these in order."""
    findings = ([report.problem] if report.problem else []) + problems
    if not findings:
        return report
    return replace(report, problem=findings[0], findings=tuple(findings))
