"""The server's log lines: `text` for people (the demo console) or `json` for a log pipeline
(`HANARO_LOG_FORMAT`): one JSON object a line, the per-request fields at its top level.

Either way the HTTP clients to the search engine log only when something goes wrong: they log
every request at INFO, which buried the console, and the search client logs each failed
attempt with a traceback; Hanaro reports failures itself."""

from __future__ import annotations

import json
import logging
import time
from typing import Any

__all__ = ["FIELDS", "JsonFormatter", "configure_logging", "quiet_clients"]

# The attribute of a log record that carries structured fields (`extra={FIELDS: {...}}`).
FIELDS = "hanaro_fields"
_QUIET = {
    "httpx": logging.WARNING,
    "httpcore": logging.WARNING,
    "elastic_transport": logging.CRITICAL,
    # The Neo4j driver's DEBUG lines quote every statement with its parameters (names,
    # national-id hashes): never in Hanaro's log, whatever level the root logger is set to.
    "neo4j": logging.WARNING,
}


class JsonFormatter(logging.Formatter):
    """`{"time", "level", "logger", "message", ...fields}`; a traceback under `exception`."""

    def format(self, record: logging.LogRecord) -> str:
        line: dict[str, Any] = {
            "time": time.strftime("%Y-%m-%dT%H:%M:%S", time.gmtime(record.created))
            + f".{int(record.msecs):03d}Z",
            "level": record.levelname,
            "logger": record.name,
            "message": record.getMessage(),
        }
        line.update(getattr(record, FIELDS, None) or {})
        if record.exc_info:
            line["exception"] = self.formatException(record.exc_info)
        return json.dumps(line, ensure_ascii=False, default=str)


def configure_logging(log_format: str = "text") -> None:
    """Hanaro's own lines at INFO on standard error, in `log_format` (`text` or `json`)."""
    handler = logging.StreamHandler()
    if log_format == "json":
        handler.setFormatter(JsonFormatter())
    else:
        handler.setFormatter(logging.Formatter("%(levelname)s %(name)s: %(message)s"))
    root = logging.getLogger()
    root.handlers[:] = [handler]
    root.setLevel(logging.INFO)
    quiet_clients()


def quiet_clients() -> None:
    """The engine clients log only their warnings and errors (see the module's note)."""
    for name, level in _QUIET.items():
        logging.getLogger(name).setLevel(level)
