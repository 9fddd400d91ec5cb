"""Where a run's time goes: a stopwatch of named stages that can cover the whole process.

A :class:`Stopwatch` times stages (``with watch.stage("extract"): ...``). Stages nest, and each
stage's seconds are its own, without the stages inside it: a model loaded lazily inside "score"
counts as "load_scorer", not twice. Code that loads something heavy wraps it in :func:`stage`,
which times it on whatever stopwatch is running (none: no cost). :meth:`Stopwatch.split` gives the
seconds per stage, ``other`` for the time no stage covered and ``total``, the time since the
stopwatch's start; the command line starts its stopwatch at the start of the process
(:func:`process_age`), so the split also holds the interpreter's start and the imports.
"""

from __future__ import annotations

import contextlib
import contextvars
import os
import time
from collections.abc import Iterator

_CURRENT: contextvars.ContextVar[Stopwatch | None] = contextvars.ContextVar("contradict_stopwatch", default=None)


def process_age() -> float:
    """Seconds since this process started (from /proc on Linux, to 10 ms), or 0.0 where that is unknown."""
    try:
        with open("/proc/self/stat", encoding="ascii") as fh:
            fields = fh.read().rsplit(")", 1)[1].split()
        with open("/proc/uptime", encoding="ascii") as fh:
            uptime = float(fh.read().split()[0])
        return max(0.0, uptime - int(fields[19]) / os.sysconf("SC_CLK_TCK"))  # field 22: starttime in ticks
    except (OSError, ValueError, IndexError, AttributeError):
        return 0.0


class Stopwatch:
    """Seconds per named stage since ``start`` (a ``time.perf_counter()`` value; default: now)."""

    def __init__(self, start: float | None = None):
        self.start = time.perf_counter() if start is None else start
        self.seconds: dict[str, float] = {}
        self._open: list[list[float]] = []  # per open stage: [its start, seconds of the stages inside it]

    @classmethod
    def since_process_start(cls) -> Stopwatch:
        """A stopwatch whose time so far is the process's (interpreter start and imports), as stage ``start``."""
        now = time.perf_counter()
        watch = cls(now - process_age())
        watch.add("start", now - watch.start)
        return watch

    def add(self, name: str, seconds: float) -> None:
        self.seconds[name] = self.seconds.get(name, 0.0) + seconds

    @contextlib.contextmanager
    def stage(self, name: str) -> Iterator[None]:
        """Time the block as stage ``name`` (added to earlier blocks of that name), less the stages inside it;
        :func:`stage` calls inside it time themselves on this stopwatch."""
        token = _CURRENT.set(self)
        begin = time.perf_counter()
        self._open.append([begin, 0.0])
        try:
            yield
        finally:
            _, inner = self._open.pop()
            elapsed = time.perf_counter() - begin
            self.add(name, elapsed - inner)
            if self._open:
                self._open[-1][1] += elapsed
            _CURRENT.reset(token)

    def split(self) -> dict[str, float]:
        """Seconds per stage in the order first seen, ``other`` (time outside every stage) and ``total``, rounded
        to milliseconds; the stages and ``other`` sum to ``total``."""
        total = time.perf_counter() - self.start
        out = {name: round(s, 3) for name, s in self.seconds.items()}
        out["other"] = round(max(0.0, total - sum(self.seconds.values())), 3)
        out["total"] = round(sum(out.values()), 3)
        return out


def stage(name: str) -> contextlib.AbstractContextManager[None]:
    """Time a block as stage ``name`` on the running stopwatch (the one whose stage encloses this call), if any."""
    watch = _CURRENT.get()
    return watch.stage(name) if watch is not None else contextlib.nullcontext()


def format_split(seconds: dict[str, float]) -> str:
    """``total 7.91 s: start 0.41, load_scorer 3.02, ...`` (stages under 5 ms left out)."""
    parts = [f"{name} {s:.2f}" for name, s in seconds.items() if name != "total" and s >= 0.005]
    return f"total {seconds.get('total', 0.0):.2f} s: " + ", ".join(parts)
