"""The optimisation in words and files: the winner as a scenario file, optimize.md, the console lines,
candidates.csv and optimize.json."""

from __future__ import annotations

import csv
import datetime as dt
from pathlib import Path

import numpy as np

from ...costs import annual_cost
from ...indicators import indicator_name
from ...levers import get, label
from ...levers import unit as lever_unit
from ...months import lever_years
from ...output.report import markdown_table, target_cell, text_table
from ...output.toml_writer import toml_document
from ...scenario import Target
from ..stats import wilson
from .method import CONFIRM_SEED_STEP, EPS, Candidate, Result


def winner_toml(result: Result) -> str:
    sc, new = result.scenario, result.winner_scenario
    P = result.settings.probability
    comments = {}
    for i, name in enumerate(result.space.names):
        old, value = get(sc, name), float(result.winner.values[i])
        path = "levers." + name
        comments[path] = (f"was {_num(name, old)} in {sc.scenario.name}" if abs(value - old) > 1e-9
                          else f"unchanged; explored {_num(name, result.space.low[i])}-"
                               f"{_num(name, result.space.high[i])}")
    stamp = dt.datetime.now(dt.UTC).strftime("%Y-%m-%d %H:%M UTC")
    chosen = ", ".join(result.scenario.targets[j].id for j in result.chosen)
    lost = ", ".join(result.scenario.targets[j].id for j in result.unreachable) or "none"
    unsure = ", ".join(result.scenario.targets[j].id for j in result.uncertain) or "none"
    if not result.required:  # nothing held the search: its 'winner' is the cheapest corner of the ranges
        verdict = (f"NO TARGET HELD THIS MIX: no chosen target was shown to reach {P:g} within the [ranges], so this "
                   "is the cheapest mix the ranges allow, not a plan that meets anything")
    elif result.confirmed:
        verdict = (f"CONFIRMED: re-run on seed {result.confirm_seed} ({result.settings.confirm} replications), every "
                   f"required target met with P(meet) >= {P:g}")
    else:
        verdict = (f"NOT CONFIRMED: on the fresh seed {result.confirm_seed} ({result.settings.confirm} replications) "
                   f"at least one required target fell below {P:g}; treat this file as a candidate only")
    header = [
        new.scenario.title,
        "",
        f"Written by `innosim optimize` on {stamp} from {result.origin} ({sc.scenario.name}, hash {sc.digest()}).",
        f"The cheapest lever mix found whose probability of meeting each chosen target is at least {P:g}.",
        f"Chosen targets: {chosen}.",
        f"Targets that cannot reach {P:g} within the [ranges] (left out of the constraint): {lost}.",
        f"Targets not shown to reach {P:g} (also left out): {unsure}.",
        verdict + ".",
        f"Annual cost {result.winner.cost:,.0f} 万元/year against {result.plan.cost:,.0f} for {sc.scenario.name} "
        f"(budget channels plus priced levers, model/costs.py).",
        f"Search: seed {result.seed}, {sum(result.runs.values())} runs, parameters {result.parameters_mode}; "
        "see optimize.md next to this file.",
        "Levers the search did not explore, [ranges], [costs], [parameters], [baseline] and [[targets]] are copied "
        "unchanged.",
        "Run it: innosim run winner.toml",
        "",
    ]
    return toml_document(new.model_dump(mode="json", exclude_none=True), header, comments)


def _num(name: str, v: float) -> str:
    if name.startswith("budget."):
        return f"{v:,.0f}"
    return f"{v:.2f}".rstrip("0").rstrip(".") if v != int(v) else f"{v:.0f}"


def _pct(p: float) -> str:
    return f"{100 * p:.0f}%"


def _ci(k_or_met: np.ndarray) -> str:
    k, n = int(k_or_met.sum()), len(k_or_met)
    lo, hi = wilson(k, n)
    return f"{_pct(k / n)} [{_pct(lo)}-{_pct(hi)}]"


def _target_name(t: Target, lang: str = "zh") -> str:
    """'专精特新企业 >= 400 (2026; about: >= 380 counts)': what the search holds the target to."""
    return f"{indicator_name(t.indicator, lang)} {target_cell(t.model_dump())}"


def _status(result: Result, j: int) -> str:
    if j not in result.chosen:
        return "not chosen"
    r = result.reach[j]
    return {"reachable": "required", "uncertain": "not shown to reach P", "unreachable": "cannot reach P"}[r.status]


def lever_rows(result: Result, lang: str = "zh") -> list[list[str]]:
    """One row per lever explored: named in both languages (zh, as in optimize.md) or in English (en)."""
    rows = []
    for i, name in enumerate(result.space.names):
        old, new = get(result.scenario, name), get(result.winner_scenario, name)  # channels with their counts' money
        change = "" if abs(new - old) < 1e-9 else (f"{new - old:+,.0f}" if name.startswith("budget.")
                                                   else f"{new - old:+.2f}")
        named = f"{label(name, 'zh')} / {label(name, 'en')}" if lang == "zh" else label(name, "en")
        rows.append([named, lever_unit(name),
                     f"{_num(name, result.space.low[i])}-{_num(name, result.space.high[i])}",
                     _num(name, old), _num(name, new), change])
    return rows


def cost_rows(result: Result) -> list[list[str]]:
    meta = result.scenario.scenario
    years = lever_years(meta)
    plan = annual_cost(result.scenario.levers, years, result.scenario.costs)
    win = annual_cost(result.winner_scenario.levers, years, result.scenario.costs)
    rows = [[f"{label(k, 'zh')} / {label(k, 'en')}", f"{plan[k]:,.0f}", f"{win[k]:,.0f}", _change(win[k] - plan[k])]
            for k in plan if plan[k] or win[k]]
    total_p, total_w = sum(plan.values()), sum(win.values())
    rows.append(["total 合计", f"{total_p:,.0f}", f"{total_w:,.0f}", _change(total_w - total_p)])
    return rows


def _change(d: float) -> str:
    return f"{d:+,.0f}" if abs(d) >= 0.5 else ""


def target_rows_report(result: Result, lang: str = "zh") -> list[list[str]]:
    rows = []
    for j, t in enumerate(result.scenario.targets):
        w, plan = result.winner, result.plan
        rows.append([_target_name(t, lang), t.id, _status(result, j), _ci(w.met[:, j]), _ci(w.confirm[:, j]),
                     _ci(plan.confirm[:, j])])
    return rows


def headline(result: Result, lang: str = "zh") -> str:
    """The result in a paragraph; `lang` names the targets' indicators."""
    P = result.settings.probability
    w, plan = result.winner, result.plan
    diff = w.cost - plan.cost
    if abs(diff) < 0.5:
        rel = "the same as"
    else:
        rel = f"{abs(diff) / plan.cost:.0%} {'below' if diff < 0 else 'above'}" if plan.cost else "against 0 for"
    n_req = len(result.required)
    text = (f"The cheapest lever mix found costs {w.cost / 1e4:,.2f} 亿元 a year ({w.cost:,.0f} 万元), {rel} the "
            f"scenario's own mix ({plan.cost / 1e4:,.2f} 亿元 a year). ")
    if not result.required:
        text += f"No chosen target can reach {P:g} within the ranges, so nothing constrains the mix."
    elif result.confirmed:
        text += (f"Re-run on {result.settings.confirm} fresh replications, it meets {_plural(n_req, 'required target')}"
                 f" in at least {P:.0%} of the runs each (a sampling estimate: see the 95% intervals below).")
    else:
        text += (f"It is NOT confirmed: re-run on {result.settings.confirm} fresh replications, at least one of "
                 f"{_plural(n_req, 'required target')} falls below {P:g}; treat it as a candidate only.")
    names = result.scenario.targets
    if result.unreachable:
        text += (f" {_plural(len(result.unreachable), 'chosen target')} reached {P:g} in none of the "
                 f"{len(result.candidates)} mixes tried (the all-high corner included), so the search treats "
                 f"{'it' if len(result.unreachable) == 1 else 'them'} as out of reach within the ranges: "
                 + "; ".join(f"{indicator_name(names[j].indicator, lang)} ({_best(result, j)})"
                            for j in result.unreachable) + ".")
    if result.uncertain:
        n = len(result.uncertain)
        text += (f" {_plural(n, 'chosen target')} could not be shown to reach {P:g} (best estimate below {P:g}, "
                 f"but {P:g} not ruled out) and {'is' if n == 1 else 'are'} left out of the constraint too: "
                 + "; ".join(f"{indicator_name(names[j].indicator, lang)} ({_best(result, j)})"
                             for j in result.uncertain) + ".")
    worse = [j for j in [*result.unreachable, *result.uncertain]
             if result.winner.p_confirm[j] < result.plan.p_confirm[j] - EPS]
    if worse:
        text += (" Left out of the constraint, these do worse under the winner than under the scenario's own mix "
                 "(re-run): " + "; ".join(f"{indicator_name(names[j].indicator, lang)} "
                                          f"{_pct(result.plan.p_confirm[j])} → {_pct(result.winner.p_confirm[j])}"
                                          for j in worse) + ".")
        if any(result.reach[j].k > 0 for j in worse):
            text += (" To hold one of them too, ask for a probability no higher than the share of runs its best mix "
                     "met it in (the k of n runs above; --probability applies to every chosen target): choosing it "
                     "with --targets alone does not keep it in.")
    cap = result.settings.budget_max
    if cap is not None and not any(_search_feasible(result, c) for c in result.candidates):
        above = [c for c in result.candidates if _search_feasible(result, c, check_cap=False)]
        text += f" The cap of {cap:,.0f} 万元/year makes the problem infeasible: no candidate within it met the "
        text += ("required targets in the search" + (f"; the cheapest that did costs {min(c.cost for c in above):,.0f} "
                                                     "万元/year." if above else "."))
    return text


def _best(result: Result, j: int) -> str:
    r = result.reach[j]
    return f"best {100 * r.p:.1f}%, {r.k} of {r.n} runs"


def _plural(n: int, noun: str) -> str:
    return f"{n} {noun}" + ("" if n == 1 else "s")


def _search_feasible(result: Result, c: Candidate, check_cap: bool = True) -> bool:
    over = check_cap and result.settings.budget_max is not None and c.cost > result.settings.budget_max + EPS
    return not over and bool((c.p[result.required] >= result.level - EPS).all())


METHOD = """\
Our own search on numpy and scipy, chosen over EMA Workbench's robust optimisation and optuna
because the problem has a shape those generic tools do not use: the cost of a mix is known
exactly (model/costs.py, linear in the levers) and only P(meet) needs simulation, and it is
noisy. Every run is therefore spent on feasibility, candidates are compared on common random
numbers (the same replications of the same seed), and the priced levers are cut back directly.
It adds no dependency, its result depends on the seed only (not on the workers or the dask
cluster), and the defaults fit in a few thousand runs. Evolutionary robust optimisation (EMA's
platypus) or a TPE sampler (optuna) would each need many more evaluations of many replications.

1. Generation 0: a seeded Latin hypercube over the levers' [ranges], plus the scenario's own mix,
   the all-high corner and the scenario with its unpriced levers (platform, talent counts, shares)
   at their high bound.
2. Reach: for each chosen target, the candidate of generation 0 with its best P(meet), re-run on
   {probe} more replications of the same seed unless the Wilson 95% lower bound is already above
   P (a best-of-many estimate on a few runs flatters). A target is required if the pooled P(meet)
   is at least P; it is called unreachable only when the interval's upper bound is below P, and
   "not shown to reach P" in between. Both are reported and left out of the constraint. On the
   search replications a required target must reach P, or its best candidate's level when those
   replications happen to be harder for it than the re-run showed.
3. Trim: each priced lever of the cheapest feasible mix is bisected toward its low bound (low
   bound and halfway, then a quarter or three quarters of the way), all levers in parallel. The
   cuts that keep the mix feasible alone are combined, largest saving first (bisecting on how
   many fit); the ones that did not fit are tried again on top of the cheaper mix (3 passes).
4. Cross-entropy generations (numbered from 1 in the log and candidates.csv, where the trim's
   candidates count in generation 0): candidates drawn around the {elites} best (ranked by the
   shortfall sum_j max(0, level_j - P_j), then cost) with a shrinking spread; around a feasible
   one the priced levers are also pulled down, several at once, since cost is certain and
   feasibility is not.
5. Confirmation: finalists (the cheapest feasible mix and the cheapest ones with a margin above P)
   and the scenario's own mix are re-run with {confirm} replications on seed {cseed} (seed +
   {step}), which shares no random draw with the search. The winner is the cheapest finalist
   whose re-run P(meet) is at least P for every required target. A winner picked on a small
   sample tends to look better than it is; this re-run is what makes the result honest.
"""


def markdown(result: Result) -> str:
    s, sc = result.settings, result.scenario
    P = s.probability
    lines = [f"# Cheapest lever mix with P(meet) ≥ {P:g}: {sc.scenario.title}", "",
             f"Scenario `{sc.scenario.name}` ({result.origin}), hash `{sc.digest()}`; written "
             f"{dt.datetime.now(dt.UTC).strftime('%Y-%m-%d %H:%M UTC')}.", "", "## Headline", "", headline(result), ""]
    lines += ["## Method and why", "", METHOD.format(probe=s.probe, elites=s.elites, confirm=s.confirm,
                                                      cseed=result.confirm_seed, step=CONFIRM_SEED_STEP), ""]
    settings = _settings_rows(result)
    lines += ["## Settings", "", *markdown_table(["setting", "value"], settings), ""]
    lines += ["## Levers", "",
              f"The winner's levers against {sc.scenario.name}'s own. Levers without a range keep their value. "
              "Platform counts and talent programmes are paid out of the platform and talent grant channels: each "
              "unit above (below) the scenario's count adds (frees) its unit grant in its channel (model/levers.py, "
              "channel_follows_counts), so a count costs its grant and is paid for. A channel's value here includes "
              "that money; its range is the range of the rest of the channel.", "",
              *markdown_table(["lever", "unit", "range", "scenario", "winner", "change"], lever_rows(result),
                              right=(3, 4, 5)), ""]
    lines += ["## Cost per year (万元)", "",
              "Budget channels cost what is budgeted; the other items are unit costs times the lever (our "
              "estimates, model/costs.py; a scenario's [costs] overrides them).", "",
              *markdown_table(["item", "scenario", "winner", "change"], cost_rows(result), right=(1, 2, 3)), ""]
    lines += ["## P(meet) per target", "",
              f"P(meet) with Wilson 95% intervals: in the search ({s.replications} replications of seed "
              f"{result.seed}, the numbers the winner was picked on) and re-run on the fresh seed "
              f"{result.confirm_seed} ({s.confirm} replications), for the winner and for the scenario's own mix.", "",
              *markdown_table(["target", "id", "status", "winner, search", "winner, re-run", "scenario, re-run"],
                              target_rows_report(result)), ""]
    lines += _left_out(result)
    lines += ["## Finalists", "", *markdown_table(
        ["candidate", "cost (万元/year)", "worst P, search", "worst P, re-run", "confirmed"],
        [[f"#{c.id} ({_phase_text(c)})", f"{c.cost:,.0f}", _pct(_worst(result, c.p)),
          _pct(_worst(result, c.p_confirm)), "yes" if _confirmed(result, c) else "no"] for c in result.finalists],
        right=(1, 2, 3)), ""]
    lines += ["## Files", "",
              "- `winner.toml`: the winner as a complete scenario file (`innosim run winner.toml`).",
              "- `candidates.csv`: every candidate: levers, cost, P(meet) per target in the search, and the re-run "
              "for finalists.",
              "- `optimize.json`: the numbers of this page.",
              "- `charts/optimize.png`, `.svg`: cost against the hardest required target's P(meet).", "",
              "![cost and P(meet) of every candidate](charts/optimize.png)", ""]
    return "\n".join(lines)


def _settings_rows(result: Result) -> list[list[str]]:
    """The settings table of optimize.md."""
    s, sc = result.settings, result.scenario
    P = s.probability
    cap = f"{s.budget_max:,.0f} 万元/year" if s.budget_max is not None else "none"
    settings = [["required probability P", f"{P:g}"],
                ["chosen targets", ", ".join(sc.targets[j].id for j in result.chosen)],
                ["cost cap (--budget-max)", cap],
                ["levers explored", f"{result.space.dim}: " + ", ".join(result.space.names)],
                ["replications per candidate (search)", str(s.replications)],
                ["generation 0", f"{s.initial} Latin-hypercube candidates + 3 anchors"],
                ["generations x population", f"{s.generations} x {s.population} (elites {s.elites})"],
                ["reach probe", f"{s.probe} replications"],
                ["finalists x confirmation replications", f"{s.finalists} (+ the scenario's own mix) x {s.confirm}"],
                ["seed (search) / confirmation seed", f"{result.seed} / {result.confirm_seed}"],
                ["behavioural parameters", result.parameters_mode],
                ["candidates evaluated", str(len(result.candidates))],
                ["runs", ", ".join(f"{k} {v}" for k, v in result.runs.items())
                 + f"; total {sum(result.runs.values())}"],
                ["wall time", f"{result.wall_seconds:.0f} s on {result.where}"]]
    return settings


def _left_out(result: Result) -> list[str]:
    """The section on the targets left out of the constraint."""
    s, sc = result.settings, result.scenario
    P = s.probability
    lines = ["## Targets left out: cannot reach P within the ranges, or not shown to", ""]
    if result.unreachable or result.uncertain:
        rows = []
        for j in [*result.unreachable, *result.uncertain]:
            r = result.reach[j]
            c = result.candidates[r.candidate]
            lo, hi = r.interval
            best = f"{100 * r.p:.1f}% ({r.k}/{r.n}) [{_pct(lo)}-{_pct(hi)}]"
            rows.append([_target_name(sc.targets[j]), r.status, best, str(r.n),
                         f"#{c.id} ({_phase_text(c)}, {c.cost:,.0f} 万元/year)"])
        lines += ["Each target's best P(meet) over the candidates of generation 0 (all levers at their high bound "
                  f"among them), re-run on {s.probe} more replications unless clearly above P, with its Wilson 95% "
                  "interval. 'unreachable': even the interval's upper end is below P. 'uncertain': the estimate is "
                  "below P but the interval does not rule P out. Both are left out of the constraint; the table "
                  "above shows what the winner gives them.", "",
                  *markdown_table(["target", "status", "best P(meet)", "runs", "best candidate"], rows), ""]
    else:
        lines += [f"None: every chosen target reached {P:g} in some candidate.", ""]
    return lines


def _phase_text(c: Candidate) -> str:
    return {"plan": "the scenario's own mix", "all-high": "all levers high", "free-high": "unpriced levers high",
            "sample": "generation 0", "search": f"generation {c.generation}", "trim": "trim"}[c.phase]


def _worst(result: Result, p: np.ndarray) -> float:
    return float(p[result.required].min()) if result.required else 1.0


def _confirmed(result: Result, c: Candidate) -> bool:
    over = result.settings.budget_max is not None and c.cost > result.settings.budget_max + EPS
    return c.confirm is not None and not over and _worst(result, c.p_confirm) >= result.settings.probability - EPS


# The terminal's headings (lever table, cost line, target table): bilingual beside Chinese names, else English
TERMINAL_HEADS = {"zh": (["lever 政策", "unit", "scenario 原方案", "winner 最优", "change"], "cost 成本",
                         "target 目标"),
                  "en": (["lever", "unit", "scenario", "winner", "change"], "cost", "target")}


def terminal(result: Result, lang: str = "zh") -> list[str]:
    """What innosim optimize prints, its levers and targets named in `lang`."""
    sc = result.scenario
    levers, cost, target = TERMINAL_HEADS[lang]
    lines = ["", headline(result, lang), "",
             *text_table(levers, [[r[0], r[1], r[3], r[4], r[5]] for r in lever_rows(result, lang)], right=(2, 3, 4)),
             ""]
    lines.append(f"{cost}: {result.winner.cost:,.0f} 万元/year against {result.plan.cost:,.0f} for "
                 f"{sc.scenario.name} ({result.winner.cost - result.plan.cost:+,.0f})")
    head = [target, "status", "search", f"re-run ({result.settings.confirm})", "scenario re-run"]
    lines += ["", *text_table(head, [[r[0], r[2], r[3], r[4], r[5]] for r in target_rows_report(result, lang)]), ""]
    lines.append(f"runs: {sum(result.runs.values())} in {result.wall_seconds:.0f} s on {result.where}; "
                 f"seed {result.seed}, confirmation seed {result.confirm_seed}")
    return lines


def candidates_csv(result: Result, path: Path) -> None:
    ids = [t.id for t in result.scenario.targets]
    head = ["candidate", "phase", "generation", "cost_wan_per_year", "within_cap", "feasible_in_search",
            "worst_required_p", *result.space.names, *[f"p:{i}" for i in ids], *[f"p_rerun:{i}" for i in ids]]
    with open(path, "w", newline="", encoding="utf-8") as f:
        w = csv.writer(f)
        w.writerow(head)
        for c in result.candidates:
            over = result.settings.budget_max is not None and c.cost > result.settings.budget_max + EPS
            rerun = [f"{v:.4f}" for v in c.p_confirm] if c.confirm is not None else [""] * len(ids)
            w.writerow([c.id, c.phase, c.generation, f"{c.cost:.2f}", not over, _search_feasible(result, c),
                        f"{_worst(result, c.p):.4f}", *[f"{v:g}" for v in c.values], *[f"{v:.4f}" for v in c.p],
                        *rerun])


def summary_json(result: Result) -> dict:
    sc = result.scenario
    targets = []
    for j, t in enumerate(sc.targets):
        w, plan = result.winner, result.plan
        entry = {"id": t.id, "status": _status(result, j),
                 "winner_search_p": float(w.p[j]), "winner_rerun_p": float(w.p_confirm[j]),
                 "winner_rerun_ci95": list(wilson(int(w.confirm[:, j].sum()), w.confirm.shape[0])),
                 "scenario_rerun_p": float(plan.p_confirm[j])}
        if j in result.reach:
            r = result.reach[j]
            entry["best_p"], entry["best_p_runs"], entry["best_candidate"] = r.p, r.n, r.candidate
        targets.append(entry)
    return {"scenario": sc.scenario.name, "file": result.origin, "scenario_hash": sc.digest(),
            "probability": result.settings.probability, "budget_max": result.settings.budget_max,
            "chosen": [sc.targets[j].id for j in result.chosen],
            "unreachable": [sc.targets[j].id for j in result.unreachable],
            "confirmed": result.confirmed, "winner": result.winner.id,
            "winner_levers": dict(zip(result.space.names, map(float, result.winner.values), strict=True)),
            "winner_cost": result.winner.cost, "scenario_cost": result.plan.cost,
            "targets": targets, "seed": result.seed, "confirmation_seed": result.confirm_seed,
            "settings": {k: getattr(result.settings, k) for k in ("replications", "initial", "generations",
                                                                 "population", "confirm", "finalists", "probe")},
            "runs": result.runs, "wall_seconds": round(result.wall_seconds, 1), "where": result.where,
            "parameters": result.parameters_mode}
