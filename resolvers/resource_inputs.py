"""What a registrant gives for a resource, checked and normalised before it is stored: the
parts of a register or update input, and the visibility settings (defaults for a new one)."""

from __future__ import annotations

from typing import Any

from resolvers.context import RequestContext
from resolvers.errors import HanaroError
from resolvers.stamps import iso_now
from resolvers.validation import (
    check_coordinates,
    check_email,
    check_id,
    check_phone,
    check_text,
    check_unique_codes,
)

__all__ = ["DEFAULT_FIELD_AUDIENCES", "MAX_NAME_LENGTH", "check_parts", "check_visibility"]

DEFAULT_FIELD_AUDIENCES: dict[str, str] = {
    "description": "PUBLIC",
    "schedule": "PUBLIC",
    "eligibility": "PUBLIC",
    "address": "PUBLIC",
    "contact": "AUTHENTICATED",
    "capacity": "PARTNERS",
    "internalNotes": "OWNER",
}
MAX_NAME_LENGTH = 200


def check_parts(ctx: RequestContext, data: dict[str, Any]) -> dict[str, Any]:
    """Validate and normalise the parts of a register/update input that are present."""
    limit = ctx.services.limits.max_string_length
    clean: dict[str, Any] = {}
    if "name" in data:
        clean["name"] = check_text(
            data["name"], field="name", max_length=MAX_NAME_LENGTH, required=True
        )
    for key in ("description", "schedule", "internalNotes"):
        if key in data:
            clean[key] = check_text(data[key], field=key, max_length=limit)
    if "kind" in data:
        clean["kind"] = data["kind"]
    if "programId" in data:
        program = data["programId"]
        clean["programId"] = (
            ctx.services.programs.check(program, field="programId") if program else None
        )
    if data.get("needs") is not None:
        codes = check_unique_codes(data["needs"], field="needs")
        if not codes:
            raise HanaroError.bad_input("needs: give at least one need code.", field="needs")
        clean["needs"] = ctx.services.needs.check(codes, field="needs")
    if data.get("regions") is not None:
        codes = check_unique_codes(data["regions"], field="regions")
        if not codes:
            raise HanaroError.bad_input("regions: give at least one region code.", field="regions")
        clean["regions"] = ctx.services.regions.check(codes, field="regions")
    if "eligibility" in data:
        clean["eligibility"] = _check_eligibility(data["eligibility"], limit)
    if "capacity" in data:
        clean["capacity"] = _check_capacity(data["capacity"])
    if "contact" in data:
        clean["contact"] = _check_contact(data["contact"])
    if "address" in data:
        clean["address"] = _check_address(data["address"], limit)
    return clean


def _check_eligibility(value: dict[str, Any] | None, limit: int) -> dict[str, Any] | None:
    if value is None:
        return None
    for key in ("minAge", "maxAge"):
        age = value.get(key)
        if age is not None and not 0 <= age <= 150:
            raise HanaroError.bad_input(
                f"eligibility.{key} {age} is out of range (0..150).", field=f"eligibility.{key}"
            )
    if value.get("minAge") is not None and value.get("maxAge") is not None:
        if value["minAge"] > value["maxAge"]:
            raise HanaroError.bad_input(
                "eligibility.minAge is above eligibility.maxAge.", field="eligibility.minAge"
            )
    income = value.get("maxIncomePercent")
    if income is not None and not 0 <= income <= 1000:
        raise HanaroError.bad_input(
            f"eligibility.maxIncomePercent {income} is out of range (0..1000).",
            field="eligibility.maxIncomePercent",
        )
    return {
        **value,
        "householdTypes": list(value.get("householdTypes") or []),
        "disabilityRequired": bool(value.get("disabilityRequired")),
        "notes": check_text(value.get("notes"), field="eligibility.notes", max_length=limit),
    }


def _check_capacity(value: dict[str, Any] | None) -> dict[str, Any] | None:
    if value is None:
        return None
    total, available = value.get("total"), value.get("available")
    for key, number in (("total", total), ("available", available)):
        if number is not None and not 0 <= number <= 10_000_000:
            raise HanaroError.bad_input(
                f"capacity.{key} must be between 0 and 10000000 (got {number}).",
                field=f"capacity.{key}",
            )
    if total is not None and available is not None and available > total:
        raise HanaroError.bad_input(
            f"capacity.available ({available}) is above capacity.total ({total}).",
            field="capacity.available",
        )
    return {"total": total, "available": available, "updatedAt": iso_now()}


def _check_contact(value: dict[str, Any] | None) -> dict[str, Any] | None:
    if value is None:
        return None
    phone = check_phone(value.get("phone"), field="contact.phone")
    email = check_email(value.get("email"), field="contact.email")
    person = check_text(value.get("person"), field="contact.person", max_length=MAX_NAME_LENGTH)
    return {"phone": phone, "email": email, "person": person}


def _check_address(value: dict[str, Any] | None, limit: int) -> dict[str, Any] | None:
    if value is None:
        return None
    check_coordinates(value.get("lat"), value.get("lon"), field="address")
    text = check_text(value.get("text"), field="address.text", max_length=limit)
    return {"text": text, "lat": value.get("lat"), "lon": value.get("lon")}


def check_visibility(value: dict[str, Any] | None) -> dict[str, Any]:
    fields = dict(DEFAULT_FIELD_AUDIENCES)
    listing, partners = "PUBLIC", []
    if value:
        listing = value.get("listing") or listing
        for item in value.get("fields") or []:
            fields[item["field"]] = item["audience"]
        partners = [
            check_id("Institution", p, field="visibility.partners")
            for p in value.get("partners") or []
        ]
    return {"listing": listing, "fields": fields, "partners": list(dict.fromkeys(partners))}
