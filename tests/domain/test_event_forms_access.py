"""Tokens and revocations stored before expiries and reasons were recorded (class_version 1)
still replay: the upcasters give an old token a year from its issue and an old revocation no
reason, at its own record's time (issue 20, item 8)."""

from __future__ import annotations

import json
from datetime import UTC, datetime, timedelta
from uuid import uuid4

from eventsourcing.persistence import StoredEvent

from domain.backoffice import BackOffice
from domain.credentials import ApiToken, token_digest

ISSUED_AT = datetime(2026, 1, 5, 8, 0, tzinfo=UTC)
REVOKED_AT = datetime(2026, 3, 1, 9, 30, tzinfo=UTC)


def _v1(topic: str, originator_id: object, version: int, state: dict[str, object]) -> StoredEvent:
    """A record as class_version 1 wrote it (no class_version key)."""
    return StoredEvent(
        originator_id=originator_id,  # type: ignore[arg-type]
        originator_version=version,
        topic=topic,
        state=json.dumps(state).encode(),
    )


def _moment(at: datetime) -> dict[str, str]:
    return {"_type_": "datetime_iso", "_data_": at.isoformat()}


def test_a_version_1_token_and_revocation_replay_with_an_expiry_and_no_reason() -> None:
    # given a token issued and revoked in the version 1 forms, stored by hand
    bo = BackOffice()
    digest = token_digest("an old token")
    token_id = ApiToken.create_id(digest)
    user_id = str(uuid4())
    bo.recorder.insert_events([
        _v1("domain.credentials:ApiToken.Issued", token_id, 1, {
            "timestamp": _moment(ISSUED_AT), "originator_topic": "domain.credentials:ApiToken",
            "digest": digest, "user_id": user_id, "by": "bootstrap-admin"}),
    ])  # fmt: skip
    # when it is loaded
    token = bo.repository.get(token_id)
    # then it expires a year after its issue, and is not revoked
    assert token.expires_at == ISSUED_AT + timedelta(days=365)
    assert token.accepted_at(ISSUED_AT + timedelta(days=364))
    assert not token.accepted_at(ISSUED_AT + timedelta(days=366))
    # given its revocation in the version 1 form (only `by`)
    bo.recorder.insert_events([
        _v1("domain.credentials:ApiToken.Revoked", token_id, 2,
            {"timestamp": _moment(REVOKED_AT), "by": "bootstrap-admin"}),
    ])  # fmt: skip
    # when it is loaded again
    token = bo.repository.get(token_id)
    # then it is revoked at the record's time, with no reason
    assert token.revoked
    assert token.revocation == {"reason": "", "at": REVOKED_AT, "by": "bootstrap-admin"}
    assert not token.accepted_at(ISSUED_AT + timedelta(days=1))
