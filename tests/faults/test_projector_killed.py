"""The projector killed with SIGKILL in the middle of its work, again and again (issue 9,
faults): after each restart it goes on from its tracking records, and at the end every read
model equals one built in a single undisturbed run — no event applied twice, none skipped."""

from __future__ import annotations

import os
import random
import signal
import sqlite3
import subprocess
import sys
import time
from pathlib import Path

import pytest

from ecpsc.demo_data import fill
from ecpsc.settings import Settings
from tests.conftest import TODAY

KILLS = 8
CERTIFICATES = 400
"""Enough events (~9,000) that kills land while the faster read models are still at work."""
FINISH_SECONDS = 120
START_SECONDS = 30


def read_model_files(folder: Path) -> list[Path]:
    """The read models' SQLite files beside an event store `ecpsc.sqlite`."""
    return sorted(p for p in folder.glob("ecpsc.*.sqlite"))


def contents(path: Path) -> dict[str, list[tuple[object, ...]]]:
    """Every row of every table of a read model file, in a stable order, and its position.

    Tracking rows are compared by their last position: a batch records the tracking of the
    events it applies, and of the last event it ignored, so which ignored events left a row
    depends on where batches happened to end.
    """
    with sqlite3.connect(path) as db:
        tables = [r[0] for r in db.execute(
            "SELECT name FROM sqlite_master WHERE type = 'table' AND name != 'tracking'"
            " ORDER BY name")]  # fmt: skip
        rows = {t: sorted(db.execute(f'SELECT * FROM "{t}"').fetchall(), key=repr)
                for t in tables}  # fmt: skip
    return {**rows, "tracking": [(position(path),)]}


def position(path: Path) -> int:
    """How far a read model has applied the store's events (0 before it starts)."""
    try:
        with sqlite3.connect(path) as db:
            row = db.execute(
                "SELECT MAX(notification_id) FROM tracking WHERE application_name = 'BackOffice'"
            ).fetchone()
    except sqlite3.Error:
        return 0
    return int(row[0] or 0)


def projector(store: Path) -> subprocess.Popen[bytes]:
    """`ecpsc projector` on the store, as its own process."""
    env = {**os.environ, "ECPSC_DATABASE_URL": f"sqlite:///{store}",
           "ECPSC_TODAY": TODAY.isoformat(), "ECPSC_LOG_FORMAT": "text"}  # fmt: skip
    ecpsc = str(Path(sys.executable).with_name("ecpsc"))
    return subprocess.Popen([ecpsc, "projector"], env=env,
                            stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)  # fmt: skip


@pytest.mark.store("sqlite")
def test_a_projector_killed_mid_batch_many_times_ends_equal_to_a_clean_build(
    tmp_path: Path,
) -> None:
    # given a store of demonstration data, its read models built in one undisturbed run
    clean = tmp_path / "clean"
    clean.mkdir()
    settings = Settings(database_url=f"sqlite:///{clean / 'ecpsc.sqlite'}", today=TODAY,
                        daily_jobs=False)  # fmt: skip
    fill(settings, CERTIFICATES, seed=7, progress=lambda _: None)
    # and a copy of its events alone, with no read models yet
    killed = tmp_path / "killed"
    killed.mkdir()
    with sqlite3.connect(clean / "ecpsc.sqlite") as source, sqlite3.connect(
        killed / "ecpsc.sqlite"
    ) as target:
        source.backup(target)
    with sqlite3.connect(killed / "ecpsc.sqlite") as db:
        last = int(db.execute("SELECT MAX(rowid) FROM stored_events").fetchone()[0])
    # when a projector follows the copy and is killed with SIGKILL at random moments
    rng = random.Random(11)
    caught_mid_way = 0
    for _ in range(KILLS):
        reached = min((position(p) for p in read_model_files(killed)), default=0)
        if reached == last:
            break  # every read model got to the end between two kills
        process = projector(killed / "ecpsc.sqlite")
        # a batched catch-up takes well under a second: strike soon after work resumes
        deadline = time.monotonic() + START_SECONDS
        while (
            min((position(p) for p in read_model_files(killed)), default=0) <= reached
            and time.monotonic() < deadline
        ):
            time.sleep(0.005)
        time.sleep(rng.uniform(0.0, 0.05))
        process.send_signal(signal.SIGKILL)
        process.wait(30)
        positions = [position(p) for p in read_model_files(killed)]
        caught_mid_way += any(0 < p < last for p in positions)
    # and once more, left to finish
    process = projector(killed / "ecpsc.sqlite")
    deadline = time.monotonic() + FINISH_SECONDS
    try:
        while not (read_model_files(killed) and all(
                position(p) == last for p in read_model_files(killed))):  # fmt: skip
            assert time.monotonic() < deadline, "the projector did not catch up"
            time.sleep(0.2)
    finally:
        process.send_signal(signal.SIGTERM)
        process.wait(30)
    # then some kills landed in the middle of the work, and every read model's rows equal the
    # clean build's and they stand at the same position (each event applied once)
    assert caught_mid_way >= 2, "no kill landed mid-way: the test proved nothing"
    names = [p.name for p in read_model_files(clean)]
    assert names == [p.name for p in read_model_files(killed)]
    for name in names:
        assert contents(killed / name) == contents(clean / name), name
