"""The scenario file: a TOML document validated by a pydantic schema.

A planner edits `scenarios/*.toml`; `load_scenario` turns it into a `Scenario` or raises
`InputError` with one line naming the file, the field and the reason.
"""

from __future__ import annotations

import hashlib
import json
import math
import re
import tomllib
from pathlib import Path
from typing import Annotated, Literal

from pydantic import BaseModel, ConfigDict, Field, ValidationError, create_model, field_validator

from .costs import UNIT_COSTS
from .errors import InputError
from .indicators import INDICATORS
from .months import MONTH_PATTERN, december_row, month_index, span
from .parameters import PARAMETERS
from .profiles import PROFILES, REQUIRED
from .schema_errors import SCHEMA_DOC, first_error, suggestion, unknown_key
from .targets import target_problem

# A scenario file is a page or two of TOML (the plan, with 15 quoted targets, is 8 kB; the largest
# valid one, 200 targets with long quotes, about 200 kB): a file above 1 MB is a mistake (a data
# file, a log), refused before it is read, so parsing never meets a huge document.
MAX_FILE_BYTES = 1_000_000
MAX_DEPTH = 16  # tables and arrays nested deeper than this are no scenario (the schema needs 3)
MAX_NESTING = 64  # refused before parsing: brackets or dotted-key parts nested deeper (see nesting_problem)
# Upper bounds of the levers: far above any district's plan (the largest rate in the library is 60
# a year, the largest budget channel 39,000 万元 a year), low enough that one replication stays
# a matter of seconds and the model's arithmetic finite. Above them the file is refused.
MAX_COUNT = 10_000  # units a year (platforms, talents, firms, scenarios), or in all (incubators, pool)
MAX_MONEY = 100_000_000  # 万元 a year: 1万亿元, a quarter of China's public S&T spending
NonNeg = Annotated[float, Field(ge=0, allow_inf_nan=False)]
Count = Annotated[float, Field(ge=0, le=MAX_COUNT, allow_inf_nan=False)]
Money = Annotated[float, Field(ge=0, le=MAX_MONEY, allow_inf_nan=False)]
Share = Annotated[float, Field(ge=0, le=1, allow_inf_nan=False)]
Month = Annotated[str, Field(pattern=MONTH_PATTERN)]
# Names that end up in folder and file names: lower-case ASCII letters, digits and hyphens, so no
# name can hold a path separator, "..", a space or a control character.
Slug = Annotated[str, Field(pattern=r"^[a-z0-9][a-z0-9\-]{0,79}$")]
# Free text (titles, quotes, sources) goes into reports: one line, no control characters but tabs.
Text = Annotated[str, Field(pattern=r"^[^\x00-\x08\x0a-\x1f\x7f-\x9f\u2028\u2029]*$")]


# What a [baseline] override may be: a district's state, from a handful of firms to a province.
# A zero firm count, share, GDP or R&D total would divide by zero in the model; the upper
# bounds keep one replication within memory and minutes. tests/test_input_safety.py checks
# that every profile's values and ranges lie inside.
BASELINE_BOUNDS: dict[str, tuple[float, float]] = {
    "tech_firms": (1, 2_000_000),
    "new_market_entities": (0, 500_000),
    "high_tech": (0, 2_000_000),
    "specialized_sme": (0, 2_000_000),
    "listed": (0, 2_000_000),
    "national_platforms": (0, 5_000),
    "municipal_platforms": (0, 5_000),
    "joint_labs": (0, 5_000),
    "pilot_bases": (0, 5_000),
    "incubators_ordinary": (0, 5_000),
    "incubators_municipal": (0, 5_000),
    "incubator_places": (0, 10_000),  # per incubator
    "above_scale_share": (0.001, 1),
    "revenue_pareto_alpha": (0.5, 5),
    "rd_total": (1, 1e8),  # 万元
    "rd_firm_share": (0, 1),
    "gdp": (1, 2e9),  # 万元
    "gdp_growth": (0, 1),
    "researcher_slack": (0, 1),
    "high_level_talents_per_year": (0, 100_000),
}


class Strict(BaseModel):
    # strict: each value in its own TOML type (a number, true or false, text in quotes), as the file writes it;
    # a number in quotes, a boolean for a number or 200.0 for a whole number is refused, not converted. A whole
    # number stands for a decimal one (threshold = 1500).
    model_config = ConfigDict(extra="forbid", frozen=True, strict=True)


class Meta(Strict):
    name: Slug = Field(description="short name used for the results folder")
    title: Text = Field(max_length=200, description="human title")
    title_zh: Text | None = Field(None, max_length=200, description="the title in Chinese, for reports, charts and the "
                                  "app in Chinese (--lang zh); default `title`")
    profile: Slug = Field(description="region profile, e.g. tongzhou-2023")
    start: Month = Field(description="first simulated month, YYYY-MM")
    end: Month = Field(description="last simulated month (the horizon), YYYY-MM")
    seed: int = Field(default=20240227, ge=0, lt=2**63)
    levers_end: Month | None = Field(None, description="month over which horizon totals (new incubators) are "
                                                       "spread; default `end`. Set by `innosim run --until`.")
    replications: int = Field(default=200, ge=1, le=100_000)
    scale: int = Field(default=1, ge=1, le=1000, description="simulate one firm in `scale` (and 1/scale of every "
                       "count, lever and budget); indicators are multiplied back. For city-size profiles.")

    def title_in(self, lang: str) -> str:
        """The title a reader of `lang` gets: title_zh in Chinese where the file gives one."""
        return self.title_zh or self.title if lang == "zh" else self.title

    @field_validator("profile")
    @classmethod
    def _known_profile(cls, v: str) -> str:
        if v not in PROFILES:
            raise ValueError(f"unknown profile {v!r}; known: {', '.join(sorted(PROFILES))}")
        return v



class Budget(Strict):
    """Annual S&T budget by channel, 万元 per year."""

    guidance_fund_equity: Money = Field(0, description="guidance fund equity (引导基金), 万元/year")
    loan_interest_subsidy: Money = Field(0, description="loan interest subsidies (贷款贴息), 万元/year")
    rent_subsidy: Money = Field(0, description="rent subsidies (房租补贴), 万元/year")
    rd_growth_reward: Money = Field(0, description="R&D-growth rewards (研发投入增长奖励), 万元/year")
    platform_grant: Money = Field(0, description="grants for new platforms, 万元/year")
    talent_grant: Money = Field(0, description="talent programme grants, 万元/year")

    def total(self) -> float:
        return float(sum(self.model_dump().values()))


class Levers(Strict):
    """What the government commits to. Rates are per year unless said otherwise."""

    national_platforms_per_year: Count = 0
    municipal_platforms_per_year: Count = 0
    joint_labs_per_year: Count = 0
    pilot_bases_per_year: Count = 0
    young_talents_per_year: Count = 0
    talent_teams_per_year: Count = 0
    talents_placed_per_year: Count = 0
    high_tech_pool_per_year: Count = Field(0, description="firms entered into the 高企培育库 each year")
    listing_pool_size: Count = Field(0, description="size of the 上市培育库")
    application_scenarios_per_year: Count = 0
    scenarios_for_attracted_share: Share = Field(0, description="share of scenarios reserved for attracted firms")
    attracted_firms_per_year: Count = Field(0, description="firms attracted (招商) from central Beijing and SOE HQs")
    new_municipal_incubators: Count = Field(0, description="municipal incubators added over the horizon")
    new_ordinary_incubators: Count = Field(0, description="ordinary incubators added over the horizon")
    services_index: Share = Field(0, description="talent services (housing, schools: the plan's 温度), 0-1")
    adaptive: bool = Field(False, description="annual reassessment shifts effort to lagging targets")
    adaptive_shift: Share = Field(0.2, description="share of on-track channels' budget moved each year")
    budget: Budget = Budget()


def _check_pair(v: list[float]) -> list[float]:
    lo, hi = v
    if not lo <= hi:
        raise ValueError(f"low {lo} is above high {hi}")
    return v


# [low, high] of a lever, explored by sensitivity, optimize and discover (within the lever's bounds:
# checked by _ranges_within_bounds).
Pair = Annotated[list[NonNeg], Field(min_length=2, max_length=2)]


def _ranges_model(name: str, source: type[BaseModel], doc: str, **extra) -> type[BaseModel]:
    """A table with an optional [low, high] for every numeric field of `source` (levers or budget)."""
    fields = {k: (Pair | None, Field(None, description=f"[low, high] of {k}"))
              for k, f in source.model_fields.items() if f.annotation is float}
    validators = {"_pairs": field_validator(*fields)(lambda cls, v: v if v is None else _check_pair(v))}
    return create_model(name, __base__=Strict, __doc__=doc, __validators__=validators, **fields, **extra)


BudgetRanges = _ranges_model("BudgetRanges", Budget, "Ranges of the budget channels, 万元 per year.")
Ranges = _ranges_model("Ranges", Levers, "Ranges of the levers explored by sensitivity, optimize and discover.",
                       budget=(BudgetRanges, BudgetRanges()))


def upper_bound(field) -> float:
    """The `le` bound of a pydantic field (inf if none)."""
    return next((m.le for m in field.metadata if getattr(m, "le", None) is not None), math.inf)


def _ranges_within_bounds(ranges: BaseModel) -> tuple[str, str] | None:
    """(field, reason) of the first [low, high] above its lever's upper bound: a share's above 1, a
    count's above MAX_COUNT, a budget channel's above MAX_MONEY."""
    for table, source, prefix in ((ranges, Levers, "ranges"), (ranges.budget, Budget, "ranges.budget")):
        for k, f in source.model_fields.items():
            pair = getattr(table, k, None) if f.annotation is float else None
            top = upper_bound(f)
            if pair is not None and pair[1] > top:
                return f"{prefix}.{k}", f"high {pair[1]:g} is above the lever's limit {top:g}"
    return None


Comparator = Literal[">=", ">", "<=", "<"]


INDICATORS_DOC = "the README's table \"Indicators\""


class Target(Strict):
    id: Slug
    indicator: str
    year: int = Field(ge=1990, le=2100)
    comparator: Comparator
    threshold: float = Field(allow_inf_nan=False)
    quote: Text = Field(min_length=1, max_length=2000, description="the plan's words, in Chinese")
    source: Text = Field(min_length=1, max_length=2000)
    figure: Slug | None = Field(None, description="id of the figure in calibration/figures.toml")
    tolerance: Share = Field(0, description="for 'about' targets: share below the threshold still counted as met")

    @field_validator("indicator")
    @classmethod
    def _known_indicator(cls, v: str) -> str:
        if v not in INDICATORS:
            raise ValueError(f"unknown indicator {v!r}; {suggestion(v, INDICATORS, INDICATORS_DOC, 'indicators')}")
        return v


class Scenario(Strict):
    model_config = ConfigDict(extra="forbid", frozen=True, strict=True, json_schema_extra={
        "title": "innosim scenario", "$id": "https://innosim.local/scenario.schema.json"})

    extends: str | None = Field(None, pattern=r"^[A-Za-z0-9][A-Za-z0-9_.\-]{0,120}\.toml$",
                                description="a scenario file in the same folder: this file overrides its tables")
    scenario: Meta
    levers: Levers = Levers()
    ranges: Ranges = Field(default_factory=Ranges, description="[low, high] of each lever explored by "
                           "sensitivity, optimize and discover; the same units as [levers]")
    costs: dict[str, Money] = Field(default_factory=dict, description="unit costs overriding model.costs "
                                     "(万元 per unit of the lever per year)")
    parameters: dict[str, float] = Field(default_factory=dict, description="overrides of model.parameters")
    baseline: dict[str, float] = Field(default_factory=dict,
                                       description="overrides of the profile's baseline entries (what-if baselines)")
    targets: list[Target] = Field(default_factory=list, max_length=200)

    @field_validator("costs")
    @classmethod
    def _known_costs(cls, v: dict[str, float]) -> dict[str, float]:
        for name in v:
            if name not in UNIT_COSTS:
                raise unknown_key(name, UNIT_COSTS, SCHEMA_DOC)
        return v

    @field_validator("parameters")
    @classmethod
    def _known_parameters(cls, v: dict[str, float]) -> dict[str, float]:
        for name, value in v.items():
            if name not in PARAMETERS:
                raise unknown_key(name, PARAMETERS, "model/parameters.py")
            lo, hi = PARAMETERS[name].bounds
            if not (math.isfinite(value) and lo <= value <= hi):
                raise ValueError(f"{name} = {value} is outside [{lo}, {hi}]")
        return v

    @field_validator("baseline")
    @classmethod
    def _known_baseline(cls, v: dict[str, float]) -> dict[str, float]:
        for name, value in v.items():
            if name not in REQUIRED:
                raise unknown_key(name, REQUIRED, "the [baseline] tables of model/profiles/*.toml")
            lo, hi = BASELINE_BOUNDS[name]
            if not (math.isfinite(value) and lo <= value <= hi):
                raise ValueError(f"{name} = {value} is outside [{lo:g}, {hi:g}]")
        return v

    @property
    def months(self) -> int:
        return span(self.scenario.start, self.scenario.end)

    def digest(self) -> str:
        doc = self.model_dump(mode="json")
        if doc["scenario"]["title_zh"] is None:  # a file without one keeps the hash it had before title_zh existed
            del doc["scenario"]["title_zh"]
        return hashlib.sha256(json.dumps(doc, sort_keys=True).encode()).hexdigest()[:16]


def select_targets(scenario: Scenario, ids: list[str] | None, origin: str) -> list[Target]:
    """The scenario's targets named by `ids` (an analysis command's `--targets`), all of them without ids."""
    if not scenario.targets:
        raise InputError(origin, "targets", "the scenario has no [[targets]] to analyse")
    if not ids:
        return list(scenario.targets)
    known = {t.id: t for t in scenario.targets}
    for i in ids:
        if i not in known:
            raise InputError(origin, "--targets", f"unknown target id {i!r}; known: {', '.join(known)}")
    return [known[i] for i in dict.fromkeys(ids)]


def target_row(scenario: Scenario, t: Target) -> int:
    """Row of a target in an ensemble's values: December of its year (row 0 is the baseline, hence +1)."""
    return december_row(t.year, scenario.scenario.start)


def cross_checks(sc: Scenario) -> tuple[str, str] | None:
    """Checks across fields, returned as (field, reason) so the message can name the field: the horizon first
    (the targets are checked against it), then the ranges, then the targets (model/targets.py)."""
    meta = sc.scenario
    last_month = month_index(meta.end, meta.start)
    if last_month < 0:  # end = start is a run of one month
        return "scenario.end", (f"{meta.end} is before start {meta.start}: end, the last simulated month, must not "
                                f"be before start")
    if last_month >= 12 * 30:
        return "scenario.end", "horizon longer than 30 years"
    baseline = PROFILES[meta.profile].baseline
    if month_index(meta.start, baseline) != 1:
        return "scenario.start", (f"{meta.start} must be the month after profile {meta.profile}'s baseline "
                                  f"{baseline} (the model starts from the state the profile describes)")
    if meta.levers_end is not None and not 0 <= month_index(meta.levers_end, meta.start) <= last_month:
        return "scenario.levers_end", f"{meta.levers_end} is outside {meta.start}..{meta.end}"
    return _ranges_within_bounds(sc.ranges) or target_problem(sc.targets, meta.start, meta.end)


def parse_scenario(data: dict, origin: str = "<scenario>") -> Scenario:
    try:
        sc = Scenario.model_validate(data)
    except ValidationError as exc:
        raise InputError(origin, *first_error(exc.errors(), Scenario, data)) from None
    problem = cross_checks(sc)
    if problem:
        raise InputError(origin, *problem)
    return sc


MAX_EXTENDS = 4


def merge(base: dict, child: dict) -> dict:
    """The child document over its base: tables merge key by key, anything else is replaced."""
    out = dict(base)
    for k, v in child.items():
        out[k] = merge(out[k], v) if isinstance(v, dict) and isinstance(out.get(k), dict) else v
    return out


def read_document(path: Path, chain: tuple[Path, ...] = ()) -> dict:
    """The TOML document of a scenario file, with the files it extends merged underneath."""
    origin = str(path)
    data = _read_toml(path, chain[-1] if chain else None)
    parent = data.get("extends")
    if parent is None:
        return data
    if not isinstance(parent, str) or not re.fullmatch(r"[A-Za-z0-9][A-Za-z0-9_.\-]{0,120}\.toml", parent):
        raise InputError(origin, "extends", "must be the name of a .toml file in the same folder")
    base_path = path.parent / parent
    if _resolved(base_path) in {_resolved(p) for p in (*chain, path)}:
        raise InputError(origin, "extends", f"{parent} extends this file again (a cycle)")
    if len(chain) >= MAX_EXTENDS:
        raise InputError(origin, "extends", f"more than {MAX_EXTENDS} levels of extends")
    base = read_document(base_path, (*chain, path))
    base.pop("extends", None)
    own = data.get("scenario")
    if isinstance(own, dict) and "title" in own and "title_zh" not in own and isinstance(base.get("scenario"), dict):
        base["scenario"].pop("title_zh", None)  # a new title: the file it extends has a Chinese title of another plan
    return merge(base, data)


def _resolved(path: Path) -> Path:
    try:
        return path.resolve()
    except (OSError, RuntimeError):  # a symbolic link loop (RuntimeError in Python 3.12): reading says so
        return path.absolute()


def load_scenario(path: str | Path) -> Scenario:
    path = Path(path)
    return parse_scenario(read_document(path), str(path))


def _read_toml(path: Path, asked_by: Path | None = None) -> dict:
    """The TOML document in `path`, or a one-line InputError: no such file, not a regular file, too
    big (refused before reading; at most MAX_FILE_BYTES are ever read), not UTF-8, malformed, or
    nested deeper than MAX_DEPTH. tomllib only builds data (strings, numbers, dates, tables):
    nothing in a file is ever executed."""
    origin = str(path)
    try:
        if not path.exists():
            broken = path.is_symlink()
            if asked_by is not None and not broken:  # the file that extends it names it: say so there
                raise InputError(str(asked_by), "extends", f"no such file {path.name} beside this file")
            raise InputError(origin, "(file)", "a broken or looping symbolic link" if broken else "no such file")
        if not path.is_file():
            raise InputError(origin, "(file)", "not a regular file (a folder, a device or a pipe)")
        size = path.stat().st_size
        if size > MAX_FILE_BYTES:
            raise InputError(origin, "(file)", f"file is {size} bytes, above the {MAX_FILE_BYTES}-byte limit")
        with path.open("rb") as fh:
            raw = fh.read(MAX_FILE_BYTES + 1)  # a file that grew since, or reports no size (/proc)
    except OSError as exc:
        raise InputError(origin, "(file)", f"cannot read the file: {exc.strerror or exc}") from None
    except ValueError as exc:  # e.g. a NUL in the name
        raise InputError(origin, "(file)", f"cannot read the file: {exc}") from None
    if len(raw) > MAX_FILE_BYTES:
        raise InputError(origin, "(file)", f"file is above the {MAX_FILE_BYTES}-byte limit")
    try:
        text = raw.decode("utf-8")
    except UnicodeDecodeError as exc:
        raise InputError(origin, "(file)", f"not UTF-8 text (byte {exc.start})") from None
    problem = nesting_problem(text, MAX_NESTING)
    if problem:
        raise InputError(origin, "(toml)", problem)
    try:
        data = tomllib.loads(text)
    except tomllib.TOMLDecodeError as exc:
        raise InputError(origin, "(toml)", f"malformed TOML: {exc}") from None
    except RecursionError:
        raise InputError(origin, "(toml)", "malformed TOML: nested too deeply") from None
    except ValueError:  # tomllib lets int() refuse an integer of more than 4300 digits
        raise InputError(origin, "(toml)", "malformed TOML: an integer with more than 4300 digits") from None
    deep = too_deep(data, MAX_DEPTH)
    if deep is not None:
        raise InputError(origin, deep, f"tables or arrays nested more than {MAX_DEPTH} levels deep")
    return data


# Strings (multi-line first), then comments: what remains of a line is keys, brackets and values.
_STRINGS = re.compile(r'"""[\s\S]*?"""|\'\'\'[\s\S]*?\'\'\'|"(?:[^"\\\n]|\\.)*"|\'[^\'\n]*\'')
_BRACKETS = re.compile(r"[\[\]{}]")
MAX_WORD = 1000
_LONG_WORD = re.compile(rf"[^\s\[\]{{}},=\"'#]{{{MAX_WORD + 1},}}")


def nesting_problem(text: str, limit: int) -> str | None:
    """Why the TOML text is too deeply nested to parse safely, else None; a linear scan before tomllib.

    tomllib recurses once per nested array or inline table (thousands would end in a RecursionError)
    and takes time quadratic in the parts of a dotted key (a 1 MB key `a.a.a...` would take hours).
    Both are refused here, beyond `limit` levels, which no scenario comes near, and so are keys and
    numbers longer than MAX_WORD characters."""
    bare = _STRINGS.sub(lambda m: '""' + "\n" * m.group().count("\n"), text)
    depth = 0
    for n, line in enumerate(bare.split("\n"), 1):
        line = line.split("#", 1)[0]
        if _LONG_WORD.search(line):  # tomllib's number pattern takes ~120 MB on a 900,000-digit number
            return f"line {n}: a key or value of more than {MAX_WORD} characters outside quotes"
        if line.count(".") > limit:
            keys = re.split(r"[\s,=\[\]{}]+", re.sub(r"\s*\.\s*", ".", line))
            if max(k.count(".") for k in keys) >= limit:
                return f"line {n}: a key of more than {limit} dotted parts"
        for b in _BRACKETS.findall(line):
            depth += 1 if b in "[{" else -1
            if depth > limit:
                return f"line {n}: arrays or inline tables nested more than {limit} levels deep"
    return None


def too_deep(doc: dict, limit: int) -> str | None:
    """The dotted path of the first table or array nested more than `limit` levels deep, else None.
    Iterative, so a document nested 100,000 levels deep (TOML's dotted keys allow it) is safe."""
    stack: list[tuple[object, str, int]] = [(doc, "", 0)]
    while stack:
        node, where, depth = stack.pop()
        if depth > limit:
            return where or "(document)"
        if isinstance(node, dict):
            stack += [(v, f"{where}.{k}" if where else str(k), depth + 1) for k, v in node.items()]
        elif isinstance(node, list):
            stack += [(v, f"{where}[{i + 1}]", depth + 1) for i, v in enumerate(node)]  # counted from 1
    return None


def json_schema() -> dict:
    return Scenario.model_json_schema()
