"""Programme rules, held in memory, and the evaluation of one person against them.

Every rule gives PASS, FAIL or UNKNOWN (the fact it needs is missing). A programme is
NOT_ELIGIBLE when a rule fails or the person is enrolled in a programme it excludes, LIKELY
when every rule passes, and POSSIBLE otherwise — with the facts that would decide it."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import date
from typing import Any

from graph.engine import GraphEngine
from graph.programs import list_programs
from resolvers.errors import HanaroError

__all__ = ["Facts", "ProgramCatalog", "evaluate"]


@dataclass(frozen=True)
class Facts:
    """What is known about a person; None means unknown."""

    age: int | None = None
    income_percent: int | None = None
    household_type: str | None = None
    disability: str | None = None
    regions: tuple[str, ...] | None = None  # home region and every region above it
    flags: frozenset[str] | None = None
    enrolled_programs: frozenset[str] = frozenset()

    @classmethod
    def of(
        cls,
        record: dict[str, Any],
        region_chain: Callable[[str], list[str]],
        enrolled: frozenset[str],
        today: date | None = None,
    ) -> Facts:
        """From a presented recipient record: withheld fields are None, so unknown."""
        birth = record.get("birthDate")
        age = None
        if birth:
            born, now = date.fromisoformat(birth), today or date.today()
            age = now.year - born.year - ((now.month, now.day) < (born.month, born.day))
        region = record.get("regionCode")
        return cls(
            age=age,
            income_percent=record.get("incomePercent"),
            household_type=record.get("householdType"),
            disability=record.get("disability"),
            regions=tuple(region_chain(region)) if region else None,
            flags=frozenset(record["flags"]) if record.get("flags") is not None else None,
            enrolled_programs=enrolled,
        )


def _decision(rule: str, outcome: bool | None, detail: str) -> dict[str, str]:
    result = "UNKNOWN" if outcome is None else ("PASS" if outcome else "FAIL")
    return {"rule": rule, "result": result, "detail": detail}


def _decide(rules: dict[str, Any], facts: Facts) -> tuple[list[dict[str, str]], list[str]]:
    """Each rule's decision and the facts that are missing."""
    decisions: list[dict[str, str]] = []
    missing: list[str] = []

    def check(rule: str, fact: str, value: Any, test: Callable[[Any], bool], text: str) -> None:
        if value is None:
            missing.append(fact)
            decisions.append(_decision(rule, None, f"{text}; {fact} unknown"))
        else:
            decisions.append(_decision(rule, test(value), f"{text}; {fact} {value}"))

    if "minAge" in rules:
        limit = rules["minAge"]
        check("minAge", "age", facts.age, lambda a: a >= limit, f"age at least {limit}")
    if "maxAge" in rules:
        limit = rules["maxAge"]
        check("maxAge", "age", facts.age, lambda a: a <= limit, f"age at most {limit}")
    if "maxIncomePercent" in rules:
        limit = rules["maxIncomePercent"]
        check(
            "maxIncomePercent",
            "incomePercent",
            facts.income_percent,
            lambda i: i <= limit,
            f"income at most {limit}% of the standard median income",
        )
    if "householdTypes" in rules:
        allowed = rules["householdTypes"]
        check(
            "householdTypes",
            "householdType",
            facts.household_type,
            lambda h: h in allowed,
            f"household one of {', '.join(allowed)}",
        )
    if "disability" in rules:
        grades = rules["disability"]
        check(
            "disability",
            "disability",
            facts.disability,
            lambda d: d in grades,
            f"disability {' or '.join(grades)}",
        )
    if "regions" in rules:
        codes = set(rules["regions"])
        check(
            "regions",
            "homeRegion",
            facts.regions,
            lambda chain: bool(codes & set(chain)),
            f"living in {', '.join(sorted(codes))}",
        )
    if "requiredFlags" in rules:
        needed = set(rules["requiredFlags"])
        check(
            "requiredFlags",
            "flags",
            facts.flags,
            lambda flags: needed <= flags,
            f"flagged {', '.join(sorted(needed))}",
        )
    return decisions, list(dict.fromkeys(missing))


def evaluate(program: dict[str, Any], facts: Facts) -> dict[str, Any]:
    decisions, missing = _decide(program["rules"], facts)
    excluded_by = sorted(set(program.get("excludes") or []) & facts.enrolled_programs)
    for other in excluded_by:
        decisions.append(
            _decision("excludes", False, f"cannot be combined with {other}, already received")
        )
    results = {d["result"] for d in decisions}
    if "FAIL" in results:
        status = "NOT_ELIGIBLE"
    elif "UNKNOWN" in results:
        status = "POSSIBLE"
    else:
        status = "LIKELY"
    return {
        "program": program,
        "status": status,
        "decisions": decisions,
        "missingFacts": missing if status == "POSSIBLE" else [],
        "enrolled": program["id"] in facts.enrolled_programs,
    }


@dataclass
class ProgramCatalog:
    by_id: dict[str, dict[str, Any]] = field(default_factory=dict)

    @classmethod
    async def load(cls, graph: GraphEngine) -> ProgramCatalog:
        return cls({p["id"]: p for p in await list_programs(graph)})

    def check(self, program_id: str, *, field: str) -> str:
        if program_id not in self.by_id:
            raise HanaroError.bad_input(
                f"{field}: unknown programme {program_id!r}; the `programs` query lists them.",
                field=field,
            )
        return program_id

    def evaluate_all(self, facts: Facts) -> list[dict[str, Any]]:
        return [evaluate(p, facts) for _, p in sorted(self.by_id.items())]
