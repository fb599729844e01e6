"""Schema-driven fuzzing: hypothesis-graphql draws queries and mutations for every root field
from the schema itself, and each is sent as an anonymous caller, as staff of an unrelated
institution and as the owner of the planted data. No answer may be an HTTP 5xx, an
INTERNAL_SERVER_ERROR, a stack trace, or carry a value planted where that caller must not see
it (an OWNER-only field, a recipient's name) or a national id (never shown to anyone).

Each operation is also sent with the characters the text rule refuses removed from its strings
(most drawn strings hold some), so the rest of it reaches the resolvers. `make test` runs a
few deterministic examples per root field; `make fuzz` sets HANARO_FUZZ_EXAMPLES higher and
draws fresh examples each run."""

from __future__ import annotations

import json
import os
import uuid
from typing import Any

import graphql
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from hypothesis_graphql import from_schema, nodes

from resolvers.validation import FORBIDDEN_IN_TEXT
from schema import build_schema
from tests.support.recipients import REGISTER as REGISTER_RECIPIENT
from tests.support.recipients import person
from tests.support.resources import register

EXAMPLES = int(os.environ.get("HANARO_FUZZ_EXAMPLES", "5"))
FRESH = "HANARO_FUZZ_EXAMPLES" in os.environ  # `make fuzz`: new draws every run
NATIONAL_ID = "520714-1234567"
ENTITY_TYPES = ["Resource", "Recipient", "Institution", "Need", "Region", "Referral", "Case"]


def _representation(fields: dict[str, str]) -> graphql.ObjectValueNode:
    return nodes.Object(
        [
            graphql.ObjectFieldNode(name=graphql.NameNode(value=k), value=nodes.String(v))
            for k, v in fields.items()
        ]
    )


SCALARS = {
    "Date": st.one_of(st.dates().map(str), st.text(max_size=12)).map(nodes.String),
    "DateTime": st.one_of(
        st.datetimes().map(lambda d: d.isoformat() + "Z"), st.text(max_size=25)
    ).map(nodes.String),
    "_Any": st.one_of(
        st.fixed_dictionaries(
            {"__typename": st.sampled_from(ENTITY_TYPES)},
            optional={"id": st.text(max_size=20), "code": st.text(max_size=12)},
        ).map(_representation),
        st.text(max_size=10).map(nodes.String),
    ),
}


class _Cleaned(graphql.Visitor):
    def enter_string_value(self, node: graphql.StringValueNode, *_: Any) -> Any:
        return graphql.StringValueNode(value=FORBIDDEN_IN_TEXT.sub("", node.value))


def cleaned(operation: str) -> str:
    """The operation with the characters the text rule refuses removed from its strings, so
    the rest of it gets past that rule to the resolvers."""
    return graphql.print_ast(graphql.visit(graphql.parse(operation), _Cleaned()))


def drawn_operations() -> list[str]:
    """`EXAMPLES` operations per root field of Query and Mutation."""
    schema = build_schema()._schema
    roots = [*schema.query_type.fields, *schema.mutation_type.fields]  # type: ignore[union-attr]
    drawn: list[str] = []
    for root in roots:

        @settings(
            max_examples=EXAMPLES,
            deadline=None,
            database=None,
            derandomize=not FRESH,
            suppress_health_check=list(HealthCheck),
        )
        @given(operation=from_schema(schema, fields=[root], custom_scalars=SCALARS))
        def draw(operation: str) -> None:
            drawn.append(operation)

        draw()
    return drawn


async def plant(api: Any) -> tuple[dict[str, str | None], dict[str, str]]:
    """Tokens by caller, and what each caller must never see (by caller)."""
    owner = api.token("ins_owner01", "ADMIN", "REGISTRANT", "CASEWORKER")
    marker = uuid.uuid4().hex[:10]
    notes = f"내부메모-{marker}"
    await register(api, owner, internalNotes=notes)
    name = f"비밀수급자{marker}"
    await api.ok(REGISTER_RECIPIENT, {"input": person(name=name, nationalId=NATIONAL_ID)}, owner)
    tokens = {
        "anonymous": None,
        "outsider": api.token("ins_other001", "ADMIN", "REGISTRANT", "CASEWORKER"),
        "owner": owner,
    }
    hidden = {"anonymous": [notes, name], "outsider": [notes, name], "owner": []}
    never = [NATIONAL_ID, NATIONAL_ID.replace("-", "")]
    return tokens, {who: [*values, *never] for who, values in hidden.items()}


async def test_no_drawn_operation_breaks_the_server_or_leaks(api):
    tokens, forbidden = await plant(api)
    operations = drawn_operations()
    assert len(operations) >= 45 * EXAMPLES * 0.8  # every root field drew (duplicates aside)
    failures: list[str] = []
    variants = {cleaned(operation) for operation in operations} - set(operations)
    for operation in [*operations, *sorted(variants)]:
        for who, token in tokens.items():
            response = await api.raw(operation, None, token)
            text = response.text
            problem = None
            if response.status_code >= 500:
                problem = f"HTTP {response.status_code}"
            elif "Traceback" in text or 'File "' in text:
                problem = "a stack trace"
            elif "INTERNAL_SERVER_ERROR" in text:
                problem = "INTERNAL_SERVER_ERROR"
            else:
                problem = next((f"shows {v!r}" for v in forbidden[who] if v in text), None)
            if problem:
                failures.append(f"{who}: {problem}\n{operation}\n{text[:600]}")
    assert not failures, f"{len(failures)} failures; first:\n" + "\n\n".join(failures[:3])


def test_every_root_field_is_drawn():
    schema = build_schema()._schema
    fields = {*schema.query_type.fields, *schema.mutation_type.fields}  # type: ignore[union-attr]
    drawn = drawn_operations()
    named = {
        selection.name.value
        for text in drawn
        for definition in graphql.parse(text).definitions
        for selection in definition.selection_set.selections  # type: ignore[attr-defined]
    }
    assert named == fields, fields - named
    assert all(json.dumps(text) for text in drawn)
