"""What report.md says in Chinese says what the English says: the sentences and headings of the briefing, the region
profiles' labels and reasoning and the lever effects' names, with the same figures, ids and parameter names."""

from __future__ import annotations

import re
from collections import Counter

import pytest
from test_limits import FIGURE_ID, NUMBER, PARAMETER

from model.output.phrases import PHRASES, UNITS_ZH
from model.parameters import LABELS_ZH, PARAMETERS, drawn_parameters
from model.profiles import PROFILE_NAMES, PROFILES, parse_profile

# 'end-2023' and 'mid-2024' look like figure ids to FIGURE_ID; a translation writes them as '2023 年末'
DATED = re.compile(r"\b(?:end|mid)-(?=\d{4})")
# An English phrase: four words or more with nothing Chinese between them (ids and file names taken out first)
ENGLISH = re.compile(r"[A-Za-z][A-Za-z'&]*(?:[\s,;:()/+\-]+[A-Za-z][A-Za-z'&]*){3,}")
KEPT = re.compile(r"[A-Za-z0-9_.\-/]*(?:\d|_|\.[a-z])[A-Za-z0-9_.\-/]*")


def says_the_same(en: str, zh: str) -> None:
    """Every figure, id and parameter name of `en` in `zh` (as often), nothing added, and no English phrase left."""
    en = DATED.sub("", " ".join(en.split()))
    assert Counter(NUMBER.findall(zh)) == Counter(NUMBER.findall(en))
    assert Counter(FIGURE_ID.findall(zh)) == Counter(FIGURE_ID.findall(en))
    assert set(PARAMETER.findall(zh)) == set(PARAMETER.findall(en))
    assert not ENGLISH.findall(KEPT.sub(" ", zh)), zh
    assert any("\u4e00" <= c <= "\u9fff" for c in zh), zh


def test_the_check_finds_what_it_must():
    """A check that passed on anything would let every translation through."""
    with pytest.raises(AssertionError):
        says_the_same("about 7,300 at end-2023 (PE30)", "2023 年末约 7,300 家")  # the id dropped
    with pytest.raises(AssertionError):
        says_the_same("about 7,300 at end-2023", "2023 年末约 7,030 家")  # a figure mistyped
    with pytest.raises(AssertionError):
        says_the_same("Not published.", "Not published for the district。")  # left in English
    says_the_same("about 7,300 at end-2023 (PE30)", "2023 年末约 7,300 家（PE30）")


ENTRIES = [(p, k) for p in PROFILE_NAMES for k in PROFILES[p].entries]


@pytest.mark.parametrize(("profile", "key"), ENTRIES)
def test_each_profile_entry_says_the_same_in_chinese(profile, key):
    e = PROFILES[profile].entries[key]
    says_the_same(e["label"], e["label_zh"])
    if "estimate" in e:
        says_the_same(e["estimate"], e["estimate_zh"])
    if "source_zh" in e:
        says_the_same(e["source"], e["source_zh"])
    elif "source" in e:  # a source left as it is is ids and quotes, no English sentence
        assert not ENGLISH.findall(KEPT.sub(" ", e["source"])), e["source"]
    assert e["unit"] in UNITS_ZH, e["unit"]


def test_a_profile_entry_without_chinese_is_refused():
    doc = {"profile": {"region": "r", "baseline": "2023-12"}, "sector_shares": {},
           "baseline": {k: {"range": [1, 2], "label": "x", "estimate": "y", "label_zh": "甲", "estimate_zh": "乙"}
                        for k in PROFILES["tongzhou-2023"].entries}}
    del doc["baseline"]["gdp"]["estimate_zh"]
    with pytest.raises(ValueError, match="gdp lacks its Chinese label or reasoning"):
        parse_profile("test", doc)


@pytest.mark.parametrize("name", drawn_parameters())
def test_each_lever_effect_has_a_chinese_name_with_the_figures_of_its_label(name):
    says_the_same(PARAMETERS[name].label, LABELS_ZH[name])
    assert PARAMETERS[name].unit in UNITS_ZH
    assert set(LABELS_ZH) == set(drawn_parameters())


def test_every_phrase_has_both_languages_and_the_chinese_is_chinese():
    for key, d in PHRASES.items():
        assert set(d) == {"zh", "en"} and d["zh"] != d["en"], key
        words = KEPT.sub(" ", re.sub(r"\{[^}]*\}|`[^`]*`", " ", d["zh"]))
        assert not ENGLISH.findall(words), key
    for unit, zh in UNITS_ZH.items():
        assert Counter(NUMBER.findall(zh)) == Counter(NUMBER.findall(unit)), unit
