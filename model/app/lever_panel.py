"""Step 2 of the page: a control per lever, built from the lever registry (model/app/controls.py), with the
plan's value, the ranges, what the lever does, and under "Mechanism and evidence" its effects and their sources."""

from __future__ import annotations

import math

import solara

from . import adapter as ad
from . import controls
from .state import values
from .text import t


def number(v: float) -> str:
    if v == int(v) and abs(v) < 1e15:
        return f"{int(v):,}"
    return f"{v:,.2f}".rstrip("0").rstrip(".")


def nice_step(lo: float, hi: float) -> float:
    """A round step (1, 2 or 5 times a power of ten) of about a hundredth of the span."""
    span = hi - lo
    if span <= 0:
        return 1.0
    base = 10 ** math.floor(math.log10(span / 100))
    return next(m * base for m in (1, 2, 5, 10) if m * base >= span / 100)


def css_name(lever: str) -> str:
    return lever.replace(".", "-").replace("_", "-")


def caption(control: controls.Control, scenario: ad.Scenario, v: float, language: str) -> str:
    """The line under a control: the plan's value, the explored and valid ranges, the value in the reports' unit,
    and what the lever is."""
    name, plan = control.name, controls.plan_value(scenario, control.name)
    parts = [t("plan_value", language, value=number(plan))]
    declared = controls.explored_range(scenario, name)
    if declared:
        parts.append(t("explored_range", language, lo=number(declared[0]), hi=number(declared[1])))
    parts.append(t("valid_range", language, lo=number(control.bounds[0]), hi=number(control.bounds[1])))
    shown = controls.in_shown_unit(name, v, language)
    if shown:
        parts.append(t("shown_as", language, value=shown, unit="").strip())
    return " · ".join(parts) + " — " + control.explain(language)


def money_note(control: controls.Control, scenario: ad.Scenario, language: str) -> str | None:
    """How a count and the channel that pays for it move together (levers.channel_follows_counts)."""
    name = control.name
    if control.channel:
        channel = ad.REGISTRY[control.channel]
        return t("grant_each", language, channel=channel.zh if language == "zh" else channel.en,
                 unit=control.unit_zh, grant=number(controls.grant(scenario, name)))
    if controls.floor_raised(scenario, values.value, name):
        return t("floor", language)
    follow = controls.followed(scenario, values.value).get(name, 0.0)
    if follow:
        return t("follows", language, delta=("+" if follow > 0 else "-") + number(abs(follow)))
    return None


@solara.component
def LeverControl(control: controls.Control, scenario: ad.Scenario, language: str):
    name = control.name
    plan = controls.plan_value(scenario, name)
    v = controls.shown_value(scenario, values.value, name)

    def set_value(x):
        if x is None or (isinstance(x, float) and not math.isfinite(x)):
            return
        new = dict(values.value)
        new.pop(name, None)
        if float(x) != controls.shown_value(scenario, new, name):  # the value the lever has unless set here
            new[name] = controls.stored_value(scenario, new, name, float(x))
        values.value = new

    with solara.Div(classes=["innosim-lever", f"lever-{css_name(name)}"]):
        with solara.Row(style={"align-items": "center"}):
            solara.Text(f"{control.label(language)}（{control.unit(language)}）" if language == "zh"
                        else f"{control.label(language)} ({control.unit(language)})", classes=["innosim-lever-name"])
            if v != plan:
                solara.Text(t("changed", language), classes=["innosim-changed"])
        if control.kind == "switch":
            solara.Checkbox(label=control.explain(language), value=bool(v), on_value=lambda b: set_value(float(b)))
            return
        lo, hi = controls.slider_range(scenario, name)
        step = nice_step(lo, hi)

        def slide(x):  # the slider moves in steps of a round size; the plan's own value is never snapped
            if x is not None and abs(x - min(max(v, lo), hi)) > step / 2:
                set_value(round(lo + round((x - lo) / step) * step, 6))

        with solara.Row(style={"align-items": "center"}):
            solara.InputFloat("", value=v, on_value=set_value, classes=[f"lever-input-{css_name(name)}"], dense=True,
                              style={"max-width": "160px"})
            # step 0: Vuetify leaves the value as given (a step would snap the plan's value on display)
            solara.SliderFloat("", value=min(max(v, lo), hi), min=lo, max=hi, step=0, on_value=slide,
                               thumb_label=False)
        solara.Text(caption(control, scenario, v, language), classes=["innosim-caption"])
        note = money_note(control, scenario, language)
        if note:
            solara.Text(note, classes=["innosim-caption", "innosim-money-note"])
        with solara.Details(summary=t("evidence", language)):
            Evidence(control, scenario, language)


@solara.component
def Evidence(control: controls.Control, scenario: ad.Scenario, language: str):
    """The registry's mechanism and each effect with its range, source and the policy-evidence rows it cites."""
    if control.mechanism:
        solara.Text(f"{t('mechanism', language)}{control.mechanism_in(language)}",
                    classes=["innosim-caption", "mechanism"])
    if control.effects:
        solara.Text(t("effects_intro", language), classes=["innosim-caption"])
    elif control.kind == "number":
        solara.Text(t("no_effects_shift" if control.name == "adaptive_shift" else "no_effects", language),
                    classes=["innosim-caption"])
    for e in control.effects:
        solara.Text(t("effect_line", language, label=e.label_in(language), name=e.name, central=f"{e.central:g}",
                      lo=f"{e.range[0]:g}", hi=f"{e.range[1]:g}",
                      unit="" if e.unit == "-" else " " + ad.unit_name(e.unit, language)), classes=["effect"])
        solara.Text(e.source_in(language), classes=["innosim-caption", "effect-source"])
        if e.no_evidence:
            solara.Text(t("no_evidence_found", language), classes=["innosim-caption"])
        for row in e.evidence:
            solara.Text(" — ".join(x for x in (row.id, row.reference, row.url) if x),
                        classes=["innosim-caption", "evidence-row"])
    if control.per_year:
        PerYear(control, scenario, language)
    else:
        solara.Text(t("one_value", language), classes=["innosim-caption"])


@solara.component
def PerYear(control: controls.Control, scenario: ad.Scenario, language: str):
    """One field per year of the horizon, for levers the scenario format takes per year (none yet: PER_YEAR)."""
    first, last = int(scenario.scenario.start[:4]), int(scenario.scenario.end[:4])
    key = f"{control.name}@"
    solara.Text(t("per_year", language))
    with solara.Row():
        for year in range(first, last + 1):
            cur = values.value.get(f"{key}{year}", controls.plan_value(scenario, control.name))

            def set_year(x, year=year):
                if x is not None:
                    values.value = {**values.value, f"{key}{year}": float(x)}

            solara.InputFloat(t("year_value", language, year=year), value=cur, on_value=set_year, dense=True)


@solara.component
def LeverPanel(scenario: ad.Scenario, language: str):
    solara.Text(t("levers_intro", language), classes=["innosim-caption"])
    with solara.Row(style={"align-items": "center"}):
        solara.Button(t("reset", language), on_click=lambda: values.set({}), outlined=True, classes=["reset-levers"])
        try:
            now = controls.with_values(scenario, values.value).levers.budget.total()
            solara.Text(t("budget_total", language, value=number(now), plan=number(scenario.levers.budget.total())),
                        classes=["budget-total"])
        except ad.InputError as err:  # a value outside its bounds, e.g. a channel pushed past its limit
            solara.Text(f"{t('budget_error', language)} innosim: error: {err}", classes=["innosim-error"])
    for group, names in controls.GROUPS:
        with solara.Details(summary=t(f"group_{group}", language), expand=group in ("platforms", "budget")):
            for name in names:
                LeverControl(controls.CONTROLS[name], scenario, language)
