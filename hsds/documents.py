"""The HSDS 3.0 schema copies among this package's data files (`schema/`, `examples/`; source
commit and licence in its README) and JSON-schema validators over them. Nothing is fetched: the
compiled schemas are self-contained, and the taxonomy schemas' `$ref`s resolve to the copies
beside them."""

from __future__ import annotations

import json
from dataclasses import dataclass
from functools import cache
from pathlib import Path
from typing import Any

from jsonschema import Draft202012Validator, FormatChecker
from referencing import Registry, Resource
from referencing.jsonschema import DRAFT202012

__all__ = ["HSDS_DIR", "KINDS", "SchemaProblem", "openapi_description", "validate", "validator"]

# The package's own directory: its data files are installed beside its modules.
HSDS_DIR = Path(__file__).resolve().parent
HSDS_VERSION = "3.0"
# What can be validated -> the schema file (relative to hsds/schema).
KINDS: dict[str, str] = {
    "service": "compiled/service.json",
    "organization": "compiled/organization.json",
    "service_at_location": "compiled/service_at_location.json",
    "service_list": "compiled/service_list.json",
    "organization_list": "compiled/organization_list.json",
    "service_at_location_list": "compiled/service_at_location_list.json",
    "taxonomy": "taxonomy.json",
    "taxonomy_term": "taxonomy_term.json",
}
# Files the non-compiled schemas refer to by relative `$ref`.
_REFERENCED = ("taxonomy.json", "metadata.json")


@dataclass(frozen=True)
class SchemaProblem:
    """Where a document fails its schema: `path` in the document (a JSON pointer), the
    `schema_path` of the rule that failed, and the validator's message."""

    path: str
    schema_path: str
    message: str

    def __str__(self) -> str:
        return f"{self.path or '/'}: {self.message} (schema: {self.schema_path})"


def _load(relative: str) -> Any:
    return json.loads((HSDS_DIR / "schema" / relative).read_text(encoding="utf-8"))


@cache
def _registry() -> Registry:
    resources = [
        (name, Resource.from_contents(_load(name), default_specification=DRAFT202012))
        for name in _REFERENCED
    ]
    return Registry().with_resources(resources)


@cache
def validator(kind: str) -> Draft202012Validator:
    """A validator (JSON Schema 2020-12, format checks on) for one kind of HSDS record."""
    schema = _load(KINDS[kind])
    return Draft202012Validator(schema, registry=_registry(), format_checker=FormatChecker())


def _pointer(parts: Any) -> str:
    return "".join(f"/{part}" for part in parts)


def validate(kind: str, document: Any, *, limit: int = 5) -> list[SchemaProblem]:
    """The first `limit` problems of `document` against the schema of `kind` (none: valid)."""
    problems = []
    errors = sorted(validator(kind).iter_errors(document), key=lambda e: list(e.absolute_path))
    for error in errors[:limit]:
        message = error.message if len(error.message) <= 200 else error.message[:197] + "..."
        problems.append(
            SchemaProblem(
                _pointer(error.absolute_path), _pointer(error.absolute_schema_path), message
            )
        )
    return problems


@cache
def _openapi() -> str:
    return (HSDS_DIR / "schema" / "openapi.json").read_text(encoding="utf-8")


def openapi_description(server_url: str, *, title: str, version: str) -> dict[str, Any]:
    """HSDS's OpenAPI description with this server and its details filled in."""
    description = json.loads(_openapi())
    description["info"] = {
        "title": title,
        "version": version,
        "summary": "Hanaro's resource directory as an Open Referral HSDS 3.0 API (read-only)",
        "description": "Without a token the feed shows what is public; with a bearer token, "
        "what that viewer may see.",
        "license": {"name": "MIT", "identifier": "MIT"},
    }
    description["servers"] = [{"url": server_url}]
    return description
