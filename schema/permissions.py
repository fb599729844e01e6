"""The access rules of `resolvers.access` as Strawberry permission classes, put on every
staff-only field where it is declared.

Each class wraps one requirement and brings `@authenticated` into the SDL (every requirement
implies a signed-in caller), so the router-level declaration sits exactly where the rule does;
the resolvers still demand the same requirements, so Hanaro never relies on a router.

- `gate(P, action)`: the field refuses with the requirement's error (what it needs first,
  first: signed in before a role), `extensions.code` as the resolvers raise it.
- `quiet(P)` and `withheld(P)`: a refused caller gets nothing — null, or an empty page — where
  the field always answered so, and learns no more than from an unknown id."""

from __future__ import annotations

from typing import Any, ClassVar

from strawberry.federation.schema_directives import Authenticated
from strawberry.permission import BasePermission, PermissionExtension
from strawberry.types import Info
from strawberry.types.base import StrawberryOptional, get_object_definition
from strawberry.types.field import StrawberryField

from resolvers import access
from resolvers.access import Requirement
from resolvers.context import RequestContext
from resolvers.pagination import Page
from schema.pagination import Connection, connection

__all__ = [
    "DoesCasework",
    "Gate",
    "ManagesResources",
    "MemberOfRecipient",
    "OrganisesConferences",
    "ReadsHistory",
    "ReadsIntakes",
    "ReadsNeeds",
    "Requires",
    "RunsMembershipScans",
    "SignedIn",
    "StaffOfProvider",
    "WorksCrisisReports",
    "gate",
    "quiet",
    "withheld",
]


class Requires(BasePermission):
    """One requirement of `resolvers.access`, as a permission of one field."""

    requirement: ClassVar[Requirement]
    _schema_directive = Authenticated()

    def __init_subclass__(cls, **kwargs: Any) -> None:
        super().__init_subclass__(**kwargs)
        cls.error_extensions = {"code": cls.requirement.code.value}

    def __init__(self, action: str = "") -> None:
        self.action = action
        self.message = self.requirement.refusal(action=action).message

    def facts(self, source: Any) -> tuple[Any, ...]:
        """What the requirement asks about besides the viewer, read from the parent object."""
        return ()

    def has_permission(self, source: Any, info: Info[RequestContext, None], **_: Any) -> bool:
        return self.requirement.admits(info.context.viewer, *self.facts(source))

    def on_unauthorized(self) -> None:
        raise self.requirement.refusal(action=self.action)


class SignedIn(Requires):
    requirement = access.STAFF


class ManagesResources(Requires):
    requirement = access.RESOURCE_WRITER


class DoesCasework(Requires):
    requirement = access.ACTING


class WorksCrisisReports(Requires):
    requirement = access.WORKING


class RunsMembershipScans(Requires):
    requirement = access.SCAN_ADMIN


class OrganisesConferences(Requires):
    requirement = access.ORGANISER


class StaffOfProvider(Requires):
    """On a `Resource`: staff of the institution that provides it."""

    requirement = access.PROVIDER_STAFF

    def facts(self, source: Any) -> tuple[Any, ...]:
        return (source.provider_id,)


class MemberOfRecipient(Requires):
    """On a `Recipient`: the registering institution or one on an open case."""

    requirement = access.MEMBER

    def facts(self, source: Any) -> tuple[Any, ...]:
        return (source.member,)


class ReadsNeeds(Requires):
    """On a `Recipient`: the viewer's access includes NEEDS."""

    requirement = access.READS["NEEDS"]

    def facts(self, source: Any) -> tuple[Any, ...]:
        return (source.allowed,)


class ReadsHistory(Requires):
    """On a `Recipient`: the viewer's access includes HISTORY."""

    requirement = access.READS["HISTORY"]

    def facts(self, source: Any) -> tuple[Any, ...]:
        return (source.allowed,)


class ReadsIntakes(Requires):
    """On a `Recipient`: the viewer's access includes HISTORY and NEEDS (its intakes)."""

    requirement = access.READS_INTAKES

    def facts(self, source: Any) -> tuple[Any, ...]:
        return (source.allowed,)


_CLASSES: dict[Requirement, type[Requires]] = {
    c.requirement: c
    for c in (SignedIn, ManagesResources, DoesCasework, WorksCrisisReports,
              RunsMembershipScans, OrganisesConferences, StaffOfProvider, MemberOfRecipient,
              ReadsNeeds, ReadsHistory, ReadsIntakes)
}  # fmt: skip


def _chain(permission: type[Requires], action: str) -> list[Requires]:
    """The permission after those of what its requirement needs first, each once."""
    chain: list[Requires] = []
    for first in permission.requirement.needs:
        for earlier in _chain(_CLASSES[first], action):
            if type(earlier) not in {type(p) for p in chain}:
                chain.append(earlier)
    return [*chain, permission(action)]


class Gate(PermissionExtension):
    """Strawberry's permission extension, with two quiet ways to refuse:

    - `quiet`: the resolver does not run; a nullable field answers null (a list too, as the
      resolvers did, not Strawberry's []).
    - `withheld`: the resolver runs, so its argument checks answer every caller alike (a
      malformed id is BAD_USER_INPUT for anyone), and a refused caller gets nothing of what
      it returns: null, or an empty page for a connection (Strawberry cannot fail silently
      on a non-null object)."""

    def __init__(
        self, permissions: list[Requires], *, quiet: bool = False, withheld: bool = False
    ) -> None:
        super().__init__(permissions, fail_silently=quiet)
        self.withheld = withheld
        self.connection = False

    def apply(self, field: StrawberryField) -> None:
        super().apply(field)
        self.connection = _is_connection(field.type)
        if self.withheld and not (self.connection or isinstance(field.type, StrawberryOptional)):
            raise TypeError(f"{field.python_name}: only a nullable field or a page is withheld")
        if isinstance(field.type, StrawberryOptional):
            self.return_empty_list = False

    def _admits(self, source: Any, info: Info[RequestContext, None], kwargs: Any) -> bool:
        return all(p.has_permission(source, info, **kwargs) for p in self.permissions)

    def _nothing(self, answer: Any) -> Any:
        if not self.connection:
            return None
        previous = answer.page_info.has_previous_page
        return connection(Page([], False, previous, _none), lambda item: item)

    def resolve(
        self, next_: Any, source: Any, info: Info[RequestContext, None], **kwargs: Any
    ) -> Any:
        if not self.withheld:
            return super().resolve(next_, source, info, **kwargs)
        answer = next_(source, info, **kwargs)
        return answer if self._admits(source, info, kwargs) else self._nothing(answer)

    async def resolve_async(
        self, next_: Any, source: Any, info: Info[RequestContext, None], **kwargs: Any
    ) -> Any:
        if not self.withheld:
            return await super().resolve_async(next_, source, info, **kwargs)
        answer = await next_(source, info, **kwargs)
        return answer if self._admits(source, info, kwargs) else self._nothing(answer)


async def _none() -> int:
    return 0


def _is_connection(type_: Any) -> bool:
    definition = get_object_definition(type_)
    origin = getattr(definition, "concrete_of", None) or definition
    return origin is not None and origin is get_object_definition(Connection)


def gate(permission: type[Requires], action: str) -> Gate:
    """Refuse callers `permission` does not admit with its error; `action` names what they
    asked for ("taking an intake") in the message."""
    return Gate(_chain(permission, action))


def quiet(permission: type[Requires]) -> Gate:
    """Answer callers `permission` does not admit with null, without running the resolver
    (fields of a record already read, such as a recipient's history)."""
    return Gate(_chain(permission, ""), quiet=True)


def withheld(permission: type[Requires]) -> Gate:
    """Run the resolver (its argument checks first) and give callers `permission` does not
    admit nothing of its answer: null, or an empty page (the root fields that always
    answered so)."""
    return Gate(_chain(permission, ""), withheld=True)
