"""Who may ask: every rule the application layer applies, as a named requirement, and the one
function that applies one (`demand`).

A requirement names what it asks of the viewer (and of facts the caller read, such as a case's
lead institution), the error that refuses it and its words. Resolvers demand requirements; the
schema's permission classes (`schema/permissions.py`) are made from the same objects, so the
field that declares a rule and the code that enforces it cannot drift apart. A few rules are
decided inside the one graph statement that writes (whether the institution holds the
recipient); they are named here without a test, and a resolver that finds a write refused
explains with their `refusal`. What a statement may read is `graph.access`'s."""

from __future__ import annotations

from collections.abc import Callable, Collection
from dataclasses import dataclass
from typing import Any

from resolvers.errors import ErrorCode, HanaroError
from vocabulary.access import DataCategory, Role, Viewer

__all__ = [
    "ACCESS_LOG_READER",
    "ACTING",
    "ACTING_ROLES",
    "APPLICATION_PARTY",
    "CASE_LEAD",
    "CASE_TABLER",
    "CASE_TEAM",
    "CONFERENCE_ORGANISER",
    "CONSENT_HOLDER",
    "INTAKE_HOLDER",
    "INTAKE_QUEUE",
    "MEMBER",
    "ORGANISER",
    "OUTREACH",
    "OUTREACH_OFFICES",
    "PLATFORM",
    "PROVIDER_STAFF",
    "READS",
    "READS_INTAKES",
    "REFERRAL_PARTY",
    "REGIONAL",
    "REQUIREMENTS",
    "RESOURCE_MANAGER",
    "RESOURCE_ROLES",
    "RESOURCE_WRITER",
    "SCAN_ADMIN",
    "SCAN_AREA",
    "SHARING",
    "STAFF",
    "WELFARE_OFFICES",
    "WORKING",
    "WORKING_ROLES",
    "Requirement",
    "demand",
    "reads",
]

# Who does what: casework (referrals, intakes, applications, conferences), resources, and the
# crisis reports village welfare planners find (REGISTRANT alone manages resources only).
ACTING_ROLES = frozenset({Role.CASEWORKER, Role.ADMIN})
RESOURCE_ROLES = frozenset({Role.REGISTRANT, Role.ADMIN})
WORKING_ROLES = ACTING_ROLES | {Role.VILLAGE_PLANNER}
# Public welfare offices (주민센터, 시청) organise care conferences and start scans of their
# area; with the 도청 they follow up recommendations.
WELFARE_OFFICES = frozenset({"COMMUNITY_CENTER", "CITY_HALL"})
OUTREACH_OFFICES = WELFARE_OFFICES | {"PROVINCIAL_OFFICE"}


class _Words(dict[str, str]):
    def __missing__(self, key: str) -> str:
        return "This request" if key == "Action" else "this request"


@dataclass(frozen=True, eq=False)
class Requirement:
    """One rule. `test(viewer, *facts)` admits or not (None: the graph statement decides);
    `needs` are demanded first (signed in before a role); `message` is formatted with the
    words the caller gives (`{action}`, `{Action}` capitalised) and those `words(viewer,
    *facts)` derives."""

    name: str
    code: ErrorCode
    message: str
    test: Callable[..., bool] | None = None
    needs: tuple[Requirement, ...] = ()
    words: Callable[..., dict[str, str]] | None = None

    def admits(self, viewer: Viewer, *facts: Any) -> bool:
        if self.test is None:
            raise TypeError(f"{self.name}: decided by the graph statement, not here")
        return self.test(viewer, *facts)

    def refusal(self, **words: str) -> HanaroError:
        """The error that refuses this requirement, in its words."""
        action = words.get("action")
        known = _Words(words, **({"Action": action.capitalize()} if action else {}))
        return HanaroError(self.code, self.message.format_map(known))


def demand(requirement: Requirement, viewer: Viewer, *facts: Any, **words: str) -> str:
    """Apply `requirement` (what it needs first) or raise its refusal; the viewer's
    institution id, which every requirement but the data gates implies."""
    for first in requirement.needs:
        demand(first, viewer, **words)
    if not requirement.admits(viewer, *facts):
        derived = requirement.words(viewer, *facts) if requirement.words else {}
        raise requirement.refusal(**{**derived, **words})
    return viewer.institution_id or ""


def _has(*roles: Role) -> Callable[[Viewer], bool]:
    wanted = frozenset(roles)
    return lambda viewer: bool(viewer.roles & wanted)


def _own(viewer: Viewer, institution: str | None) -> bool:
    return viewer.institution_id is not None and viewer.institution_id == institution


def _platform(viewer: Viewer) -> bool:
    return Role.PLATFORM_ADMIN in viewer.roles


_FORBIDDEN = ErrorCode.FORBIDDEN
_MANAGERS_ONLY = (
    "Only staff with role REGISTRANT or ADMIN of the providing institution may register or "
    "change its resources."
)

# --- the viewer alone --------------------------------------------------------------------
STAFF = Requirement(
    "signed-in staff",
    ErrorCode.UNAUTHENTICATED,
    "Sign in: {action} needs a bearer token.",
    lambda viewer: not viewer.anonymous and bool(viewer.institution_id),
)
PLATFORM = Requirement(
    "platform admin", _FORBIDDEN, "{Action} is for platform admins.", _platform, (STAFF,)
)
RESOURCE_WRITER = Requirement(
    "a resource role (REGISTRANT, ADMIN)", _FORBIDDEN, _MANAGERS_ONLY, _has(*RESOURCE_ROLES),
    (STAFF,),
)  # fmt: skip
ACTING = Requirement(
    "a casework role (CASEWORKER, ADMIN)",
    _FORBIDDEN,
    "{Action} needs the CASEWORKER or ADMIN role.",
    _has(*ACTING_ROLES),
    (STAFF,),
)
WORKING = Requirement(
    "a crisis-report role (CASEWORKER, ADMIN, VILLAGE_PLANNER)",
    _FORBIDDEN,
    "Working crisis reports needs the CASEWORKER, ADMIN or VILLAGE_PLANNER role.",
    _has(*WORKING_ROLES),
    (STAFF,),
)
SCAN_ADMIN = Requirement(
    "admin of a public welfare office, or platform admin",
    _FORBIDDEN,
    "{Action} is for admins of a public welfare office (주민센터, 시청) for their area, and "
    "for platform admins.",
    lambda viewer: (
        _platform(viewer)
        or (Role.ADMIN in viewer.roles and viewer.institution_kind in WELFARE_OFFICES)
    ),
    (STAFF,),
)
ORGANISER = Requirement(
    "a public welfare office organising care conferences",
    _FORBIDDEN,
    "Care conferences are organised by a 주민센터 or 시청.",
    lambda viewer: viewer.institution_kind in WELFARE_OFFICES,
    (ACTING,),
)
OUTREACH = Requirement(
    "a public welfare office following up recommendations",
    _FORBIDDEN,
    "Recommendations are followed up by the public welfare offices (주민센터, 시청) of the "
    "recipient's area.",
    lambda viewer: viewer.institution_kind in OUTREACH_OFFICES,
    (STAFF,),
)

# --- the viewer and what it asks about ---------------------------------------------------
RESOURCE_MANAGER = Requirement(
    "manager of the providing institution (REGISTRANT, ADMIN)",
    _FORBIDDEN,
    _MANAGERS_ONLY,
    lambda viewer, provider: viewer.manages(provider),
    (RESOURCE_WRITER,),
)
PROVIDER_STAFF = Requirement(
    "staff of the providing institution",
    _FORBIDDEN,
    "Only staff of the providing institution see a resource's visibility settings.",
    _own,
    (STAFF,),
)
REGIONAL = Requirement(
    "staff of the region (or platform admin)",
    _FORBIDDEN,
    "Regional figures are for staff of institutions that administer that region (or one "
    "above it), or are located there.",
    lambda viewer, ancestors: _platform(viewer) or viewer.authority_region in ancestors,
    (STAFF,),
)
SCAN_AREA = Requirement(
    "a region in the admin's own 시군구 (or platform admin)",
    _FORBIDDEN,
    "Name a region in your own 시군구: an office's admin scans only its area.",
    lambda viewer, region, area: _platform(viewer) or (region is not None and region in area),
    (STAFF,),
)
ACCESS_LOG_READER = Requirement(
    "admin of the registering or a case-leading institution (or platform admin)",
    _FORBIDDEN,
    "Only admins of the institution that registered the recipient or leads one of their "
    "cases, and platform admins, may read the access log.",
    lambda viewer, leads: (
        _platform(viewer) or (Role.ADMIN in viewer.roles and viewer.institution_id in leads)
    ),
    (STAFF,),
)

# --- a recipient's data ------------------------------------------------------------------
_WHAT = {
    DataCategory.IDENTITY: "identity",
    DataCategory.CONTACT: "contact details",
    DataCategory.NEEDS: "needs",
    DataCategory.HISTORY: "history",
    DataCategory.CASE_NOTES: "case notes",
}


def reads(allowed: Collection[str], category: str) -> bool:
    """The data gate: whether a record whose readable categories are `allowed` (as the graph
    found them for the viewer) shows `category`."""
    return category in allowed


# One gate per data category, for refusals and the schema's permission classes.
READS: dict[str, Requirement] = {
    category.value: Requirement(
        f"reads {category.value}",
        _FORBIDDEN,
        f"Your institution's access to this recipient does not include their {what}.",
        lambda viewer, allowed, wanted=category.value: reads(allowed, wanted),
    )
    for category, what in _WHAT.items()
}
# An intake holds what the person said and their basic needs survey: read under NEEDS, and
# listed in the 360° view with HISTORY (docs/intake.md).
READS_INTAKES = Requirement(
    "reads HISTORY and NEEDS",
    _FORBIDDEN,
    "Your institution's access to this recipient does not include both their history and "
    "their needs, which their intakes hold.",
    lambda viewer, allowed: reads(allowed, "HISTORY") and reads(allowed, "NEEDS"),
)
SHARING = Requirement(
    "shares only what it reads",
    _FORBIDDEN,
    "Your institution may not read {categories} of this recipient, so it cannot share them.",
    lambda viewer, allowed, shared: set(shared) <= set(allowed),
    words=lambda viewer, allowed, shared: {
        "categories": ", ".join(c for c in shared if c not in allowed)
    },
)
MEMBER = Requirement(
    "the registering institution or one on an open case",
    _FORBIDDEN,
    "Only the institutions that registered the recipient or work on one of their cases see "
    "their consents.",
    lambda viewer, member: bool(member),
)
CONSENT_HOLDER = Requirement(
    "the registering or a case-leading institution",
    _FORBIDDEN,
    "Only the institution that registered the recipient or leads one of their cases records "
    "or revokes consents.",
)

# --- the parties of a record -------------------------------------------------------------
CASE_LEAD = Requirement(
    "lead of the case", _FORBIDDEN, "Only the lead institution of the case may change it.", _own
)
CASE_TEAM = Requirement(
    "lead or participant of the case",
    _FORBIDDEN,
    "Only the lead and participating institutions add case notes.",
)
CASE_TABLER = Requirement(
    "lead of an open case, with consent or a legal basis",
    _FORBIDDEN,
    "Only the lead institution of an open case tables it, with a live consent of the person "
    "or a legal basis.",
)
CONFERENCE_ORGANISER = Requirement(
    "organiser of the conference", _FORBIDDEN, "Only the organiser {action}.", _own
)
REFERRAL_PARTY = Requirement(
    "the party that makes this move",
    _FORBIDDEN,
    "Only the {side} institution may move a referral to {status}.",
    _own,
)
INTAKE_QUEUE = Requirement(
    "an institution whose queue holds the intake",
    _FORBIDDEN,
    "The intake is no longer in your queue.",
    lambda viewer, queue: viewer.institution_id in queue,
)
INTAKE_HOLDER = Requirement(
    "the institution that picked the intake up",
    _FORBIDDEN,
    "Only the institution that picked the intake up closes it.",
    _own,
)
APPLICATION_PARTY = Requirement(
    "the side that takes this step", _FORBIDDEN, "Only {who} may do this.", _own
)

REQUIREMENTS: tuple[Requirement, ...] = (
    STAFF, PLATFORM, RESOURCE_WRITER, ACTING, WORKING, SCAN_ADMIN, ORGANISER, OUTREACH,
    RESOURCE_MANAGER, PROVIDER_STAFF, REGIONAL, SCAN_AREA, ACCESS_LOG_READER, *READS.values(),
    READS_INTAKES, SHARING, MEMBER, CONSENT_HOLDER, CASE_LEAD, CASE_TEAM, CASE_TABLER,
    CONFERENCE_ORGANISER, REFERRAL_PARTY, INTAKE_QUEUE, INTAKE_HOLDER, APPLICATION_PARTY,
)  # fmt: skip
