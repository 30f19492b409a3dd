"""Everything the app reads from the rest of innosim, in one place.

The simulation core, the analysis and output modules will move into subpackages and a lever registry
(zh/en labels, units, cited evidence) and target kinds (outcome / commitment) will come; when they do,
only this module changes. The app's other modules import innosim through this module alone.
"""

from __future__ import annotations

import math
import shutil
import tempfile
from dataclasses import dataclass, field
from pathlib import Path

from .. import calibration
from ..briefing import FONT_STACK, WEB_FONT, font_face
from ..compare import Difference, compare
from ..ensemble import NAMES, Ensemble, run_ensemble
from ..errors import InputError
from ..indicators import INDICATORS
from ..labels import TEXT as CHART_TEXT
from ..labels import indicator_name, scale, unit
from ..levers import LABELS as LEVER_LABELS
from ..levers import declared_ranges, get, with_levers
from ..optimize import toml_document
from ..parallel import Pool, chunks, default_workers
from ..parameters import DEFAULTS, ParameterSource
from ..plotting import dashboard, fan_chart, png, use_cjk_font
from ..report import fmt, light, markdown
from ..results import build_summary, evaluate_target, months, target_row, write_results
from ..scenario import MAX_FILE_BYTES, Budget, Levers, Scenario, Target, load_scenario, upper_bound

__all__ = [
    "CHART_TEXT", "DEFAULTS", "FONT_STACK", "INDICATORS", "MAX_FILE_BYTES", "NAMES", "WEB_FONT", "Difference",
    "Ensemble",
    "InputError", "ParameterSource", "Pool", "Scenario", "Target", "build_summary", "chunks", "compare", "dashboard",
    "default_workers", "evaluate_target", "fan_chart", "fmt", "font_face", "indicator_name", "light", "markdown",
    "months", "png", "run_ensemble", "scale", "target_row", "toml_document", "unit", "use_cjk_font",
    "write_results",
]

ROOT = Path(__file__).resolve().parents[2]
SCENARIO_DIR = ROOT / "scenarios"
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


def load(path: Path) -> Scenario:
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
    """The behavioural parameters for `mode`, and a note when the calibrated posterior could not be used.

    Like `innosim run`, a missing posterior means the default parameters; unlike it, so does an unreadable one
    (a posterior written with other parameter names): the app says so on the page and never stops on it."""
    try:
        return calibration.parameter_source(mode, calibration.CALIBRATION_DIR), None
    except FileNotFoundError:
        return DEFAULTS, "missing"
    except Exception as exc:  # any unreadable posterior: the defaults
        return DEFAULTS, " ".join(str(exc).split())[:300] or type(exc).__name__


# ------------------------------------------------------------------ levers
# What a lever is, in a planner's words, until the lever registry brings labels, units and cited evidence.
# name: (explanation zh, explanation en); units come from model.levers.LABELS.
_EXPLAIN: dict[str, tuple[str, str]] = {
    "national_platforms_per_year": ("每年新落地的国家级创新平台（重点实验室、工程中心等）",
                                    "national innovation platforms landing in the district each year"),
    "municipal_platforms_per_year": ("每年新认定的市级创新平台", "new municipal innovation platforms each year"),
    "joint_labs_per_year": ("每年新建的校企联合实验室、新型研发机构", "new joint labs and new R&D institutions each year"),
    "pilot_bases_per_year": ("每年新建的成果转化、中试和检验检测基地", "new pilot, testing and transfer bases each year"),
    "young_talents_per_year": ("每年支持的杰出青年人才", "outstanding young researchers supported each year"),
    "talent_teams_per_year": ("每年支持的优秀创新团队", "innovation teams supported each year"),
    "talents_placed_per_year": ("每年为企业引进的人才", "talents the district places in firms each year"),
    "high_tech_pool_per_year": ("每年进入高新技术企业培育库的企业，获辅导后更易通过认定",
                                "firms entering the high-tech cultivation pool each year; coached firms pass "
                                "certification more often"),
    "listing_pool_size": ("上市重点培育库的企业数", "firms kept in the listing cultivation pool"),
    "application_scenarios_per_year": ("每年向社会发布的应用场景，配到场景的企业需求上升一年",
                                       "application scenarios published each year; a matched firm's demand rises "
                                       "for a year"),
    "scenarios_for_attracted_share": ("应用场景中留给重点引进企业的比例（0–1）",
                                      "share of the scenarios reserved for attracted firms (0-1)"),
    "attracted_firms_per_year": ("每年从中心城区和央企总部引进的企业", "firms attracted each year from central Beijing "
                                 "and state-owned groups"),
    "new_municipal_incubators": ("期内新增的市级孵化器（总数，分摊到各年）",
                                 "municipal incubators added over the whole horizon (spread over the years)"),
    "new_ordinary_incubators": ("期内新增的一般孵化器、众创空间（总数）",
                                "ordinary incubators and maker spaces added over the horizon"),
    "services_index": ("人才服务水平（住房、子女教育、医疗）：0 为没有，1 为北京最好水平",
                       "talent services (housing, schools, health): 0 none, 1 the best in Beijing"),
    "adaptive_shift": ("年度考核时，从进展顺利的渠道移向落后目标的预算比例",
                       "share of on-track channels' budget moved to lagging targets at the annual review"),
    "budget.guidance_fund_equity": ("政府引导基金的股权投资，每年", "guidance fund equity investments, a year"),
    "budget.loan_interest_subsidy": ("科技企业贷款贴息，每年", "interest subsidies on tech firms' loans, a year"),
    "budget.rent_subsidy": ("科技企业房租补贴，每年", "rent subsidies for tech firms, a year"),
    "budget.rd_growth_reward": ("按企业研发投入增量给予的奖励，每年", "rewards for firms' growth in R&D spending, a year"),
    "budget.platform_grant": ("新建创新平台的资助，每年", "grants to new innovation platforms, a year"),
    "budget.talent_grant": ("人才项目资助，每年", "talent programme grants, a year"),
}
_UNITS: dict[str, tuple[str, str]] = {
    "platforms": ("家", "platforms"), "labs": ("家", "labs"), "bases": ("家", "bases"), "people": ("人", "people"),
    "teams": ("个", "teams"), "firms": ("家", "firms"), "scenarios": ("项", "scenarios"), "share": ("比例 0–1", "share 0-1"),
    "incubators": ("家", "incubators"), "index 0-1": ("指数 0–1", "index 0-1"), "万元/year": ("万元/年", "10k yuan a year"),
}
_GROUPS = (
    ("platforms", ("national_platforms_per_year", "municipal_platforms_per_year", "joint_labs_per_year",
                   "pilot_bases_per_year")),
    ("talent", ("young_talents_per_year", "talent_teams_per_year", "talents_placed_per_year", "services_index")),
    ("firms", ("high_tech_pool_per_year", "listing_pool_size", "attracted_firms_per_year",
               "application_scenarios_per_year", "scenarios_for_attracted_share")),
    ("incubators", ("new_municipal_incubators", "new_ordinary_incubators")),
    ("budget", tuple(f"budget.{k}" for k in Budget.model_fields)),
    ("review", ("adaptive", "adaptive_shift")),
)
# Levers that may take a value per year. The scenario format holds one value for the whole horizon today:
# when it allows a per-year table, list the lever here and the page offers one field per year.
PER_YEAR: frozenset[str] = frozenset()


@dataclass(frozen=True)
class Lever:
    """One control on the page: what it is called, its unit, what it does and the evidence for its effect."""

    name: str  # its path in the scenario file's [levers]: "services_index", "budget.rent_subsidy"
    zh: str
    en: str
    unit_zh: str
    unit_en: str
    explain_zh: str
    explain_en: str
    kind: str  # "number" or "switch"
    bounds: tuple[float, float]  # what the scenario format accepts
    group: str
    evidence: tuple[str, ...] = field(default=())  # ids of cited rows; none until the lever registry
    per_year: bool = False

    def label(self, lang: str) -> str:
        return self.zh if lang == "zh" else self.en

    def unit(self, lang: str) -> str:
        return self.unit_zh if lang == "zh" else self.unit_en

    def explain(self, lang: str) -> str:
        return self.explain_zh if lang == "zh" else self.explain_en


def _levers() -> dict[str, Lever]:
    out = {}
    fields = {**{k: f for k, f in Levers.model_fields.items() if k != "budget"},
              **{f"budget.{k}": f for k, f in Budget.model_fields.items()}}
    group_of = {name: g for g, names in _GROUPS for name in names}
    for name, f in fields.items():
        if name == "adaptive":
            out[name] = Lever(name, "年度考核调整", "annual reassessment", "开/关", "on/off",
                              "每年考核一次，把预算移向落后的目标", "once a year, move budget towards lagging targets",
                              "switch", (0, 1), group_of[name])
            continue
        zh, en, u = LEVER_LABELS[name]
        uz, ue = _UNITS.get(u, (u, u))
        top = upper_bound(f)
        out[name] = Lever(name, zh, en, uz, ue, *_EXPLAIN[name], "number", (0.0, top if math.isfinite(top) else 1e9),
                          group_of[name], per_year=name in PER_YEAR)
    return out


LEVERS: dict[str, Lever] = _levers()
GROUPS: tuple[tuple[str, tuple[str, ...]], ...] = _GROUPS


def lever_value(scenario: Scenario, name: str) -> float:
    if name == "adaptive":
        return float(scenario.levers.adaptive)
    return get(scenario, name)


def explored_range(scenario: Scenario, name: str) -> tuple[float, float] | None:
    """The scenario's [ranges] entry for the lever (what sensitivity and optimize explore), if any."""
    return declared_ranges(scenario).get(name)


def slider_range(scenario: Scenario, name: str) -> tuple[float, float]:
    """The span of the lever's slider: the scenario's [ranges], else up to twice the plan's value, within the bounds."""
    lever = LEVERS[name]
    lo, hi = lever.bounds
    declared = explored_range(scenario, name)
    if declared:
        a, b = declared
    else:
        v = lever_value(scenario, name)
        a, b = 0.0, (1.0 if hi <= 1 else max(2 * v, 10.0))
    value = lever_value(scenario, name)
    return max(lo, min(a, value)), min(hi, max(b, value))


def with_values(scenario: Scenario, values: dict[str, float]) -> Scenario:
    """The scenario with the levers set, validated by the schema (InputError naming the lever otherwise).

    A key "lever@year" is a per-year value (the page offers them for the levers in PER_YEAR): the scenario format
    has no place for one yet, so it is refused here, by name, rather than dropped."""
    per_year = sorted(k for k in values if "@" in k)
    if per_year:
        raise InputError("levers", per_year[0], "per-year values are not in the scenario format yet")
    numbers = {k: v for k, v in values.items() if k != "adaptive"}
    try:
        out = with_levers(scenario, numbers)
    except ValueError as exc:  # pydantic's ValidationError: a value outside the lever's bounds
        errors = getattr(exc, "errors", lambda: [])()
        where = ".".join(str(p) for p in errors[0]["loc"]) if errors else "levers"
        reason = errors[0]["msg"] if errors else str(exc)
        raise InputError("levers", where, reason) from None
    if "adaptive" in values:
        out = out.model_copy(update={"levers": out.levers.model_copy(update={"adaptive": bool(values["adaptive"])})})
    return out


# ------------------------------------------------------------------ targets
def target_kind(target: Target) -> str:
    """"outcome" (what the district achieves) or "commitment" (what the government itself delivers).

    Every target is an outcome until target kinds come to the scenario format; the page already shows the two
    sections apart, driven by this function."""
    return getattr(target, "kind", None) or "outcome"


def baseline_mark(summary: dict, indicator: str) -> str:
    """"drawn" when the baseline is not published and is drawn per replication from its range (the CLI's *),
    "derived" when it is computed from other figures (none yet), else ""."""
    s = summary["indicators"][indicator]
    return "drawn" if s["baseline_p10"] != s["baseline_p90"] else ""


def target_values(ens: Ensemble, t: Target):
    return ens.series(t.indicator)[:, min(target_row(ens.scenario, t), ens.values.shape[1] - 1)]


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
