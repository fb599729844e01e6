"""What one GraphQL request leaves for its log line and its metrics: filled by the HTTP layer
(request id, viewer's institution, status) and by the schema (operation, error codes). It holds
no token, variable or input value by construction: only names, codes and ids of institutions."""

from __future__ import annotations

from dataclasses import dataclass, field

__all__ = ["RequestRecord"]


@dataclass
class RequestRecord:
    request_id: str
    # Set by the schema once the document is parsed; None for a request refused before.
    operation_name: str | None = None
    operation_type: str = "unknown"  # query, mutation, subscription; unknown if unparsed
    executed: bool = False
    error_codes: list[str] = field(default_factory=list)
    institution_id: str | None = None
    status: int = 0
    partial: bool = False  # errors beside data

    @property
    def outcome(self) -> str:
        """`ok`, `error` (no data: refused, invalid, failed) or `partial` (data and errors)."""
        if not self.error_codes and self.status < 400:
            return "ok"
        return "partial" if self.partial else "error"
