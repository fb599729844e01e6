"""Reading deploy/Dockerfile and deploy/compose.yaml as a container engine would, far enough
for the checks of tests/test_deploy_files.py (this machine has no container engine)."""

from __future__ import annotations

import fnmatch
import json
import re
import shlex
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import yaml

from tests.support.doc_examples import ROOT

__all__ = [
    "COMPOSE",
    "DOCKERFILE",
    "Instruction",
    "Stage",
    "compose",
    "dockerignored",
    "interpolate",
    "stages",
]

DOCKERFILE = ROOT / "deploy" / "Dockerfile"
COMPOSE = ROOT / "deploy" / "compose.yaml"


@dataclass
class Instruction:
    keyword: str  # upper case: FROM, COPY, ...
    arguments: str


@dataclass
class Stage:
    base: str
    name: str | None
    instructions: list[Instruction] = field(default_factory=list)

    def all(self, keyword: str) -> list[Instruction]:
        return [i for i in self.instructions if i.keyword == keyword]


def stages(path: Path = DOCKERFILE) -> list[Stage]:
    """The build stages, each with its instructions; comments dropped, `\\` lines joined."""
    text = re.sub(r"\\\n", " ", path.read_text(encoding="utf-8"))
    found: list[Stage] = []
    for line in text.splitlines():
        line = line.strip()
        if not line or line.startswith("#"):
            continue
        keyword, _, arguments = line.partition(" ")
        keyword = keyword.upper()
        arguments = " ".join(arguments.split())
        if keyword == "FROM":
            parts = arguments.split()
            name = parts[2] if len(parts) == 3 and parts[1].upper() == "AS" else None
            found.append(Stage(parts[0], name))
        else:
            assert found, f"{keyword} before FROM"
            found[-1].instructions.append(Instruction(keyword, arguments))
    return found


def exec_form(arguments: str) -> list[str]:
    """`["a", "b"]` as a list; shell form split like a shell would."""
    if arguments.startswith("["):
        return list(json.loads(arguments))
    return shlex.split(arguments)


def dockerignored(relative: str, path: Path = ROOT / ".dockerignore") -> bool:
    """Whether the build context leaves `relative` (or a folder above it) out: patterns are
    relative to the context's root, `**/NAME` matches NAME at any depth (no `!` exceptions)."""
    if not path.exists():
        return False
    patterns = [
        p.strip().lstrip("/")
        for p in path.read_text(encoding="utf-8").splitlines()
        if p.strip() and not p.startswith("#")
    ]
    parts = Path(relative.rstrip("/")).parts
    for depth in range(1, len(parts) + 1):
        prefix = "/".join(parts[:depth])
        for pattern in patterns:
            if pattern.startswith("**/"):
                if fnmatch.fnmatch(parts[depth - 1], pattern[3:]):
                    return True
            elif fnmatch.fnmatch(prefix, pattern):
                return True
    return False


def compose(path: Path = COMPOSE) -> dict[str, Any]:
    return yaml.safe_load(path.read_text(encoding="utf-8"))


_VARIABLE = re.compile(r"\$\{(\w+)(?::?([-?])([^}]*))?\}")


def interpolate(value: str, environment: dict[str, str]) -> str:
    """Compose's `${VAR}`, `${VAR:-default}` and `${VAR:?message}`: the environment's value,
    else the default (empty for a required one the environment lacks)."""

    def one(match: re.Match[str]) -> str:
        name, kind, rest = match.groups()
        if name in environment:
            return environment[name]
        return rest if kind == "-" else ""

    return _VARIABLE.sub(one, value)
