"""The eligibility watchlist (4.1.2)."""

from __future__ import annotations

from datetime import date
from typing import Literal

from pydantic import BaseModel, ConfigDict, Field

from api.schemas.common import BusinessDate, Strict, Text, Uscc

WatchlistName = Literal["business_suspension_order", "serious_illegal"]


class ListingIn(Strict):
    """An enforcement authority's listing of an organization."""

    model_config = ConfigDict(
        json_schema_extra={
            "examples": [
                {
                    "uscc": "91350100M000100Y43",
                    "list": "serious_illegal",
                    "source": "福州市市场监督管理局 闽榕市监〔2026〕12号",
                    "listed_on": "2026-11-10",
                }
            ]
        }
    )

    uscc: Uscc
    list: WatchlistName = Field(
        description="责令停业整顿或严重违法企业名单 / ordered to suspend business, or the serious "
        "illegal enterprise list (4.1.2)"
    )
    source: Text = Field(description="来源：机关与文号 / the authority and its document (4.1.2)")
    listed_on: BusinessDate = Field(description="列入日期 / the day listed (4.1.2)")


class DelistingIn(Strict):
    """An organization's removal from the watchlist."""

    model_config = ConfigDict(
        json_schema_extra={
            "examples": [
                {
                    "source": "福州市市场监督管理局 移出决定 / the regulator's removal",
                    "delisted_on": "2026-11-25",
                }
            ]
        }
    )

    source: Text = Field(description="来源：机关与文号 / the authority and its document (4.1.2)")
    delisted_on: BusinessDate = Field(description="移出日期 / the day delisted (4.1.2)")


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
