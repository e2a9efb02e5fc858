"""Verifying the event log's hash chain, as `ecpsc verify`, the API and the daily job do it.

Beside the chain itself a verification checks what could unlock or stand in for events: every
listing of a disposed event must belong to a disposal the log records (10.2), and every
snapshot left in the database must agree with the replay of the events it summarises (the
application itself reads none: ecpsc.snapshots).
"""

from __future__ import annotations

from collections.abc import Callable, Iterator, Sequence
from dataclasses import replace
from typing import Any, TypeVar
from uuid import UUID

from domain.backoffice import BackOffice
from domain.disposal import Disposal
from ecpsc.chain import GENESIS, ChainReport, StoredLink, stored_links, verify_links
from ecpsc.checkpoints import describe, malformed, signature_problem, signed_checkpoints
from ecpsc.signing import PublicKey
from ecpsc.snapshots import disagreeing_snapshots

T = TypeVar("T")


def _anchored(
    rows: Iterator[StoredLink], watched: set[int], found: dict[int, str]
) -> Iterator[StoredLink]:
    """Pass the rows through, noting the stored link at each watched position."""
    for row in rows:
        if row.notification_id in watched:
            found[row.notification_id] = row.hash or ""
        yield row


def _taken_by(backoffice: BackOffice, disposal_id: str) -> set[tuple[str, int]] | None:
    """The events a disposal the log records took, or None when the log records no such one."""
    try:
        disposal: Any = backoffice.repository.get(UUID(disposal_id))
        if not isinstance(disposal, Disposal):
            return None
        taken: set[tuple[str, int]] = set()
        for record in disposal.records:
            for version in range(1, int(record["versions"]) + 1):
                taken.add((str(UUID(record["aggregate_id"])), version))
    except Exception:  # not found, not a uuid, or planted events that cannot be read
        return None
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


def verify(
    backoffice: BackOffice,
    by: str,
    record: bool = True,
    checkpoints: Sequence[Any] = (),
    keys: Sequence[PublicKey] = (),
) -> ChainReport:
    """Recompute the whole chain from the stored events; a rewritten chain is caught too, when
    the head an earlier verification recorded is no longer at its place, or when the log no
    longer extends a signed checkpoint: those given (a witness's copies, checked with `keys`)
    and those the log holds."""
    unreadable: list[str] = []
    log = _read(backoffice.integrity_log, "校验记录 / the integrity log", unreadable)
    anchor = None
    if log is not None and log.last_intact and log.last_intact["last_notification_id"]:
        anchor = (int(log.last_intact["last_notification_id"]), str(log.last_intact["head"]))  # type: ignore[call-overload]
    held = [c for _, c in _read(lambda: signed_checkpoints(backoffice),
                                "检查点记录 / the checkpoint log", unreadable) or []]  # fmt: skip
    given = list(checkpoints)
    watched = {c["position"] for c in [*given, *held] if malformed(c) is None}
    if anchor is not None:
        watched.add(anchor[0])
    found: dict[int, str] = {}
    recorded, problems = disposed_and_unrecorded(backoffice)
    report = verify_links(_anchored(stored_links(backoffice.recorder), watched, found), recorded)
    if report.intact and anchor is not None and found.get(anchor[0]) != anchor[1]:
        report = replace(
            report,
            broken_at=anchor[0],
            problem=f"链接 {anchor[0]} 与上次校验记录的链头不符 / link {anchor[0]} is not the "
            "head the last verification recorded: the chain was rewritten",
        )
    checked = [
        *(_checkpoint_problem(c, report, found, keys) for c in given),
        *(_checkpoint_problem(c, report, found, keys, held=True) for c in held),
    ]
    problems = unreadable + [p for p in checked if p is not None] + problems
    report = with_findings(report, problems + disagreeing_snapshots(backoffice))
    if record and not unreadable:
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


def _read(read: Callable[[], T], what: str, unreadable: list[str]) -> T | None:
    """What a log of the verification's own holds, or None and a finding when its events cannot
    be read (written around the application: the outcome is then not recorded either)."""
    try:
        return read()
    except Exception as error:  # any failure to read evidence is a finding, never a 500
        zh, en = what.split(" / ")
        unreadable.append(f"{zh}无法读取 / {en} cannot be read ({type(error).__name__}): "
                          "events were written around the application")  # fmt: skip
        return None


def _checkpoint_problem(
    checkpoint: Any,
    report: ChainReport,
    found: dict[int, str],
    keys: Sequence[PublicKey],
    held: bool = False,
) -> str | None:
    """Why the log does not extend a signed checkpoint, or None when it does."""
    name = describe(checkpoint)
    where = "日志所存" if held else "所给"
    problem = malformed(checkpoint)
    if problem is None and (keys or not held):
        problem = signature_problem(checkpoint, keys)
    if problem is None:
        position, head = checkpoint["position"], checkpoint["head"]
        reached = report.last_notification_id or 0
        if position > reached and (report.broken_at is None or report.broken_at > position):
            problem = (
                f"日志未达到位置 {position} / the log does not reach position {position}"
            )
        elif report.broken_at is not None and report.broken_at <= position:
            problem = (
                f"链接 {report.broken_at} 在检查点之前断开 / the chain breaks at "
                f"{report.broken_at}, before the checkpoint"
            )
        elif (found.get(position) if position else GENESIS) != head:
            problem = (
                f"位置 {position} 的链头已不同：链被改写 / the log at position {position} "
                "has another head: the chain was rewritten"
            )
    if problem is None:
        return None
    return f"{where}检查点不成立 / {name} does not hold: {problem}"


def with_findings(report: ChainReport, problems: list[str]) -> ChainReport:
    """The report with further problems: the chain's own first, then these in order."""
    findings = ([report.problem] if report.problem else []) + problems
    if not findings:
        return report
    return replace(report, problem=findings[0], findings=tuple(findings))
