"""The one error class resolvers raise; its `code` reaches clients as `extensions.code`.

Anything else raised while resolving is masked (see `schema/errors.py`)."""

from __future__ import annotations

from enum import StrEnum
from typing import Any

__all__ = ["ErrorCode", "HanaroError"]


class ErrorCode(StrEnum):
    BAD_USER_INPUT = "BAD_USER_INPUT"
    UNAUTHENTICATED = "UNAUTHENTICATED"
    FORBIDDEN = "FORBIDDEN"
    NOT_FOUND = "NOT_FOUND"
    CONFLICT = "CONFLICT"
    UNAVAILABLE = "UNAVAILABLE"
    RATE_LIMITED = "RATE_LIMITED"


class HanaroError(Exception):
    """A failure the client can act on. The message must never carry a hidden value or reveal
    a record the viewer may not know about."""

    def __init__(self, code: ErrorCode, message: str, **extensions: Any) -> None:
        super().__init__(message)
        self.code = code
        self.message = message
        self.extensions = extensions

    @classmethod
    def bad_input(cls, message: str, *, field: str | None = None) -> HanaroError:
        return cls(ErrorCode.BAD_USER_INPUT, message, **({"field": field} if field else {}))

    @classmethod
    def not_found(cls, kind: str, ident: str) -> HanaroError:
        return cls(ErrorCode.NOT_FOUND, f"No {kind} with id {ident!r} exists.")
