"""calibration/figures.toml: every figure the project uses, checked against its source.

Seed figures must quote the source document seeds/<file> verbatim (in INNOSIM_SEEDS, default
../shared/seeds; those checks skip where it is absent); CSV figures must carry the quote and
metadata of their row in calibration/data/public-figures.csv; every CSV row, every figure id the
profiles cite and every target of the Tongzhou plan scenario must have an entry.
"""

from __future__ import annotations

import csv
import functools
import re
import tomllib
from pathlib import Path

import pytest
from conftest import PUBLIC_FIGURES, ROOT, seeds

REGISTRY = ROOT / "calibration" / "figures.toml"
PLAN = ROOT / "scenarios" / "sanliang-qisheng-2024-2026.toml"
SEED_004 = "seeds/004_81294c04e34c34ca.txt"
CSV_SOURCE = "public-figures.csv"

REQUIRED = {"id", "value", "unit", "qualifier", "region", "scope", "period", "quote", "source", "use"}
CSV_REQUIRED = {"source_title", "source_date", "url"}
OPTIONAL = {"value_high", "note", "indicator"}
QUALIFIERS = {"exact", "more-than", "at-least", "about", "target"}
USES = {"calibration-target", "baseline", "plan-target", "context"}
SCOPES = {"city", "district", "zone", "park", "parks"}
KEBAB = re.compile(r"^[a-z0-9]+(?:-[a-z0-9]+)*$")
SEED_FILE = re.compile(r"^seeds/\d{3}_[0-9a-f]{16}\.txt$")
CITED_ID = re.compile(r"\b(?:tz|zgc|bda|bj|haidian)-[a-z0-9-]+\b")
NUMBER = re.compile(r"\d+(?:\.\d+)?")

# Figures the project relies on by name (calibration targets and plan figures).
CALIBRATION_TARGETS = {
    "bda-hightech-2020", "bda-hightech-2015-multiple", "bda-gdp-2015", "bda-gdp-2020",
    "zgc-parks-firms-2023", "zgc-parks-hightech-2023", "zgc-parks-listed-2023", "zgc-parks-unicorns-2023",
    "zgc-parks-rd-intensity-2023", "zgc-kxc-techfirms-2020", "zgc-kxc-above-scale-2020",
    "bj-techfirms-2014-seed", "bj-hightech-2014-seed", "bj-hightech-2014", "bj-hightech-2023",
}
OTHER_SEED_IDS = {
    "bda-special-funds-14fyp", "bda-gdp-2020-seed", "bda-ind-output-2020-seed", "zgc-parks-platforms-2023",
    "zgc-lifescience-firms-2020", "bj-techfirms-share-2014", "tz-plan-platforms-per-year",
    "tz-plan-young-talents-per-year", "tz-plan-teams-per-year", "tz-plan-cultivation-pool-per-year",
    "tz-plan-scenarios-smart-city", "tz-plan-activities-per-year",
}


def _load_registry() -> list[dict]:
    assert REGISTRY.is_file(), f"{REGISTRY} is missing"
    return tomllib.loads(REGISTRY.read_text("utf-8"))["figure"]


FIGURES = _load_registry()
BY_ID = {f["id"]: f for f in FIGURES}


def seed_file(source: str) -> Path:
    """The source document a registry `source` ("seeds/<file>.txt") names, in the seeds folder."""
    return seeds() / source.removeprefix("seeds/")


@functools.cache
def csv_rows() -> dict[str, dict]:
    with PUBLIC_FIGURES.open(encoding="utf-8") as fh:
        return {row["id"]: row for row in csv.DictReader(fh)}


def csv_base(fid: str, rows: dict[str, dict]) -> str | None:
    """The CSV row id an entry comes from: its own id, or the longest row id it extends with '-suffix'."""
    if fid in rows:
        return fid
    bases = [r for r in rows if fid.startswith(r + "-")]
    return max(bases, key=len) if bases else None


def split(field: str) -> list[str]:
    return [part.strip() for part in field.split("/")]


def is_number(x: object) -> bool:
    return isinstance(x, int | float) and not isinstance(x, bool)


# ------------------------------------------------------------------ structure


def test_registry_is_not_empty_and_ids_are_unique_kebab_case():
    assert len(FIGURES) >= 100
    ids = [f.get("id") for f in FIGURES]
    duplicates = sorted({i for i in ids if ids.count(i) > 1})
    assert not duplicates, f"duplicate ids: {duplicates}"
    bad = [i for i in ids if not isinstance(i, str) or not KEBAB.match(i)]
    assert not bad, f"ids not in kebab-case: {bad}"


@pytest.mark.parametrize("fig", FIGURES, ids=[f.get("id", "?") for f in FIGURES])
def test_entry_has_the_required_keys_and_allowed_values(fig):
    is_csv = fig.get("source") == CSV_SOURCE
    required = REQUIRED | (CSV_REQUIRED if is_csv else set())
    assert not required - fig.keys(), f"missing keys: {sorted(required - fig.keys())}"
    unknown = fig.keys() - REQUIRED - CSV_REQUIRED - OPTIONAL
    assert not unknown, f"unknown keys: {sorted(unknown)}"
    if not is_csv:
        assert not CSV_REQUIRED & fig.keys(), "source_title/source_date/url are for CSV entries only"
    assert is_number(fig["value"]), "value must be a number"
    if "value_high" in fig:
        assert is_number(fig["value_high"]) and fig["value_high"] > fig["value"], "value_high must exceed value"
    assert fig["qualifier"] in QUALIFIERS
    assert fig["use"] in USES
    assert fig["scope"] in SCOPES
    for key in ("unit", "region", "period", "quote"):
        assert isinstance(fig[key], str) and fig[key].strip(), f"{key} must be a non-empty string"
    for key in ("note", "indicator", "source_title", "source_date", "url"):
        assert isinstance(fig.get(key, ""), str), f"{key} must be a string"
    assert is_csv or SEED_FILE.match(fig["source"]), f"source must be {CSV_SOURCE!r} or seeds/<file>.txt"
    if fig["use"] == "plan-target":
        assert fig["source"] == SEED_004, "plan targets are the Tongzhou plan's (seed 004)"
        assert "target" in fig["period"], "a plan target's period says it is a target"


def test_figures_named_in_the_brief_exist_with_their_use():
    missing = (CALIBRATION_TARGETS | OTHER_SEED_IDS) - BY_ID.keys()
    assert not missing, f"missing from the registry: {sorted(missing)}"
    wrong = sorted(i for i in CALIBRATION_TARGETS if BY_ID[i]["use"] != "calibration-target")
    assert not wrong, f"should be use = 'calibration-target': {wrong}"


# ------------------------------------------------------------------ sources


def test_seed_quotes_occur_verbatim_in_the_seed():
    texts: dict[str, str] = {}
    problems = []
    for fig in FIGURES:
        if fig["source"] == CSV_SOURCE:
            continue
        path = seed_file(fig["source"])
        if not path.is_file():
            problems.append(f"{fig['id']}: {path} does not exist")
            continue
        text = texts.setdefault(fig["source"], path.read_text("utf-8"))
        if fig["quote"] not in text:
            problems.append(f"{fig['id']}: quote not found in {fig['source']}: {fig['quote']!r}")
    assert not problems, "\n".join(problems)


def test_csv_entries_match_their_row():
    rows = csv_rows()
    problems = []
    for fig in FIGURES:
        if fig["source"] != CSV_SOURCE:
            continue
        fid = fig["id"]
        base = csv_base(fid, rows)
        if base is None:
            problems.append(f"{fid}: neither a CSV id nor a CSV id plus a suffix")
            continue
        row = rows[base]
        for key, col in (("quote", "quote"), ("region", "region"), ("scope", "scope"),
                         ("source_title", "source"), ("source_date", "source_date"), ("url", "url")):
            if fig[key] != row[col]:
                problems.append(f"{fid}: {key} {fig[key]!r} != CSV {col} {row[col]!r}")
        values = [float(v) for v in split(row["value"])]
        if fid == base:
            # the row's own id carries the row's (first) value, unit, period and qualifier
            if fig["value"] != values[0]:
                problems.append(f"{fid}: value {fig['value']} != CSV {values[0]}")
            if fig["unit"] != split(row["unit"])[0]:
                problems.append(f"{fid}: unit {fig['unit']!r} != CSV {split(row['unit'])[0]!r}")
            if fig["period"] != row["period"].split(" / ")[0].strip():
                problems.append(f"{fid}: period {fig['period']!r} != CSV {row['period']!r}")
            if fig["qualifier"] != row["qualifier"]:
                problems.append(f"{fid}: qualifier {fig['qualifier']!r} != CSV {row['qualifier']!r}")
        else:
            # an added entry takes another value of the row, or a number from its quote or note
            known = values + [float(n) for n in NUMBER.findall(row["quote"] + " " + row["note"])]
            if float(fig["value"]) not in known:
                problems.append(f"{fid}: value {fig['value']} is not in CSV row {base} (value, quote or note)")
    assert not problems, "\n".join(problems)


def test_every_csv_row_is_in_the_registry():
    missing = sorted(csv_rows().keys() - BY_ID.keys())
    assert not missing, f"CSV rows missing from the registry: {missing}"


def test_every_value_of_a_multi_value_csv_row_has_an_entry():
    rows = csv_rows()
    problems = []
    for rid, row in rows.items():
        entries = [f for f in FIGURES if f["source"] == CSV_SOURCE and csv_base(f["id"], rows) == rid]
        registered = {float(f["value"]) for f in entries}
        problems += [f"{rid}: value {v} has no entry" for v in split(row["value"]) if float(v) not in registered]
    assert not problems, "\n".join(problems)


# ------------------------------------------------------------------ project files


def test_every_id_cited_by_a_profile_is_registered_as_baseline_or_calibration_target():
    profiles = sorted((ROOT / "model" / "profiles").glob("*.toml"))
    assert profiles, "no model/profiles/*.toml"
    names = {p.stem for p in profiles}  # e.g. "bda-2015" is a profile name, not a figure id
    cited = set()
    for path in profiles:
        cited |= set(CITED_ID.findall(path.read_text("utf-8"))) - names
    assert len(cited) >= 10
    missing = sorted(cited - BY_ID.keys())
    assert not missing, f"cited in model/profiles but missing from {REGISTRY.name}: {missing}"
    wrong = sorted(i for i in cited if BY_ID[i]["use"] not in {"baseline", "calibration-target"})
    assert not wrong, f"cited by a profile, so use should be 'baseline' (or 'calibration-target'): {wrong}"


def plan_targets() -> list[dict]:
    targets = tomllib.loads(PLAN.read_text("utf-8"))["targets"]
    assert targets, f"no [[targets]] in {PLAN.name}"
    return targets


def test_every_plan_target_has_a_plan_target_entry():
    plan_figures = [f for f in FIGURES if f["use"] == "plan-target"]
    problems = []
    for t in plan_targets():
        matches = [
            f["id"] for f in plan_figures
            if float(f["value"]) == float(t["threshold"]) and (t["quote"] in f["quote"] or f["quote"] in t["quote"])
        ]
        if not matches:
            problems.append(f"{t['id']}: no plan-target entry with value {t['threshold']} quoting {t['quote']!r}")
    assert not problems, "\n".join(problems)


def test_every_plan_target_quote_is_in_the_plan():
    plan_text = seed_file(SEED_004).read_text("utf-8")
    plan_figures = [f for f in FIGURES if f["use"] == "plan-target"]
    problems = [f"{t['id']}: quote is neither in seed 004 nor in a plan-target entry: {t['quote']!r}"
                for t in plan_targets()
                if not (t["quote"] in plan_text or any(t["quote"] in f["quote"] for f in plan_figures))]
    assert not problems, "\n".join(problems)
