"""Bearer tokens: HS256 with `HANARO_JWT_SECRET` (generated into the data dir when unset),
or RS256 against `HANARO_JWT_JWKS_URL` in production. A bad token is an error, never a
silent fall-back to anonymous."""

from __future__ import annotations

import os
import re
import secrets
import time
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import jwt

from server.settings import Settings
from vocabulary.access import ROLES

__all__ = [
    "AuthError",
    "Claims",
    "TokenVerifier",
    "issue_token",
    "kept_secret",
    "load_identity_key",
    "load_secret",
]

_INSTITUTION_ID = re.compile(r"^ins_[0-9a-z]{6,40}$")


class AuthError(Exception):
    """The token is missing parts, expired, or not signed by a key we trust."""


@dataclass(frozen=True)
class Claims:
    subject: str
    institution_id: str
    roles: frozenset[str]
    expires_at: int | None


def load_secret(settings: Settings) -> str:
    """The HS256 key: from the environment, else kept (created once) in the data dir."""
    return settings.jwt_secret or kept_secret(Path(settings.data_dir) / "jwt-secret")


def load_identity_key(settings: Settings) -> bytes:
    """The key of the national-identifier hash: `HANARO_IDENTITY_SECRET`, else kept in the
    data dir. Changing it makes earlier duplicates undetectable, so production sets it."""
    secret = settings.identity_secret or kept_secret(Path(settings.data_dir) / "identity-secret")
    return secret.encode()


def kept_secret(path: Path) -> str:
    """A random secret created once (mode 0600) and read back on later starts."""
    if path.exists():
        return path.read_text().strip()
    path.parent.mkdir(parents=True, exist_ok=True)
    secret = secrets.token_urlsafe(48)
    fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    with os.fdopen(fd, "w") as handle:
        handle.write(secret)
    return secret


def issue_token(
    secret: str, *, subject: str, institution_id: str, roles: list[str], ttl_seconds: int
) -> str:
    now = int(time.time())
    claims = {
        "sub": subject,
        "inst": institution_id,
        "roles": sorted(set(roles)),
        "iat": now,
        "exp": now + ttl_seconds,
    }
    return jwt.encode(claims, secret, algorithm="HS256")


class TokenVerifier:
    def __init__(self, settings: Settings, secret: str | None) -> None:
        self._secret = secret
        self._audience = settings.jwt_audience
        self._issuer = settings.jwt_issuer
        self._jwks = jwt.PyJWKClient(settings.jwt_jwks_url) if settings.jwt_jwks_url else None

    def verify(self, authorization: str) -> Claims:
        scheme, _, token = authorization.partition(" ")
        if scheme.lower() != "bearer" or not token.strip():
            raise AuthError("The Authorization header must be 'Bearer <token>'.")
        token = token.strip()
        try:
            header = jwt.get_unverified_header(token)
            options: dict[str, Any] = {"require": ["sub", "exp"]}
            kwargs: dict[str, Any] = {"audience": self._audience, "issuer": self._issuer}
            if header.get("alg") == "RS256" and self._jwks is not None:
                key: Any = self._jwks.get_signing_key_from_jwt(token).key
                payload = jwt.decode(token, key, ["RS256"], options=options, **kwargs)
            elif header.get("alg") == "HS256" and self._secret:
                payload = jwt.decode(token, self._secret, ["HS256"], options=options, **kwargs)
            else:
                raise AuthError(f"Tokens signed with {header.get('alg')!r} are not accepted.")
        except jwt.ExpiredSignatureError:
            raise AuthError("The token has expired; get a new one.") from None
        except jwt.PyJWKClientError:
            raise AuthError("The token's signing key could not be fetched.") from None
        except jwt.InvalidTokenError:
            raise AuthError("The token is not valid (bad signature or format).") from None
        return self._claims(payload)

    @staticmethod
    def _claims(payload: dict[str, Any]) -> Claims:
        subject, institution, roles = payload.get("sub"), payload.get("inst"), payload.get("roles")
        if not isinstance(subject, str) or not 0 < len(subject) <= 200:
            raise AuthError("The token's 'sub' claim must be a non-empty string.")
        if not isinstance(institution, str) or not _INSTITUTION_ID.match(institution):
            raise AuthError("The token's 'inst' claim must be an institution id.")
        if not isinstance(roles, list) or not set(roles) <= ROLES:
            raise AuthError(
                f"The token's 'roles' claim must be a list of {', '.join(sorted(ROLES))}."
            )
        expires = payload.get("exp")
        return Claims(subject, institution, frozenset(roles), int(expires) if expires else None)
