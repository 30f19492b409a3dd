"""Docking campaign: the fast engine's core against the reference engine, over many replications.

    .venv/bin/python benchmarks/dock.py                        # 5,000 firms, 400 replications
    .venv/bin/python benchmarks/dock.py --firms 0 --replications 200   # Tongzhou at full size (20,000-32,000 firms)
    .venv/bin/python benchmarks/dock.py --firms 2000 --replications 400 --power 80

Prints, per indicator and month, the means of both engines, their difference, the two-sample KS
statistic and p-value and the paired signed-rank p-value (model/reference/docking.py explains the
tests), what fails at the family-wise level --alpha with the tolerances of the tests (docking.TOLERANCE),
and each engine's firm-months per second. `--power N` then gives the reference each deliberate
change of `deliberate_changes()` and reports in how many batches of N replications the docking
comparison fails (the batch size of the test is its power's sample size).
"""

from __future__ import annotations

import argparse
import time
from pathlib import Path

import numpy as np

from model.reference.docking import (
    ALPHA,
    CHECKPOINTS,
    TOLERANCE,
    compare,
    deliberate_changes,
    district,
    failures,
    run_docking,
    table,
)
from model.scenario import Scenario


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--firms", type=int, default=5000, help="tech firms at baseline; 0: the profile's own (full size)")
    ap.add_argument("--replications", type=int, default=400)
    ap.add_argument("--seed", type=int, default=20240227)
    ap.add_argument("--workers", type=int, default=None, help="processes (default: the cores)")
    ap.add_argument("--months", default=",".join(map(str, CHECKPOINTS)), help="checkpoints, months from the start")
    ap.add_argument("--alpha", type=float, default=ALPHA, help="family-wise significance level")
    ap.add_argument("--power", type=int, default=0, metavar="N",
                    help="also measure detection of deliberate changes in batches of N replications")
    ap.add_argument("--save", type=Path, default=None, metavar="FILE.npz",
                    help="save both engines' series (engine/indicator -> replications x months + 1)")
    args = ap.parse_args(argv)
    months = [int(m) for m in args.months.split(",")]
    sc = district(args.firms or None, seed=args.seed)
    reps = range(args.replications)
    t0 = time.perf_counter()
    dock = run_docking(sc, reps, workers=args.workers)
    wall = time.perf_counter() - t0
    rows = compare(dock.series["fast"], dock.series["reference"], months)
    if args.save:
        np.savez_compressed(args.save, **{f"{e}/{k}": v for e, s in dock.series.items() for k, v in s.items()})
    size = f"{args.firms} tech firms" if args.firms else "full size (tech_firms drawn from the profile's range)"
    print(f"docking: tongzhou-2023 core, {size}, {args.replications} replications, seed {args.seed}, "
          f"{wall:.0f} s wall")
    print(table(rows))
    bad = failures(rows, args.alpha, TOLERANCE)
    print(f"\nfamily-wise alpha {args.alpha} over {2 * len(rows)} tests (KS and paired): "
          + ("all agree" if not bad else f"{len(bad)} failures"))
    for line in bad:
        print("  " + line)
    print()
    for engine in ("fast", "reference"):
        fm, s = dock.firm_months(engine), dock.seconds[engine]
        print(f"{engine:<9} {fm:>12,} firm-months in {s:7.1f} s of worker time: {fm / s:>12,.0f} firm-months/s")
    if args.power:
        power(sc, dock.series, args, months)
    return 0


def power(sc: Scenario, series: dict[str, dict[str, np.ndarray]], args: argparse.Namespace,
          months: list[int]) -> None:
    fast, n = series["fast"], args.power
    batches = [range(i, i + n) for i in range(0, args.replications - n + 1, n)]
    print(f"\npower: deliberate changes given to the reference only, {len(batches)} batches of {n} replications")
    for name, overrides in {"no change (false alarms)": None, **deliberate_changes()}.items():
        changed = series["reference"] if overrides is None else run_docking(
            sc, range(len(batches) * n), overrides=overrides, workers=args.workers,
            engines=("reference",)).series["reference"]
        detected, first = 0, None
        for b in batches:
            rows = compare({k: v[b] for k, v in fast.items()}, {k: v[b] for k, v in changed.items()}, months)
            bad = failures(rows, args.alpha, TOLERANCE)
            detected += bool(bad)
            first = first or (bad[0] if bad else None)
        print(f"  {name:<28} detected in {detected}/{len(batches)} batches" + (f"; e.g. {first}" if first else ""))


if __name__ == "__main__":
    raise SystemExit(main())
