"""The access conditions of every statement in graph/, and the one object whose parameters
they all take.

Like NetBox's `restrict()`: no function in graph/ reads or changes resources, recipients or
their records without putting the matching condition below into the `WHERE` of the same
statement, and a read or change of recipient data writes its `AuditEvent` in that statement
too, so no path can forget either. `GraphAccess` says who is asking and when; every statement
takes its parameters from `GraphAccess.params`, so `$viewerInst` means the same everywhere.

Conditions are kept flat: FalkorDB cannot match patterns inside `WHERE`, and flat conditions
read the same on both engines."""

from __future__ import annotations

import itertools
import uuid
from collections.abc import Iterable, Iterator, Mapping
from dataclasses import dataclass, field, replace
from datetime import UTC, datetime
from typing import Any

from vocabulary.access import CATEGORIES, Audience, Viewer

__all__ = [
    "RECIPIENT_ALLOWED",
    "REFERRAL_PARTY",
    "RESOURCE_LISTED",
    "GraphAccess",
    "audited",
    "entitlement",
    "intake_reader",
    "party",
    "shown_to_viewer",
]


def shown_to_viewer(column: str) -> str:
    """The condition that the audience held in property `r.<column>` admits the viewer.
    Anonymous viewers have no institution ("") and no regions, so only PUBLIC admits them."""
    return f"""(r.{column} = '{Audience.PUBLIC}'
  OR ($viewerStaff AND r.{column} = '{Audience.AUTHENTICATED}')
  OR r.providerId = $viewerInst
  OR ($viewerInst IN r.partners AND r.{column} IN ['{Audience.REGION}', '{Audience.PARTNERS}'])
  OR (r.{column} = '{Audience.REGION}'
      AND any(code IN r.servedRegionCodes WHERE code IN $viewerRegions)))"""


# The listing condition for a resource `r`: who may know it exists.
RESOURCE_LISTED = shown_to_viewer("visListing")


# `allowed`: the data categories the viewer's institution may read of recipient `p`. Members
# (registering institution, open-case lead or participant) read everything; consents and
# accepted referrals grant the categories they name. The grants are properties of `p` that
# every granting write keeps current (see graph/recipients.py).
def entitlement(*carry: str) -> str:
    """Cypher that keeps recipient `p` (and the `carry` variables) only for an entitled
    viewer, with `allowed` and `member` in scope."""
    kept = "".join(f", {name}" for name in carry)
    return f"""WITH p{kept}, (p.registeredBy = $viewerInst OR $viewerInst IN p.caseInstitutions)
  AS member,
  [c IN p.consentGrants WHERE (c STARTS WITH $instKey OR c STARTS WITH $kindKey)
     AND toInteger(split(c, '|')[2]) > $nowMs | split(c, '|')[1]] AS consented,
  [g IN p.referralGrants WHERE g STARTS WITH $referralKey | split(g, '|')[1]] AS referred
WITH p{kept}, member,
  CASE WHEN member THEN $allCategories ELSE consented + referred END AS allowed
WHERE size(allowed) > 0"""


RECIPIENT_ALLOWED = entitlement()


def intake_reader(*carry: str) -> str:
    """Keeps intake `k` of recipient `p` (and the `carry` variables) only for the viewers
    docs/intake.md gives it: read under NEEDS, by the institutions whose queue holds it and by
    the recipient's HISTORY readers; for everyone else it does not exist, whatever they ask
    (a read, a change, why a change was refused)."""
    return f"""{entitlement("k", *carry)} AND 'NEEDS' IN allowed
  AND ($viewerInst IN k.queue OR 'HISTORY' IN allowed)"""


def party(*sides: str) -> str:
    """The condition that the viewer's institution is one of the `sides` (properties holding
    an institution id) of a record shared by institutions, such as a referral."""
    return "(" + " OR ".join(f"{side} = $viewerInst" for side in sides) + ")"


# A referral `f` is its sender's and its target's.
REFERRAL_PARTY = party("f.fromInstitutionId", "f.toInstitutionId")


def audited(
    audit_id: str = "$auditPrefix + p.id",
    extra: str = "",
    *,
    entity: str = "Recipient",
    entity_id: str = "p.id",
    categories: str = "[c IN $requested WHERE c IN allowed]",
    actor: str = "$actor",
    institution: str = "$viewerInst",
) -> str:
    """The audit event of reading or changing a record (recipient `p` unless `entity` and
    `entity_id` say otherwise), written in the statement that reads or changes it; by default
    for a statement with `allowed` in scope, recording the requested categories it allows.
    `extra`: more `key: value` pairs, written in the CREATE like the rest (see
    `graph.engine.inline_properties`). Parameters from `GraphAccess.params(audited=True)`."""
    more = f", {extra}" if extra else ""
    return f"""CREATE (a:AuditEvent {{id: {audit_id}, entity: '{entity}', entityId: {entity_id},
  operation: $operation, actor: {actor}, institutionId: {institution}, requestId: $requestId,
  categories: {categories}, occurredAt: $now{more}}})"""


def _iso(ms: int) -> str:
    """UTC, millisecond precision, sortable as text (the format of every stored time)."""
    moment = datetime.fromtimestamp(ms / 1000, UTC)
    return moment.isoformat(timespec="milliseconds").replace("+00:00", "Z")


def _audit_prefix(now_ms: int) -> str:
    """Audit ids begin with the time, so the access log (ordered by id) reads in order."""
    return f"aud_{now_ms:013d}{uuid.uuid4().hex[:10]}"


@dataclass(frozen=True)
class GraphAccess:
    """Who a statement acts for and when: the parameters of every condition above and of
    the audit event. Made once per request from the viewer (`of`), or for the system's own
    tasks (`system`); `audit` names what one statement records."""

    institution: str = ""
    staff: bool = False
    # Regions that make a REGION audience admit the viewer (`Viewer.regional_codes`).
    regions: tuple[str, ...] = ()
    institution_kind: str = ""
    now_ms: int = 0
    actor: str = ""
    request_id: str = ""
    # Each audited statement extends it with a sequence number (so the statements of one
    # request log in the order they ran) and the audit event's own entity id.
    audit_prefix: str = ""
    is_system: bool = False
    operation: str | None = None
    requested: tuple[str, ...] = ()
    reason: str | None = None
    _sequence: Iterator[int] = field(default_factory=itertools.count, compare=False, repr=False)

    @classmethod
    def of(cls, viewer: Viewer, *, now_ms: int) -> GraphAccess:
        return cls(
            institution=viewer.institution_id or "",
            staff=not viewer.anonymous,
            regions=viewer.regional_codes,
            institution_kind=viewer.institution_kind,
            now_ms=now_ms,
            actor=viewer.subject or "",
            request_id=viewer.request_id,
            audit_prefix=_audit_prefix(now_ms),
        )

    @classmethod
    def system(
        cls, *, actor: str, now_ms: int, request_id: str = "", audit_prefix: str = ""
    ) -> GraphAccess:
        """The system itself (expiry sweeps, escalation, scans, bulk loads, the search sync):
        no institution, so the conditions above admit it no further than an anonymous viewer;
        the statements meant for it check `require_system` instead. `audit_prefix`: fixed
        audit ids, for loads run twice."""
        return cls(
            now_ms=now_ms,
            actor=actor,
            request_id=request_id or actor,
            audit_prefix=audit_prefix or _audit_prefix(now_ms),
            is_system=True,
        )

    def at(self, now_ms: int) -> GraphAccess:
        """The same viewer at another time (loaders that write a dated history), its audit
        ids beginning with that time."""
        return replace(self, now_ms=now_ms, audit_prefix=_audit_prefix(now_ms))

    def audit(
        self, operation: str, requested: Iterable[str] = (), *, reason: str | None = None
    ) -> GraphAccess:
        """For one audited statement: the operation it records, the categories it asks for
        (the event names those the viewer may read) and an optional reason."""
        return replace(self, operation=operation, requested=tuple(requested), reason=reason)

    def require_system(self, what: str) -> None:
        if not self.is_system:
            raise PermissionError(f"{what} is for the system's own tasks (GraphAccess.system)")

    def params(
        self, statement: Mapping[str, Any] | None = None, *, audited: bool = False
    ) -> dict[str, Any]:
        """A statement's parameters: its own (`statement`) and the access parameters, which
        no statement may set itself (so no caller can stand in for another institution or
        time). `audited`: with the audit event's, which need `audit(...)` first and get an
        id prefix of their own."""
        own = dict(statement or {})
        found: dict[str, Any] = {
            "viewerStaff": self.staff,
            "viewerInst": self.institution,
            "viewerRegions": list(self.regions),
            "instKey": f"inst:{self.institution}|",
            "kindKey": f"kind:{self.institution_kind}|",
            "referralKey": f"{self.institution}|",
            "nowMs": self.now_ms,
            "now": _iso(self.now_ms),
            "allCategories": list(CATEGORIES),
        }
        if audited:
            if self.operation is None:
                raise ValueError("an audited statement needs access.audit(operation, requested)")
            found |= self._audit_params()
        clash = sorted(own.keys() & found.keys())
        if clash:
            raise ValueError(f"parameters {clash} are the access object's, not the statement's")
        return own | found

    def _audit_params(self) -> dict[str, Any]:
        return {
            "operation": self.operation,
            "actor": self.actor,
            "requestId": self.request_id,
            "requested": list(self.requested),
            "auditPrefix": f"{self.audit_prefix}{next(self._sequence):03d}_",
            "auditReason": self.reason,
        }
