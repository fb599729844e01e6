"""Settings from `HANARO_*` environment variables, read once at start."""

from __future__ import annotations

import os
from collections.abc import Mapping
from dataclasses import dataclass, field, replace
from pathlib import Path

from search.analysis import KOREAN_MODES

__all__ = ["DISTRIBUTIONS", "ENGINE_SETS", "LOG_FORMATS", "Settings", "SettingsError"]

ENGINE_SETS = ("embedded", "local")
LOG_FORMATS = ("text", "json")
DISTRIBUTIONS = ("auto", "elasticsearch", "opensearch")


class SettingsError(ValueError):
    """A setting has a value the server cannot use; the message names the variable."""


def _int(env: Mapping[str, str], name: str, default: int, low: int, high: int) -> int:
    raw = env.get(name)
    if raw is None or raw == "":
        return default
    try:
        value = int(raw)
    except ValueError:
        raise SettingsError(f"{name}={raw!r} is not a whole number") from None
    if not low <= value <= high:
        raise SettingsError(f"{name}={value} is out of range ({low}..{high})")
    return value


def _choice(env: Mapping[str, str], name: str, default: str, allowed: tuple[str, ...]) -> str:
    value = (env.get(name) or default).strip().lower()
    if value not in allowed:
        raise SettingsError(f"{name}={value!r} is not one of {', '.join(allowed)}")
    return value


def _list(env: Mapping[str, str], name: str) -> tuple[str, ...]:
    return tuple(part.strip() for part in env.get(name, "").split(",") if part.strip())


@dataclass(frozen=True)
class Settings:
    """Everything the server reads from its environment (see README, "Configuration")."""

    host: str = "127.0.0.1"
    port: int = 8000
    data_dir: Path = Path("data")
    # The engines Hanaro starts itself for a role without a configured cluster: "embedded"
    # (FalkorDB + osmem, no Java) or "local" (Neo4j 5 + OpenSearch 2.19 JVMs from Maven jars).
    engines: str = "embedded"
    local_neo4j_heap_mb: int = 1024
    local_neo4j_pagecache_mb: int = 512
    local_opensearch_heap_mb: int = 1024
    # Extra neo4j.conf settings for the local Neo4j, e.g. ("db.logs.query.enabled=INFO",).
    local_neo4j_config: tuple[str, ...] = field(default_factory=tuple)
    # Graph: Neo4j when a URI is set, otherwise the engine set's graph.
    neo4j_uri: str | None = None
    neo4j_user: str = "neo4j"
    neo4j_password: str = ""
    neo4j_database: str = "neo4j"
    graph_name: str = "hanaro"
    # Search: Elasticsearch or OpenSearch when a URL is set, otherwise the engine set's.
    elasticsearch_url: str | None = None
    elasticsearch_api_key: str | None = None
    # "auto" asks the server at HANARO_ELASTICSEARCH_URL; "opensearch" or "elasticsearch".
    search_distribution: str = "auto"
    search_index: str = "hanaro-resources"
    search_nori: bool = False
    # How Korean query words meet the index (search.analysis.KOREAN_MODES), and the thesaurus
    # file (None: the bundled search/thesaurus.json).
    search_korean: str = "both"
    search_thesaurus: Path | None = None
    # Authentication.
    jwt_secret: str | None = None
    identity_secret: str | None = None
    jwt_jwks_url: str | None = None
    jwt_audience: str | None = None
    jwt_issuer: str | None = None
    # HTTP and GraphQL limits.
    cors_origins: tuple[str, ...] = field(default_factory=tuple)
    max_page_size: int = 100
    max_query_depth: int = 10
    max_query_cost: int = 5000
    max_string_length: int = 2000
    sync_interval_ms: int = 200
    # Referrals: days a SENT referral waits for an answer before it is EXPIRED.
    referral_expiry_days: int = 7
    # 복지멤버십: minutes between scheduled membership scans inside the server; 0 = none.
    membership_scan_interval_minutes: int = 0
    # Protection under abuse (README, "Security and limits"); a rate of 0 turns that limit off.
    max_body_bytes: int = 1_000_000
    rate_limit_staff_per_minute: int = 600
    rate_limit_anonymous_per_minute: int = 120
    max_subscriptions_per_token: int = 5
    statement_timeout_ms: int = 10_000
    # Intake: minutes an URGENT intake waits unpicked before it escalates.
    intake_escalation_minutes: int = 30
    # Public crisis reports accepted per client address and hour.
    crisis_reports_per_hour: int = 10
    # Replicas (docs/operations.md): seconds a background job's lease lasts unrenewed (how
    # long before another replica takes over a dead one's jobs); how often each replica with
    # live subscribers reads the referral changes other replicas made; how long SIGTERM waits
    # for requests in flight.
    job_lease_seconds: int = 15
    event_poll_ms: int = 250
    shutdown_grace_seconds: int = 10
    # Observability (docs/operations.md, "Observability"). Log lines: `text` for people (the
    # demo console), `json` for a log pipeline (one object a line, one line per GraphQL request).
    log_format: str = "text"
    # Tracing: off unless `HANARO_TRACING=on` or an OTLP/HTTP endpoint is set (spans go there,
    # e.g. http://collector:4318/v1/traces); requests without a caller's decision are sampled
    # at `trace_sample_ratio`.
    tracing: bool = False
    otlp_endpoint: str | None = None
    trace_sample_ratio: float = 1.0
    # Automatic persisted queries: how many hash -> document entries each process keeps (LRU);
    # 0 turns APQ off (PERSISTED_QUERY_NOT_SUPPORTED).
    apq_cache_size: int = 1000
    # Trusted documents: a persisted-documents manifest (JSON, sha256 hash -> document); when
    # set, only its documents run (and introspection, `_service`).
    trusted_documents: Path | None = None

    @property
    def graph_kind(self) -> str:
        """`external` (HANARO_NEO4J_URI), else the engine set: `embedded` or `local`."""
        return "external" if self.neo4j_uri else self.engines

    @property
    def search_kind(self) -> str:
        """`external` (HANARO_ELASTICSEARCH_URL), else the engine set: `embedded` or `local`."""
        return "external" if self.elasticsearch_url else self.engines

    @property
    def embedded_graph(self) -> bool:
        return self.graph_kind == "embedded"

    @property
    def embedded_search(self) -> bool:
        """The embedded index lives in memory: it is rebuilt from the graph at each start."""
        return self.search_kind == "embedded"

    @classmethod
    def from_env(cls, env: Mapping[str, str] | None = None, **overrides: object) -> Settings:
        """Read `HANARO_*` variables; `overrides` (from CLI options) win over the environment."""
        env = os.environ if env is None else env
        settings = cls(
            host=env.get("HANARO_HOST", cls.host),
            port=_int(env, "HANARO_PORT", cls.port, 0, 65535),
            data_dir=Path(env.get("HANARO_DATA_DIR", "data")),
            engines=_choice(env, "HANARO_ENGINES", cls.engines, ENGINE_SETS),
            local_neo4j_heap_mb=_int(
                env, "HANARO_LOCAL_NEO4J_HEAP_MB", cls.local_neo4j_heap_mb, 256, 65536
            ),
            local_neo4j_pagecache_mb=_int(
                env, "HANARO_LOCAL_NEO4J_PAGECACHE_MB", cls.local_neo4j_pagecache_mb, 64, 65536
            ),
            local_neo4j_config=_list(env, "HANARO_LOCAL_NEO4J_CONFIG"),
            local_opensearch_heap_mb=_int(
                env, "HANARO_LOCAL_OPENSEARCH_HEAP_MB", cls.local_opensearch_heap_mb, 256, 31744
            ),
            neo4j_uri=env.get("HANARO_NEO4J_URI") or None,
            neo4j_user=env.get("HANARO_NEO4J_USER", cls.neo4j_user),
            neo4j_password=env.get("HANARO_NEO4J_PASSWORD", ""),
            neo4j_database=env.get("HANARO_NEO4J_DATABASE", cls.neo4j_database),
            graph_name=env.get("HANARO_GRAPH_NAME", cls.graph_name),
            elasticsearch_url=env.get("HANARO_ELASTICSEARCH_URL") or None,
            elasticsearch_api_key=env.get("HANARO_ELASTICSEARCH_API_KEY") or None,
            search_distribution=_choice(
                env, "HANARO_SEARCH_DISTRIBUTION", cls.search_distribution, DISTRIBUTIONS
            ),
            search_index=env.get("HANARO_SEARCH_INDEX", cls.search_index),
            search_nori=env.get("HANARO_SEARCH_NORI", "").lower() in {"1", "true", "yes"},
            search_korean=_choice(env, "HANARO_SEARCH_KOREAN", cls.search_korean, KOREAN_MODES),
            search_thesaurus=(
                Path(env["HANARO_SEARCH_THESAURUS"]) if env.get("HANARO_SEARCH_THESAURUS") else None
            ),
            jwt_secret=env.get("HANARO_JWT_SECRET") or None,
            identity_secret=env.get("HANARO_IDENTITY_SECRET") or None,
            jwt_jwks_url=env.get("HANARO_JWT_JWKS_URL") or None,
            jwt_audience=env.get("HANARO_JWT_AUDIENCE") or None,
            jwt_issuer=env.get("HANARO_JWT_ISSUER") or None,
            cors_origins=_list(env, "HANARO_CORS_ORIGINS"),
            max_page_size=_int(env, "HANARO_MAX_PAGE_SIZE", cls.max_page_size, 1, 1000),
            max_query_depth=_int(env, "HANARO_MAX_QUERY_DEPTH", cls.max_query_depth, 2, 50),
            max_query_cost=_int(env, "HANARO_MAX_QUERY_COST", cls.max_query_cost, 10, 10**7),
            max_string_length=_int(
                env, "HANARO_MAX_STRING_LENGTH", cls.max_string_length, 100, 100_000
            ),
            sync_interval_ms=_int(env, "HANARO_SYNC_INTERVAL_MS", cls.sync_interval_ms, 10, 60_000),
            referral_expiry_days=_int(
                env, "HANARO_REFERRAL_EXPIRY_DAYS", cls.referral_expiry_days, 1, 365
            ),
            membership_scan_interval_minutes=_int(
                env, "HANARO_MEMBERSHIP_SCAN_INTERVAL_MINUTES", 0, 0, 527_040
            ),
            max_body_bytes=_int(env, "HANARO_MAX_BODY_BYTES", cls.max_body_bytes, 1024, 10**9),
            rate_limit_staff_per_minute=_int(
                env, "HANARO_RATE_LIMIT_STAFF_PER_MINUTE", cls.rate_limit_staff_per_minute, 0, 10**6
            ),
            rate_limit_anonymous_per_minute=_int(
                env,
                "HANARO_RATE_LIMIT_ANONYMOUS_PER_MINUTE",
                cls.rate_limit_anonymous_per_minute,
                0,
                10**6,
            ),
            max_subscriptions_per_token=_int(
                env, "HANARO_MAX_SUBSCRIPTIONS_PER_TOKEN", cls.max_subscriptions_per_token, 1, 1000
            ),
            statement_timeout_ms=_int(
                env, "HANARO_STATEMENT_TIMEOUT_MS", cls.statement_timeout_ms, 100, 3_600_000
            ),
            intake_escalation_minutes=_int(
                env, "HANARO_INTAKE_ESCALATION_MINUTES", cls.intake_escalation_minutes, 1, 10_080
            ),
            crisis_reports_per_hour=_int(
                env, "HANARO_CRISIS_REPORTS_PER_HOUR", cls.crisis_reports_per_hour, 1, 10_000
            ),
            job_lease_seconds=_int(env, "HANARO_JOB_LEASE_SECONDS", cls.job_lease_seconds, 2, 600),
            event_poll_ms=_int(env, "HANARO_EVENT_POLL_MS", cls.event_poll_ms, 50, 10_000),
            shutdown_grace_seconds=_int(
                env, "HANARO_SHUTDOWN_GRACE_SECONDS", cls.shutdown_grace_seconds, 0, 600
            ),
            apq_cache_size=_int(env, "HANARO_APQ_CACHE_SIZE", cls.apq_cache_size, 0, 1_000_000),
            trusted_documents=Path(env["HANARO_TRUSTED_DOCUMENTS"])
            if env.get("HANARO_TRUSTED_DOCUMENTS")
            else None,
        )
        otlp_endpoint = env.get("HANARO_OTLP_ENDPOINT") or None
        tracing = _choice(env, "HANARO_TRACING", "on" if otlp_endpoint else "off", ("on", "off"))
        settings = replace(
            settings,
            log_format=_choice(env, "HANARO_LOG_FORMAT", cls.log_format, LOG_FORMATS),
            tracing=tracing == "on",
            otlp_endpoint=otlp_endpoint,
            trace_sample_ratio=_int(env, "HANARO_TRACE_SAMPLE_PERCENT", 100, 0, 100) / 100,
        )
        settings = replace(settings, **{k: v for k, v in overrides.items() if v is not None})
        if settings.engines not in ENGINE_SETS:
            raise SettingsError(
                f"engine set {settings.engines!r} is not one of {', '.join(ENGINE_SETS)}"
            )
        return settings
