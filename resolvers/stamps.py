"""Ids and timestamps for new records and events."""

from __future__ import annotations

import time
import uuid
from datetime import UTC, datetime

__all__ = ["iso_at", "iso_now", "new_id", "now_ms"]


def new_id(prefix: str) -> str:
    return f"{prefix}_{uuid.uuid4().hex[:20]}"


def iso_now() -> str:
    """UTC, millisecond precision, sortable as text."""
    return datetime.now(UTC).isoformat(timespec="milliseconds").replace("+00:00", "Z")


def iso_at(ms: int) -> str:
    """`iso_now`'s format for a time in epoch milliseconds."""
    moment = datetime.fromtimestamp(ms / 1000, UTC)
    return moment.isoformat(timespec="milliseconds").replace("+00:00", "Z")


def now_ms() -> int:
    return time.time_ns() // 1_000_000
