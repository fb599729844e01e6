"""One log line per GraphQL request, valid JSON with its fields (HANARO_LOG_FORMAT=json), and
never a token, a variable's value, a name or a national id in any line the server writes."""

from __future__ import annotations

import json
import logging
import os
import re
import signal
import subprocess
import threading
import time

import httpx

from tests.support.cli import HANARO, free_port
from tests.support.logs import captured_logs
from tests.support.recipients import REGISTER, person

NAME = "홍길순"
NATIONAL_ID = "440302-2345678"
PHONE = "010-9876-5432"
FIELDS = {
    "request_id", "operation", "operation_type", "duration_ms", "status", "outcome",
    "error_codes", "institution_id",
}  # fmt: skip
REGISTER_NAMED = """mutation RegisterPerson($input: RegisterRecipientInput!) {
  registerRecipient(input: $input) { id name } }"""


async def test_one_json_line_per_request_with_its_fields(api, tokens):
    with captured_logs() as logs:
        await api.ok("query WhoAmI { viewer { anonymous } }", token=tokens["owner"])
        await api.error(REGISTER_NAMED, {"input": person()})  # no token
    lines = logs.requests()
    assert len(lines) == 2, lines
    ok, refused = lines
    assert FIELDS <= set(ok), ok
    assert re.fullmatch(r"[0-9a-f]{16}", ok["request_id"])
    assert ok["operation"] == "WhoAmI" and ok["operation_type"] == "query"
    assert (ok["status"], ok["outcome"], ok["error_codes"]) == (200, "ok", [])
    assert ok["institution_id"] == "ins_owner01"
    assert isinstance(ok["duration_ms"], float) and ok["duration_ms"] >= 0
    assert ok["level"] == "INFO" and ok["time"].endswith("Z")
    assert refused["operation"] == "RegisterPerson"
    assert refused["operation_type"] == "mutation"
    assert refused["outcome"] == "error" and refused["error_codes"]
    assert refused["institution_id"] is None
    assert refused["request_id"] != ok["request_id"]


async def test_refused_before_graphql_is_logged_too(api):
    with captured_logs() as logs:
        response = await api.client.post(
            "/graphql",
            json={"query": "{ needs { code } }"},
            headers={"Authorization": "Bearer forged.token.value"},
        )
    assert response.status_code == 401
    [line] = logs.requests()
    assert (line["status"], line["outcome"], line["error_codes"]) == (
        401, "error", ["UNAUTHENTICATED"],
    )  # fmt: skip
    assert line["operation"] is None and line["operation_type"] == "unknown"
    assert "forged.token.value" not in logs.everything()


async def test_no_token_variable_name_or_national_id_in_any_line(api, tokens):
    """Through every path: accepted, refused for the caller, malformed, unknown variable."""
    secret = person(name=NAME, phone=PHONE, nationalId=NATIONAL_ID)
    with captured_logs(logging.DEBUG) as logs:
        created = await api.ok(REGISTER, {"input": secret}, tokens["owner"])
        rid = created["registerRecipient"]["id"]
        await api(REGISTER_NAMED, {"input": secret}, tokens["other"])
        await api(REGISTER_NAMED, {"input": secret})
        await api(REGISTER_NAMED, {"input": {**secret, "nationalId": NATIONAL_ID + "9"}})
        await api(REGISTER_NAMED, {"input": {**secret, "unknownField": NAME}}, tokens["owner"])
        await api(
            "query Person($id: ID!) { recipient(id: $id) { name } }", {"id": rid}, tokens["other"]
        )
    output = logs.everything()
    assert len(logs.requests()) == 6
    for forbidden in (
        NAME, NATIONAL_ID, NATIONAL_ID.replace("-", ""), PHONE, tokens["owner"],
        tokens["other"], "variables", "registerRecipient(",
    ):  # fmt: skip
        assert forbidden not in output, forbidden


def test_serve_writes_json_lines(tmp_path):
    """`HANARO_LOG_FORMAT=json hanaro serve`: every line the server writes on standard error is
    one JSON object, uvicorn's own included, and each GraphQL request has its line. (The
    embedded search engine, a child process, says its last words itself, in plain text.)"""
    port = free_port()
    process = subprocess.Popen(
        [HANARO, "serve", "--port", str(port), "--data-dir", str(tmp_path / "data")],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
        env={**os.environ, "HANARO_LOG_FORMAT": "json"},
    )
    out: list[str] = []
    reader = threading.Thread(target=lambda: out.extend(process.stdout or []), daemon=True)
    reader.start()
    try:
        deadline = time.monotonic() + 120
        while not any("Press Ctrl-C" in line for line in list(out)):
            assert process.poll() is None, "".join(out)
            assert time.monotonic() < deadline, "".join(out)
            time.sleep(0.2)
        query = "query Directory($n: String) { searchResources(input: {text: $n}) { totalCount } }"
        answer = httpx.post(
            f"http://127.0.0.1:{port}/graphql", json={"query": query, "variables": {"n": NAME}}
        )
        assert answer.status_code == 200 and "errors" not in answer.json(), answer.text
    finally:
        process.send_signal(signal.SIGINT)
        _, err = process.communicate(timeout=60)
    assert process.returncode == 0, err
    lines = [
        json.loads(line)
        for line in err.splitlines()
        if line.strip() and not line.startswith("osmem-server: ")
    ]
    requests = [line for line in lines if line["logger"] == "hanaro.requests"]
    assert [(r["operation"], r["outcome"]) for r in requests] == [("Directory", "ok")], lines
    assert any(line["logger"].startswith("uvicorn") for line in lines), lines
    assert NAME not in err
