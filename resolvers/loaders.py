"""The request's batch loaders, one per distinct batch read, named for what they load and by
what (`CasesByIdLoader`, `CaseNotesByCaseLoader`).

Each batch calls the resolvers (or graph) function that applies the read's access rule to the
request's viewer, so a loader returns what that function returns: nothing for a viewer
without a relation to the data (institutions aside: their directory is public). A nested
list (a recipient's cases, a conference's sessions) loads for every parent of the response
in one round trip, and a key loads once per request. Loaders whose rule is their parent's
say so: they are reached only from a parent the viewer has read under its own check, and
the schema field checks what that parent allows."""

from __future__ import annotations

from collections.abc import Callable, Hashable, Mapping
from typing import TYPE_CHECKING, Any, Generic, NamedTuple, TypeVar, cast

from strawberry.dataloader import DataLoader

from graph.institutions import institutions_by_ids
from graph.resources import resources_by_ids
from resolvers import applications as resolve_applications
from resolvers import assessments as resolve_assessments
from resolvers import cases as resolve_cases
from resolvers import conferences as resolve_conferences
from resolvers import consents as resolve_consents
from resolvers import crisis_reports as resolve_crisis_reports
from resolvers import enrollments as resolve_enrollments
from resolvers import intakes as resolve_intakes
from resolvers import recipients as resolve_recipients
from resolvers import referrals as resolve_referrals
from resolvers import resources as resolve_resources

if TYPE_CHECKING:
    from resolvers.context import RequestContext

__all__ = [
    "ApplicationsByIdLoader",
    "AssessmentsByRecipientLoader",
    "CaseNoteKey",
    "CaseNotesByCaseLoader",
    "CasesByIdLoader",
    "CasesByRecipientLoader",
    "ConferenceActionsBySessionLoader",
    "ConferenceSessionsByConferenceLoader",
    "ConsentsByRecipientLoader",
    "CrisisReportsByIdLoader",
    "EnrollmentsByRecipientLoader",
    "InstitutionsByIdLoader",
    "IntakesByIdLoader",
    "IntakesByRecipientLoader",
    "Loaders",
    "RecipientsByIdLoader",
    "ReferralDetailsByIdLoader",
    "ReferralsByIdLoader",
    "ReferralsByRecipientLoader",
    "ResourcesByIdLoader",
]

Row = dict[str, Any]
K = TypeVar("K", bound=Hashable)
V = TypeVar("V")
L = TypeVar("L", bound=DataLoader[Any, Any])


def _each(keys: list[str], found: Mapping[str, Row]) -> list[Row | None]:
    """One record or None per key, in the keys' order (what a DataLoader answers)."""
    return [found.get(k) for k in keys]


def _lists(keys: list[str], found: Mapping[str, list[Row]]) -> list[list[Row]]:
    """One list per parent key, empty for parents without children."""
    return [found.get(k, []) for k in keys]


def _grouped(
    keys: list[str], rows: list[Row], parent: str, record: Callable[[Any], Row] = dict
) -> list[list[Row]]:
    """Rows of `(parent id, props)` -> one list of `record(props)` per parent key."""
    found: dict[str, list[Row]] = {k: [] for k in keys}
    for row in rows:
        found[row[parent]].append(record(row["props"]))
    return [found[k] for k in keys]


class _Loader(DataLoader[K, V]):
    """A loader of one request: `read` (not `batch`, which DataLoader keeps its pending
    batch in) reads each batch of keys as that request's viewer."""

    def __init__(self, ctx: RequestContext) -> None:
        self.ctx = ctx
        super().__init__(self.read)

    async def read(self, keys: list[K]) -> list[V]:
        raise NotImplementedError


class InstitutionsByIdLoader(_Loader[str, Row | None]):
    """Institutions by id. No rule: the institution directory is public."""

    async def read(self, ids: list[str]) -> list[Row | None]:
        return _each(ids, await institutions_by_ids(self.ctx.graph, list(ids)))


class ResourcesByIdLoader(_Loader[str, Row | None]):
    """Resources by id: those listed to the viewer; hidden and unknown ids alike are None.
    Callers still `present` the record (fields shown to narrower audiences)."""

    async def read(self, ids: list[str]) -> list[Row | None]:
        found = await resources_by_ids(self.ctx.graph, self.ctx.access, list(ids))
        resolve_resources.prime_providers(self.ctx, list(found.values()))
        return _each(ids, found)


class RecipientsByIdLoader(_Loader[str, Row | None]):
    """Recipients by id, for one set of requested categories (the audit names them, so
    each set has its own loader: `Loaders.recipients_by_id(categories)`). Entitled
    recipients only, cut to the categories the viewer may read; one audited read per batch."""

    def __init__(self, ctx: RequestContext, categories: tuple[str, ...]) -> None:
        super().__init__(ctx)
        self.categories = categories

    async def read(self, ids: list[str]) -> list[Row | None]:
        found = await resolve_recipients.get_recipients(self.ctx, list(ids), list(self.categories))
        return _each(ids, found)


class AssessmentsByRecipientLoader(_Loader[str, list[Row]]):
    """A recipient's assessments, newest first. The parent's rule: for recipients read under
    the access check with NEEDS allowed."""

    async def read(self, ids: list[str]) -> list[list[Row]]:
        return _lists(ids, await resolve_assessments.assessments_of_recipients(self.ctx, list(ids)))


class EnrollmentsByRecipientLoader(_Loader[str, list[Row]]):
    """A recipient's enrollments, newest first. The parent's rule: for recipients read under
    the access check with HISTORY allowed."""

    async def read(self, ids: list[str]) -> list[list[Row]]:
        return _lists(ids, await resolve_enrollments.enrollments_of_recipients(self.ctx, list(ids)))


class CasesByRecipientLoader(_Loader[str, list[Row]]):
    """A recipient's cases, newest first. The parent's rule: for recipients read under the
    access check with HISTORY allowed (notes: CaseNotesByCaseLoader)."""

    async def read(self, ids: list[str]) -> list[list[Row]]:
        return _lists(ids, await resolve_cases.cases_of_recipients(self.ctx, list(ids)))


class ReferralsByRecipientLoader(_Loader[str, list[Row]]):
    """A recipient's referrals, newest first (due ones expire first). The parent's rule: for
    recipients read under the access check with HISTORY allowed."""

    async def read(self, ids: list[str]) -> list[list[Row]]:
        return _lists(ids, await resolve_referrals.referrals_of_recipients(self.ctx, list(ids)))


class IntakesByRecipientLoader(_Loader[str, list[Row]]):
    """A recipient's intakes, newest first. The parent's rule: for recipients read under the
    access check with HISTORY allowed."""

    async def read(self, ids: list[str]) -> list[list[Row]]:
        return _lists(ids, await resolve_intakes.intakes_of_recipients(self.ctx, list(ids)))


class ConsentsByRecipientLoader(_Loader[str, list[Row]]):
    """A recipient's consents. The parent's rule: for recipients read under the access check
    by an institution that holds them (`member`)."""

    async def read(self, ids: list[str]) -> list[list[Row]]:
        return _lists(ids, await resolve_consents.consents_of_recipients(self.ctx, list(ids)))


class CasesByIdLoader(_Loader[str, Row | None]):
    """Cases by id (`_entities`, tabled cases): those whose recipient's HISTORY the viewer
    may read, each with `notesAllowed` (CASE_NOTES); one read audited as HISTORY per batch."""

    async def read(self, ids: list[str]) -> list[Row | None]:
        return _each(ids, await resolve_cases.get_cases(self.ctx, list(ids)))


class CaseNoteKey(NamedTuple):
    case_id: str
    # The case's recipient when the case was read with CASE_NOTES allowed, else "".
    notes_of: str


class CaseNotesByCaseLoader(_Loader[CaseNoteKey, list[Row]]):
    """A case's notes, oldest first: all of them for the lead institution; for others the
    PARTICIPANTS notes, and only when the key names the recipient, which the parent's rule
    decides (the case was read with CASE_NOTES allowed)."""

    async def read(self, keys: list[CaseNoteKey]) -> list[list[Row]]:
        found = await resolve_cases.notes_of_cases(
            self.ctx, [k.case_id for k in keys], [k.notes_of for k in keys if k.notes_of]
        )
        return _lists([k.case_id for k in keys], found)


class ReferralsByIdLoader(_Loader[str, Row | None]):
    """Referrals by id: those the viewer's institution sent or received (due ones expire
    first)."""

    async def read(self, ids: list[str]) -> list[Row | None]:
        return _each(ids, await resolve_referrals.get_referrals(self.ctx, list(ids)))


class ReferralDetailsByIdLoader(_Loader[str, Row | None]):
    """A referral's needs, message and urgent reason: when the viewer may read the
    recipient's NEEDS; one read audited per batch."""

    async def read(self, ids: list[str]) -> list[Row | None]:
        return _each(ids, await resolve_referrals.referral_details(self.ctx, list(ids)))


class IntakesByIdLoader(_Loader[str, Row | None]):
    """Intakes by id: of the viewer institution's queue or of a recipient whose HISTORY it
    reads, with NEEDS allowed either way; one read audited per batch."""

    async def read(self, ids: list[str]) -> list[Row | None]:
        return _each(ids, await resolve_intakes.get_intakes(self.ctx, list(ids)))


class ApplicationsByIdLoader(_Loader[str, Row | None]):
    """Applications by id: those the viewer's institution took or must decide; one read
    audited (IDENTITY) per batch."""

    async def read(self, ids: list[str]) -> list[Row | None]:
        return _each(ids, await resolve_applications.get_applications(self.ctx, list(ids)))


class CrisisReportsByIdLoader(_Loader[str, Row | None]):
    """Crisis reports by id: those assigned to the viewer's institution; one read audited per
    batch."""

    async def read(self, ids: list[str]) -> list[Row | None]:
        return _each(ids, await resolve_crisis_reports.get_reports(self.ctx, list(ids)))


class ConferenceSessionsByConferenceLoader(_Loader[str, list[Row]]):
    """A conference's sessions, earliest first. The parent's rule: for conferences read
    under the membership check."""

    async def read(self, ids: list[str]) -> list[list[Row]]:
        rows = await resolve_conferences.sessions_of(self.ctx, list(ids))
        return _grouped(ids, rows, "conferenceId", resolve_conferences.session_record)


class ConferenceActionsBySessionLoader(_Loader[str, list[Row]]):
    """The actions decided at a session. The parent's rule: for sessions of conferences read
    under the membership check."""

    async def read(self, ids: list[str]) -> list[list[Row]]:
        rows = await resolve_conferences.actions_of_sessions(self.ctx, list(ids))
        return _grouped(ids, rows, "sessionId")


class _Made(Generic[L]):
    """A loader of the holder, made on first use: an unused loader costs nothing."""

    def __init__(self, kind: type[L]) -> None:
        self.kind = kind
        self.name = ""

    def __set_name__(self, owner: type[Loaders], name: str) -> None:
        self.name = name

    def __get__(self, holder: Loaders, owner: type[Loaders]) -> L:
        made = holder.made.get(self.name)
        if made is None:
            made = holder.made[self.name] = self.kind(holder.ctx)
        return cast(L, made)


class Loaders:
    """The loaders of one request (`ctx.loaders`): they batch and cache within it only."""

    institutions_by_id = _Made(InstitutionsByIdLoader)
    resources_by_id = _Made(ResourcesByIdLoader)
    assessments_by_recipient = _Made(AssessmentsByRecipientLoader)
    enrollments_by_recipient = _Made(EnrollmentsByRecipientLoader)
    cases_by_recipient = _Made(CasesByRecipientLoader)
    referrals_by_recipient = _Made(ReferralsByRecipientLoader)
    intakes_by_recipient = _Made(IntakesByRecipientLoader)
    consents_by_recipient = _Made(ConsentsByRecipientLoader)
    cases_by_id = _Made(CasesByIdLoader)
    case_notes_by_case = _Made(CaseNotesByCaseLoader)
    referrals_by_id = _Made(ReferralsByIdLoader)
    referral_details_by_id = _Made(ReferralDetailsByIdLoader)
    intakes_by_id = _Made(IntakesByIdLoader)
    applications_by_id = _Made(ApplicationsByIdLoader)
    crisis_reports_by_id = _Made(CrisisReportsByIdLoader)
    conference_sessions_by_conference = _Made(ConferenceSessionsByConferenceLoader)
    conference_actions_by_session = _Made(ConferenceActionsBySessionLoader)

    def __init__(self, ctx: RequestContext) -> None:
        self.ctx = ctx
        self.made: dict[str, DataLoader[Any, Any]] = {}
        self._recipients: dict[tuple[str, ...], RecipientsByIdLoader] = {}

    def recipients_by_id(self, categories: list[str]) -> RecipientsByIdLoader:
        """The recipients loader of the categories a query requested (see
        `RecipientsByIdLoader`: one audit event per set of requested categories)."""
        key = tuple(categories)
        found = self._recipients.get(key)
        if found is None:
            found = self._recipients[key] = RecipientsByIdLoader(self.ctx, key)
        return found

    def forget(self) -> None:
        """Drop every loader and what it cached: the next read goes to the graph afresh."""
        self.made.clear()
        self._recipients.clear()
