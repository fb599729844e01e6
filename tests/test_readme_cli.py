"""The README's command-line summary lists every command and option `hanaro --help` has, and
docs/configuration.md every setting."""

from __future__ import annotations

import argparse
import re

from server.cli import _parser
from tests.support.doc_examples import ROOT


def commands(parser: argparse.ArgumentParser, prefix: str = "hanaro") -> dict[str, list[str]]:
    """'hanaro hsds import' -> its long options, for every leaf command."""
    found: dict[str, list[str]] = {}
    for action in parser._actions:
        if isinstance(action, argparse._SubParsersAction):
            for name, sub in action.choices.items():
                found.update(commands(sub, f"{prefix} {name}"))
    if not found:
        found[prefix] = [
            option
            for action in parser._actions
            for option in action.option_strings
            if option.startswith("--") and option != "--help"
        ]
    return found


def cli_summary() -> str:
    text = (ROOT / "README.md").read_text(encoding="utf-8")
    section = text.split("## The command line", 1)[1]
    return re.search(r"```text\n(.*?)```", section, re.DOTALL).group(1)


def test_the_readme_lists_every_command_and_option():
    summary = cli_summary()
    entries: dict[str, str] = {}
    current = None
    for line in summary.splitlines():
        match = re.match(r"^(hanaro(?: [a-z]+)+)", line)
        if match:
            words = match.group(1).split()
            # `hanaro hsds import PATH`: the command is the words before an argument
            current = " ".join(w for w in words if not w.isupper())
            entries[current] = entries.get(current, "") + line
        elif current:
            entries[current] += line
    documented = {name: text for name, text in entries.items()}
    expected = commands(_parser())
    assert "hanaro membership scan" in expected
    for command, options in expected.items():
        assert command in documented, f"README's command line lacks `{command}`"
        for option in options:
            assert re.search(rf"{option}\b", documented[command]), f"`{command}` lacks {option}"
    assert set(documented) <= set(expected), set(documented) - set(expected)


def test_every_setting_is_documented():
    """Each `HANARO_*` variable the server reads has a row in docs/configuration.md."""
    read = set(re.findall(r"HANARO_[A-Z0-9_]+", (ROOT / "server" / "settings.py").read_text()))
    documented = (ROOT / "docs" / "configuration.md").read_text(encoding="utf-8")
    assert "HANARO_MEMBERSHIP_SCAN_INTERVAL_MINUTES" in read
    assert not {v for v in read if f"`{v}`" not in documented}
