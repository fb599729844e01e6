"""Checks on client input that every area shares: ids, text lengths, coordinates."""

from __future__ import annotations

import re

from resolvers.errors import HanaroError

__all__ = [
    "FORBIDDEN_IN_TEXT",
    "check_coordinates",
    "check_email",
    "check_id",
    "check_phone",
    "check_text",
    "check_unique_codes",
    "describe_forbidden",
]

_ID = re.compile(r"^[a-z]{3}_[0-9a-z]{6,40}$")
ID_PREFIXES = {
    "Resource": "res",
    "Institution": "ins",
    "Recipient": "rcp",
    "Consent": "cns",
    "Case": "cas",
    "Assessment": "asm",
    "Enrollment": "enr",
    "Referral": "ref",
    "CaseNote": "not",
    "Recommendation": "rcm",
    "Intake": "itk",
    "CrisisReport": "crr",
    "Application": "apl",
    "Conference": "cnf",
    "ConferenceSession": "ses",
    "ConferenceAction": "act",
}
# Characters that have no place in any text a client sends: NUL and the other C0 controls but
# tab, newline and carriage return; DEL and the C1 controls; lone surrogates (not characters;
# they cannot be encoded); U+FFFE and U+FFFF (noncharacters). One rule for every string input.
FORBIDDEN_IN_TEXT = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f\ud800-\udfff\ufffe\uffff]")
_EMAIL = re.compile(r"^[^@\s]{1,64}@[^@\s]{1,255}\.[^@\s]{2,}$")
_PHONE = re.compile(r"^[0-9+()\- ]{3,30}$")


def check_phone(value: str | None, *, field: str) -> str | None:
    if value is not None and not _PHONE.match(value):
        raise HanaroError.bad_input(
            f"{field} may hold only digits, spaces, +, -, ( and ) (3-30 characters).",
            field=field,
        )
    return value


def check_email(value: str | None, *, field: str) -> str | None:
    if value is not None and not _EMAIL.match(value):
        raise HanaroError.bad_input(f"{field} is not an e-mail address.", field=field)
    return value


def check_id(kind: str, value: str, *, field: str = "id") -> str:
    """Ids look like `res_0123abcd`; anything else is refused before it reaches the graph."""
    prefix = ID_PREFIXES[kind]
    if not _ID.match(value) or not value.startswith(prefix + "_"):
        raise HanaroError.bad_input(
            f"{field} {value[:60]!r} is not a valid {kind} id (expected '{prefix}_' followed "
            "by 6-40 lowercase letters or digits).",
            field=field,
        )
    return value


def check_text(
    value: str | None, *, field: str, max_length: int, required: bool = False
) -> str | None:
    if value is None:
        if required:
            raise HanaroError.bad_input(f"{field} is required.", field=field)
        return None
    stripped = value.strip()
    if required and not stripped:
        raise HanaroError.bad_input(f"{field} must not be empty.", field=field)
    if len(stripped) > max_length:
        raise HanaroError.bad_input(
            f"{field} is {len(stripped)} characters long; the limit is {max_length}.", field=field
        )
    return stripped or None


def check_coordinates(lat: float | None, lon: float | None, *, field: str) -> None:
    if (lat is None) != (lon is None):
        raise HanaroError.bad_input(f"{field}: give both lat and lon, or neither.", field=field)
    if lat is not None and not -90 <= lat <= 90:
        raise HanaroError.bad_input(
            f"{field}.lat {lat} is out of range (-90..90).", field=f"{field}.lat"
        )
    if lon is not None and not -180 <= lon <= 180:
        raise HanaroError.bad_input(
            f"{field}.lon {lon} is out of range (-180..180).", field=f"{field}.lon"
        )


def check_unique_codes(codes: list[str], *, field: str) -> list[str]:
    unique = list(dict.fromkeys(codes))
    if len(unique) != len(codes):
        raise HanaroError.bad_input(f"{field} lists a code twice.", field=field)
    return unique


def describe_forbidden(text: str) -> str | None:
    """`'U+0000 at position 3'` for the first character `FORBIDDEN_IN_TEXT` finds, or None."""
    found = FORBIDDEN_IN_TEXT.search(text)
    if found is None:
        return None
    return f"U+{ord(found.group()):04X} at position {found.start()}"
