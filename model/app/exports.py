"""What a planner takes home: tables as CSV (UTF-8 with BOM, so Excel reads Chinese) and .xlsx, the charts as PNG,
and the page's settings as a scenario file that `innosim run` accepts unchanged."""

from __future__ import annotations

import csv
import datetime as dt
import io
import zipfile
from pathlib import Path

from . import adapter as ad
from . import controls
from .outcome import FAN_QUANTILES, Result, baseline_mark, delivery, fan_quantiles
from .text import t

Table = tuple[list[str], list[list]]


def targets_table(result: Result, lang: str) -> Table:
    """One row per target: the numbers of summary.json (P(meet) as a share), its kind (outcome or commitment), the
    threshold its P(meet) is measured against beside the plan's (as the run's table gives both), the report's
    baseline marks and a commitment's delivery, and the paired change against the plan."""
    keys = ["id", "indicator_id", "indicator", "kind", "year", "comparator", "threshold", "measured", "baseline",
            "mark", "p10", "p50", "p90", "p_meet", "light", "delivery", "quote"]
    diffs = {d.target: d for d in result.differences or ()}
    if diffs:
        keys += ["plan_p50", "plan_p_meet", "d_p_meet", "d_p_meet_low", "d_p_meet_high"]
    head = [t("h_" + k, lang) for k in keys]
    rows = []
    for raw in result.summary["targets"]:
        row = [raw["id"], raw["indicator"], ad.indicator_name(raw["indicator"], lang), t("kind_" + raw["kind"], lang),
               raw["year"], raw["comparator"], raw["threshold"], ad.threshold_measured(raw), raw["baseline"],
               baseline_mark(result.summary, raw), raw["p10"], raw["p50"], raw["p90"], raw["p_meet"],
               ad.light_name(raw["p_meet"], lang), delivery(result, raw, lang), raw["quote"]]
        if diffs:
            d = diffs[raw["id"]]
            row += [d.ref_p50, d.ref_p_meet, d.d_p_meet, d.d_p_meet_low, d.d_p_meet_high]
        rows.append(row)
    return head, rows


def fan_table(result: Result, lang: str) -> Table:
    """The fan charts' data: per indicator and month, P10, P25, P50, P75 and P90 over the replications (in the
    model's units, 万元 for money, named in the table's language) and the target, if any, with the threshold its
    P(meet) is measured against."""
    head = [t("h_indicator_id", lang), t("h_indicator", lang), t("h_unit", lang), t("h_date", lang),
            *(t(f"h_p{round(100 * q)}", lang) for q in FAN_QUANTILES), t("h_threshold", lang), t("h_measured", lang),
            t("h_year", lang)]
    rows = []
    for ind, dates, q, tg in fan_quantiles(result):
        name, unit = ad.indicator_name(ind, lang), ad.unit_name(ad.INDICATORS[ind].unit, lang)
        for k, d in enumerate(dates):
            target = [tg["threshold"], ad.threshold_measured(tg), tg["year"]] if tg else ["", "", ""]
            rows.append([ind, name, unit, d.strftime("%Y-%m"), *(float(x) for x in q[:, k]), *target])
    return head, rows


def money_table(result: Result, lang: str) -> Table:
    """Each budget channel's money over the horizon (summary.json "money"), 万元 and shares, the total last."""
    keys = ["channel_id", "channel", "budgeted_p50", "paid_p10", "paid_p50", "paid_p90", "unspent_p10",
            "unspent_p50", "unspent_p90"]
    rows = []
    for c, v in (result.summary.get("money") or {}).items():
        rows.append([c, t("money_total", lang) if c == "total" else ad.channel_name(c, lang), v["budgeted"]["p50"],
                     v["paid"]["p10"], v["paid"]["p50"], v["paid"]["p90"], v["unspent_share"]["p10"],
                     v["unspent_share"]["p50"], v["unspent_share"]["p90"]])
    return [t("h_" + k, lang) for k in keys], rows


def csv_bytes(table: Table) -> bytes:
    """CSV in UTF-8 with a byte-order mark: Excel then opens Chinese text correctly."""
    buf = io.StringIO(newline="")
    w = csv.writer(buf, lineterminator="\r\n")
    w.writerow(table[0])
    w.writerows(table[1])
    return buf.getvalue().encode("utf-8-sig")


def xlsx_bytes(sheets: dict[str, Table]) -> bytes:
    from openpyxl import Workbook
    from openpyxl.styles import Font

    wb = Workbook()
    wb.remove(wb.active)
    for name, (head, rows) in sheets.items():
        ws = wb.create_sheet(name[:31])
        ws.append(head)
        for cell in ws[1]:
            cell.font = Font(bold=True)
        for r in rows:
            ws.append([_cell(v) for v in r])
        ws.freeze_panes = "A2"
    buf = io.BytesIO()
    wb.save(buf)
    return buf.getvalue()


def _cell(v):
    # openpyxl writes text starting with "=" as a formula: scenario text never becomes one
    return "'" + v if isinstance(v, str) and v.startswith(("=", "+", "-", "@")) and len(v) > 1 else v


def scenario_toml(scenario: ad.Scenario, replications: int, seed: int, source_name: str, changed: bool,
                  reference: ad.Scenario | None = None) -> str:
    """The page's settings as a complete scenario file (no `extends`): `innosim run` on it repeats the app's run.

    The levers are those the run used, budget channels included, so a channel moved by the counts it pays for is
    written with its unit grants in; against `reference` (the plan), each changed lever says so in a comment."""
    meta = {"replications": replications, "seed": seed}
    if changed:
        suffix = "-app"
        meta["name"] = scenario.scenario.name[:80 - len(suffix)].rstrip("-") + suffix
        meta["title"] = (scenario.scenario.title[:190] + " (app)")
        if scenario.scenario.title_zh:
            meta["title_zh"] = scenario.scenario.title_zh[:190] + "（app）"
    sc = scenario.model_copy(update={"extends": None, "scenario": scenario.scenario.model_copy(update=meta)})
    stamp = dt.datetime.now(dt.UTC).strftime("%Y-%m-%d %H:%M UTC")
    header = [sc.scenario.title, "",
              f"Written by `innosim app` on {stamp} from {source_name}: the levers as set on the page, "
              f"{replications} replications, seed {seed}. A count paid from a budget channel (platforms, young "
              "talents, teams) brings its unit grant to the channel, as in every analysis that moves levers.",
              "Run it: innosim run " + f"{sc.scenario.name}.toml", ""]
    comments = lever_comments(scenario, reference) if reference is not None else {}
    return ad.toml_document(ad.scenario_document(sc), header, comments)


def lever_comments(scenario: ad.Scenario, reference: ad.Scenario) -> dict[str, str]:
    """A comment for each lever the page changed: the plan's value, and what the counts moved in a channel."""
    changed = {n: controls.plan_value(scenario, n) for n in controls.CONTROLS
               if controls.plan_value(scenario, n) != controls.plan_value(reference, n)}
    moved = controls.followed(reference, {n: v for n, v in changed.items() if not n.startswith("budget.")})
    out = {}
    for name in changed:
        plan = controls.plan_value(reference, name)
        note = f"set in the app; the plan's: {plan:g}"
        if name in moved:
            note = f"the plan's: {plan:g}; the counts set in the app move it by {moved[name]:+g} (their unit grants)"
        out["levers." + name] = note
    return out


def charts_zip(folder: Path) -> bytes:
    """Every PNG chart of a results folder, in one zip."""
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w", zipfile.ZIP_DEFLATED) as z:
        for png in sorted((folder / "charts").glob("*.png")):
            z.write(png, png.name)
    return buf.getvalue()
