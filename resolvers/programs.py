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
from resolvers.regions import RegionCatalog

__all__ = ["FACT_WORDS", "Facts", "ProgramCatalog", "evaluate"]


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


# Household types and disability grades as people say them (Korean, English).
HOUSEHOLD_WORDS: dict[str, tuple[str, str]] = {
    "SINGLE_ELDERLY": ("독거노인 가구", "single elderly"),
    "SINGLE_PARENT": ("한부모 가구", "single parent"),
    "GRANDPARENT_HEADED": ("조손 가구", "grandparent-headed"),
    "MULTICULTURAL": ("다문화 가구", "multicultural"),
    "DISABLED_MEMBER": ("장애인 가구", "with a disabled member"),
    "CHILD_HEADED": ("소년소녀가장 가구", "child-headed"),
    "GENERAL": ("일반 가구", "general"),
}
DISABILITY_WORDS: dict[str, tuple[str, str]] = {
    "NONE": ("장애 없음", "no disability"),
    "MILD": ("경증 장애", "a mild disability"),
    "SEVERE": ("중증 장애", "a severe disability"),
}


def _words(table: dict[str, tuple[str, str]], codes: list[str], ko: bool) -> str:
    names = [table.get(c, (c, c))[0 if ko else 1] for c in codes]
    return ", ".join(names) if ko else " or ".join(names)


def _with_particle(word: str) -> str:
    """`word` + 과/와 ("with"), chosen by whether its last syllable ends in a consonant."""
    last = word[-1:] or "a"
    if "가" <= last <= "힣":
        return word + ("과" if (ord(last) - ord("가")) % 28 else "와")
    return word + "와(과)"


def _listed(items: list[str], ko: bool) -> str:
    return ", ".join(items) if ko else " and ".join(items)


def _decision(rule: str, outcome: bool | None, detail: tuple[str, str]) -> dict[str, str]:
    result = "UNKNOWN" if outcome is None else ("PASS" if outcome else "FAIL")
    return {"rule": rule, "result": result, "detail": detail[1], "detailKo": detail[0]}


def _rule_texts(
    rule: str, limit: Any, value: Any, names: Callable[[str], str]
) -> tuple[tuple[str, str], tuple[str, str]]:
    """((Korean, English) requirement, (Korean, English) known fact) of one rule; the fact
    text is only used when the value is known."""
    if rule == "minAge":
        return (f"만 {limit}세 이상", f"Age {limit} or over"), (
            f"{value}세",
            f"the person is {value}",
        )
    if rule == "maxAge":
        return (f"만 {limit}세 이하", f"Age {limit} or under"), (
            f"{value}세",
            f"the person is {value}",
        )
    if rule == "maxIncomePercent":
        return (
            (f"소득이 기준중위소득의 {limit}% 이하",
             f"Income at most {limit}% of the standard median income"),
            (f"기준중위소득의 {value}%", f"the income is {value}%"),
        )  # fmt: skip
    if rule == "householdTypes":
        return (
            (f"{_words(HOUSEHOLD_WORDS, limit, True)} 중 하나",
             f"Household one of: {', '.join(HOUSEHOLD_WORDS.get(c, (c, c))[1] for c in limit)}"),
            (_words(HOUSEHOLD_WORDS, [value], True) if value else "",
             f"the household is {_words(HOUSEHOLD_WORDS, [value], False)}" if value else ""),
        )  # fmt: skip
    if rule == "disability":
        return (
            (_words(DISABILITY_WORDS, limit, True),
             f"Has {_words(DISABILITY_WORDS, limit, False)}"),
            (_words(DISABILITY_WORDS, [value], True) if value else "",
             f"the person has {_words(DISABILITY_WORDS, [value], False)}" if value else ""),
        )  # fmt: skip
    if rule == "regions":
        wanted = [names(code) for code in sorted(limit)]
        home = names(value[0]) if value else ""
        return (
            (f"{_listed(wanted, True)} 거주", f"Living in {_listed(wanted, False)}"),
            (f"{home} 거주", f"the person lives in {home}"),
        )
    # requiredFlags
    wanted = sorted(limit)
    held = sorted(value or [])
    fact_ko = f"표시: {', '.join(held)}" if held else "표시 없음"
    fact_en = f"the person is flagged {' and '.join(held)}" if held else "the person has no flags"
    return (
        (f"{', '.join(wanted)} 표시 필요", f"Flagged {' and '.join(wanted)}"),
        (fact_ko, fact_en),
    )


# Facts as `missingFacts` names them, in words (Korean, English).
FACT_WORDS: dict[str, tuple[str, str]] = {
    "age": ("나이", "age"),
    "incomePercent": ("소득", "income"),
    "householdType": ("가구 유형", "household type"),
    "disability": ("장애 정도", "disability"),
    "homeRegion": ("거주지", "home region"),
    "flags": ("표시", "flags"),
}

# The fact each rule needs, as `missingFacts` names it, and in words (Korean, English).
_FACTS: dict[str, tuple[str, str, str]] = {
    "minAge": ("age", "나이", "age"),
    "maxAge": ("age", "나이", "age"),
    "maxIncomePercent": ("incomePercent", "소득", "income"),
    "householdTypes": ("householdType", "가구 유형", "household type"),
    "disability": ("disability", "장애 정도", "disability"),
    "regions": ("homeRegion", "거주지", "home region"),
    "requiredFlags": ("flags", "표시", "flags"),
}


def _decide(
    rules: dict[str, Any], facts: Facts, names: Callable[[str], str] = str
) -> tuple[list[dict[str, str]], list[str]]:
    """Each rule's decision, as a sentence in Korean and English, and the missing facts."""
    known: dict[str, Any] = {
        "minAge": facts.age,
        "maxAge": facts.age,
        "maxIncomePercent": facts.income_percent,
        "householdTypes": facts.household_type,
        "disability": facts.disability,
        "regions": facts.regions,
        "requiredFlags": facts.flags,
    }
    tests: dict[str, Callable[[Any, Any], bool]] = {
        "minAge": lambda limit, a: a >= limit,
        "maxAge": lambda limit, a: a <= limit,
        "maxIncomePercent": lambda limit, i: i <= limit,
        "householdTypes": lambda allowed, h: h in allowed,
        "disability": lambda grades, d: d in grades,
        "regions": lambda codes, chain: bool(set(codes) & set(chain)),
        "requiredFlags": lambda needed, flags: set(needed) <= flags,
    }
    decisions: list[dict[str, str]] = []
    missing: list[str] = []
    for rule in tests:
        if rule not in rules:
            continue
        limit, value = rules[rule], known[rule]
        (need_ko, need_en), (fact_ko, fact_en) = _rule_texts(rule, limit, value, names)
        fact, word_ko, word_en = _FACTS[rule]
        if value is None:
            missing.append(fact)
            text = (
                f"{need_ko} 조건: {word_ko} 정보 없음.",
                f"{need_en}: {word_en} not known.",
            )
            decisions.append(_decision(rule, None, text))
        else:
            ok = tests[rule](limit, value)
            verdict = ("충족", "met") if ok else ("미충족", "not met")
            text = (
                f"{need_ko} 조건 {verdict[0]}: {fact_ko}.",
                f"{need_en}: {verdict[1]}, {fact_en}.",
            )
            decisions.append(_decision(rule, ok, text))
    return decisions, list(dict.fromkeys(missing))


def evaluate(
    program: dict[str, Any],
    facts: Facts,
    *,
    program_names: Callable[[str], tuple[str, str]] = lambda pid: (pid, pid),
    region_names: Callable[[str], str] = str,
) -> dict[str, Any]:
    """`program_names` gives another programme's (Korean, English) name; `region_names` a
    region's name, for the sentences."""
    decisions, missing = _decide(program["rules"], facts, region_names)
    excluded_by = sorted(set(program.get("excludes") or []) & facts.enrolled_programs)
    for other in excluded_by:
        ko, en = program_names(other)
        text = (f"이미 받고 있는 {_with_particle(ko)} 함께 받을 수 없음.",
                f"Cannot be combined with {en}, which the person already receives.")  # fmt: skip
        decisions.append(_decision("excludes", False, text))
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
    # Region code -> name, for the sentences of region rules (set when the server starts).
    region_names: dict[str, str] = field(default_factory=dict)

    @classmethod
    async def load(cls, graph: GraphEngine, regions: RegionCatalog | None = None) -> ProgramCatalog:
        names = {c: r["name"] for c, r in regions.by_code.items()} if regions else {}
        return cls({p["id"]: p for p in await list_programs(graph)}, names)

    def check(self, program_id: str, *, field: str) -> str:
        if program_id not in self.by_id:
            raise HanaroError.bad_input(
                f"{field}: unknown programme {program_id!r}; the `programs` query lists them.",
                field=field,
            )
        return program_id

    def program_names(self, program_id: str) -> tuple[str, str]:
        found = self.by_id.get(program_id) or {}
        return found.get("name", program_id), found.get("nameEn") or found.get("name", program_id)

    def evaluate_all(self, facts: Facts) -> list[dict[str, Any]]:
        return [
            evaluate(
                p,
                facts,
                program_names=self.program_names,
                region_names=lambda code: self.region_names.get(code, code),
            )
            for _, p in sorted(self.by_id.items())
        ]
