"""Running the `hanaro` command and finding the engine processes it left."""

from __future__ import annotations

import os
import socket
import subprocess
import sys
from pathlib import Path

HANARO = str(Path(sys.executable).parent / "hanaro")


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def run(
    *args: str, env: dict[str, str] | None = None, timeout: float = 60
) -> subprocess.CompletedProcess:
    return subprocess.run(
        [HANARO, *args],
        capture_output=True,
        text=True,
        timeout=timeout,
        env={**os.environ, **(env or {})},
    )


def engine_processes(data_dir: Path, parent_pid: int | None = None) -> list[str]:
    """Command lines of live processes that belong to a server on `data_dir`."""
    found = []
    for entry in Path("/proc").iterdir():
        if not entry.name.isdigit():
            continue
        try:
            cmdline = (entry / "cmdline").read_bytes().replace(b"\0", b" ").decode()
            state = (entry / "stat").read_text().split()[2]
        except OSError:
            continue
        if state == "Z":
            continue
        if str(data_dir) in cmdline or (parent_pid and f"--parent-pid {parent_pid}" in cmdline):
            found.append(cmdline)
    return found
