"""A one-line progress bar for long CLI jobs, drawn on a terminal only (redirected output gets
the final summary, not a stream of carriage returns)."""

from __future__ import annotations

import sys
import time
from typing import TextIO

__all__ = ["ProgressBar"]


class ProgressBar:
    """`update(done, total)` redraws at most ten times a second; `close()` ends the line.
    Shown only when `stream` is a terminal and the job has at least `min_total` steps."""

    def __init__(
        self, label: str, *, stream: TextIO | None = None, min_total: int = 20, width: int = 30
    ) -> None:
        self.label = label
        self.stream = stream or sys.stderr
        self.min_total = min_total
        self.width = width
        self._drawn = False
        self._last = 0.0

    @property
    def enabled(self) -> bool:
        return bool(getattr(self.stream, "isatty", lambda: False)())

    def update(self, done: int, total: int) -> None:
        if not self.enabled or total < self.min_total:
            return
        now = time.monotonic()
        if done < total and now - self._last < 0.1:
            return
        self._last = now
        filled = self.width * done // total if total else self.width
        bar = "#" * filled + "-" * (self.width - filled)
        percent = 100 * done // total if total else 100
        self.stream.write(f"\r{self.label} [{bar}] {done}/{total} ({percent}%)")
        self.stream.flush()
        self._drawn = True

    def close(self) -> None:
        if self._drawn:
            self.stream.write("\n")
            self.stream.flush()
            self._drawn = False
