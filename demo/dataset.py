"""Deterministic demo data for Jeju (제주특별자치도): institutions and the resources they offer.

`build_demo_dataset` returns about 76 institutions (every 읍면동 office plus city halls,
health centres, welfare centres, NGOs and hospitals) and about 500 resources. The output
depends only on the seed; need and region codes are read from the graph's seed files at call
time."""

from __future__ import annotations

import random
from dataclasses import dataclass
from typing import Any

from demo.institutions import Geo, build_institutions
from demo.resources import KIND_CODES, RESOURCES_PER_KIND, TEMPLATES, build_resource
from graph.needs import load_need_seed
from graph.regions import load_region_seed

__all__ = ["DemoDataset", "build_demo_dataset"]


@dataclass(frozen=True)
class DemoDataset:
    """Institutions and resources in the dict shapes the graph loaders take."""

    institutions: list[dict[str, Any]]
    resources: list[dict[str, Any]]


def build_demo_dataset(seed: int = 20191) -> DemoDataset:
    """Build the Jeju demo institutions and resources; the same seed gives the same data."""
    rng = random.Random(seed)
    parents: dict[str, str | None] = {item["code"]: item["parent"] for item in load_need_seed()}
    used = [code for tpl in TEMPLATES for code in tpl.needs]
    used += [code for tpl in TEMPLATES for codes in tpl.extra_needs.values() for code in codes]
    unknown = [code for code in used if code not in parents]
    if unknown:
        raise ValueError(f"demo templates use need codes missing from needs.json: {unknown}")
    providers = [kind for tpl in TEMPLATES for kind in tpl.extra_needs if kind != "*"]
    if set(providers) - set(KIND_CODES.values()):
        raise ValueError(f"demo templates' extraNeeds name unknown kinds: {providers}")
    geo = Geo(load_region_seed())

    institutions, extras = build_institutions(rng, geo)
    resources: list[dict[str, Any]] = []
    for inst in institutions:
        code = KIND_CODES[inst["kind"]]
        offered = [tpl for tpl in TEMPLATES if code in tpl.providers]
        count = min(RESOURCES_PER_KIND[inst["kind"]] + rng.randint(0, 1), len(offered))
        for tpl in rng.sample(offered, count):
            resources.append(
                build_resource(rng, len(resources) + 1, inst, extras[inst["id"]], tpl, geo, parents)
            )
    return DemoDataset(institutions=institutions, resources=resources)
