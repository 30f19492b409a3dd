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
    parameters_note: str | None  # why the posterior was not used, if it was not
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
    ad.write_results(ens, out, summary, ad.markdown(summary, settings.scenario), lang)
    yield State("done", replace(result, folder=out))


# ------------------------------------------------------------------ what the page shows
def value(indicator: str, v: float, lang: str) -> str:
    """A number as the CLI table writes it (model/report.py), with English units for money in English."""
    text = ad.fmt(indicator, v)
    if lang == "en" and text.endswith("亿"):
        return f"{float(v) / 1e5:,.2f} bn yuan"
    return text


def target_rows(result: Result, lang: str) -> list[dict]:
    """One row per target, formatted like the CLI table, with its kind and baseline mark."""
    rows = []
    for tg, raw in zip(result.settings.scenario.targets, result.summary["targets"], strict=True):
        ind = raw["indicator"]
        mark = ad.baseline_mark(result.summary, ind)
        cmp_ = raw["comparator"] + ("~" if raw["tolerance"] else "")
        rows.append({
            "id": raw["id"], "indicator": ind, "kind": ad.target_kind(tg),
            "name": ad.indicator_name(ind, lang),
            "baseline": value(ind, raw["baseline"], lang) + {"drawn": "*", "derived": "†"}.get(mark, ""),
            "target": f"{cmp_} {value(ind, raw['threshold'], lang)} ({raw['year']})",
            "range": (f"{value(ind, raw['p50'], lang)} [{value(ind, raw['p10'], lang)} - "
                      f"{value(ind, raw['p90'], lang)}]"),
            "p_meet": f"{100 * raw['p_meet']:.0f}%", "light": ad.light(raw["p_meet"]), "quote": raw["quote"],
            "source": raw["source"],
        })
    return rows


def headline(summary: dict, lang: str) -> str:
    """The report's headline (model/report.py), in Chinese or English."""
    ts = summary["targets"]
    if not ts:
        return t("head_none", lang)
    counts = {c: sum(ad.light(x["p_meet"]) == c for x in ts) for c in ("green", "amber", "red")}
    out = t("head_counts", lang, n=len(ts), **counts)
    worst = [x for x in sorted(ts, key=lambda x: x["p_meet"])[:3] if x["p_meet"] < 0.5]
    if worst:
        sep = "；" if lang == "zh" else "; "
        items = sep.join(f"{ad.indicator_name(x['indicator'], lang)} ({100 * x['p_meet']:.0f}%)" for x in worst)
        out += ("" if lang == "zh" else " ") + t("head_worst", lang, items=items)
    return out


def comparison_headline(result: Result, lang: str) -> str | None:
    if result.differences is None:
        return None
    if not result.differences:
        return t("head_same", lang)
    up = sum(d.d_p_meet_low > 0 for d in result.differences)
    down = sum(d.d_p_meet_high < 0 for d in result.differences)
    return t("head_compare", lang, up=up, down=down)


def _pp(x: float) -> str:
    v = round(100 * x)
    return f"{v:+d}" if v else "0"


def _delta(indicator: str, v: float, lang: str) -> str:
    text = value(indicator, abs(v), lang)
    if ad.INDICATORS[indicator].unit == "%":
        text = text.replace("%", " pp")
    if not any(c in "123456789" for c in text):  # rounds to zero: no sign
        return text
    return ("-" if v < 0 else "+") + text


def comparison_rows(result: Result, lang: str) -> list[dict]:
    rows = []
    for d in result.differences or ():
        ind = d.indicator
        star = "*" if d.d_p_meet_low > 0 or d.d_p_meet_high < 0 else ""
        rows.append({
            "id": d.target, "name": ad.indicator_name(ind, lang),
            "p50_plan": value(ind, d.ref_p50, lang), "p50_yours": value(ind, d.alt_p50, lang),
            "d_p50": (f"{_delta(ind, d.d_p50, lang)} [{_delta(ind, d.d_p50_low, lang)}, "
                      f"{_delta(ind, d.d_p50_high, lang)}]"),
            "p_meet": f"{100 * d.ref_p_meet:.0f}% → {100 * d.alt_p_meet:.0f}%",
            "d_p_meet": f"{_pp(d.d_p_meet)}{star} [{_pp(d.d_p_meet_low)}, {_pp(d.d_p_meet_high)}]",
        })
    return rows


def fan_indicators(result: Result) -> list[tuple[str, dict | None]]:
    """(indicator, its first target) per fan chart, as the report draws them."""
    first: dict[str, dict] = {}
    for tg in result.summary["targets"]:
        first.setdefault(tg["indicator"], tg)
    return list(first.items()) or [(i, None) for i in ("high_tech", "specialized_sme", "listed", "rd_intensity")]


def fan_png(result: Result, indicator: str, target: dict | None, lang: str, dpi: int = 80) -> bytes:
    dates = ad.months(result.settings.scenario)
    fig = ad.fan_chart(result.ensemble.series(indicator), dates, indicator, lang, result.summary["title"], target)
    return ad.png(fig, dpi)


def dashboard_png(result: Result, lang: str, dpi: int = 80) -> bytes | None:
    if not result.summary["targets"]:
        return None
    return ad.png(ad.dashboard(result.summary["targets"], lang), dpi)


def fan_quantiles(result: Result) -> list[tuple[str, list, np.ndarray, dict | None]]:
    """(indicator, months, quantiles (5 x months), its target) for every fan chart."""
    dates = ad.months(result.settings.scenario)
    out = []
    for ind, tg in fan_indicators(result):
        q = np.quantile(result.ensemble.series(ind), FAN_QUANTILES, axis=0)
        out.append((ind, dates, q, tg))
    return out
