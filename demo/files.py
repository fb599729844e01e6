"""The demo's fixed data, kept as JSON under `data/` (package data) rather than as Python
literals, so that it can be read and edited as data."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

__all__ = ["DATA_DIR", "frozen", "read"]

DATA_DIR = Path(__file__).resolve().parent / "data"


def read(name: str) -> Any:
    """One file of `data/`, parsed."""
    return json.loads((DATA_DIR / name).read_text(encoding="utf-8"))


def frozen(value: Any) -> Any:
    """JSON lists as tuples, all the way down: the data stays immutable, as the literals were."""
    if isinstance(value, list):
        return tuple(frozen(item) for item in value)
    if isinstance(value, dict):
        return {key: frozen(item) for key, item in value.items()}
    return value
