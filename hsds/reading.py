"""Reading HSDS documents from a file, a directory or ndjson, and telling their kind.

A `.json` file holds one document, a JSON array of documents, or an HSDS page
(`{"contents": [...]}`); a `.ndjson`/`.jsonl` file holds one document per line; a directory
is read recursively in name order. Unreadable parts are reported, the rest is read."""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

__all__ = ["Document", "Problem", "detect_kind", "read_documents"]

KINDS = ("taxonomy", "taxonomy_term", "organization", "service")
_NDJSON = (".ndjson", ".jsonl")
_ORGANIZATION_KEYS = {
    "services", "website", "tax_status", "tax_id", "year_incorporated", "legal_status", "logo",
    "parent_organization_id", "organization_identifiers", "programs", "funding", "locations",
    "phones", "contacts",
}  # fmt: skip
_TERM_KEYS = {"code", "parent_id", "taxonomy", "taxonomy_detail", "taxonomy_id", "language",
              "term_uri"}  # fmt: skip


@dataclass
class Document:
    source: str  # file, with the line for ndjson
    kind: str
    body: dict[str, Any]


@dataclass
class Problem:
    """A record (or part of a file) that was not loaded, and why."""

    source: str
    kind: str
    record_id: str | None
    details: list[str] = field(default_factory=list)

    def __str__(self) -> str:
        what = f"{self.kind} {self.record_id}" if self.record_id else self.kind
        return f"{self.source}: {what}: " + "; ".join(self.details)


def detect_kind(body: Any) -> str | None:
    """organization, service, taxonomy or taxonomy_term, from the fields present."""
    if not isinstance(body, dict):
        return None
    keys = set(body)
    if "status" in keys:
        return "service"
    if keys & _ORGANIZATION_KEYS:
        return "organization"
    if keys & _TERM_KEYS:
        return "taxonomy_term"
    if "name" in keys:
        return (
            "taxonomy"
            if keys <= {"id", "name", "description", "uri", "version", "metadata"}
            else None
        )
    return None


def _items(value: Any) -> list[Any]:
    if isinstance(value, dict) and isinstance(value.get("contents"), list):
        return list(value["contents"])
    if isinstance(value, list):
        return value
    return [value]


def _collect(source: str, value: Any, documents: list[Document], problems: list[Problem]) -> None:
    items = _items(value)
    for index, item in enumerate(items):
        where = source if len(items) == 1 else f"{source}#{index}"
        kind = detect_kind(item)
        if kind is None:
            ident = item.get("id") if isinstance(item, dict) else None
            reason = "not an HSDS organization, service, taxonomy or taxonomy_term"
            problems.append(Problem(where, "document", ident, [reason]))
        else:
            documents.append(Document(where, kind, item))


def _read_file(path: Path, documents: list[Document], problems: list[Problem]) -> None:
    try:
        text = path.read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError) as exc:
        problems.append(Problem(str(path), "file", None, [f"cannot be read: {exc}"]))
        return
    if path.suffix.lower() in _NDJSON:
        for number, line in enumerate(text.splitlines(), start=1):
            if not line.strip():
                continue
            source = f"{path}:{number}"
            try:
                _collect(source, json.loads(line), documents, problems)
            except json.JSONDecodeError as exc:
                problems.append(Problem(source, "line", None, [f"not JSON: {exc.msg}"]))
        return
    try:
        _collect(str(path), json.loads(text), documents, problems)
    except json.JSONDecodeError as exc:
        problems.append(
            Problem(str(path), "file", None, [f"not JSON: {exc.msg} at line {exc.lineno}"])
        )


def read_documents(path: Path) -> tuple[list[Document], list[Problem]]:
    """The documents under `path`, in the order to load them: taxonomies, terms,
    organizations (with their services), then services on their own."""
    documents: list[Document] = []
    problems: list[Problem] = []
    if path.is_dir():
        files = sorted(
            p for p in path.rglob("*") if p.is_file() and p.suffix.lower() in (".json", *_NDJSON)
        )
    elif path.is_file():
        files = [path]
    else:
        return [], [Problem(str(path), "path", None, ["no such file or directory"])]
    for file in files:
        _read_file(file, documents, problems)
    documents.sort(key=lambda d: KINDS.index(d.kind))
    return documents, problems
