"""`innosim backtest`: the historical runs against every documented figure dated inside them.

It runs the historical scenarios of history.py (E-Town from end-2015, Beijing citywide from
end-2014) as ensembles with the calibrated posterior, measures every figure on each replication,
and reports the documented interval beside the model's P10-P50-P90: inside or not (the band meets
the interval), the P50's error, the band's relative width, and the figure's role: calibrated on,
out of sample, or an input of the run. Misses carry the explanation of history.NOTES.
"""

from __future__ import annotations

import csv
import datetime as dt
import io
import json
from dataclasses import dataclass
from pathlib import Path

import numpy as np

from .. import history
from ..execution.ensemble import Ensemble, run_ensemble
from ..execution.parallel import Pool
from ..output.results import atomic_folder, git_commit, months, versions
from ..parameters import DEFAULTS, ParameterSource

ROLE_LABELS = {"fit": ("校准所用", "calibrated on"), "out": ("样本外", "out of sample"), "input": ("输入", "input")}


@dataclass
class Row:
    figure: history.Figure
    role: str  # "fit" (calibrated on in this posterior), "out" or "input"
    values: np.ndarray  # the statistic in every replication

    @property
    def q(self) -> np.ndarray:
        return np.quantile(self.values, [0.1, 0.5, 0.9])

    @property
    def inside(self) -> bool:
        q = self.q
        return self.figure.inside(q[0], q[2])

    @property
    def value_inside(self) -> bool:
        """The documented value itself within P10-P90 (stricter than `inside`, which asks the band to meet the
        documented interval)."""
        q = self.q
        return self.figure.value_inside(q[0], q[2])

    @property
    def error(self) -> float:
        """P50 against the documented value, relative."""
        return float(self.q[1] / self.figure.value - 1.0)

    @property
    def width(self) -> float:
        """The band's width relative to its P50."""
        q = self.q
        return float((q[2] - q[0]) / abs(q[1])) if q[1] else float("inf")


@dataclass
class Backtest:
    rows: list[Row]
    ensembles: dict[str, Ensemble]
    parameters: ParameterSource
    seconds: float

    def coverage(self, role: str | None = None, strict: bool = False) -> tuple[int, int]:
        """(figures inside, figures) of a role or all; strict: the documented value itself inside the band."""
        rows = [r for r in self.rows if role is None or r.role == role]
        return int(sum(r.value_inside if strict else r.inside for r in rows)), len(rows)


def fitted_ids(parameters: ParameterSource) -> set[str]:
    """The figures the posterior was fitted on (none for the default parameters)."""
    if parameters.mode == "defaults" or not parameters.provenance:
        return set()
    return set(parameters.provenance.get("fitted") or ())


def role_of(f: history.Figure, fitted: set[str]) -> str:
    if f.id in fitted:
        return "fit"
    return "input" if f.role == "input" else "out"


def run_backtest(replications: int = 200, seed: int | None = None, workers: int | None = None,
                 parameters: ParameterSource = DEFAULTS, progress: bool = False, pool: Pool | None = None,
                 scale: dict[str, int] | None = None) -> Backtest:
    """Every historical run as an ensemble and every figure measured on it (scale: {run: k} overrides a run's
    scale, e.g. a quick check on a coarser city)."""
    from .calibration import historical_scenarios

    t0 = dt.datetime.now()
    fitted = fitted_ids(parameters)
    ensembles, rows = {}, []
    for run, sc in historical_scenarios(scale or {}).items():
        ens = run_ensemble(sc, replications, seed, workers, progress=progress, parameters=parameters, pool=pool)
        ensembles[run] = ens
        tables = [history.Table({name: ens.values[r, :, i] for i, name in enumerate(ens.names)}, sc.scenario.start)
                  for r in range(ens.replications)]
        for f in history.FIGURES:
            if f.run == run:
                rows.append(Row(f, role_of(f, fitted), np.array([f.measure(t) for t in tables])))
    return Backtest(rows, ensembles, parameters, (dt.datetime.now() - t0).total_seconds())


# ---------------------------------------------------------------------------------------------- tables
def _num(v: float) -> str:
    a = abs(v)
    return f"{v:,.0f}" if a >= 1000 else f"{v:,.1f}" if a >= 100 else f"{v:.3g}"


def table_rows(bt: Backtest, lang: str = "en") -> list[list[str]]:
    zh = lang == "zh"
    out = []
    for r in bt.rows:
        f, q = r.figure, r.q
        out.append([f.id, f.zh if zh else f.en, f"{_num(f.value)} {f.unit}", f"{_num(f.low)}-{_num(f.high)}",
                    f"{_num(q[0])} - {_num(q[1])} - {_num(q[2])}", ("是" if zh else "yes") if r.inside else
                    ("**否**" if zh else "**no**"), f"{100 * r.error:+.0f}%", f"{100 * r.width:.0f}%",
                    ROLE_LABELS[r.role][0 if zh else 1]])
    return out


HEAD = {"en": ["figure", "what", "documented", "interval", "model P10 - P50 - P90", "inside", "P50 error",
               "band width", "role"],
        "zh": ["编号", "指标", "公布值", "区间", "模型 P10 - P50 - P90", "落入", "P50误差", "区间宽度", "类别"]}


# The terminal's headings: bilingual beside the Chinese names and findings (as innosim run's), else English
TERMINAL_HEAD = {"en": HEAD["en"],
                 "zh": ["figure 编号", "what 指标", "documented 公布值", "interval 区间", "model P10 - P50 - P90",
                        "inside 落入", "P50 error 误差", "band width 区间宽度", "role 类别"]}


def console(bt: Backtest, lang: str = "en") -> str:
    """The table for the terminal: the figures, and whether each is inside, in `lang` (innosim backtest --lang)."""
    from ..output.report import text_table

    rows = [[c.replace("**", "") for c in row] for row in table_rows(bt, lang)]
    lines = text_table(TERMINAL_HEAD[lang], rows, right=(2, 4, 6, 7))
    lines += ["", summary_line(bt)]
    return "\n".join(lines)


def summary_line(bt: Backtest) -> str:
    parts = []
    for role in ("fit", "out", "input"):
        k, n = bt.coverage(role)
        if n:
            parts.append(f"{ROLE_LABELS[role][1]} {k}/{n}")
    k, n = bt.coverage()
    v = bt.coverage(strict=True)[0]
    return (f"inside P10-P90: {k} of {n} documented figures ({100 * k / n:.0f}%; the band meets the figure's "
            f"interval); " + ", ".join(parts) + f"; the documented value itself inside the band: {v} of {n}")


def markdown(bt: Backtest, lang: str = "en") -> str:
    from ..output.report import markdown_table

    p = bt.parameters
    reps = {run: e.replications for run, e in bt.ensembles.items()}
    lines = ["# Does the model reproduce history? / 模型能否重现历史？", "",
             f"Generated {dt.datetime.now(dt.UTC):%Y-%m-%dT%H:%M:%SZ} from commit `{git_commit()}` by `innosim "
             f"backtest`; {', '.join(f'{history.RUN_TITLES[r][1]}: {n} replications' for r, n in reps.items())}; "
             f"parameters: {p.mode}" + (f" ({p.provenance.get('file')}, created {p.provenance.get('created_utc')})"
                                        if p.provenance else "") + f"; {bt.seconds:.0f} s.", "",
             f"**{summary_line(bt)}.**", "",
             "Each documented figure is read as an interval (its wording: exact +-3%, about +-10%, 'more than' up "
             "to the next round number; see model/history.py), and the model's P10-P90 band over replications is "
             "*inside* when it meets that interval; the summary also counts a stricter reading, the documented "
             "value itself inside the band (for a figure given as a point; one given as a bound or a range has no "
             "value of its own to hold). *P50 error* is the model's median against the documented "
             "value (for a figure given as a bound, against the bound: a median well inside '8%以上' shows a "
             "positive error); *band width* is (P90 - P10) / P50, so a band that is inside only because it is "
             "wide shows it. "
             "*Calibrated on*: the posterior was fitted on the figure; *out of sample*: nothing in the model was set "
             "from it; *input*: the run's profile took a range from it, so agreeing is no test.", ""]
    for role in ("fit", "out", "input"):
        k, n = bt.coverage(role)
        if n:
            lines.append(f"- {ROLE_LABELS[role][1]} / {ROLE_LABELS[role][0]}: {k} of {n} inside ({100 * k / n:.0f}%)")
    lines += [""]
    for run in history.RUNS:
        rows = [r for r in bt.rows if r.figure.run == run]
        if not rows:
            continue
        lines += [f"## {history.RUN_TITLES[run][1]} / {history.RUN_TITLES[run][0]}", ""]
        sub = Backtest(rows, bt.ensembles, bt.parameters, bt.seconds)
        lines += markdown_table(HEAD[lang], table_rows(sub, lang), right=(2, 4, 6, 7))
        lines += [""]
        for ind in dict.fromkeys(r.figure.indicator for r in rows):
            lines += [f"![{ind}](charts/{run}-{ind}-{lang}.png)", ""]
        lines += [f"![certification flows](charts/{run}-certification-flows-{lang}.png)", ""]
    misses = [r for r in bt.rows if not r.inside]
    lines += ["## What each miss means", ""]
    if not misses:
        lines += ["Every figure is inside its band.", ""]
    lines += [_note_line(r, history.NOTES.get(r.figure.id, "**no explanation recorded**")) for r in misses]
    close = [r for r in bt.rows if r.inside and not r.value_inside]
    if close:
        lines += ["", "## Inside only by the interval", "",
                  "The band meets the figure's interval but not the documented value itself:", ""]
        lines += [_note_line(r, history.NOTES.get(r.figure.id, "")) for r in close]
    lines += ["", "## How each figure is read", ""]
    lines += [f"- `{f.id}`: {f.reading}" for f in history.FIGURES]
    return "\n".join(lines) + "\n"


def _note_line(r: Row, note: str) -> str:
    head = (f"- `{r.figure.id}` ({r.figure.en}, {ROLE_LABELS[r.role][1]}; documented {_num(r.figure.value)} "
            f"{r.figure.unit}, model P10 - P50 - P90 {_num(r.q[0])} - {_num(r.q[1])} - {_num(r.q[2])})")
    return f"{head}: {note}" if note else head


def csv_text(bt: Backtest) -> str:
    buf = io.StringIO()
    w = csv.writer(buf)
    w.writerow(["figure", "run", "indicator", "date", "documented", "low", "high", "unit", "p10", "p50", "p90",
                "inside", "value_inside", "p50_error", "band_width", "role", "reading"])
    for r in bt.rows:
        f, q = r.figure, r.q
        w.writerow([f.id, f.run, f.indicator, f.date, f.value, f.low, f.high, f.unit, *(float(x) for x in q),
                    int(r.inside), int(r.value_inside), round(r.error, 4), round(r.width, 4), ROLE_LABELS[r.role][1],
                    f.reading])
    return buf.getvalue()


# ---------------------------------------------------------------------------------------------- charts
def charts(bt: Backtest, folder: Path, lang: str) -> list[Path]:
    from ..output import plotting

    files = []
    for run, ens in bt.ensembles.items():
        rows = [r for r in bt.rows if r.figure.run == run]
        dates = months(ens.scenario)
        for ind in dict.fromkeys(r.figure.indicator for r in rows):
            mine = [r for r in rows if r.figure.indicator == ind]
            fig = plotting.history_chart(ens.series(ind), dates, ind, mine, lang, history.RUN_TITLES[run][lang == "en"])
            files += plotting.save(fig, folder, f"{run}-{ind}-{lang}")
        dec = [i for i, d in enumerate(dates) if d.month == 12]
        flows = {k: np.diff(ens.series(k)[:, dec], axis=1) for k in ("ht_first_cum", "ht_certified_cum",
                                                                     "ht_renewed_cum")}
        again = flows["ht_certified_cum"] - flows["ht_first_cum"] - flows["ht_renewed_cum"]
        title = history.RUN_TITLES[run][lang == "en"]
        fig = plotting.certification_flows(flows["ht_first_cum"], again, flows["ht_renewed_cum"],
                                           [dates[i].year for i in dec[1:]], lang, title)
        files += plotting.save(fig, folder, f"{run}-certification-flows-{lang}")
    return files


def write(bt: Backtest, out: Path, lang: str = "zh") -> Path:
    from ..output.briefing import to_html

    with atomic_folder(out) as tmp:
        charts_dir = tmp / "charts"
        for each in ("zh", "en"):
            charts(bt, charts_dir, each)
        md = markdown(bt, lang)
        (tmp / "backtest.md").write_text(md, "utf-8")
        (tmp / "backtest.html").write_text(to_html(md, tmp, "innosim backtest", lang), "utf-8")
        (tmp / "backtest.csv").write_text("\ufeff" + csv_text(bt), "utf-8")
        meta = {"created_utc": f"{dt.datetime.now(dt.UTC):%Y-%m-%dT%H:%M:%SZ}", "git_commit": git_commit(),
                "versions": versions(), "parameters": {"mode": bt.parameters.mode,
                                                         "posterior": bt.parameters.provenance},
                "replications": {run: e.replications for run, e in bt.ensembles.items()},
                "seeds": {run: e.seed for run, e in bt.ensembles.items()},
                "coverage": {role: [int(x) for x in bt.coverage(role)] for role in ("fit", "out", "input")},
                "coverage_value_inside": {role: [int(x) for x in bt.coverage(role, strict=True)]
                                          for role in ("fit", "out", "input")}}
        (tmp / "backtest.json").write_text(json.dumps(meta, ensure_ascii=False, indent=2), "utf-8")
    return out
