"""Signed checkpoints of the event log (ZPIC-WF-20 10): the certification body's signed word that
the hash chain's link at a position was a given head, published so that mirrors, the regulator
and auditors hold copies the body cannot take back (the witness idea of RFC 9162).
"""

from __future__ import annotations

from uuid import NAMESPACE_URL, UUID, uuid5

from eventsourcing.domain import Aggregate, event

CHECKPOINT_FORM = "ecpsc-checkpoint-v1"
"""The first line of what a checkpoint's signature covers."""


def checkpoint_message(position: int, head: str, signed_at: str, key_id: str) -> bytes:
    """The canonical form a checkpoint's signature covers: five lines, UTF-8, no final newline:
    `ecpsc-checkpoint-v1`, the position (decimal), the head (64 lowercase hex digits), the
    signing time (ISO 8601, UTC, `YYYY-MM-DDTHH:MM:SSZ`) and the key id."""
    return f"{CHECKPOINT_FORM}\n{position}\n{head}\n{signed_at}\n{key_id}".encode()


class CheckpointLog(Aggregate):
    """Every checkpoint the certification body signed, in order."""

    class Started(Aggregate.Created):
        """The log was started by the first checkpoint."""

    class Signed(Aggregate.Event):
        """The body signed that the chain's link at `position` is `head`."""

        position: int
        head: str
        signed_at: str
        key_id: str
        signature: str
        by: str

    @staticmethod
    def create_id() -> UUID:
        """The one checkpoint log."""
        return uuid5(NAMESPACE_URL, "/integrity/checkpoints")

    @event(Started)
    def __init__(self) -> None:
        self.last: dict[str, object] | None = None

    @event(Signed)
    def signed(
        self, position: int, head: str, signed_at: str, key_id: str, signature: str, by: str
    ) -> None:
        """Note a signed checkpoint."""
        self.last = {
            "position": position,
            "head": head,
            "signed_at": signed_at,
            "key_id": key_id,
            "signature": signature,
        }
