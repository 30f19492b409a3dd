"""What the app takes from the rest of innosim, in one place: scenarios and uploads, the behavioural parameters,
ensembles, summaries, charts and the one-replication model.

The app is a top layer, like the CLI (tests/test_layout.py): it may import the core, execution, analysis and
output, and only the CLI imports it. Its other modules read the package through this module (and
`controls`, for the levers), so a move inside the package changes these two files only.
"""

from __future__ import annotations

import math
import shutil
import tempfile
from pathlib import Path

from ..analysis import calibration
from ..analysis.compare import Difference, change_with_interval, compare, points, signed_change
from ..errors import InputError
from ..execution.ensemble import NAMES, REPLICATIONS_PER_WORKER, Ensemble, run_ensemble
from ..execution.lifeline import spawn_context
from ..execution.parallel import Pool, _stop_now, chunks, default_workers
from ..indicators import INDICATORS
from ..lever_registry import LEVERS as REGISTRY
from ..output.briefing import FONT_STACK, WEB_FONT, fan_charts, font_face
from ..output.labels import TEXT as CHART_TEXT
from ..output.labels import indicator_name
from ..output.limits import KNOWN_LIMITS
from ..output.phrases import (
    PHRASES,
    delivery,
    few_runs_note,
    headline,
    light_name,
    money_sentence,
    plural,
    unit_name,
)
from ..output.plotting import dashboard, fan_chart, png, use_cjk_font
from ..output.readings import (
    channel_name,
    commitments,
    from_plan,
    light,
    measured_value,
    outcomes,
    percent,
    scenario_title,
)
from ..output.report import fmt, known_limits, markdown, target_cell
from ..output.results import build_summary, months, write_results
from ..output.toml_writer import toml_document
from ..parameters import DEFAULTS, ParameterSource
from ..scenario import MAX_FILE_BYTES, Scenario, load_scenario
from ..targets import threshold_measured

__all__ = [
    "CHART_TEXT",
    "DEFAULTS",
    "FONT_STACK",
    "INDICATORS",
    "KNOWN_LIMITS",
    "MAX_FILE_BYTES",
    "NAMES",
    "PHRASES",
    "REGISTRY",
    "REPLICATIONS_PER_WORKER",
    "WEB_FONT",
    "Difference",
    "Ensemble",
    "InputError",
    "ParameterSource",
    "Pool",
    "Scenario",
    "build_summary",
    "change_with_interval",
    "channel_name",
    "chunks",
    "commitments",
    "compare",
    "dashboard",
    "default_workers",
    "delivery",
    "fan_chart",
    "fan_charts",
    "few_runs_note",
    "fmt",
    "font_face",
    "from_plan",
    "headline",
    "indicator_name",
    "known_limits",
    "light",
    "light_name",
    "markdown",
    "measured_value",
    "money_sentence",
    "months",
    "outcomes",
    "percent",
    "plural",
    "png",
    "points",
    "run_ensemble",
    "scenario_title",
    "signed_change",
    "spawn_context",
    "stop_workers",
    "target_cell",
    "threshold_measured",
    "toml_document",
    "unit_name",
    "use_cjk_font",
    "write_results",
]
# Ends a pool's processes at once without leaving a half-read result pipe for the interpreter's exit to wait on.
stop_workers = _stop_now

SCENARIO_DIR = calibration.SCENARIO_DIR  # scenarios/ in a checkout, the packaged library when installed
PLAN_FILE = "sanliang-qisheng-2024-2026.toml"
PARAMETER_MODES = ("posterior", "posterior-mean", "defaults")
UPLOAD_NAME = ".uploaded-scenario.toml"  # no library file has this name


def font_file() -> Path | None:
    """The bundled Noto Sans SC, served to the browser as a web font; None without the package."""
    try:
        import pylopdf_fonts_zh_cn
    except ImportError:
        return None
    path = Path(pylopdf_fonts_zh_cn.sans_path())
    return path if path.is_file() else None


# ------------------------------------------------------------------ scenarios
def library() -> list[Path]:
    """The scenario files of the library, the action plan first."""
    files = sorted(SCENARIO_DIR.glob("*.toml"), key=lambda p: (p.name != PLAN_FILE, p.name))
    return [p for p in files if p.is_file()]


def read_scenario(path: Path) -> Scenario:
    return load_scenario(path)


def load_upload(name: str, data: bytes, scratch: Path) -> Scenario:
    """An uploaded scenario file, read by the same safe reader as `innosim validate` (size limit, UTF-8, nesting,
    TOML's data-only parser, the schema); errors name the uploaded file. Its bytes go to a private temporary folder
    inside `scratch` (the app's results folder) under a fixed name, beside copies of the library's files so that
    `extends = "<a library file>"` works as it does in scenarios/; the folder is removed at once."""
    if len(data) > MAX_FILE_BYTES:
        raise InputError(name, "(file)", f"file is {len(data)} bytes, above the {MAX_FILE_BYTES}-byte limit")
    scratch.mkdir(parents=True, exist_ok=True)
    folder = Path(tempfile.mkdtemp(prefix=".upload-", dir=scratch))
    try:
        for f in library():
            shutil.copyfile(f, folder / f.name)
        path = folder / UPLOAD_NAME
        path.write_bytes(data)
        try:
            return load_scenario(path)
        except InputError as err:
            origin = name if err.origin == str(path) else err.origin.replace(str(folder) + "/", "")
            raise InputError(origin, err.field, err.reason) from None
    finally:
        shutil.rmtree(folder, ignore_errors=True)


def parameter_source(mode: str) -> tuple[ParameterSource, str | None]:
    """The behavioural parameters for `mode`, and a note when the calibrated posterior could not be used ("missing",
    or the reason it is unreadable) or is used before its law screen ("unscreened").

    Like `innosim run`, a missing posterior means the default parameters; unlike it, so does an unreadable one
    (a posterior written with other parameter names): the app says so on the page and never stops on it."""
    try:
        source = calibration.parameter_source(mode, calibration.CALIBRATION_DIR)
        return source, ("unscreened" if source.provenance and source.provenance.get("law_screen_pending") else None)
    except FileNotFoundError:
        return DEFAULTS, "missing"
    except Exception as exc:  # any unreadable posterior: the defaults
        return DEFAULTS, " ".join(str(exc).split())[:300] or type(exc).__name__


def parameters_note_key(note: str) -> str:
    """The page's text (text.py) for a parameter_source note."""
    return {"missing": "posterior_missing", "unscreened": "posterior_unscreened"}.get(note, "posterior_unreadable")


def scenario_document(scenario: Scenario) -> dict:
    """The scenario as a complete TOML document (no `extends`), ready for toml_document."""
    return scenario.model_dump(mode="json", exclude_none=True)


# ------------------------------------------------------------------ inside one run
SIZE_CLASSES: tuple[tuple[str, float, float], ...] = (
    ("size_lt100", 0.0, 100.0), ("size_100_1000", 100.0, 1000.0), ("size_1000_10000", 1000.0, 10_000.0),
    ("size_ge10000", 10_000.0, math.inf))  # revenue, 万元 a year
FLOWS = ("high_tech_gained", "high_tech_lost", "specialized_gained", "specialized_lost")
PROGRAMMES = ("in_pool", "equity", "subsidy", "scenario", "incubated")


def one_replication(scenario: Scenario, replication: int, seed: int, parameters: ParameterSource):
    """Replication `replication` of the ensemble (the same draws), as a Mesa model to step month by month."""
    from ..sim import EcosystemModel

    return EcosystemModel(scenario, replication=replication, seed=seed, parameters=parameters)


def firm_population(model, memory: dict) -> dict[str, float]:
    """This month's firm population: counts by size class, certificates gained and lost since last month (high-tech
    and 专精特新, by firm identity, exits included) and the firms in each programme. `memory` carries last month's
    certified firms between calls."""
    f = model.firms
    month = max(model.month - 1, 0)  # the month just simulated (the model's clock has moved on)
    alive, revenue = f.alive, f.revenue
    out = {k: float(((revenue >= lo) & (revenue < hi) & alive).sum()) for k, lo, hi in SIZE_CLASSES}
    for key, column in (("high_tech", f.ht_until), ("specialized", f.zjtx_until)):
        now = set(f.uid[alive & (column > month)].tolist())
        before = memory.get(key, now)
        out[f"{key}_gained"], out[f"{key}_lost"] = float(len(now - before)), float(len(before - now))
        memory[key] = now
    out["in_pool"] = float((alive & (f.pool_until > month)).sum())
    out["equity"] = float((alive & (f.equity_until > month)).sum())
    out["subsidy"] = float((alive & (f.subsidy_until > month)).sum())
    out["scenario"] = float((alive & (f.scenario_until > month)).sum())
    out["incubated"] = float((alive & (f.incubator >= 0)).sum())
    return out
