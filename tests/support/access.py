"""Where the schema declares its access rules: the fields with a permission class, and the
`@authenticated` coordinates of the SDL (the generic access test and the SDL tests compare them)."""

from __future__ import annotations

from typing import Any

from graphql import GraphQLObjectType, parse
from graphql.language import FieldDefinitionNode, ObjectTypeDefinitionNode
from strawberry.permission import PermissionExtension

from schema.permissions import Gate


def authenticated_coordinates(sdl: str) -> set[str]:
    """`Type.field` (or `Type`) for every `@authenticated` in the SDL."""
    found: set[str] = set()
    for node in parse(sdl).definitions:
        if not isinstance(node, ObjectTypeDefinitionNode):
            continue
        if any(d.name.value == "authenticated" for d in node.directives or ()):
            found.add(node.name.value)
        for field in node.fields or ():
            assert isinstance(field, FieldDefinitionNode)
            if any(d.name.value == "authenticated" for d in field.directives or ()):
                found.add(f"{node.name.value}.{field.name.value}")
    return found


def gate_of(field: Any) -> Gate | None:
    """The permission extension of a graphql-core field, if it has one."""
    definition = (field.extensions or {}).get("strawberry-definition")
    found = [e for e in getattr(definition, "extensions", []) if isinstance(e, PermissionExtension)]
    assert all(isinstance(e, Gate) for e in found), "use schema.permissions.gate/quiet/withheld"
    return found[0] if found else None


def gated_coordinates(schema: Any) -> set[str]:
    """`Type.field` of every field with a permission class."""
    return {
        f"{type_.name}.{name}"
        for type_ in schema.type_map.values()
        if isinstance(type_, GraphQLObjectType)
        for name, field in type_.fields.items()
        if gate_of(field)
    }
