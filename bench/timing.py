"""Closed-loop (as fast as it goes) and open-loop (paced) load from threads."""

from __future__ import annotations

import statistics
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass, field


@dataclass
class Outcome:
    """Operations done, their latencies (ms) and the seconds they took."""

    operations: int
    seconds: float
    latencies_ms: list[float] = field(default_factory=list)
    errors: int = 0
    first_error: str = ""

    @property
    def rate(self) -> float:
        """Operations a second."""
        return self.operations / self.seconds if self.seconds else 0.0

    def percentile(self, p: float) -> float:
        """The p-th percentile latency in ms (nearest rank)."""
        if not self.latencies_ms:
            return float("nan")
        ordered = sorted(self.latencies_ms)
        rank = max(0, min(len(ordered) - 1, round(p / 100 * len(ordered) + 0.5) - 1))
        return ordered[rank]

    @property
    def median(self) -> float:
        """The p50 latency in ms."""
        return statistics.median(self.latencies_ms) if self.latencies_ms else float("nan")


Worker = Callable[[int], None]
"""Does one operation; called with the operation's serial number."""


def closed_loop(
    make_worker: Callable[[int], Worker], threads: int, seconds: float, warmup: float = 0.0
) -> Outcome:
    """`threads` threads each calling its worker back to back for `seconds` (after `warmup`)."""
    workers = [make_worker(i) for i in range(threads)]
    counter = iter(range(1 << 62))
    start_line = threading.Barrier(threads + 1)
    lock = threading.Lock()
    latencies: list[float] = []
    done = [0]
    errors: list[str] = []
    measuring = threading.Event()
    stop = threading.Event()

    def run(worker: Worker) -> None:
        mine: list[float] = []
        count = 0
        start_line.wait()
        while not stop.is_set():
            began = time.perf_counter()
            try:
                worker(next(counter))
            except Exception as error:
                with lock:
                    errors.append(repr(error))
                continue
            if measuring.is_set():
                mine.append((time.perf_counter() - began) * 1000)
                count += 1
        with lock:
            latencies.extend(mine)
            done[0] += count

    pool = [threading.Thread(target=run, args=(w,), daemon=True) for w in workers]
    for thread in pool:
        thread.start()
    start_line.wait()
    time.sleep(warmup)
    measuring.set()
    began = time.perf_counter()
    time.sleep(seconds)
    measuring.clear()
    elapsed = time.perf_counter() - began
    stop.set()
    for thread in pool:
        thread.join(60)
    return Outcome(done[0], elapsed, latencies, len(errors), errors[0] if errors else "")


def open_loop(
    make_worker: Callable[[int], Worker], threads: int, rate: float, seconds: float
) -> Outcome:
    """Operations sent at a fixed `rate` by `threads` threads for `seconds`; each latency runs
    from the moment the operation was due, so a backlog counts against the server."""
    workers = [make_worker(i) for i in range(threads)]
    total = max(1, int(rate * seconds))
    interval = 1.0 / rate
    lock = threading.Lock()
    next_index = [0]
    latencies: list[float] = []
    errors: list[str] = []
    start_line = threading.Barrier(threads + 1)
    began = [0.0]

    def run(worker: Worker) -> None:
        mine: list[float] = []
        start_line.wait()
        while True:
            with lock:
                index = next_index[0]
                next_index[0] += 1
            if index >= total:
                break
            due = began[0] + index * interval
            pause = due - time.perf_counter()
            if pause > 0:
                time.sleep(pause)
            try:
                worker(index)
            except Exception as error:
                with lock:
                    errors.append(repr(error))
                continue
            mine.append((time.perf_counter() - due) * 1000)
        with lock:
            latencies.extend(mine)

    pool = [threading.Thread(target=run, args=(w,), daemon=True) for w in workers]
    for thread in pool:
        thread.start()
    began[0] = time.perf_counter() + 0.05
    start_line.wait()
    for thread in pool:
        thread.join(seconds * 10 + 60)
    elapsed = time.perf_counter() - began[0]
    return Outcome(len(latencies), elapsed, latencies, len(errors), errors[0] if errors else "")
