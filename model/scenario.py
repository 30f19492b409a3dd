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

from .errors import InputError
from .indicators import INDICATORS
from .parameters import PARAMETERS
from .profiles import PROFILES, REQUIRED

MAX_FILE_BYTES = 1_000_000
NonNeg = Annotated[float, Field(ge=0, allow_inf_nan=False)]
Share = Annotated[float, Field(ge=0, le=1, allow_inf_nan=False)]
Month = Annotated[str, Field(pattern=r"^\d{4}-(0[1-9]|1[0-2])$")]
Slug = Annotated[str, Field(pattern=r"^[a-z0-9][a-z0-9\-]{0,79}$")]


class Strict(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)


class Meta(Strict):
    name: Slug = Field(description="short name used for the results folder")
    title: str = Field(max_length=200, description="human title")
    profile: str = Field(description="region profile, e.g. tongzhou-2023")
    start: Month = Field(description="first simulated month, YYYY-MM")
    end: Month = Field(description="last simulated month (the horizon), YYYY-MM")
    seed: int = Field(default=20240227, ge=0, lt=2**63)
    levers_end: Month | None = Field(None, description="month over which horizon totals (new incubators) are "
                                                       "spread; default `end`. Set by `innosim run --until`.")
    replications: int = Field(default=200, ge=1, le=100_000)

    @field_validator("profile")
    @classmethod
    def _known_profile(cls, v: str) -> str:
        if v not in PROFILES:
            raise ValueError(f"unknown profile {v!r}; known: {', '.join(sorted(PROFILES))}")
        return v



class Budget(Strict):
    """Annual S&T budget by channel, 万元 per year."""

    guidance_fund_equity: NonNeg = Field(0, description="guidance fund equity (引导基金), 万元/year")
    loan_interest_subsidy: NonNeg = Field(0, description="loan interest subsidies (贷款贴息), 万元/year")
    rent_subsidy: NonNeg = Field(0, description="rent subsidies (房租补贴), 万元/year")
    rd_growth_reward: NonNeg = Field(0, description="R&D-growth rewards (研发投入增长奖励), 万元/year")
    platform_grant: NonNeg = Field(0, description="grants for new platforms, 万元/year")
    talent_grant: NonNeg = Field(0, description="talent programme grants, 万元/year")

    def total(self) -> float:
        return float(sum(self.model_dump().values()))


class Levers(Strict):
    """What the government commits to. Rates are per year unless said otherwise."""

    national_platforms_per_year: NonNeg = 0
    municipal_platforms_per_year: NonNeg = 0
    joint_labs_per_year: NonNeg = 0
    pilot_bases_per_year: NonNeg = 0
    young_talents_per_year: NonNeg = 0
    talent_teams_per_year: NonNeg = 0
    talents_placed_per_year: NonNeg = 0
    high_tech_pool_per_year: NonNeg = Field(0, description="firms entered into the 高企培育库 each year")
    listing_pool_size: NonNeg = Field(0, description="size of the 上市培育库")
    application_scenarios_per_year: NonNeg = 0
    scenarios_for_attracted_share: Share = Field(0, description="share of scenarios reserved for attracted firms")
    attracted_firms_per_year: NonNeg = Field(0, description="firms attracted (招商) from central Beijing and SOE HQs")
    new_municipal_incubators: NonNeg = Field(0, description="municipal incubators added over the horizon")
    new_ordinary_incubators: NonNeg = Field(0, description="ordinary incubators added over the horizon")
    services_index: Share = Field(0, description="talent services (housing, schools: the plan's 温度), 0-1")
    adaptive: bool = Field(False, description="annual reassessment shifts effort to lagging targets")
    adaptive_shift: Share = Field(0.2, description="share of on-track channels' budget moved each year")
    budget: Budget = Budget()


def _check_pair(v: list[float]) -> list[float]:
    lo, hi = v
    if not lo <= hi:
        raise ValueError(f"low {lo} is above high {hi}")
    return v


# [low, high] of a lever, explored by sensitivity, optimize and discover.
Pair = Annotated[list[NonNeg], Field(min_length=2, max_length=2)]


def _ranges_model(name: str, source: type[BaseModel], doc: str, **extra) -> type[BaseModel]:
    """A table with an optional [low, high] for every numeric field of `source` (levers or budget)."""
    fields = {k: (Pair | None, Field(None, description=f"[low, high] of {k}"))
              for k, f in source.model_fields.items() if f.annotation in (float, NonNeg, Share)}
    validators = {"_pairs": field_validator(*fields)(lambda cls, v: v if v is None else _check_pair(v))}
    return create_model(name, __base__=Strict, __doc__=doc, __validators__=validators, **fields, **extra)


BudgetRanges = _ranges_model("BudgetRanges", Budget, "Ranges of the budget channels, 万元 per year.")
Ranges = _ranges_model("Ranges", Levers, "Ranges of the levers explored by sensitivity, optimize and discover.",
                       budget=(BudgetRanges, BudgetRanges()))


def _share_levers_in_unit_interval(ranges: BaseModel) -> None:
    for k, f in Levers.model_fields.items():
        pair = getattr(ranges, k, None)
        if pair is not None and f.annotation is Share and pair[1] > 1:
            raise ValueError(f"{k}: a share, high {pair[1]} must be <= 1")


Comparator = Literal[">=", ">", "<=", "<"]


class Target(Strict):
    id: Slug
    indicator: str
    year: int = Field(ge=1990, le=2100)
    comparator: Comparator
    threshold: float = Field(allow_inf_nan=False)
    quote: str = Field(min_length=1, description="the plan's words, in Chinese")
    source: str = Field(min_length=1)
    figure: Slug | None = Field(None, description="id of the figure in calibration/figures.toml")
    tolerance: Share = Field(0, description="for 'about' targets: share below the threshold still counted as met")

    @field_validator("indicator")
    @classmethod
    def _known_indicator(cls, v: str) -> str:
        if v not in INDICATORS:
            raise ValueError(f"unknown indicator {v!r}")
        return v


class Scenario(Strict):
    model_config = ConfigDict(extra="forbid", frozen=True, json_schema_extra={
        "title": "innosim scenario", "$id": "https://innosim.local/scenario.schema.json"})

    extends: str | None = Field(None, pattern=r"^[A-Za-z0-9][A-Za-z0-9_.\-]{0,120}\.toml$",
                                description="a scenario file in the same folder: this file overrides its tables")
    scenario: Meta
    levers: Levers = Levers()
    ranges: Ranges = Field(default_factory=Ranges, description="[low, high] of each lever explored by "
                           "sensitivity, optimize and discover; the same units as [levers]")
    costs: dict[str, NonNeg] = Field(default_factory=dict, description="unit costs overriding model.costs "
                                     "(万元 per unit of the lever per year)")
    parameters: dict[str, float] = Field(default_factory=dict, description="overrides of model.parameters")
    baseline: dict[str, float] = Field(default_factory=dict,
                                       description="overrides of the profile's baseline entries (what-if baselines)")
    targets: list[Target] = Field(default_factory=list, max_length=200)

    @field_validator("ranges")
    @classmethod
    def _share_ranges(cls, v: BaseModel) -> BaseModel:
        _share_levers_in_unit_interval(v)
        return v

    @field_validator("costs")
    @classmethod
    def _known_costs(cls, v: dict[str, float]) -> dict[str, float]:
        from .costs import UNIT_COSTS

        for name in v:
            if name not in UNIT_COSTS:
                raise ValueError(f"unknown cost {name!r}; known: {', '.join(UNIT_COSTS)}")
        return v

    @field_validator("parameters")
    @classmethod
    def _known_parameters(cls, v: dict[str, float]) -> dict[str, float]:
        for name, value in v.items():
            if name not in PARAMETERS:
                raise ValueError(f"unknown parameter {name!r}")
            lo, hi = PARAMETERS[name].bounds
            if not (math.isfinite(value) and lo <= value <= hi):
                raise ValueError(f"{name} = {value} is outside [{lo}, {hi}]")
        return v

    @field_validator("baseline")
    @classmethod
    def _known_baseline(cls, v: dict[str, float]) -> dict[str, float]:
        for name, value in v.items():
            if name not in REQUIRED:
                raise ValueError(f"unknown baseline entry {name!r}")
            if not (math.isfinite(value) and value >= 0):
                raise ValueError(f"{name} = {value} must be a finite number >= 0")
            if name.endswith("share") and value > 1:
                raise ValueError(f"{name} = {value} is a share and must be <= 1")
        if v.get("tech_firms", 1) > 2_000_000:
            raise ValueError("tech_firms above 2,000,000")
        return v

    @property
    def months(self) -> int:
        return month_index(self.scenario.end, self.scenario.start) + 1

    def digest(self) -> str:
        return hashlib.sha256(json.dumps(self.model_dump(mode="json"), sort_keys=True).encode()).hexdigest()[:16]


def month_index(month: str, start: str) -> int:
    y, m = int(month[:4]), int(month[5:7])
    y0, m0 = int(start[:4]), int(start[5:7])
    return (y - y0) * 12 + (m - m0)


def _loc(err: dict) -> str:
    parts = [str(p) for p in err["loc"] if not str(p).startswith(("function-", "function_"))]
    out = ""
    for p in parts:
        out += f"[{p}]" if p.isdigit() else (f".{p}" if out else p)
    return out or "(document)"


def _reason(err: dict) -> str:
    msg = err["msg"]
    msg = re.sub(r"^(Value error|Assertion failed), ", "", msg)
    if err["type"] == "extra_forbidden":
        msg = "unknown key"
    return msg


def cross_checks(sc: Scenario) -> tuple[str, str] | None:
    """Checks across fields, returned as (field, reason) so the message can name the field."""
    meta = sc.scenario
    span = month_index(meta.end, meta.start)
    if span < 0:
        return "scenario.end", f"{meta.end} is before start {meta.start}"
    if span >= 12 * 30:
        return "scenario.end", "horizon longer than 30 years"
    baseline = PROFILES[meta.profile].baseline
    if month_index(meta.start, baseline) != 1:
        return "scenario.start", (f"{meta.start} must be the month after profile {meta.profile}'s baseline "
                                  f"{baseline} (the model starts from the state the profile describes)")
    if meta.levers_end is not None and not 0 <= month_index(meta.levers_end, meta.start) <= span:
        return "scenario.levers_end", f"{meta.levers_end} is outside {meta.start}..{meta.end}"
    first, last = int(meta.start[:4]), int(meta.end[:4])
    if not meta.end.endswith("-12"):
        last -= 1  # targets are read in December: the last year must be complete
    seen = set()
    for i, t in enumerate(sc.targets):
        if not first <= t.year <= last:
            return f"targets[{i}].year", f"{t.year} is outside the horizon {meta.start}..{meta.end} ({t.id})"
        if t.id in seen:
            return f"targets[{i}].id", f"duplicate id {t.id!r}"
        seen.add(t.id)
    return None


def parse_scenario(data: dict, origin: str = "<scenario>") -> Scenario:
    try:
        sc = Scenario.model_validate(data)
    except ValidationError as exc:
        err = exc.errors()[0]
        raise InputError(origin, _loc(err), _reason(err)) from None
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
    data = _read_toml(path)
    parent = data.get("extends")
    if parent is None:
        return data
    if not isinstance(parent, str) or not re.fullmatch(r"[A-Za-z0-9][A-Za-z0-9_.\-]{0,120}\.toml", parent):
        raise InputError(origin, "extends", "must be the name of a .toml file in the same folder")
    base_path = path.parent / parent
    if base_path.resolve() in {p.resolve() for p in (*chain, path)}:
        raise InputError(origin, "extends", f"{parent} extends this file again (a cycle)")
    if len(chain) >= MAX_EXTENDS:
        raise InputError(origin, "extends", f"more than {MAX_EXTENDS} levels of extends")
    base = read_document(base_path, (*chain, path))
    base.pop("extends", None)
    return merge(base, data)


def load_scenario(path: str | Path) -> Scenario:
    path = Path(path)
    return parse_scenario(read_document(path), str(path))


def _read_toml(path: Path) -> dict:
    origin = str(path)
    if not path.is_file():
        raise InputError(origin, "(file)", "no such file")
    size = path.stat().st_size
    if size > MAX_FILE_BYTES:
        raise InputError(origin, "(file)", f"file is {size} bytes, above the {MAX_FILE_BYTES}-byte limit")
    raw = path.read_bytes()
    try:
        text = raw.decode("utf-8")
    except UnicodeDecodeError as exc:
        raise InputError(origin, "(file)", f"not UTF-8 text (byte {exc.start})") from None
    try:
        data = tomllib.loads(text)
    except tomllib.TOMLDecodeError as exc:
        raise InputError(origin, "(toml)", f"malformed TOML: {exc}") from None
    except RecursionError:
        raise InputError(origin, "(toml)", "malformed TOML: nested too deeply") from None
    return data


def json_schema() -> dict:
    return Scenario.model_json_schema()
