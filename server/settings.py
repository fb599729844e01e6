"""Settings from `HANARO_*` environment variables, read once at start."""

from __future__ import annotations

import os
from collections.abc import Mapping
from dataclasses import dataclass, field, replace
from pathlib import Path

__all__ = ["Settings", "SettingsError"]


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


def _list(env: Mapping[str, str], name: str) -> tuple[str, ...]:
    return tuple(part.strip() for part in env.get(name, "").split(",") if part.strip())


@dataclass(frozen=True)
class Settings:
    """Everything the server reads from its environment (see README, "Configuration")."""

    host: str = "127.0.0.1"
    port: int = 8000
    data_dir: Path = Path("data")
    # Graph: Neo4j when a URI is set, otherwise embedded FalkorDB.
    neo4j_uri: str | None = None
    neo4j_user: str = "neo4j"
    neo4j_password: str = ""
    neo4j_database: str = "neo4j"
    graph_name: str = "hanaro"
    # Search: Elasticsearch when a URL is set, otherwise embedded osmem.
    elasticsearch_url: str | None = None
    elasticsearch_api_key: str | None = None
    search_index: str = "hanaro-resources"
    search_nori: bool = False
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
    # Protection under abuse (README, "Security and limits"); a rate of 0 turns that limit off.
    max_body_bytes: int = 1_000_000
    rate_limit_staff_per_minute: int = 600
    rate_limit_anonymous_per_minute: int = 120
    max_subscriptions_per_token: int = 5
    statement_timeout_ms: int = 10_000

    @property
    def embedded_graph(self) -> bool:
        return not self.neo4j_uri

    @property
    def embedded_search(self) -> bool:
        return not self.elasticsearch_url

    @classmethod
    def from_env(cls, env: Mapping[str, str] | None = None, **overrides: object) -> Settings:
        """Read `HANARO_*` variables; `overrides` (from CLI options) win over the environment."""
        env = os.environ if env is None else env
        settings = cls(
            host=env.get("HANARO_HOST", cls.host),
            port=_int(env, "HANARO_PORT", cls.port, 0, 65535),
            data_dir=Path(env.get("HANARO_DATA_DIR", "data")),
            neo4j_uri=env.get("HANARO_NEO4J_URI") or None,
            neo4j_user=env.get("HANARO_NEO4J_USER", cls.neo4j_user),
            neo4j_password=env.get("HANARO_NEO4J_PASSWORD", ""),
            neo4j_database=env.get("HANARO_NEO4J_DATABASE", cls.neo4j_database),
            graph_name=env.get("HANARO_GRAPH_NAME", cls.graph_name),
            elasticsearch_url=env.get("HANARO_ELASTICSEARCH_URL") or None,
            elasticsearch_api_key=env.get("HANARO_ELASTICSEARCH_API_KEY") or None,
            search_index=env.get("HANARO_SEARCH_INDEX", cls.search_index),
            search_nori=env.get("HANARO_SEARCH_NORI", "").lower() in {"1", "true", "yes"},
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
        )
        return replace(settings, **{k: v for k, v in overrides.items() if v is not None})
