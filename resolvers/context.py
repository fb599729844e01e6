"""What every resolver gets: the viewer and its graph access, the engines, the in-memory
catalogues and this request's batch loaders."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from elasticsearch import AsyncElasticsearch

from graph.access import GraphAccess
from graph.engine import GraphEngine
from resolvers.crisis_report_limiter import ReportLimiter
from resolvers.institution_names import InstitutionNames
from resolvers.membership_scan_runner import ScanRunner
from resolvers.needs import NeedCatalog
from resolvers.programs import ProgramCatalog
from resolvers.referral_events import ReferralEvents
from resolvers.regions import RegionCatalog
from resolvers.stamps import now_ms
from search.query import TextAnalysis
from search.thesaurus import Thesaurus
from telemetry.requests import RequestRecord
from vocabulary.access import Viewer

__all__ = ["Limits", "RequestContext", "Services"]


@dataclass(frozen=True)
class Limits:
    max_page_size: int = 100
    max_string_length: int = 2000


@dataclass
class Services:
    """Long-lived parts shared by all requests of one server."""

    graph: GraphEngine
    search: AsyncElasticsearch
    search_alias: str
    needs: NeedCatalog
    regions: RegionCatalog
    limits: Limits = field(default_factory=Limits)
    # How query text meets the index, and what the thesaurus adds to it.
    search_text: TextAnalysis = field(default_factory=TextAnalysis)
    thesaurus: Thesaurus = field(default_factory=Thesaurus)
    # Key of the keyed hash of national identifiers (never stored in the clear).
    identity_key: bytes = b""
    programs: ProgramCatalog = field(default_factory=ProgramCatalog)
    # Called after every graph write so the search-sync loop runs now, not at its next tick.
    notify_write: Callable[[], None] = lambda: None
    # Referrals: days before an unanswered one expires, the live inbox, and the clock they
    # are timed by (epoch ms; tests move it to expire referrals deterministically).
    referral_expiry_days: int = 7
    referral_events: ReferralEvents = field(default_factory=ReferralEvents)
    clock: Callable[[], int] = now_ms
    # Minutes an URGENT intake may wait unpicked before it escalates to the responsible offices.
    intake_escalation_minutes: int = 30
    # Public crisis reports: a per-client-address limit.
    crisis_reports: ReportLimiter = field(default_factory=ReportLimiter)
    # The membership scan of this server (started through the API or by the schedule).
    membership_scans: ScanRunner = field(default_factory=ScanRunner)
    # Institution names for suggestions, reloaded from the graph when older than 30 s.
    institution_names: InstitutionNames = field(default_factory=InstitutionNames)


class RequestContext:
    """Built once per request; loaders batch and cache within the request only."""

    def __init__(self, services: Services, viewer: Viewer) -> None:
        self.services = services
        self.viewer = viewer
        self.graph = services.graph
        # Imported here: the loaders read through resolvers, which import this module.
        from resolvers.loaders import Loaders

        self.loaders = Loaders(self)
        self._access: GraphAccess | None = None
        # Set by Strawberry from a websocket's `connection_init` payload.
        self.connection_params: dict[str, Any] | None = None
        # The client's address (per-address limits of public mutations); set by the app.
        self.client_address = ""
        # What the request's log line and metrics say (HTTP requests; set by the app).
        self.record: RequestRecord | None = None
        # The HTTP response being built (None on a websocket); set by the app.
        self.http_response: Any = None

    @property
    def access(self) -> GraphAccess:
        """What every graph statement of this request takes: the viewer's institution, regions
        and the request's time (the services' clock), made on first use."""
        if self._access is None:
            self._access = GraphAccess.of(self.viewer, now_ms=self.services.clock())
        return self._access

    def forget(self) -> None:
        """Drop what the loaders cached and the request's time: a subscription lives on, each
        event reads afresh, as of then."""
        self._access = None
        self.loaders.forget()
