"""`make bench`: speed and memory of the fast engine against the one-agent-per-firm reference.

For 3,000, 30,000 and 300,000 firms (the plan scenario on a Tongzhou scaled to that size, see
scaling.py) it prints the firm-months per second of
- the full model (every mechanism of the plan),
- the fast engine's core (`mechanisms="core"`: the firm dynamics the reference also has),
- the reference engine (model/reference: one mesa.Agent per firm, `shuffle_do`), on the same inputs,
their ratios, and the peak memory of each, beside a trivial numpy update of the same number of firms
(one uniform draw and one multiply-add per firm-month: about the most array code can do on the machine).
Then the ensemble targets: the Tongzhou plan scenario with 100 and 1,000 replications on 2 worker
processes (wall time, peak memory, the 1,000/100 time ratio, and the workers' idle share: 1 minus the
CPU time of the worker processes over twice the wall time), the calibration's
throughput (a small `innosim calibrate` on 2 workers: simulations a second), and one 36-month run of
the citywide profile beijing-2023.

Every measurement runs in a fresh Python process, so its peak resident memory (ru_maxrss) is its
own; a process's peak includes the interpreter and the imported libraries, printed once as
"imports only". Times are of the monthly steps only (building the initial firms is excluded for
every engine), medians over the stated number of runs. A firm-month is one living firm stepped
through one month.

    python benchmarks/bench.py            # everything, about 9 minutes on 2 cores
    python benchmarks/bench.py --quick    # smaller run counts, no 1,000-replication ensemble, no calibration
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
    "trivial": {3_000: (7, 36), 30_000: (5, 36), 300_000: (3, 36)},
}
QUICK = {"full": (3, 36), "core": (3, 36), "reference": (1, 12), "trivial": (3, 36)}


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


def trivial_child(firms: int, months: int, runs: int) -> dict:
    """The practical ceiling of array code here: each firm-month one uniform draw and one multiply-add."""
    import numpy as np

    rng = np.random.default_rng(0)
    times = []
    for _ in range(runs):
        x = np.ones(firms)
        u = np.empty(firms)
        start = time.perf_counter()
        for _ in range(months):
            rng.random(out=u)
            u *= 0.02
            x *= 0.99 + u  # revenue *= a random monthly factor
        times.append(time.perf_counter() - start)
    seconds = statistics.median(times)
    return {"seconds": seconds, "rate": firms * months / seconds, "firm_months": firms * months,
            "peak_mb": peak_mb(), "runs": runs, "months": months}


def calibration_child(simulations: int, workers: int, screen: int | None = None) -> dict:
    """A small ABC-SMC calibration (innosim calibrate's code path, law screen of `screen` runs included) in a scratch
    folder: simulations a second of the fit, and the screen's seconds apart (it runs the places at their own scale)."""
    import tempfile

    from model.analysis.calibration import Settings, calibrate
    from model.analysis.law_screen import SCREEN_REPLICATIONS

    settings = Settings(population=max(simulations // 3, 10), simulations=simulations, workers=workers,
                        max_generations=3, law_screen=SCREEN_REPLICATIONS if screen is None else screen)
    with tempfile.TemporaryDirectory() as tmp:
        start = time.perf_counter()
        post = calibrate(settings, folder=Path(tmp), progress=False)
        seconds = time.perf_counter() - start
    n = post.meta["total_simulations"] + (post.meta.get("budget_cut") or {}).get("simulations", 0)  # all it ran
    fit = post.meta["wall_seconds"]
    record = post.meta.get("law_screen") or {}
    last = (record.get("screens") or [{}])[-1]
    return {"seconds": seconds, "fit_seconds": fit, "screen_seconds": last.get("wall_seconds", 0.0),
            "simulations": n, "rate": n / fit, "workers": workers, "screened": record.get("screened", 0),
            "screen_runs": settings.law_screen, "screen_years": settings.screen_years}


def ensemble_child(replications: int, workers: int) -> dict:
    from model.execution.ensemble import run_ensemble
    from model.scenario import load_scenario

    scenario = load_scenario(ROOT / "scenarios" / "sanliang-qisheng-2024-2026.toml")
    start = time.perf_counter()
    ens = run_ensemble(scenario, replications, workers=workers)
    seconds = time.perf_counter() - start
    used = resource.getrusage(resource.RUSAGE_CHILDREN)  # the workers, reaped when the pool closed
    return {"seconds": seconds, "peak_mb": peak_mb(), "worker_peak_mb": peak_mb(resource.RUSAGE_CHILDREN),
            "replications": ens.replications, "worker_cpu": used.ru_utime + used.ru_stime,
            "idle": 1.0 - (used.ru_utime + used.ru_stime) / (workers * seconds)}


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
            "firms_end": int(table["living_firms"][-1]), "months": scenario.months, "peak_mb": peak_mb(),
            "scale": scenario.scenario.scale}


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


ENGINES = ("full", "core", "reference", "trivial")


def engines(report: dict, quick: bool) -> None:
    print(f"{'firms':>8} {'engine':<10} {'runs':>4} {'months':>6} {'seconds':>8} {'firm-months/s':>14} "
          f"{'full/ref':>9} {'core/ref':>9} {'full/triv':>9} {'peak MB':>8}")
    for n in SIZES:
        row = {}
        for engine in ENGINES:
            runs, months = QUICK[engine] if quick else RUNS[engine][n]
            how = ("trivial",) if engine == "trivial" else ("engine", engine)
            row[engine] = child(*how, str(n), str(months), str(runs))
        report["engines"][n] = row
        for engine in ENGINES:
            m = row[engine]
            ratios = [""] * 3
            if engine == "reference":
                ratios[:2] = [f"{row['full']['rate'] / m['rate']:.0f}x", f"{row['core']['rate'] / m['rate']:.0f}x"]
            if engine == "trivial":
                ratios[2] = f"{row['full']['rate'] / m['rate']:.3f}"
            print(f"{n:>8,} {engine:<10} {m['runs']:>4} {m['months']:>6} {m['seconds']:>8.2f} {rate(m['rate']):>14} "
                  + " ".join(f"{r:>9}" for r in ratios) + f" {m['peak_mb']:>8.0f}")
    print()


def ensembles(report: dict, quick: bool) -> None:
    counts = (100,) if quick else (100, 1_000)
    for reps in counts:
        e = child("ensemble", str(reps), "2")
        report[f"ensemble_{reps}"] = e
        print(f"plan ensemble, {reps:>5,} replications on 2 workers: {e['seconds']:6.1f} s, workers idle "
              f"{e['idle']:.0%} of the time; peak memory {e['peak_mb']:.0f} MB (main process), "
              f"{e['worker_peak_mb']:.0f} MB (largest worker)")
    if quick:
        return
    a, b = report["ensemble_100"], report["ensemble_1000"]
    print(f"peak memory, 1,000 vs 100 replications: main {b['peak_mb'] / a['peak_mb'] - 1:+.1%}, "
          f"workers {b['worker_peak_mb'] / a['worker_peak_mb'] - 1:+.1%}")
    print(f"1,000 replications took {b['seconds'] / a['seconds']:.2f}x the time of 100 (linear: 10x)")


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
                  "trivial": lambda: trivial_child(*map(int, rest)),
                  "calibration": lambda: calibration_child(*map(int, rest)),
                  "city": city_child, "imports": imports_child}[kind]()
        print(json.dumps(result))
        return

    report: dict = {"cpus": os.cpu_count(), "python": sys.version.split()[0], "engines": {}}
    base = child("imports")["peak_mb"]
    report["imports_mb"] = base
    print(f"innosim benchmark: {os.cpu_count()} CPUs, Python {report['python']}; imports only: {base:.0f} MB peak\n")
    engines(report, args.quick)
    ensembles(report, args.quick)
    if not args.quick:
        c = child("calibration", "120", "2")
        report["calibration"] = c
        print(f"calibration (ABC-SMC, the historical runs): {c['simulations']} simulations on 2 workers in "
              f"{c['fit_seconds']:.1f} s: {c['rate']:.2f} a second, {c['rate'] * 900:,.0f} in 15 minutes; then the "
              f"law screen of its {c['screened']} particles ({c['screen_runs']} runs of each place at its own "
              f"scale, {c['screen_years']} years past its horizon) in {c['screen_seconds']:.1f} s")
    city = child("city")
    report["city"] = city
    print(f"\nbeijing-2023 (citywide, one firm in {city['scale']} simulated), one replication: "
          f"{city['firms_start']:,} firms at the start, "
          f"{city['firms_end']:,} after {city['months']} months; built in {city['build_seconds']:.1f} s, "
          f"stepped in {city['seconds']:.1f} s; peak memory {city['peak_mb']:.0f} MB")
    if args.json:
        args.json.write_text(json.dumps(report, indent=2))


if __name__ == "__main__":
    main()
