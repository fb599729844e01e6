"""Checking `/hsds` responses and exported documents against the repository's copies of the
HSDS 3.0 schemas (`hsds/`): list items against the compiled `*_list` schemas, nested records
against the compiled schemas, the page envelope and `GET /` against the OpenAPI description."""

from __future__ import annotations

import json
from functools import cache
from typing import Any

from jsonschema import Draft202012Validator, FormatChecker

from hsds.documents import HSDS_DIR, validate

ENVELOPE = ("total_items", "total_pages", "page_number", "size", "first_page", "last_page", "empty")


@cache
def _openapi() -> dict[str, Any]:
    return json.loads((HSDS_DIR / "schema" / "openapi.json").read_text(encoding="utf-8"))


def _check(schema: dict[str, Any], body: Any) -> None:
    errors = list(Draft202012Validator(schema, format_checker=FormatChecker()).iter_errors(body))
    assert not errors, [e.message for e in errors[:3]]


def check_one(kind: str, document: Any) -> None:
    problems = validate(kind, document)
    assert not problems, (kind, [str(p) for p in problems], document.get("id"))
    assert_no_empty_values(document)


def check_page(body: dict[str, Any], item_kind: str) -> list[dict[str, Any]]:
    """The HSDS page envelope, every item valid; returns the items."""
    _check({"required": list(ENVELOPE), **_openapi()["components"]["schemas"]["Page"]}, body)
    assert isinstance(body["contents"], list)
    assert body["size"] == len(body["contents"])
    assert body["empty"] == (not body["contents"])
    for item in body["contents"]:
        check_one(item_kind, item)
    return body["contents"]


def check_root(body: dict[str, Any]) -> None:
    schema = _openapi()["paths"]["/"]["get"]["responses"]["200"]["content"]["application/json"]
    _check({"required": ["version", "profile", "openapi_url"], **schema["schema"]}, body)


def assert_no_empty_values(value: Any, path: str = "") -> None:
    """Empty fields are left out, never null, "", [] or {}."""
    if isinstance(value, dict):
        for key, item in value.items():
            assert item is not None and item != "" and item != [] and item != {}, f"{path}/{key}"
            assert_no_empty_values(item, f"{path}/{key}")
    elif isinstance(value, list):
        for i, item in enumerate(value):
            assert_no_empty_values(item, f"{path}/{i}")
