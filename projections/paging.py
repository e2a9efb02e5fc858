"""One page of a read model's list: the rows of the page and how many the list holds in all."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from projections.view import ViewQueries

Rows = tuple[list[dict[str, Any]], int]
"""A page of rows and the total the query matches."""


def page_of(
    view: ViewQueries,
    table: str,
    where: str,
    params: Sequence[Any],
    order: str,
    offset: int,
    limit: int,
    columns: str = "*",
) -> Rows:
    """`limit` rows of `table` after `offset` in `order`, and the count; `where` is "" or
    " WHERE …" with `?` placeholders for `params` (the table may carry an alias: "t a")."""
    total = view.rows(f"SELECT COUNT(*) AS n FROM {table}{where}", params)[0]["n"]
    items = view.rows(
        f"SELECT {columns} FROM {table}{where} ORDER BY {order} LIMIT ? OFFSET ?",
        [*params, limit, offset],
    )
    return items, int(total)
