"""The sensitivity analysis in words and numbers: headlines (zh/en), console lines, markdown, CSV, JSON, samples."""

from __future__ import annotations

import math
from pathlib import Path

import numpy as np

from ... import levers as lv
from ...output.labels import t as tx
from .method import CONF_LEVEL, MATTER_SHARE, NUM_LEVELS, Analysis, TargetIndices, choose_for_sobol, matters, shares


def lever_label(name: str, lang: str) -> str:
    return lv.label(name, lang)


def lever_range(space: lv.LeverSpace, i: int, lang: str) -> str:
    name = space.names[i]
    lo, hi = _num(lv.shown(name, space.low[i])), _num(lv.shown(name, space.high[i]))
    return f"{lo}–{hi} {lv.unit_text(name, lang)}".rstrip()


def _num(v: float) -> str:
    if v == 0:
        return "0"
    if abs(v) >= 100:
        return f"{v:,.0f}"
    if abs(v) >= 10:
        return f"{v:.0f}"
    if abs(v) >= 1:
        return f"{v:.1f}".rstrip("0").rstrip(".")
    return f"{v:.2g}"


def amount(indicator: str, v: float, lang: str = "en", change: bool = False) -> str:
    """A value or change of the indicator with its unit (万元 shown in 亿元; a change of a % in points)."""
    from ...output.labels import scale, unit

    u = unit(indicator, lang)
    if change and u == "%":
        u = "个百分点" if lang == "zh" else "percentage points"
    return f"{_num(v * scale(indicator))} {u}"


def _join(items: list[str], lang: str) -> str:
    if lang == "zh":
        return "、".join(items)
    return items[0] if len(items) == 1 else ", ".join(items[:-1]) + " and " + items[-1]


def _pct(v: float) -> str:
    return f"{100 * max(v, 0.0):.0f}%"


def indicator_label(indicator: str, lang: str) -> str:
    from ...output.labels import indicator_name

    return indicator_name(indicator, lang)


def headline(a: Analysis, r: TargetIndices, lang: str) -> str:
    """One plain sentence per target: which levers move it, and by how much."""
    ind = r.target.indicator
    name = indicator_label(ind, lang)
    if r.constant:
        return tx("head_constant", lang, name=name, value=amount(ind, r.mean, lang))
    sel = [i for i in r.order(a.method) if matters(r, a.method)[i]][:3]
    if not sel:
        return tx("head_noise_only", lang, name=name)
    if a.method == "morris":
        items = [tx("head_morris_item", lang, lever=lever_label(a.space.names[i], lang),
                    effect=amount(ind, r.index["mu_star"][i], lang, change=True)) for i in sel]
        text = tx("head_morris", lang, name=name, levers=_join(items, lang))
    else:
        items = [tx("head_sobol_item", lang, lever=lever_label(a.space.names[i], lang),
                    s1=_pct(r.index["S1"][i]), st=_pct(r.key("sobol")[i])) for i in sel]
        text = tx("head_sobol", lang, name=name, levers=("；" if lang == "zh" else "; ").join(items))
    if not math.isnan(r.noise_share) and r.noise_share >= 0.2:
        text += (" " if lang == "en" else "") + tx("head_noisy", lang, share=_pct(r.noise_share))
    return text


def console_summary(a: Analysis, lang: str, top: int = 5) -> list[str]:
    """Two lines per target: its name, then its top levers with their index."""
    title = ("Morris screening: mu* (change across the lever's range) and share of the largest"
             if a.method == "morris" else "Sobol indices: first-order S1 / total ST without its noise part")
    lines = ["", f"{title}; {a.runs} runs, top {top} levers per target (* = matters)"]
    for r in a.results:
        ind = r.target.indicator
        noise = "" if math.isnan(r.noise_share) else f", noise {_pct(r.noise_share)}"
        lines.append(f"{indicator_label(ind, lang)} ({r.target.id}{noise})")
        if r.constant:
            lines.append("    " + tx("constant", lang, value=amount(ind, r.mean, lang)))
            continue
        m = matters(r, a.method)
        items = []
        for i in r.order(a.method)[:top]:
            mark = "*" if m[i] else ""
            if a.method == "morris":
                val = f"{amount(ind, r.index['mu_star'][i], lang, change=True)} {_pct(shares(r)[i])}"
            else:
                val = f"{r.index['S1'][i]:.2f}/{r.key('sobol')[i]:.2f}"
            items.append(f"{lever_label(a.space.names[i], lang)}{mark} {val}")
        lines.append("    " + " · ".join(items))
    return lines


def tidy_rows(a: Analysis) -> list[list]:
    """method, target, indicator, lever, index, value, conf: one row per lever and index."""
    rows = []
    for r in a.results:
        for i, name in enumerate(a.space.names):
            base = [a.method, r.target.id, r.target.indicator, name]
            if a.method == "morris":
                rows += [[*base, "mu_star", r.index["mu_star"][i], r.index["mu_star_conf"][i]],
                         [*base, "mu", r.index["mu"][i], ""], [*base, "sigma", r.index["sigma"][i], ""],
                         [*base, "share_of_largest", shares(r)[i], ""], [*base, "mu_star_noise", r.noise[i], ""]]
            else:
                rows += [[*base, "S1", r.index["S1"][i], r.index["S1_conf"][i]],
                         [*base, "ST", r.index["ST"][i], r.index["ST_conf"][i]],
                         [*base, "ST_noise", r.noise[i], ""], [*base, "ST_without_noise", r.key("sobol")[i], ""]]
            rows.append([*base, "matters", int(matters(r, a.method)[i]), ""])
    return rows


def _csv(rows: list[list]) -> str:
    def cell(v) -> str:
        return repr(float(v)) if isinstance(v, float | np.floating) else str(v)

    head = "method,target,indicator,lever,index,value,conf"
    return "\n".join([head, *(",".join(cell(v) for v in row) for row in rows)]) + "\n"


def write_samples(a: Analysis, path: Path) -> None:
    """One row per sample point and replication: the lever values and every target's indicator value."""
    import pyarrow as pa
    import pyarrow.parquet as pq

    p, r, _ = a.outcomes.values.shape
    cols = {"point": np.repeat(np.arange(p), r), "replication": np.tile(np.arange(r), p)}
    for i, name in enumerate(a.space.names):
        cols[name] = np.repeat(a.X[:, i], r)
    for j, t in enumerate(a.outcomes.targets):
        cols[t.id] = a.outcomes.values[:, :, j].reshape(-1)
    pq.write_table(pa.table(cols), path)


def summary(main: Analysis, screen: Analysis | None, meta: dict) -> dict:
    def one(a: Analysis) -> dict:
        return {
            "method": a.method, "levers": {n: [float(lo), float(hi)] for n, lo, hi in
                                           zip(a.space.names, a.space.low, a.space.high, strict=True)},
            "size": a.size, "replications": a.replications, "points": int(a.X.shape[0]), "runs": a.runs,
            "run_seconds": round(a.seconds, 1),
            "targets": [{"id": r.target.id, "indicator": r.target.indicator, "constant": r.constant,
                         "mean": r.mean, "sd_of_point_means": r.spread,
                         "noise_share": None if math.isnan(r.noise_share) else r.noise_share,
                         "ranking": [a.space.names[i] for i in r.order(a.method)] if not r.constant else [],
                         "matters": [a.space.names[i] for i in r.order(a.method) if matters(r, a.method)[i]]}
                        for r in a.results]}

    out = {**meta, "conf_level": CONF_LEVEL, "matter_share": MATTER_SHARE, "analysis": one(main)}
    if screen is not None:
        out["screen"] = one(screen)
    return out


def markdown(main: Analysis, screen: Analysis | None, meta: dict, lang: str) -> str:
    from ...output.report import markdown_table

    runs = main.runs + (screen.runs if screen else 0)
    lines = [f"# Sensitivity of the targets to the levers ({main.method.capitalize()}): {meta['title']}", "",
             f"Scenario `{meta['scenario']}` ({meta['file']}), seed {meta['seed']}, behavioural parameters "
             f"`{meta['parameters']}`, {runs} model runs in {meta['wall_seconds']:.0f} s on {meta['workers']}.", "",
             "Each run's output is each target's indicator in December of its target year, averaged over the "
             "replications of a lever mix. Every mix runs the same replications with the same seed (common random "
             "numbers), so the differences between mixes come from the levers. Levers not listed below keep their "
             "value in the scenario file. P(meet) is not used as the output: with a few replications per mix it "
             "moves in steps of 1/replications and hides most of the levers' effect; `innosim optimize` and "
             "`innosim discover` work on P(meet).", ""]
    note = tx(f"note_{main.method}", lang)
    lines += ["## Headlines", "", note, "", *[f"- {headline(main, r, lang)}" for r in main.results], ""]
    if screen is not None:
        lines += _matter_section(screen, main, meta, markdown_table)
    elif main.method == "morris":
        lines += _matter_section(main, None, meta, markdown_table)
    lines += _method_section(main, lang, markdown_table)
    lines += _tables(main, markdown_table)
    if screen is not None:
        lines += ["## Morris screen, target by target", "", *_tables(screen, markdown_table, depth=3)]
    lines += ["## Files", "",
              "- `sensitivity.csv`: tidy, one row per method, target, lever and index (`value`, 95% `conf`).",
              "- `sensitivity.json`: settings, lever ranges, and per target the ranking, the levers that matter and "
              "the noise share.",
              *[f"- `samples-{a.method}.parquet`: the {a.X.shape[0]} lever mixes x {a.replications} replications "
                f"of the {a.method} design with every target's value; the analysis uses the mean over replications "
                "of each mix, in file order." for a in (screen, main) if a is not None],
              "- `charts/sensitivity-<target>.png/.svg`" + (" and `charts/screening-<target>.png/.svg` (the Morris "
                                                            "screen)" if screen else "") + ": one chart per target.",
              ""]
    return "\n".join(lines)


def _method_section(a: Analysis, lang: str, table) -> list[str]:
    k, p = a.space.dim, a.X.shape[0]
    if a.method == "morris":
        how = (f"Morris elementary effects (SALib): {a.size} trajectories x ({k} levers + 1) = {p} lever mixes x "
               f"{a.replications} replications = {a.runs} runs, {NUM_LEVELS} grid levels. mu* is the mean absolute "
               "change of the indicator per step, scaled to the lever's whole range: moving the lever from its low "
               "to its high end changes the indicator by about mu* (if the effect is linear). sigma large against "
               "mu* means the effect depends on the other levers (interactions or a non-linear response). "
               f"A lever **matters** for a target when its mu* is at least {MATTER_SHARE:.0%} of the largest mu* for "
               "that target and above the lever's noise threshold: the mu* a lever with no effect would stay below "
               "about 97.5% of the time, from the spread over replications of the differences along its own steps "
               "(common random numbers cancel most of a replication's luck; what is left depends on the lever: "
               "one that adds firms changes who competes for funds and places more than a grant rate does).")
    else:
        how = (f"Sobol indices (SALib, Saltelli sampling without second order): N = {a.size} x ({k} levers + 2) = "
               f"{p} lever mixes x {a.replications} replications = {a.runs} runs. S1 is the share of the "
               "indicator's variance (levers uniform over their ranges) due to the lever alone; ST includes its "
               "interactions with the other levers. Intervals are 95% bootstrap intervals. Replication noise "
               "raises a lever's ST: its noise part is half the mean squared replication noise of the differences "
               "f(A) - f(AB_i) that estimate it, over the variance; levers are ranked by ST without it. A lever "
               f"**matters** when its ST without noise is at least {MATTER_SHARE:.2f} and the lower end of its ST "
               "interval is above its noise part.")
    rows = [[f"{lv.label(n, 'zh')} · {lv.label(n, 'en')} (`{n}`)", lever_range(a.space, i, "zh"),
             lever_range(a.space, i, "en")] for i, n in enumerate(a.space.names)]
    return ["## Method", "", how, "", f"Levers explored ({k}) and their ranges, from the scenario's `[ranges]`:", "",
            *table(["lever 杠杆", "范围", "range"], rows), ""]


def _matter_section(screen: Analysis, sobol: Analysis | None, meta: dict, table) -> list[str]:
    """Per target the levers that matter; which went into Sobol, or the Sobol command to run next."""
    rows = []
    for r in screen.results:
        m = matters(r, "morris")
        names = [lv.label(screen.space.names[i], "zh") for i in r.order("morris") if m[i]]
        rows.append([f"{indicator_label(r.target.indicator, 'zh')} (`{r.target.id}`)", "、".join(names) or "—"])
    mattering = {screen.space.names[i] for r in screen.results for i in np.flatnonzero(matters(r, "morris"))}
    idle = [n for n in screen.space.names if n not in mattering]
    chosen = list(sobol.space.names) if sobol else choose_for_sobol(screen, meta["max_levers"])[0]
    cmd = f"innosim sensitivity {meta['file']} --method sobol --levers {','.join(chosen)}"
    rule = (f"ranked by their mu* share summed over the targets that several levers move, at most "
            f"{meta['max_levers']} (`--max-levers`)")
    if sobol:
        text = (f"No `--levers` given: a Morris screen of {screen.space.dim} levers ({screen.size} trajectories, "
                f"{screen.replications} replications, {screen.runs} runs) came first. Sobol was run on "
                f"{', '.join(f'`{n}`' for n in chosen)}: the levers that matter, {rule}. "
                f"{_left_out(screen, chosen)}To redo the Sobol step alone: `{cmd}`.")
    else:
        text = (f"{len(mattering)} of {screen.space.dim} levers matter for at least one target. Sobol indices for "
                f"the levers that matter ({rule}): `{cmd}`.")
    if idle:
        text += (f" These move no target beyond noise and {MATTER_SHARE:.0%} of the target's largest effect: "
                 + ", ".join(f"`{n}`" for n in idle) + ".")
    return ["## The levers that matter", "", text, "",
            *table(["target 目标", "levers that matter 重要杠杆 (ranked)"], rows), ""]


def _left_out(screen: Analysis, chosen: list[str]) -> str:
    mattering = {screen.space.names[i] for r in screen.results for i in np.flatnonzero(matters(r, "morris"))}
    left = [n for n in screen.space.names if n in mattering and n not in chosen]
    if not left:
        return ""
    return (f"Levers that matter for some target but were left out (smaller summed share): "
            f"{', '.join(f'`{n}`' for n in left)}; name them in `--levers` to include them. ")


def _tables(a: Analysis, table, depth: int = 2) -> list[str]:
    h = "#" * depth
    lines = [] if depth == 3 else ["## Target by target", ""]
    for r in a.results:
        ind = r.target.indicator
        t = r.target
        noise = "n/a (one replication)" if math.isnan(r.noise_share) else _pct(r.noise_share)
        lines += [f"{h}# {indicator_label(ind, 'zh')} · {indicator_label(ind, 'en')} (`{t.id}`)", "",
                  f"Target {t.comparator} {amount(ind, t.threshold)} in {t.year}. Across the lever mixes the "
                  f"indicator averages {amount(ind, r.mean)} (sd {amount(ind, r.spread)}); replication "
                  f"noise share: {noise}.", ""]
        if r.constant:
            lines += [tx("constant", "en", value=amount(ind, r.mean)) + ".", ""]
            continue
        head, rows, right, note = (_morris_table if a.method == "morris" else _sobol_table)(a, r)
        prefix = "screening" if depth == 3 else "sensitivity"
        lines += [f"{headline(a, r, 'zh')}  ", f"{headline(a, r, 'en')}", "", *table(head, rows, right), "", note, "",
                  f"![{t.id}](charts/{prefix}-{t.id}.png)", ""]
    return lines


def _morris_table(a: Analysis, r: TargetIndices) -> tuple[list[str], list[list[str]], tuple[int, ...], str]:
    ind, t, k = r.target.indicator, r.target, _s(r.target.indicator)
    m = matters(r, "morris")
    head = ["#", "lever 杠杆", "range", f"mu* ({_unit(ind)})", "95% ±", "noise threshold", "share of largest",
            "% of target", "mu", "sigma", "matters"]
    rows = [[str(n + 1), _lever_cell(a, i), lever_range(a.space, i, "en"), _num(k * r.index["mu_star"][i]),
             _num(k * r.index["mu_star_conf"][i]), _num(k * r.noise[i]), _pct(shares(r)[i]),
             _pct(r.index["mu_star"][i] / abs(t.threshold)) if t.threshold else "",
             _num(k * r.index["mu"][i]), _num(k * r.index["sigma"][i]), "yes" if m[i] else ""]
            for n, i in enumerate(r.order("morris"))]
    note = ("Noise threshold: a lever with no effect would show a mu* below it about 97.5% of the time, given the "
            "spread over replications of its own steps. mu close to mu* means the effect has one sign.")
    return head, rows, (0, 3, 4, 5, 6, 7, 8, 9), note


def _sobol_table(a: Analysis, r: TargetIndices) -> tuple[list[str], list[list[str]], tuple[int, ...], str]:
    m = matters(r, "sobol")
    head = ["#", "lever 杠杆", "range", "S1", "S1 95% ±", "ST", "ST 95% ±", "noise part of ST", "ST without noise",
            "matters"]
    rows = [[str(n + 1), _lever_cell(a, i), lever_range(a.space, i, "en"), f"{r.index['S1'][i]:.2f}",
             f"{r.index['S1_conf'][i]:.2f}", f"{r.index['ST'][i]:.2f}", f"{r.index['ST_conf'][i]:.2f}",
             f"{r.noise[i]:.2f}", f"{r.key('sobol')[i]:.2f}", "yes" if m[i] else ""]
            for n, i in enumerate(r.order("sobol"))]
    total = float(np.nansum(r.index["S1"]))
    why = ("1 minus this is interactions and noise" if total <= 1 else
           "above 1: the S1 estimates are imprecise at this sample size, see their intervals")
    note = (f"Sum of S1: {total:.2f} ({why}). Noise part of ST: half the mean squared replication noise of the "
            "differences that estimate ST, over the variance.")
    return head, rows, (0, 3, 4, 5, 6, 7, 8), note


def _lever_cell(a: Analysis, i: int) -> str:
    n = a.space.names[i]
    return f"{lv.label(n, 'zh')} · {lv.label(n, 'en')}"


def _s(indicator: str) -> float:
    from ...output.labels import scale

    return scale(indicator)


def _unit(indicator: str, lang: str = "en") -> str:
    """The unit of a change of the indicator."""
    return amount(indicator, 1.0, lang, change=True).split(" ", 1)[1]
