"""`innosim laws`: how many replications of a scenario break a plausibility law, and which law where.

`innosim run --debug` stops at the first breach; this runs every replication to the end with every law checked each
month and counts them, as the README's law table and the notes on a posterior are measured (a historical run ten
years past its horizon, 40 replications)."""

from __future__ import annotations

import argparse
import sys
from typing import TYPE_CHECKING

from .arguments import parameters_option, seed_and_workers, whole_number

if TYPE_CHECKING:
    from ..parameters import ParameterSource
    from ..scenario import Scenario

HELP = ("count the replications of a scenario that break a plausibility law (every law checked every month, as "
        "--debug does); exit 0 when every one keeps them, 1 when some break one")


def add_arguments(p: argparse.ArgumentParser) -> None:
    p.add_argument("scenario", help="scenario TOML file")
    p.add_argument("--until", type=whole_number("until"), metavar="YEAR",
                   help="run past the scenario's horizon to December of YEAR, levers as in its last year")
    p.add_argument("--replications", "-n", type=whole_number("replications"), default=40,
                   help="replications 0 to N-1, numbered as innosim run numbers them (default 40)")
    seed_and_workers(p)
    parameters_option(p, help="behavioural parameters (default: a posterior draw per replication, as innosim run)")
    p.add_argument("--no-progress", action="store_true", help="hide the progress bar")


def command(args: argparse.Namespace, scenario: Scenario, parameters: ParameterSource) -> int:
    """Count on `scenario` as read and extended (cli.cmd_laws), every replication drawing from `parameters`."""
    from ..analysis.law_screen import replication_breach
    from ..execution.parallel import Pool

    seed = scenario.scenario.seed if args.seed is None else args.seed
    tasks = [(scenario, r, seed, parameters) for r in range(args.replications)]
    with Pool(args.workers, progress=not args.no_progress and sys.stderr.isatty()) as pool:
        breaches = pool.map(replication_breach, tasks, desc="replications")
    broken = [(r, b) for r, b in enumerate(breaches) if b]
    print(f"{args.scenario} to {scenario.scenario.end}, {args.parameters} parameters, seed {seed}: "
          f"{len(broken)} of {args.replications} replications broke a plausibility law")
    for r, b in broken:
        print(f"  replication {r}: {b}")
    return 1 if broken else 0
