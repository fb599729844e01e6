"""HSDS ids: every HSDS record has a UUID. Hanaro's own records get a stable UUIDv5 of their
Hanaro id; imported ones keep the id they came with (stored as `hsdsId`), and their Hanaro id
is derived from it (`res_` + the UUID's 32 hex digits), so importing again finds them."""

from __future__ import annotations

import uuid
from typing import Any

__all__ = [
    "NAMESPACE",
    "NEEDS_TAXONOMY_ID",
    "canonical_uuid",
    "derived_uuid",
    "hanaro_id",
    "need_term_id",
    "organization_hsds_id",
    "service_hsds_id",
]

# Fixed forever: changing it changes every exported id.
NAMESPACE = uuid.UUID("a9355398-f825-4260-98c4-c605696ff2fa")


def derived_uuid(*parts: str) -> str:
    """A stable UUID for a Hanaro thing named by `parts` (e.g. "location", "res_…")."""
    return str(uuid.uuid5(NAMESPACE, ":".join(parts)))


NEEDS_TAXONOMY_ID = derived_uuid("taxonomy", "hanaro-needs")


def need_term_id(code: str) -> str:
    return derived_uuid("need", code)


def service_hsds_id(record: dict[str, Any]) -> str:
    return record.get("hsdsId") or derived_uuid("resource", record["id"])


def organization_hsds_id(row: dict[str, Any]) -> str:
    return row.get("hsdsId") or derived_uuid("institution", row["id"])


def canonical_uuid(text: Any) -> str | None:
    """The lower-case hyphenated form of a UUID, or None if `text` is not one."""
    if not isinstance(text, str) or len(text) > 45:
        return None
    try:
        return str(uuid.UUID(text))
    except ValueError:
        return None


def hanaro_id(prefix: str, hsds_id: str) -> str:
    """The Hanaro id of an imported record: `res_`/`ins_` and the UUID's hex digits."""
    return f"{prefix}_{uuid.UUID(hsds_id).hex}"
