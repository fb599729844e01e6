"""Deterministic synthetic data at a chosen scale, loaded through the product's bulk paths.

`python -m bench.generate --scale medium` (or `--institutions/--resources/--recipients`, and
`--case-share/--referral-share/--assessments-per-recipient/--enrollments-per-recipient` for
the history) loads into the engines the `HANARO_*` settings name (the embedded ones under
`HANARO_DATA_DIR` by default) and reports the loading rate; the benchmark (`python -m
bench`) uses the same `load` on engines it starts itself.

What it makes, from one seed and one reference day (the same pair gives the same data):
- institutions: the demo set (76 real-shaped Jeju institutions, 43 주민센터) and synthetic
  private/public institutions of other kinds in random 읍면동;
- resources: copies of the 518 demo resources handed to an institution of the same kind
  elsewhere (names, text, regions and address follow the new provider), each with its own
  capacity, a little of the need mix of another resource and a spread of audiences;
- recipients: Korean names, household types with their age bands and need sets
  (`demo.people`), income and disability distributions, registered by the 주민센터
  of their 읍면동, each with 1–2 needs assessments, 0–3 enrollments in resources that serve
  their needs, and for some a case (lead, participants, notes), consents and referrals in
  every state. The recipient row carries the access fields its cases, consents and
  accepted referrals imply, as the product's own writes would leave them.

`Synthetic` makes the institutions and resources here and the recipients with their history
in `bench.people`; `bench.loading.load` writes them in batches while the product's outbox loop
keeps the search index in sync, waits until it has caught up and reports both the graph's rate
and the overall one."""

from __future__ import annotations

import argparse
import asyncio
import random
import sys
from dataclasses import dataclass, replace
from datetime import UTC, date, datetime
from typing import Any

from bench.draws import pick, stamp
from bench.people import SyntheticPeople
from demo.dataset import build_demo_dataset
from demo.load import demo_resource_record
from graph.regions import load_region_seed

__all__ = ["SCALES", "SEED", "Scale", "Synthetic"]


@dataclass(frozen=True)
class Scale:
    """How much to make. Cases, referrals, assessments and enrollments follow the recipients:
    the shares of recipients with a case or a referral, and the mean number of assessments and
    enrollments per recipient."""

    institutions: int
    resources: int
    recipients: int
    case_share: float = 0.08
    referral_share: float = 0.2
    assessments_per_recipient: float = 4 / 3
    enrollments_per_recipient: float = 8 / 7


SCALES = {
    "tiny": Scale(institutions=120, resources=2_000, recipients=2_000),
    "small": Scale(institutions=300, resources=20_000, recipients=20_000),
    "medium": Scale(institutions=1_000, resources=100_000, recipients=200_000),
}
SEED = 20191

# Synthetic institutions: kind -> (weight, sector, Korean label, English label).
_KINDS = {
    "WELFARE_CENTER": (22, "PRIVATE", "종합사회복지관", "Community Welfare Center"),
    "CHILD_CENTER": (26, "PRIVATE", "지역아동센터", "Community Child Center"),
    "SENIOR_WELFARE_CENTER": (12, "PRIVATE", "노인복지관", "Senior Welfare Center"),
    "DISABILITY_WELFARE_CENTER": (8, "PRIVATE", "장애인복지관", "Disability Welfare Center"),
    "SELF_SUFFICIENCY_CENTER": (5, "PRIVATE", "지역자활센터", "Self-Sufficiency Center"),
    "NGO": (17, "PRIVATE", "나눔센터", "Sharing Center"),
    "HOSPITAL": (6, "PRIVATE", "의원", "Clinic"),
    "HEALTH_CENTER": (4, "PUBLIC", "보건지소", "Health Subcenter"),
}
DAY_MS = 86_400_000


class Synthetic(SyntheticPeople):
    """The generator. Records depend only on (seed, today, scale) and their number, so any
    batch can be made again on its own."""

    def __init__(self, scale: Scale, *, seed: int = SEED, today: date | None = None) -> None:
        self.demo = build_demo_dataset()
        if scale.institutions < len(self.demo.institutions):
            raise ValueError(
                f"institutions: at least the {len(self.demo.institutions)} of the demo set "
                "(the 주민센터 that register recipients and the providers of the demo resources)"
            )
        self.scale, self.seed = scale, seed
        self.today = today or datetime.now(UTC).date()
        self.now = datetime(self.today.year, self.today.month, self.today.day, 3, tzinfo=UTC)
        regions = load_region_seed()
        self.districts = [r for r in regions if r["level"] == "EUPMYEONDONG"]
        self.names = {r["code"]: r["name"] for r in regions}
        self.institutions = self._institutions()
        kinds: dict[str, list[dict[str, Any]]] = {}
        for inst in self.institutions:
            kinds.setdefault(inst["kind"], []).append(inst)
        self.by_kind = kinds
        self.centres = {
            i["regionCode"]: i for i in self.demo.institutions if i["kind"] == "COMMUNITY_CENTER"
        }
        self.providers = {i["id"]: i for i in self.institutions}
        # need code -> [(resource id, provider id)] of ACTIVE resources, filled as they are made
        self.serving: dict[str, list[tuple[str, str]]] = {}

    def _rng(self, part: str, n: int) -> random.Random:
        """One generator per record, so that a record does not depend on batch boundaries."""
        return random.Random(f"{self.seed}:{self.today}:{part}:{n}")

    def _institutions(self) -> list[dict[str, Any]]:
        rng = self._rng("institutions", 0)
        rows = list(self.demo.institutions)
        weighted = tuple((kind, spec[0]) for kind, spec in _KINDS.items())
        for n in range(len(rows), self.scale.institutions):
            kind = pick(rng, weighted)
            _, sector, label, label_en = _KINDS[kind]
            place = rng.choice(self.districts)
            sigungu = self.names[place["parent"]]
            lat = round(place["lat"] + rng.uniform(-0.012, 0.012), 6)
            lon = round(place["lon"] + rng.uniform(-0.015, 0.015), 6)
            rows.append({
                "id": f"ins_g{n:06d}", "name": f"{place['name']} {label} {n}",
                "nameEn": f"{place['nameEn']} {label_en} {n}", "sector": sector, "kind": kind,
                "regionCode": place["code"],
                "phone": f"064-{rng.randint(700, 799)}-{rng.randint(1000, 9999)}",
                "address": f"제주특별자치도 {sigungu} {place['name']} {rng.randint(1, 400)}",
                "lat": lat, "lon": lon,
            })  # fmt: skip
        return rows[: self.scale.institutions]

    def resource_id(self, n: int) -> str:
        """The id of resource number `n` (the demo set's own ids come first)."""
        demo = self.demo.resources
        return demo[n]["id"] if n < len(demo) else f"res_g{n:07d}"

    def resources(self, start: int, stop: int) -> list[dict[str, Any]]:
        """Resources number `start` to `stop`: the demo set first, then relocated copies."""
        rows, demo = [], self.demo.resources
        demo_providers = {i["id"]: i for i in self.demo.institutions}
        now, _ = stamp(self.now)
        for n in range(start, stop):
            copy, i = divmod(n, len(demo))
            row = demo[i]
            if copy == 0:
                record = demo_resource_record(row, i, now)
            else:
                rng = self._rng("resource", n)
                record = self._relocated(row, demo_providers[row["providerId"]], n, rng, now)
            if record["status"] == "ACTIVE":
                for need in record["needs"]:
                    self.serving.setdefault(need, []).append((record["id"], record["providerId"]))
            rows.append(record)
        return rows

    def _relocated(
        self, row: dict[str, Any], old: dict[str, Any], n: int, rng: random.Random, now: str
    ) -> dict[str, Any]:
        provider = rng.choice(self.by_kind.get(old["kind"]) or self.institutions)
        before, after = self.names[old["regionCode"]], self.names[provider["regionCode"]]
        other = self.demo.resources[(n * 37) % len(self.demo.resources)]

        def moved(text: str | None) -> str | None:
            return text.replace(before, after) if text else text

        changed = dict(
            row, id=self.resource_id(n), providerId=provider["id"], name=moved(row["name"]),
            description=moved(row["description"]),
            regions=[provider["regionCode"] if code == old["regionCode"] else code
                     for code in row["regions"]],
        )  # fmt: skip
        address = row.get("address")
        if address and address.get("lat") is not None:
            changed["address"] = {
                "text": moved(address.get("text")),
                "lat": round(provider["lat"] + rng.uniform(-0.01, 0.01), 6),
                "lon": round(provider["lon"] + rng.uniform(-0.012, 0.012), 6),
            }
        if rng.random() < 0.3:
            changed["needs"] = list(dict.fromkeys([*row["needs"], *other["needs"][:1]]))
        capacity = row.get("capacity") or {}
        if capacity.get("total"):
            changed["capacity"] = {**capacity, "available": rng.randint(0, capacity["total"])}
        record = demo_resource_record(changed, n, now)
        visibility = record["visibility"]
        roll = rng.random()
        if roll < 0.05:
            visibility["listing"] = "REGION"
        elif roll < 0.08:
            visibility["listing"] = "PARTNERS"
        if rng.random() < 0.15:
            visibility["partners"] = [i["id"] for i in rng.sample(self.institutions, 2)]
        fields = visibility["fields"]
        fields["capacity"] = rng.choices(
            ("PARTNERS", "REGION", "AUTHENTICATED", "PUBLIC"), (5, 2, 2, 1)
        )[0]
        if rng.random() < 0.1:
            fields["eligibility"] = "REGION"
        return record


def _parse() -> argparse.Namespace:
    parser = argparse.ArgumentParser(
        prog="python -m bench.generate", description=__doc__.split("\n\n")[0]
    )
    parser.add_argument("--scale", choices=sorted(SCALES), default="small")
    parser.add_argument("--institutions", type=int, help="override the scale's count")
    parser.add_argument("--resources", type=int, help="override the scale's count")
    parser.add_argument("--recipients", type=int, help="override the scale's count")
    parser.add_argument(
        "--case-share", type=float, help="share of recipients with a case (default 0.08)"
    )
    parser.add_argument(
        "--referral-share", type=float, help="share of recipients referred (default 0.2)"
    )
    parser.add_argument(
        "--assessments-per-recipient", type=float, help="mean needs assessments (default 1.33)"
    )
    parser.add_argument(
        "--enrollments-per-recipient", type=float, help="mean enrollments (default 1.14)"
    )
    parser.add_argument(
        "--writers", type=int, default=None, help="batches written at once (default 1)"
    )
    parser.add_argument("--seed", type=int, default=SEED)
    parser.add_argument(
        "--today", type=date.fromisoformat, default=None,
        help="reference day for dates (YYYY-MM-DD); default: today",
    )  # fmt: skip
    return parser.parse_args()


async def _main(args: argparse.Namespace) -> None:
    from bench.loading import WRITERS, load
    from server.engines import open_backends
    from server.runtime import running
    from server.settings import Settings

    base = SCALES[args.scale]
    names = ("institutions", "resources", "recipients", "case_share", "referral_share",
             "assessments_per_recipient", "enrollments_per_recipient")  # fmt: skip
    scale = replace(base, **{k: getattr(args, k) for k in names if getattr(args, k) is not None})
    if args.writers is not None and args.writers < 1:
        sys.exit("--writers must be at least 1")
    if min(getattr(scale, k) for k in names) < 0:
        sys.exit("counts, shares and means must not be negative")
    if max(scale.case_share, scale.referral_share) > 1:
        sys.exit("--case-share and --referral-share are shares: between 0 and 1")
    try:
        synthetic = Synthetic(scale, seed=args.seed, today=args.today)
    except ValueError as exc:
        sys.exit(str(exc))
    backends = await open_backends(Settings.from_env())
    try:
        async with running(backends) as runtime:
            print(f"generating {scale} (seed {args.seed}, day {synthetic.today})", flush=True)
            loaded = await load(
                runtime, synthetic, lambda line: print(line, flush=True),
                writers=args.writers or WRITERS,
            )  # fmt: skip
            for key, value in loaded.report().items():
                print(f"{key:28} {value:,.1f}" if isinstance(value, float) else f"{key:28} {value}")
    finally:
        await backends.close()


if __name__ == "__main__":
    asyncio.run(_main(_parse()))
