"""What every engine child process shares: the start-up error the operator reads, and the shim
that ties a child's life to ours."""

from __future__ import annotations

import fcntl
import signal
from pathlib import Path
from typing import IO

__all__ = ["EXEC_WITH_PDEATHSIG", "StartupError", "lock_engine_folder"]

_PR_SET_PDEATHSIG = 1


class StartupError(RuntimeError):
    """An engine could not be started or reached; the message is one line for the operator."""


# Run as `python -c EXEC_WITH_PDEATHSIG PROGRAM ARGS...`: asks the kernel to SIGTERM the child
# when its parent dies, then execs the program. A `preexec_fn` would run Python in a forked
# copy of a multi-threaded process, which can deadlock (and did, in tests).
EXEC_WITH_PDEATHSIG = f"""
import contextlib, ctypes, os, sys
with contextlib.suppress(OSError, AttributeError):
    ctypes.CDLL("libc.so.6", use_errno=True).prctl({_PR_SET_PDEATHSIG}, {int(signal.SIGTERM)})
os.execv(sys.argv[1], sys.argv[1:])
"""


def lock_engine_folder(folder: Path) -> IO[str]:
    """One engine process per data folder: two on one store (an append-only file, a Neo4j
    store, an OpenSearch data path) corrupt it. Held until the returned file is closed."""
    lock = (folder / "hanaro.lock").open("a+")
    try:
        fcntl.flock(lock, fcntl.LOCK_EX | fcntl.LOCK_NB)
    except BlockingIOError:
        lock.close()
        raise StartupError(
            f"the data dir {folder.parent} is in use by another hanaro process; "
            "stop it or set HANARO_DATA_DIR to another directory"
        ) from None
    return lock
