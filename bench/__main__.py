"""`make bench`: every scenario, then the tables (medians, each figure beside its floor)."""

from __future__ import annotations

import sys

from bench import (
    booking_storm,
    catalog_search,
    item_progress,
    load,
    lrs,
    lrs_http,
    people_import,
    push,
    recommender,
    scorm_commit,
    taxonomy,
)
from bench.common import console

SCENARIOS = {
    "people": people_import,
    "search": catalog_search,
    "push": push,
    "booking_storm": booking_storm,
    "recommender": recommender,
    "lrs": lrs,
    "lrs_http": lrs_http,
    "scorm_commit": scorm_commit,
    "item_progress": item_progress,
    "taxonomy": taxonomy,
    "load": load,
}


def main(names: list[str]) -> None:
    chosen = {name: SCENARIOS[name] for name in (names or list(SCENARIOS))}
    results = {}
    for name, module in chosen.items():
        console.print(f"[bold]running {name}[/bold]")
        results[name] = module.run()
    console.print()
    for name, module in chosen.items():
        module.render(results[name])


if __name__ == "__main__":
    main(sys.argv[1:])
