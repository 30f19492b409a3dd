"""`make bench`: speed and memory of the fast engine against the one-agent-per-firm reference.

For 3,000, 30,000 and 300,000 firms (the plan scenario on a Tongzhou scaled to that size, see
scaling.py) it prints the firm-months per second of
- the full model (every mechanism of the plan),
- the fast engine's core (`mechanisms="core"`: the firm dynamics the reference also has),
- the reference engine (model/reference: one mesa.Agent per firm, `shuffle_do`), on the same inputs,
their ratios, and the peak memory of each. Then the ensemble targets: the Tongzhou plan scenario
with 100 and 1,000 replications on 2 worker processes (wall time and peak memory), and one
36-month run of the citywide profile beijing-2023.

Every measurement runs in a fresh Python process, so its peak resident memory (ru_maxrss) is its
own; a process's peak includes the interpreter and the imported libraries, printed once as
"imports only". Times are of the monthly steps only (building the initial firms is excluded for
every engine), medians over the stated number of runs. A firm-month is one living firm stepped
through one month.

    python benchmarks/bench.py            # everything, about 6 minutes on 2 cores
    python benchmarks/bench.py --quick    # smaller run counts, no 1,000-replication ensemble
"""

from __future__ import annotations

import argparse
import json
import os
import resource
import statistics
import subprocess
import sys
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent
ROOT = HERE.parent
SIZES = (3_000, 30_000, 300_000)
# (runs, months) per engine and size: the reference steps ~10^5 firm-months a second, so at the
# largest size it runs fewer months; its rate per firm-month does not depend on the horizon.
RUNS = {
    "full": {3_000: (7, 36), 30_000: (5, 36), 300_000: (3, 36)},
    "core": {3_000: (7, 36), 30_000: (5, 36), 300_000: (3, 36)},
    "reference": {3_000: (3, 36), 30_000: (1, 36), 300_000: (1, 6)},
}
QUICK = {"full": (3, 36), "core": (3, 36), "reference": (1, 12)}


def peak_mb(who: int = resource.RUSAGE_SELF) -> float:
    return resource.getrusage(who).ru_maxrss / 1024.0  # Linux reports kB


# ---------------------------------------------------------------- child measurements
def engine_child(engine: str, firms: int, months: int, runs: int) -> dict:
    sys.path.insert(0, str(HERE))
    from scaling import scaled_plan

    from model.reference import ReferenceModel
    from model.sim import EcosystemModel

    scenario = scaled_plan(firms, months)
    times, firm_months = [], []
    for r in range(runs):
        if engine == "reference":
            model = ReferenceModel(scenario, replication=r)
        else:
            model = EcosystemModel(scenario, replication=r, mechanisms=engine)
        start = time.perf_counter()
        model.run()
        times.append(time.perf_counter() - start)
        if engine == "reference":
            firm_months.append(model.firm_months)
        else:  # living firms at the start of each month stepped
            firm_months.append(float(model.indicator_table()["living_firms"][:-1].sum()))
        del model
    seconds = statistics.median(times)
    return {"seconds": seconds, "rate": statistics.median(fm / t for fm, t in zip(firm_months, times, strict=True)),
            "firm_months": statistics.median(firm_months), "peak_mb": peak_mb(), "runs": runs, "months": months}


def ensemble_child(replications: int, workers: int) -> dict:
    from model.execution.ensemble import run_ensemble
    from model.scenario import load_scenario

    scenario = load_scenario(ROOT / "scenarios" / "sanliang-qisheng-2024-2026.toml")
    start = time.perf_counter()
    ens = run_ensemble(scenario, replications, workers=workers)
    seconds = time.perf_counter() - start
    return {"seconds": seconds, "peak_mb": peak_mb(), "worker_peak_mb": peak_mb(resource.RUSAGE_CHILDREN),
            "replications": ens.replications}


def city_child() -> dict:
    from model.scenario import load_scenario
    from model.sim import EcosystemModel

    scenario = load_scenario(ROOT / "scenarios" / "beijing-2023-baseline.toml")
    start = time.perf_counter()
    model = EcosystemModel(scenario, replication=0)
    built = time.perf_counter()
    model.run()
    done = time.perf_counter()
    table = model.indicator_table()
    return {"build_seconds": built - start, "seconds": done - built, "firms_start": int(table["living_firms"][0]),
            "firms_end": int(table["living_firms"][-1]), "months": scenario.months, "peak_mb": peak_mb()}


def imports_child() -> dict:
    import model.reference
    import model.sim  # noqa: F401

    return {"peak_mb": peak_mb()}


# ---------------------------------------------------------------- the parent
def child(*args: str) -> dict:
    out = subprocess.run([sys.executable, __file__, "--child", *args], capture_output=True, text=True, cwd=ROOT)
    if out.returncode != 0:
        raise SystemExit(f"bench: child {' '.join(args)} failed:\n{out.stderr[-2000:]}")
    return json.loads(out.stdout.strip().splitlines()[-1])


def rate(x: float) -> str:
    return f"{x / 1e6:.2f}M" if x >= 1e6 else f"{x / 1e3:.0f}k"


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--quick", action="store_true", help="fewer runs; no 1,000-replication ensemble")
    ap.add_argument("--json", type=Path, help="also write the measurements to this file")
    ap.add_argument("--child", nargs="+", help=argparse.SUPPRESS)
    args = ap.parse_args()
    if args.child:
        kind, *rest = args.child
        result = {"engine": lambda: engine_child(rest[0], *map(int, rest[1:])),
                  "ensemble": lambda: ensemble_child(*map(int, rest)),
                  "city": city_child, "imports": imports_child}[kind]()
        print(json.dumps(result))
        return

    report: dict = {"cpus": os.cpu_count(), "python": sys.version.split()[0], "engines": {}}
    base = child("imports")["peak_mb"]
    report["imports_mb"] = base
    print(f"innosim benchmark: {os.cpu_count()} CPUs, Python {report['python']}; imports only: {base:.0f} MB peak\n")
    print(f"{'firms':>8} {'engine':<10} {'runs':>4} {'months':>6} {'seconds':>8} {'firm-months/s':>14} "
          f"{'full/ref':>9} {'core/ref':>9} {'peak MB':>8}")
    for n in SIZES:
        row = {}
        for engine in ("full", "core", "reference"):
            runs, months = QUICK[engine] if args.quick else RUNS[engine][n]
            row[engine] = child("engine", engine, str(n), str(months), str(runs))
        report["engines"][n] = row
        for engine in ("full", "core", "reference"):
            m = row[engine]
            ratios = ""
            if engine != "reference":
                ratios = f"{'':>9} {'':>9}"
            else:
                ratios = (f"{row['full']['rate'] / m['rate']:>8.0f}x {row['core']['rate'] / m['rate']:>8.0f}x")
            print(f"{n:>8,} {engine:<10} {m['runs']:>4} {m['months']:>6} {m['seconds']:>8.2f} {rate(m['rate']):>14} "
                  f"{ratios} {m['peak_mb']:>8.0f}")
    print()
    counts = (100,) if args.quick else (100, 1_000)
    for reps in counts:
        e = child("ensemble", str(reps), "2")
        report[f"ensemble_{reps}"] = e
        print(f"plan ensemble, {reps:>5,} replications on 2 workers: {e['seconds']:6.1f} s; peak memory "
              f"{e['peak_mb']:.0f} MB (main process), {e['worker_peak_mb']:.0f} MB (largest worker)")
    if len(counts) == 2:
        a, b = report["ensemble_100"], report["ensemble_1000"]
        print(f"peak memory, 1,000 vs 100 replications: main {b['peak_mb'] / a['peak_mb'] - 1:+.1%}, "
              f"workers {b['worker_peak_mb'] / a['worker_peak_mb'] - 1:+.1%}")
    city = child("city")
    report["city"] = city
    print(f"\nbeijing-2023 (citywide), one replication: {city['firms_start']:,} firms at the start, "
          f"{city['firms_end']:,} after {city['months']} months; built in {city['build_seconds']:.1f} s, "
          f"stepped in {city['seconds']:.1f} s; peak memory {city['peak_mb']:.0f} MB")
    if args.json:
        args.json.write_text(json.dumps(report, indent=2))


if __name__ == "__main__":
    main()
