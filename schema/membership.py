"""Programmes and proactive eligibility (복지멤버십) in GraphQL."""

from __future__ import annotations

from enum import Enum
from typing import Any

import strawberry
from strawberry.types import Info

from resolvers import membership as resolve
from resolvers.context import RequestContext
from schema.needs import Need

__all__ = ["MembershipQuery", "Program"]


@strawberry.type(description="Machine-readable eligibility rules; absent rules are null.")
class ProgramRules:
    min_age: int | None = None
    max_age: int | None = None
    max_income_percent: int | None = strawberry.field(
        default=None, description="% of the standard median income for the household's size."
    )
    household_types: list[str] | None = None
    disability: list[str] | None = None
    regions: list[str] | None = None
    required_flags: list[str] | None = None


@strawberry.type(description="A public programme (급여·수당) with its eligibility rules.")
class Program:
    id: strawberry.ID
    name: str
    name_en: str
    basis: str = strawberry.field(description="The legal test the rules encode, and its year.")
    year: int = strawberry.field(description="The year the thresholds are from.")
    rules: ProgramRules
    excludes: list[strawberry.ID]
    need_codes: strawberry.Private[list[str]]

    @classmethod
    def from_record(cls, record: dict[str, Any]) -> Program:
        return cls(
            id=strawberry.ID(record["id"]),
            name=record["name"],
            name_en=record["nameEn"],
            basis=record["basis"],
            year=record["year"],
            rules=ProgramRules(**{_snake(k): v for k, v in record["rules"].items()}),
            excludes=[strawberry.ID(x) for x in record.get("excludes") or []],
            need_codes=list(record["needs"]),
        )

    @strawberry.field
    def needs(self, info: Info[RequestContext, None]) -> list[Need]:
        catalog = info.context.services.needs.by_code
        return [Need.from_record(catalog[c]) for c in self.need_codes if c in catalog]


def _snake(name: str) -> str:
    return "".join(f"_{c.lower()}" if c.isupper() else c for c in name)


@strawberry.enum
class EligibilityStatus(Enum):
    LIKELY = "LIKELY"
    POSSIBLE = "POSSIBLE"
    NOT_ELIGIBLE = "NOT_ELIGIBLE"


@strawberry.enum
class RuleResult(Enum):
    PASS = "PASS"
    FAIL = "FAIL"
    UNKNOWN = "UNKNOWN"


@strawberry.type
class RuleDecision:
    rule: str
    result: RuleResult
    detail: str


@strawberry.type
class ProgramEligibility:
    program: Program
    status: EligibilityStatus
    decisions: list[RuleDecision] = strawberry.field(description="The rules that decided it.")
    missing_facts: list[str] = strawberry.field(description="Facts that would decide POSSIBLE.")
    enrolled: bool = strawberry.field(description="Already received (an active enrollment).")

    @classmethod
    def from_record(cls, record: dict[str, Any]) -> ProgramEligibility:
        return cls(
            program=Program.from_record(record["program"]),
            status=EligibilityStatus(record["status"]),
            decisions=[
                RuleDecision(rule=d["rule"], result=RuleResult(d["result"]), detail=d["detail"])
                for d in record["decisions"]
            ],
            missing_facts=record["missingFacts"],
            enrolled=record["enrolled"],
        )


@strawberry.type
class MembershipQuery:
    @strawberry.field(description="The programmes and their rules.")
    def programs(self, info: Info[RequestContext, None]) -> list[Program]:
        catalog = info.context.services.programs.by_id
        return [Program.from_record(p) for _, p in sorted(catalog.items())]

    @strawberry.field(
        description="Each programme with LIKELY / POSSIBLE / NOT_ELIGIBLE for a recipient your "
        "institution is entitled to (null otherwise); the read is audited."
    )
    async def eligible_programs(
        self, info: Info[RequestContext, None], recipient_id: strawberry.ID
    ) -> list[ProgramEligibility] | None:
        found = await resolve.eligible_programs(info.context, recipient_id)
        return None if found is None else [ProgramEligibility.from_record(r) for r in found]
