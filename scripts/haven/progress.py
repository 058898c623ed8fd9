"""Progress of long commands: steps done out of steps, where someone is watching.

A command makes one ``Progress`` and a ``Task`` per kind of step, advanced as each step is
done (from any thread: pool callbacks advance tasks)::

    progress = Progress.for_command("haven import", args.progress)  # "auto" | "always" | "never"
    with progress.task("records", total=len(files), unit="records") as records:
        for file in files:
            ...
            records.advance(file.name)
    progress.close()

What it shows depends on where the output goes:

- **A terminal** (``isatty``): one status line, redrawn in place, every task at once —
  ``haven build: pages 3/5 languages · pamphlets 41/60 · 12 s`` — and left on screen,
  finished, at the end.
- **Anything else** (a CI log, a pipe): nothing, unless asked (``--progress``, or
  ``HAVEN_PROGRESS=1`` for commands that have no such flag, such as ``mkdocs serve``); then a
  line per step, and for tasks of many steps a line per tenth.
- ``--quiet`` (or ``HAVEN_PROGRESS=0``): nothing, even on a terminal.

Commands of the ``haven`` CLI get ``--progress``/``--quiet`` from ``cli.PROGRESS_FLAGS``.
"""

from __future__ import annotations

import os
import sys
import threading
import time
from collections.abc import Callable
from types import TracebackType
from typing import Literal, TextIO

Mode = Literal["auto", "always", "never"]
ENV = "HAVEN_PROGRESS"


class Progress:
    def __init__(self, title: str, *, live: TextIO | None = None,
                 lines: Callable[[str], None] | None = None, every: int = 10) -> None:
        """``live``: a terminal to redraw one status line on; ``lines``: where to write a
        line per step instead (``every``: for many steps, a line per ``every`` percent).
        Neither: silent."""
        self.title, self._live, self._lines, self._every = title, live, lines, every
        self._tasks: list[Task] = []
        self._lock = threading.Lock()
        self._started = time.monotonic()
        self._drawn = False

    @classmethod
    def for_command(cls, title: str, mode: Mode = "auto", stream: TextIO | None = None,
                    lines: Callable[[str], None] | None = None, every: int = 10) -> Progress:
        """Progress as the user asked (``mode``, else ``HAVEN_PROGRESS``), written to
        ``stream`` (standard error): redrawn in place on a terminal, else a line per step
        when asked. ``lines`` writes those lines another way (MkDocs' log, while serving)."""
        stream = stream if stream is not None else sys.stderr
        if mode == "auto":
            mode = {"1": "always", "0": "never"}.get(os.environ.get(ENV, ""), "auto")
        terminal = _is_terminal(stream)
        if mode == "never" or (mode == "auto" and not terminal):
            return cls(title)
        if lines is not None:
            return cls(title, lines=lines, every=every)
        if terminal:
            return cls(title, live=stream)
        return cls(title, lines=lambda text: print(text, file=stream, flush=True), every=every)

    @property
    def shown(self) -> bool:
        return self._live is not None or self._lines is not None

    def task(self, name: str, total: int, unit: str = "") -> Task:
        task = Task(self, name, total, unit)
        if self.shown:
            with self._lock:
                self._tasks.append(task)
                self._draw()
        return task

    def close(self) -> None:
        """The command is over: a terminal's status line stays, finished, on its own line."""
        with self._lock:
            if self._live is not None and self._drawn:
                self._live.write("\n")
                self._live.flush()
                self._drawn = False

    # Called by tasks, under the lock -----------------------------------------------------
    def _stepped(self, task: Task, label: str) -> None:
        if self._live is not None:
            self._draw()
        elif self._lines is not None and self._worth_a_line(task):
            done = f" ({label})" if label else ""
            self._lines(f"{self.title}: {task.summary()}{done} · {self._elapsed()}")

    def _worth_a_line(self, task: Task) -> bool:
        if task.total <= 10 or task.done == task.total:
            return True
        tenth = max(1, task.total * self._every // 100)
        return task.done % tenth == 0

    def _draw(self) -> None:
        if self._live is None or not self._tasks:
            return
        status = " · ".join(task.summary() for task in self._tasks)
        # \r back to the line's start, \x1b[K clears what a longer line left behind.
        self._live.write(f"\r{self.title}: {status} · {self._elapsed()}\x1b[K")
        self._live.flush()
        self._drawn = True

    def _elapsed(self) -> str:
        return f"{time.monotonic() - self._started:.0f} s"


class Task:
    """Steps of one kind (pages per language, pamphlets, records), ``done`` of ``total``."""

    def __init__(self, progress: Progress, name: str, total: int, unit: str) -> None:
        self._progress, self.name, self.total, self.unit = progress, name, total, unit
        self.done = 0

    def advance(self, label: str = "", steps: int = 1) -> None:
        """``steps`` more done; ``label`` says which (a language, a file), in lines mode."""
        with self._progress._lock:
            self.done = min(self.total, self.done + steps)
            self._progress._stepped(self, label)

    def finish(self) -> None:
        """Every step done (a task whose steps were not counted one by one)."""
        if self.done < self.total:
            self.advance(steps=self.total - self.done)

    def summary(self) -> str:
        unit = f" {self.unit}" if self.unit else ""
        return f"{self.name} {self.done}/{self.total}{unit}"

    def __enter__(self) -> Task:
        return self

    def __exit__(self, kind: type[BaseException] | None, error: BaseException | None,
                 trace: TracebackType | None) -> None:
        if kind is None:
            self.finish()


def _is_terminal(stream: TextIO) -> bool:
    try:
        return stream.isatty() and os.environ.get("TERM") != "dumb"
    except (AttributeError, ValueError):  # no isatty, or closed
        return False


SILENT = Progress("")
"""For callers that were given no progress to report to."""
