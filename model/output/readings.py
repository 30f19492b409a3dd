"""What a run's summary says before it is put into words: the lights of the outcome targets, the commitments apart,
the channels that leave money unspent, the platforms still waiting for a grant and how far a small run's P(meet)
may be off. The report, the terminal, the charts and the app read a summary through these, so that their words
(phrases.py) rest on the same readings."""

from __future__ import annotations

import math

from ..levers import label
from ..targets import threshold_measured

# Traffic lights on P(meet) as shown, in whole percent: green from 80%, amber from 50%, red below
LIGHTS = (("green", 80), ("amber", 50), ("red", 0))
UNSPENT_HEADLINE = 0.10  # a budget that leaves this share unspent (P50) does not bind: the headline says so first

# A P(meet) is the share of N replications that meet the target: its binomial standard error is at most
# 100 * sqrt(0.25 / N) points (at 50%). Below FEW_REPLICATIONS that is more than 5 points, so one P(meet)'s 95%
# interval is wider than +-10 points, a third of the amber band (50-80%), and a target's light can change with the
# seed (optimize too confirms its finalists on 100 fresh replications). The library's plans run
# BRIEFING_REPLICATIONS (+-4 points), which the note advises. The app shows the note under its headline,
# innosim run under its table, report.md under the targets (phrases.few_runs_note).
FEW_REPLICATIONS = 100
BRIEFING_REPLICATIONS = 200


def percent(p: float) -> int:
    """P(meet) in the whole percent every table and chart prints."""
    return round(100 * p)


def light(p: float) -> str:
    """The light of a P(meet), decided on the percent shown: 0.495 prints 50% and is amber, never a red "50%"."""
    shown = percent(p)
    return next(name for name, lo in LIGHTS if shown >= lo)


def measured_value(t: dict) -> float | None:
    """The threshold an 'about' target's P(meet) is measured against (400 at 5%: 380); None without a tolerance."""
    return threshold_measured(t) if t.get("tolerance") else None


def from_plan(t: dict) -> bool:
    """Whether the target's baseline is estimated partly from the plan's own targets (marked †)."""
    return bool(t.get("baseline_source", {}).get("from_plan"))


def scenario_title(summary: dict, lang: str) -> str:
    """The scenario's title in `lang`: its title_zh in Chinese where it has one (folders written before title_zh
    existed have none)."""
    return summary.get("title_zh") or summary["title"] if lang == "zh" else summary["title"]


def outcomes(summary: dict) -> list[dict]:
    """The targets the model decides (their P(meet) is a finding)."""
    return [t for t in summary["targets"] if t.get("kind", "outcome") == "outcome"]


def commitments(summary: dict) -> list[dict]:
    """The targets a lever delivers by arithmetic."""
    return [t for t in summary["targets"] if t.get("kind") == "commitment"]


def channel_name(channel: str, lang: str) -> str:
    """A budget channel's name, its lever's (model/lever_registry.py): '平台资助' (zh), 'platform grants' (en). Every
    table and sentence on money names channels through here, the app's too, so that no name stays English in zh."""
    return label(f"budget.{channel}", lang)


def idle_channels(money: dict) -> list[tuple[str, float]]:
    """(channel, unspent share P50) of the funded channels that leave UNSPENT_HEADLINE or more unspent, most first."""
    return sorted(((c, v["unspent_share"]["p50"]) for c, v in money.items() if c != "total"
                   and v["budgeted"]["p50"] > 0 and v["unspent_share"]["p50"] >= UNSPENT_HEADLINE),
                  key=lambda cv: -cv[1])


def money_idle(summary: dict) -> bool:
    """Whether the plan's money does not bind: a budget that leaves UNSPENT_HEADLINE or more unspent (P50)."""
    m = summary.get("money")
    return bool(m) and m["total"]["budgeted"]["p50"] > 0 and m["total"]["unspent_share"]["p50"] >= UNSPENT_HEADLINE


def waiting_platforms(summary: dict) -> tuple[int, int, int, bool] | None:
    """(P50, P10, P90, platform money left unspent) of the platforms the levers made due that the platform grants had
    not paid for at the horizon; None when fewer than one waits at the P50."""
    s = summary.get("indicators", {}).get("platforms_awaiting_grant")
    if not s or s["p50"] < 1:
        return None
    grant = (summary.get("money") or {}).get("platform_grant")
    unspent = bool(grant) and grant["budgeted"]["p50"] > 0 and grant["unspent_share"]["p50"] > 0
    return round(s["p50"]), round(s["p10"]), round(s["p90"]), unspent


def p_meet_error(replications: int) -> int:
    """The binomial standard error of a P(meet) at 50% from `replications` runs, in whole percentage points."""
    return round(100 * math.sqrt(0.25 / replications))


def needs_few_runs_note(summary: dict) -> bool:
    """A run of fewer than FEW_REPLICATIONS replications with an outcome target (a P(meet) the model finds; a
    commitment's is arithmetic)."""
    return summary["replications"] < FEW_REPLICATIONS and bool(outcomes(summary))
