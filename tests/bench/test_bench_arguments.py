"""`python -m bench --only` picks measures by name, in the run's order."""

from __future__ import annotations

import argparse

import pytest

from bench.__main__ import MEASURES, _arguments, _measures


def test_without_only_every_measure_runs() -> None:
    """Given no --only, when the arguments are read, then every measure is chosen."""
    assert _arguments([]).only == MEASURES


def test_only_keeps_the_run_s_order_whatever_the_order_given() -> None:
    """Given names out of order with spaces, when read, then they come back in the run's order."""
    assert _arguments(["--only", " sweep,register "]).only == ("register", "sweep")


@pytest.mark.parametrize("text", ["registers", "", ",", "register,swept"])
def test_an_unknown_or_empty_measure_is_refused_naming_the_choices(text: str) -> None:
    """Given a misspelt or empty list, when read, then it is an error naming every measure."""
    with pytest.raises(argparse.ArgumentTypeError) as refused:
        _measures(text)
    assert ",".join(MEASURES) in str(refused.value)


def test_the_projector_runs_every_read_model_unless_told() -> None:
    """Given no --read-models, when read, then none is named (the projector runs them all); given
    some, they are kept in the order given."""
    assert _arguments([]).read_models is None
    assert _arguments(["--read-models", "register, retention"]).read_models == (
        "register",
        "retention",
    )


def test_an_unknown_read_model_is_refused_naming_those_there_are() -> None:
    """Given a misspelt read model, when the arguments are read, then argparse exits 2."""
    with pytest.raises(SystemExit) as exited:
        _arguments(["--read-models", "registr"])
    assert exited.value.code == 2
