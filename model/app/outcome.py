"""A run of the app from start to finish, and what the page shows of it; no web code here.

`run(settings, ...)` is a generator: it yields the Result as soon as the ensemble is done (the page shows the
targets) when the plan must still run for the comparison, again with the paired comparison, and again once the
results folder (report.html, charts) is written. The page calls it on a worker thread.
"""

from __future__ import annotations

import datetime as dt
import secrets
import time
from collections.abc import Callable, Iterator
from dataclasses import dataclass, replace
from pathlib import Path

import numpy as np

from . import adapter as ad
from . import runner
from .text import t

FAN_QUANTILES = (0.1, 0.25, 0.5, 0.75, 0.9)


@dataclass(frozen=True)
class Result:
    settings: runner.Settings
    source_name: str  # the library file or the uploaded file's name
    ensemble: ad.Ensemble
    summary: dict
    parameters_note: str | None  # adapter.parameter_source's note: posterior missing, unreadable or unscreened
    wall_seconds: float
    token: str  # unique per run: keys the page's cached charts
    differences: tuple[ad.Difference, ...] | None = None  # None until the plan has run; () when it is the plan
    folder: Path | None = None  # the results folder, once written


@dataclass(frozen=True)
class State:
    """What the page shows while a run goes on: the phase, and the result so far (None before the ensemble ends)."""

    phase: str  # "run", "plan", "report" or "done"
    result: Result | None = None


def results_folder(root: Path, scenario: ad.Scenario) -> Path:
    """<root>/<scenario name>-<UTC time>-<random>: unique even for two tabs in the same second."""
    stamp = dt.datetime.now(dt.UTC).strftime("%Y%m%dT%H%M%SZ")
    return Path(root) / f"{scenario.scenario.name}-{stamp}-{secrets.token_hex(3)}"


def run(settings: runner.Settings, source_name: str, results_root: Path, lang: str,
        on_progress: Callable[[runner.Progress], None], should_stop: Callable[[], bool]) -> Iterator[State]:
    source, note = ad.parameter_source(settings.parameters)
    progress = runner.Progress("run")
    pool = runner.AppPool(settings.workers, should_stop)
    try:
        yield State("run")
        t0 = time.perf_counter()
        ens = runner.ensemble(settings.scenario, settings, source, progress, on_progress, pool)
        wall = time.perf_counter() - t0
        summary = ad.build_summary(ens, wall, source_name)
        result = Result(settings, source_name, ens, summary, note, wall, secrets.token_hex(8))
        if settings.changed:
            plan = runner.cached_plan(settings, source)
            if plan is None:
                yield State("plan", result)  # the page shows the results while the plan runs
                progress.phase = "plan"
                plan = runner.ensemble(settings.reference, settings, source, progress, on_progress, pool)
                runner.remember_plan(settings, source, plan)
            result = replace(result, differences=tuple(ad.compare([plan, ens], settings.seed)))
        else:
            runner.remember_plan(settings, source, ens)
            result = replace(result, differences=())
    finally:
        pool.close()
    yield State("report", result)
    if should_stop():
        raise runner.Cancelled
    out = results_folder(results_root, settings.scenario)
    ad.write_results(ens, out, summary, ad.markdown(summary, settings.scenario, lang), lang)
    yield State("done", replace(result, folder=out))


# ------------------------------------------------------------------ what the page shows
def value(indicator: str, v: float, lang: str) -> str:
    """A number as the CLI table writes it (model/output/report.py), with English units for money in English."""
    text = ad.fmt(indicator, v)
    if lang == "en" and text.endswith("亿"):
        return f"{float(v) / 1e5:,.2f} bn yuan"
    return text


def baseline_mark(summary: dict, target: dict) -> str:
    """The report's marks (model/output/report.py): * a baseline drawn per replication from its documented range,
    † a baseline estimated partly from the plan's own targets."""
    s = summary["indicators"][target["indicator"]]
    return ("*" if s["baseline_p10"] != s["baseline_p90"] else "") + ("†" if ad.from_plan(target) else "")


def target_rows(result: Result, lang: str) -> list[dict]:
    """One row per outcome target, formatted like the CLI table, with the report's baseline marks."""
    rows = []
    for raw in ad.outcomes(result.summary):
        ind = raw["indicator"]
        rows.append({
            "id": raw["id"], "indicator": ind,
            "name": ad.indicator_name(ind, lang) + ("‡" if ind in ad.KNOWN_LIMITS else ""),  # as the dashboard
            "baseline": value(ind, raw["baseline"], lang) + baseline_mark(result.summary, raw),
            "target": target_text(raw, lang), "about": ad.measured_value(raw) is not None,
            "range": (f"{value(ind, raw['p50'], lang)} [{value(ind, raw['p10'], lang)} - "
                      f"{value(ind, raw['p90'], lang)}]"),
            "p_meet": f"{ad.percent(raw['p_meet'])}%", "light": ad.light(raw["p_meet"]), "quote": raw["quote"],
            "source": raw["source"],
        })
    return rows


def target_text(raw: dict, lang: str) -> str:
    """The table's target (model/output/report.py, target_cell) with the page's amounts: '>= 400 (2026; about: >= 380
    counts)'."""
    return ad.target_cell(raw, lang, lambda ind, v: value(ind, v, lang))


def limit_lines(summary: dict, lang: str) -> list[str]:
    """The report's known limits (model/output/report.py, known_limits) of the indicators the targets read, one line
    each, in the page's language."""
    return [f"‡ {line}" for line in ad.known_limits(summary, lambda i: ad.indicator_name(i, lang), lang=lang)]


def delivery(result: Result, raw: dict, lang: str) -> str:
    """A commitment's arithmetic in the page's language, as report.md gives it (summary.json keeps the English)."""
    if raw["delivery"] is None:  # an outcome target
        return ""
    sc = result.settings.scenario
    return ad.delivery(sc, next(x for x in sc.targets if x.id == raw["id"]), lang) or ""


def commitment_rows(result: Result, lang: str) -> list[dict]:
    """One row per commitment, as the report's commitments table: the target, what was delivered (P50) and the
    lever's arithmetic that delivers it."""
    return [{"id": raw["id"], "name": ad.indicator_name(raw["indicator"], lang),
             "target": target_text(raw, lang),
             "delivered": value(raw["indicator"], raw["p50"], lang), "delivery": delivery(result, raw, lang),
             "quote": raw["quote"], "source": raw["source"]}
            for raw in ad.commitments(result.summary)]


def money_rows(summary: dict, lang: str) -> list[dict]:
    """Each budget channel's money over the horizon (summary.json "money"), the total last; amounts in 亿元 (zh) or
    billions of yuan (en), the unit in the column heads."""
    def amount(wan: float) -> str:
        return f"{wan / 1e4:,.1f}" if lang == "zh" else f"{wan / 1e5:,.2f}"

    rows = []
    for c, v in (summary.get("money") or {}).items():
        u, paid = v["unspent_share"], v["paid"]
        rows.append({"id": c, "name": t("money_total", lang) if c == "total" else ad.channel_name(c, lang),
                     "budgeted": amount(v["budgeted"]["p50"]),
                     "paid": f"{amount(paid['p50'])} [{amount(paid['p10'])} - {amount(paid['p90'])}]",
                     "unspent": f"{100 * u['p50']:.0f}% [{100 * u['p10']:.0f} - {100 * u['p90']:.0f}%]"})
    return rows


def comparison_headline(result: Result, lang: str) -> str | None:
    """How many outcome targets the page's levers clearly move (a commitment moves by arithmetic: no finding)."""
    if result.differences is None:
        return None
    if not result.differences:
        return t("head_same", lang)
    kinds = {x["id"]: x["kind"] for x in result.summary["targets"]}
    found = [d for d in result.differences if kinds[d.target] == "outcome"]
    up = sum(d.d_p_meet_low > 0 for d in found)
    down = sum(d.d_p_meet_high < 0 for d in found)
    return t("head_compare", lang, up=up, down=down)


def _units(indicator: str, lang: str) -> Callable[[float], str]:
    """How a change in the indicator prints on the page (value); a change in a percentage in points."""
    def text(x: float) -> str:
        shown = value(indicator, x, lang)
        return shown.replace("%", " pp") if ad.INDICATORS[indicator].unit == "%" else shown

    return text


def comparison_rows(result: Result, lang: str) -> list[dict]:
    """One row per target, the outcomes first, then the commitments (marked)."""
    kinds = {x["id"]: x["kind"] for x in result.summary["targets"]}
    rows = []
    for d in sorted(result.differences or (), key=lambda d: kinds[d.target] != "outcome"):
        ind = d.indicator
        tag = t("commitment_tag", lang) if kinds[d.target] == "commitment" else ""
        rows.append({
            "id": d.target, "name": ad.indicator_name(ind, lang) + tag, "kind": kinds[d.target],
            "p50_plan": value(ind, d.ref_p50, lang), "p50_yours": value(ind, d.alt_p50, lang),
            "d_p50": ad.change_with_interval(d.d_p50, d.d_p50_low, d.d_p50_high, _units(ind, lang)),
            "p_meet": f"{100 * d.ref_p_meet:.0f}% → {100 * d.alt_p_meet:.0f}%",
            "d_p_meet": ad.change_with_interval(d.d_p_meet, d.d_p_meet_low, d.d_p_meet_high, ad.points),
        })
    return rows


def fan_indicators(result: Result) -> list[tuple[str, dict | None]]:
    """(indicator, its first target) per fan chart, as the briefing draws them."""
    return ad.fan_charts(result.summary)


def fan_png(result: Result, indicator: str, target: dict | None, lang: str, dpi: int = 80) -> bytes:
    dates = ad.months(result.settings.scenario)
    fig = ad.fan_chart(result.ensemble.series(indicator), dates, indicator, lang,
                       ad.scenario_title(result.summary, lang), target)
    return ad.png(fig, dpi)


def dashboard_png(result: Result, lang: str, dpi: int = 80) -> bytes | None:
    """The outcome targets' P(meet), as the briefing draws it; none without outcome targets (a commitment's
    P(meet) is no finding)."""
    if not ad.outcomes(result.summary):
        return None
    return ad.png(ad.dashboard(ad.outcomes(result.summary), lang), dpi)


def fan_quantiles(result: Result) -> list[tuple[str, list, np.ndarray, dict | None]]:
    """(indicator, months, quantiles (5 x months), its target) for every fan chart."""
    dates = ad.months(result.settings.scenario)
    out = []
    for ind, tg in fan_indicators(result):
        q = np.quantile(result.ensemble.series(ind), FAN_QUANTILES, axis=0)
        out.append((ind, dates, q, tg))
    return out
