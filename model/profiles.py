"""Region profiles: the documented state of a district at its baseline date.

Profiles live as TOML files next to this module. An entry is a sourced `value` or an
estimated `range`; `draw_baseline` draws one value per entry for one replication. Each entry
says what it is in Chinese too (`label_zh`, an estimate's `estimate_zh`, a source with words in it
`source_zh`), with the same figures and ids: report.md in Chinese lists them.
"""

from __future__ import annotations

import tomllib
from dataclasses import dataclass
from importlib import resources

import numpy as np

from .months import month_index
from .sectors import SECTORS

REQUIRED = (
    "tech_firms", "new_market_entities", "high_tech", "specialized_sme", "listed",
    "national_platforms", "municipal_platforms", "joint_labs", "pilot_bases",
    "incubators_ordinary", "incubators_municipal", "incubator_places", "above_scale_share",
    "revenue_pareto_alpha", "rd_total", "rd_firm_share", "gdp", "gdp_growth",
    "researcher_slack", "high_level_talents_per_year",
)


# Entries that grow with the size of the district: a model of one firm in `scale` simulates 1/scale of them.
EXTENSIVE = ("tech_firms", "new_market_entities", "high_tech", "specialized_sme", "listed", "national_platforms",
             "municipal_platforms", "joint_labs", "pilot_bases", "incubators_ordinary", "incubators_municipal",
             "rd_total", "gdp", "high_level_talents_per_year")
# absorb: a share of firms joins; entries: new_market_entities from then on; gdp: the documented GDP (万元) at the end
# of that month, which the GDP path passes through (indicators.gdp_factor)
EVENT_KINDS = ("absorb", "entries", "gdp")


@dataclass(frozen=True)
class Profile:
    name: str
    region: str
    baseline: str
    entries: dict[str, dict]
    sector_shares: np.ndarray
    pipeline: dict
    background: dict  # levers in force before the baseline (the spin-up's), as in a scenario's [levers]
    events: tuple[dict, ...] = ()  # dated changes of the territory

    def estimated(self) -> list[str]:
        return [k for k, e in self.entries.items() if "range" in e]

    def draw(self, rng: np.random.Generator, overrides: dict[str, float] | None = None,
             above_scale_factor: float = 1.0) -> dict[str, float]:
        """One replication's baseline: sourced values as given, estimates drawn uniformly, then
        the scenario's overrides. Every range is drawn even when overridden, so an override does
        not shift the other draws. An estimated above-scale share is multiplied by above_scale_factor
        (parameters.py, 1 unless a scenario sets it): the estimates share one reasoning, which Beijing's
        专精特新 figures test; a documented value or a scenario's own share is taken as given."""
        out = {}
        for key in REQUIRED:  # fixed order keeps the draws reproducible
            e = self.entries[key]
            out[key] = float(e["value"]) if "value" in e else float(rng.uniform(*e["range"]))
        if "range" in self.entries["above_scale_share"]:
            out["above_scale_share"] = min(out["above_scale_share"] * above_scale_factor, 1.0)
        out.update(overrides or {})
        return out

    @staticmethod
    def simulated(documented: dict[str, float], scale: int) -> dict[str, float]:
        """The baseline in the model's units: extensive entries divided by `scale`."""
        return {k: v / scale if k in EXTENSIVE else v for k, v in documented.items()}

    def draw_events(self, rng: np.random.Generator, start: str) -> list[tuple[int, str, float]]:
        """(model month, kind, value) of each event, values drawn from their ranges; drawn whatever the
        scenario's horizon, so a longer run does not shift other draws."""
        out = []
        for e in self.events:
            size = float(e["value"]) if not isinstance(e["value"], list) else float(rng.uniform(*e["value"]))
            month = month_index(e["month"], start)
            if month >= 0:
                out.append((month, e["kind"], size))
        return out


def _load(name: str) -> Profile:
    text = resources.files(__package__).joinpath("profiles", f"{name}.toml").read_text("utf-8")
    return parse_profile(name, tomllib.loads(text))


def parse_profile(name: str, doc: dict) -> Profile:
    """A profile from its TOML document; ValueError naming the profile and the entry when it is malformed."""
    entries = doc["baseline"]
    missing = [k for k in REQUIRED if k not in entries]
    if missing:
        raise ValueError(f"profile {name}: missing {missing}")
    for k, e in entries.items():
        if ("value" in e) == ("range" in e):
            raise ValueError(f"profile {name}: {k} needs exactly one of value / range")
        if ("value" in e and "source" not in e) or ("range" in e and "estimate" not in e):
            raise ValueError(f"profile {name}: {k} lacks its source or estimate reasoning")
        if "label_zh" not in e or ("range" in e and "estimate_zh" not in e):  # report.md lists them in Chinese too
            raise ValueError(f"profile {name}: {k} lacks its Chinese label or reasoning (label_zh, estimate_zh)")
        if not isinstance(e.get("from_plan", False), bool):
            raise ValueError(f"profile {name}: {k}.from_plan must be true or false")
    gdp_months = []
    for e in doc.get("events", []):
        if e.get("kind") not in EVENT_KINDS or "month" not in e or "value" not in e:
            raise ValueError(f"profile {name}: an event needs kind ({', '.join(EVENT_KINDS)}), month and value")
        ranged = isinstance(e["value"], list)
        if (ranged and "estimate" not in e) or (not ranged and "source" not in e):
            raise ValueError(f"profile {name}: event {e['month']} lacks its source or estimate reasoning")
        if e["kind"] == "gdp":
            # a documented point, not a draw (a drawn one would shift every draw after it); one per month
            if ranged or e["month"] in gdp_months:
                raise ValueError(f"profile {name}: gdp event {e['month']} must be one documented value per month")
            gdp_months.append(e["month"])
    shares = np.array([doc["sector_shares"][s] for s in SECTORS], dtype=float)
    return Profile(name, doc["profile"]["region"], doc["profile"]["baseline"], entries,
                   shares / shares.sum(), doc.get("pipeline", {}), doc.get("background", {}),
                   tuple(doc.get("events", [])))


PROFILE_NAMES = ("tongzhou-2023", "bda-2015", "beijing-2023", "beijing-2014")
PROFILES: dict[str, Profile] = {n: _load(n) for n in PROFILE_NAMES}
