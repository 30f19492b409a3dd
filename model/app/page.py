"""The planner's page (Solara): pick a scenario, move the levers, run, read the targets, take the briefing home.

Every browser tab is its own Solara session: the state (model/app/state.py) and the run task hold one value per
tab, so two tabs never share settings or runs.
"""

from __future__ import annotations

from pathlib import Path

import solara
import solara.lab
import traitlets
from solara.components.file_drop import FileDropZone

from . import adapter as ad
from . import config, controls, inside, outcome, runner
from .lever_panel import LeverPanel
from .result_panel import Results, TakeHome
from .state import (
    choice,
    inside_replication,
    lang,
    parameters,
    replications,
    run_error,
    seed,
    upload_error,
    uploaded,
    values,
)
from .text import t


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
        _LIBRARY[name] = ad.read_scenario(path)
    return _LIBRARY[name]


def _library_items(language: str) -> list[dict]:
    items = []
    for p in ad.library():
        try:
            title = _library_scenario(p.name).scenario.title_in(language)
            items.append({"text": f"{p.name} — {title}", "value": p.name})
        except ad.InputError:  # a broken library file is left out of the list, not fatal
            continue
    return items


def settings_now(scenario: ad.Scenario) -> runner.Settings:
    """The run the page would start now; InputError for a lever value outside its bounds."""
    sc = controls.with_values(scenario, values.value) if values.value else scenario
    n = replications.value or scenario.scenario.replications
    s = scenario.scenario.seed if seed.value < 0 else seed.value
    if not 1 <= n <= 100_000:
        raise ad.InputError("replications", "replications", f"{n}: must be between 1 and 100000")
    sc = sc.model_copy(update={"scenario": sc.scenario.model_copy(update={"replications": n, "seed": s})})
    ref = scenario.model_copy(update={"scenario": scenario.scenario.model_copy(update={"replications": n, "seed": s})})
    return runner.Settings(sc, ref, n, s, parameters.value, config.WORKERS)


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
.innosim-money-note { color: #2c5d8a; }
.innosim-changed { color: #c05800; font-weight: 600; margin-left: 8px; }
.innosim-error { display: block; color: #b00020; white-space: pre-wrap; }
.innosim-headline { display: block; font-size: 16px; margin: 8px 0; }
.innosim-warning { display: block; background: #fff3cd; padding: 6px 10px; margin: 4px 0; }
.known-limit { margin-top: 6px; }
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
        ScenarioCard(scenario, language)
        if scenario is None:
            return
        with solara.Card(t("step_levers", language), classes=["innosim-step", "step-levers"]):
            LeverPanel(scenario, language)
        RunCard(scenario, source_name, language)
        InsideCard(scenario, language)


@solara.component
def ScenarioCard(scenario: ad.Scenario | None, language: str):
    with solara.Card(t("step_scenario", language), classes=["innosim-step", "step-scenario"]):
        solara.v.Select(label=t("library", language), items=_library_items(language), v_model=choice.value or None,
                        on_v_model=lambda v: (choice.set(v or ad.PLAN_FILE), values.set({}), upload_error.set("")),
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
            solara.Text(t("scenario_info", language, title=m.title_in(language), start=m.start, end=m.end,
                          n=len(scenario.targets), profile=m.profile), classes=["scenario-info"])


@solara.component
def RunCard(scenario: ad.Scenario, source_name: str, language: str):
    state = run_task.value if (run_task.pending or run_task.finished) else None
    latest = run_task.latest
    result = (state or latest).result if (state or latest) else None
    with solara.Card(t("step_run", language), classes=["innosim-step", "step-run"]):
        RunControls(scenario, source_name, language)
        RunProgress(scenario, state, language)
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
        with solara.Column():  # there with or without the note, so that the results below keep their state
            if stale:
                solara.Text(t("stale", language), classes=["innosim-warning", "stale"])
        Results(result, language)
    with solara.Card(t("step_take_home", language), classes=["innosim-step", "step-take-home"]):
        TakeHome(result, language)


@solara.component
def RunControls(scenario: ad.Scenario, source_name: str, language: str):
    pending = run_task.pending
    note = solara.use_memo(lambda: ad.parameter_source(parameters.value)[1], [parameters.value])

    def start():
        run_error.value = ""
        try:
            settings = settings_now(scenario)
        except ad.InputError as err:
            run_error.value = f"innosim: error: {err}"
            return
        run_task(settings, source_name, language)

    with solara.Row(style={"align-items": "center", "flex-wrap": "wrap"}):
        solara.InputInt(t("replications", language), value=replications.value or scenario.scenario.replications,
                        on_value=replications.set, classes=["run-replications"], style={"max-width": "160px"})
        solara.InputInt(t("seed", language), value=scenario.scenario.seed if seed.value < 0 else seed.value,
                        on_value=seed.set, classes=["run-seed"], style={"max-width": "200px"})
        solara.v.Select(label=t("parameters", language), v_model=parameters.value, on_v_model=parameters.set,
                        items=[{"text": t(f"param_{m}", language), "value": m} for m in ad.PARAMETER_MODES],
                        class_="run-parameters", style_="max-width: 320px")
        solara.Button(t("run", language), on_click=start, color="primary", disabled=pending, classes=["run-button"])
        if pending:
            solara.Button(t("cancel", language), on_click=run_task.cancel, classes=["cancel-button"])
    if note:  # before any run: the planner knows which parameters the run will use
        key = ad.parameters_note_key(note)
        solara.Text(t(key, language, reason=note), classes=["innosim-warning", "parameters-note-now"])
    if run_error.value:
        solara.Text(run_error.value, classes=["innosim-error", "run-error"])


@solara.component
def RunProgress(scenario: ad.Scenario, state: outcome.State | None, language: str):
    if run_task.pending:
        phase = state.phase if state else "run"
        if phase in ("report", "done"):  # "done": the task ends a moment after its last result
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
