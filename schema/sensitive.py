"""Inputs that carry personal identifiers are declared on the schema (`sensitive_field`), and
error messages are cleaned of input values in one place (`Redaction`, used by `ErrorShaping`
for every message it sends and every line it logs).

graphql-core's validation and coercion messages quote what the client sent — a whole input
object for a missing or unknown field, the literal for a value of the wrong type — so a
malformed `registerRecipient` would echo the resident registration number back and into the
logs. Two layers: the values of every declared input found in the request are replaced
wherever they appear, whatever the message; and the quoted value is cut from graphql-core's
messages altogether (it is the client's own input, and names or phone numbers are personal
data too), leaving the type and field that name the mistake."""

from __future__ import annotations

import json
import re
from typing import Any

import strawberry
from graphql import (
    ArgumentNode,
    DocumentNode,
    GraphQLInputObjectType,
    GraphQLSchema,
    ObjectFieldNode,
    StringValueNode,
    ValueNode,
    VariableNode,
    Visitor,
    print_ast,
    visit,
)

__all__ = ["SENSITIVE", "Redaction", "sensitive_field", "sensitive_input_names"]

SENSITIVE = "hanaro.sensitive"
WITHHELD = "[withheld]"


def sensitive_field(*, description: str) -> Any:
    """An optional input field whose value must never appear in a response or a log line."""
    return strawberry.field(default=None, description=description, metadata={SENSITIVE: True})


def sensitive_input_names(schema: GraphQLSchema) -> frozenset[str]:
    """GraphQL names of the input fields declared with `sensitive_field`."""
    names = set()
    for type_ in schema.type_map.values():
        if not isinstance(type_, GraphQLInputObjectType):
            continue
        for name, field in type_.fields.items():
            definition = (field.extensions or {}).get("strawberry-definition")
            if definition is not None and (definition.metadata or {}).get(SENSITIVE):
                names.add(name)
    return frozenset(names)


# What graphql-core appends after naming the mistake: ", found: {...}." (variables and
# literals), "; found: ..." after a scalar's own error, ". Found: ..." after a suggestion.
_FOUND = re.compile(r"(?:, but encountered error .*?; found|[,;.]? ?[Ff]ound)[: ].*$", re.S)
# Scalars' own messages: "Int cannot represent non-integer value: \"x\"" (graphql-core),
# "Value cannot represent a Date: \"x\". Invalid isoformat string: 'x'" (Strawberry).
_REPRESENT = re.compile(r"(cannot represent (?:[^:]*?value|an? \w+)): .*$", re.S)
# Enums: "Value 'X' does not exist in 'Sex' enum."
_ENUM_VALUE = re.compile(r"Value '.*?' does not exist in", re.S)


def _forms(value: Any) -> set[str]:
    """The ways a value can be printed inside a message (raw, repr, JSON, GraphQL literal)."""
    if value is None or isinstance(value, bool):
        return set()
    if isinstance(value, dict):
        value = list(value.values())
    if isinstance(value, list):
        return {text for item in value for text in _forms(item)}
    text = str(value)
    return {text, repr(value), json.dumps(value, ensure_ascii=False)} if text else set()


class _Collector(Visitor):
    def __init__(self, names: frozenset[str], variables: dict[str, Any]) -> None:
        super().__init__()
        self.names = names
        self.variables = variables
        self.values: set[str] = set()

    def _take(self, node: ValueNode) -> None:
        if isinstance(node, VariableNode):
            self.values |= _forms(self.variables.get(node.name.value))
        elif isinstance(node, StringValueNode):
            self.values |= _forms(node.value) | {print_ast(node)}
        else:
            self.values.add(print_ast(node))

    def enter_object_field(self, node: ObjectFieldNode, *_: Any) -> None:
        if node.name.value in self.names:
            self._take(node.value)

    def enter_argument(self, node: ArgumentNode, *_: Any) -> None:
        if node.name.value in self.names:
            self._take(node.value)


def _in_variables(names: frozenset[str], value: Any, found: set[str]) -> None:
    if isinstance(value, dict):
        for key, item in value.items():
            if key in names:
                found |= _forms(item)
            else:
                _in_variables(names, item, found)
    elif isinstance(value, list):
        for item in value:
            _in_variables(names, item, found)


class Redaction:
    """The sensitive values of one request, and how to clean a message of them."""

    def __init__(
        self,
        names: frozenset[str],
        document: DocumentNode | None,
        variables: dict[str, Any] | None,
    ) -> None:
        values: set[str] = set()
        _in_variables(names, variables or {}, values)
        if document is not None and names:
            collector = _Collector(names, variables or {})
            visit(document, collector)
            values |= collector.values
        # Longest first, so a value's repr is replaced before the value inside it.
        self.values = sorted((v for v in values if len(v) >= 2), key=len, reverse=True)

    def text(self, message: str) -> str:
        """Any message or log line, with the declared values withheld."""
        for value in self.values:
            message = message.replace(value, WITHHELD)
        return message

    def graphql_message(self, message: str) -> str:
        """A graphql-core validation or coercion message, with the quoted input cut off."""
        message = _ENUM_VALUE.sub("The value does not exist in", message)
        message = _REPRESENT.sub(r"\1.", message)
        cut = _FOUND.sub("", message).rstrip()
        if cut != message and not cut.endswith((".", "?")):
            cut += "."
        return self.text(cut)
