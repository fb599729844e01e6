"""Explaining a search hit: how far it is, whether the person fits its eligibility rules (from
what the viewer may see of them), and the reasons in Korean and English, in the order of the
ranking. Made from the presented record only, so they never speak of a withheld value."""

from __future__ import annotations

import math
from collections.abc import Mapping, Sequence
from typing import Any

from resolvers.programs import FACT_WORDS
from search.query import Person, ResourceSearch
from search.thesaurus import Expansion

__all__ = ["distance_km", "eligibility_fit", "reasons"]

# The text fields as people say them (Korean, English), for the reasons.
_FIELD_WORDS = {
    "name": ("이름", "name"),
    "description": ("설명", "description"),
    "eligibility.notes": ("이용 조건 설명", "eligibility notes"),
    "needs": ("욕구", "needs"),
}


def distance_km(a: tuple[float, float], b: tuple[float, float]) -> float:
    """Great-circle distance (haversine), as Elasticsearch's `arc` distance."""
    lat1, lon1, lat2, lon2 = map(math.radians, (*a, *b))
    h = (
        math.sin((lat2 - lat1) / 2) ** 2
        + math.cos(lat1) * math.cos(lat2) * math.sin((lon2 - lon1) / 2) ** 2
    )
    return 2 * 6371.0088 * math.asin(math.sqrt(h))


def eligibility_fit(record: dict[str, Any], person: Person) -> tuple[str, list[str]]:
    """ELIGIBLE / UNKNOWN (with the facts missing) / WITHHELD / RULED_OUT, from what the viewer
    may see of the resource."""
    rules = record["eligibility"]
    if "eligibility" in record["withheldFields"]:
        return "WITHHELD", []
    if not rules:
        return "ELIGIBLE", []
    missing: list[str] = []
    min_age, max_age = rules.get("minAge"), rules.get("maxAge")
    if min_age is not None or max_age is not None:
        if person.age is None:
            missing.append("age")
        elif (min_age is not None and person.age < min_age) or (
            max_age is not None and person.age > max_age
        ):
            return "RULED_OUT", []
    income = rules.get("maxIncomePercent")
    if income is not None:
        if person.income_percent is None:
            missing.append("incomePercent")
        elif person.income_percent > income:
            return "RULED_OUT", []
    households = rules.get("householdTypes") or []
    if households:
        if person.household_type is None:
            missing.append("householdType")
        elif person.household_type not in households:
            return "RULED_OUT", []
    if rules.get("disabilityRequired"):
        if person.disability is None:
            missing.append("disability")
        elif person.disability is False:
            return "RULED_OUT", []
    return ("UNKNOWN", missing) if missing else ("ELIGIBLE", [])


def reasons(
    search: ResourceSearch,
    catalog: Mapping[str, dict[str, Any]],
    record: dict[str, Any],
    matched_needs: list[str],
    distance: float | None,
    text_fields: list[str],
    fit: str,
    missing: list[str],
    expansions: Sequence[Expansion] = (),
) -> list[dict[str, str]]:
    """Why the hit is here and where it stands, in the order of the ranking. `catalog`: the
    needs by code; `text_fields`: the GraphQL names of the fields the words matched."""
    reasons: list[dict[str, str]] = []

    def add(code: str, english: str, korean: str) -> None:
        reasons.append({"code": code, "message": english, "messageKo": korean})

    if matched_needs:
        count, asked = len(matched_needs), len(search.needs)
        add(
            "NEEDS",
            f"Covers {count} of the {asked} needs asked for: "
            + ", ".join(catalog[c]["labelEn"] for c in matched_needs) + ".",
            f"요청한 욕구 {asked}개 중 {count}개 해당: "
            + ", ".join(catalog[c]["labelKo"] for c in matched_needs) + ".",
        )  # fmt: skip
    if fit == "ELIGIBLE":
        add(
            "ELIGIBLE",
            "The person meets its eligibility rules.",
            "대상자가 이용 조건을 충족합니다.",
        )
    elif fit == "UNKNOWN":
        add(
            "ELIGIBILITY_UNKNOWN",
            "Whether the person is eligible depends on facts not given: "
            + ", ".join(FACT_WORDS.get(f, (f, f))[1] for f in missing) + ".",
            "주어지지 않은 정보에 따라 이용 가능 여부가 달라집니다: "
            + ", ".join(FACT_WORDS.get(f, (f, f))[0] for f in missing) + ".",
        )  # fmt: skip
    elif fit == "WITHHELD":
        add(
            "ELIGIBILITY_WITHHELD",
            "Its eligibility rules are not shared with your institution.",
            "이용 조건이 귀 기관에 공개되어 있지 않습니다.",
        )
    if distance is not None:
        add("DISTANCE", f"It is {distance:.1f} km away.", f"{distance:.1f} km 거리에 있습니다.")
    if text_fields:
        names = text_fields
        add(
            "TEXT",
            f"The words match its {' and '.join(_FIELD_WORDS[n][1] for n in names)}.",
            f"검색어가 {', '.join(_FIELD_WORDS[n][0] for n in names)}에 나옵니다.",
        )
    if expansions:
        add(
            "RELATED_TERM",
            "Matched " + "; ".join(f"{e.means} through {e.word}" for e in expansions) + ".",
            "관련어로 찾았습니다: " + ", ".join(f"{e.word} → {e.means}" for e in expansions) + ".",
        )
    if search.has_capacity:
        available = record["capacity"]["available"]
        add("CAPACITY", f"It has {available} free places.", f"남은 자리가 {available}개 있습니다.")
    return reasons
