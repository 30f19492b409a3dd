"""`innosim compare`: its arguments, and the command that runs the scenarios and writes the comparison folder."""

from __future__ import annotations

import argparse
import sys
import time

from ..analysis import compare
from ..errors import InputError
from ..execution.ensemble import run_ensemble
from ..execution.parallel import Pool
from ..output.results import results_folder
from ..parameters import ParameterSource
from ..scenario import load_scenario


def add_arguments(p: argparse.ArgumentParser) -> None:
    p.add_argument("scenarios", nargs="+", metavar="SCENARIO",
                   help="scenario files; the first is the reference the others are compared with")
    p.add_argument("--replications", "-n", type=int, help="replications per scenario (default: the first's)")
    p.add_argument("--independent", action="store_true",
                   help="give each scenario its own seeds (no common random numbers), to see what they buy")


def command(args: argparse.Namespace, pool: Pool, parameters: ParameterSource) -> int:
    files = args.scenarios
    if len(files) < 2:
        raise InputError("compare", "scenarios", "give at least two scenario files (the first is the reference)")
    scenarios = [load_scenario(f) for f in files]
    compare.check_comparable(scenarios, files)
    names = [sc.scenario.name for sc in scenarios]
    if len(set(names)) < len(names):
        dup = next(n for n in names if names.count(n) > 1)
        raise InputError(files[names.index(dup, names.index(dup) + 1)], "scenario.name",
                         f"{dup!r} is used twice; compared scenarios need distinct names")
    ref = scenarios[0]
    n = args.replications or ref.scenario.replications
    if not 2 <= n <= 100_000:
        raise InputError("compare", "--replications", f"{n}: must be between 2 and 100000")
    seed = ref.scenario.seed if args.seed is None else args.seed
    out = results_folder(args.out, ref, "compare")
    moved = compare.targets_unlike(scenarios, files)
    if moved:
        print(f"innosim: warning: {moved}: set the reference's targets otherwise; every scenario is read against the "
              "reference's targets", file=sys.stderr)
    print(f"comparing {len(scenarios)} scenarios x {n} replications = {len(scenarios) * n} runs on {pool.where}, "
          f"{'independent seeds' if args.independent else 'common random numbers'} (seed {seed})", flush=True)
    t0 = time.perf_counter()
    ensembles = [run_ensemble(sc, n, seed + (k * compare.INDEPENDENT_OFFSET if args.independent else 0),
                              parameters=parameters, pool=pool) for k, sc in enumerate(scenarios)]
    diffs = compare.compare(ensembles, seed)
    wall = time.perf_counter() - t0
    meta = {"scenarios": names, "files": files, "replications": n, "seed": seed,
            "common_random_numbers": not args.independent, "wall_seconds": round(wall, 2),
            "parameters": parameters.mode, "bootstrap": compare.BOOTSTRAP, "targets_set_otherwise": moved}
    compare.write(out, ensembles, diffs, meta, args.lang)
    print("\n".join(compare.console(ensembles, diffs, meta, args.lang)))
    print(f"\nwrote {out}/ (compare.md, compare.csv, compare.json, charts/) in {wall:.1f} s")
    return 0
