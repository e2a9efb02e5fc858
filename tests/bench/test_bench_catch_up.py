"""The bench's register catch-up times the runner the read models use."""

from __future__ import annotations

from bench.catch_up import _runner_class
from projections.batching import BatchingProjectionRunner
from projections.following import FollowingRunner


def test_the_catch_up_is_timed_with_the_batching_runner_the_read_models_run() -> None:
    """Given the read models' runner (FollowingRunner, a BatchingProjectionRunner over a shared
    application), when the bench picks its runner class, then it is the batching one, not the
    library's event-at-a-time ProjectionRunner (which it fell back to once, unnoticed: a
    rebuild of 43k events took 62 s)."""
    assert _runner_class() is BatchingProjectionRunner
    assert issubclass(FollowingRunner, _runner_class())
