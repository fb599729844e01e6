"""Weighted draws, scaled counts and time stamps, shared by the generator's parts."""

from __future__ import annotations

import random
from datetime import datetime
from typing import Any

__all__ = ["pick", "scaled_count", "stamp"]


def pick(rng: random.Random, weighted: tuple[tuple[Any, int], ...]) -> Any:
    return rng.choices([v for v, _ in weighted], [w for _, w in weighted])[0]


def scaled_count(rng: random.Random, choices: tuple[int, ...], mean: float) -> int:
    """A count drawn from `choices`, scaled so that counts average `mean` (rounded up or down
    at random in proportion; at the choices' own mean no extra draw is made)."""
    scaled = rng.choice(choices) * mean * len(choices) / sum(choices)
    whole = int(scaled)
    fraction = scaled - whole
    if fraction < 1e-9 or fraction > 1 - 1e-9:
        return round(scaled)
    return whole + (rng.random() < fraction)


def stamp(moment: datetime) -> tuple[str, int]:
    """ISO text (as the product writes it) and epoch milliseconds."""
    return moment.strftime("%Y-%m-%dT%H:%M:%S.000Z"), int(moment.timestamp() * 1000)
