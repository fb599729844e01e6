"""`python -m bench` (or `make bench`): generate a data set at the chosen scale
(`bench.generate`) on each chosen engine set (`--engines embedded,local`), started by the
benchmark itself, run the scenarios against it, print one table with a column per engine set
and write JSON to bench/results/."""

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
from dataclasses import dataclass, replace
from pathlib import Path
from typing import Any

from bench.generate import SCALES, Scale, Synthetic
from bench.intakes import run_intakes
from bench.loading import load
from bench.measure import peak_memory_mb
from bench.reads import run_reads
from bench.recipients import run_recipients
from bench.reindex import run_reindex
from bench.replicas import run_replicas
from bench.search import run_search
from bench.suggestions import run_suggest
from server.engines import open_backends
from server.runtime import Runtime, running
from server.settings import Settings


@dataclass(frozen=True)
class Rounds:
    """Timed repetitions per scale: reads, search rounds (few at medium: the embedded search
    engine takes a second or more per query there), 360° views, referrals per client setting,
    suggestion prefixes, intakes per client setting (0: as many as referrals), and the
    untimed writes before the rates (`bench.measure.throughput`: a fresh JVM compiles first)."""

    reads: int
    search: int
    view_360: int
    referrals: int
    suggest: int
    intakes: int = 0
    warm_up: int = 0


ROUNDS = {
    "tiny": Rounds(reads=20, search=5, view_360=20, referrals=20, suggest=40, warm_up=20),
    "small": Rounds(reads=300, search=30, view_360=100, referrals=100, suggest=300,
                    intakes=1000, warm_up=2000),
    "medium": Rounds(reads=300, search=10, view_360=200, referrals=200, suggest=300,
                     intakes=1000, warm_up=2000),
}  # fmt: skip
Progress = Callable[[str], None]
Scenario = Callable[[Runtime, Synthetic, Rounds, Progress], Awaitable[dict[str, Any]]]

SCENARIOS: dict[str, Scenario] = {
    "reads": lambda rt, data, n, progress: run_reads(rt, data, repeat=n.reads, progress=progress),
    "search": lambda rt, data, n, progress: run_search(
        rt, data, repeat=n.search, progress=progress
    ),
    "suggest": lambda rt, data, n, progress: run_suggest(
        rt, data, repeat=n.suggest, progress=progress
    ),
    "recipients": lambda rt, data, n, progress: run_recipients(
        rt, data, repeat=n.view_360, referrals=n.referrals, warm_up=n.warm_up, progress=progress
    ),
    "intakes": lambda rt, data, n, progress: run_intakes(
        rt, data, count=n.intakes or n.referrals, warm_up=n.warm_up, progress=progress
    ),
    "replicas": lambda rt, data, n, progress: run_replicas(
        rt, data, count=n.referrals, progress=progress
    ),
    "reindex": lambda rt, data, n, progress: run_reindex(rt, data, progress=progress),
}


def _print(line: str) -> None:
    print(line, flush=True)


# The local engines' memory for a benchmark: the medium scale's graph (~1.5 M nodes) wants a
# larger page cache and heap than the everyday defaults. The environment still wins.
BENCH_LOCAL_MEMORY = {
    "HANARO_LOCAL_NEO4J_HEAP_MB": "4096",
    "HANARO_LOCAL_NEO4J_PAGECACHE_MB": "3072",
    "HANARO_LOCAL_OPENSEARCH_HEAP_MB": "3072",
}


def bench_settings(env: dict[str, str], data_dir: Path, engines: str) -> Settings:
    """The service's settings from `env`, on engines the benchmark starts itself. A
    benchmark measures slow statements instead of stopping them, and its clients are one
    staff member sending thousands of requests a minute: no rate limit."""
    return replace(
        Settings.from_env(env),
        data_dir=data_dir,
        engines=engines,
        neo4j_uri=None,
        elasticsearch_url=None,
        statement_timeout_ms=3_600_000,
        rate_limit_staff_per_minute=0,
        rate_limit_anonymous_per_minute=0,
    )


async def run(
    scale: str,
    scenarios: list[str],
    progress: Progress = _print,
    *,
    rounds: Rounds | None = None,
    size: Scale | None = None,
    engines: str = "embedded",
) -> dict[str, Any]:
    """Fresh engines of the set `engines` in a temporary data dir, the generated data, then
    each scenario; `rounds` and `size` override the scale's (tests run a smaller set)."""
    with tempfile.TemporaryDirectory(prefix="hanaro-bench-") as data_dir:
        env = {**BENCH_LOCAL_MEMORY, **os.environ} if size is None else dict(os.environ)
        backends = await open_backends(bench_settings(env, Path(data_dir), engines))
        try:
            async with running(backends) as runtime:
                synthetic = Synthetic(size or SCALES[scale])
                progress(f"generating {synthetic.scale} ({scale})")
                loaded = await load(runtime, synthetic, progress)
                results: dict[str, Any] = {"load": loaded.report()}
                for name in scenarios:
                    progress(f"{name} scenario ({scale})")
                    results[name] = await SCENARIOS[name](
                        runtime, synthetic, rounds or ROUNDS[scale], progress
                    )
                results["peak_memory_mb"] = peak_memory_mb(runtime)
                return results
        finally:
            await backends.close()


async def main(
    scale: str, out: Path, scenarios: list[str], engine_sets: list[str]
) -> dict[str, Any]:
    # Other processes on the machine skew every figure; the load average says how busy it was.
    load_before = os.getloadavg()[0]
    started = time.perf_counter()
    results: dict[str, Any] = {}
    report: dict[str, Any] = {}
    for engines in engine_sets:  # one after the other: they would share two cores otherwise
        _print(f"== engine set {engines}")
        results[engines] = await run(scale, scenarios, engines=engines)
        report = _write(out, scale, results, load_before, started)  # kept if a later set fails
    print_table(results)
    print(f"\n{report['minutes']:.1f} minutes; written to {out}")
    return report


def _write(
    out: Path, scale: str, results: dict[str, Any], load_before: float, started: float
) -> dict[str, Any]:
    """The JSON report of the engine sets measured so far."""
    report = {
        "scale": scale,
        "when": time.strftime("%Y-%m-%dT%H:%M:%SZ", time.gmtime()),
        "machine": f"{platform.machine()}, {os.cpu_count()} cores, "
        f"Python {platform.python_version()}",
        "load_average_1m": {"before": load_before, "after": os.getloadavg()[0]},
        "minutes": (time.perf_counter() - started) / 60,
        "results": results,
    }
    out.parent.mkdir(parents=True, exist_ok=True)
    out.write_text(json.dumps(report, indent=2))
    return report


def cell(value: Any) -> str:
    """One figure as the table shows it."""
    if isinstance(value, dict) and "p50_ms" in value:
        text = f"p50 {value['p50_ms']:.2f} / p95 {value['p95_ms']:.2f} ms"
        text += f", {value['per_s']:.1f}/s" if "per_s" in value else ""
        cpu = value.get("cpu_ms_per_item") or {}
        return text + "".join(f", {k} CPU {v:.1f} ms" for k, v in cpu.items())
    if isinstance(value, dict):
        return ", ".join(f"{k} {v:.1f}" if isinstance(v, float) else f"{k} {v}"
                         for k, v in value.items())  # fmt: skip
    return f"{value:,.1f}" if isinstance(value, float) else str(value)


def print_table(results: dict[str, Any]) -> None:
    """Rows of (scenario, measure), a column per engine set."""
    sets = list(results)
    rows: dict[tuple[str, str], dict[str, str]] = {}
    for engines, scenarios in results.items():
        for scenario, values in scenarios.items():
            for name, value in values.items():
                rows.setdefault((scenario, name), {})[engines] = cell(value)
    width = max((len(f"{s} {n}") for s, n in rows), default=20) + 2
    print("\n" + f"{'':{width}}" + " | ".join(f"{s:44}" for s in sets))
    last = ""
    for (scenario, name), cells in rows.items():
        if scenario != last:
            print(f"{scenario}")
            last = scenario
        print(f"  {name:{width - 2}}" + " | ".join(f"{cells.get(s, '-'):44}" for s in sets))


if __name__ == "__main__":
    parser = argparse.ArgumentParser(prog="python -m bench", description=__doc__)
    parser.add_argument("--scale", choices=sorted(SCALES), default="small")
    parser.add_argument(
        "--scenario", choices=[*SCENARIOS, "all"], default="all", help="one scenario, or all"
    )
    parser.add_argument("--out", type=Path, default=None, help="JSON file (bench/results/…)")
    parser.add_argument(
        "--engines",
        default="embedded",
        help="comma-separated engine sets, run one after the other: embedded, local",
    )
    args = parser.parse_args()
    engine_sets = [name.strip() for name in args.engines.split(",") if name.strip()]
    if not engine_sets or not set(engine_sets) <= {"embedded", "local"}:
        parser.error("--engines takes embedded, local or both (embedded,local)")
    chosen = list(SCENARIOS) if args.scenario == "all" else [args.scenario]
    suffix = "" if args.scenario == "all" else f"-{args.scenario}"
    out = args.out or Path("bench/results") / f"bench-{args.scale}{suffix}.json"
    asyncio.run(main(args.scale, out, chosen, engine_sets))
    sys.exit(0)
