"""`python -m bench` (or `make bench`): run the benchmark scenarios on embedded engines that
the benchmark starts itself, print a table and write JSON to bench/results/."""

from __future__ import annotations

import argparse
import asyncio
import json
import os
import platform
import sys
import tempfile
import time
from dataclasses import replace
from pathlib import Path
from typing import Any

from bench.visibility import run_visibility
from server.engines import open_backends
from server.runtime import running
from server.settings import Settings

SCALES = {"tiny": (20, 0), "small": (300, 9), "medium": (500, 40)}  # (repeat, extra copies)


async def main(scale: str, out: Path) -> dict[str, Any]:
    repeat, copies = SCALES[scale]
    with tempfile.TemporaryDirectory(prefix="hanaro-bench-") as data_dir:
        settings = replace(
            Settings.from_env(), data_dir=Path(data_dir), neo4j_uri=None, elasticsearch_url=None
        )
        backends = await open_backends(settings)
        try:
            async with running(backends) as runtime:
                print(f"visibility scenario ({scale})", flush=True)
                results = {
                    "visibility": await run_visibility(
                        runtime,
                        repeat=repeat,
                        copies=copies,
                        progress=lambda line: print(line, flush=True),
                    )
                }
        finally:
            await backends.close()
    report = {
        "scale": scale,
        "when": time.strftime("%Y-%m-%dT%H:%M:%SZ", time.gmtime()),
        "machine": f"{platform.machine()}, {os.cpu_count()} cores, "
        f"Python {platform.python_version()}",
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
            if isinstance(value, dict):
                print(f"  {name:28} p50 {value['p50_ms']:8.2f} ms   p95 {value['p95_ms']:8.2f} ms")
            else:
                print(
                    f"  {name:28} {value:.1f}"
                    if isinstance(value, float)
                    else f"  {name:28} {value}"
                )


if __name__ == "__main__":
    parser = argparse.ArgumentParser(prog="python -m bench", description=__doc__)
    parser.add_argument("--scale", choices=sorted(SCALES), default="small")
    parser.add_argument("--out", type=Path, default=None, help="JSON file (bench/results/…)")
    args = parser.parse_args()
    out = args.out or Path("bench/results") / f"bench-{args.scale}.json"
    asyncio.run(main(args.scale, out))
    sys.exit(0)
