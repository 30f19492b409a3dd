"""Scenario discovery in words and files: the conditions and sentences (zh/en), discovery.md, boxes.csv and
samples.csv."""

from __future__ import annotations

import math
from pathlib import Path

import numpy as np

from ...lever_registry import LEVERS, UNITS
from ...levers import LeverSpace, label, unit, unit_text
from ...output.labels import t as tr
from ...output.report import fmt, markdown_table
from ...scenario import Target
from .method import (
    ALL,
    ALPHA,
    EDGE_NEAREST,
    MARGIN,
    MIN_MIXES,
    MIN_SUPPORT,
    NEAR_BEST,
    SCREEN_LEVEL,
    Box,
    Finding,
    nice_step,
)

CMP_ZH = {">": "超过", ">=": "达到", "<": "低于", "<=": "不超过"}
CMP_EN = {">": ">", ">=": "≥", "<": "<", "<=": "≤"}


def _decimals(step: float, scale: float = 1.0) -> int:
    return max(0, -math.floor(math.log10(step * scale) + 1e-9))


def lever_value(name: str, value: float, width: float, lang: str, with_unit: bool = True) -> str:
    """A lever value as a planner reads it: budgets in 亿元, shares in %, counts at the range's precision."""
    u = unit(name)
    scale = UNITS[u].scale
    step = nice_step(width)
    text = f"{value * scale:,.{_decimals(step, scale)}f}"
    if not with_unit:
        return text
    if u == "万元/year":
        return text + "亿元"  # 'at least 2.3亿元 a year' in both languages
    if u == "share":
        return text + "%"
    return text + UNITS[u].zh if lang == "zh" else text


def lever_axis(name: str, lang: str) -> str:
    shown = unit_text(name, lang)
    return f"{label(name, lang)} ({shown})" if shown else label(name, lang)


def condition(name: str, lo: float | None, hi: float | None, width: float, lang: str) -> str:
    """'每年新增市级平台不少于4.2家' / 'at least 4.2 municipal platforms a year'; lo or hi None = open."""
    lever = LEVERS[name]
    zh_subject, en_noun, style = lever.phrase_zh, lever.phrase_en, lever.style
    a = lever_value(name, lo, width, lang) if lo is not None else ""
    b = lever_value(name, hi, width, lang) if hi is not None else ""
    per_year = " a year" if name.startswith("budget.") else ""
    if lang == "zh":
        more, less = ("不少于", "不超过") if style == "count" else ("不低于", "不高于")
        if lo is not None and hi is not None:
            return f"{zh_subject}在{lever_value(name, lo, width, lang, False)}至{b}之间"
        return f"{zh_subject}{more}{a}" if lo is not None else f"{zh_subject}{less}{b}"
    if style == "count":
        if lo is not None and hi is not None:
            return f"{lever_value(name, lo, width, lang)} to {b} {en_noun}"
        return f"at least {a} {en_noun}" if lo is not None else f"at most {b} {en_noun}"
    if lo is not None and hi is not None:
        return f"{en_noun} of {a} to {b}{per_year}"
    return f"{en_noun} of at least {a}{per_year}" if lo is not None else f"{en_noun} of at most {b}{per_year}"


def box_conditions(box: Box, space: LeverSpace, order: list[int], lang: str) -> list[str]:
    out = []
    width = space.high - space.low
    for j in order:
        lo = space.low[j] + box.lo[j] * width[j] if box.lo[j] > 0 else None
        hi = space.low[j] + box.hi[j] * width[j] if box.hi[j] < 1 else None
        out.append(condition(space.names[j], lo, hi, width[j], lang))
    return out


def target_phrase(t: Target | None, lang: str) -> str:
    """'2026年高新技术企业超过1,500家' / 'national high-tech firms > 1,500 in 2026'; None: all chosen targets."""
    from ...indicators import INDICATORS
    from ...output.labels import indicator_name

    if t is None:
        return tr("disc_all", lang)
    value = fmt(t.indicator, t.threshold)
    if lang == "zh":
        u = {"firms": "家", "platforms": "家", "incubators": "家", "people": "人", "scenarios": "项"}.get(
            INDICATORS[t.indicator].unit, "")
        about = "左右" if t.tolerance else ""
        value = value[:-1] + "倍" if value.endswith("x") else value
        return f"{t.year}年{indicator_name(t.indicator, 'zh')}{CMP_ZH[t.comparator]}{value}{u}{about}"
    about = " (about)" if t.tolerance else ""
    return f"{INDICATORS[t.indicator].label} {CMP_EN[t.comparator]} {value}{about} in {t.year}"


def pct(p: float) -> str:
    return "–" if p != p else f"{100 * p:.0f}%"


def sentence(f: Finding, space: LeverSpace, probability: float, lang: str) -> str:
    """The finding in one sentence a planner can read."""
    return (_sentence_zh if lang == "zh" else _sentence_en)(f, box_conditions(f.box, space, f.order, lang),
                                                             probability)


def _sentence_zh(f: Finding, conds: list[str], probability: float) -> str:
    goal, density, p = target_phrase(f.target, "zh"), pct(f.stats.density), pct(probability)
    if f.status == "never":
        return f"{goal}：在各杠杆取值范围内的任何模拟中都未达成。"
    if f.status == "whole":
        return f"{goal}：在各杠杆的整个取值范围内概率约为{density}，无需附加杠杆条件。"
    if f.status == "none" and not conds:
        return (f"{goal}：在取值范围内达不到{p}的概率，约为{density}；{f.stats.n}个杠杆组合中没有检出能改变它的杠杆"
                f"（样本更大时可能检出）。")
    if f.status == "none":
        return f"{goal}：在取值范围内达不到{p}的概率；最有利的组合（{'且'.join(conds)}）也仅约{density}（样本内估计）。"
    # lead with the fresh-run figure: the in-sample one is optimistic, the box was chosen on it
    check = f"样本内 {density}" + (f"；新模拟低于{p}，结论不稳" if f.validated < probability else "")
    if f.at_limits_runs:
        check += f"；各条件恰好取临界值时 {pct(f.at_limits)}" + ("，宜留有余量" if f.at_limits < probability else "")
    return f"若{'且'.join(conds)}，则{goal}的概率约为{pct(f.validated)}（新模拟验证；{check}）。"


def _sentence_en(f: Finding, conds: list[str], probability: float) -> str:
    goal, density, p = target_phrase(f.target, "en"), pct(f.stats.density), pct(probability)
    lead = goal[:1].upper() + goal[1:]
    if f.status == "never":
        return f"{lead}: not met in any run anywhere in the lever ranges."
    if f.status == "whole":
        return f"P({goal}) is about {density} across the whole range of the levers: no lever condition needed."
    if f.status == "none" and not conds:
        return (f"{lead}: P ≥ {p} is not reached anywhere in the ranges (about {density}); in {f.stats.n} mixes no "
                f"lever was shown to change it (a larger sample may show one).")
    if f.status == "none":
        return (f"{lead}: P ≥ {p} is not reached anywhere in the ranges; the most favourable mixes "
                f"({' and '.join(conds)}) give about {density} (in-sample).")
    check = f"{density} in sample" + (f"; below {p} on fresh runs: not confirmed" if f.validated < probability else "")
    if f.at_limits_runs:
        check += f"; {pct(f.at_limits)} with every condition exactly at its limit" + (
            ": keep clear of the limits" if f.at_limits < probability else "")
    return f"With {' and '.join(conds)}, P({goal}) is about {pct(f.validated)} on fresh runs ({check})."


def write_samples(path: Path, space: LeverSpace, x: np.ndarray, values: np.ndarray, y: np.ndarray,
                  targets: list[Target]) -> None:
    import csv

    lever_values = space.scale(x)
    ids = [t.id for t in targets]
    with path.open("w", newline="", encoding="utf-8") as fh:
        w = csv.writer(fh)
        w.writerow(["mix", *space.names, *(f"p_meet:{i}" for i in [*ids, ALL]), *(f"median:{i}" for i in ids)])
        med = np.median(values, axis=1)
        for i in range(len(x)):
            w.writerow([i, *(f"{v:.6g}" for v in lever_values[i]), *(f"{v:.4g}" for v in y[i]),
                        *(f"{v:.6g}" for v in med[i])])


BOX_HEAD = ["target", "indicator", "year", "comparator", "threshold", "status", "probability", "lever", "label_zh",
            "label_en", "unit", "low", "high", "range_low", "range_high", "p_without_condition", "p_meet_in_box",
            "coverage", "support", "mixes_in_box", "p_meet_whole_range", "p_meet_fresh", "fresh_low", "fresh_high",
            "fresh_runs", "p_meet_at_limits", "at_limits_low", "at_limits_high", "at_limits_runs"]


def write_boxes(path: Path, findings: list[Finding], space: LeverSpace, probability: float) -> None:
    """One row per condition of every box (one row without a lever when no condition is needed)."""
    import csv

    def num(v: float) -> str:
        return "" if v != v else f"{v:.6g}"

    with path.open("w", newline="", encoding="utf-8") as fh:
        w = csv.writer(fh)
        w.writerow(BOX_HEAD)
        for f in findings:
            t = f.target
            head = [f.id, t.indicator if t else "", t.year if t else "", t.comparator if t else "",
                    num(t.threshold) if t else "", f.status, probability]
            tail = [num(f.stats.density), num(f.stats.coverage), num(f.stats.support), f.stats.n, num(f.whole),
                    num(f.validated), num(f.validated_ci[0]), num(f.validated_ci[1]), f.validated_runs,
                    num(f.at_limits), num(f.at_limits_ci[0]), num(f.at_limits_ci[1]), f.at_limits_runs]
            if not f.order:
                w.writerow([*head, *[""] * 9, *tail])
            for j in f.order:
                name = space.names[j]
                width = space.high[j] - space.low[j]
                lo = space.low[j] + f.box.lo[j] * width
                hi = space.low[j] + f.box.hi[j] * width
                w.writerow([*head, name, label(name, "zh"), label(name, "en"), unit(name), num(lo), num(hi),
                            num(space.low[j]), num(space.high[j]), num(f.without[j]), *tail])


def markdown(findings: list[Finding], space: LeverSpace, info: dict, charts: dict[str, str]) -> str:
    sc = info["scenario"]
    p = pct(info["probability"])
    n, r = info["samples"], info["replications"]
    lines = [f"# Scenario discovery: {sc.scenario.title}", "",
             f"Scenario `{sc.scenario.name}` ({info['file']}), seed {info['seed']}, behavioural parameters "
             f"`{info['parameters']}`, required probability {p}. {n} lever mixes x {r} run(s) = {n * r} runs, "
             f"plus {info['validation_runs']} runs checking the boxes on fresh mixes and seeds; "
             f"{info['wall']:.0f} s on {info['where']}.", "",
             "## Findings 结论", ""]
    for f in findings:
        lines += [f"- {sentence(f, space, info['probability'], 'zh')}",
                  f"  {sentence(f, space, info['probability'], 'en')}"]
    lines += ["", *_method(space, info), "## Boxes", ""]
    for f in findings:
        lines += finding_section(f, space, info, charts)
    lines += ["## Levers explored", ""]
    rows = [[f"{label(nm, 'zh')} / {label(nm, 'en')}", f"`{nm}`",
             f"{lever_value(nm, lo, hi - lo, 'zh')} - {lever_value(nm, hi, hi - lo, 'zh')}"]
            for nm, lo, hi in zip(space.names, space.low, space.high, strict=True)]
    lines += markdown_table(["杠杆 lever", "name", "范围 range"], rows)
    lines += ["", "## Files", "", "- `boxes.csv`: one row per condition of every box, with the statistics above.",
              "- `samples.csv`: every sampled mix, its lever values, P(meet) per target (`p_meet:<id>`, share of its "
              "runs) and the median of each target's indicator.", "- `charts/`: one chart per box with conditions, "
              "and the overview.", ""]
    return "\n".join(lines)


def _method(space: LeverSpace, info: dict) -> list[str]:
    """The method section of discovery.md."""
    p = pct(info["probability"])
    n, r = info["samples"], info["replications"]
    return ["## Method", "",
            f"- {n} lever mixes from a Latin hypercube (seeded by the seed) over the {space.dim} levers below. "
            f"Each mix runs {r} replication(s) with its own replication indices, so no two mixes share random "
            f"draws: a box's P(meet) averages over as many independent worlds (posterior parameter draw, "
            f"baseline, process noise) as it holds runs, instead of over the same few worlds for every mix. "
            f"With a fixed number of runs, more mixes with fewer runs each estimate a box's P(meet) at least as "
            f"well and place its limits more precisely.",
            f"- Screen: a lever can only enter a box if its value changes the share of successful runs at all "
            f"(chi-square test over 10 bins of the lever, family-wise level {SCREEN_LEVEL:g} over the levers). "
            f"Without it, PRIM's greedy peeling in {space.dim} dimensions picks up levers that only noise favoured.",
            f"- PRIM (patient rule induction, our numpy implementation): starting from the whole range, each "
            f"step peels {ALPHA:.0%} of the box's mixes off the low or high end of one screened lever, the peel "
            f"leaving the highest share of successful runs, until the box holds {MIN_SUPPORT:.0%} of the mixes "
            f"(at least {MIN_MIXES}). "
            f"The chosen box is the one on this trajectory with the largest coverage among those whose P(meet) is "
            f"at least {p} plus {MARGIN * 100:.0f} points (or {p} if none is); then every limit whose removal "
            f"keeps P(meet) at least {p} is dropped, then every lever whose limits exclude mixes that do not do "
            f"significantly worse than the box (one-sided binomial test, 1%), so only the levers that matter "
            f"remain. If no box reaches {p}, the densest box is shown, without the limits worth less than "
            f"{NEAR_BEST * 100:.0f} points. Limits are rounded to a twentieth of the lever's range (1, 2 or 5 "
            f"x 10^k) and every number below is for the rounded box.",
            "- P(meet) in box: share of the sampled runs inside the box meeting the target (in-sample: optimistic, "
            "because the box was chosen for being good). Coverage: share of all successful runs that fall inside "
            "the box. Support: share of the sampled mixes inside it. 'Without this condition': P(meet) of the box "
            "if that lever's limit were dropped (how much the condition matters).",
            f"- Check on fresh runs: {info['validation']} new lever mixes drawn inside each box (Latin hypercube, "
            f"levers without a condition over their whole range), each with {r} run(s) on replication indices "
            f"never used in the sample; 95% Wilson interval. This is the number to quote. Boxes without "
            f"conditions need no check: nothing was selected.",
            f"- P(meet) in a box is an average over the mixes inside it: mixes deep inside do better, mixes right "
            f"at a limit worse. So each limit of a box that reaches {p} is then moved inward (1% of the range at "
            f"a time) while the {EDGE_NEAREST} sampled mixes of the box nearest to it, and then the "
            f"{EDGE_NEAREST} nearest to the corner where every limit binds, meet the target significantly less "
            f"often than {p} (one-sided binomial test, 5%). And {max(1, info['validation'] // 2)} more fresh "
            f"mixes put every conditioned lever exactly at its limit (the other levers over their whole range): "
            f"what a planner gets who does just what the conditions ask. When that is below {p}, the sentence "
            f"says to keep clear of the limits (the target's boundary runs close to the corner, or levers "
            f"combine, e.g. scenarios a year x the share for attracted firms, which a box cannot follow).",
            "- Outcome `all`: every chosen target met in the same run.", ""]


def finding_section(f: Finding, space: LeverSpace, info: dict, charts: dict[str, str]) -> list[str]:
    t = f.target
    head = f"### {f.id}: {target_phrase(t, 'zh')} / {target_phrase(t, 'en')}"
    lines = [head, ""]
    if t is not None:
        lines += [f"> {t.quote} ({t.source})", ""]
    lines += [sentence(f, space, info["probability"], "zh"), "", sentence(f, space, info["probability"], "en"), ""]
    if f.order:
        rows = []
        for j in f.order:
            nm, width = space.names[j], space.high[j] - space.low[j]
            lo = space.low[j] + f.box.lo[j] * width
            hi = space.low[j] + f.box.hi[j] * width
            full = f"{lever_value(nm, space.low[j], width, 'zh')} - {lever_value(nm, space.high[j], width, 'zh')}"
            rows.append([f"{label(nm, 'zh')} / {label(nm, 'en')}",
                         lever_value(nm, lo, width, "zh") if f.box.lo[j] > 0 else "–",
                         lever_value(nm, hi, width, "zh") if f.box.hi[j] < 1 else "–", full, pct(f.without[j])])
        lines += markdown_table(["杠杆 lever", "下限 low", "上限 high", "全范围 full range",
                                 "去掉该条件后 P without this condition"], rows, right=(1, 2, 4))
        lines.append("")
    s = f.stats
    check = (f"; on {f.validated_runs} fresh runs {pct(f.validated)} (95% interval {pct(f.validated_ci[0])} - "
             f"{pct(f.validated_ci[1])}); with every condition exactly at its limit {pct(f.at_limits)} on "
             f"{f.at_limits_runs} runs ({pct(f.at_limits_ci[0])} - {pct(f.at_limits_ci[1])})"
             if f.validated_runs else "")
    lines += [f"P(meet) in box {pct(s.density)} (in-sample){check}; whole range {pct(f.whole)}; coverage "
              f"{pct(s.coverage)}; support {pct(s.support)} ({s.n} mixes).", ""]
    if f.id in charts:
        lines += [f"![{f.id}]({charts[f.id]})", ""]
    return lines
