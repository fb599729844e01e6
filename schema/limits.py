"""Query depth and cost limits, checked while the document is validated (before any I/O).

Cost: each field costs 1, and a field with a `first` argument multiplies the cost of what it
selects by that page size (a variable counts as the maximum page size). Introspection
(`__schema`, `__type`) is not counted, so GraphiQL keeps working."""

from __future__ import annotations

from typing import Any

from graphql import (
    FieldNode,
    FragmentSpreadNode,
    GraphQLError,
    InlineFragmentNode,
    IntValueNode,
    ObjectValueNode,
    OperationDefinitionNode,
    SelectionSetNode,
    ValidationRule,
    VariableNode,
)

__all__ = ["query_limits_rule"]


def query_limits_rule(
    max_depth: int,
    max_cost: int,
    max_page_size: int,
    default_page_sizes: dict[str, int],
) -> type[ValidationRule]:
    """`default_page_sizes`: field name -> the default of its `first` argument (or of the
    `first` field of its `input` argument), for list fields called without one."""

    class QueryLimits(ValidationRule):
        def enter_operation_definition(self, node: OperationDefinitionNode, *_: Any) -> None:
            depth, cost = self._measure(node.selection_set, set())
            if depth > max_depth:
                self.report_error(
                    GraphQLError(
                        f"The query is {depth} levels deep; the limit is {max_depth}. "
                        "Ask for fewer nested levels.",
                        node,
                        extensions={"code": "BAD_USER_INPUT"},
                    )
                )
            elif cost > max_cost:
                self.report_error(
                    GraphQLError(
                        f"The query could return about {cost} values; the limit is "
                        f"{max_cost}. Ask for smaller pages (first) or fewer nested lists.",
                        node,
                        extensions={"code": "BAD_USER_INPUT"},
                    )
                )

        def _measure(self, selections: SelectionSetNode | None, seen: set[str]) -> tuple[int, int]:
            if selections is None:
                return 0, 0
            depth, cost = 0, 0
            for selection in selections.selections:
                if isinstance(selection, FieldNode):
                    if selection.name.value.startswith("__"):
                        continue
                    child_depth, child_cost = self._measure(selection.selection_set, seen)
                    depth = max(depth, child_depth + 1)
                    cost += 1 + _page_size(selection) * child_cost
                elif isinstance(selection, InlineFragmentNode):
                    d, c = self._measure(selection.selection_set, seen)
                    depth, cost = max(depth, d), cost + c
                elif isinstance(selection, FragmentSpreadNode):
                    name = selection.name.value
                    fragment = self.context.get_fragment(name)
                    if fragment is None or name in seen:
                        continue  # unknown or cyclic fragments are reported by other rules
                    d, c = self._measure(fragment.selection_set, seen | {name})
                    depth, cost = max(depth, d), cost + c
            return depth, cost

    def _page_size(field: FieldNode) -> int:
        for argument in field.arguments or ():
            value = argument.value
            if argument.name.value == "input" and isinstance(value, ObjectValueNode):
                # Search-style fields take `first` inside their input object.
                for item in value.fields:
                    if item.name.value == "first":
                        value = item.value
                        break
                else:
                    continue
            elif argument.name.value == "input" and isinstance(value, VariableNode):
                if field.name.value in default_page_sizes:
                    return max_page_size
                continue
            elif argument.name.value != "first":
                continue
            if isinstance(value, IntValueNode):
                return max(1, int(value.value))
            return max_page_size
        return default_page_sizes.get(field.name.value, 1)

    return QueryLimits
