"""Progress on stderr, shared by compare's stages, scoring, training and evaluation: a Rich bar on a terminal;
elsewhere nothing, or (with :attr:`progress.lines`, which ``compare --progress-always`` sets) plain lines of
counts, at most one every few seconds and one at the end of each stage, for logs."""

from __future__ import annotations

import sys
import time
from typing import Any


class Ticker:
    """What :class:`progress` yields: ``advance(n)`` moves the bar on by ``n``; ``advance.update(total=...,
    completed=..., description=...)`` sets any of them (a total learnt late, a stage's current document)."""

    def __init__(self, bar: Any = None, task: Any = None):
        self._bar, self._task = bar, task

    def __call__(self, n: int = 1) -> None:
        if self._bar is not None:
            self._bar.advance(self._task, n)

    def update(self, **fields: Any) -> None:
        if self._bar is not None:
            self._bar.update(self._task, **fields)


class LineTicker(Ticker):
    """A :class:`Ticker` that writes ``description: done/total`` lines to stderr (every ``every`` seconds, and
    :meth:`close`'s last one)."""

    def __init__(self, label: str, total: int, every: float = 5.0):
        super().__init__()
        self.description, self.total, self.completed, self.every = label, total, 0, every
        self._last = time.monotonic()

    def __call__(self, n: int = 1) -> None:
        self.completed += n
        if time.monotonic() - self._last >= self.every:
            self._write()

    def update(self, **fields: Any) -> None:
        for key in ("total", "completed", "description"):
            if key in fields:
                setattr(self, key, fields[key])
        if time.monotonic() - self._last >= self.every:
            self._write()

    def _write(self) -> None:
        self._last = time.monotonic()
        print(f"{self.description}: {self.completed}/{self.total}", file=sys.stderr, flush=True)

    def close(self) -> None:
        self._write()


class progress:
    """A Rich progress bar on stderr, or nothing; yields a :class:`Ticker`, ``advance(n)``."""

    #: Where stderr is not a terminal: plain lines of counts instead of nothing.
    lines = False

    def __init__(self, enabled: bool, total: int, label: str):
        self.enabled, self.total, self.label = enabled, total, label
        self._bar: Any = None
        self._lines: LineTicker | None = None

    def __enter__(self) -> Ticker:
        if not self.enabled:
            return Ticker()
        from rich.console import Console
        from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeRemainingColumn

        console = Console(stderr=True)
        if not console.is_terminal and progress.lines:
            self._lines = LineTicker(self.label, self.total)
            return self._lines
        self._bar = Progress(TextColumn("{task.description}"), BarColumn(), MofNCompleteColumn(),
                             TimeRemainingColumn(), console=console, transient=True)
        self._bar.__enter__()
        return Ticker(self._bar, self._bar.add_task(self.label, total=self.total))

    def __exit__(self, *exc):
        if self._bar is not None:
            self._bar.__exit__(*exc)
        if self._lines is not None and exc[0] is None:
            self._lines.close()
        return False
