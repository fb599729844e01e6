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
        # Signed when the module is collected: valid for the whole (two-engine-set) run.
        "exp": int(time.time()) + 6 * 3600,
    }
    return jwt.encode({**base, **claims}, key, algorithm=alg)


# Signed when the test runs, not when the module is imported: in a long run a token made at
# collection would have expired before its turn, and fail for the wrong reason.
BAD_TOKENS = {
    "garbage": lambda: "garbage",
    "foreign-key": lambda: _sign({}, key="another-secret-0123456789-abcdefghijk"),
    "expired": lambda: _sign({"exp": int(time.time()) - 10}),
    "roles": lambda: _sign({"roles": ["SUPERUSER"]}),
    "inst": lambda: _sign({"inst": "somewhere"}),
    "sub": lambda: _sign({"sub": ""}),
    "alg-none": lambda: jwt.encode(
        {"sub": "u1", "inst": "ins_owner01", "roles": []}, None, algorithm="none"
    ),
}


@pytest.mark.parametrize(
    ("kind", "words"),
    [
        ("garbage", "not valid"),
        ("foreign-key", "not valid"),
        ("expired", "expired"),
        ("roles", "roles"),
        ("inst", "inst"),
        ("sub", "sub"),
        ("alg-none", "not accepted"),
    ],
)
async def test_bad_tokens_are_refused(api, kind, words):
    response = await api.raw(VIEWER, token=BAD_TOKENS[kind]())
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


def test_rs256_tokens_are_verified_against_a_jwks_url():
    """Production path: RS256 tokens checked against keys served at HANARO_JWT_JWKS_URL
    (here a JWKS served by the test on 127.0.0.1)."""
    import http.server
    import json
    import threading
    from dataclasses import replace

    from cryptography.hazmat.primitives.asymmetric import rsa

    key = rsa.generate_private_key(public_exponent=65537, key_size=2048)
    stranger = rsa.generate_private_key(public_exponent=65537, key_size=2048)
    jwk = json.loads(jwt.algorithms.RSAAlgorithm.to_jwk(key.public_key()))
    body = json.dumps({"keys": [{**jwk, "kid": "k1", "use": "sig", "alg": "RS256"}]}).encode()

    class Handler(http.server.BaseHTTPRequestHandler):
        def do_GET(self):
            self.send_response(200)
            self.send_header("Content-Type", "application/json")
            self.end_headers()
            self.wfile.write(body)

        def log_message(self, *args):
            pass

    server = http.server.HTTPServer(("127.0.0.1", 0), Handler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        url = f"http://127.0.0.1:{server.server_port}/jwks.json"
        verifier = TokenVerifier(replace(Settings(), jwt_jwks_url=url), secret=None)
        claims = {
            "sub": "sso-user",
            "inst": "ins_owner01",
            "roles": ["ADMIN"],
            # Signed when the module is collected: valid for the whole (two-engine-set) run.
            "exp": int(time.time()) + 6 * 3600,
        }
        good = jwt.encode(claims, key, algorithm="RS256", headers={"kid": "k1"})
        assert verifier.verify(f"Bearer {good}").subject == "sso-user"
        forged = jwt.encode(claims, stranger, algorithm="RS256", headers={"kid": "k1"})
        with pytest.raises(AuthError):
            verifier.verify(f"Bearer {forged}")
        # An HS256 token is not accepted when only a JWKS is configured.
        with pytest.raises(AuthError):
            verifier.verify("Bearer " + _sign({}))
    finally:
        server.shutdown()
        server.server_close()


def test_every_token_role_is_a_graphql_role():
    """`viewer { roles }` lists a token's roles through the GraphQL enum: a role the tokens
    accept but the enum lacks made `viewer` an internal error for its holders."""
    from schema.viewer import Role
    from vocabulary.access import ROLES

    assert {role.value for role in Role} == set(ROLES)


async def test_a_platform_admin_sees_its_roles(api):
    token = api.token("ins_owner01", "PLATFORM_ADMIN", subject="operator")
    data = await api.ok(VIEWER, token=token)
    assert data["viewer"] == {
        "anonymous": False,
        "subject": "operator",
        "roles": ["PLATFORM_ADMIN"],
    }
