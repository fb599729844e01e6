"""The demo resources: each institution offers a few of the templates of
`data/resource_templates.json` its kind may offer, each drawn into one resource (name,
description in Korean or now and then in English, eligibility, capacity, schedule, contact,
place, internal notes) with the served regions around its 읍면동."""

from __future__ import annotations

import random
from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any

from demo.files import frozen, read
from demo.institutions import Geo, address, jitter, make_id, phone

__all__ = ["KIND_CODES", "RESOURCES_PER_KIND", "TEMPLATES", "Template", "build_resource"]

_FIXED = frozen(read("resources.json"))
# How many resources each kind of institution offers (plus 0 or 1 at random).
RESOURCES_PER_KIND: dict[str, int] = _FIXED["perKind"]
# The short codes the templates' `providers` name kinds of institution by.
KIND_CODES: dict[str, str] = _FIXED["kindCodes"]
_HOUSEHOLD_KO: dict[str, str] = _FIXED["householdLabels"]["ko"]
_HOUSEHOLD_EN: dict[str, str] = _FIXED["householdLabels"]["en"]
_ROOMS: tuple[str, ...] = _FIXED["rooms"]
# Internal notes by the status of the resource they are written on.
_NOTES: dict[str, tuple[str, ...]] = _FIXED["internalNotes"]


@dataclass(frozen=True)
class Eligibility:
    """Choices for each eligibility field; one option of each is drawn per resource."""

    min_age: tuple[int | None, ...] = (None,)
    max_age: tuple[int | None, ...] = (None,)
    income: tuple[int | None, ...] = (None,)
    households: tuple[tuple[str, ...], ...] = ((),)
    disability: bool = False
    notes: tuple[str | None, ...] = (None,)


@dataclass(frozen=True)
class Template:
    """A kind of resource: who offers it, which needs it meets, and how it is described."""

    kind: str
    providers: tuple[str, ...]  # codes from KIND_CODES
    needs: tuple[str, ...]  # need codes, the first always used
    names: tuple[str, ...]
    texts: tuple[str, ...]  # first sentence; "{area}" is replaced by the served area
    details: tuple[str, ...]
    name_en: str
    text_en: str
    elig: Eligibility = Eligibility()
    cap: tuple[int, int] | None = None  # None: no fixed capacity
    schedules: tuple[str | None, ...] = ("평일 09:00-18:00",)
    en_rate: float = 0.08
    family: bool = False  # serves carers or families rather than the person themselves
    # Needs every resource of the template gets besides the drawn ones, by provider kind code
    # ("*": every provider): added after the draw, they take no random number, so the needs
    # the taxonomy gains leave every other value of the demo as it was (the judged relevance
    # set, tests/relevance, was made on it).
    extra_needs: Mapping[str, tuple[str, ...]] = field(default_factory=dict, hash=False)


# JSON key -> field; a key left out of a template keeps the field's default.
_TEMPLATE_KEYS = {
    "nameEn": "name_en",
    "textEn": "text_en",
    "capacity": "cap",
    "enRate": "en_rate",
    "extraNeeds": "extra_needs",
}
_ELIGIBILITY_KEYS = {"minAge": "min_age", "maxAge": "max_age"}


def _template(row: dict[str, Any]) -> Template:
    fields = {_TEMPLATE_KEYS.get(key, key): value for key, value in frozen(row).items()}
    choices = fields.pop("eligibility", {})
    elig = Eligibility(**{_ELIGIBILITY_KEYS.get(key, key): value for key, value in choices.items()})
    return Template(**fields, elig=elig)


TEMPLATES: tuple[Template, ...] = tuple(_template(row) for row in read("resource_templates.json"))


def _eligibility(rng: random.Random, tpl: Template, provider_kind: str) -> dict[str, Any]:
    spec = tpl.elig
    min_age = rng.choice(spec.min_age)
    max_age = rng.choice(spec.max_age)
    households = list(rng.choice(spec.households))
    disability = spec.disability
    if provider_kind == "SENIOR_WELFARE_CENTER":
        if min_age is None or min_age < 60:
            min_age = rng.choice((60, 65))
        max_age = None
    elif provider_kind == "CHILD_CENTER":
        max_age = 18 if max_age is None else min(max_age, 18)
    elif provider_kind == "DISABILITY_WELFARE_CENTER":
        households = ["DISABLED_MEMBER"]
        disability = disability or not tpl.family
        if min_age is not None and min_age >= 60:
            min_age = None
    if min_age is not None and max_age is not None and min_age > max_age:
        max_age = None
    return {
        "minAge": min_age,
        "maxAge": max_age,
        "maxIncomePercent": rng.choice(spec.income),
        "householdTypes": households,
        "disabilityRequired": disability,
        "notes": rng.choice(spec.notes),
    }


def _eligibility_sentence(elig: dict[str, Any], english: bool) -> str | None:
    """One sentence stating the eligibility record, or None when it restricts nothing."""
    lo, hi, income = elig["minAge"], elig["maxAge"], elig["maxIncomePercent"]
    households = [t for t in elig["householdTypes"] if t != "GENERAL"]
    parts: list[str] = []
    if english:
        if lo is not None and hi is not None:
            parts.append(f"aged {lo}-{hi}")
        elif lo is not None:
            parts.append(f"aged {lo} or over")
        elif hi is not None:
            parts.append(f"aged {hi} or under")
        if elig["disabilityRequired"]:
            parts.append("registered disability")
        if income is not None:
            parts.append(f"household income up to {income}% of the standard median income")
        if households:
            parts.append(" / ".join(_HOUSEHOLD_EN[t] for t in households) + " households")
        return f"Eligibility: {', '.join(parts)}." if parts else None
    if lo is not None and hi is not None:
        parts.append(f"만 {lo}~{hi}세")
    elif lo is not None:
        parts.append(f"만 {lo}세 이상")
    elif hi is not None:
        parts.append(f"만 {hi}세 이하")
    if elig["disabilityRequired"]:
        parts.append("등록 장애인")
    if income is not None:
        parts.append(f"기준중위소득 {income}% 이하")
    if households:
        parts.append("·".join(_HOUSEHOLD_KO[t] for t in households) + " 가구")
    return f"지원 대상은 {', '.join(parts)}입니다." if parts else None


def _capacity(rng: random.Random, tpl: Template, status: str) -> dict[str, int | None]:
    if tpl.cap is None:
        return {"total": None, "available": None}
    total = rng.randint(*tpl.cap)
    if total > 20:
        total = max(20, round(total / 5) * 5)
    if status != "ACTIVE" or rng.random() < 0.12:
        available = 0
    else:
        available = rng.randint(0, total)
    return {"total": total, "available": available}


def _needs(rng: random.Random, tpl: Template, parents: dict[str, str | None]) -> list[str]:
    primary, *others = tpl.needs
    extra = rng.choices((0, 1, 2), weights=(45, 40, 15))[0]
    chosen = [primary, *rng.sample(others, min(extra, len(others)))]
    parent = parents[primary]
    if parent is not None and parent not in chosen and len(chosen) < 3 and rng.random() < 0.1:
        chosen.append(parent)
    return chosen


def _with_extra_needs(drawn: list[str], tpl: Template, kind: str) -> list[str]:
    """The drawn needs, then the template's extra needs for this kind of provider."""
    extra = [*tpl.extra_needs.get("*", ()), *tpl.extra_needs.get(KIND_CODES[kind], ())]
    return [*drawn, *(code for code in extra if code not in drawn)]


def _served_regions(rng: random.Random, kind: str, emd: dict[str, Any], geo: Geo) -> list[str]:
    own, sigungu = emd["code"], emd["parent"]
    local = [own, *rng.sample(geo.neighbours[own], rng.randint(0, 3))]
    roll = rng.random()
    if kind == "COMMUNITY_CENTER":
        return [own] if roll < 0.7 else [own, *rng.sample(geo.neighbours[own], rng.randint(1, 2))]
    if kind == "CITY_HALL":
        if roll < 0.85:
            return [sigungu]
        siblings = [e["code"] for e in geo.emds if e["parent"] == sigungu]
        return rng.sample(siblings, rng.randint(2, 4))
    if kind in ("NGO", "HOSPITAL"):
        if roll < 0.3:
            return [geo.province]
        return [sigungu] if roll < 0.8 else local
    if kind == "HEALTH_CENTER":
        return [sigungu] if roll < 0.5 else local
    if roll < 0.03:
        return [geo.province]
    return [sigungu] if roll < 0.2 else local


def _area_name(regions: list[str], emd: dict[str, Any], geo: Geo) -> str:
    """The served area as used in text: the provider's 읍면동, or the 시군구 or province."""
    first = geo.by_code[regions[0]]
    return str(emd["name"] if first["level"] == "EUPMYEONDONG" else first["name"])


def build_resource(
    rng: random.Random,
    n: int,
    inst: dict[str, Any],
    extra: dict[str, Any],
    tpl: Template,
    geo: Geo,
    parents: dict[str, str | None],
) -> dict[str, Any]:
    """Resource number `n` of `inst`, drawn from `tpl`; `extra` is the institution's slug,
    staff and 읍면동 (`build_institutions`)."""
    emd, kind, sector = extra["emd"], inst["kind"], inst["sector"]
    roll = rng.random()
    status = "CLOSED" if roll < 0.03 else "SUSPENDED" if roll < 0.08 else "ACTIVE"
    regions = _served_regions(rng, kind, emd, geo)
    area_ko = _area_name(regions, emd, geo)
    english = rng.random() < tpl.en_rate
    elig = _eligibility(rng, tpl, kind)

    if english:
        name = tpl.name_en
        sentences = [tpl.text_en]
        elig["notes"] = None
    else:
        name = rng.choice(tpl.names)
        if regions[0] != geo.province and rng.random() < 0.3:
            name = f"{area_ko} {name}"
        sentences = [rng.choice(tpl.texts).format(area=area_ko)]
        if tpl.details and rng.random() < 0.6:
            sentences.append(rng.choice(tpl.details))
    stated = _eligibility_sentence(elig, english)
    if stated is not None and len(sentences) < 3 and rng.random() < 0.6:
        sentences.append(stated)

    res_kind = tpl.kind
    if res_kind == "BENEFIT" and sector == "PRIVATE" and rng.random() < 0.85:
        res_kind = "FUNDING"

    roll = rng.random()
    if roll < 0.6:
        place = {"text": inst["address"], "lat": inst["lat"], "lon": inst["lon"]}
    elif roll < 0.85:
        text = f"{inst['address']} {rng.choice(_ROOMS)}"
        place = {"text": text, "lat": inst["lat"], "lon": inst["lon"]}
    else:
        lat, lon = jitter(rng, inst["lat"], inst["lon"], 0.8)
        place = {"text": address(rng, emd, geo.sigungu_name(emd)), "lat": lat, "lon": lon}

    domain = "example.go.kr" if sector == "PUBLIC" else "example.or.kr"
    box = rng.choice(("welfare", "care", "help", "info", "support"))
    contact = {
        "phone": inst["phone"] if rng.random() < 0.7 else phone(rng),
        "email": f"{box}.{extra['slug']}@{domain}" if rng.random() < 0.6 else None,
        "person": rng.choice(extra["staff"]) if rng.random() < 0.7 else None,
    }

    notes: str | None = None
    if rng.random() < 0.33:
        notes = rng.choice(_NOTES[status])

    return {
        "id": make_id("res", n),
        "providerId": inst["id"],
        "name": name,
        "description": " ".join(sentences),
        "kind": res_kind,
        "status": status,
        "needs": _with_extra_needs(_needs(rng, tpl, parents), tpl, kind),
        "regions": regions,
        "eligibility": elig,
        "capacity": _capacity(rng, tpl, status),
        "schedule": rng.choice(tpl.schedules),
        "contact": contact,
        "address": place,
        "internalNotes": notes,
    }
