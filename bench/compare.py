"""Two runs side by side: `python -m bench --compare A.json B.json` prints each row's change.

Rows are matched by their measure's name. Whether a change is for the better follows the row's
goal (`>=`/`ratio>=`: higher is better; `<=`/`<`: lower is better), else its unit (rates up,
times, memory and connections down); a row with neither is only shown.
"""

from __future__ import annotations

import json
import math
from pathlib import Path
from typing import Any

THRESHOLD = 0.10
"""A change smaller than this is called noise (the machines it runs on are shared)."""

HIGHER_IS_BETTER_UNITS = ("/s",)
LOWER_IS_BETTER_UNITS = frozenset({"ms", "s", "MB", "conn"})


class NotARun(ValueError):
    """The file is not a run's JSON written by `python -m bench`."""


def load(path: Path) -> dict[str, Any]:
    """A run's JSON (its rows by measure in `rows`)."""
    try:
        run = json.loads(path.read_text())
    except OSError as error:
        raise NotARun(f"{path}: {error.strerror or error}") from None
    except json.JSONDecodeError as error:
        raise NotARun(f"{path}: not JSON ({error.msg}, line {error.lineno})") from None
    if not isinstance(run, dict) or not isinstance(run.get("rows"), list):
        raise NotARun(f"{path}: no rows (not written by python -m bench)")
    return run


def higher_is_better(row: dict[str, Any]) -> bool | None:
    """Which way the row improves, or None when it has no direction."""
    kind = row.get("goal_kind") or ""
    if row.get("goal") is not None and kind:
        return kind in (">=", ">", "ratio>=")
    unit = str(row.get("unit") or "")
    if unit.endswith(HIGHER_IS_BETTER_UNITS):
        return True
    if unit in LOWER_IS_BETTER_UNITS:
        return False
    return None


def _figure(value: Any) -> float | None:
    if isinstance(value, int | float) and math.isfinite(value):
        return float(value)
    return None


def _number(value: float | None) -> str:
    if value is None:
        return "—"
    if abs(value) >= 100:
        return f"{value:,.0f}"
    if abs(value) >= 10:
        return f"{value:.1f}"
    return f"{value:.2f}"


def verdict(row: dict[str, Any], before: float | None, after: float | None,
            threshold: float = THRESHOLD) -> tuple[float | None, str]:  # fmt: skip
    """The relative change from `before` to `after`, and "better", "WORSE", "same" or ""."""
    if before is None or after is None or before == 0:
        return None, ""
    change = (after - before) / abs(before)
    direction = higher_is_better(row)
    if direction is None:
        return change, ""
    if abs(change) < threshold:
        return change, "same"
    return change, "better" if (change > 0) == direction else "WORSE"


def _title(run: dict[str, Any], path: Path) -> str:
    software = run.get("software") or {}
    certificates = (run.get("data") or {}).get("certificates")
    size = f" · {certificates:,} certificates" if isinstance(certificates, int) else ""
    return f"{path.name}: {run.get('started_at', '?')} · commit {software.get('commit', '?')}{size}"


def lines(a: dict[str, Any], b: dict[str, Any], a_path: Path, b_path: Path,
          threshold: float = THRESHOLD) -> list[str]:  # fmt: skip
    """The comparison, one line per measure (A's order, then those only in B)."""
    rows_a = {str(r.get("measure")): r for r in a["rows"]}
    rows_b = {str(r.get("measure")): r for r in b["rows"]}
    out = [
        f"A = {_title(a, a_path)}",
        f"B = {_title(b, b_path)}",
        "",
        f"{'measure':56} {'A':>12} {'B':>12} {'change':>8} {'':>6}",
        "-" * 98,
    ]
    counts = {"better": 0, "WORSE": 0}
    for name in [*rows_a, *(n for n in rows_b if n not in rows_a)]:
        row_a, row_b = rows_a.get(name), rows_b.get(name)
        row = row_b or row_a or {}
        unit = str(row.get("unit") or "")
        before = _figure(row_a.get("figure")) if row_a else None
        after = _figure(row_b.get("figure")) if row_b else None
        change, said = verdict(row, before, after, threshold)
        if row_a is None:
            said = "only in B"
        elif row_b is None:
            said = "only in A"
        counts[said] = counts.get(said, 0) + 1
        shown = f"{change * 100:+.1f} %" if change is not None else "—"
        out.append(
            f"{name[:56]:56} {_number(before) + ' ' + unit:>12} {_number(after) + ' ' + unit:>12}"
            f" {shown:>8} {said:>6}"
        )
        ratio_a = _figure(row_a.get("ratio")) if row_a else None
        ratio_b = _figure(row_b.get("ratio")) if row_b else None
        if ratio_a is not None or ratio_b is not None:
            out.append(f"    ratio to its baseline: {_number(ratio_a)} -> {_number(ratio_b)}")
    out += [
        "",
        f"{counts['better']} better, {counts['WORSE']} worse by more than "
        f"{threshold * 100:.0f} % (rows matched by name; B against A)",
    ]
    return out


def main(a_path: Path, b_path: Path, threshold: float = THRESHOLD) -> int:
    """Print the comparison of two runs; 2 when a file is not a run."""
    try:
        a, b = load(a_path), load(b_path)
    except NotARun as error:
        print(f"python -m bench --compare: {error}")
        return 2
    for line in lines(a, b, a_path, b_path, threshold):
        print(line)
    return 0
