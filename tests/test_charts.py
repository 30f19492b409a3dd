"""Charts: every label renders with real glyphs; runs and `innosim chart` write the briefing."""

from __future__ import annotations

import re
import warnings
from collections import defaultdict

import pytest
from conftest import PLAN

from model.cli import main
from model.output import labels, plotting


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


def test_run_writes_charts_and_a_self_contained_html(two_runs):
    a, b = two_runs
    pngs = sorted(p.name for p in (a / "charts").glob("*.png"))
    assert "dashboard-zh.png" in pngs and "fan-high_tech-zh.png" in pngs and len(pngs) == 16
    assert (b / "charts" / "fan-high_tech-en.png").is_file()
    html = (a / "report.html").read_text("utf-8")
    assert html.count("data:image/png;base64,") == 16 and "高新技术企业" in html and 'src="charts/' not in html
    md = (a / "report.md").read_text("utf-8")
    assert "## Charts" in md and "charts/dashboard-zh.png" in md


def test_chart_command_redraws_in_english_and_compares(two_runs, tmp_path, capsys):
    a, b = two_runs
    assert main(["chart", str(a), "--lang", "en"]) == 0
    assert (a / "charts" / "dashboard-en.png").is_file()
    out = tmp_path / "cmp"
    assert main(["chart", str(a), str(b), "--out", str(out)]) == 0
    assert (out / "comparison-zh.png").is_file() and (out / "comparison-zh.svg").is_file()


def test_chart_command_rejects_a_folder_that_is_not_results(tmp_path, capsys):
    assert main(["chart", str(tmp_path)]) == 2
    err = capsys.readouterr().err
    assert "summary.json" in err and len(err.strip().splitlines()) == 1


def test_dashboard_hatches_and_marks_the_targets_with_a_known_limit():
    """A briefing that shows only the dashboard must not present a probability the backtest disowns as a finding."""
    from model.output.report import KNOWN_LIMITS

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
