"""Racing writers: how many race, and the winners and losers of a race."""

from __future__ import annotations

RACERS = 12


def split(bodies: list[dict]) -> tuple[list[dict], list[dict]]:
    winners = [b for b in bodies if "errors" not in b]
    losers = [b["errors"][0] for b in bodies if "errors" in b]
    return winners, losers
