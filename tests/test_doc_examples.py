"""Every GraphQL and shell example of README.md and docs/*.md works as written, against the demo
data set: GraphQL over the app, shell examples in bash against a live server on 127.0.0.1.
An example that cannot run here is declared so and shows up as skipped under its name; a
block without a declaration fails (see tests/support/doc_examples.py for the marker)."""

from __future__ import annotations

import asyncio
import json
import os
import re
import sys
import tempfile
from pathlib import Path
from typing import Any

import pytest
from graphql import OperationDefinitionNode, parse, validate

from demo.load import load_demo
from schema import build_schema
from server.demo_tokens import demo_user_tokens
from tests.support.doc_examples import ROOT, Example, all_examples, examples_of
from tests.support.live import live_server

EXAMPLES = all_examples()
# Values the placeholders (`rcp_…`) stand for until an example saves another one: the demo
# recipient, resource and institution of the README tour, and records the demo data holds.
DEMO_PLACEHOLDERS = {
    "rcp": "rcp_demo0013",
    "res": "res_486fb10d1b55",
    "ins": "ins_cb903ca89735",
    "cns": "cns_demo0003",
    "cas": "cas_demo0002",
    "ref": "ref_demo0001",
}
_PLACEHOLDER = re.compile(r"\b([a-z]{3})_…")
SHELL_PRELUDE = """set -eo pipefail
curl() { command curl --fail-with-body --silent --show-error --max-time 30 "$@"; }
"""


@pytest.fixture(scope="module")
def schema() -> Any:
    return build_schema()._schema


def resolve(text: str, values: dict[str, str], *, strict: bool = True) -> str:
    """Placeholders replaced; without `strict`, one nothing saved yet gets a well-formed id."""

    def one(match: re.Match[str]) -> str:
        prefix = match.group(1)
        if prefix in values:
            return values[prefix]
        if strict:
            raise AssertionError(f"no value for the placeholder {prefix}_…")
        return f"{prefix}_000000000000"

    return _PLACEHOLDER.sub(one, text)


def dig(data: Any, path: str) -> Any:
    for part in path.split("."):
        if isinstance(data, list):
            data = data[int(part)] if part.isdigit() and int(part) < len(data) else None
        elif isinstance(data, dict):
            data = data.get(part)
        else:
            return None
    return data


def operations(text: str) -> list[str]:
    """Each operation of the block, as its own document (a block may hold several)."""
    document = parse(text)
    return [
        text[d.loc.start : d.loc.end]
        for d in document.definitions
        if isinstance(d, OperationDefinitionNode) and d.loc is not None
    ]


@pytest.mark.parametrize("example", EXAMPLES, ids=[e.name for e in EXAMPLES])
def test_every_example_is_declared_and_valid(example: Example, schema: Any) -> None:
    """Cheap checks for every block; the ones that cannot run here are skipped by name."""
    assert example.marker_error is None, f"{example.name}: {example.marker_error}"
    if example.skip:
        pytest.skip(f"{example.name} is not run here: {example.skip}")
    if example.language == "graphql":
        assert "role" in example.options, f"{example.name}: declare the role that runs it"
        text = resolve(example.text, DEMO_PLACEHOLDERS, strict=False)
        errors = validate(schema, parse(text))
        # Several anonymous operations in one block are run one by one.
        errors = [e for e in errors if "anonymous operation must be the only" not in e.message]
        assert not errors, f"{example.name}: {[e.message for e in errors]}"


def test_the_readme_declares_the_tour_and_a_new_block_needs_a_marker(tmp_path: Path) -> None:
    readme = examples_of(ROOT / "README.md")
    roles = {e.role for e in readme if e.language == "graphql"}
    assert {"sender", "receiver", "registrant"} <= roles
    page = tmp_path / "new.md"
    page.write_text("text\n\n```graphql\n{ viewer { anonymous } }\n```\n", encoding="utf-8")
    (probe,) = examples_of(page)
    assert probe.marker_error and "marker" in probe.marker_error
    page.write_text(
        "<!-- example: role=sender -->\n```sh\ncurl -s http://127.0.0.1:8000/healthz\n```\n"
        "words\n\n```bash\nmake demo\n```\n",
        encoding="utf-8",
    )
    declared, undeclared = examples_of(page)
    assert declared.marker_error is None and declared.role == "sender"
    assert undeclared.marker_error  # a marker belongs only to the block right after it


class Runner:
    """Runs one page's examples in order, as the page's reader would."""

    def __init__(self, client: Any, base: str, tokens: dict[str, str], secret: str) -> None:
        self.client = client
        self.base = base
        self.tokens = tokens
        self.secret = secret
        self.values: dict[str, str] = {}

    async def graphql(self, example: Example) -> None:
        """Runs the block; with `until`, again every 0.1 s (up to 60 s) until it holds."""
        path, _, wanted = example.options.get("until", "").partition("=")
        async with asyncio.timeout(60):
            while True:
                merged = await self.graphql_once(example)
                if not path or str(dig(merged, path)) == wanted:
                    return
                await asyncio.sleep(0.1)

    async def graphql_once(self, example: Example) -> dict[str, Any]:
        options = example.options
        token = self.tokens.get(example.role)
        headers = {"Authorization": f"Bearer {token}"} if token else {}
        variables = json.loads(resolve(options.get("vars", "{}"), self.values))
        merged: dict[str, Any] = {}
        body: dict[str, Any] = {}
        answers: list[str] = []
        for operation in operations(resolve(example.text, self.values)):
            response = await self.client.post(
                "/graphql", json={"query": operation, "variables": variables}, headers=headers
            )
            body = response.json()
            answers.append(json.dumps(body, ensure_ascii=False))
            if "error" not in options:
                assert not body.get("errors"), body["errors"]
            merged.update(body.get("data") or {})
        if "error" in options:
            codes = [e.get("extensions", {}).get("code") for e in body.get("errors") or []]
            assert options["error"] in codes, body
        self.check(options, merged, "\n".join(answers))
        return merged

    async def shell(self, example: Example, data_dir: str) -> None:
        """In bash, in a scratch directory that sees the repository's .venv and hsds/ (so
        what an example writes stays out of the repository)."""
        script = resolve(example.text, self.values).replace("http://127.0.0.1:8000", self.base)
        bin_dir = str(Path(sys.executable).parent)
        env = {
            **os.environ,
            "PATH": f"{bin_dir}:{os.environ.get('PATH', '')}",
            "HANARO_JWT_SECRET": self.secret,
            "HANARO_DATA_DIR": data_dir,
            **{key.upper().replace("-", "_"): t for key, t in self.tokens.items()},
        }
        if example.role in self.tokens:
            env["TOKEN"] = self.tokens[example.role]
        process = await asyncio.create_subprocess_exec(
            "bash", "-c", SHELL_PRELUDE + script, cwd=self.workdir(data_dir), env=env,
            stdout=asyncio.subprocess.PIPE, stderr=asyncio.subprocess.PIPE,
        )  # fmt: skip
        async with asyncio.timeout(120):
            out, err = await process.communicate()
        output = out.decode(errors="replace")
        assert process.returncode == 0, f"exit {process.returncode}: {output[-800:]}{err[-800:]!r}"
        self.check(example.options, None, output)

    @staticmethod
    def workdir(data_dir: str) -> Path:
        work = Path(data_dir) / "work"
        if not work.exists():
            work.mkdir()
            for name in (".venv", "hsds"):
                if (ROOT / name).exists():
                    (work / name).symlink_to(ROOT / name)
        return work

    def check(self, options: dict[str, str], data: dict[str, Any] | None, text: str) -> None:
        for path in filter(None, options.get("expect", "").split(",")):
            value = dig(data, path)
            assert value not in (None, [], {}, "", 0), f"{path} is empty: {text[:800]}"
        for wanted in filter(None, resolve(options.get("contains", ""), self.values).split("|")):
            escaped = json.dumps(wanted)[1:-1]  # as a JSON answer printed by curl has it
            assert wanted in text or escaped in text, f"{wanted!r} not in: {text[:800]}"
        for pair in filter(None, options.get("save", "").split(",")):
            name, _, path = pair.partition(":")
            value = dig(data, path)
            assert isinstance(value, str), f"nothing to save at {path}: {text[:800]}"
            self.values[name] = value


RUNNABLE_PAGES = sorted(
    {e.page for e in EXAMPLES if not e.skip}, key=lambda page: (page != "README.md", page)
)


@pytest.mark.parametrize("page", RUNNABLE_PAGES)
async def test_a_pages_examples_work_in_order_on_a_fresh_demo(page: str, runtime, client) -> None:
    """Each page from a freshly loaded demo, its examples in order, as its reader would."""
    await load_demo(runtime.backends.graph)
    await runtime.sync.drain()  # the demo's resources are searchable
    tokens = {user.key: token for user, token in demo_user_tokens(runtime.secret)}
    failures: list[str] = []
    with tempfile.TemporaryDirectory() as data_dir:
        async with live_server(runtime) as address:
            runner = Runner(client, f"http://{address}", tokens, runtime.secret)
            runner.values = dict(DEMO_PLACEHOLDERS)
            for example in [e for e in EXAMPLES if e.page == page and not e.skip]:
                try:
                    if example.language == "graphql":
                        await runner.graphql(example)
                    else:
                        await runner.shell(example, data_dir)
                except AssertionError as exc:
                    failures.append(f"{example.name} ({example.role}): {exc}")
                await runtime.sync.drain()  # what a write changed is searchable next
    assert not failures, "\n\n".join(failures)
