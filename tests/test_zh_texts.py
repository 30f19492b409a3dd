"""What report.md and the app say in Chinese says what the English says: the sentences and headings of the briefing,
the region profiles' labels and reasoning, the lever effects' names and sources and the levers' mechanisms, with the
same figures, ids and parameter names."""

from __future__ import annotations

import re
from collections import Counter
from dataclasses import replace

import pytest
from test_limits import FIGURE_ID, NUMBER, PARAMETER

from model.lever_registry import HOW, LEVERS, with_mechanisms
from model.output.phrases import PHRASES, UNITS_ZH
from model.parameters import LABELS_ZH, PARAMETERS, check_chinese, drawn_parameters
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


# What an effect's source says of its evidence, in both languages: the Chinese holds a hedge where the English does,
# and only there (a source that found no evidence must not read as if it had, nor the other way round).
HEDGES = (("no evidence found", "未找到"), ("wide", "宽"), ("our estimate", "本项目"), ("comparator", "参照"),
          ("not significant", "不显著"))


@pytest.mark.parametrize("name", drawn_parameters())
def test_each_lever_effect_gives_its_evidence_in_chinese_with_the_same_figures_and_ids(name):
    p = PARAMETERS[name]
    says_the_same(p.source, p.source_zh)
    for en, zh in HEDGES:
        assert (en in p.source.lower()) == (zh in p.source_zh), (name, en)


@pytest.mark.parametrize("name", sorted(LEVERS))
def test_each_lever_mechanism_says_the_same_in_chinese(name):
    says_the_same(LEVERS[name].mechanism, LEVERS[name].mechanism_zh)


def test_a_lever_effect_or_mechanism_without_chinese_is_refused():
    check_chinese(PARAMETERS, drawn_parameters())
    for field in ("label_zh", "source_zh"):
        broken = {**PARAMETERS, "spinoff_rate": replace(PARAMETERS["spinoff_rate"], **{field: ""})}
        with pytest.raises(ValueError, match="spinoff_rate: a drawn parameter needs its Chinese label and source"):
            check_chinese(broken, drawn_parameters())
    text, effects, terms = HOW["listing_pool_size"]
    with pytest.raises(ValueError, match="listing_pool_size: its mechanism needs both its English and its Chinese"):
        with_mechanisms(LEVERS, {**HOW, "listing_pool_size": ({"en": text["en"]}, effects, terms)})


def test_every_phrase_has_both_languages_and_the_chinese_is_chinese():
    for key, d in PHRASES.items():
        assert set(d) == {"zh", "en"} and d["zh"] != d["en"], key
        words = KEPT.sub(" ", re.sub(r"\{[^}]*\}|`[^`]*`", " ", d["zh"]))
        assert not ENGLISH.findall(words), key
    for unit, zh in UNITS_ZH.items():
        assert Counter(NUMBER.findall(zh)) == Counter(NUMBER.findall(unit)), unit
