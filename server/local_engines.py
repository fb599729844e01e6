"""The "local" engine set: real Neo4j 5 and OpenSearch 2.19, each one JVM started by Hanaro from
jars that Maven fetches once into `local_engines/<engine>/lib` (git-ignored).

A launcher (`local_engines/<engine>/<Name>Launcher.java`, compiled against those jars by the
same fetch) starts the engine in its JVM, prints `HANARO-READY <engine> <version>` and runs
until its standard input closes or it gets SIGTERM. Its standard input is a pipe that this
process never writes, so a JVM outlives no Hanaro, however Hanaro ends; `PR_SET_PDEATHSIG`
adds a SIGTERM when the parent dies."""

from __future__ import annotations

import contextlib
import os
import shutil
import signal
import socket
import subprocess
import sys
import time
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import IO

from server.process import EXEC_WITH_PDEATHSIG, StartupError, lock_engine_folder

__all__ = [
    "NEO4J",
    "OPENSEARCH",
    "JavaChild",
    "JavaProgram",
    "fetch",
    "free_port",
    "neo4j_settings",
]

ROOT = Path(__file__).resolve().parent.parent / "local_engines"
READY = "HANARO-READY "

# Java 17 closes these packages to reflection; Neo4j's own scripts open them.
_NEO4J_FLAGS = (
    "--add-opens=java.base/java.nio=ALL-UNNAMED",
    "--add-opens=java.base/java.io=ALL-UNNAMED",
    "--add-opens=java.base/sun.nio.ch=ALL-UNNAMED",
    "--add-opens=java.base/java.lang=ALL-UNNAMED",
    "-Dio.netty.tryReflectionSetAccessible=true",
)


@dataclass(frozen=True)
class JavaProgram:
    """One engine's launcher, its Maven descriptor and the JVM flags it needs."""

    name: str
    launcher: str
    jvm_flags: tuple[str, ...] = ()

    @property
    def folder(self) -> Path:
        return Path(os.environ.get("HANARO_LOCAL_ENGINES_DIR") or ROOT) / self.name

    @property
    def lib(self) -> Path:
        return self.folder / "lib"

    @property
    def classes(self) -> Path:
        return self.folder / "classes"

    @property
    def source(self) -> Path:
        return self.folder / f"{self.launcher}.java"

    def jars_fetched(self) -> bool:
        """The jars in lib/ were fetched for the descriptor as it is now."""
        stamp = self.lib / ".fetched"
        return stamp.exists() and stamp.stat().st_mtime >= (self.folder / "pom.xml").stat().st_mtime

    def fetched(self) -> bool:
        """The jars match the descriptor and the launcher is compiled from its source."""
        compiled = self.classes / f"{self.launcher}.class"
        return (
            self.jars_fetched()
            and compiled.exists()
            and compiled.stat().st_mtime >= self.source.stat().st_mtime
        )


NEO4J = JavaProgram("neo4j", "Neo4jLauncher", _NEO4J_FLAGS)

# On loopback no proxy drops an idle connection, so the local Neo4j sends no keep-alives —
# and with them goes its `connection.recv_timeout_seconds` hint, on which the Python driver
# wraps every socket read in a timer task (Python < 3.12): a 500-row read took 60 ms of
# client CPU with it and 18 without (docs/benchmarks.md, "Neo4j's keep-alives and the
# driver").
NEO4J_DEFAULTS = ("server.bolt.connection_keep_alive_for_requests=OFF",)


def neo4j_settings(pagecache_mb: int, extra: tuple[str, ...]) -> tuple[str, ...]:
    """The launcher's arguments after home and port: the page cache, then `neo4j.conf`
    settings — `NEO4J_DEFAULTS` unless `extra` (HANARO_LOCAL_NEO4J_CONFIG) names them."""
    named = {pair.partition("=")[0].strip() for pair in extra}
    defaults = tuple(d for d in NEO4J_DEFAULTS if d.partition("=")[0] not in named)
    return (str(pagecache_mb), *defaults, *extra)


OPENSEARCH = JavaProgram("opensearch", "OpenSearchLauncher")


def _tool(name: str) -> str:
    found = shutil.which(name)
    if not found:
        raise StartupError(
            f"the local engines need `{name}` (Java 17 and Maven) on PATH; install a JDK 17 "
            "and Maven, or use HANARO_ENGINES=embedded"
        )
    return found


def fetch(program: JavaProgram, say: Callable[[str], None] = print) -> None:
    """Fetch the jars (once) and compile the launcher (when its source changed)."""
    if program.fetched():
        return
    _tool("java")
    mvn, javac = _tool("mvn"), _tool("javac")
    if not program.jars_fetched():
        say(f"fetching the {program.name} jars with Maven (once; about 50–130 MB) ...")
        partial = program.folder / "lib.partial"
        shutil.rmtree(partial, ignore_errors=True)
        _run(
            [
                mvn, "-q", "-B", "-f", str(program.folder / "pom.xml"),
                "dependency:copy-dependencies", "-DincludeScope=runtime",
                f"-DoutputDirectory={partial}",
            ],
            f"fetching the {program.name} jars",
        )  # fmt: skip
        shutil.rmtree(program.lib, ignore_errors=True)
        partial.rename(program.lib)
        (program.lib / ".fetched").touch()
    say(f"compiling the {program.name} launcher ...")
    program.classes.mkdir(exist_ok=True)
    classpath = f"{program.lib}/*"
    _run(
        [javac, "-nowarn", "-cp", classpath, "-d", str(program.classes), str(program.source)],
        f"compiling {program.source.name}",
    )


def _run(args: list[str], what: str) -> None:
    result = subprocess.run(args, capture_output=True, text=True, check=False)
    if result.returncode != 0:
        tail = (result.stdout + result.stderr).strip().splitlines()[-5:]
        raise StartupError(f"{what} failed: " + " / ".join(tail))


def free_port() -> int:
    """A port on 127.0.0.1 that nothing listens on now (the engine binds it a moment later)."""
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


@dataclass
class JavaChild:
    """A running local engine: its process, the version it announced and its log file."""

    program: JavaProgram
    process: subprocess.Popen[bytes]
    home: Path
    port: int
    version: str
    heap_mb: int
    args: tuple[str, ...]
    _stdin: IO[bytes]
    _lock: IO[str]
    _log_offset: int = 0

    @classmethod
    def spawn(
        cls,
        program: JavaProgram,
        home: Path,
        *,
        port: int,
        heap_mb: int,
        args: tuple[str, ...] = (),
    ) -> JavaChild:
        """Start the engine with its data under `home`, without waiting for it (a second one
        boots meanwhile); `wait_ready` then waits. `PR_SET_PDEATHSIG` fires when the spawning
        *thread* ends, so that thread must outlive the JVM: the caller's, or asyncio's default
        executor (its threads live as long as the process), never a short-lived pool."""
        fetch(program)
        home = home.resolve()
        home.mkdir(parents=True, exist_ok=True)
        lock = lock_engine_folder(home)
        log_path = home / f"{program.name}.log"
        command = [
            sys.executable, "-c", EXEC_WITH_PDEATHSIG, _tool("java"),
            f"-Xms{heap_mb}m", f"-Xmx{heap_mb}m", "-XX:+UseG1GC",
            "-XX:+ExitOnOutOfMemoryError", "-Djava.awt.headless=true",
            *program.jvm_flags,
            "-cp", f"{program.classes}{os.pathsep}{program.lib}/*",
            program.launcher, str(home), str(port), *args,
        ]  # fmt: skip
        with log_path.open("ab") as log:
            start_offset = log.tell()
            process = subprocess.Popen(
                command, stdin=subprocess.PIPE, stdout=log, stderr=subprocess.STDOUT
            )
        assert process.stdin is not None
        return cls(
            program, process, home, port, "", heap_mb, args, process.stdin, lock, start_offset
        )

    def wait_ready(self, timeout: float = 180.0) -> JavaChild:
        """Wait for the ready line (and the version it names); a JVM that does not answer in
        `timeout` is stopped."""
        log_path = self.home / f"{self.program.name}.log"
        try:
            self.version = _wait_ready(
                self.process, log_path, self._log_offset, timeout, self.program.name
            )
        except BaseException:
            self.stop(grace=10)
            raise
        return self

    @property
    def pid(self) -> int:
        return self.process.pid

    def alive(self) -> bool:
        return self.process.poll() is None

    def restarted(self) -> JavaChild:
        """The same engine started again on its data and port, after this process died (the
        supervisor's hook; blocking until it answers). Clients keep their address."""
        self.stop(grace=1.0)
        return JavaChild.spawn(
            self.program, self.home, port=self.port, heap_mb=self.heap_mb, args=self.args
        ).wait_ready()

    def stop(self, grace: float = 30.0) -> None:
        """Close the engine cleanly (end of input, then SIGTERM, then SIGKILL)."""
        _end(self.process, self._stdin, grace)
        self._lock.close()


def _wait_ready(
    process: subprocess.Popen[bytes], log_path: Path, offset: int, timeout: float, name: str
) -> str:
    deadline = time.monotonic() + timeout
    while True:
        with log_path.open("rb") as log:
            log.seek(offset)
            for raw in log:
                line = raw.decode("utf-8", "replace").strip()
                if line.startswith(READY):
                    return line.removeprefix(READY).strip()
        if process.poll() is not None:
            raise StartupError(f"the local {name} engine exited at start (see {log_path})")
        if time.monotonic() > deadline:
            raise StartupError(f"the local {name} engine did not start in {timeout:.0f} s")
        time.sleep(0.1)


def _end(process: subprocess.Popen[bytes], stdin: IO[bytes], grace: float) -> None:
    with contextlib.suppress(OSError):
        stdin.close()
    if process.poll() is None:
        try:
            process.wait(grace)
        except subprocess.TimeoutExpired:
            process.send_signal(signal.SIGTERM)
            try:
                process.wait(grace)
            except subprocess.TimeoutExpired:
                process.kill()
                process.wait()
