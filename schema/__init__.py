"""The GraphQL schema: an Apollo Federation v2 subgraph built from one module per area."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

import strawberry
from graphql import get_named_type
from opentelemetry.trace import TracerProvider
from strawberry.extensions import AddValidationRules, MaxTokensLimiter
from strawberry.extensions.max_aliases import create_validator as max_aliases_rule
from strawberry.federation.schema import FederationAny
from strawberry.schema.config import StrawberryConfig
from strawberry.types import Info

from schema.applications import ApplicationMutation, ApplicationQuery
from schema.cases import CaseMutation
from schema.conferences import ConferenceMutation, ConferenceQuery
from schema.crisis_reports import CrisisReportMutation, CrisisReportQuery
from schema.document_cache import CACHED_DOCUMENTS, ParsedOnce, ValidationCache
from schema.entities import check_representation, entity_keys
from schema.errors import ErrorShaping
from schema.input_text import TextInputs
from schema.institutions import InstitutionQuery
from schema.intakes import IntakeMutation, IntakeQuery
from schema.limits import query_limits_rule
from schema.membership import MembershipMutation, MembershipQuery
from schema.needs import NeedQuery
from schema.observation import OperationFacts
from schema.persisted_queries import DocumentCache, PersistedQueries, TrustedDocuments
from schema.recipient_operations import RecipientMutation, RecipientQuery
from schema.referral_events import ReferralSubscription
from schema.referral_stats import ReferralStatsQuery
from schema.referrals import ReferralMutation, ReferralQuery
from schema.regions import RegionQuery
from schema.resource_operations import ResourceMutation, ResourceQuery
from schema.search import SearchQuery
from schema.sensitive import sensitive_input_names
from schema.suggestions import SuggestionQuery
from schema.tracing import GraphQLTracing
from schema.viewer import ViewerQuery

__all__ = ["build_schema"]


@strawberry.type
class Query(
    ViewerQuery,
    ResourceQuery,
    SearchQuery,
    SuggestionQuery,
    RecipientQuery,
    MembershipQuery,
    ReferralQuery,
    ReferralStatsQuery,
    InstitutionQuery,
    NeedQuery,
    RegionQuery,
    IntakeQuery,
    CrisisReportQuery,
    ApplicationQuery,
    ConferenceQuery,
):
    pass


@strawberry.type
class Mutation(
    ResourceMutation,
    RecipientMutation,
    CaseMutation,
    ReferralMutation,
    MembershipMutation,
    IntakeMutation,
    CrisisReportMutation,
    ApplicationMutation,
    ConferenceMutation,
):
    pass


@strawberry.type
class Subscription(ReferralSubscription):
    pass


class HanaroSchema(strawberry.federation.Schema):
    def __init__(self, **kwargs: Any) -> None:
        super().__init__(**kwargs)
        # Type name -> key fields, for checking representations before they are resolved.
        self.entity_keys = entity_keys(self.schema_converter.type_map)

    def process_errors(self, errors: list[Any], execution_context: Any = None) -> None:
        """Strawberry logs every error with a traceback; `ErrorShaping` logs the unexpected
        ones and client mistakes are not server errors."""

    def entities_resolver(  # the annotations make the `_entities` field: keep Strawberry's
        self, info: Info, representations: list[FederationAny]
    ) -> list[FederationAny]:
        """A malformed representation gets BAD_USER_INPUT at its index; the others resolve
        as usual, in one batch."""
        results: list[Any] = []
        for index, representation in enumerate(representations):
            problem = check_representation(representation, index, self.entity_keys)
            if problem is None:
                results.extend(super().entities_resolver(info, [dict(representation)]))
            else:
                results.append(problem)  # type: ignore[arg-type]
        return results


def _default_page_sizes(schema: strawberry.federation.Schema) -> dict[str, int]:
    """Field name -> default `first`, read from the built schema (for the cost limit)."""
    sizes: dict[str, int] = {}
    for type_ in schema._schema.type_map.values():
        for name, field in (getattr(type_, "fields", None) or {}).items():
            args = getattr(field, "args", None) or {}
            first = args.get("first")
            if first is None and "input" in args:
                input_type = get_named_type(args["input"].type)
                first = (getattr(input_type, "fields", None) or {}).get("first")
            if first is not None and isinstance(first.default_value, int):
                sizes[name] = max(sizes.get(name, 0), first.default_value)
    return sizes


def build_schema(
    *,
    max_depth: int = 10,
    max_cost: int = 5000,
    max_page_size: int = 100,
    tracer_provider: TracerProvider | None = None,
    apq_cache_size: int = 0,
    trusted_documents: Mapping[str, str] | None = None,
) -> HanaroSchema:
    """Configuration mistakes surface here, at start, not per request. `tracer_provider`:
    spans for each operation and resolver (tracing on). `apq_cache_size`: the automatic
    persisted queries kept (0: APQ off); `trusted_documents`: hash -> document, the only
    documents that run when given."""
    # The rules and the sensitive names are read off the built schema below; the extensions
    # that use them are made per operation, after that. Built once: the validation cache
    # keys on the rule classes.
    rules: list[Any] = []
    sensitive: frozenset[str] = frozenset()
    # Before ErrorShaping: extensions leave in reverse order, so these see the coded errors.
    observing: list[Any] = [OperationFacts]
    if tracer_provider is not None:
        observing.append(lambda: GraphQLTracing(tracer_provider=tracer_provider))
    apq = DocumentCache(apq_cache_size)  # one per schema: every request of the process
    trusted = TrustedDocuments(trusted_documents) if trusted_documents is not None else None
    schema = HanaroSchema(
        query=Query,
        mutation=Mutation,
        subscription=Subscription,
        federation_version="2.7",
        config=StrawberryConfig(),
        extensions=[
            *observing,
            lambda: ErrorShaping(sensitive=sensitive),
            TextInputs,
            lambda: AddValidationRules(rules),
            lambda: MaxTokensLimiter(max_token_count=5000),
            lambda: ParsedOnce(maxsize=CACHED_DOCUMENTS),
            lambda: ValidationCache(maxsize=CACHED_DOCUMENTS),
            # After ValidationCache: it reads the validation errors before they are checked.
            lambda: PersistedQueries(cache=apq, trusted=trusted),
        ],
    )
    rules += [
        query_limits_rule(max_depth, max_cost, max_page_size, _default_page_sizes(schema)),
        max_aliases_rule(30),
    ]
    sensitive = sensitive_input_names(schema._schema)
    return schema
