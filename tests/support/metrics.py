"""Reading `/metrics` as Prometheus does: samples by name and labels."""

from __future__ import annotations

from typing import Any

from prometheus_client.parser import text_string_to_metric_families

Samples = dict[tuple[str, frozenset[tuple[str, str]]], float]


async def scrape(client: Any) -> tuple[str, Samples]:
    """The text of `/metrics` and its samples, keyed by (sample name, its labels)."""
    response = await client.get("/metrics")
    assert response.status_code == 200, response.text
    assert response.headers["content-type"].startswith("text/plain")
    samples: Samples = {}
    for family in text_string_to_metric_families(response.text):
        for sample in family.samples:
            samples[(sample.name, frozenset(sample.labels.items()))] = sample.value
    return response.text, samples


def value(samples: Samples, name: str, **labels: str) -> float | None:
    return samples.get((name, frozenset(labels.items())))


def labelled(samples: Samples, name: str, label: str) -> dict[str, float]:
    """Label value -> sample value, for the samples of `name` that carry `label`."""
    return {
        dict(key[1])[label]: v
        for key, v in samples.items()
        if key[0] == name and label in dict(key[1])
    }
