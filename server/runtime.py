"""Bringing a server up on its backends: migrations, catalogues, the search index and the
sync loop. The CLI and the tests use the same `running` context."""

from __future__ import annotations

import contextlib
import logging
from collections.abc import AsyncIterator
from dataclasses import dataclass, field

from graph.migrations import migrate
from hsds.feed import ensure_hsds_ids
from resolvers.context import Limits, Services
from resolvers.crisis_report_limiter import ReportLimiter
from resolvers.institutions import assign_default_jurisdictions
from resolvers.membership_scans import start_scheduled_scan
from resolvers.needs import NeedCatalog
from resolvers.programs import ProgramCatalog
from resolvers.referral_events import ReferralEvents
from resolvers.regions import RegionCatalog
from resolvers.viewer import ViewerFactory
from search.documents import Vocabulary
from search.engine import ObservedSearchClient
from search.index import ensure_index
from search.mapping import index_body
from search.query import TextAnalysis
from search.thesaurus import DEFAULT_THESAURUS, Thesaurus
from server.auth import TokenVerifier, load_identity_key, load_secret
from server.engines import Backends
from server.intake_escalation import IntakeEscalation
from server.leases import Leases
from server.metrics import RuntimeState
from server.periodic import PeriodicTask
from server.referral_follower import ReferralFollower
from server.referral_sweep import ReferralSweep
from server.settings import Settings
from server.supervision import Supervisor, engine_children
from server.sync import SearchSync, rebuild_from_graph
from telemetry.calls import NO_OBSERVER, CallObserver
from telemetry.instruments import Telemetry
from vocabulary.access import Viewer

__all__ = ["Runtime", "running"]

log = logging.getLogger("hanaro")


@dataclass
class Runtime:
    settings: Settings
    backends: Backends
    services: Services
    sync: SearchSync
    viewers: ViewerFactory
    tokens: TokenVerifier
    secret: str
    sweep: ReferralSweep
    # Restarts the engine processes this server started (none with external engines).
    supervisor: Supervisor
    escalation: IntakeEscalation
    # Replicas: the job leases this process holds, and the follower of other replicas'
    # referral changes (server/leases.py, server/referral_follower.py).
    leases: Leases
    follower: ReferralFollower
    # Scheduled membership scans (HANARO_MEMBERSHIP_SCAN_INTERVAL_MINUTES); None when off.
    scan_schedule: PeriodicTask | None = None
    # Metrics, tracing and the observer the engines report to (docs/operations.md).
    telemetry: Telemetry = field(default_factory=Telemetry)

    def jobs(self) -> list[PeriodicTask]:
        """The background work this server runs, for its runs and failures on `/metrics`."""
        tasks = [self.sync.runner, self.sweep.runner, self.escalation.runner, self.follower.runner]
        return tasks if self.scan_schedule is None else [*tasks, self.scan_schedule]

    async def viewer(self, authorization: str, request_id: str) -> Viewer:
        """Who is asking: anonymous without an Authorization header; staff from a valid
        bearer token. A bad token raises `AuthError`, never falls back to anonymous."""
        if not authorization:
            return self.viewers.anonymous(request_id)
        claims = self.tokens.verify(authorization)
        return await self.viewers.staff(
            subject=claims.subject,
            institution_id=claims.institution_id,
            roles=claims.roles,
            request_id=request_id,
            expires_at=claims.expires_at,
        )


@contextlib.asynccontextmanager
async def running(
    backends: Backends, *, rebuild_index: bool | None = None
) -> AsyncIterator[Runtime]:
    """Migrate, load catalogues, prepare the index and run the sync loop until exit.

    In embedded mode the index lives in memory, so it is rebuilt from the graph at every start
    (`rebuild_index` overrides that choice)."""
    settings = backends.settings
    telemetry = Telemetry.create(
        tracing=settings.tracing,
        endpoint=settings.otlp_endpoint,
        sample_ratio=settings.trace_sample_ratio,
    )
    previous = _observe_engines(backends, telemetry.calls)
    try:
        async with _running(backends, telemetry, rebuild_index) as runtime:
            yield runtime
    finally:
        _observe_engines(backends, previous)
        telemetry.shutdown()


async def _index_to_rebuild(
    backends: Backends, sync: SearchSync, rebuild_index: bool | None
) -> bool:
    """Whether this start rebuilds the index from the graph: always on an embedded (in-memory)
    search engine, and when the index was written with another document format or taxonomy
    vocabulary (a seed that changed a need's words: the documents carry them in `needTerms`).
    `rebuild_index` False (the batch commands) leaves such an index for the next server start
    or `hanaro reindex`; True always rebuilds."""
    settings = backends.settings
    if rebuild_index or (rebuild_index is None and settings.embedded_search):
        return True
    body = index_body(sync.vocabulary.fingerprint, nori=settings.search_nori)
    current = await ensure_index(backends.search, settings.search_index, body)
    return current is None and rebuild_index is None


def _observe_engines(backends: Backends, observer: CallObserver) -> CallObserver:
    """Hand the engine clients `observer`; returns the one they had (a second runtime on the
    same backends, as in tests, gives the first one's back when it stops)."""
    previous = getattr(backends.graph, "observer", NO_OBSERVER)
    backends.graph.observer = observer
    if isinstance(backends.search, ObservedSearchClient):
        backends.search.observer = observer
    return previous


@contextlib.asynccontextmanager
async def _running(
    backends: Backends, telemetry: Telemetry, rebuild_index: bool | None
) -> AsyncIterator[Runtime]:
    settings = backends.settings
    await migrate(backends.graph)
    assigned = await ensure_hsds_ids(backends.graph)
    if assigned:
        log.info("HSDS ids assigned to %d resources and institutions", assigned)
    needs = await NeedCatalog.load(backends.graph)
    regions = await RegionCatalog.load(backends.graph)
    administered = await assign_default_jurisdictions(backends.graph, regions)
    if administered:
        log.info("default jurisdictions stored for %d public offices", administered)
    services = Services(
        graph=backends.graph,
        search=backends.search,
        search_alias=settings.search_index,
        needs=needs,
        regions=regions,
        limits=Limits(settings.max_page_size, settings.max_string_length),
        search_text=TextAnalysis(settings.search_korean, settings.search_nori),
        thesaurus=Thesaurus.load(settings.search_thesaurus or DEFAULT_THESAURUS),
        identity_key=load_identity_key(settings),
        programs=await ProgramCatalog.load(backends.graph, regions),
        referral_expiry_days=settings.referral_expiry_days,
        referral_events=ReferralEvents(settings.max_subscriptions_per_token),
        intake_escalation_minutes=settings.intake_escalation_minutes,
        crisis_reports=ReportLimiter(settings.crisis_reports_per_hour),
    )
    leases = Leases(backends.graph, settings.job_lease_seconds)
    sync = SearchSync(
        backends.graph,
        backends.search,
        settings.search_index,
        Vocabulary(needs.parents, regions.parents, needs.terms),
        settings.sync_interval_ms,
        lease=leases.lease("search-sync"),
    )
    services.notify_write = sync.poke
    if await _index_to_rebuild(backends, sync, rebuild_index):
        _, count = await rebuild_from_graph(sync, nori=settings.search_nori)
        log.info("search index rebuilt from the graph: %d resources", count)
    secret = load_secret(settings)
    runtime = Runtime(
        settings=settings,
        backends=backends,
        services=services,
        sync=sync,
        viewers=ViewerFactory(services),
        tokens=TokenVerifier(settings, secret),
        secret=secret,
        sweep=ReferralSweep(services, lease=leases.lease("referral-sweep")),
        supervisor=Supervisor(engine_children(backends, sync, nori=settings.search_nori)),
        escalation=IntakeEscalation(services, lease=leases.lease("intake-escalation")),
        leases=leases,
        follower=ReferralFollower(services, settings.event_poll_ms),
        telemetry=telemetry,
    )
    telemetry.metrics.registry.register(RuntimeState(runtime))
    minutes = settings.membership_scan_interval_minutes
    if minutes:
        services.membership_scans.set_schedule(minutes)
        runtime.scan_schedule = PeriodicTask(
            "membership-scan",
            lambda: start_scheduled_scan(services),
            minutes * 60.0,
            lease=leases.lease("membership-scan"),
        )
    sync.start()
    runtime.sweep.start()
    runtime.supervisor.start()
    runtime.escalation.start()
    runtime.follower.start()
    if runtime.scan_schedule is not None:
        runtime.scan_schedule.start()
    try:
        yield runtime
    finally:
        await runtime.supervisor.stop()
        if runtime.scan_schedule is not None:
            await runtime.scan_schedule.stop()
        await services.membership_scans.stop()
        await runtime.sweep.stop()
        await runtime.escalation.stop()
        await runtime.follower.stop()
        await sync.stop()
