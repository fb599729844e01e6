"""Operation texts parsed and validated once: clients send the same few operations again and
again, and parsing plus validating them was a quarter of a createReferral request."""

from __future__ import annotations

from collections.abc import Iterator

from graphql import GraphQLError
from strawberry.extensions import ParserCache, ValidationCache

__all__ = ["CACHED_DOCUMENTS", "ParsedOnce", "ValidationCache"]

# How many operation texts keep their parsed and validated form (an LRU: unique texts from a
# client cannot grow memory).
CACHED_DOCUMENTS = 512


class ParsedOnce(ParserCache):
    """Strawberry's `ParserCache`, except that a text that does not parse is left to Strawberry's
    own parsing, so its syntax error takes the usual path (and gets its code from
    `ErrorShaping`) instead of escaping from the extension."""

    def on_parse(self) -> Iterator[None]:
        context = self.execution_context
        try:
            context.graphql_document = self.cached_parse_document(
                context.query, **context.parse_options
            )
        except GraphQLError:
            pass
        yield
