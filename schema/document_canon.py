"""One form for documents that differ only in layout: what trusted-documents mode compares a
full operation text with.

A client library rarely sends the exact text a persisted-documents manifest holds: graphql-codegen
prints the manifest's documents with their selections sorted onto one line, urql prints the
document itself and adds `__typename` to every selection set. Two texts with the same
canonical form ask for the same fields with the same arguments, so allowing one allows the
other."""

from __future__ import annotations

from dataclasses import replace
from functools import lru_cache

from graphql import (
    DocumentNode,
    FieldNode,
    GraphQLError,
    ObjectValueNode,
    OperationDefinitionNode,
    SelectionSetNode,
    ValueNode,
    parse,
    print_ast,
)
from graphql.language import ListValueNode

__all__ = ["canonical", "meta_only"]

# Root fields that show the schema, never data: introspection and federation's `_service`.
META_FIELDS = frozenset({"__schema", "__type", "__typename", "_service"})


# Texts up to this length are remembered (a client sends the same few again and again);
# longer ones are worked out each time, so the caches stay small whatever strangers send.
CACHED_TEXT_CHARS = 16_384
# As the schema's MaxTokensLimiter: a longer document never runs anyway.
MAX_TOKENS = 5000


def canonical(text: str) -> str | None:
    """`text` parsed, with unaliased `__typename` selections left out, selections, arguments,
    variables, object fields and definitions sorted, printed; None when it does not parse."""
    return _canonical_cached(text) if len(text) <= CACHED_TEXT_CHARS else _canonical(text)


def meta_only(text: str) -> bool:
    """Every operation of `text` asks only for introspection or `_service` at its root (what
    GraphiQL, Rover and a router ask before anything else); fragments spread at the root
    count as data."""
    return _meta_only_cached(text) if len(text) <= CACHED_TEXT_CHARS else _meta_only(text)


def _parsed(text: str) -> DocumentNode | None:
    try:
        return parse(text, no_location=True, max_tokens=MAX_TOKENS)
    except GraphQLError:
        return None


def _canonical(text: str) -> str | None:
    document = _parsed(text)
    if document is None:
        return None
    definitions = []
    for definition in document.definitions:
        selections = getattr(definition, "selection_set", None)
        if selections is not None:
            definition = replace(definition, selection_set=_sorted_selections(selections))
        if isinstance(definition, OperationDefinitionNode):
            variables = definition.variable_definitions or ()
            definition = replace(
                definition,
                variable_definitions=tuple(sorted(variables, key=lambda v: v.variable.name.value)),
            )
        definitions.append(definition)
    return print_ast(replace(document, definitions=tuple(sorted(definitions, key=print_ast))))


def _sorted_selections(selections: SelectionSetNode) -> SelectionSetNode:
    kept = []
    for selection in selections.selections:
        if isinstance(selection, FieldNode):
            if selection.name.value == "__typename" and selection.alias is None:
                continue
            arguments = sorted(selection.arguments or (), key=lambda a: a.name.value)
            selection = replace(
                selection,
                arguments=tuple(replace(a, value=_sorted_value(a.value)) for a in arguments),
            )
        inner = getattr(selection, "selection_set", None)
        if inner is not None:
            selection = replace(selection, selection_set=_sorted_selections(inner))
        kept.append(selection)
    return replace(selections, selections=tuple(sorted(kept, key=print_ast)))


def _sorted_value(value: ValueNode) -> ValueNode:
    if isinstance(value, ObjectValueNode):
        fields = sorted(value.fields, key=lambda f: f.name.value)
        return replace(
            value, fields=tuple(replace(f, value=_sorted_value(f.value)) for f in fields)
        )
    if isinstance(value, ListValueNode):
        return replace(value, values=tuple(_sorted_value(v) for v in value.values))
    return value


def _meta_only(text: str) -> bool:
    document = _parsed(text)
    if document is None:
        return False
    operations = [d for d in document.definitions if isinstance(d, OperationDefinitionNode)]
    return bool(operations) and all(
        isinstance(selection, FieldNode) and selection.name.value in META_FIELDS
        for operation in operations
        for selection in operation.selection_set.selections
    )


_canonical_cached = lru_cache(maxsize=256)(_canonical)
_meta_only_cached = lru_cache(maxsize=256)(_meta_only)
