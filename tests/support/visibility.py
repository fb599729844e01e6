"""The visibility oracle, independent of `graph.access`: the audiences, the test viewers and
institutions, who belongs to which audience of a resource, and scenarios to draw; with the
setResourceVisibility mutation and an urgent referral that needs no consent."""

from __future__ import annotations

from typing import Any

from hypothesis import strategies as st

from tests.support.referrals import referral_input

AUDIENCES = ["PUBLIC", "AUTHENTICATED", "REGION", "PARTNERS", "OWNER"]

FIELDS = {
    "DESCRIPTION": "description",
    "CONTACT": "contact",
    "ADDRESS": "address",
    "CAPACITY": "capacity",
    "SCHEDULE": "schedule",
    "ELIGIBILITY": "eligibility",
    "INTERNAL_NOTES": "internalNotes",
}
# Each field's audience when the registrant sets none.
DEFAULTS = {
    "description": "PUBLIC",
    "schedule": "PUBLIC",
    "eligibility": "PUBLIC",
    "address": "PUBLIC",
    "contact": "AUTHENTICATED",
    "capacity": "PARTNERS",
    "internalNotes": "OWNER",
}

# Where each test institution is, with every region above it (from graph/seed/regions.json).
REGION_CHAINS = {
    "ins_owner01": {"5011025000", "50110", "50"},
    "ins_region01": {"5011031000", "50110", "50"},
    "ins_partner01": {"5013051000", "50130", "50"},
    "ins_other001": {"5013025000", "50130", "50"},
}

SERVABLE = ["5011025000", "5011031000", "50110", "50130", "5013025000", "50"]

# Where a resource may be: at the test institutions (inside every distance ring) or ~28 km off.
PLACES = {"near": (33.5, 126.5), "far": (33.25, 126.56)}

VIEWERS = {
    "anonymous": None,
    "owner caseworker": ("ins_owner01", "CASEWORKER"),
    "owner admin": ("ins_owner01", "ADMIN"),
    "region staff": ("ins_region01", "CASEWORKER"),
    "partner staff": ("ins_partner01", "CASEWORKER"),
    "unrelated staff": ("ins_other001", "CASEWORKER"),
    "admin elsewhere": ("ins_other001", "ADMIN"),
}


def relation(
    viewer: tuple[str, str] | None, provider: str, served: list[str], partners: list[str]
) -> int:
    """The oracle: the narrowest audience (index in AUDIENCES) the viewer belongs to."""
    if viewer is None:
        return 0
    institution = viewer[0]
    if institution == provider:
        return 4
    if institution in partners:
        return 3
    if REGION_CHAINS[institution] & set(served):
        return 2
    return 1


def secrets_for(marker: str) -> dict[str, str]:
    """A unique value per controlled field, to look for in response bytes."""
    return {
        "description": f"DESC-{marker}",
        "contact": f"CONTACT-{marker}",
        "address": f"ADDR-{marker}",
        "capacity": str(9_000_000 + int(marker[:5], 16) % 999_999),
        "schedule": f"SCHED-{marker}",
        "eligibility": f"ELIG-{marker}",
        "internalNotes": f"NOTE-{marker}",
    }


scenarios = st.fixed_dictionaries(
    {
        "listing": st.sampled_from(AUDIENCES),
        "fields": st.dictionaries(st.sampled_from(list(FIELDS)), st.sampled_from(AUDIENCES)),
        "served": st.lists(st.sampled_from(SERVABLE), min_size=1, max_size=3, unique=True),
        "partners": st.lists(
            st.sampled_from(["ins_region01", "ins_partner01", "ins_other001"]), unique=True
        ),
        "place": st.sampled_from(list(PLACES)),
        # Registered open, linked from enrollments and referrals, then narrowed with
        # setResourceVisibility (instead of registered with its settings).
        "later": st.booleans(),
    }
)


# An urgent referral to the owner (no consent needed), from the recipient `rid`.
def urgent_to_owner(rid: str, **overrides: Any) -> dict[str, Any]:
    return referral_input(
        rid, toInstitutionId="ins_owner01", sharedCategories=["IDENTITY"], urgent=True,
        urgentReason="결식 위험", **overrides,
    )  # fmt: skip


SET_VISIBILITY = """mutation($id: ID!, $v: Int!, $listing: Audience, $fields: [FieldAudienceInput!],
                          $partners: [ID!]) {
  setResourceVisibility(resourceId: $id, expectedVersion: $v, listing: $listing,
                        fields: $fields, partners: $partners) {
    version visibility { listing fields { field audience } partners } withheldFields
  }
}"""
