"""Fixtures of the in-memory domain tests: a BackOffice on the POPO store, today pinned."""

from __future__ import annotations

import pytest

from domain.backoffice import BackOffice
from domain.people import Actor
from tests.domain.support import TODAY


@pytest.fixture
def bo() -> BackOffice:
    """A back office in memory (no env: the POPO store), whose today is 2026-11-28."""
    return BackOffice(today=lambda: TODAY)


@pytest.fixture
def intake() -> Actor:
    """An intake officer."""
    return Actor("intake-officer-1", "李四", frozenset({"intake"}))
