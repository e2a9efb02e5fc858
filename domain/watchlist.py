"""The eligibility watchlist (ZPIC-WF-20 4.1.2), one aggregate per organization."""

from __future__ import annotations

from datetime import date
from uuid import NAMESPACE_URL, UUID, uuid5

from eventsourcing.domain import Aggregate, event

from domain.errors import InvalidInput, RuleViolation

WATCHLISTS: dict[str, str] = {
    "business_suspension_order": "责令停业整顿 / ordered to suspend business for rectification",
    "serious_illegal": "严重违法企业名单 / serious illegal enterprise list",
}


class WatchlistEntry(Aggregate):
    """Whether an organization (by uscc) is on an enforcement list, and since when."""

    class Listed(Aggregate.Created):
        """An enforcement authority listed the organization for the first time."""

        uscc: str
        watchlist: str
        source: str
        listed_on: date
        by: str

    class Relisted(Aggregate.Event):
        """The organization was listed again, or on another list."""

        watchlist: str
        source: str
        listed_on: date
        by: str

    class Delisted(Aggregate.Event):
        """The organization was taken off every list it was on."""

        source: str
        delisted_on: date
        by: str

    @staticmethod
    def create_id(uscc: str) -> UUID:
        """The entry's id for an organization."""
        return uuid5(NAMESPACE_URL, f"/watchlist/{uscc}")

    @event(Listed)
    def __init__(self, uscc: str, watchlist: str, source: str, listed_on: date, by: str) -> None:
        self.uscc = uscc
        self.listings: dict[str, dict[str, object]] = {
            watchlist: {"source": source, "listed_on": listed_on}
        }
        self.last_delisted_on: date | None = None
        self.periods: list[dict[str, object]] = [
            {"watchlist": watchlist, "listed_on": listed_on, "delisted_on": None}
        ]

    @property
    def is_listed(self) -> bool:
        """Whether any listing is in force."""
        return bool(self.listings)

    def was_listed_on(self, day: date) -> bool:
        """Whether a listing was in force on a day (listed on or before it, not yet delisted)."""
        return any(
            p["listed_on"] <= day and (p["delisted_on"] is None or day < p["delisted_on"])  # type: ignore[operator]
            for p in self.periods
        )

    def list_again(self, watchlist: str, source: str, listed_on: date, by: str) -> None:
        """List the organization (again, or on another list)."""
        if self.last_delisted_on is not None and listed_on < self.last_delisted_on:
            raise InvalidInput(
                "listed_on",
                "列入日期早于上次移出日期 / listed_on is before the last delisting",
            )
        if watchlist in self.listings:
            raise RuleViolation(
                "该组织已在此名单上 / the organization is already on this list",
                code="already_listed",
                clause="ZPIC-WF-20 4.1.2",
            )
        self._relisted(watchlist=watchlist, source=source, listed_on=listed_on, by=by)

    @event(Relisted)
    def _relisted(self, watchlist: str, source: str, listed_on: date, by: str) -> None:
        self.listings[watchlist] = {"source": source, "listed_on": listed_on}
        self.periods.append({"watchlist": watchlist, "listed_on": listed_on, "delisted_on": None})

    def delist(self, source: str, delisted_on: date, by: str) -> None:
        """Take the organization off every list it is on."""
        if not self.listings:
            raise RuleViolation(
                "该组织不在监管名单上 / the organization is not on the watchlist",
                code="not_listed",
                clause="ZPIC-WF-20 4.1.2",
            )
        latest = max(d["listed_on"] for d in self.listings.values())  # type: ignore[type-var]
        if delisted_on < latest:  # type: ignore[operator]
            raise InvalidInput(
                "delisted_on", "移出日期早于列入日期 / delisted_on is before the listing date"
            )
        self._delisted(source=source, delisted_on=delisted_on, by=by)

    @event(Delisted)
    def _delisted(self, source: str, delisted_on: date, by: str) -> None:
        self.listings = {}
        self.last_delisted_on = delisted_on
        for period in self.periods:
            if period["delisted_on"] is None:
                period["delisted_on"] = delisted_on
