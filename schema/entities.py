"""Federation representations checked before any `resolve_reference` runs.

`_Any` accepts any JSON, and Strawberry's entity resolver pops `__typename` and passes the rest
as keyword arguments, so a missing or unknown type, an extra key or a list as id became an
internal error. Here each representation must be an object with a known `@key` type and
exactly that type's key fields, each a string, and an `id` key must look like an id of that
type — the same check `resource(id)` and `recipient(id)` apply."""

from __future__ import annotations

from typing import Any

from strawberry.federation.schema_directives import Key

from resolvers.errors import HanaroError
from resolvers.validation import ID_PREFIXES, check_id

__all__ = ["check_representation", "entity_keys"]


def entity_keys(type_map: dict[str, Any]) -> dict[str, frozenset[str]]:
    """Type name -> its key fields, from the `@key` directives of the built schema."""
    keys: dict[str, frozenset[str]] = {}
    for name, converted in type_map.items():
        directives = getattr(converted.definition, "directives", None) or ()
        for directive in directives:
            if isinstance(directive, Key):
                keys[name] = frozenset(str(directive.fields).split())
    return keys


def check_representation(
    representation: Any, index: int, keys: dict[str, frozenset[str]]
) -> HanaroError | None:
    """Why `representations[index]` cannot be resolved, or None."""
    field = f"representations[{index}]"
    if not isinstance(representation, dict):
        return HanaroError.bad_input(f"{field} must be an object.", field=field)
    type_name = representation.get("__typename")
    if not isinstance(type_name, str) or type_name not in keys:
        return HanaroError.bad_input(
            f"{field}.__typename must name an entity type: {', '.join(sorted(keys))}.",
            field=f"{field}.__typename",
        )
    wanted = keys[type_name]
    given = set(representation) - {"__typename"}
    if given != wanted:
        return HanaroError.bad_input(
            f"{field}: a {type_name} is given by exactly its key ({', '.join(sorted(wanted))}).",
            field=field,
        )
    for key in sorted(wanted):
        value = representation[key]
        if not isinstance(value, str):
            return HanaroError.bad_input(f"{field}.{key} must be a string.", field=f"{field}.{key}")
        if key == "id" and type_name in ID_PREFIXES:
            try:
                check_id(type_name, value, field=f"{field}.id")
            except HanaroError as exc:
                return exc
    return None
