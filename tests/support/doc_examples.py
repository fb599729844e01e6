"""The examples of README.md and docs/*.md, read as test cases.

Every fenced block in GraphQL (```graphql) or shell (```sh, ```bash, ```shell) is an example,
and the line before it (blank lines allowed) must declare how it runs:

    <!-- example: role=sender expect=searchResources.hits save=ref:createReferral.id -->
    <!-- example: skip="needs a production cluster" -->

- `role`: who runs it, a demo user (`sender`, `receiver`, `registrant`, `regional-admin`,
  `platform-admin`) or `anonymous`; shell examples get its token as `$TOKEN` (and every demo
  user's as `$SENDER`, `$RECEIVER`, ...).
- `expect`: comma-separated paths into the answer's `data` that must be non-empty.
- `contains`: text the answer (or the shell output) must contain; several separated by `|`.
- `error`: the `extensions.code` the last operation must fail with.
- `save`: comma-separated `name:path`; later examples of the page get the value wherever they
  write the placeholder `name_…` (e.g. `ref_…`).
- `vars`: the variables, as JSON (placeholders resolved too).
- `until`: `path=value`: run the block again (as a reader would) until the answer has it.
- `skip`: why it cannot run here; it is reported as skipped under its name.
"""

from __future__ import annotations

import re
import shlex
import textwrap
from dataclasses import dataclass, field
from pathlib import Path

__all__ = ["DOC_PAGES", "ROOT", "Example", "all_examples", "examples_of"]

ROOT = Path(__file__).resolve().parents[2]
EXAMPLE_LANGUAGES = {"graphql": "graphql", "sh": "sh", "bash": "sh", "shell": "sh"}
ROLES = {
    "anonymous", "sender", "receiver", "registrant", "regional-admin", "platform-admin", "planner"
}  # fmt: skip
KEYS = {"role", "expect", "contains", "error", "save", "vars", "skip", "until"}

_FENCE = re.compile(r"^\s*```(\S*)\s*$")  # also indented, inside a list item
_MARKER = re.compile(r"^<!--\s*example:(.*?)-->\s*$")


def _doc_pages() -> list[Path]:
    return [ROOT / "README.md", *sorted((ROOT / "docs").glob("*.md"))]


DOC_PAGES = _doc_pages()


@dataclass
class Example:
    page: str  # path relative to the repository
    line: int  # the opening fence's line number
    language: str  # graphql | sh
    text: str
    options: dict[str, str] = field(default_factory=dict)
    marker_error: str | None = None

    @property
    def name(self) -> str:
        return f"{self.page}:{self.line}"

    @property
    def skip(self) -> str | None:
        return self.options.get("skip")

    @property
    def role(self) -> str:
        return self.options.get("role", "anonymous")


def _parse_marker(text: str) -> tuple[dict[str, str], str | None]:
    try:
        parts = shlex.split(text)
    except ValueError as exc:
        return {}, f"unreadable example marker: {exc}"
    options: dict[str, str] = {}
    for part in parts:
        key, sep, value = part.partition("=")
        if not sep or key not in KEYS:
            return {}, f"unknown example option {part!r} (known: {', '.join(sorted(KEYS))})"
        options[key] = value
    role = options.get("role")
    if role is not None and role not in ROLES:
        return {}, f"unknown role {role!r} (known: {', '.join(sorted(ROLES))})"
    return options, None


def examples_of(path: Path) -> list[Example]:
    lines = path.read_text(encoding="utf-8").splitlines()
    page = str(path.relative_to(ROOT)) if path.is_relative_to(ROOT) else path.name
    found: list[Example] = []
    marker: tuple[dict[str, str], str | None] | None = None
    i = 0
    while i < len(lines):
        line = lines[i]
        matched = _MARKER.match(line.strip())
        if matched:
            marker = _parse_marker(matched.group(1))
            i += 1
            continue
        fence = _FENCE.match(line)
        if fence:
            language = fence.group(1).lower()
            start = i + 1
            i += 1
            while i < len(lines) and not lines[i].lstrip().startswith("```"):
                i += 1
            body = textwrap.dedent("\n".join(lines[start:i]))
            if language in EXAMPLE_LANGUAGES:
                options, error = marker if marker is not None else ({}, None)
                if marker is None:
                    error = "no `<!-- example: ... -->` marker before this block"
                found.append(
                    Example(page, start, EXAMPLE_LANGUAGES[language], body, options, error)
                )
            marker = None
        elif line.strip():
            marker = None  # a marker belongs to the block right after it
        i += 1
    return found


def all_examples() -> list[Example]:
    return [example for page in DOC_PAGES for example in examples_of(page)]
