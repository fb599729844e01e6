"""Bounded label values: a metric label takes every distinct value as a new series, so names a
client chooses (GraphQL operation names) and codes pass only when safe and while few."""

from __future__ import annotations

import re

__all__ = ["ANONYMOUS", "OTHER", "BoundedLabels", "safe_name"]

ANONYMOUS = "anonymous"
OTHER = "other"
_SAFE_NAME = re.compile(r"[A-Za-z_][A-Za-z0-9_]{0,63}")


class BoundedLabels:
    """Admits the first `cap` distinct names that look like GraphQL names (letters, digits,
    `_`, at most 64); any other name, and every name after the cap, is `other`. A missing name
    is `anonymous`."""

    def __init__(self, cap: int = 200, pattern: re.Pattern[str] = _SAFE_NAME) -> None:
        self.cap = cap
        self.pattern = pattern
        self._seen: set[str] = set()

    def label(self, name: str | None) -> str:
        if not name:
            return ANONYMOUS
        if name in self._seen:
            return name
        if self.pattern.fullmatch(name) is None or len(self._seen) >= self.cap:
            return OTHER
        self._seen.add(name)
        return name


def safe_name(name: str | None) -> str | None:
    """`name` when it looks like a GraphQL name, else None (for log lines: no cap there)."""
    return name if name and _SAFE_NAME.fullmatch(name) else None
