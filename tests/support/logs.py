"""Capturing every log line the server writes, through the server's own formatters."""

from __future__ import annotations

import contextlib
import io
import json
import logging
from collections.abc import Iterator
from typing import Any

from server.logs import JsonFormatter, quiet_clients


class Captured:
    def __init__(self) -> None:
        self.json = io.StringIO()
        self.text = io.StringIO()

    def lines(self) -> list[dict[str, Any]]:
        """Every JSON line, parsed (each must parse)."""
        return [json.loads(line) for line in self.json.getvalue().splitlines()]

    def requests(self) -> list[dict[str, Any]]:
        return [line for line in self.lines() if line["logger"] == "hanaro.requests"]

    def everything(self) -> str:
        return self.json.getvalue() + self.text.getvalue()


@contextlib.contextmanager
def captured_logs(level: int = logging.INFO) -> Iterator[Captured]:
    """Root handlers writing JSON and text, as `HANARO_LOG_FORMAT` would, at `level`, with
    the engine clients as quiet as the server makes them."""
    quiet_clients()
    captured = Captured()
    as_json = logging.StreamHandler(captured.json)
    as_json.setFormatter(JsonFormatter())
    as_text = logging.StreamHandler(captured.text)
    as_text.setFormatter(logging.Formatter("%(levelname)s %(name)s: %(message)s"))
    root = logging.getLogger()
    previous = root.level
    root.setLevel(level)
    root.addHandler(as_json)
    root.addHandler(as_text)
    try:
        yield captured
    finally:
        root.removeHandler(as_json)
        root.removeHandler(as_text)
        root.setLevel(previous)
