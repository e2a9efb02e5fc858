"""The eligibility watchlist (4.1.2)."""

from __future__ import annotations

from fastapi import APIRouter, status

from api.deps import BackOfficeDep, Intake, ServicesDep
from api.schemas.common import Uscc
from api.schemas.watchlist import DelistingIn, Listing, ListingIn, WatchlistOut
from domain.watchlist import WatchlistEntry

router = APIRouter(prefix="/watchlist", tags=["watchlist"])


def watchlist_out(entry: WatchlistEntry) -> WatchlistOut:
    """An organization's watchlist status."""
    return WatchlistOut(
        uscc=entry.uscc,
        listed=entry.is_listed,
        listings=[Listing(list=name, **data) for name, data in entry.listings.items()],  # type: ignore[arg-type]
        version=entry.version,
    )


@router.post("", status_code=status.HTTP_201_CREATED, response_model=WatchlistOut)
def list_organization(body: ListingIn, services: ServicesDep, actor: Intake) -> WatchlistOut:
    """Record an enforcement authority's listing of an organization."""
    entry = services.backoffice.list_on_watchlist(
        uscc=body.uscc,
        watchlist=body.list,
        source=body.source,
        listed_on=body.listed_on,
        by=actor,
    )
    services.settle()
    return watchlist_out(entry)


@router.post("/{uscc}/delisting", response_model=WatchlistOut)
def delist_organization(
    uscc: Uscc, body: DelistingIn, services: ServicesDep, actor: Intake
) -> WatchlistOut:
    """Record an organization's removal from the watchlist."""
    entry = services.backoffice.delist(
        uscc=uscc, source=body.source, delisted_on=body.delisted_on, by=actor
    )
    services.settle()
    return watchlist_out(entry)


@router.get("/{uscc}", response_model=WatchlistOut)
def watchlist_status(uscc: Uscc, backoffice: BackOfficeDep, actor: Intake) -> WatchlistOut:
    """Whether an organization is on the watchlist, and on which lists."""
    entry = backoffice.watchlist_entry(uscc)
    if entry is None:
        return WatchlistOut(uscc=uscc, listed=False, listings=[], version=0)
    return watchlist_out(entry)
