"""How long records are kept (ZPIC-WF-20 10.2; rules.md §10)."""

from __future__ import annotations

from datetime import date

from domain.rulebook.dates import deadline

RETENTION_MONTHS = 36
"""10.2: a cycle's records are kept until 36 months after the cycle's last day (one more full
cycle, at most 6 years in all). Ruling: an application that never led to a certificate is kept
until 36 months after its final outcome (rejection or refusal)."""


def retain_until(last_day: date) -> date:
    """The last day records must be kept: 36 months after the cycle's (or outcome's) day."""
    return deadline(last_day, RETENTION_MONTHS)
