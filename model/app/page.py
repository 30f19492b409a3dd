"""The planner's page (Solara): pick a scenario, move the levers, run, read the targets, take the briefing home.

Every browser tab is its own Solara session: the reactive values below and the run task hold one value per tab,
so two tabs never share settings or runs.
"""

from __future__ import annotations

import html
import math
from pathlib import Path

import solara
import solara.lab
import traitlets
from solara.components.file_drop import FileDropZone

from . import adapter as ad
from . import config, exports, inside, outcome, runner
from .text import t

lang = solara.reactive("zh")
choice = solara.reactive(ad.PLAN_FILE)  # a library file name, or "" for the uploaded scenario
uploaded = solara.reactive(None)  # (file name, Scenario) of the last valid upload
upload_error = solara.reactive("")
values = solara.reactive({})  # lever -> value set on the page (levers left at the plan's value are absent)
replications = solara.reactive(0)  # 0: the scenario's own
seed = solara.reactive(-1)  # -1: the scenario's own
parameters = solara.reactive("posterior")
fan_pick = solara.reactive("")
run_error = solara.reactive("")
inside_replication = solara.reactive(0)


# ------------------------------------------------------------------ the run, on a worker thread
@solara.lab.task(prefer_threaded=True)
def run_task(settings: runner.Settings, source_name: str, language: str):
    def on_progress(p: runner.Progress) -> None:
        run_task.progress = p.percent

    yield from outcome.run(settings, source_name, config.RESULTS, language, on_progress,
                           should_stop=lambda: not run_task.is_current())


@solara.lab.task(prefer_threaded=True)
def inside_task(settings: runner.Settings, replication: int):
    source, _ = ad.parameter_source(settings.parameters)

    def on_month(done: int, total: int) -> None:
        inside_task.progress = 100.0 * done / total

    collector = inside.run(settings.scenario, replication, settings.seed, source, on_month,
                           lambda: not inside_task.is_current())
    return settings.scenario, replication, collector


# ------------------------------------------------------------------ helpers
def current() -> tuple[str, ad.Scenario | None]:
    """(name shown, scenario) of the current choice."""
    if choice.value == "":
        return (uploaded.value[0], uploaded.value[1]) if uploaded.value else ("", None)
    return choice.value, _library_scenario(choice.value)


_LIBRARY: dict[str, ad.Scenario] = {}


def _library_scenario(name: str) -> ad.Scenario | None:
    if name not in _LIBRARY:
        path = next((p for p in ad.library() if p.name == name), None)
        if path is None:
            return None
        _LIBRARY[name] = ad.load(path)
    return _LIBRARY[name]


def _library_items() -> list[dict]:
    items = []
    for p in ad.library():
        try:
            items.append({"text": f"{p.name} — {_library_scenario(p.name).scenario.title}", "value": p.name})
        except ad.InputError:  # a broken library file is left out of the list, not fatal
            continue
    return items


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


def settings_now(scenario: ad.Scenario) -> runner.Settings:
    """The run the page would start now; InputError for a lever value outside its bounds."""
    sc = ad.with_values(scenario, values.value) if values.value else scenario
    n = replications.value or scenario.scenario.replications
    s = scenario.scenario.seed if seed.value < 0 else seed.value
    if not 1 <= n <= 100_000:
        raise ad.InputError("replications", "replications", f"{n}: must be between 1 and 100000")
    sc = sc.model_copy(update={"scenario": sc.scenario.model_copy(update={"replications": n, "seed": s})})
    ref = scenario.model_copy(update={"scenario": scenario.scenario.model_copy(update={"replications": n, "seed": s})})
    return runner.Settings(sc, ref, n, s, parameters.value, config.WORKERS)


def table_html(head: list[str], rows: list[list[str]], cls: str, row_ids: list[str] | None = None,
               lights: list[str] | None = None, titles: list[str] | None = None) -> str:
    """An HTML table; every cell is escaped (scenario text comes from files and uploads)."""
    e = html.escape
    out = [f'<table class="innosim-table {e(cls)}"><thead><tr>', *(f"<th>{e(h)}</th>" for h in head),
           "</tr></thead><tbody>"]
    for i, r in enumerate(rows):
        rid = f' data-target="{e(row_ids[i])}"' if row_ids else ""
        title = f' title="{e(titles[i])}"' if titles else ""
        out.append(f"<tr{rid}{title}>")
        for j, c in enumerate(r):
            light = f" tl-{e(lights[i])}" if lights and j == len(r) - 1 else ""
            out.append(f'<td class="c{j}{light}">{e(c)}</td>')
        out.append("</tr>")
    out.append("</tbody></table>")
    return "".join(out)


CSS = """
/* over Vuetify's Roboto (its .headline, .title ... classes set it too); icons keep their font */
.v-application, .v-application * { font-family: %(stack)s !important; }
.innosim-step { margin: 12px 0; padding: 12px 16px; }
.innosim-table { border-collapse: collapse; font-size: 14px; margin: 8px 0; }
.innosim-table td, .innosim-table th { border: 1px solid #ccc; padding: 4px 8px; vertical-align: top; }
.innosim-table th { background: #f3f3f3; text-align: left; }
.innosim-table td.tl-green { background: #2e8b57; color: #fff; }
.innosim-table td.tl-amber { background: #e0a100; }
.innosim-table td.tl-red { background: #c0392b; color: #fff; }
.innosim-lever { border-bottom: 1px solid #eee; padding: 6px 0; }
.innosim-lever .v-expansion-panel-header { min-height: 28px !important; padding: 2px 12px; font-size: 13px; }
.innosim-lever .v-expansion-panels { margin-top: 2px; }
.innosim-lever-name { font-weight: 600; }
.innosim-caption { display: block; color: #555; font-size: 13px; }
.innosim-changed { color: #c05800; font-weight: 600; margin-left: 8px; }
.innosim-error { display: block; color: #b00020; white-space: pre-wrap; }
.innosim-headline { display: block; font-size: 16px; margin: 8px 0; }
.innosim-warning { display: block; background: #fff3cd; padding: 6px 10px; margin: 4px 0; }
"""


# ------------------------------------------------------------------ upload
class UploadZone(FileDropZone):
    template_file = (str(Path(__file__).parent / "upload.vue"), "upload.vue")
    accept = traitlets.Unicode(".toml").tag(sync=True)


@solara.component
def Upload(language: str):
    file_info, set_file_info = solara.use_state(None)
    wired, set_wired = solara.use_state(None)
    zone = UploadZone.element(label=t("upload_drop", language), on_file_info=set_file_info, multiple=False)

    def wire():  # on the render thread: the widget hands out file objects that fetch bytes on demand
        if file_info:
            widget = solara.get_widget(zone)
            widget.version += 1
            widget.reset_stats()
            set_wired(widget.get_files())

    solara.use_effect(wire, [file_info])

    def take():  # on a worker thread: reading waits for the browser's chunks
        if not wired:
            return
        f = wired[0]
        try:
            if f["size"] > ad.MAX_FILE_BYTES:  # refused before a byte is sent
                raise ad.InputError(f["name"], "(file)", f"file is {f['size']} bytes, above the "
                                                         f"{ad.MAX_FILE_BYTES}-byte limit")
            data = f["file_obj"].read(ad.MAX_FILE_BYTES + 1)
            sc = ad.load_upload(f["name"], data, config.RESULTS)
        except ad.InputError as err:  # one line, as `innosim validate` prints it; no scenario, so nothing can run
            uploaded.value = None
            choice.value = ""
            upload_error.value = f"innosim: error: {err}"
            return
        upload_error.value = ""
        uploaded.value = (f["name"], sc)
        values.value = {}
        choice.value = ""

    solara.use_thread(take, [wired])


# ------------------------------------------------------------------ levers
@solara.component
def LeverControl(lever: ad.Lever, scenario: ad.Scenario, language: str):
    name = lever.name
    plan = ad.lever_value(scenario, name)
    v = values.value.get(name, plan)

    def set_value(x):
        if x is None or (isinstance(x, float) and not math.isfinite(x)):
            return
        new = dict(values.value)
        if float(x) == plan:
            new.pop(name, None)
        else:
            new[name] = float(x)
        values.value = new

    with solara.Div(classes=["innosim-lever", f"lever-{css_name(name)}"]):
        with solara.Row(style={"align-items": "center"}):
            solara.Text(f"{lever.label(language)}（{lever.unit(language)}）" if language == "zh"
                        else f"{lever.label(language)} ({lever.unit(language)})", classes=["innosim-lever-name"])
            if v != plan:
                solara.Text(t("changed", language), classes=["innosim-changed"])
        if lever.kind == "switch":
            solara.Checkbox(label=lever.explain(language), value=bool(v), on_value=lambda b: set_value(float(b)))
            return
        lo, hi = ad.slider_range(scenario, name)
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
        declared = ad.explored_range(scenario, name)
        caption = [t("plan_value", language, value=number(plan))]
        if declared:
            caption.append(t("explored_range", language, lo=number(declared[0]), hi=number(declared[1])))
        caption.append(t("valid_range", language, lo=number(lever.bounds[0]), hi=number(lever.bounds[1])))
        solara.Text(" · ".join(caption) + " — " + lever.explain(language), classes=["innosim-caption"])
        with solara.Details(summary=t("evidence", language)):
            if lever.evidence:
                for e in lever.evidence:
                    solara.Text(e)
            else:
                solara.Text(t("no_evidence", language), classes=["innosim-caption"])
            if lever.per_year:
                PerYear(lever, scenario, language)
            else:
                solara.Text(t("one_value", language), classes=["innosim-caption"])


@solara.component
def PerYear(lever: ad.Lever, scenario: ad.Scenario, language: str):
    """One field per year of the horizon, for levers the scenario format takes per year (none yet: ad.PER_YEAR)."""
    first, last = int(scenario.scenario.start[:4]), int(scenario.scenario.end[:4])
    key = f"{lever.name}@"
    solara.Text(t("per_year", language))
    with solara.Row():
        for year in range(first, last + 1):
            cur = values.value.get(f"{key}{year}", ad.lever_value(scenario, lever.name))

            def set_year(x, year=year):
                if x is not None:
                    values.value = {**values.value, f"{key}{year}": float(x)}

            solara.InputFloat(t("year_value", language, year=year), value=cur, on_value=set_year, dense=True)


@solara.component
def LeverPanel(scenario: ad.Scenario, language: str):
    solara.Text(t("levers_intro", language), classes=["innosim-caption"])
    budget_now = sum(values.value.get(f"budget.{k}", ad.lever_value(scenario, f"budget.{k}"))
                     for k in ad.Budget.model_fields)
    budget_plan = scenario.levers.budget.total()
    with solara.Row():
        solara.Button(t("reset", language), on_click=lambda: values.set({}), outlined=True, classes=["reset-levers"])
        solara.Text(t("budget_total", language, value=number(budget_now), plan=number(budget_plan)))
    for group, names in ad.GROUPS:
        with solara.Details(summary=t(f"group_{group}", language), expand=group in ("platforms", "budget")):
            for name in names:
                LeverControl(ad.LEVERS[name], scenario, language)


# ------------------------------------------------------------------ results
@solara.component
def Results(result: outcome.Result, language: str):
    solara.Text(outcome.headline(result.summary, language), classes=["innosim-headline", "innosim-head"])
    compare_line = outcome.comparison_headline(result, language)
    if compare_line:
        solara.Text(compare_line, classes=["innosim-headline", "innosim-head-compare"])
    if result.parameters_note:
        key = "posterior_missing" if result.parameters_note == "missing" else "posterior_unreadable"
        solara.Text(t(key, language, reason=result.parameters_note), classes=["innosim-warning", "parameters-note"])
    rows = outcome.target_rows(result, language)
    head = [t(k, language) for k in ("col_indicator", "col_baseline", "col_target", "col_range", "col_pmeet")]
    for kind, title in (("outcome", "outcomes"), ("commitment", "commitments")):
        mine = [r for r in rows if r["kind"] == kind]
        if not mine:
            continue
        solara.Text(t(title, language), classes=["innosim-lever-name"])
        solara.HTML(tag="div", unsafe_innerHTML=table_html(
            head, [[r["name"], r["baseline"], r["target"], r["range"], r["p_meet"]] for r in mine],
            f"targets targets-{kind}", [r["id"] for r in mine], [r["light"] for r in mine],
            [f"{r['quote']} ({r['source']})" for r in mine]))
    if any(r["baseline"].endswith("*") for r in rows):
        solara.Text(t("drawn_note", language), classes=["innosim-caption"])
    dash = solara.use_memo(lambda: outcome.dashboard_png(result, language), [result.token, language])
    fans = outcome.fan_indicators(result)
    pick = fan_pick.value if fan_pick.value in dict(fans) else fans[0][0]
    fan = solara.use_memo(lambda: outcome.fan_png(result, pick, dict(fans)[pick], language),
                          [result.token, pick, language])
    with solara.Columns([1, 1]):
        with solara.Column():
            solara.Text(t("dashboard", language), classes=["innosim-lever-name"])
            if dash:
                solara.Image(dash, width="100%")
        with solara.Column():
            solara.Text(t("fan_charts", language), classes=["innosim-lever-name"])
            solara.v.Select(label=t("fan_pick", language), v_model=pick, on_v_model=fan_pick.set,
                            items=[{"text": ad.indicator_name(i, language), "value": i} for i, _ in fans],
                            class_="fan-pick", dense=True)
            solara.Image(fan, width="100%")
            solara.FileDownload(lambda: outcome.fan_png(result, pick, dict(fans)[pick], language, dpi=200),
                                filename=f"fan-{pick}-{language}.png", label=t("dl_chart", language),
                                mime_type="image/png")
    solara.Text(t("comparison", language), classes=["innosim-lever-name"])
    if result.differences is None:
        solara.Text(t("comparison_wait", language), classes=["innosim-caption"])
    elif result.differences:
        crow = outcome.comparison_rows(result, language)
        chead = [t(k, language) for k in ("col_indicator", "col_p50_plan", "col_p50_yours", "col_dp50",
                                          "col_pmeet_change", "col_dpmeet")]
        solara.HTML(tag="div", unsafe_innerHTML=table_html(
            chead, [[r["name"], r["p50_plan"], r["p50_yours"], r["d_p50"], r["p_meet"], r["d_p_meet"]] for r in crow],
            "comparison", [r["id"] for r in crow]))
        solara.Text(t("star_note", language), classes=["innosim-caption"])


@solara.component
def TakeHome(result: outcome.Result, language: str, scenario: ad.Scenario):
    name = result.settings.scenario.scenario.name
    s = result.settings
    with solara.Row(style={"flex-wrap": "wrap"}):
        if result.folder is not None:
            solara.FileDownload(lambda: (result.folder / "report.html").read_bytes(), filename=f"{name}-report.html",
                                label=t("dl_report", language), mime_type="text/html")
            solara.FileDownload(lambda: exports.charts_zip(result.folder), filename=f"{name}-charts.zip",
                                label=t("dl_charts", language), mime_type="application/zip")
        else:
            solara.Text(t("dl_report_wait", language), classes=["innosim-caption"])
        solara.FileDownload(lambda: exports.csv_bytes(exports.targets_table(result, language)),
                            filename=f"{name}-targets.csv", label=t("dl_targets_csv", language), mime_type="text/csv")
        solara.FileDownload(lambda: exports.xlsx_bytes({"targets": exports.targets_table(result, language)}),
                            filename=f"{name}-targets.xlsx", label=t("dl_targets_xlsx", language))
        solara.FileDownload(lambda: exports.csv_bytes(exports.fan_table(result, language)),
                            filename=f"{name}-fan-charts.csv", label=t("dl_fan_csv", language), mime_type="text/csv")
        solara.FileDownload(lambda: exports.xlsx_bytes({"fan-charts": exports.fan_table(result, language)}),
                            filename=f"{name}-fan-charts.xlsx", label=t("dl_fan_xlsx", language))
        solara.FileDownload(lambda: exports.scenario_toml(s.scenario, s.replications, s.seed, result.source_name,
                                                          s.changed),
                            filename=f"{name}{'-app' if s.changed else ''}.toml", label=t("dl_scenario", language),
                            mime_type="application/toml")
    if result.folder is not None:
        solara.Text(t("saved_in", language, folder=str(result.folder)), classes=["innosim-caption", "saved-in"])


# ------------------------------------------------------------------ the page
@solara.component
def Page():
    language = lang.value
    solara.Title("innosim")
    font = ad.font_face(config.FONT_URL) if ad.font_file() else ""
    solara.Style(font + CSS % {"stack": ad.FONT_STACK})
    with solara.Column(style={"max-width": "1200px", "margin": "0 auto", "padding": "8px 16px"}):
        with solara.Row(style={"align-items": "center", "justify-content": "space-between"}):
            solara.Text(t("app_title", language), style={"font-size": "24px", "font-weight": "600"})
            with solara.ToggleButtonsSingle(value=lang, classes=["lang-toggle"]):
                solara.Button("中文", value="zh", classes=["lang-zh"])
                solara.Button("English", value="en", classes=["lang-en"])
        solara.Text(t("app_intro", language), classes=["innosim-caption"])
        if config.EXPOSED:
            solara.Text(t("host_warning", language, host=config.HOST), classes=["innosim-warning", "host-warning"])
        source_name, scenario = current()
        with solara.Card(t("step_scenario", language), classes=["innosim-step", "step-scenario"]):
            solara.v.Select(label=t("library", language), items=_library_items(), v_model=choice.value or None,
                            on_v_model=lambda v: (choice.set(v or ad.PLAN_FILE), values.set({}),
                                                  upload_error.set("")),
                            class_="scenario-pick")
            solara.Text(t("upload", language, kb=ad.MAX_FILE_BYTES // 1000), classes=["innosim-caption"])
            Upload(language)
            if upload_error.value:
                solara.Text(t("upload_error", language), classes=["innosim-error"])
                solara.Text(upload_error.value, classes=["innosim-error", "upload-error"])
            elif choice.value == "" and uploaded.value:
                solara.Text(t("upload_ok", language, name=uploaded.value[0]), classes=["innosim-caption"])
            if scenario is not None:
                m = scenario.scenario
                solara.Text(t("scenario_info", language, title=m.title, start=m.start, end=m.end,
                              n=len(scenario.targets), profile=m.profile), classes=["scenario-info"])
        if scenario is None:
            return
        with solara.Card(t("step_levers", language), classes=["innosim-step", "step-levers"]):
            LeverPanel(scenario, language)
        RunCard(scenario, source_name, language)
        InsideCard(scenario, language)


@solara.component
def RunCard(scenario: ad.Scenario, source_name: str, language: str):
    state = run_task.value if (run_task.pending or run_task.finished) else None
    latest = run_task.latest
    result = (state or latest).result if (state or latest) else None
    pending = run_task.pending
    note = solara.use_memo(lambda: ad.parameter_source(parameters.value)[1], [parameters.value])
    with solara.Card(t("step_run", language), classes=["innosim-step", "step-run"]):
        with solara.Row(style={"align-items": "center", "flex-wrap": "wrap"}):
            solara.InputInt(t("replications", language), value=replications.value or scenario.scenario.replications,
                            on_value=replications.set, classes=["run-replications"], style={"max-width": "160px"})
            solara.InputInt(t("seed", language), value=scenario.scenario.seed if seed.value < 0 else seed.value,
                            on_value=seed.set, classes=["run-seed"], style={"max-width": "200px"})
            solara.v.Select(label=t("parameters", language), v_model=parameters.value, on_v_model=parameters.set,
                            items=[{"text": t(f"param_{m}", language), "value": m} for m in ad.PARAMETER_MODES],
                            class_="run-parameters", style_="max-width: 320px")

            def start():
                run_error.value = ""
                try:
                    settings = settings_now(scenario)
                except ad.InputError as err:
                    run_error.value = f"innosim: error: {err}"
                    return
                run_task(settings, source_name, language)

            solara.Button(t("run", language), on_click=start, color="primary", disabled=pending,
                          classes=["run-button"])
            if pending:
                solara.Button(t("cancel", language), on_click=run_task.cancel, classes=["cancel-button"])
        if note:  # before any run: the planner knows which parameters the run will use
            key = "posterior_missing" if note == "missing" else "posterior_unreadable"
            solara.Text(t(key, language, reason=note), classes=["innosim-warning", "parameters-note-now"])
        if run_error.value:
            solara.Text(run_error.value, classes=["innosim-error", "run-error"])
        if pending:
            phase = state.phase if state else "run"
            if phase == "report":
                solara.Text(t("phase_report", language), classes=["run-phase"])
                solara.ProgressLinear(True)
            else:
                total = replications.value or scenario.scenario.replications
                done = round((run_task.progress or 0) * total / 100)
                solara.Text(t("phase_plan" if phase == "plan" else "phase_run", language, done=done, total=total),
                            classes=["run-phase"])
                solara.ProgressLinear(run_task.progress or 0, classes=["run-progress"])
        elif run_task.cancelled:
            solara.Text(t("cancelled", language), classes=["run-cancelled"])
        elif run_task.error:
            solara.Text(t("run_failed", language, reason=str(run_task.exception)), classes=["innosim-error"])
        if result is not None:
            solara.Text(t("run_done", language, n=result.settings.replications, seed=result.settings.seed,
                          seconds=f"{result.wall_seconds:.1f}"), classes=["innosim-caption", "run-done"])
    if result is None:
        return
    try:
        stale = settings_now(scenario) != result.settings
    except ad.InputError:
        stale = True
    with solara.Card(t("step_results", language), classes=["innosim-step", "step-results"]):
        if stale:
            solara.Text(t("stale", language), classes=["innosim-warning", "stale"])
        Results(result, language)
    with solara.Card(t("step_take_home", language), classes=["innosim-step", "step-take-home"]):
        TakeHome(result, language, scenario)


@solara.component
def InsideCard(scenario: ad.Scenario, language: str):
    """One replication's firm population over time, with Mesa's DataCollector and Mesa's plot component."""
    from mesa.visualization.components.matplotlib_components import PlotMatplotlib

    ad.use_cjk_font()  # Chinese labels in Mesa's plots (called before any return: Solara checks names use_*)
    with solara.Card(t("step_inside", language), classes=["innosim-step", "step-inside"]):
        solara.Text(t("inside_intro", language, r=inside_replication.value), classes=["innosim-caption"])

        def start():
            try:
                settings = settings_now(scenario)
            except ad.InputError as err:
                run_error.value = f"innosim: error: {err}"
                return
            n = settings.replications
            inside_task(settings, min(max(inside_replication.value, 0), n - 1))

        with solara.Row(style={"align-items": "center"}):
            solara.InputInt(t("inside_replication", language), value=inside_replication, classes=["inside-replication"],
                            style={"max-width": "160px"})
            solara.Button(t("inside_run", language), on_click=start, disabled=inside_task.pending,
                          classes=["inside-button"])
        if inside_task.pending:
            solara.ProgressLinear(inside_task.progress or True)
        if not inside_task.finished or inside_task.value is None:
            return
        sc, replication, collector = inside_task.value
        view = inside.View(collector, ad.months(sc), language)
        solara.Text(t("inside_done", language, r=replication, name=sc.scenario.name), classes=["innosim-caption"])
        with solara.Columns([1, 1, 1]):
            for key, measures in inside.CHARTS:
                with solara.Column(classes=[f"inside-{key}"]):
                    PlotMatplotlib(view, inside.labelled(measures, language),
                                   post_process=inside.axis_labels(language, t(key, language)))
