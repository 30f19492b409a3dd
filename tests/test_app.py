"""The app's parts without a browser: runs match the CLI, cancel leaves nothing, uploads, exports, strings."""

from __future__ import annotations

import csv
import io
import json
import os
import re
import threading
import tomllib
from dataclasses import replace
from pathlib import Path

import numpy as np
import pytest
from conftest import PLAN, ROOT

from model.app import adapter as ad
from model.app import controls, exports, outcome, runner
from model.app.text import LANGS, TEXT, all_strings, t
from model.cli import main
from model.lever_registry import LEVERS
from model.levers import unit_grant, with_levers
from model.output import readings, report


def cli_mode() -> str:
    """The parameters `innosim run` uses for what the app calls "posterior": the defaults when the posterior
    cannot be read (the app falls back to them and says so)."""
    return "posterior" if ad.parameter_source("posterior")[1] is None else "defaults"


def settings(scenario, reference=None, n=6, seed=11, workers=2) -> runner.Settings:
    return runner.Settings(scenario, reference or scenario, n, seed, "posterior", workers)


@pytest.fixture(scope="module")
def plan():
    return ad.read_scenario(PLAN)


@pytest.fixture(scope="module")
def app_run(plan, tmp_path_factory):
    """An app run (levers changed) to the end: result with the comparison and the results folder."""
    changed = controls.with_values(plan, {"municipal_platforms_per_year": 6.0, "budget.rent_subsidy": 9000.0})
    states = list(outcome.run(settings(changed, plan), "plan.toml", tmp_path_factory.mktemp("app"), "zh",
                              lambda p: None, lambda: False))
    assert [s.phase for s in states] == ["run", "plan", "report", "done"]  # the plan was not cached yet
    return states[-1].result


def test_same_seed_same_numbers_as_the_cli(app_run, tmp_path):
    s = app_run.settings
    toml = exports.scenario_toml(s.scenario, 6, 11, "plan.toml", True, s.reference)
    path = tmp_path / "app.toml"
    path.write_text(toml, "utf-8")
    out = tmp_path / "cli"
    assert main(["run", str(path), "--workers", "1", "--out", str(out), "--parameters", cli_mode(),
                 "--no-progress"]) == 0
    cli = json.loads((out / "summary.json").read_text("utf-8"))
    assert cli["replications"] == 6 and cli["seed"] == 11
    for a, b in zip(app_run.summary["targets"], cli["targets"], strict=True):
        assert a["id"] == b["id"]
        assert (a["p_meet"], a["p10"], a["p50"], a["p90"]) == (b["p_meet"], b["p10"], b["p50"], b["p90"])
        assert (a["kind"], a["delivery"], a["baseline_source"]) == (b["kind"], b["delivery"], b["baseline_source"])
    assert app_run.summary["money"] == cli["money"]  # the platforms' grants were paid in both runs


def test_the_comparison_is_paired_against_the_plan(app_run, plan):
    diffs = {d.target: d for d in app_run.differences}
    assert set(diffs) == {tg.id for tg in plan.targets}
    d = diffs["municipal-platforms-2026"]
    assert d.alt_p50 > d.ref_p50  # twice the platforms a year
    assert d.d_p_meet_low <= d.d_p_meet <= d.d_p_meet_high
    assert {p.name for p in app_run.folder.iterdir()} >= {"report.html", "summary.json", "charts"}


def test_the_plan_unchanged_is_one_ensemble_and_cached(plan, tmp_path):
    s = settings(plan, n=3, seed=5, workers=1)
    run = outcome.run(s, "plan.toml", tmp_path, "en", lambda p: None, lambda: False)
    state = next(x for x in run if x.phase == "report")  # the briefing is not needed here
    run.close()
    assert state.result.differences == ()
    source = ad.parameter_source("posterior")[0]
    assert runner.cached_plan(s, source) is state.result.ensemble


def test_cancel_stops_the_workers_and_writes_nothing(plan, tmp_path):
    stop = threading.Event()
    seen: list[int] = []

    def progress(p: runner.Progress) -> None:
        seen.extend(runner.live_processes())
        if p.done > 0:
            stop.set()

    with pytest.raises(runner.Cancelled):
        list(outcome.run(settings(plan, n=40, workers=2), "plan.toml", tmp_path, "zh", progress, stop.is_set))
    assert seen and runner.live_processes() == []
    for pid in set(seen):
        assert not _alive(pid), pid
    assert list(tmp_path.iterdir()) == []


def _alive(pid: int) -> bool:
    try:
        stat = Path(f"/proc/{pid}/stat").read_text()
    except OSError:
        return False
    return stat.split(") ", 1)[1][0] != "Z"  # a zombie is dead


def test_progress_counts_every_replication(plan):
    counts: list[int] = []
    ens = runner.ensemble(plan, settings(plan, n=5, workers=1), ad.DEFAULTS, runner.Progress(),
                          lambda p: counts.append(p.done), runner.AppPool(1, lambda: False))
    assert counts[0] == 0 and counts[-1] == 5 and ens.values.shape[0] == 5


def test_one_pool_serves_both_ensembles_and_is_replaced_in_time(plan, monkeypatch):
    monkeypatch.setattr(runner, "REPLICATIONS_PER_WORKER", 3)  # 6 replications per set of 2 processes
    pool = runner.AppPool(2, lambda: False)
    seen: list[set[int]] = []
    try:
        for n in (4, 2, 5):
            pool.report = lambda k: seen[-1].update(runner.live_processes())
            seen.append(set())
            ens = ad.run_ensemble(plan, n, 3, parameters=ad.DEFAULTS, pool=pool)
            assert ens.values.shape[0] == n
    finally:
        pool.close()
    assert seen[0] == seen[1] and not seen[2] & seen[0]  # 4 + 2 on the first processes, then fresh ones
    assert runner.live_processes() == []
    assert np.array_equal(ens.values, ad.run_ensemble(plan, 5, 3, workers=1).values)


# ------------------------------------------------------------------ uploads
def validate_line(path: Path, capsys) -> str:
    cwd = os.getcwd()
    os.chdir(path.parent)
    try:
        assert main(["validate", path.name]) == 2
    finally:
        os.chdir(cwd)
    return capsys.readouterr().err.strip()


@pytest.mark.parametrize("text", ["[scenario\nname = 1\n", "[scenario]\nname = \"x\"\n",
                                  PLAN.read_text("utf-8").replace("services_index = 0.5", "services_index = 1.5"),
                                  "extends = \"no-such-file.toml\"\n"])
def test_a_bad_upload_gives_the_validate_line(text, tmp_path, capsys):
    path = tmp_path / "broken.toml"
    path.write_text(text, "utf-8")
    with pytest.raises(ad.InputError) as err:
        ad.load_upload("broken.toml", text.encode("utf-8"), tmp_path / "results")
    line = f"innosim: error: {err.value}"
    assert line == validate_line(path, capsys)
    assert "\n" not in line and list((tmp_path / "results").iterdir()) == []  # the temporary copy is gone


def test_an_oversized_upload_is_refused_unread(tmp_path):
    with pytest.raises(ad.InputError, match="above the 1000000-byte limit"):
        ad.load_upload("big.toml", b"#" * (ad.MAX_FILE_BYTES + 1), tmp_path)


def test_a_good_upload_reads_like_the_file(tmp_path):
    assert ad.load_upload("plan.toml", PLAN.read_bytes(), tmp_path).digest() == ad.read_scenario(PLAN).digest()
    variant = ROOT / "scenarios" / "plan-budget-plus-30.toml"  # extends the plan: found in the library
    assert ad.load_upload("mine.toml", variant.read_bytes(), tmp_path).digest() == ad.read_scenario(variant).digest()
    assert list(tmp_path.iterdir()) == []


# ------------------------------------------------------------------ exports
def test_csv_has_a_bom_and_one_row_per_target(app_run):
    data = exports.csv_bytes(exports.targets_table(app_run, "zh"))
    assert data.startswith(b"\xef\xbb\xbf")
    rows = list(csv.reader(io.StringIO(data.decode("utf-8-sig"))))
    assert rows[0][:3] == ["目标编号", "指标代码", "指标"] and len(rows) == 1 + len(app_run.summary["targets"])
    by_id = {r[0]: r for r in rows[1:]}
    col = rows[0].index("达成概率")
    for tg in app_run.summary["targets"]:
        assert float(by_id[tg["id"]][col]) == tg["p_meet"]


def test_fan_data_and_xlsx(app_run):
    head, rows = exports.fan_table(app_run, "en")
    months = app_run.settings.scenario.months + 1
    assert len(rows) == months * len(outcome.fan_indicators(app_run))
    ht = [r for r in rows if r[0] == "high_tech"]
    assert ht[-1][4:9] == sorted(ht[-1][4:9]) and ht[-1][9] == 1500
    assert ht[-1][6] == pytest.approx(float(np.median(app_run.ensemble.series("high_tech")[:, -1])))
    from openpyxl import load_workbook

    wb = load_workbook(io.BytesIO(exports.xlsx_bytes({"fan-charts": (head, rows)})))
    assert wb["fan-charts"].max_row == len(rows) + 1


def test_the_chinese_exports_name_lights_and_units_in_chinese(app_run):
    """The Chinese target table gave its lights as 'amber' and the fan-chart data its units as 'firms'; the English
    tables are as they were."""
    head, rows = exports.targets_table(app_run, "zh")
    lights = [r[head.index("信号灯")] for r in rows]
    assert set(lights) <= {"绿灯", "黄灯", "红灯"} and len(lights) == len(app_run.summary["targets"])
    head, rows = exports.targets_table(app_run, "en")
    assert [r[head.index("light")] for r in rows] == [readings.light(x["p_meet"]) for x in app_run.summary["targets"]]
    for lang in LANGS:
        head, rows = exports.fan_table(app_run, lang)
        units = {r[0]: r[head.index(t("h_unit", lang))] for r in rows}
        assert units == {i: (ad.unit_name(ad.INDICATORS[i].unit, "zh") if lang == "zh" else ad.INDICATORS[i].unit)
                         for i in units}, lang
    named = {ad.unit_name(i.unit, "zh") for i in ad.INDICATORS.values()}  # every indicator's, not only the charts'
    assert not [u for u in named if re.search("[A-Za-z]", u)], named


def test_the_exports_give_an_about_target_the_threshold_measured(monkeypatch):
    """'400家左右' was exported as 400 beside a P(meet) counted from 380 (the run's table says '>= 400 (2026;
    about: >= 380 counts)'): the targets and fan-chart tables give both, the measured one beside the plan's."""
    from types import SimpleNamespace

    flat = {"baseline_p10": 1.0, "baseline_p90": 1.0}
    sme = {"id": "specialized-sme-2026", "indicator": "specialized_sme", "kind": "outcome", "year": 2026,
           "comparator": ">=", "threshold": 400.0, "tolerance": 0.05, "baseline": 283.0, "p10": 292.0, "p50": 345.0,
           "p90": 448.0, "p_meet": 0.375, "delivery": None, "quote": "“专精特新”企业达到400家左右"}
    listed = {**sme, "id": "listed-2026", "indicator": "listed", "threshold": 40.0, "tolerance": 0.0}
    result = SimpleNamespace(summary={"targets": [sme, listed], "indicators": {"specialized_sme": flat,
                                                                                 "listed": flat}}, differences=None)
    for lang in ("zh", "en"):
        head, rows = exports.targets_table(result, lang)
        measured = head.index(t("h_measured", lang))
        assert head[measured - 1] == t("h_threshold", lang)
        assert [r[measured - 1: measured + 1] for r in rows] == [[400.0, pytest.approx(380.0)], [40.0, 40.0]]
    months = [np.datetime64("2026-11-01").astype(object), np.datetime64("2026-12-01").astype(object)]
    quantiles = np.tile(np.array([[300.0], [320.0], [345.0], [370.0], [448.0]]), (1, 2))
    monkeypatch.setattr(exports, "fan_quantiles", lambda r: [("specialized_sme", months, quantiles, sme),
                                                             ("living_firms", months, quantiles, None)])
    head, rows = exports.fan_table(result, "en")
    assert head[9:12] == [t("h_threshold", "en"), t("h_measured", "en"), t("h_year", "en")]
    assert rows[-3][9:12] == [400.0, pytest.approx(380.0), 2026] and rows[-1][9:12] == ["", "", ""]


def test_the_scenario_toml_runs_unchanged(app_run, tmp_path, capsys):
    text = exports.scenario_toml(app_run.settings.scenario, 6, 11, "plan.toml", True)
    doc = tomllib.loads(text)
    assert doc["levers"]["municipal_platforms_per_year"] == 6.0 and doc["levers"]["budget"]["rent_subsidy"] == 9000.0
    assert doc["scenario"]["name"].endswith("-app") and "extends" not in doc
    assert doc["scenario"]["title"].endswith(" (app)") and doc["scenario"]["title_zh"].endswith("（app）")
    path = tmp_path / "s.toml"
    path.write_text(text, "utf-8")
    assert main(["validate", str(path)]) == 0
    assert ad.read_scenario(path).levers == app_run.settings.scenario.levers


def test_charts_zip(app_run):
    import zipfile

    names = zipfile.ZipFile(io.BytesIO(exports.charts_zip(app_run.folder))).namelist()
    assert "dashboard-zh.png" in names and all(n.endswith(".png") for n in names)


# ------------------------------------------------------------------ levers, targets, strings
def test_every_lever_of_the_schema_has_a_control_from_the_registry():
    assert set(controls.CONTROLS) == controls.schema_levers() == set(LEVERS) | {"adaptive"}
    assert {n for _, names in controls.GROUPS for n in names} == set(controls.CONTROLS)
    for name, c in controls.CONTROLS.items():
        assert c.zh and c.en and c.explain_zh and c.explain_en and c.unit_zh and c.unit_en, name
        assert c.per_year is False  # until the scenario format has per-year values
        if name == "adaptive":
            continue
        lv = LEVERS[name]
        assert (c.zh, c.en, c.explain_en, c.mechanism, c.mechanism_zh) == (lv.zh, lv.en, lv.explain, lv.mechanism,
                                                                          lv.mechanism_zh)
        assert tuple(e.name for e in c.effects) == lv.effects


def test_an_effect_cites_the_evidence_rows_of_its_parameter():
    from model.parameters import PARAMETERS

    reward = controls.CONTROLS["budget.rd_growth_reward"]
    take_up = next(e for e in reward.effects if e.name == "rd_reward_take_up_size")
    p = PARAMETERS["rd_reward_take_up_size"]
    assert (take_up.central, take_up.range, take_up.source) == (p.value, p.range, p.source)
    assert [r.id for r in take_up.evidence] == list(p.evidence) and p.evidence
    with (ROOT / "calibration" / "data" / "policy-evidence.csv").open(encoding="utf-8", newline="") as f:
        studies = {r["id"]: r["source"] for r in csv.DictReader(f)}
    assert [r.reference for r in take_up.evidence] == [studies[i] for i in p.evidence]


def evidence_text(scenario, lang: str) -> dict[str, list[str]]:
    """What each lever's "Mechanism and evidence" section (机制与依据) shows, lever by lever."""
    from model.app.lever_panel import Evidence

    return {name: rendered_text(Evidence(c, scenario, lang)) for name, c in controls.CONTROLS.items()
            if c.kind == "number"}


def test_the_chinese_lever_panel_gives_mechanisms_and_effects_in_chinese(plan):
    """The section was English under a Chinese heading: line by line it now says in Chinese what the English page
    says, with the same figures, units, evidence ids and parameter names; the studies' references are the same."""
    from test_zh_texts import ENGLISH, KEPT, says_the_same

    zh, en = evidence_text(plan, "zh"), evidence_text(plan, "en")
    def cited(name: str) -> list[str]:
        return [" — ".join(x for x in (r.id, r.reference, r.url) if x)
                for e in controls.CONTROLS[name].effects for r in e.evidence]

    studies = {s for name in zh for s in cited(name)}
    assert studies and len(zh) == len(LEVERS)
    for name, lines in zh.items():
        assert [s for s in lines if s in studies] == cited(name), name  # every study each effect cites, in order
        assert len(lines) == len(en[name]), name
        for z, e in zip(lines, en[name], strict=True):
            if e in studies:  # a study's reference as it was published, on both pages
                assert z == e, name
                continue
            says_the_same(e, z)
    left = [s for lines in zh.values() for s in lines if s not in studies and ENGLISH.findall(KEPT.sub(" ", s))]
    assert not left, left
    # the English page as it was: the registry's mechanism and each parameter's label and source
    reward = controls.CONTROLS["budget.rd_growth_reward"]
    assert f"How the model uses it: {reward.mechanism}" in en[reward.name]
    assert f"{t('mechanism', 'zh')}{LEVERS[reward.name].mechanism_zh}" in zh[reward.name]
    for e in reward.effects:
        assert e.source in en[reward.name] and e.source_zh in zh[reward.name], e.name
        assert any(s.startswith(f"{e.label} ({e.name}): central ") for s in en[reward.name]), e.name
        assert any(s.startswith(f"{e.label_zh}（{e.name}）：中心值 ") for s in zh[reward.name]), e.name
    # a channel acts through what it pays for; the adaptive shift, which pays for nothing, moves budget between them
    assert t("no_effects", "en") in en["budget.platform_grant"] and t("no_effects", "en") not in en["adaptive_shift"]
    assert t("no_effects_shift", "en") in en["adaptive_shift"] and t("no_effects_shift", "zh") in zh["adaptive_shift"]


def test_slider_spans_contain_the_plan(plan):
    for name in controls.CONTROLS:
        lo, hi = controls.slider_range(plan, name)
        assert lo <= controls.plan_value(plan, name) <= hi


def test_a_lever_out_of_bounds_names_the_lever(plan):
    with pytest.raises(ad.InputError, match="services_index"):
        controls.with_values(plan, {"services_index": 2.0})
    with pytest.raises(ad.InputError, match=r"levers: budget\.rent_subsidy: "):
        controls.with_values(plan, {"budget.rent_subsidy": -1.0})
    with pytest.raises(ad.InputError, match="attracted_firms_per_year@2025: per-year values are not in the scenario"):
        controls.with_values(plan, {"attracted_firms_per_year@2025": 60.0})


def test_a_count_brings_its_grant_and_the_channel_shows_what_runs(plan):
    grant = unit_grant(plan, "municipal_platforms_per_year")
    six = {"municipal_platforms_per_year": 6.0}
    more = controls.with_values(plan, six)
    assert more.levers == with_levers(plan, six).levers  # the analyses' semantics, unchanged
    assert more.levers.budget.platform_grant == plan.levers.budget.platform_grant + 3 * grant
    assert controls.followed(plan, six) == {"budget.platform_grant": 3 * grant}
    assert controls.shown_value(plan, six, "budget.platform_grant") == more.levers.budget.platform_grant
    # a channel typed on the page runs as typed: it is kept as its own value, less the counts' grants
    own = controls.stored_value(plan, six, "budget.platform_grant", 12_000.0)
    typed = {**six, "budget.platform_grant": own}
    assert own == 12_000.0 - 3 * grant and controls.shown_value(plan, typed, "budget.platform_grant") == 12_000.0
    assert controls.with_values(plan, typed).levers.budget.platform_grant == 12_000.0
    assert not controls.floor_raised(plan, typed, "budget.platform_grant")
    # below what the counts need, the channel holds what they need (levers.channel_follows_counts)
    low = {**six, "budget.platform_grant": controls.stored_value(plan, six, "budget.platform_grant", 4000.0)}
    assert controls.with_values(plan, low).levers.budget.platform_grant > 4000.0
    assert controls.floor_raised(plan, low, "budget.platform_grant")
    assert controls.with_values(plan, {"budget.rent_subsidy": 0.0}).levers.budget.rent_subsidy == 0.0


def test_the_scenario_file_says_which_levers_the_page_changed(app_run):
    s = app_run.settings
    text = exports.scenario_toml(s.scenario, 6, 11, "plan.toml", True, s.reference)
    grant = unit_grant(s.reference, "municipal_platforms_per_year")
    assert "municipal_platforms_per_year = 6.0  # set in the app; the plan's: 3" in text
    assert f"the plan's: {s.reference.levers.budget.platform_grant:g}; the counts set in the app move it by " \
        f"+{3 * grant:g}" in text
    assert "rent_subsidy = 9000.0  # set in the app; the plan's: 6000" in text


def test_target_kinds_and_marks_are_the_reports(app_run):
    summary = app_run.summary
    assert [r["id"] for r in outcome.target_rows(app_run, "en")] == [x["id"] for x in report.outcomes(summary)]
    promised = outcome.commitment_rows(app_run, "zh")
    assert [r["id"] for r in promised] == [x["id"] for x in report.commitments(summary)]
    assert {r["id"] for r in promised} == {"talents-placed-2026", "scenarios-published-2026",
                                            "scenarios-for-attracted-2026"}
    # the arithmetic in the page's language, as report.md gives it; summary.json keeps the English
    assert all("年 =" in r["delivery"] and "years" not in r["delivery"] for r in promised), promised
    assert all(r["delivery"] == x["delivery"] and "years =" in r["delivery"]
               for r, x in zip(outcome.commitment_rows(app_run, "en"), report.commitments(summary), strict=True))
    marks = {r["id"]: r["baseline"] for r in outcome.target_rows(app_run, "zh")}
    for x in report.outcomes(summary):  # the same marks as the report's baseline cell
        assert marks[x["id"]].endswith(report._baseline_cell(summary, x)[len(report.fmt(x["indicator"],
                                                                                          x["baseline"])):])
    assert marks["high-tech-2026"].endswith("†") and not marks["upgrades-2026"].endswith("†")


def test_money_by_channel_is_the_summarys(app_run):
    rows = {r["id"]: r for r in outcome.money_rows(app_run.summary, "zh")}
    assert set(rows) == set(app_run.summary["money"]) and list(rows)[-1] == "total"
    m = app_run.summary["money"]["platform_grant"]
    assert rows["platform_grant"]["budgeted"] == f"{m['budgeted']['p50'] / 1e4:,.1f}"  # 亿元, in the column head
    assert outcome.money_rows(app_run.summary, "en")[0]["budgeted"] == \
        f"{app_run.summary['money']['guidance_fund_equity']['budgeted']['p50'] / 1e5:,.2f}"  # bn yuan
    head, table = exports.money_table(app_run, "en")
    assert head[0] == "channel id" and [r[0] for r in table] == list(app_run.summary["money"])
    sentence_en, sentence_zh = (ad.money_sentence(app_run.summary, x, page=True) for x in ("en", "zh"))
    assert sentence_en.split(":")[0] == report.money_sentence(app_run.summary, "en").split(":")[0]
    assert sentence_zh and "亿元" in sentence_zh and "bn yuan" in sentence_en  # the page's amounts
    assert sentence_zh == report.money_sentence(app_run.summary, "zh")  # one sentence: the page's, the terminal's


def rendered_text(element) -> list[str]:
    """Every string a part of the page shows, rendered without a browser (its widgets' text, folded parts too)."""
    import solara

    def walk(widget) -> list[str]:  # in the page's order
        return [s for c in getattr(widget, "children", None) or () for s in ([c] if isinstance(c, str) else walk(c))]

    box, rc = solara.render(element, handle_error=False)
    out = walk(box)
    rc.close()
    return out


def panel_text(result, lang: str) -> list[str]:
    """Every string the result panel shows."""
    from model.app.result_panel import Results

    return rendered_text(Results(result, lang))


@pytest.fixture(scope="module")
def panels(app_run):
    return {lang: panel_text(app_run, lang) for lang in LANGS}


def test_the_result_panel_lists_the_known_limits_of_the_targets_in_both_languages(app_run, panels):
    summary = app_run.summary
    limited = [i for i in dict.fromkeys(x["indicator"] for x in summary["targets"]) if i in report.KNOWN_LIMITS]
    assert limited == ["high_tech", "specialized_sme", "upgrades_cum", "listed", "rd_vs_baseline", "rd_intensity"]
    for lang, text in panels.items():
        title = t("known_limits", lang, n=6, indicators="6 indicators", their="their")
        assert title in text and t("known_limits_intro", lang) in text, lang
        lines = [s for s in text if s.startswith("‡ ") and s != title]
        assert lines == [f"‡ {ad.indicator_name(i, lang)} ({i}): {report.KNOWN_LIMITS[i][lang]}" for i in limited], lang
    assert text.index(title) < text.index(lines[0])
    assert [s.removeprefix("‡ ") for s in outcome.limit_lines(summary, "zh")] == report.known_limits(summary, lang="zh")
    # the Chinese page shows them in Chinese, and no longer apologises for English text below a Chinese heading
    assert "英文" not in t("known_limits_intro", "zh")
    assert not [s for s in panels["zh"] for i in limited if report.KNOWN_LIMITS[i]["en"] in s]
    md = (app_run.folder / "report.md").read_text("utf-8")  # the briefing of a run on the Chinese page: the same
    limits = [report.KNOWN_LIMITS[i] for i in limited]
    assert all(d["zh"] in md and d["en"] not in md for d in limits)
    assert "do not quote their P(meet) alone" in panels["en"][panels["en"].index(title)]
    names = {r["indicator"]: r["name"] for r in outcome.target_rows(app_run, "zh")}  # marked as in the dashboard
    assert [i for i, name in names.items() if name.endswith("‡")] == limited
    none_limited = {**summary, "targets": [x for x in summary["targets"] if x["indicator"] not in limited]}
    assert outcome.limit_lines(none_limited, "en") == []


def test_a_small_run_says_how_far_its_p_meet_may_be_off_and_a_large_one_does_not(app_run, panels):
    assert app_run.summary["replications"] == 6  # binomial standard error at 50%: 100 sqrt(0.25 / 6) = 20.4 points
    assert ("Few runs: each P(meet) from 6 runs is uncertain by about ±20 points (its binomial standard error at "
            "50%); use at least 200 runs for a briefing.") in panels["en"]
    assert ("模拟次数较少：基于 6 次模拟的每个达成概率约有 ±20 个百分点的不确定性（达成概率为 50% 时的二项标准误）；"
            "用于简报请至少模拟 200 次。") in panels["zh"]
    assert [readings.p_meet_error(n) for n in (1, 4, 50, 99, 200)] == [50, 25, 7, 5, 4]
    targets = app_run.summary["targets"]
    assert "from 1 run is" in ad.few_runs_note({"replications": 1, "targets": targets}, "en")
    assert ad.few_runs_note({"replications": 99, "targets": targets}, "zh")
    assert not ad.few_runs_note({"replications": 100, "targets": targets}, "en")
    # no P(meet) on the page: no outcome target (none, or only commitments, which a lever delivers by arithmetic)
    promised = [x for x in targets if x.get("kind") == "commitment"]
    assert not ad.few_runs_note({"replications": 6, "targets": []}, "en")
    assert promised and not ad.few_runs_note({"replications": 6, "targets": promised}, "en")
    large = replace(app_run, summary={**app_run.summary, "replications": 200})
    for lang in LANGS:
        text = panel_text(large, lang)
        assert not [s for s in text if "±" in s], lang
        assert t("known_limits_intro", lang) in text  # the rest of the panel is there


def test_the_known_limits_stay_open_when_the_comparison_arrives(app_run):
    import ipyvuetify as v
    import solara

    from model.app.result_panel import Results

    shown = solara.reactive(replace(app_run, differences=None))  # the page while the plan still runs

    @solara.component
    def Panel():
        Results(shown.value, "en")

    _, rc = solara.render(Panel(), handle_error=False)
    rc.find(v.ExpansionPanels).widget.v_model = 0  # the planner opens the fold
    shown.value = app_run  # the comparison's line arrives above it
    assert rc.find(v.Html, class_="innosim-headline innosim-head-compare").widgets
    assert rc.find(v.ExpansionPanels).widget.v_model == 0
    rc.close()


def test_an_unreadable_posterior_means_the_defaults(tmp_path, monkeypatch):
    from model.analysis import calibration

    (tmp_path / "posterior.csv").write_text("not_a_parameter,weight\n1,1\n", "utf-8")
    monkeypatch.setattr(calibration, "CALIBRATION_DIR", tmp_path)
    source, note = ad.parameter_source("posterior")
    assert source is ad.DEFAULTS and "not_a_parameter" in note
    monkeypatch.setattr(calibration, "CALIBRATION_DIR", tmp_path / "none")
    assert ad.parameter_source("posterior") == (ad.DEFAULTS, "missing")


def test_every_string_in_both_languages_with_glyphs():
    from fontTools.ttLib import TTFont

    for key, d in TEXT.items():
        assert set(d) == set(LANGS), key
        assert d["zh"] != d["en"] or key.startswith(("col_range", "h_p")), key
    cmap = TTFont(str(ad.font_file()), lazy=True).getBestCmap()
    from model.app.inside import LABELS

    strings = all_strings() + [v for d in LABELS.values() for v in d.values()]
    missing = {c for s in strings for c in s if ord(c) not in cmap and not c.isspace()}
    assert not missing


def test_headline_in_both_languages_counts_as_the_report(app_run):
    zh, en = (ad.headline(app_run.summary, lang, page=True) for lang in ("zh", "en"))
    assert "在本情景下，12 个量化成果目标中" in zh and "3 项政府承诺" in zh
    counts = report.headline(app_run.summary, "en").split("Of the plan's ")[1].split(" under this scenario")[0]
    assert "Of the " + counts in en
    # the report's Chinese headline is the page's, but for the plan's targets and its names in Chinese
    assert report.headline(app_run.summary, "zh").startswith("在本情景下，规划的 12 个量化成果目标中")
    assert "Its 3 commitments" in en and "marked †" in en
    assert t("head_compare", "en", up=1, down=0).startswith("Against the plan")


def test_the_page_says_the_reports_sentences_in_its_own_names_and_amounts():
    """The page's money sentence and headline are built by the report's builder (model/output/phrases.py) and read as
    they did when the page had its own copy: its names in its language, billions of yuan in English, 'Of the N
    targets' and the charts below where the report says 'the plan's' and points to its context table."""
    def ledger(budgeted: float, paid: float) -> dict:
        q = lambda v: {"p10": v, "p50": v, "p90": v}  # noqa: E731
        return {"budgeted": q(budgeted), "paid": q(paid), "unspent_share": q(1 - paid / budgeted)}

    idle = {"targets": [], "money": {"platform_grant": ledger(10000, 8000), "total": ledger(10000, 8000)},
            "indicators": {"platforms_awaiting_grant": {"p10": 1, "p50": 2, "p90": 3}}}
    assert ad.money_sentence(idle, "zh", page=True) == (
        "方案的资金并不构成约束：期内 1.0亿元 中有 20% 未被使用（P50，P10–P90 20–20%）："
        "向这些未用完的渠道追加资金本身不会带来任何效果（平台资助未用 20%）。"
        "期末仍有 2 个按平台杠杆到期的平台在等待资助（P50；P10–P90 1–3）："
        "其资助额超过了当年平台资助的余额（资金不结转），因此平台资金未用完与平台缺口同时存在。")
    assert ad.money_sentence(idle, "en", page=True) == (
        "The plan's money does not bind: 20% of its 0.10 bn yuan over the horizon is left unspent (P50, P10-P90 "
        "20-20%): more money in the channels that leave it unspent buys nothing by itself (platform grants 20% "
        "unspent). 2 platforms due under the platform levers are still waiting for a grant at the end of the horizon "
        "(P50; P10-P90 1-3): each cost more than the platform grants had left in its year (money does not roll "
        "over), so unspent platform money and missing platforms go together.")
    assert ad.headline(idle, "zh", page=True) == "本情景没有量化目标，预测见下方图表。"
    assert ad.headline(idle, "en", page=True) == ("This scenario sets no quantified targets: see the projections in "
                                                  "the charts below.")
    assert not set(TEXT) & set(ad.PHRASES)  # t() finds a key in one table only


def test_headlines_agree_in_number_with_one_target_and_one_commitment(app_run):
    summary = dict(app_run.summary)
    target = report.outcomes(summary)[0]
    summary["targets"] = [target, report.commitments(summary)[0]]
    light = report.light(target["p_meet"])
    for text in (report.headline(summary, "en"), ad.headline(summary, "en", page=True)):
        assert "single quantified outcome target, " in text and "Its 1 commitment (" in text, text
        assert ") is delivered" in text and "1 is " + {"green": "likely", "amber": "uncertain",
                                                           "red": "unlikely"}[light] in text, text
        assert "0 are " in text
        if report.from_plan(target):
            assert " 1 of the outcome targets is read" in text


# ------------------------------------------------------------------ the command
def test_app_command_warns_beyond_loopback_and_refuses_a_busy_port(monkeypatch, capsys, tmp_path):
    import socket

    from model.app import server

    calls = []
    monkeypatch.setattr(server, "serve", lambda *a: calls.append(a) or 0)
    assert main(["app", "--host", "0.0.0.0", "--port", "9", "--out", str(tmp_path / "a")]) == 0
    assert "innosim: warning: the app listens on 0.0.0.0" in capsys.readouterr().err
    assert main(["app", "--out", str(tmp_path / "a")]) == 0 and calls[-1][0] == "127.0.0.1"
    assert capsys.readouterr().err == ""
    monkeypatch.undo()
    with socket.socket() as busy:
        busy.bind(("127.0.0.1", 0))
        busy.listen()
        port = busy.getsockname()[1]
        assert main(["app", "--port", str(port), "--out", str(tmp_path / "b")]) == 2
    err = capsys.readouterr().err.strip()
    assert err.startswith(f"innosim: error: 127.0.0.1:{port}: --host/--port: cannot listen there") and "\n" not in err


def test_inside_one_run_is_the_ensembles_replication(plan):
    from model.app import inside

    months: list[int] = []
    collector = inside.run(plan, 2, 11, ad.DEFAULTS, lambda k, n: months.append(k), lambda: False)
    table = collector.get_model_vars_dataframe()
    assert len(table) == plan.months + 1 and months[-1] == plan.months
    assert set(table.columns) == set(inside.LABELS)
    sizes = table[[k for k, _, _ in ad.SIZE_CLASSES]].sum(axis=1)
    ens = ad.run_ensemble(plan, 3, 11, workers=1)
    assert list(sizes) == list(ens.series("living_firms")[2])  # every living firm in one size class, same draws
    assert table["high_tech_gained"].sum() > 0 and table["in_pool"].max() > 0
    view = inside.View(collector, ad.months(plan), "zh")
    assert "高企：新获认定" in view.datacollector.get_model_vars_dataframe().columns
