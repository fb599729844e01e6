"""Importing HSDS documents: each record is validated against the HSDS schema first, then
registered through the API's own paths: `register_resource` / `update_resource` /
`set_resource_status` as a registrant of the providing institution (input checks, visibility
defaults, one statement with its outbox mark), institutions through the directory's bulk
path; every record imported appends an `HSDS_IMPORT` AuditEvent naming the actor.

Idempotent on HSDS ids: a record imported before is found by its HSDS id and updated only
where it differs (unchanged records keep their version). A record that fails is reported with
its id and the path that failed; the others still load."""

from __future__ import annotations

from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from graph import hsds as repo
from graph.engine import GraphConstraintError, Row
from graph.institutions import upsert_institutions
from hsds.documents import validate
from hsds.feed import ensure_hsds_ids
from hsds.ids import canonical_uuid, hanaro_id
from hsds.intake import Intake, Mapper
from hsds.reading import Document, Problem
from resolvers.context import RequestContext, Services
from resolvers.errors import HanaroError
from resolvers.resources import register_resource, set_resource_status, update_resource
from resolvers.stamps import iso_now, new_id
from vocabulary.access import Viewer

__all__ = ["DEFAULT_NEED", "DEFAULT_REGION", "ImportReport", "Importer"]

DEFAULT_REGION = "50"  # 제주특별자치도: the province the directory serves
DEFAULT_NEED = "DAILY_LIVING"  # 일상생활유지, the broadest everyday domain
_EXCHANGE = ("hsdsId", "hsdsTermIds", "hsdsLocation", "hsdsExtra")


@dataclass
class ImportReport:
    counts: Counter[str] = field(default_factory=Counter)  # "service created" -> n
    problems: list[Problem] = field(default_factory=list)
    warnings: list[str] = field(default_factory=list)

    def summary(self) -> str:
        parts = [f"{n} {what}" for what, n in sorted(self.counts.items())]
        parts.append(f"{len(self.problems)} rejected")
        return ", ".join(parts)


def _same(a: Any, b: Any) -> bool:
    """Equal, reading None, "" and empty parts alike."""
    if isinstance(a, dict) or isinstance(b, dict):
        a, b = a or {}, b or {}
        return all(_same(a.get(k), b.get(k)) for k in set(a) | set(b))
    return (a if a not in ("", []) else None) == (b if b not in ("", []) else None)


def _changes(existing: dict[str, Any], intake: Intake) -> tuple[dict[str, Any], dict[str, Any]]:
    """What an import would change in a resource: (input changes, exchange changes). A part
    the document leaves out is left as it is (a public export lacks what it withholds, and
    importing it back must not clear that)."""
    data = intake.data
    changes: dict[str, Any] = {}
    for key in ("name", "description", "schedule", "address"):
        if data.get(key) is not None and not _same(data[key], existing.get(key)):
            changes[key] = data[key]
    for key in ("needs", "regions"):
        if sorted(data[key]) != sorted(existing[key]):
            changes[key] = data[key]
    for key, names in (
        ("contact", ("phone", "email", "person")),
        ("eligibility", ("minAge", "maxAge", "notes")),
        ("capacity", ("total", "available")),
    ):
        given = {k: v for k, v in (data.get(key) or {}).items() if k in names and v is not None}
        current = existing.get(key) or {}
        if given and not _same(given, {k: current.get(k) for k in given}):
            merged = {**current, **given}  # e.g. income and household rules stay
            changes[key] = {k: v for k, v in merged.items() if k != "updatedAt"}
    exchange = {k: v for k, v in intake.exchange.items() if k in _EXCHANGE and existing.get(k) != v}
    if "hsdsLocation" in exchange and exchange["hsdsLocation"] is None:
        del exchange["hsdsLocation"]  # no location in the document: keep the one there is
    return changes, exchange


class Importer:
    def __init__(
        self,
        services: Services,
        *,
        actor: str,
        source: str,
        default_region: str = DEFAULT_REGION,
        default_need: str = DEFAULT_NEED,
        progress: Callable[[int, int], None] | None = None,
    ) -> None:
        self.services = services
        self.graph = services.graph
        self.actor = actor
        self.source = source
        self.mapper = Mapper(
            services.needs,
            services.regions,
            default_region=default_region,
            default_need=default_need,
        )
        self.progress = progress or (lambda done, total: None)
        self.report = ImportReport()
        self._audit: list[dict[str, Any]] = []
        self._done = 0
        self._total = 0

    async def run(self, documents: list[Document]) -> ImportReport:
        self._total = sum(1 + len(d.body.get("services") or []) for d in documents)
        await ensure_hsds_ids(self.graph)
        for document in documents:
            handler = {
                "taxonomy": self._taxonomy,
                "taxonomy_term": self._term,
                "organization": self._organization,
                "service": self._service_document,
            }[document.kind]
            await handler(document)
            await self._flush_audit()
        return self.report

    def _step(self, count: int = 1) -> None:
        self._done += count
        self.progress(self._done, self._total)

    def _reject(self, document: Document, kind: str, ident: Any, details: list[str]) -> None:
        record_id = canonical_uuid(ident) or (str(ident)[:60] if ident else None)
        self.report.problems.append(Problem(document.source, kind, record_id, details))

    def _valid(self, document: Document, kind: str, body: Any, prefix: str = "") -> bool:
        problems = validate(kind, body)
        if problems:
            details = [f"{prefix}{p}" if prefix else str(p) for p in problems]
            self._reject(
                document, kind, body.get("id") if isinstance(body, dict) else None, details
            )
        return not problems

    def _warn(self, document: Document, kind: str, ident: str, warnings: list[str]) -> None:
        self.report.warnings += [f"{document.source}: {kind} {ident}: {w}" for w in warnings]

    async def _flush_audit(self) -> None:
        rows, self._audit = self._audit, []
        await repo.record_imports(
            self.graph, rows, actor=self.actor, source=self.source, now=iso_now()
        )

    def _audited(
        self, entity: str, entity_id: str, institution: str, hsds_id: str, outcome: str
    ) -> None:
        kind = {"Resource": "service", "Institution": "organization"}[entity]
        self.report.counts[f"{kind} {outcome.lower()}"] += 1
        self._audit.append(
            {
                "id": new_id("aud"),
                "institution": institution,
                "entity": entity,
                "entityId": entity_id,
                "outcome": outcome,
                "hsdsId": hsds_id,
            }
        )

    # -- taxonomies and terms ---------------------------------------------------------------

    async def _taxonomy(self, document: Document) -> None:
        if self._valid(document, "taxonomy", document.body):
            await repo.upsert_taxonomies(
                self.graph, [self.mapper.taxonomy_row(document.body)], iso_now()
            )
            self.report.counts["taxonomy imported"] += 1
        self._step()

    async def _term(self, document: Document) -> None:
        body = document.body
        if self._valid(document, "taxonomy_term", body):
            if self.mapper.hanaro_code(body):
                self.report.counts["taxonomy_term of Hanaro needs"] += 1
            else:
                await self._keep_terms([self.mapper.term_row(body)], self._details(body))
                self.report.counts["taxonomy_term imported"] += 1
        self._step()

    def _details(self, term: dict[str, Any]) -> list[dict[str, Any]]:
        detail = term.get("taxonomy_detail")
        return [self.mapper.taxonomy_row(detail)] if detail else []

    async def _keep_terms(
        self, terms: list[dict[str, Any]], taxonomies: list[dict[str, Any]]
    ) -> None:
        now = iso_now()
        if taxonomies:
            unique = {t["id"]: t for t in taxonomies}
            await repo.upsert_taxonomies(self.graph, list(unique.values()), now)
        if terms:
            await repo.upsert_terms(self.graph, list({t["id"]: t for t in terms}.values()), now)

    # -- organizations ----------------------------------------------------------------------

    async def _institution(self, document: Document, body: dict[str, Any]) -> Row:
        hsds_id = canonical_uuid(body["id"]) or body["id"]
        existing = (await repo.institutions_by_hsds_ids(self.graph, [hsds_id])).get(hsds_id)
        row = self.mapper.institution(body, existing)
        row["id"] = existing["id"] if existing else hanaro_id("ins", hsds_id)
        if existing and all(_same(row.get(k), existing.get(k)) for k in row):
            outcome = "UNCHANGED"
        else:
            await upsert_institutions(self.graph, [row], iso_now())
            outcome = "UPDATED" if existing else "CREATED"
        self._audited("Institution", row["id"], row["id"], hsds_id, outcome)
        return row

    async def _organization(self, document: Document) -> None:
        body = document.body
        services = body.get("services") or []
        own = {k: v for k, v in body.items() if k != "services"}
        if not self._valid(document, "organization", own):
            if services:
                self.report.problems[-1].details.append(f"its {len(services)} services not loaded")
            self._step(1 + len(services))
            return
        provider = await self._institution(document, own)
        self._step()
        for index, service in enumerate(services):
            if self._valid(document, "service", service, prefix=f"/services/{index}"):
                await self._import_service(document, service, provider)
            self._step()

    async def _service_document(self, document: Document) -> None:
        body = document.body
        if self._valid(document, "service", body):
            provider = await self._provider_of(document, body)
            if provider is not None:
                await self._import_service(document, body, provider)
        self._step()

    async def _provider_of(self, document: Document, body: dict[str, Any]) -> Row | None:
        if body.get("organization"):
            return await self._institution(document, body["organization"])
        oid = canonical_uuid(body.get("organization_id"))
        found = (await repo.institutions_by_hsds_ids(self.graph, [oid])).get(oid) if oid else None
        if found is None:
            self._reject(
                document,
                "service",
                body["id"],
                ["/organization_id: no such organization; give the service's organization "
                 "(nested, or as a document of the same import)"],
            )  # fmt: skip
        return found

    # -- services ---------------------------------------------------------------------------

    async def _import_service(
        self, document: Document, body: dict[str, Any], provider: Row
    ) -> None:
        intake = self.mapper.service(body)
        self._warn(document, "service", intake.hsds_id, intake.warnings)
        await self._keep_terms(intake.terms, intake.taxonomies)
        viewer = Viewer(
            subject=self.actor, institution_id=provider["id"], roles=frozenset({"REGISTRANT"})
        )
        ctx = RequestContext(self.services, viewer)
        try:
            found = await repo.resources_by_hsds_ids(self.graph, ctx.access, [intake.hsds_id])
            existing = found.get(intake.hsds_id)
            if existing is None:
                created = await register_resource(
                    ctx,
                    {**intake.data, "kind": "SERVICE"},
                    resource_id=hanaro_id("res", intake.hsds_id),
                    exchange=intake.exchange,
                )
                outcome, resource_id = "CREATED", created["id"]
            else:
                outcome, resource_id = await self._update(ctx, existing, intake)
        except HanaroError as exc:
            field_name = exc.extensions.get("field") or ""
            where = intake.sources.get(field_name, field_name)
            self._reject(document, "service", intake.hsds_id, [f"{where or '/'}: {exc.message}"])
            return
        except GraphConstraintError:
            self._reject(
                document,
                "service",
                intake.hsds_id,
                ["/id: a resource of another institution already has this id"],
            )
            return
        self._audited("Resource", resource_id, provider["id"], intake.hsds_id, outcome)

    async def _update(
        self, ctx: RequestContext, existing: dict[str, Any], intake: Intake
    ) -> tuple[str, str]:
        resource_id = existing["id"]
        if existing["providerId"] != ctx.viewer.institution_id:
            raise HanaroError.bad_input(
                "the service belongs to another organization in Hanaro.", field="/organization"
            )
        changes, exchange = _changes(existing, intake)
        version = existing["version"]
        outcome = "UNCHANGED"
        if changes or exchange:
            updated = await update_resource(ctx, resource_id, version, changes, exchange=exchange)
            version, outcome = updated["version"], "UPDATED"
        status = intake.data["status"]
        if status != existing["status"]:
            await set_resource_status(ctx, resource_id, status, version)
            outcome = "UPDATED"
        return outcome, resource_id
