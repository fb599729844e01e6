"""Public programmes (급여·수당) and their eligibility rules in GraphQL."""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

import strawberry
from strawberry.types import Info

from resolvers.applications import required_documents
from resolvers.context import RequestContext
from schema.needs import Need

__all__ = ["Program", "ProgramRules", "RequiredDocument"]


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


@strawberry.type(description="A document an application needs (구비서류).")
class RequiredDocument:
    code: str
    label_ko: str
    label: str

    @classmethod
    def from_record(cls, record: dict[str, str]) -> RequiredDocument:
        return cls(code=record["code"], label_ko=record["labelKo"], label=record["label"])


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

    @classmethod
    def by_ids(cls, info: Info[RequestContext, None], ids: Iterable[str]) -> list[Program]:
        """In the order given; ids the rule file no longer has are left out."""
        catalog = info.context.services.programs.by_id
        return [cls.from_record(catalog[p]) for p in ids if p in catalog]

    @strawberry.field
    def needs(self, info: Info[RequestContext, None]) -> list[Need]:
        return Need.by_codes(info, self.need_codes)

    @strawberry.field(
        description="The documents an application needs (the checklist of takeApplication)."
    )
    def required_documents(self) -> list[RequiredDocument]:
        return [RequiredDocument.from_record(d) for d in required_documents(str(self.id))]


def _snake(name: str) -> str:
    return "".join(f"_{c.lower()}" if c.isupper() else c for c in name)
