"""Steps 4 and 5 of the page: the results of a run (headline, outcome targets, commitments, charts, money by
channel, the comparison with the plan) and the downloads."""

from __future__ import annotations

import html

import solara

from . import adapter as ad
from . import exports, outcome
from .state import fan_pick
from .text import t


def table_html(head: list[str], rows: list[list[str]], cls: str, row_ids: list[str] | None = None,
               lights: list[str] | None = None, titles: list[str] | None = None) -> str:
    """An HTML table; every cell is escaped (scenario text comes from files and uploads)."""
    e = html.escape
    out = [f'<table class="innosim-table {e(cls)}"><thead><tr>', *(f"<th>{e(h)}</th>" for h in head),
           "</tr></thead><tbody>"]
    for i, r in enumerate(rows):
        rid = f' data-target="{e(row_ids[i])}"' if row_ids else ""
        title = f' title="{e(titles[i])}"' if titles else ""
        out.append(f"<tr{rid}{title}>")
        for j, c in enumerate(r):
            light = f" tl-{e(lights[i])}" if lights and j == len(r) - 1 else ""
            out.append(f'<td class="c{j}{light}">{e(c)}</td>')
        out.append("</tr>")
    out.append("</tbody></table>")
    return "".join(out)


def heading(key: str, language: str) -> None:
    solara.Text(t(key, language), classes=["innosim-lever-name"])


@solara.component
def Results(result: outcome.Result, language: str):
    Headlines(result, language)  # one element however many lines: the parts below keep their state (an open fold)
    TargetTables(result, language)
    Charts(result, language)
    Money(result, language)
    Comparison(result, language)


@solara.component
def Headlines(result: outcome.Result, language: str):
    """The headline, the comparison's once the plan has run, and the notes on the parameters and on a small run."""
    # the report's headline (model/output/phrases.py) in the page's words: its names, its amounts, its charts below
    solara.Text(ad.headline(result.summary, language, page=True), classes=["innosim-headline", "innosim-head"])
    compare_line = outcome.comparison_headline(result, language)
    if compare_line:
        solara.Text(compare_line, classes=["innosim-headline", "innosim-head-compare"])
    if result.parameters_note:
        key = ad.parameters_note_key(result.parameters_note)
        solara.Text(t(key, language, reason=result.parameters_note), classes=["innosim-warning", "parameters-note"])
    few = ad.few_runs_note(result.summary, language)
    if few:
        solara.Text(few, classes=["innosim-warning", "few-runs"])


@solara.component
def TargetTables(result: outcome.Result, language: str):
    """The outcome targets with the report's baseline marks, then the commitments a lever delivers."""
    rows = outcome.target_rows(result, language)
    if rows:
        heading("outcomes", language)
        head = [t(k, language) for k in ("col_indicator", "col_baseline", "col_target", "col_range", "col_pmeet")]
        solara.HTML(tag="div", unsafe_innerHTML=table_html(
            head, [[r["name"], r["baseline"], r["target"], r["range"], r["p_meet"]] for r in rows],
            "targets targets-outcome", [r["id"] for r in rows], [r["light"] for r in rows],
            [f"{r['quote']} ({r['source']})" for r in rows]))
        solara.Text(t("drawn_note", language), classes=["innosim-caption"])
        if any(r["baseline"].endswith("†") for r in rows):
            solara.Text(t("derived_note", language), classes=["innosim-caption", "derived-note"])
        if any(r["about"] for r in rows):
            solara.Text(t("about_note", language), classes=["innosim-caption", "about-note"])
    KnownLimits(result, language)
    promised = outcome.commitment_rows(result, language)
    if promised:
        heading("commitments", language)
        head = [t(k, language) for k in ("col_indicator", "col_target", "col_delivered", "col_delivery")]
        solara.HTML(tag="div", unsafe_innerHTML=table_html(
            head, [[r["name"], r["target"], r["delivered"], r["delivery"]] for r in promised],
            "targets targets-commitment", [r["id"] for r in promised],
            titles=[f"{r['quote']} ({r['source']})" for r in promised]))
        solara.Text(t("commitments_note", language), classes=["innosim-caption"])


@solara.component
def KnownLimits(result: outcome.Result, language: str):
    """What the model is known to get wrong for the targets' indicators (the report's lines, marked ‡ as in the
    dashboard and the target table), folded so that the tables stay compact."""
    lines = outcome.limit_lines(result.summary, language)
    if not lines:
        return
    n = len(lines)
    title = t("known_limits", language, n=n, indicators=ad.plural(n, "indicator"), their="its" if n == 1 else "their")
    with solara.Column(classes=["known-limits"], gap="0px"):
        with solara.Details(summary=title):
            solara.Text(t("known_limits_intro", language), classes=["innosim-caption"])
            for line in lines:
                solara.Text(line, classes=["innosim-caption", "known-limit"])


@solara.component
def Charts(result: outcome.Result, language: str):
    dash = solara.use_memo(lambda: outcome.dashboard_png(result, language), [result.token, language])
    fans = outcome.fan_indicators(result)
    pick = fan_pick.value if fan_pick.value in dict(fans) else fans[0][0]
    fan = solara.use_memo(lambda: outcome.fan_png(result, pick, dict(fans)[pick], language),
                          [result.token, pick, language])
    with solara.Columns([1, 1]):
        with solara.Column():
            if dash:
                heading("dashboard", language)
                solara.Image(dash, width="100%")
        with solara.Column():
            heading("fan_charts", language)
            solara.v.Select(label=t("fan_pick", language), v_model=pick, on_v_model=fan_pick.set,
                            items=[{"text": ad.indicator_name(i, language), "value": i} for i, _ in fans],
                            class_="fan-pick", dense=True)
            solara.Image(fan, width="100%")
            solara.FileDownload(lambda: outcome.fan_png(result, pick, dict(fans)[pick], language, dpi=200),
                                filename=f"fan-{pick}-{language}.png", label=t("dl_chart", language),
                                mime_type="image/png")


@solara.component
def Money(result: outcome.Result, language: str):
    """Each channel's budget, payments and unspent share over the horizon (summary.json "money")."""
    rows = outcome.money_rows(result.summary, language)
    if not rows:
        return
    heading("money", language)
    sentence = ad.money_sentence(result.summary, language, page=True)
    if sentence:
        solara.Text(sentence, classes=["innosim-caption", "money-sentence"])
    head = [t(k, language) for k in ("col_channel", "col_budgeted", "col_paid", "col_unspent")]
    solara.HTML(tag="div", unsafe_innerHTML=table_html(
        head, [[r["name"], r["budgeted"], r["paid"], r["unspent"]] for r in rows], "money",
        [r["id"] for r in rows]))
    solara.Text(t("money_note", language), classes=["innosim-caption"])


@solara.component
def Comparison(result: outcome.Result, language: str):
    heading("comparison", language)
    if result.differences is None:
        solara.Text(t("comparison_wait", language), classes=["innosim-caption"])
        return
    if not result.differences:
        return
    rows = outcome.comparison_rows(result, language)
    head = [t(k, language) for k in ("col_indicator", "col_p50_plan", "col_p50_yours", "col_dp50",
                                     "col_pmeet_change", "col_dpmeet")]
    solara.HTML(tag="div", unsafe_innerHTML=table_html(
        head, [[r["name"], r["p50_plan"], r["p50_yours"], r["d_p50"], r["p_meet"], r["d_p_meet"]] for r in rows],
        "comparison", [r["id"] for r in rows]))
    solara.Text(t("star_note", language), classes=["innosim-caption"])


@solara.component
def TakeHome(result: outcome.Result, language: str):
    s = result.settings
    name = s.scenario.scenario.name
    with solara.Row(style={"flex-wrap": "wrap"}):
        if result.folder is not None:
            solara.FileDownload(lambda: (result.folder / "report.html").read_bytes(), filename=f"{name}-report.html",
                                label=t("dl_report", language), mime_type="text/html")
            solara.FileDownload(lambda: exports.charts_zip(result.folder), filename=f"{name}-charts.zip",
                                label=t("dl_charts", language), mime_type="application/zip")
        else:
            solara.Text(t("dl_report_wait", language), classes=["innosim-caption"])
        tables = {"targets": exports.targets_table, "fan-charts": exports.fan_table, "money": exports.money_table}
        for key, label in (("targets", "dl_targets"), ("fan-charts", "dl_fan"), ("money", "dl_money")):
            solara.FileDownload(lambda f=tables[key]: exports.csv_bytes(f(result, language)),
                                filename=f"{name}-{key}.csv", label=t(f"{label}_csv", language), mime_type="text/csv")
        solara.FileDownload(lambda: exports.xlsx_bytes({k: f(result, language) for k, f in tables.items()}),
                            filename=f"{name}-tables.xlsx", label=t("dl_xlsx", language))
        solara.FileDownload(lambda: exports.scenario_toml(s.scenario, s.replications, s.seed, result.source_name,
                                                          s.changed, s.reference),
                            filename=f"{name}{'-app' if s.changed else ''}.toml", label=t("dl_scenario", language),
                            mime_type="application/toml")
    if result.folder is not None:
        solara.Text(t("saved_in", language, folder=str(result.folder)), classes=["innosim-caption", "saved-in"])
