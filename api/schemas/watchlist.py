"""The eligibility watchlist (4.1.2)."""

from __future__ import annotations

from datetime import date
from typing import Literal

from pydantic import BaseModel

from api.schemas.common import BusinessDate, Strict, Text, Uscc

WatchlistName = Literal["business_suspension_order", "serious_illegal"]


class ListingIn(Strict):
    """An enforcement authority's listing of an organization."""

    uscc: Uscc
    list: WatchlistName
    source: Text
    listed_on: BusinessDate


class DelistingIn(Strict):
    """An organization's removal from the watchlist."""

    source: Text
    delisted_on: BusinessDate


class Listing(BaseModel):
    """One list an organization is on."""

    list: str
    source: str
    listed_on: date


class WatchlistOut(BaseModel):
    """Whether an organization is on the watchlist now."""

    uscc: str
    listed: bool
    listings: list[Listing]
    version: int
