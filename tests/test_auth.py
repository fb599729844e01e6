"""Bearer tokens: valid ones identify the viewer; bad, expired or foreign ones are refused
with UNAUTHENTICATED, never treated as anonymous."""

from __future__ import annotations

import time

import jwt
import pytest

from server.auth import AuthError, TokenVerifier, issue_token
from server.settings import Settings

VIEWER = "{ viewer { anonymous subject roles } }"


async def test_valid_token_identifies_the_viewer(api):
    token = api.token("ins_owner01", "CASEWORKER", "REGISTRANT", subject="kim")
    data = await api.ok(VIEWER, token=token)
    assert data["viewer"] == {
        "anonymous": False,
        "subject": "kim",
        "roles": ["CASEWORKER", "REGISTRANT"],
    }


def _sign(claims: dict, key: str = "test-secret-0123456789-abcdefghijklmnop", alg: str = "HS256"):
    base = {
        "sub": "u1",
        "inst": "ins_owner01",
        "roles": ["CASEWORKER"],
        "exp": int(time.time()) + 60,
    }
    return jwt.encode({**base, **claims}, key, algorithm=alg)


@pytest.mark.parametrize(
    ("token", "words"),
    [
        ("garbage", "not valid"),
        (_sign({}, key="another-secret-0123456789-abcdefghijk"), "not valid"),
        (_sign({"exp": int(time.time()) - 10}), "expired"),
        (_sign({"roles": ["SUPERUSER"]}), "roles"),
        (_sign({"inst": "somewhere"}), "inst"),
        (_sign({"sub": ""}), "sub"),
        (
            jwt.encode({"sub": "u1", "inst": "ins_owner01", "roles": []}, None, algorithm="none"),
            "not accepted",
        ),
    ],
)
async def test_bad_tokens_are_refused(api, token, words):
    response = await api.raw(VIEWER, token=token)
    assert response.status_code == 401
    assert response.headers["www-authenticate"] == "Bearer"
    error = response.json()["errors"][0]
    assert error["extensions"]["code"] == "UNAUTHENTICATED"
    assert words in error["message"]
    assert "data" not in response.json()


async def test_wrong_scheme_is_refused(api):
    response = await api.client.post(
        "/graphql", json={"query": VIEWER}, headers={"Authorization": "Basic dTpw"}
    )
    assert response.status_code == 401
    assert "Bearer" in response.json()["errors"][0]["message"]


def test_verifier_without_a_secret_refuses_hs256():
    verifier = TokenVerifier(Settings(), secret=None)
    with pytest.raises(AuthError):
        verifier.verify("Bearer " + _sign({}))


def test_issued_tokens_round_trip():
    secret = "s" * 40
    token = issue_token(
        secret, subject="a", institution_id="ins_abcdef12", roles=["ADMIN"], ttl_seconds=60
    )
    claims = TokenVerifier(Settings(), secret).verify(f"Bearer {token}")
    assert claims.subject == "a"
    assert claims.institution_id == "ins_abcdef12"
    assert claims.roles == frozenset({"ADMIN"})
    assert claims.expires_at is not None and claims.expires_at > time.time()
