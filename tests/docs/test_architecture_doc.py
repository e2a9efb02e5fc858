"""docs/architecture.md kept true (issue 21): the read models it lists are those of
projections/registry.py, and the commands and modules it names exist."""

from __future__ import annotations

import re
from pathlib import Path

import typer

from ecpsc.cli import cli
from projections.registry import PROJECTIONS

ROOT = Path(__file__).resolve().parents[2]
DOC = (ROOT / "docs" / "architecture.md").read_text(encoding="utf-8")


def test_the_read_model_table_lists_every_read_model_and_no_other() -> None:
    """Given the doc's read-model table, when its first column is read, then it is exactly the
    registry's read models, in its order, and the doc says how many there are."""
    table = DOC[DOC.index("## The read models") : DOC.index("## The modules")]
    listed = re.findall(r"^\| `([a-z_]+)` \|", table, flags=re.MULTILINE)
    assert listed == [model.projection_class.name for model in PROJECTIONS]
    assert len(PROJECTIONS) == 10 and "the ten read models" in DOC


def test_every_ecpsc_command_named_exists() -> None:
    """Given every `ecpsc <word>` in the doc, when looked up in the CLI, then it is a command."""
    commands = set(typer.main.get_command(cli).commands)  # type: ignore[attr-defined]
    named = set(re.findall(r"ecpsc ([a-z][a-z-]+)", DOC))
    assert named, "the doc names no command"
    assert named <= commands, named - commands


def test_every_path_named_exists() -> None:
    """Given every repository path in backquotes, when looked up, then it exists."""
    paths = set(re.findall(r"`((?:domain|projections|api|workers|ecpsc|tests)/[\w/.<>-]*)`", DOC))
    assert len(paths) > 10
    for path in paths:
        if "<" not in path:
            assert (ROOT / path).exists(), path
