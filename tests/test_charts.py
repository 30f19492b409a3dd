"""Charts: every label renders with real glyphs; runs and `innosim chart` write the briefing."""

from __future__ import annotations

import html
import json
import re
import warnings
from collections import defaultdict

import pytest
from conftest import PLAN

from model.cli import main
from model.indicators import INDICATORS
from model.output import labels, plotting
from model.output.limits import KNOWN_LIMITS
from model.output.phrases import say


def test_every_label_string_renders_without_missing_glyphs(tmp_path):
    import matplotlib.pyplot as plt

    plotting.use_cjk_font()
    fig, ax = plt.subplots()
    with warnings.catch_warnings():
        warnings.filterwarnings("error", message=".*[Gg]lyph.*missing.*")
        for i, s in enumerate(labels.all_strings()):
            ax.text(0, i, s.format_map(defaultdict(lambda: "情景 2026", cmp=">=")))
        fig.savefig(tmp_path / "glyphs.png")
        fig.savefig(tmp_path / "glyphs.svg")
    plt.close(fig)


def test_the_glyph_check_would_catch_a_font_without_chinese(tmp_path):
    import matplotlib
    import matplotlib.pyplot as plt

    with matplotlib.rc_context({"font.family": "sans-serif", "font.sans-serif": ["DejaVu Sans"]}):
        fig, ax = plt.subplots()
        ax.text(0, 0, "高新技术企业")
        with pytest.warns(UserWarning, match="[Gg]lyph"):
            fig.savefig(tmp_path / "boxes.png")
        plt.close(fig)


def test_every_chart_string_has_both_languages():
    for key, d in labels.TEXT.items():
        assert set(d) == set(labels.LANGS), key
        words = re.sub(r"\{[^}]*\}", "", d["zh"])  # what is left once the placeholders are filled
        assert any("\u4e00" <= c <= "\u9fff" for c in words) or not re.search("[a-z]{3}", words) or key == "p50", key


@pytest.fixture(scope="module")
def two_runs(tmp_path_factory):
    root = tmp_path_factory.mktemp("charts")
    a, b = root / "plan", root / "none"
    from conftest import NO_PLAN
    assert main(["run", str(PLAN), "-n", "6", "--workers", "1", "--out", str(a)]) == 0
    assert main(["run", str(NO_PLAN), "-n", "6", "--workers", "1", "--out", str(b), "--lang", "en"]) == 0
    return a, b


def test_fan_charts_carry_the_scenario_title_in_their_language(two_runs):
    """A fan chart's subtitle names the scenario: its title_zh in a Chinese chart, its title in an English one (the
    SVG keeps each text as a comment beside its glyphs)."""
    a, b = two_runs
    for folder, lang, n in ((a, "zh", "{}，6 次模拟"), (b, "en", "{}, 6 replications")):
        summary = json.loads((folder / "summary.json").read_text("utf-8"))
        svg = (folder / "charts" / f"fan-high_tech-{lang}.svg").read_text("utf-8")
        title = summary["title_zh"] if lang == "zh" else summary["title"]
        assert f"<!-- {html.escape(n.format(title), quote=False)} -->" in svg, lang
    assert summary["title_zh"] not in svg


def test_run_writes_charts_and_a_self_contained_html(two_runs):
    a, b = two_runs
    pngs = sorted(p.name for p in (a / "charts").glob("*.png"))
    assert "dashboard-zh.png" in pngs and "fan-high_tech-zh.png" in pngs and len(pngs) == 16
    assert (b / "charts" / "fan-high_tech-en.png").is_file()
    html = (a / "report.html").read_text("utf-8")
    assert html.count("data:image/png;base64,") == 16 and "高新技术企业" in html and 'src="charts/' not in html
    md = (a / "report.md").read_text("utf-8")
    assert "## 图表" in md and "charts/dashboard-zh.png" in md and 'html lang="zh"' in html
    assert "## Charts" in (b / "report.md").read_text("utf-8")
    assert 'html lang="en"' in (b / "report.html").read_text("utf-8")


def limit_lines(md: str, lang: str) -> list[str]:
    """The list items of report.md's section of known limits (its heading in the report's language)."""
    section = md.split(f"## {say('h_limits', lang)}\n\n", 1)[1].split("\n\n", 1)[0]
    return section.splitlines()


def test_the_report_gives_the_known_limits_in_its_language(two_runs):
    """The Chinese report (innosim run's default) had the limits in English under the Chinese names; now each
    report has them in its language, the indicators named in Chinese in both as in its tables."""
    for folder, lang, other in ((two_runs[0], "zh", "en"), (two_runs[1], "en", "zh")):
        md = (folder / "report.md").read_text("utf-8")
        page = (folder / "report.html").read_text("utf-8")
        summary = json.loads((folder / "summary.json").read_text("utf-8"))
        limited = [i for i in dict.fromkeys(t["indicator"] for t in summary["targets"]) if i in KNOWN_LIMITS]
        assert limited == ["high_tech", "specialized_sme", "upgrades_cum", "listed", "rd_vs_baseline", "rd_intensity"]
        assert limit_lines(md, lang) == [f"- {INDICATORS[i].zh} ({i}): {KNOWN_LIMITS[i][lang]}" for i in limited], lang
        for i in limited:
            assert KNOWN_LIMITS[i][other] not in md, (lang, i)
            assert html.escape(KNOWN_LIMITS[i][lang]) in page and html.escape(KNOWN_LIMITS[i][other]) not in page


# ------------------------------------------------------------------ report.md in the language of --lang
# A figure as written (1,235, 6.09, 2026; a range or a date gives its parts): every one the English gives must be in
# the Chinese, as often
NUMBER = re.compile(r"\d(?:[\d,.]*\d)?")
# An English phrase: four words or more with nothing Chinese between them
ENGLISH = re.compile(r"[A-Za-z][A-Za-z'&]*(?:[\s,;:()/+\-]+[A-Za-z][A-Za-z'&]*){3,}")
# What a Chinese report keeps as it is: code spans, and ids and file names (a digit, an underscore or a dot in them:
# high_tech, PE31, bj-rd-2019, budget.platform_grant, calibration/data/policy-evidence.csv)
KEPT = re.compile(r"`[^`]*`|[A-Za-z0-9_.\-/]*(?:\d|_|\.[a-z])[A-Za-z0-9_.\-/]*")
HEADINGS = ("h_headline", "h_targets", "commitments", "money", "h_limits", "h_charts", "h_context", "h_levers",
            "h_estimates", "h_sourced", "h_sources")


def _reports(folder) -> tuple[dict, dict[str, str]]:
    """A run's report.md in both languages, from its one summary.json and scenario.json (as `innosim chart --lang`
    draws it; read from the files, as a test below redraws the folder's report.md in English)."""
    from model.output.briefing import with_charts
    from model.output.report import markdown
    from model.scenario import parse_scenario

    summary = json.loads((folder / "summary.json").read_text("utf-8"))
    scenario = parse_scenario(json.loads((folder / "scenario.json").read_text("utf-8")), "scenario.json")
    return summary, {lang: with_charts(markdown(summary, scenario, lang), summary, lang) for lang in ("zh", "en")}


def _sections(md: str) -> list[tuple[str, str]]:
    """(heading, text) of every '## ' section, the title and the run's line first (heading '')."""
    parts = re.split(r"^## (.*)$", md, flags=re.M)
    return [("", parts[0]), *zip(parts[1::2], parts[2::2], strict=True)]


def _english(text: str) -> list[str]:
    return [m for line in text.splitlines() for m in ENGLISH.findall(KEPT.sub(" ", line))]


@pytest.mark.parametrize("which", [0, 1])
def test_a_chinese_report_gives_every_figure_the_english_one_gives(two_runs, which):
    """The same run rendered in both languages (the plan with its targets, the no-plan run without): section by
    section, under each other's headings, the same figures as often, so a translation that drops, adds or mistypes a
    figure fails; and it has hundreds of them to keep, not a handful."""
    _, md = _reports(two_runs[which])
    zh, en = _sections(md["zh"]), _sections(md["en"])
    heading = {say(k, "en"): say(k, "zh") for k in HEADINGS}
    heading |= {say("h_effects", "en", how=say(h, "en")): say("h_effects", "zh", how=say(h, "zh"))
                for h in ("effects_drawn", "effects_held")}
    assert [heading.get(h, h) for h, _ in en] == [h for h, _ in zh] and len(zh) >= 11
    summary = json.loads((two_runs[which] / "summary.json").read_text("utf-8"))  # the title is the scenario's own
    titles = (zh[0][1].split("\n", 1)[0], en[0][1].split("\n", 1)[0])
    assert titles == (f"# {summary['title_zh']}", f"# {summary['title']}")
    figures = 0
    for (h, z), (_, e) in zip(zh, en, strict=True):
        assert z != e or not z.strip(), h
        assert sorted(NUMBER.findall(z)) == sorted(NUMBER.findall(e)), h
        figures += len(NUMBER.findall(e))
    assert figures > 400, figures


@pytest.mark.parametrize("which", [0, 1])
def test_a_chinese_report_has_no_english_sentence_left(two_runs, which):
    """Every sentence, heading, note and table head of report.md in Chinese, the lever effects and the profile's
    reasoning too: what is left in Latin letters is ids, figures, file names, R&D and GDP. The title too: the
    scenario's title_zh."""
    _, md = _reports(two_runs[which])
    body = md["zh"]
    assert not _english(body), _english(body)
    assert len(_english(md["en"])) > 100  # a check on the check: it finds the English report's sentences
    assert sum("\u4e00" <= c <= "\u9fff" for c in body) > 3 * len(re.findall("[A-Za-z]", KEPT.sub("", body)))


def test_an_english_report_is_written_as_before(two_runs):
    """--lang en writes report.md as it did: English headings, table heads and notes beside the plan's Chinese names
    and quotes (two changes: the commitments' note starts with a capital, the sentence the page shows, and the money
    sentences name the channels in Chinese, as the money table does), and none of the Chinese report's sentences."""
    from model.output.phrases import PHRASES

    summary, md = _reports(two_runs[0])
    lines = md["en"].splitlines()
    assert re.findall(r"^## (.*)$", md["en"], flags=re.M) == [
        "Headline", "Targets", "Commitments (delivered by a lever)",
        "Money by channel (budgeted, paid, unspent over the horizon)", "Known limits of the model for these targets",
        "Charts", "Context at the horizon", "Levers",
        "Lever effects (drawn per replication, triangular over the range and peaked at the central value)",
        "Baseline estimates (drawn per replication from these ranges)", "Sourced baseline values", "Sources"]
    assert lines[2] == (f"Scenario `sanliang-qisheng-2024-2026` ({summary['scenario_file']}), profile `tongzhou-2023`, "
                        f"2024-01 to 2026-12, 6 replications, seed 20240227, scenario hash "
                        f"`{summary['scenario_hash']}`, commit `{summary['git_commit']}`.")
    assert lines[6].startswith("Of the plan's 12 quantified outcome targets, ")
    assert "Its 3 commitments (服务企业" in lines[6]
    for line in ("| 指标 indicator | 基期 baseline | 目标 target | P50 | P10-P90 | P(meet) | | 原文 quote |",
                 "| 承诺事项 commitment | 目标 target | delivered | by the lever | 原文 quote |",
                 "| channel 渠道 | budgeted P50 | paid P50 [P10 - P90] | unspent [P10 - P90] |",
                 "| indicator | baseline | P50 | P10-P90 |", "| lever | value |", "| adaptive | False |",
                 "| parameter | central | range | unit | evidence | levers |",
                 "| quantity | range | unit | reasoning |",
                 "\\* baseline not published: drawn per replication from its documented range (median shown).",
                 "**Few runs: each P(meet) from 6 runs is uncertain by about ±20 points (its binomial standard error "
                 "at 50%); use at least 200 runs for a briefing.**",
                 "Commitments: a lever delivers them by arithmetic (the count it sets each year); meeting them is no "
                 "finding of the model.",
                 "- calibration/data/public-figures.csv rows cited by id in the profile."):
        assert line in lines, line
    assert any(line.startswith("| 服务企业引进人才(累计) (talents_placed_cum) | >= 100 (2026) | 105 | "
                               "talents_placed_per_year 35 a year x 3 years = 105 |") for line in lines)
    chinese = [part for key, d in PHRASES.items() if not key.startswith("th_")
               for part in re.findall("[\u4e00-\u9fff]{4,}", re.sub(r"\{[^}]*\}", " ", d["zh"]))]
    assert len(chinese) > 50 and not [part for part in chinese if part in md["en"]]


def _files(folder):
    return {p.relative_to(folder): p.read_bytes() for p in sorted(folder.rglob("*")) if p.is_file()}


def test_comparing_folders_leaves_them_as_they_are_and_warns_when_they_differ(two_runs, tmp_path, capsys):
    """`chart A B` once redrew both folders' reports in Chinese, replacing an English one, and compared runs of other
    seeds and replications without a word: now it writes the comparison only, and says what differs."""
    import json
    import shutil

    a, b = two_runs  # a drawn in Chinese, b in English; both seed 20240227, 6 replications, 2024-01 to 2026-12
    c = tmp_path / "other"
    shutil.copytree(a, c)
    summary = json.loads((c / "summary.json").read_text("utf-8"))
    (c / "summary.json").write_text(json.dumps({**summary, "seed": 1, "replications": 20}), "utf-8")
    before = {f: _files(f) for f in (a, b, c)}
    capsys.readouterr()
    assert main(["chart", str(a), str(b), "--out", str(tmp_path / "same")]) == 0
    assert capsys.readouterr().err == ""  # alike: no warning
    assert main(["chart", str(a), str(c), str(b), "--out", str(tmp_path / "unlike")]) == 0
    out, err = capsys.readouterr()
    assert err == ("innosim: warning: the folders differ in seed (20240227, 1, 20240227) and replications (6, 20, 6), "
                   "in the order given: their bands are not like for like\n")
    assert "the folders compared are unchanged" in out
    assert {f: _files(f) for f in (a, b, c)} == before
    assert (tmp_path / "unlike" / "comparison-zh.png").is_file()  # zh and en folders: the default language


def test_chart_command_keeps_a_folders_language_unless_told(two_runs, tmp_path, capsys):
    import shutil

    a, b = two_runs
    for folder, lang, other in ((a, "zh", "en"), (b, "en", "zh")):
        copy = tmp_path / folder.name
        shutil.copytree(folder, copy)
        assert main(["chart", str(copy)]) == 0
        assert capsys.readouterr().out.strip().endswith(f"({lang})")
        md = (copy / "report.md").read_text("utf-8")
        assert f"charts/dashboard-{lang}.png" in md and f"-{other}.png" not in md
        assert not list((copy / "charts").glob(f"*-{other}.png"))
    assert main(["chart", str(a), "--lang", "en"]) == 0
    assert (a / "charts" / "dashboard-en.png").is_file() and "charts/dashboard-en.png" in (a / "report.md").read_text()
    # the report redrawn in English has its limits in English too
    redrawn = (a / "report.md").read_text()
    assert f"- 上市挂牌企业 (listed): {KNOWN_LIMITS['listed']['en']}" in limit_lines(redrawn, "en")
    out = tmp_path / "cmp"
    assert main(["chart", str(a), str(b), "--out", str(out)]) == 0  # both now English: so is their comparison
    assert (out / "comparison-en.png").is_file() and (out / "comparison-en.svg").is_file()


def test_chart_command_rejects_a_folder_that_is_not_results(tmp_path, capsys):
    assert main(["chart", str(tmp_path)]) == 2
    err = capsys.readouterr().err
    assert "summary.json" in err and len(err.strip().splitlines()) == 1


def test_comparing_folders_without_targets_or_into_a_file_is_one_line(two_runs, tmp_path, capsys):
    import json
    import shutil

    a, b = two_runs
    bare = tmp_path / "bare"
    shutil.copytree(a, bare)
    summary = json.loads((bare / "summary.json").read_text("utf-8"))
    (bare / "summary.json").write_text(json.dumps({**summary, "targets": []}), "utf-8")
    capsys.readouterr()
    assert main(["chart", str(bare), str(b), "--out", str(tmp_path / "cmp")]) == 2
    err = capsys.readouterr().err
    assert err == f"innosim: error: {bare}: summary.json: the scenario has no targets: a comparison charts targets\n"
    a_file = tmp_path / "a-file"
    a_file.write_text("x")
    assert main(["chart", str(a), str(b), "--out", str(a_file)]) == 2
    err = capsys.readouterr().err
    assert len(err.strip().splitlines()) == 1 and "--out: cannot write the comparison" in err, err


def test_dashboard_hatches_and_marks_the_targets_with_a_known_limit():
    """A briefing that shows only the dashboard must not present a probability the backtest disowns as a finding."""
    rows = [{"indicator": ind, "p_meet": p, "comparator": ">=", "threshold": 10.0, "year": 2026}
            for ind, p in (("specialized_sme", 0.92), ("joint_labs", 0.3))]
    assert "specialized_sme" in KNOWN_LIMITS and "joint_labs" not in KNOWN_LIMITS
    for lang in ("zh", "en"):
        fig = plotting.dashboard(rows, lang)
        ax = fig.axes[0]
        hatched = {label.get_text().split("  ")[0]: bool(bar.get_hatch())
                   for bar, label in zip(ax.containers[0], ax.get_yticklabels(), strict=True)}
        assert [name.endswith("‡") for name in hatched] == list(hatched.values()) == [False, True]
        assert labels.t("dashboard_known_limit", lang) in ax.get_legend().get_title().get_text()
        plotting.plt.close(fig)


# ------------------------------------------------------------------ what the briefing shows agrees with itself
SME = {"id": "specialized-sme-2026", "indicator": "specialized_sme", "year": 2026, "comparator": ">=",
       "threshold": 400.0, "tolerance": 0.05, "p_meet": 0.495, "p10": 300.0, "p50": 377.0, "p90": 490.0,
       "baseline": 300.0, "quote": "“专精特新”企业达到400家左右", "source": "seed 004"}


def _summary(*targets: dict) -> dict:
    ind = {"baseline_p50": 1.0, "baseline_p10": 1.0, "baseline_p90": 1.0, "p10": 1.0, "p50": 1.0, "p90": 1.0}
    return {"title": "t", "replications": 20, "seed": 1, "end": "2026-12", "targets": list(targets),
            "indicators": {i: dict(ind) for i in INDICATORS}}


@pytest.mark.parametrize(("p", "shown", "colour"), [
    (0.495, 50, "amber"), (0.4949, 49, "red"), (0.5, 50, "amber"),
    (0.794, 79, "amber"), (0.7951, 80, "green"), (0.8, 80, "green"), (0.0049, 0, "red")])
def test_the_light_is_decided_on_the_percent_shown(p, shown, colour):
    """A P(meet) printed "50%" is amber and one printed "80%" green, in the table, the report and the dashboard."""
    from model.output import report

    assert (report.percent(p), report.light(p)) == (shown, colour)
    row = report._rows(_summary({**SME, "p_meet": p}))[0]
    assert row[-2:] == [f"{shown}%", colour]
    fig = plotting.dashboard([{**SME, "p_meet": p}], "en")
    ax = fig.axes[0]
    bar, text = ax.containers[0][0], next(x for x in ax.texts if x.get_text().endswith("%"))
    assert text.get_text() == f"{shown}%"
    assert matplotlib_colour(bar.get_facecolor()) == plotting.COLORS[colour]
    plotting.plt.close(fig)


def matplotlib_colour(rgba) -> str:
    import matplotlib.colors

    return matplotlib.colors.to_hex(rgba)


def test_a_target_printed_at_50_percent_is_not_furthest_from_reach():
    from model.output import report

    text = report.headline({**_summary(SME, {**SME, "id": "other", "indicator": "listed", "p_meet": 0.3}),
                            "money": None}, "en")
    assert "1 are uncertain" not in text and "1 is uncertain" in text and "1 is unlikely" in text
    assert "上市挂牌企业 (30%)" in text and "专精特新企业 (50%)" not in text


def test_an_about_target_shows_and_draws_what_is_measured():
    """'400家左右' with a 5% tolerance is met from 380: the tables say so and the fan chart draws its line there."""
    import datetime as dt

    import numpy as np

    from model.output import report
    from model.targets import measured_threshold

    assert measured_threshold(400.0, ">=", 0.05) == pytest.approx(380.0) == report.measured_value(SME)
    table = report.console_table(_summary(SME))
    assert ">= 400 (2026; about: >= 380 counts)" in table and report.NOTE_ABOUT in table
    assert "~" not in table.splitlines()[3]
    for lang, words in (("zh", "≥ 400 左右：≥ 380 计为达成"), ("en", "≥ 400, about: ≥ 380 counts")):
        fig = plotting.dashboard([SME], lang)
        assert words in fig.axes[0].get_yticklabels()[0].get_text()
        plotting.plt.close(fig)
        dates = [dt.date(2023 + (m + 11) // 12, (m + 11) % 12 + 1, 1) for m in range(37)]
        series = np.linspace(300, 377, 37)[None, :] + np.arange(5)[:, None]
        fig = plotting.fan_chart(series, dates, "specialized_sme", lang, "plan", SME)
        ax = fig.axes[0]
        lines = {h.get_label(): h for h in ax.get_lines()}
        target = next(line for label, line in lines.items() if label.startswith(("目标", "target")))
        assert target.get_ydata()[0] == pytest.approx(380.0) and "380" in target.get_label()
        assert "400" in target.get_label()
        plotting.plt.close(fig)


def test_the_comparison_of_folders_measures_an_about_target_where_it_counts():
    """`innosim chart A B` drew '400家左右' against 400 (P50 377 at 94%, left of the target line) while its P(meet)
    counts from 380: the points are shares of what is measured (377 / 380), the label says so, the plan's 400 faint."""
    other = {**SME, "id": "listed-2026", "indicator": "listed", "threshold": 40.0, "tolerance": 0.0, "p10": 30.0,
             "p50": 36.0, "p90": 44.0}
    for lang, words in (("zh", "≥ 400 左右：≥ 380 计为达成"), ("en", "≥ 400, about: ≥ 380 counts")):
        fig = plotting.comparison([_summary(SME, other), _summary({**SME, "p50": 390.0}, other)], lang)
        ax = fig.axes[0]
        ticks = [x.get_text() for x in ax.get_yticklabels()]
        assert words in ticks[0] and ticks[1].endswith("(≥ 40)"), ticks
        points = [c.get_children()[0].get_xdata() for c in ax.containers]  # each folder's P50s, target by target
        assert points[0][0] == pytest.approx(377.0 / 380.0) and points[1][0] == pytest.approx(390.0 / 380.0)
        assert points[0][1] == pytest.approx(36.0 / 40.0)  # a target without a tolerance as before
        written = [line for line in ax.get_lines() if line.get_label() == labels.t("compare_written", lang)]
        assert len(written) == 1 and written[0].get_xdata()[0] == pytest.approx(400.0 / 380.0)
        assert ax.get_xlabel() == labels.t("compare_ratio_about", lang)
        plotting.plt.close(fig)
    fig = plotting.comparison([_summary(other), _summary(other)], "en")  # no about target: the chart as it was
    assert fig.axes[0].get_xlabel() == "share of the target value"
    assert not any(line.get_label() == labels.t("compare_written", "en") for line in fig.axes[0].get_lines())
    plotting.plt.close(fig)


def test_a_comparison_of_folders_that_set_a_target_differently_labels_each_value():
    """A copy of the plan asking 1,700 high-tech firms was drawn in the row labelled with the first folder's 1,500, and
    the same title twice in the legend: its points, shares of 1,700, read as fewer firms. Each folder's value is now in
    the row's label, a target of one folder only has its row, and the legend takes the names given."""
    listed = {**SME, "id": "listed-2026", "indicator": "listed", "threshold": 40.0, "tolerance": 0.0, "p10": 30.0,
              "p50": 36.0, "p90": 44.0}
    higher, later = {**listed, "threshold": 45.0}, {**listed, "id": "listed-2027", "year": 2027}
    fig = plotting.comparison([_summary(listed), _summary(higher, later)], "en", ["t (a)", "t (b)"])
    ax = fig.axes[0]
    ticks = [x.get_text() for x in ax.get_yticklabels()]
    assert [tick.split("  ")[1] for tick in ticks] == ["(≥ 40 / ≥ 45)", "(≥ 40)"], ticks
    points = [c.get_children()[0].get_xdata() for c in ax.containers]
    assert list(points[0]) == pytest.approx([36.0 / 40.0]) and list(points[1]) == pytest.approx([36.0 / 45, 36.0 / 40])
    assert {"t (a)", "t (b)"} <= set(ax.get_legend_handles_labels()[1])
    # the legend below the axes: in their corner it hid a commitment's points at 200%
    assert ax.get_legend() is None and {"t (a)", "t (b)"} <= {x.get_text() for x in fig.legends[0].get_texts()}
    assert ax.get_title(loc="left") == "Scenario comparison: 2027 projections (P50 and P10–P90)"  # the last year
    plotting.plt.close(fig)
    moved = plotting.comparison([_summary(listed), _summary({**listed, "year": 2025})], "en")
    assert moved.axes[0].get_yticklabels()[0].get_text().endswith("(≥ 40 (2026) / ≥ 40 (2025))")
    plotting.plt.close(moved)


def test_the_folders_targets_that_differ_are_named_folder_by_folder():
    from pathlib import Path

    from model.output import briefing

    a, b = Path("runs/a"), Path("runs/b")
    listed = {**SME, "id": "listed-2026", "indicator": "listed", "threshold": 40.0, "tolerance": 0.0}
    assert briefing.unlike_targets([a, b], [_summary(SME, listed), _summary(listed, SME)]) == ""  # order is no change
    differ = briefing.unlike_targets([a, b], [_summary(SME, listed), _summary({**listed, "threshold": 45.0})])
    assert differ == ("specialized-sme-2026 (runs/a: ≥ 400, about: ≥ 380 counts in 2026; runs/b: none), "
                      "listed-2026 (runs/a: ≥ 40 in 2026; runs/b: ≥ 45 in 2026)")
    reused = {**listed, "indicator": "high_tech"}  # the id reused for another indicator: the same threshold is no match
    assert briefing.unlike_targets([a, b], [_summary(listed), _summary(reused)]) == (
        "listed-2026 (runs/a: listed ≥ 40 in 2026; runs/b: high_tech ≥ 40 in 2026)")
    fig = plotting.comparison([_summary(listed), _summary(reused)], "en")
    label = fig.axes[0].get_yticklabels()[0].get_text()
    name, ht = labels.indicator_name("listed", "en"), labels.indicator_name("high_tech", "en")
    assert label == f"{name} / {ht}  ({name} ≥ 40 / {ht} ≥ 40)", label
    plotting.plt.close(fig)
    assert briefing.legend_names([a, b], [_summary(SME), _summary(SME)]) == ["t (runs/a)", "t (runs/b)"]
    assert briefing.legend_names([a, b], [_summary(SME), {**_summary(SME), "title": "u"}]) == ["t", "u"]
    # in Chinese, a scenario's title_zh where it has one (a folder written before title_zh existed has none)
    titled = {**_summary(SME), "title_zh": "计划"}
    assert briefing.legend_names([a, b], [titled, _summary(SME)], "zh") == ["计划", "t"]
    assert briefing.legend_names([a, b], [titled, _summary(SME)], "en") == ["t (runs/a)", "t (runs/b)"]


def test_comparing_folders_whose_targets_differ_says_so_in_one_line_and_in_the_comparison(two_runs, tmp_path, capsys):
    import json
    import shutil

    a, _ = two_runs
    c = tmp_path / "higher"
    shutil.copytree(a, c)
    summary = json.loads((c / "summary.json").read_text("utf-8"))
    summary["targets"][0] = {**summary["targets"][0], "threshold": 1700.0}
    (c / "summary.json").write_text(json.dumps(summary), "utf-8")
    capsys.readouterr()
    assert main(["chart", str(a), str(c), "--out", str(tmp_path / "cmp")]) == 0
    err = capsys.readouterr().err
    tid = summary["targets"][0]["id"]
    assert err == (f"innosim: warning: the folders' targets differ: {tid} ({a}: > 1,500 in 2026; {c}: > 1,700 in "
                   "2026); each folder's points are shares of its own target\n")
    md = (tmp_path / "cmp" / "comparison.md").read_text("utf-8")
    assert f"The folders' targets differ: {tid} ({a}: > 1,500 in 2026; {c}: > 1,700 in 2026)" in md
    assert f"- `{c}`: {summary['title']}" in md


def test_the_dashboard_caption_names_the_year_in_the_report():
    from model.output.briefing import chart_section

    assert "![2026年目标达成概率](charts/dashboard-zh.png)" in chart_section(_summary(SME), "zh")
    assert "![Probability of meeting each 2026 target](charts/dashboard-en.png)" in chart_section(_summary(SME), "en")


def test_report_html_shows_an_escaped_star_as_a_star(tmp_path):
    from model.output.briefing import to_html

    page = to_html("\\* baseline not published: drawn per replication.\n\nrun `a\\*b` and **bold**\n", tmp_path, "t")
    assert "\\*" not in page.replace("a\\*b", "") and "<p>&#42; baseline not published" in page
    assert "<code>a\\*b</code>" in page and "<b>bold</b>" in page


def test_fan_charts_write_values_in_the_indicators_units_beside_the_axes():
    """'≥ 4.00%' and '2.72%', '1.00x' on an axis of '× baseline'; the legend outside the axes, off the target line."""
    import datetime as dt

    import numpy as np

    dates = [dt.date(2023 + (m + 11) // 12, (m + 11) % 12 + 1, 1) for m in range(37)]
    cases = (("rd_intensity", 2.72, 4.0, "≥ 4.00%", "2.72%", "%"), ("rd_vs_baseline", 1.0, 2.0, "≥ 2.00x", "1.00x",
                                                                     "× baseline"),
             ("above_scale_high_tech_share", 0.41, 0.6, "≥ 0.60", "0.41", None))  # a share as written, not '1' and '0'
    for ind, base, thr, target_words, base_words, axis in cases:
        series = base * np.linspace(1.0, 1.4, 37)[None, :] * np.ones((5, 1))
        target = {"indicator": ind, "year": 2026, "comparator": ">=", "threshold": thr, "tolerance": 0.0}
        fig = plotting.fan_chart(series, dates, ind, "en", "plan", target)
        ax = fig.axes[0]
        texts = [x.get_text() for x in ax.get_legend().get_texts()]
        assert any(target_words in x for x in texts) and any(base_words in x for x in texts), texts
        assert axis is None or ax.get_ylabel() == axis
        fig.canvas.draw()
        assert not ax.get_legend().get_window_extent().overlaps(ax.get_window_extent())
        plotting.plt.close(fig)
    assert labels.unit("rd_vs_baseline", "zh") == "基期倍数"


def test_response_chart_axes_carry_their_units():
    from model import levers

    assert levers.axis_unit("municipal_platforms_per_year", "zh") == "家/年"
    assert levers.axis_unit("municipal_platforms_per_year", "en") == "platforms a year"
    assert levers.axis_unit("budget.rd_growth_reward", "zh") == "亿元/年"
    assert levers.axis_unit("listing_pool_size", "zh") == "家"  # a pool's size, not a yearly count


def test_the_app_table_says_what_an_about_target_counts():
    from model.app import outcome

    assert outcome.target_text(SME, "en") == ">= 400 (2026; about: >= 380 counts)"
    assert outcome.target_text(SME, "zh") == ">= 400（2026；左右：>= 380 计为达成）"
    assert outcome.target_text({**SME, "tolerance": 0.0}, "en") == ">= 400 (2026)"


@pytest.mark.parametrize("lang", ["zh", "en"])
@pytest.mark.parametrize("profile", ["tongzhou-2023", "bda-2015"])
def test_the_sourced_baseline_section_is_never_an_empty_table(profile, lang):
    """Tongzhou's baseline values are all estimates: a sentence says so where a table head with no rows stood."""
    from model.output.phrases import say
    from model.output.report import _profile_sections
    from model.profiles import PROFILES

    text = "\n".join(_profile_sections(PROFILES[profile], lang))
    section = text.split(f"## {say('h_sourced', lang)}")[1]
    sourced = [e for e in PROFILES[profile].entries.values() if "value" in e]
    assert (say("none_sourced", lang) in section) == (not sourced)
    assert section.count("\n|") == (2 + len(sourced) if sourced else 0)
