"""The Node side of the federation tests: install the pinned packages, compose subgraphs and
run Node servers (the benefits subgraph, the gateway) on 127.0.0.1 with bounded waits.

Everything here is async so the Hanaro server the tests run in the same event loop keeps
answering while Node talks to it."""

from __future__ import annotations

import asyncio
import contextlib
import fcntl
import json
import os
import shutil
import subprocess
import time
from collections.abc import AsyncIterator
from pathlib import Path
from typing import Any

import pytest

HERE = Path(__file__).resolve().parent
NODE = shutil.which("node")
NPM = shutil.which("npm")
SKIP_REASON = (
    "Node.js (node and npm, version 20 or newer) is not on PATH: the federation tests compose "
    "the supergraph and run an Apollo gateway with it. Install Node.js to run them."
)
START_TIMEOUT = 30.0
STOP_TIMEOUT = 10.0


def skip_without_node() -> None:
    """Call at module level: the whole module skips, with the reason shown by `-ra`."""
    if NODE is None or NPM is None:
        pytest.skip(SKIP_REASON, allow_module_level=True)
    version = subprocess.run([NODE, "--version"], capture_output=True, text=True, timeout=30)
    major = version.stdout.strip().lstrip("v").split(".")[0]
    if not major.isdigit() or int(major) < 20:
        pytest.skip(
            f"{SKIP_REASON} Found {NODE} {version.stdout.strip()}.", allow_module_level=True
        )


def _node_env() -> dict[str, str]:
    """No Apollo credentials reach the test processes, so nothing reports anywhere."""
    env = {k: v for k, v in os.environ.items() if not k.startswith("APOLLO_")}
    env["NODE_ENV"] = "test"
    return env


def ensure_node_modules() -> None:
    """`npm ci` when node_modules is missing or older than the lockfile; cached otherwise.
    Under a file lock: `make test`'s two workers may both get here first in a fresh clone,
    and two `npm ci` in one folder break each other."""
    lock = HERE / "package-lock.json"
    stamp = HERE / "node_modules" / ".package-lock.json"
    with (HERE / ".npm-ci.lock").open("w") as held:
        fcntl.flock(held, fcntl.LOCK_EX)
        if stamp.exists() and stamp.stat().st_mtime >= lock.stat().st_mtime:
            return
        assert NPM is not None
        result = subprocess.run(
            [NPM, "ci", "--no-audit", "--no-fund", "--loglevel=error"],
            cwd=HERE,
            capture_output=True,
            text=True,
            timeout=600,
            env=_node_env(),
        )
        if result.returncode != 0:
            pytest.fail(f"`npm ci` in {HERE} failed:\n{result.stdout}\n{result.stderr}")
        stamp.touch()


async def compose(services: list[dict[str, str]]) -> dict[str, Any]:
    """`composeServices` over [{name, url, sdl}]: {errors, hints, supergraphSdl}."""
    assert NODE is not None
    process = await asyncio.create_subprocess_exec(
        NODE,
        str(HERE / "compose.mjs"),
        cwd=HERE,
        stdin=asyncio.subprocess.PIPE,
        stdout=asyncio.subprocess.PIPE,
        stderr=asyncio.subprocess.PIPE,
        env=_node_env(),
    )
    try:
        out, err = await asyncio.wait_for(
            process.communicate(json.dumps(services).encode()), START_TIMEOUT
        )
    finally:
        if process.returncode is None:
            process.kill()
            await process.wait()
    assert process.returncode == 0, err.decode()
    return json.loads(out)


async def run_node(script: str, *args: str, timeout: float = START_TIMEOUT) -> tuple[int, str]:
    """Run `node script args` to its end: (exit status, stdout and stderr)."""
    assert NODE is not None
    process = await asyncio.create_subprocess_exec(
        NODE,
        str(HERE / script),
        *args,
        cwd=HERE,
        stdin=asyncio.subprocess.DEVNULL,
        stdout=asyncio.subprocess.PIPE,
        stderr=subprocess.STDOUT,
        env=_node_env(),
    )
    try:
        out, _ = await asyncio.wait_for(process.communicate(), timeout)
    except TimeoutError:
        raise AssertionError(f"{script} still running after {timeout:.0f} s") from None
    finally:
        if process.returncode is None:
            process.kill()
            await process.wait()
    assert process.returncode is not None
    return process.returncode, out.decode(errors="replace")


@contextlib.asynccontextmanager
async def node_server(script: str, *args: str, log: Path) -> AsyncIterator[str]:
    """Run `node script args` until the block ends; yields the URL it prints once listening
    (`{"url": …}`). Output goes to `log`, quoted in any failure."""
    assert NODE is not None
    with log.open("wb") as sink:
        process = await asyncio.create_subprocess_exec(
            NODE,
            str(HERE / script),
            *args,
            cwd=HERE,
            stdin=asyncio.subprocess.DEVNULL,
            stdout=sink,
            stderr=subprocess.STDOUT,
            env=_node_env(),
        )
    try:
        deadline = time.monotonic() + START_TIMEOUT
        url = None
        while url is None:
            for line in log.read_text(errors="replace").splitlines():
                if line.startswith('{"url"'):
                    url = json.loads(line)["url"]
            if url is None:
                assert process.returncode is None, f"{script} exited:\n{log.read_text()}"
                assert time.monotonic() < deadline, f"{script} did not start:\n{log.read_text()}"
                await asyncio.sleep(0.05)
        assert url.startswith("http://127.0.0.1:"), url
        yield url
    finally:
        if process.returncode is None:
            process.terminate()
            try:
                await asyncio.wait_for(process.wait(), STOP_TIMEOUT)
            except TimeoutError:
                process.kill()
                await process.wait()
