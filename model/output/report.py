"""The end-of-horizon table for the terminal and the markdown report of a results folder.

report.md is written in the language of --lang (its sentences, headings and notes come from phrases.py); the
terminal's table keeps its English framing beside names in --lang, its money line and known limits in --lang.
"""

from __future__ import annotations

import unicodedata
from collections.abc import Callable

from ..indicators import INDICATORS, indicator_name
from ..lever_registry import LEVERS
from ..parameters import LABELS_ZH
from ..profiles import PROFILES, Profile
from ..scenario import Scenario
from .limits import KNOWN_LIMITS
from .phrases import (
    CONTEXT_ZH,
    NOTE_ABOUT,
    NOTE_COMMITMENTS,
    NOTE_DRAWN,
    NOTE_EFFECTS,
    NOTE_FROM_PLAN,
    PHRASES,
    delivery,
    few_runs_note,
    light_name,
    money_sentence,
    say,
    sentences,
    unit_name,
    yi,
)
from .phrases import headline as phrased_headline
from .readings import channel_name, commitments, from_plan, light, measured_value, outcomes, percent, scenario_title

# Shown at the horizon when no target reads them (a scenario without targets, such as the city baseline).
HEADLINE_INDICATORS = ("high_tech", "specialized_sme", "listed", "rd_intensity", "to_above_scale_cum",
                       "national_platforms", "municipal_platforms")
CONTEXT = ("living_firms", "above_scale", "entries_cum", "exits_cum", "researchers",
           "budget_disbursed_cum", "budget_unspent_cum", "social_capital_cum",
           "total_index", "increment_index", "quality_index")
# report.md names indicators and channels as the plan does, in Chinese, whatever --lang
REPORT_NAMES = "zh"


def target_cell(t: dict, lang: str = "en", number: Callable[[str, float], str] | None = None) -> str:
    """'> 1,500 (2026)'; an 'about' target also says what counts as met: '>= 400 (2026; about: >= 380 counts)',
    '>= 400（2026；左右：>= 380 计为达成）' (zh). The terminal's is English, its framing. `number(indicator, value)`
    writes the amounts (the app passes its page's)."""
    number = number or fmt
    ind, measured = t["indicator"], measured_value(t)
    if measured is None:
        return f"{t['comparator']} {number(ind, t['threshold'])} ({t['year']})"
    return say("target_about_cell", lang, cmp=t["comparator"], value=number(ind, t["threshold"]),
               measured=number(ind, measured), year=t["year"])


def fmt(indicator: str, v: float) -> str:
    unit = INDICATORS[indicator].unit
    if unit == "%":
        return f"{v:.2f}%"
    if unit == "x":
        return f"{v:.2f}x"
    if unit == "index":
        return f"{v:.1f}"
    if unit == "share":  # written as a fraction in scenario files (0.6), shown as written
        return f"{v:.2f}"
    if unit == "1/year":  # exit hazards, a few hundredths
        return f"{v:.3f}"
    if unit.startswith("万元"):
        return f"{v / 1e4:,.1f}亿"
    return f"{v:,.0f}"


def _width(s: str) -> int:
    return sum(2 if unicodedata.east_asian_width(c) in "WF" else 1 for c in s)


def _pad(s: str, w: int, right: bool = False) -> str:
    fill = " " * max(w - _width(s), 0)
    return fill + s if right else s + fill


def _baseline_cell(summary: dict, t: dict) -> str:
    """The baseline, marked * when drawn per replication and † when its estimate leans on the plan's targets."""
    ind = t["indicator"]
    s = summary["indicators"][ind]
    drawn = "*" if s["baseline_p10"] != s["baseline_p90"] else ""
    return fmt(ind, t["baseline"]) + drawn + ("†" if from_plan(t) else "")


def _rows(summary: dict, lang: str = "zh") -> list[list[str]]:
    rows = []
    for t in outcomes(summary):
        ind = t["indicator"]
        rows.append([
            indicator_name(ind, lang),
            _baseline_cell(summary, t),
            target_cell(t),
            f"{fmt(ind, t['p50'])} [{fmt(ind, t['p10'])} - {fmt(ind, t['p90'])}]",
            f"{percent(t['p_meet'])}%",
            light(t["p_meet"]),
        ])
    return rows


def _commitment_rows(summary: dict, lang: str = "zh") -> list[list[str]]:
    return [[indicator_name(t["indicator"], lang), target_cell(t), fmt(t["indicator"], t["p50"]), t["delivery"] or ""]
            for t in commitments(summary)]


# The terminal tables' headings: bilingual with the Chinese names (the default), English with the English ones
HEAD_COMMITMENTS = {"zh": ["commitment 承诺事项", "target 目标", "delivered 交付", "by the lever 由杠杆直接交付"],
                    "en": ["commitment", "target", "delivered", "by the lever"]}
HEAD = {"zh": ["indicator 指标", "baseline 基期", "target 目标", "P50 [P10 - P90]", "P(meet)", ""],
        "en": ["indicator", "baseline", "target", "P50 [P10 - P90]", "P(meet)", ""]}


def text_table(head: list[str], rows: list[list[str]], right: tuple[int, ...] = ()) -> list[str]:
    """Lines of an aligned terminal table (Chinese characters count two columns); `right`: right-aligned columns."""
    rows = [head, *rows]
    widths = [max(_width(r[i]) for r in rows) for i in range(len(head))]
    lines = []
    for k, r in enumerate(rows):
        lines.append("  ".join(_pad(c, widths[i], right=i in right) for i, c in enumerate(r)).rstrip())
        if k == 0:
            lines.append("  ".join("-" * w for w in widths))
    return lines


def markdown_table(head: list[str], rows: list[list[str]], right: tuple[int, ...] = ()) -> list[str]:
    """Lines of a markdown table; `right`: right-aligned columns."""
    rule = "|" + "|".join("---:" if i in right else "---" for i in range(len(head))) + "|"
    return ["| " + " | ".join(head) + " |", rule, *("| " + " | ".join(r) + " |" for r in rows)]


def context_indicators(summary: dict) -> list[str]:
    """The context table's indicators: the usual context, led by the headline ones no target reads."""
    targeted = {t["indicator"] for t in summary["targets"]}
    return [i for i in HEADLINE_INDICATORS if i not in targeted] + list(CONTEXT)


def _untargeted_rows(summary: dict, lang: str = "zh") -> list[list[str]]:
    rows = []
    for ind in HEADLINE_INDICATORS:
        s = summary["indicators"][ind]
        drawn = "*" if s["baseline_p10"] != s["baseline_p90"] else ""
        rows.append([indicator_name(ind, lang), fmt(ind, s["baseline_p50"]) + drawn, "-",
                     f"{fmt(ind, s['p50'])} [{fmt(ind, s['p10'])} - {fmt(ind, s['p90'])}]", "-", ""])
    return rows


def known_limits(summary: dict, name: Callable[[str], str] | None = None, *, lang: str) -> list[str]:
    """The known limits (limits.KNOWN_LIMITS) of the indicators the scenario's targets read, one line each, in
    `lang`. `name` names an indicator (default its Chinese name, as the report's tables; the terminal and the app
    pass their language's)."""
    name = name or (lambda i: INDICATORS[i].zh)
    seen = [t["indicator"] for t in summary["targets"]]
    return [f"{name(i)} ({i}): {KNOWN_LIMITS[i][lang]}" for i in dict.fromkeys(seen) if i in KNOWN_LIMITS]


def console_table(summary: dict, lang: str = "zh") -> str:
    """The terminal's table, notes, money line and known limits; `lang` names the indicators and writes the money line
    and the known limits (innosim run --lang), the rest is English."""
    rows = _rows(summary, lang) if summary["targets"] else _untargeted_rows(summary, lang)
    lines = text_table(HEAD[lang], rows, right=(1, 4))
    end = summary["end"]
    title = (f"{summary['title']} — {summary['replications']} replications, seed {summary['seed']}, "
             f"values at December of the target year (horizon {end})")
    few = few_runs_note(summary, "en")
    notes = ([few] if few else []) + [NOTE_DRAWN] + ([NOTE_FROM_PLAN] if any(from_plan(t) for t in summary["targets"])
                                                     else [])
    notes += [NOTE_ABOUT] if any(measured_value(t) is not None for t in summary["targets"]) else []
    notes += [NOTE_EFFECTS] if summary.get("lever_effects", {}).get("drawn") else []
    promised = commitments(summary)
    if promised:
        lines += ["", *text_table(HEAD_COMMITMENTS[lang], _commitment_rows(summary, lang), right=(2,))]
        notes.append(NOTE_COMMITMENTS)
    sentence = money_sentence(summary, lang)
    money = [f"$ {sentence}"] if sentence else []
    limits = known_limits(summary, lambda i: indicator_name(i, lang), lang=lang)
    return "\n".join([title, *lines, *notes, *money, *(f"! {x}" for x in limits)])


def headline(summary: dict, lang: str) -> str:
    """report.md's headline in `lang`, its indicators and channels named in Chinese as the plan names them."""
    return phrased_headline(summary, lang, names=REPORT_NAMES)


def money_rows(summary: dict, lang: str) -> list[list[str]]:
    rows = []
    for c, v in summary["money"].items():
        if c == "total":
            name = say("money_total_row", lang)
        else:  # the Chinese name beside the id, as the target table names indicators ("高新技术企业 (high_tech)" in zh)
            name = f"{channel_name(c, REPORT_NAMES)} {c}" if lang == "en" else f"{channel_name(c, REPORT_NAMES)} ({c})"
        u, paid = v["unspent_share"], v["paid"]
        rows.append([name, yi(v["budgeted"]["p50"]),
                     f"{yi(paid['p50'])} [{yi(paid['p10'])} - {yi(paid['p90'])}]",
                     f"{100 * u['p50']:.0f}% [{100 * u['p10']:.0f} - {100 * u['p90']:.0f}%]"])
    return rows


def money_section(summary: dict, lang: str) -> list[str]:
    """Each channel's budget, payments and unspent share over the horizon."""
    if not summary.get("money"):
        return []
    return ["", f"## {say('money', lang)}", "", money_sentence(summary, lang, names=REPORT_NAMES), "",
            *markdown_table(say("th_money", lang).split("|"), money_rows(summary, lang), right=(1, 2, 3)),
            "", say("money_note", lang)]


def effects_section(summary: dict, lang: str) -> list[str]:
    """The levers' behavioural parameters, their evidence and whether this run drew them."""
    effects = summary.get("lever_effects")
    if not effects:
        return []
    how = say("effects_drawn" if effects["drawn"] else "effects_held", lang)
    lines = ["", f"## {say('h_effects', lang, how=how)}", "", say("effects_rows", lang), "",
             say("th_effects", lang), "|---|---:|---|---|---|---|"]
    for name, e in effects["parameters"].items():
        missing = say("no_evidence", lang) if e["no_evidence"] else ""
        cited = "; ".join(part for part in (", ".join(e["evidence"]), missing) if part)
        label = LABELS_ZH.get(name, e["label"]) if lang == "zh" else e["label"]
        lines.append(f"| {label} (`{name}`) | {e['central']:g} | {e['range'][0]:g} - {e['range'][1]:g} | "
                     f"{unit_name(e['unit'], lang)} | {cited} | "
                     f"{', '.join(e['levers']) or say('background_rule', lang)} |")
    return lines


def _targets_section(summary: dict, lang: str) -> list[str]:
    lines = [f"## {say('h_targets', lang)}", "", say("th_targets", lang), "|---|---:|---|---:|---|---:|---|---|"]
    for t in outcomes(summary):
        ind = t["indicator"]
        lines.append(
            f"| {INDICATORS[ind].zh} ({ind}) | {_baseline_cell(summary, t)} | {target_cell(t, lang)} | "
            f"{fmt(ind, t['p50'])} | {fmt(ind, t['p10'])} - {fmt(ind, t['p90'])} | {percent(t['p_meet'])}% | "
            f"{light_name(t['p_meet'], lang)} | {t['quote']} ({t['source']}) |")
    few = few_runs_note(summary, lang)
    lines += ["", f"**{few}**"] if few else []
    lines += ["", "\\" + say("drawn_note", lang)]  # escaped: not a list item
    if any(from_plan(t) for t in summary["targets"]):
        lines += ["", sentences([say("derived_note", lang), say("derived_where", lang)], lang)]
    if any(measured_value(t) is not None for t in summary["targets"]):
        lines += ["", say("about_note", lang)]
    return lines


def _commitments_section(summary: dict, scenario: Scenario, lang: str) -> list[str]:
    promised = commitments(summary)
    if not promised:
        return []
    lines = ["", f"## {say('commitments', lang)}", "", say("commitments_note", lang), "",
             say("th_commitments", lang), "|---|---|---:|---|---|"]
    targets = {x.id: x for x in scenario.targets}
    for t in promised:
        # the saved English if the scenario has lost the target
        how = delivery(scenario, targets[t["id"]], lang) if t["id"] in targets else t["delivery"]
        lines.append(f"| {INDICATORS[t['indicator']].zh} ({t['indicator']}) | {target_cell(t, lang)} | "
                     f"{fmt(t['indicator'], t['p50'])} | {how} | {t['quote']} ({t['source']}) |")
    return lines


def _context_section(summary: dict, lang: str) -> list[str]:
    lines = ["", f"## {say('h_context', lang)}", "", say("th_context", lang), "|---|---:|---:|---|"]
    for ind in context_indicators(summary):
        s = summary["indicators"][ind]
        name = INDICATORS[ind].label if lang == "en" else CONTEXT_ZH.get(ind, indicator_name(ind, lang))
        lines.append(f"| {name} ({ind}) | {fmt(ind, s['baseline_p50'])} | {fmt(ind, s['p50'])} | "
                     f"{fmt(ind, s['p10'])} - {fmt(ind, s['p90'])} |")
    return lines


def _lever_cells(key: str, value: object, lang: str) -> str:
    """A lever's row: its key and value as the scenario file writes them (en); its Chinese name beside the key, a
    switch as 是/否 (zh)."""
    if lang == "en":
        return f"| {key} | {value} |"
    name = LEVERS[key].zh if key in LEVERS else PHRASES.get(f"lever_{key}", {}).get("zh")
    shown = say("yes" if value else "no", lang) if isinstance(value, bool) else value
    return f"| {f'{name} ({key})' if name else key} | {shown} |"


def _levers_section(scenario: Scenario, lang: str) -> list[str]:
    lev = scenario.levers
    lines = ["", f"## {say('h_levers', lang)}", "", say("th_levers", lang), "|---|---:|"]
    lines += [_lever_cells(k, v, lang) for k, v in lev.model_dump(exclude={"budget"}).items()]
    lines += [f"| {say('budget_row', lang, name=channel_name(k, REPORT_NAMES), channel=k)} | {v:,.0f} |"
              for k, v in lev.budget.model_dump().items()]
    return [*lines, f"| {say('budget_total_row', lang)} | {lev.budget.total():,.0f} |"]


def _entry(e: dict, field: str, lang: str) -> str:
    """A profile entry's label, estimate or source on one line, in Chinese (its `<field>_zh`) where it has one."""
    text = (e.get(f"{field}_zh") if lang == "zh" else None) or e[field]
    return " ".join(str(text).split())


def _profile_sections(prof: Profile, lang: str) -> list[str]:
    lines = ["", f"## {say('h_estimates', lang)}", "", say("th_estimates", lang), "|---|---|---|---|"]
    for key in prof.estimated():
        e = prof.entries[key]
        lines.append(f"| {_entry(e, 'label', lang)} | {e['range'][0]:,} - {e['range'][1]:,} | "
                     f"{unit_name(e['unit'], lang)} | {_entry(e, 'estimate', lang)} |")
    sourced = [e for e in prof.entries.values() if "value" in e]
    lines += ["", f"## {say('h_sourced', lang)}", ""]
    if not sourced:  # Tongzhou's: every baseline value is drawn from a range, and an empty table reads as a fault
        return [*lines, say("none_sourced", lang)]
    lines += [say("th_sourced", lang), "|---|---:|---|---|"]
    return lines + [f"| {_entry(e, 'label', lang)} | {e['value']:,} | {unit_name(e['unit'], lang)} | "
                    f"{_entry(e, 'source', lang)} |" for e in sourced]


SEEDS = ["- seed 004: 北京城市副中心科技创新“三量齐升”行动计划(2024-2026年), 通州区科技领导小组办公室, 2024.",
         "- seed 000: 北京经开区五大举措打造国际科技创新中心主平台, 科技日报, 2021-02-01.",
         "- seed 001: 科技创新片区:双轮驱动的科创“大脑”, 北京商报, 2021-01-16.",
         "- seed 002: 中关村奋力推进世界领先科技园区建设, 2024.",
         "- seed 003: 北京:全面深化改革 建设全国科技创新中心, 2015-01-10."]


def markdown(summary: dict, scenario: Scenario, lang: str = "zh") -> str:
    """report.md before its charts (briefing.with_charts), in `lang` (innosim run --lang): every sentence, heading
    and note; indicators and channels named in Chinese in either language, as the plan names them."""
    meta = say("meta", lang, scenario=summary["scenario"], file=summary["scenario_file"] or say("in_memory", lang),
               profile=summary["profile"], start=summary["start"], end=summary["end"],
               replications=summary["replications"], seed=summary["seed"], hash=summary["scenario_hash"],
               commit=summary["git_commit"])
    lines = [f"# {scenario_title(summary, lang)}", "", meta, "", f"## {say('h_headline', lang)}", "",
             headline(summary, lang), ""]
    lines += _targets_section(summary, lang)
    lines += _commitments_section(summary, scenario, lang)
    lines += money_section(summary, lang)
    limits = known_limits(summary, lang=lang)
    if limits:
        lines += ["", f"## {say('h_limits', lang)}", "", *(f"- {x}" for x in limits)]
    lines += _context_section(summary, lang)
    lines += _levers_section(scenario, lang)
    lines += effects_section(summary, lang)
    lines += _profile_sections(PROFILES[scenario.scenario.profile], lang)
    lines += ["", f"## {say('h_sources', lang)}", "", *SEEDS, f"- {say('sources_profile', lang)}",
              f"- {say('sources_parameters', lang)}", ""]
    return "\n".join(lines)
