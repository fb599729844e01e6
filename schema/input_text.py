"""One rule for every string a client sends: no character `FORBIDDEN_IN_TEXT` names (NUL,
control characters, lone surrogates), wherever it is — an argument literal, a variable, a key
or value inside a federation representation.

Checked once per operation, after validation and before any resolver runs, so such a value
never reaches a graph driver or the search engine (FalkorDB's client writes parameters into
a text header a NUL would cut) and the client learns which argument to fix."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

from graphql import (
    ArgumentNode,
    DocumentNode,
    ExecutionResult,
    GraphQLError,
    ListValueNode,
    ObjectValueNode,
    StringValueNode,
    ValueNode,
    VariableDefinitionNode,
    Visitor,
    visit,
)
from strawberry.extensions import SchemaExtension

from resolvers.validation import describe_forbidden

__all__ = ["TextInputs", "forbidden_text"]


def _in_value(value: Any, path: str) -> tuple[str, str] | None:
    """(path, what) of the first forbidden character in a variable's JSON value."""
    if isinstance(value, str):
        found = describe_forbidden(value)
        return (path, found) if found else None
    if isinstance(value, dict):
        for key, item in value.items():
            found = describe_forbidden(str(key))
            if found:
                return (f"{path} (a key)", found)
            hit = _in_value(item, f"{path}.{key}")
            if hit:
                return hit
    elif isinstance(value, list):
        for index, item in enumerate(value):
            hit = _in_value(item, f"{path}[{index}]")
            if hit:
                return hit
    return None


def _in_literal(node: ValueNode, path: str) -> tuple[str, str] | None:
    if isinstance(node, StringValueNode):
        found = describe_forbidden(node.value)
        return (path, found) if found else None
    if isinstance(node, ObjectValueNode):
        for item in node.fields:
            hit = _in_literal(item.value, f"{path}.{item.name.value}")
            if hit:
                return hit
    elif isinstance(node, ListValueNode):
        for index, item in enumerate(node.values):
            hit = _in_literal(item, f"{path}[{index}]")
            if hit:
                return hit
    return None


class _Literals(Visitor):
    def __init__(self) -> None:
        super().__init__()
        self.hit: tuple[str, str] | None = None

    def enter_argument(self, node: ArgumentNode, *_: Any) -> Any:
        self.hit = self.hit or _in_literal(node.value, node.name.value)
        return self.BREAK if self.hit else self.SKIP

    def enter_variable_definition(self, node: VariableDefinitionNode, *_: Any) -> Any:
        if node.default_value is not None:
            self.hit = self.hit or _in_literal(node.default_value, f"${node.variable.name.value}")
        return self.BREAK if self.hit else self.SKIP


def forbidden_text(
    document: DocumentNode, variables: dict[str, Any] | None
) -> tuple[str, str] | None:
    """(argument path, character and position) of the first forbidden character, or None."""
    literals = _Literals()
    visit(document, literals)
    if literals.hit:
        return literals.hit
    for name, value in (variables or {}).items():
        hit = _in_value(value, f"${name}")
        if hit:
            return hit
    return None


class TextInputs(SchemaExtension):
    """Refuses the whole operation, before execution, with BAD_USER_INPUT naming the argument."""

    def on_execute(self) -> Iterator[None]:
        context = self.execution_context
        document = context.graphql_document
        hit = forbidden_text(document, context.variables) if document is not None else None
        if hit is not None:
            path, what = hit
            context.result = ExecutionResult(
                data=None,
                errors=[
                    GraphQLError(
                        f"{path} holds a character that has no place in text ({what}); "
                        "remove NUL bytes, control characters and unpaired surrogates.",
                        extensions={"code": "BAD_USER_INPUT", "field": path.lstrip("$")},
                    )
                ],
            )
        yield
