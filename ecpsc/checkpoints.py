"""Signed checkpoints of the event log: made daily and on demand, read by the public endpoints and
the register's change feed, and checked by `ecpsc verify --checkpoint`.

A checkpoint is `{position, head, signed_at, key_id, signature}`: the certification body's
Ed25519 signature (ecpsc.signing) over `checkpoint_message` (domain.checkpoint) of the other
fields. A checkpoint is only signed over a log that still extends the previous one: the links
after the previous checkpoint are recomputed from its head first.
"""

from __future__ import annotations

import binascii
import re
from collections.abc import Sequence
from datetime import UTC, datetime
from typing import Any

from eventsourcing.persistence import IntegrityError

from domain.backoffice import BackOffice
from domain.checkpoint import CheckpointLog, checkpoint_message
from domain.errors import RuleViolation
from ecpsc.chain import GENESIS, chain_head, link_at, stored_links, verify_links
from ecpsc.signing import PublicKey, SigningKey, b64, unb64

FIELDS = ("position", "head", "signed_at", "key_id", "signature")
HEAD = re.compile(r"^[0-9a-f]{64}$")
SIGNING_ATTEMPTS = 3


def _now() -> str:
    return datetime.now(UTC).replace(microsecond=0).strftime("%Y-%m-%dT%H:%M:%SZ")


def checkpoint_log(backoffice: BackOffice) -> CheckpointLog | None:
    """The log of signed checkpoints, if one was signed."""
    return backoffice._find(CheckpointLog, CheckpointLog.create_id())


def latest(backoffice: BackOffice) -> dict[str, Any] | None:
    """The last signed checkpoint."""
    log = checkpoint_log(backoffice)
    return None if log is None or log.last is None else dict(log.last)


def sign_checkpoint(backoffice: BackOffice, key: SigningKey, by: str) -> dict[str, Any]:
    """Sign the chain's head now and record it; refused (409) when the log no longer extends
    the previous checkpoint."""
    for attempt in range(SIGNING_ATTEMPTS):
        previous = latest(backoffice)
        position, head = chain_head(backoffice.recorder)
        position = position or 0
        problem = _extension_problem(backoffice, previous, position)
        if problem is not None:
            raise RuleViolation(
                f"日志不再延续上一个检查点，拒绝签署 / not signed: {problem}",
                code="chain_broken",
                clause="ZPIC-WF-20 10",
            )
        signed_at = _now()
        signature = b64(key.sign(checkpoint_message(position, head, signed_at, key.key_id)))
        log = checkpoint_log(backoffice) or CheckpointLog()
        log.signed(position=position, head=head, signed_at=signed_at, key_id=key.key_id,
                   signature=signature, by=by)  # fmt: skip
        try:
            backoffice.save(log)
        except IntegrityError:  # another process signed at the same moment
            if attempt == SIGNING_ATTEMPTS - 1:
                raise
            continue
        return {"position": position, "head": head, "signed_at": signed_at,
                "key_id": key.key_id, "signature": signature}  # fmt: skip
    raise AssertionError("unreachable")


def sign_if_due(backoffice: BackOffice, key: SigningKey, by: str) -> dict[str, Any] | None:
    """Sign the day's checkpoint unless one was signed on this day in China already."""
    from domain.rulebook.dates import CHINA_STANDARD_TIME

    last = latest(backoffice)
    today = datetime.now(CHINA_STANDARD_TIME).date()
    if last is not None:
        signed = datetime.strptime(last["signed_at"], "%Y-%m-%dT%H:%M:%SZ").replace(tzinfo=UTC)
        if signed.astimezone(CHINA_STANDARD_TIME).date() >= today:
            return None
    return sign_checkpoint(backoffice, key, by)


def _extension_problem(
    backoffice: BackOffice, previous: dict[str, Any] | None, position: int
) -> str | None:
    """Why the log up to `position` does not extend the previous checkpoint, or None."""
    from ecpsc.integrity import disposed

    start, head = (0, GENESIS) if previous is None else (previous["position"], previous["head"])
    if start and link_at(backoffice.recorder, start) != head:
        return f"链接 {start} 已不是检查点的链头 / link {start} is no longer the checkpoint's head"
    rows = (r for r in stored_links(backoffice.recorder, after=start)
            if r.notification_id <= position)  # fmt: skip
    report = verify_links(rows, disposed(backoffice), previous=head)
    return report.problem


def signed_checkpoints(backoffice: BackOffice) -> list[tuple[int, dict[str, Any]]]:
    """Every signed checkpoint with the notification id of its event (its change-feed cursor)."""
    log_id = CheckpointLog.create_id()
    events = [e for e in backoffice.repository.event_store.get(log_id)
              if isinstance(e, CheckpointLog.Signed)]  # fmt: skip
    if not events:
        return []
    cursors = _notification_ids(backoffice.recorder, log_id)
    return [
        (cursors.get(e.originator_version, 0), {field: getattr(e, field) for field in FIELDS})
        for e in events
    ]


def _notification_ids(recorder: Any, originator_id: Any) -> dict[int, int]:
    from eventsourcing.postgres import PostgresApplicationRecorder

    if isinstance(recorder, PostgresApplicationRecorder):
        table = f'"{recorder.datastore.schema}"."{recorder.events_table_name}"'
        column, mark, key = "notification_id", "%s", originator_id
    else:
        table, column, mark = recorder.events_table_name, "rowid", "?"
        key = originator_id.hex
    sql = f"SELECT {column} AS n, originator_version AS v FROM {table} WHERE originator_id = {mark}"
    with recorder.datastore.transaction(commit=False) as curs:
        curs.execute(sql, [key])
        return {int(row["v"]): int(row["n"]) for row in curs.fetchall()}


def after_position(backoffice: BackOffice, after: int, limit: int) -> list[dict[str, Any]]:
    """Signed checkpoints whose position is after `after`, oldest first."""
    found = [c for _, c in signed_checkpoints(backoffice) if c["position"] > after]
    return found[:limit]


def feed_items(backoffice: BackOffice, after: int) -> list[dict[str, Any]]:
    """The change-feed items of signed checkpoints after a cursor."""
    return [
        {"cursor": cursor, "number": None, "change": "checkpoint", "at": c["signed_at"],
         "checkpoint": c}
        for cursor, c in signed_checkpoints(backoffice)
        if cursor > after
    ]  # fmt: skip


# -- checking a checkpoint held by someone else ----------------------------------------------


def malformed(checkpoint: Any) -> str | None:
    """What is wrong with the form of a checkpoint, or None."""
    if not isinstance(checkpoint, dict):
        return "不是检查点对象 / not a checkpoint object"
    missing = [f for f in FIELDS if f not in checkpoint]
    if missing:
        return f"缺少字段 / missing {', '.join(missing)}"
    position = checkpoint["position"]
    if not isinstance(position, int) or isinstance(position, bool) or position < 0:
        return "position 不是非负整数 / position is not a whole number"
    if not isinstance(checkpoint["head"], str) or not HEAD.match(checkpoint["head"]):
        return "head 不是 64 位十六进制 / head is not 64 hex digits"
    for field in ("signed_at", "key_id", "signature"):
        if not isinstance(checkpoint[field], str):
            return f"{field} 不是文字 / {field} is not text"
    return None


def signature_problem(checkpoint: dict[str, Any], keys: Sequence[PublicKey]) -> str | None:
    """Why a checkpoint's signature does not hold under the published keys, or None."""
    form = malformed(checkpoint)
    if form is not None:
        return form
    key = next((k for k in keys if k.key_id == checkpoint["key_id"]), None)
    if key is None:
        return f"未知密钥 {checkpoint['key_id']} / unknown key {checkpoint['key_id']}"
    try:
        signature = unb64(checkpoint["signature"])
    except (binascii.Error, ValueError):
        return "签名不是 base64 / the signature is not base64"
    message = checkpoint_message(
        checkpoint["position"], checkpoint["head"], checkpoint["signed_at"], checkpoint["key_id"]
    )
    if not key.verifies(message, signature):
        return "签名无效 / the signature does not hold"
    return None


def describe(checkpoint: Any) -> str:
    """How a report names a checkpoint."""
    if isinstance(checkpoint, dict):
        return f"checkpoint {checkpoint.get('position')} ({checkpoint.get('signed_at')})"
    return "checkpoint ?"
