"""The base of the back office's desks: loading aggregates, versions, business dates, the store's
transcodings. Each desk (a mixin of commands) builds on it; `BackOffice` joins them."""

from __future__ import annotations

from collections.abc import Callable
from datetime import date, datetime
from typing import Any, TypeVar
from uuid import UUID

from eventsourcing.application import AggregateNotFoundError, Application
from eventsourcing.domain import Aggregate
from eventsourcing.persistence import JSONTranscoder, Transcoding
from eventsourcing.utils import EnvType

from domain.errors import NotFound, VersionConflict
from domain.rulebook.dates import ensure_not_after_today, today_in_china

A = TypeVar("A", bound=Aggregate)


class DateAsISO(Transcoding):
    """Stores a calendar date as YYYY-MM-DD."""

    type = date
    name = "date_iso"

    def encode(self, obj: date) -> str:
        return obj.isoformat()

    def decode(self, data: str) -> date:
        return date.fromisoformat(data)


class Desk(Application[UUID]):
    """What every desk of the back office shares."""

    def __init__(self, env: EnvType | None = None, today: Callable[[], date] | None = None):
        super().__init__(env)
        self._today = today or today_in_china

    def register_transcodings(self, transcoder: JSONTranscoder) -> None:
        """Teach the store to keep dates."""
        super().register_transcodings(transcoder)
        transcoder.register(DateAsISO())

    def today(self) -> date:
        """The back office's today (China Standard Time, or ECPSC_TODAY when pinned)."""
        return self._today()

    # -- loading ---------------------------------------------------------------------------

    def as_of(self, cls: type[A], aggregate_id: UUID, moment: datetime) -> A | None:
        """An aggregate as its events recorded up to a moment made it (None if not yet made)."""
        version = 0
        for e in self.repository.event_store.get(aggregate_id):
            if e.timestamp > moment:  # type: ignore[attr-defined]
                break
            version = e.originator_version
        if version == 0:
            return None
        aggregate: Aggregate = self.repository.get(aggregate_id, version=version)
        assert isinstance(aggregate, cls)
        return aggregate

    def stored_event(self, aggregate_id: UUID, version: int) -> Any:
        """One stored event of an aggregate, by its version."""
        (e,) = self.repository.event_store.get(aggregate_id, gt=version - 1, lte=version)
        return e

    def _get(self, cls: type[A], aggregate_id: UUID, what: str) -> A:
        zh, _, en = what.partition(" / ")
        try:
            aggregate: Aggregate = self.repository.get(aggregate_id)
        except AggregateNotFoundError:
            raise NotFound(f"未找到{zh} / {en} not found") from None
        if not isinstance(aggregate, cls):
            raise NotFound(f"未找到{zh} / {en} not found")
        return aggregate

    def _find(self, cls: type[A], aggregate_id: UUID) -> A | None:
        try:
            aggregate: Aggregate = self.repository.get(aggregate_id)
        except AggregateNotFoundError:
            return None
        return aggregate if isinstance(aggregate, cls) else None

    @staticmethod
    def _check_version(aggregate: Aggregate, expected_version: int | None) -> None:
        if expected_version is not None and expected_version != aggregate.version:
            raise VersionConflict(
                f"记录已被修改（当前版本 {aggregate.version}）/ the record has changed "
                f"(current version {aggregate.version}, If-Match {expected_version})"
            )

    def _check_business_date(self, field: str, day: date) -> None:
        ensure_not_after_today(field, day, self.today())

