"""`python -m bench` (or `make bench`): run the benchmark scenarios on embedded engines that
the benchmark starts itself (fresh ones per scenario, so that one scenario's data does not
weigh on the next), print a table and write JSON to bench/results/."""

from __future__ import annotations

import argparse
import asyncio
import json
import os
import platform
import sys
import tempfile
import time
from collections.abc import Awaitable, Callable
from dataclasses import replace
from pathlib import Path
from typing import Any

from bench.recipients import run_recipients
from bench.search import run_search
from bench.visibility import run_visibility
from server.engines import open_backends
from server.runtime import Runtime, running
from server.settings import Settings

SCALES = {"tiny": (20, 0), "small": (300, 9), "medium": (500, 40)}  # (repeat, extra copies)
# Search: (resources, timed rounds); rounds are few at medium because the embedded engine takes
# seconds per search there (docs/benchmarks.md).
SEARCH_SCALES = {"tiny": (5_000, 10), "small": (20_000, 30), "medium": (100_000, 20)}
Scenario = Callable[[Runtime, str, Callable[[str], None]], Awaitable[dict[str, Any]]]


async def _visibility(runtime: Runtime, scale: str, progress: Callable[[str], None]) -> Any:
    repeat, copies = SCALES[scale]
    return await run_visibility(runtime, repeat=repeat, copies=copies, progress=progress)


async def _search(runtime: Runtime, scale: str, progress: Callable[[str], None]) -> Any:
    count, repeat = SEARCH_SCALES[scale]
    return await run_search(runtime, count=count, repeat=repeat, progress=progress)


# Recipients: (bulk-loaded recipients, 360° repetitions, referrals per client setting).
RECIPIENT_SCALES = {
    "tiny": (2_000, 20, 20),
    "small": (20_000, 100, 100),
    "medium": (200_000, 200, 200),
}


async def _recipients(runtime: Runtime, scale: str, progress: Callable[[str], None]) -> Any:
    people, repeat, referrals = RECIPIENT_SCALES[scale]
    return await run_recipients(
        runtime, people=people, repeat=repeat, referrals=referrals, progress=progress
    )


SCENARIOS: dict[str, Scenario] = {
    "visibility": _visibility,
    "search": _search,
    "recipients": _recipients,
}


def _print(line: str) -> None:
    print(line, flush=True)


async def run_scenario(name: str, scale: str) -> dict[str, Any]:
    with tempfile.TemporaryDirectory(prefix="hanaro-bench-") as data_dir:
        settings = replace(
            Settings.from_env(), data_dir=Path(data_dir), neo4j_uri=None, elasticsearch_url=None
        )
        backends = await open_backends(settings)
        try:
            async with running(backends) as runtime:
                _print(f"{name} scenario ({scale})")
                return await SCENARIOS[name](runtime, scale, _print)
        finally:
            await backends.close()


async def main(scale: str, out: Path, scenarios: list[str] | None = None) -> dict[str, Any]:
    # Other processes on the machine skew every figure; the load average says how busy it was.
    load_before = os.getloadavg()[0]
    results = {name: await run_scenario(name, scale) for name in scenarios or list(SCENARIOS)}
    report = {
        "scale": scale,
        "when": time.strftime("%Y-%m-%dT%H:%M:%SZ", time.gmtime()),
        "machine": f"{platform.machine()}, {os.cpu_count()} cores, "
        f"Python {platform.python_version()}",
        "load_average_1m": {"before": load_before, "after": os.getloadavg()[0]},
        "results": results,
    }
    out.parent.mkdir(parents=True, exist_ok=True)
    out.write_text(json.dumps(report, indent=2))
    print_table(results)
    print(f"\nwritten to {out}")
    return report


def print_table(results: dict[str, Any]) -> None:
    for scenario, values in results.items():
        print(f"\n{scenario}")
        for name, value in values.items():
            if isinstance(value, dict) and "p50_ms" in value:
                line = f"  {name:28} p50 {value['p50_ms']:8.2f} ms   p95 {value['p95_ms']:8.2f} ms"
                if "p99_ms" in value:
                    line += f"   p99 {value['p99_ms']:8.2f} ms"
                if "per_s" in value:
                    line += f"   {value['per_s']:8.1f}/s"
                print(line)
            elif isinstance(value, dict):
                print(f"  {name:28} " + ", ".join(f"{k} {v}" for k, v in value.items()))
            else:
                print(
                    f"  {name:28} {value:.1f}"
                    if isinstance(value, float)
                    else f"  {name:28} {value}"
                )


if __name__ == "__main__":
    parser = argparse.ArgumentParser(prog="python -m bench", description=__doc__)
    parser.add_argument("--scale", choices=sorted(SCALES), default="small")
    parser.add_argument(
        "--scenario", choices=[*SCENARIOS, "all"], default="all", help="one scenario, or all"
    )
    parser.add_argument("--out", type=Path, default=None, help="JSON file (bench/results/…)")
    args = parser.parse_args()
    chosen = list(SCENARIOS) if args.scenario == "all" else [args.scenario]
    suffix = "" if args.scenario == "all" else f"-{args.scenario}"
    out = args.out or Path("bench/results") / f"bench-{args.scale}{suffix}.json"
    asyncio.run(main(args.scale, out, chosen))
    sys.exit(0)
