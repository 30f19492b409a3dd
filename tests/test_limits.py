"""The model's known limits say the same in Chinese and English: the figures, backtest ids and parameter names."""

from __future__ import annotations

import re
from collections import Counter

import pytest

from model.indicators import INDICATORS
from model.output.limits import KNOWN_LIMITS
from model.output.report import known_limits

# Whole numbers as written, separators inside: 1,235 and 6.09 are one each, and the comma or full stop after a
# number is no part of it. A date (2026-12-03) or a range (6-8%) gives its parts.
NUMBER = re.compile(r"\d(?:[\d,.]*\d)?")
# Tokens a translation must carry over untouched, bounded by what cannot belong to them (Chinese text may touch
# them): figure ids (PE31, bj-rd-2019, zgc-parks-listed-2023), quantiles (P50) and parameter names.
_EDGE_BEFORE, _EDGE_AFTER = r"(?<![A-Za-z0-9_\-])", r"(?![A-Za-z0-9_\-])"
FIGURE_ID = re.compile(_EDGE_BEFORE + r"(?:[A-Z]{1,3}\d+|[a-z]+(?:-[a-z]+)*-\d{4})" + _EDGE_AFTER)
PARAMETER = re.compile(_EDGE_BEFORE + r"[a-z]+(?:_[a-z]+)+" + _EDGE_AFTER)


def test_the_patterns_find_what_they_must_carry_over():
    """A pattern that found nothing would let every translation pass."""
    en = {i: d["en"] for i, d in KNOWN_LIMITS.items()}
    found = set(NUMBER.findall(" ".join((en["high_tech"], en["rd_intensity"], en["specialized_sme"]))))
    assert {"1,235", "1,955", "6.18", "0.60", "0.021", "2026", "12", "05"} <= found
    assert FIGURE_ID.findall(en["rd_vs_baseline"]) == ["P50", "bj-rd-2019", "bj-rd-2021", "bj-rd-intensity-2023",
                                                       "bj-rd-intensity-2024", "P50"]
    assert FIGURE_ID.findall(en["listed"]) == ["zgc-parks-listed-2023"]
    assert "PE31" in FIGURE_ID.findall(en["specialized_sme"])
    assert PARAMETER.findall(en["high_tech"]) == ["startup_revenue_median", "startup_rate"]
    assert FIGURE_ID.findall("自2019年起PE31偏低") == ["PE31"]  # found where Chinese touches it


@pytest.mark.parametrize("indicator", sorted(KNOWN_LIMITS))
def test_each_limit_says_the_same_in_both_languages(indicator):
    texts = KNOWN_LIMITS[indicator]
    assert indicator in INDICATORS and set(texts) == {"zh", "en"}
    en, zh = texts["en"], texts["zh"]
    assert en.strip() and zh.strip() and zh != en
    # every figure the English gives, as often (a translation that drops or mistypes one fails), and none added
    assert Counter(NUMBER.findall(zh)) == Counter(NUMBER.findall(en)), indicator
    assert Counter(FIGURE_ID.findall(zh)) == Counter(FIGURE_ID.findall(en)), indicator
    assert set(PARAMETER.findall(zh)) == set(PARAMETER.findall(en)), indicator
    # Chinese, apart from the tokens carried over and the two abbreviations the plans use too
    left = PARAMETER.sub("", FIGURE_ID.sub("", zh))
    assert set(re.findall(r"[A-Za-z&]+", left)) <= {"R&D", "GDP"}, indicator
    assert sum("\u4e00" <= c <= "\u9fff" for c in left) > 5 * len(re.findall("[A-Za-z]", left)), indicator
    # the hedge on which way P(meet) is off, where the English gives one
    if "more likely too high than too low" in en:
        assert "达成概率更可能偏高而非偏低" in zh, indicator
    if "more likely too low than too high" in en:
        assert "达成概率更可能偏低而非偏高" in zh, indicator
    elif "more likely too low" in en:
        assert "达成概率更可能偏低" in zh, indicator


def test_known_limits_are_written_in_the_language_asked_for():
    summary = {"targets": [{"indicator": i} for i in ("listed", "joint_labs", "listed", "upgrades_cum")]}
    assert known_limits(summary, lang="en") == [
        "上市挂牌企业 (listed): the listing pipeline is calibrated on no documented figure (backtest: "
        "zgc-parks-listed-2023 missed)",  # the English as it was before the Chinese came
        f"小升规+规升强(累计) (upgrades_cum): {KNOWN_LIMITS['upgrades_cum']['en']}"]
    assert known_limits(summary, lambda i: INDICATORS[i].label, lang="zh") == [
        f"listed firms incl. NEEQ (上市挂牌) (listed): {KNOWN_LIMITS['listed']['zh']}",
        f"小升规 + 规升强 since start (upgrades_cum): {KNOWN_LIMITS['upgrades_cum']['zh']}"]
    with pytest.raises(TypeError):
        known_limits(summary)  # every caller says which language it writes
