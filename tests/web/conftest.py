"""Browser tests: a Hanaro on 127.0.0.1 (a free port) serving the demo data set as `hanaro demo`
does, on the shared test engines, and Debian's Chromium driven by Playwright — never a browser
download (`executable_path`, no `playwright install`).

Each test gets its own graph with the demo data loaded, so a test that changes visibility or
answers a referral cannot disturb another."""

from __future__ import annotations

import shutil
from collections.abc import AsyncIterator
from pathlib import Path
from typing import Any

import pytest

from demo.dataset import build_demo_dataset
from demo.load import load_demo
from server.engines import Backends
from server.runtime import running
from server.webapp import WEB_DIST
from tests.support.live import live_server

CHROMIUM = Path("/usr/bin/chromium")
ARTIFACTS = Path(__file__).parent / "artifacts"

playwright_api = pytest.importorskip("playwright.async_api")

if not CHROMIUM.exists():
    pytest.skip(
        f"{CHROMIUM} is missing: `make test` installs Debian's chromium", allow_module_level=True
    )
if not (WEB_DIST / "index.html").exists():
    pytest.skip("web/dist is not built: run `make web` (Node.js 20+)", allow_module_level=True)

from tests.web.pages import Site  # noqa: E402  (needs playwright, checked above)


@pytest.fixture(scope="session")
async def browser() -> AsyncIterator[Any]:
    async with playwright_api.async_playwright() as driver:
        # --no-sandbox: the tests run as root in CI, where Chromium's sandbox will not start.
        launched = await driver.chromium.launch(
            executable_path=str(CHROMIUM), args=["--no-sandbox", "--disable-gpu"]
        )
        yield launched
        await launched.close()


@pytest.fixture(scope="session")
def artifacts() -> Path:
    """Screenshots land here (git-ignored); the README's pictures are copies of two."""
    if ARTIFACTS.exists():
        shutil.rmtree(ARTIFACTS)
    ARTIFACTS.mkdir(parents=True)
    return ARTIFACTS


@pytest.fixture
async def site(backends: Backends) -> AsyncIterator[Site]:
    await load_demo(backends.graph)
    async with running(backends) as runtime, live_server(runtime, demo=True) as address:
        yield Site(base=f"http://{address}", runtime=runtime, data=build_demo_dataset())
