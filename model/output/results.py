"""Results: target evaluation, the tidy indicator table, summary.json and the results folder.

A results folder is written under a temporary name and renamed when complete, so a folder
with the final name is always whole.
"""

from __future__ import annotations

import datetime as dt
import json
import os
import platform
import re
import shutil
import subprocess
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import asdict, dataclass
from importlib import metadata
from pathlib import Path

import numpy as np
import pyarrow as pa
import pyarrow.parquet as pq

from ..errors import InputError
from ..execution.ensemble import Ensemble
from ..indicators import BASELINE_ENTRY, COMMITMENTS
from ..lever_registry import CHANNELS, LEVERS
from ..months import dates
from ..parameters import PARAMETERS, ParameterSource, drawn_parameters
from ..profiles import PROFILES
from ..scenario import Scenario, Target, target_row
from ..targets import meets
from .phrases import delivery

PACKAGES = ("numpy", "scipy", "mesa", "pydantic", "pyarrow", "matplotlib", "pyabc")
QUANTILES = (0.1, 0.5, 0.9)


def months(scenario: Scenario) -> list[dt.date]:
    """The baseline month (the one before start) followed by every simulated month."""
    return dates(scenario.scenario.start, scenario.months)


@dataclass
class TargetResult:
    id: str
    indicator: str
    year: int
    comparator: str
    threshold: float
    tolerance: float
    quote: str
    source: str
    baseline: float
    p10: float
    p50: float
    p90: float
    p_meet: float


def evaluate_target(ens: Ensemble, t: Target) -> TargetResult:
    row = min(target_row(ens.scenario, t), ens.values.shape[1] - 1)
    series = ens.series(t.indicator)
    at = series[:, row]
    q = np.quantile(at, QUANTILES)
    return TargetResult(t.id, t.indicator, t.year, t.comparator, t.threshold, t.tolerance, t.quote, t.source,
                        float(np.median(series[:, 0])), float(q[0]), float(q[1]), float(q[2]),
                        float(meets(at, t).mean()))


def indicator_summary(ens: Ensemble) -> dict[str, dict[str, float]]:
    out = {}
    for i, name in enumerate(ens.names):
        base = ens.values[:, 0, i]
        end = ens.values[:, -1, i]
        q = np.quantile(end, QUANTILES)
        out[name] = {"baseline_p50": float(np.median(base)), "baseline_p10": float(np.quantile(base, 0.1)),
                     "baseline_p90": float(np.quantile(base, 0.9)),
                     "p10": float(q[0]), "p50": float(q[1]), "p90": float(q[2])}
    return out


def tidy_table(ens: Ensemble) -> pa.Table:
    n, t, _ = ens.values.shape
    dates = months(ens.scenario)
    cols = {
        "replication": pa.array(np.repeat(np.arange(n, dtype=np.int32), t)),
        "date": pa.array(dates * n, type=pa.date32()),
    }
    for i, name in enumerate(ens.names):
        cols[name] = pa.array(ens.values[:, :, i].reshape(-1))
    return pa.table(cols)


def git_commit() -> str | None:
    """HEAD's hash, with "-dirty" when the package's files differ from it."""
    try:
        here = Path(__file__).resolve().parents[1]  # the package folder, model/
        out = subprocess.run(["git", "rev-parse", "HEAD"], cwd=here, capture_output=True, text=True, timeout=5)
        if out.returncode != 0 or not out.stdout.strip():
            return None
        dirty = subprocess.run(["git", "status", "--porcelain", "--", str(here)], cwd=here,
                               capture_output=True, text=True, timeout=5).stdout.strip()
        return out.stdout.strip() + ("-dirty" if dirty else "")
    except (OSError, subprocess.SubprocessError):
        return None


def versions() -> dict[str, str]:
    out = {"python": platform.python_version()}
    for pkg in PACKAGES:
        try:
            out[pkg] = metadata.version(pkg)
        except metadata.PackageNotFoundError:
            out[pkg] = "missing"
    from .. import __version__

    out["innosim"] = __version__
    return out


def build_summary(ens: Ensemble, wall_seconds: float, source_file: str | None) -> dict:
    sc = ens.scenario
    return {
        "scenario": sc.scenario.name,
        "title": sc.scenario.title,
        "title_zh": sc.scenario.title_zh,
        "profile": sc.scenario.profile,
        "scenario_file": source_file,
        "scenario_hash": as_run(ens).digest(),  # scenario.json's, which holds the run's replications and seed
        "seed": ens.seed,
        "replications": ens.replications,
        "start": sc.scenario.start,
        "end": sc.scenario.end,
        "created_utc": dt.datetime.now(dt.UTC).strftime("%Y-%m-%dT%H:%M:%SZ"),
        "wall_seconds": round(wall_seconds, 2),
        "versions": versions(),
        "git_commit": git_commit(),
        "parameters": {"mode": ens.parameters.mode, "posterior_particles": len(ens.parameters.weights),
                       "calibrated": list(ens.parameters.names), "posterior": ens.parameters.provenance},
        "lever_effects": lever_effects(ens.parameters),
        "money": money(ens),
        "targets": [{**asdict(evaluate_target(ens, t)), **target_kind(sc, t)} for t in sc.targets],
        "indicators": indicator_summary(ens),
    }


def money(ens: Ensemble) -> dict:
    """Each budget channel's ledger over the run, at its last month: budgeted (after any adaptive shift), paid,
    and the share left unspent, as P10 / P50 / P90 over replications (万元, the district's)."""
    def column(name: str) -> np.ndarray:
        return ens.values[:, -1, ens.names.index(name)]

    def quantiles(v: np.ndarray) -> dict[str, float]:
        q = np.quantile(v, QUANTILES)
        return {"p10": float(q[0]), "p50": float(q[1]), "p90": float(q[2])}

    out, budgeted, paid = {}, 0.0, 0.0
    for c in CHANNELS:
        b, p = column(f"budgeted_{c}_cum"), column(f"paid_{c}_cum")
        budgeted, paid = budgeted + b, paid + p
        out[c] = {"budgeted": quantiles(b), "paid": quantiles(p),
                  "unspent_share": quantiles(np.where(b > 0, 1.0 - p / np.maximum(b, 1e-9), 0.0))}
    out["total"] = {"budgeted": quantiles(budgeted), "paid": quantiles(paid),
                    "unspent_share": quantiles(np.where(budgeted > 0, 1.0 - paid / np.maximum(budgeted, 1e-9), 0.0))}
    return out


def lever_effects(source: ParameterSource) -> dict:
    """The levers' behavioural parameters and the background ones of parameters.BACKGROUND_DRAWN (no lever: an
    empty `levers`): drawn per replication from their evidence range, or held central."""
    by_lever: dict[str, list[str]] = {}
    for lv in LEVERS.values():
        for name in lv.effects:
            by_lever.setdefault(name, []).append(lv.name)
    calibrated = set(source.names)
    return {"drawn": source.draws_effects,
            "parameters": {name: {"label": PARAMETERS[name].label, "unit": PARAMETERS[name].unit,
                                  "central": PARAMETERS[name].value, "range": list(PARAMETERS[name].range),
                                  "evidence": list(PARAMETERS[name].evidence),
                                  "no_evidence": PARAMETERS[name].no_evidence, "levers": by_lever.get(name, [])}
                           for name in drawn_parameters() if name not in calibrated}}


def target_kind(scenario: Scenario, t: Target) -> dict:
    """A target's kind and where its baseline comes from, for the summary and the report.

    kind: "commitment" when a lever delivers the indicator by arithmetic (indicators.COMMITMENTS), else
    "outcome". baseline: "published" (a sourced profile value, with its id), "estimate" (a range drawn per
    replication; `from_plan` when it leans on the plan's own targets), "scenario" (the scenario file
    overrides it) or "by definition" (counts since the start, ratios to the start)."""
    lever = COMMITMENTS.get(t.indicator)
    entry = BASELINE_ENTRY.get(t.indicator)
    if entry is None:
        source = {"how": "by definition", "entry": None, "source": None, "from_plan": False}
    elif entry in scenario.baseline:
        source = {"how": "scenario", "entry": entry, "source": "the scenario's [baseline]", "from_plan": False}
    else:
        e = PROFILES[scenario.scenario.profile].entries[entry]
        source = {"how": "published" if "value" in e else "estimate", "entry": entry, "source": e.get("source"),
                  "from_plan": bool(e.get("from_plan", False))}
    return {"kind": "commitment" if lever else "outcome", "delivered_by": lever, "baseline_source": source,
            "delivery": delivery(scenario, t, "en")}


def default_out(scenario: Scenario, root: str | Path = "results", kind: str = "") -> Path:
    """results/<scenario>[-<kind>]-<UTC time>, e.g. results/sanliang-qisheng-2024-2026-sensitivity-20261124T1200Z."""
    stamp = dt.datetime.now(dt.UTC).strftime("%Y%m%dT%H%M%SZ")
    name = "-".join(p for p in (scenario.scenario.name, kind, stamp) if p)
    if not re.fullmatch(r"[a-z0-9][a-z0-9\-]*-\d{8}T\d{6}Z", name):  # the scenario's name is a slug (scenario.Slug)
        raise ValueError(f"unsafe results folder name {name!r}")
    return Path(root) / name


def results_folder(out: str | Path | None, scenario: Scenario, kind: str = "") -> Path:
    """The results folder a command will write (`out`, or the default under results/), checked before any long
    run: it must not exist and its parent must be writable. Bad input is a one-line InputError on `--out`."""
    folder = Path(out) if out else default_out(scenario, kind=kind)
    try:
        if folder.exists() or folder.is_symlink():
            raise InputError(str(folder), "--out", "folder exists already; choose another")
        folder.parent.mkdir(parents=True, exist_ok=True)
    except (OSError, ValueError) as exc:  # a name too long, a parent that is a file, no permission
        reason = getattr(exc, "strerror", None) or exc
        raise InputError(str(folder), "--out", f"cannot write the results folder: {reason}") from None
    return folder


@contextmanager
def atomic_folder(out: Path) -> Iterator[Path]:
    """A folder that appears under its final name only when complete.

    Yields a hidden sibling to write into; renamed to `out` at the end, removed on any error.
    """
    out = Path(out)
    if out.exists():
        raise FileExistsError(out)
    out.parent.mkdir(parents=True, exist_ok=True)
    tmp = out.parent / f".{out.name}.writing-{os.getpid()}"  # not .partial: that is a run's checkpoints
    if tmp.exists():
        shutil.rmtree(tmp)
    tmp.mkdir()
    try:
        yield tmp
        os.replace(tmp, out)
    except BaseException:
        shutil.rmtree(tmp, ignore_errors=True)
        raise


def as_run(ens: Ensemble) -> Scenario:
    """The scenario as the ensemble ran it: `run -n 8 --seed 1` of a file asking 200 replications on its seed wrote
    the file's 200 and seed into scenario.json, so the folder's scenario did not give the folder's numbers again."""
    meta = ens.scenario.scenario.model_copy(update={"replications": ens.replications, "seed": ens.seed})
    return ens.scenario.model_copy(update={"scenario": meta})


def write_results(ens: Ensemble, out: Path, summary: dict, report_md: str, lang: str = "zh") -> Path:
    with atomic_folder(out) as tmp:
        pq.write_table(tidy_table(ens), tmp / "indicators.parquet")
        (tmp / "summary.json").write_text(json.dumps(summary, ensure_ascii=False, indent=2), "utf-8")
        (tmp / "scenario.json").write_text(json.dumps(as_run(ens).model_dump(mode="json"), ensure_ascii=False,
                                                      indent=2), "utf-8")
        from .briefing import write as write_briefing

        write_briefing(tmp, report_md, lang)
    return Path(out)
