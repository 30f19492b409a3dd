"""The `innosim` command line: run, compare, sensitivity, optimize, discover, calibrate, chart, validate, schema and
app (the planner's web app, model/cli/app.py)."""

from __future__ import annotations

import argparse
import importlib
import json
import os
import shlex
import sys
import time
from pathlib import Path

from ..errors import InputError
from ..execution import at_exit  # noqa: F401  (first: registers the resource tracker's end before multiprocessing)
from ..months import run_until
from ..scenario import json_schema, load_scenario
from ..sim import InvariantError
from . import app as cli_app
from . import calibrate as cli_calibrate
from . import laws as cli_laws
from .arguments import LANGS, lang_option, parameters_option, seed_and_workers, whole_number

EXIT_INPUT = 2
# Analysis commands live in their own modules of model/cli, each with add_arguments(parser) and
# command(args, pool, parameters), which calls the method in model/analysis with plain arguments.
ANALYSES = {
    "compare": ("compare", "compare scenarios with common random numbers: paired differences per target"),
    "sensitivity": ("sensitivity", "which levers move which targets (Morris screening, Sobol indices)"),
    "optimize": ("optimize", "the cheapest lever mix that meets the targets with a given probability"),
    "discover": ("discover", "which ranges of the levers make success likely (PRIM boxes)"),
}
# What each command writes in the language --lang chooses (arguments.LANG_RULE adds the terminal)
LANG_FILES = {
    "run": "the charts and the report (report.md, report.html)",
    "compare": "the charts",
    "sensitivity": "the charts and the report (sensitivity.md, response.md)",
    "optimize": "the charts",
    "discover": "the charts (discovery.md states each finding in both)",
    "backtest": "backtest.md (charts: both)",
}


CHART_HELP = ("redraw the charts and the report of one saved results folder, in --lang or else in the folder's own "
              "language; given several folders, draw their comparison into --out instead and leave the folders as "
              "they are (a warning names what differs if they were run with other seeds, replications, start or "
              "horizon)")


class _Parser(argparse.ArgumentParser):
    def error(self, message: str) -> None:  # one line and exit code 2, like every input error
        self.exit(EXIT_INPUT, f"innosim: error: {message} (see innosim --help)\n")


def build_parser() -> argparse.ArgumentParser:
    p = _Parser(prog="innosim", description="Agent-based simulator of innovation-ecosystem growth.")
    sub = p.add_subparsers(dest="command", required=True, parser_class=_Parser)
    run = sub.add_parser("run", help="run a scenario's ensemble and write a results folder")
    run.add_argument("scenario", help="scenario TOML file")
    run.add_argument("--replications", "-n", type=whole_number("replications"), help="default: the scenario's")
    seed_and_workers(run)
    run.add_argument("--out", help="results folder (default results/<scenario>-<UTC time>)")
    run.add_argument("--no-progress", action="store_true", help="hide the progress bar")
    parameters_option(run, None, help="a posterior draw and lever effects (and the response to the R&D "
                      "super-deduction) drawn from their evidence per replication (default), the posterior mean with "
                      "central effects, or the uncalibrated defaults")
    lang_option(run, LANG_FILES["run"])
    run.add_argument("--until", type=whole_number("until"), metavar="YEAR",
                     help="run past the scenario's horizon to December of YEAR, levers as in its last year")
    run.add_argument("--debug", action="store_true", help="check model invariants every month")
    run.add_argument("--resume", metavar="DIR", help="finish an interrupted run from its checkpoint folder "
                                                     "(results/.NAME.partial, printed when the run stopped)")
    run.add_argument("--scheduler", metavar="ADDRESS", help="run on this dask.distributed scheduler, "
                     "e.g. tcp://10.0.0.5:8786 (default: local processes)")
    for name, (module, text) in ANALYSES.items():
        a = sub.add_parser(name, help=text, description=text)
        importlib.import_module(f"model.cli.{module}").add_arguments(a)
        analysis_options(a, name)
    validate = sub.add_parser("validate", help="check a scenario file", description="check a scenario file: exit 0 "
                              "if it is valid, 2 with one line naming the problem")
    validate.add_argument("scenario", help="scenario TOML file")
    cli_calibrate.add_arguments(sub.add_parser("calibrate", help="fit behavioural parameters to the documented figures "
                                                       "(ABC-SMC)"))
    text = "run the historical scenarios and compare them with every documented figure"
    bt = sub.add_parser("backtest", help=text, description=text)
    # 200, not fewer: a small sample's P10-P90 is narrow (it covers on average 76% of the distribution at 40 draws,
    # 79% at 200), and four figures (Beijing's R&D of 2019 and 2021) meet their interval only by the band's top: at 40
    # replications 27 of 35 were inside, against 31 at 200
    bt.add_argument("--replications", "-n", type=whole_number("replications"), default=200,
                    help="replications of each historical run (default 200, about 6 minutes on 2 cores)")
    seed_and_workers(bt, "default: each scenario's")
    parameters_option(bt)
    lang_option(bt, LANG_FILES["backtest"])
    bt.add_argument("--out", help="results folder (default results/backtest-<UTC time>)")
    bt.add_argument("--no-progress", action="store_true", help="hide the progress bar")
    chart = sub.add_parser("chart", help="redraw a saved results folder's charts and report, or chart several "
                           "folders' comparison", description=CHART_HELP)
    chart.add_argument("folders", nargs="+", metavar="FOLDER", help="results folders written by innosim run")
    chart.add_argument("--lang", choices=LANGS, help="language of the charts and of the report redrawn with them "
                       "(report.md, report.html); default: the folder's own, or for a comparison the "
                       "folders' when they share one, else zh")
    chart.add_argument("--out", help="folder for the comparison (default results/comparison-<UTC time>)")
    sch = sub.add_parser("schema", help="print the scenario JSON Schema")
    sch.add_argument("--out", help="write to this file instead of stdout")
    cli_app.add_arguments(sub.add_parser("app", help=cli_app.HELP, description=cli_app.HELP))
    cli_laws.add_arguments(sub.add_parser("laws", help=cli_laws.HELP, description=cli_laws.HELP))
    return p


def analysis_options(p: argparse.ArgumentParser, command: str) -> None:
    """Options every analysis command shares with `run`."""
    seed_and_workers(p)
    p.add_argument("--scheduler", metavar="ADDRESS", help="run on this dask.distributed scheduler "
                   "(default: local processes)")
    p.add_argument("--out", help="results folder (default results/<scenario>-<command>-<UTC time>)")
    parameters_option(p)
    lang_option(p, LANG_FILES[command])
    p.add_argument("--no-progress", action="store_true", help="hide the progress bar")


def cmd_analysis(args: argparse.Namespace) -> int:
    from ..execution.parallel import Pool

    module = importlib.import_module(f"model.cli.{ANALYSES[args.command][0]}")
    parameters = _parameter_source(args.parameters)
    progress = not args.no_progress and sys.stderr.isatty()
    with Pool(args.workers, args.scheduler, progress) as pool:
        try:
            return module.command(args, pool, parameters)
        except OSError as exc:  # a full disk or a read-only folder: the results folder was not written
            where = getattr(exc, "filename", None) or args.out or "results"
            raise InputError(str(where), "--out", f"cannot write the results: {exc.strerror or exc}") from None


class Interrupted(Exception):
    """Ctrl-C during a run whose finished replications are saved: says where, and how to resume."""


def interrupted(args: argparse.Namespace) -> str:
    """What Ctrl-C left: a calibration keeps its finished generations in its database, so say how to go on."""
    if args.command == "calibrate" and args.screen_only:
        report = shlex.join(["innosim", "calibrate", "--report-only", *(["--out", args.out] if args.out else [])])
        return ("interrupted; the saved posterior is as it was, or screened if the screen had finished (then "
                f"`{report}` rewrites report.md)")
    if args.command != "calibrate" or args.recovery or args.report_only:
        return "interrupted; no results folder was written"
    from ..analysis.calibration import CALIBRATION_DIR, DB_FILE, POSTERIOR_META, Settings, screen_command
    from ..analysis.law_screen import screen_pending

    folder = Path(args.out) if args.out else CALIBRATION_DIR
    db = folder / DB_FILE
    if not db.is_file():
        return "interrupted; nothing was saved"
    pending = screen_pending(folder / POSTERIOR_META, db)
    if pending:
        return (f"interrupted in the law screen; the fit is saved unscreened in {folder}\n"
                f"  screen it with: {screen_command(pending, folder, cli_calibrate.screen_years(args))}")
    words, defaults = ["innosim", "calibrate"], Settings()
    for name in ("simulations", "population", "replications", "law_screen", "screen_years"):
        if getattr(args, name) not in (None, getattr(defaults, name)):  # the budget is a total over the sessions
            words += [f"--{name.replace('_', '-')}", str(getattr(args, name))]
    for name in ("workers", "scheduler", "out"):
        if getattr(args, name):
            words += [f"--{name}", str(getattr(args, name))]
    return f"interrupted; the finished generations are kept in {db}\n  resume with: {shlex.join(words)} --resume"


def cmd_run(args: argparse.Namespace) -> int:
    from ..execution.ensemble import run_ensemble
    from ..output.report import console_table, markdown
    from ..output.results import build_summary, write_results

    scenario = load_scenario(args.scenario)
    if args.resume:
        checkpoint, out = _resumed(args, scenario)
    else:
        checkpoint, out = _new_checkpoint(args, scenario)
    meta = checkpoint.meta
    if meta["until"] is not None:
        scenario = extend_to(scenario, meta["until"], args.scenario)
    parameters = _parameter_source(meta["parameters"])
    t0 = time.perf_counter()
    try:
        ens = run_ensemble(scenario, meta["replications"], meta["seed"], args.workers,
                           progress=not args.no_progress and sys.stderr.isatty(), debug=args.debug,
                           parameters=parameters, scheduler=args.scheduler, checkpoint=checkpoint)
    except KeyboardInterrupt:
        saved = len(checkpoint.finished((scenario.months + 1, _indicator_count())))
        raise Interrupted(f"interrupted; {saved} of {meta['replications']} replications are saved in "
                          f"{checkpoint.folder}/\n  resume with: innosim run {args.scenario} --resume "
                          f"{checkpoint.folder}") from None
    summary = build_summary(ens, time.perf_counter() - t0, args.scenario)
    try:
        write_results(ens, out, summary, markdown(summary, scenario, meta["lang"]), meta["lang"])
    except OSError as exc:
        raise InputError(str(out), "--out", f"cannot write the results folder: {exc.strerror or exc}") from None
    checkpoint.remove()
    print(console_table(summary, meta["lang"]))
    print(f"\nthe ensemble took {summary['wall_seconds']:.1f} s; wrote {out}/ "
          f"(indicators.parquet, summary.json, scenario.json, report.md, report.html, charts/) in "
          f"{time.perf_counter() - t0 - summary['wall_seconds']:.1f} s")
    return 0


def _indicator_count() -> int:
    from ..execution.ensemble import NAMES

    return len(NAMES)


def _new_checkpoint(args: argparse.Namespace, scenario):
    from ..execution.checkpoint import Checkpoint, folder_for
    from ..output.results import results_folder

    if args.replications and args.replications > 100_000:
        raise InputError(args.scenario, "--replications", "at most 100000")
    if args.until is not None:
        extend_to(scenario, args.until, args.scenario)  # refuse a bad --until before anything is written
    out = results_folder(args.out, scenario)  # fail before a long run, not after it
    folder = folder_for(out)
    if folder.exists():
        raise InputError(str(out), "--out", f"an interrupted run of this folder is in {folder}: resume it with "
                                            f"--resume {folder}, or delete that folder")
    meta = {"out": str(out), "scenario_file": args.scenario, "scenario_hash": scenario.digest(),
            "replications": args.replications or scenario.scenario.replications,
            "seed": scenario.scenario.seed if args.seed is None else args.seed,
            "parameters": args.parameters or "posterior", "until": args.until, "lang": args.lang}
    try:
        return Checkpoint.create(folder, meta), out
    except OSError as exc:
        raise InputError(str(folder), "--out", f"cannot write the checkpoint folder: {exc.strerror or exc}") from None


def _resumed(args: argparse.Namespace, scenario):
    """The checkpoint of an interrupted run of this scenario; options given now must agree with it."""
    from ..execution.checkpoint import Checkpoint

    checkpoint = Checkpoint.open(Path(args.resume))
    meta = checkpoint.meta
    if meta["scenario_hash"] != scenario.digest():
        raise InputError(args.scenario, "--resume", f"the scenario has changed since the interrupted run "
                                                    f"(hash {scenario.digest()}, was {meta['scenario_hash']})")
    given = {"replications": args.replications, "seed": args.seed, "until": args.until, "parameters": args.parameters}
    for name, value in given.items():
        if value is not None and value != meta.get(name):
            raise InputError(args.resume, f"--{name}", f"{value} differs from the interrupted run's {meta.get(name)}")
    if args.out and Path(args.out) != Path(meta["out"]):
        raise InputError(args.resume, "--out", f"the interrupted run writes {meta['out']}")
    out = Path(meta["out"])
    if out.exists():
        raise InputError(str(out), "--resume", "that run's results folder is complete already")
    return checkpoint, out


def extend_to(scenario, year: int, origin: str):
    """The scenario run to December of `year`, its levers unchanged (they are yearly rates)."""
    meta = scenario.scenario
    first = int(meta.start[:4])
    if not int(meta.end[:4]) <= year <= first + 29:
        raise InputError(origin, "--until", f"{year} must be between the horizon's last year {meta.end[:4]} "
                                            f"and {first + 29}")
    return run_until(scenario, year)


def _parameter_source(mode: str):
    from ..analysis import calibration

    folder = calibration.CALIBRATION_DIR  # looked up at call time so tests can point it elsewhere
    try:
        source = calibration.parameter_source(mode, folder)
        pending = source.provenance.get("law_screen_pending") if source.provenance else None
        if pending:  # a fit whose screen was stopped: usable, but not what `innosim calibrate` would have kept
            print(f"innosim: note: the posterior in {folder} was saved before its law screen, so some of its "
                  "particles may break a plausibility law; screen it with: "
                  f"{calibration.screen_command(pending, folder, source.provenance['law_screen_years'])}",
                  file=sys.stderr)
        return source
    except ValueError as exc:  # a posterior written for other parameters, or not a posterior at all
        raise InputError(str(folder / calibration.POSTERIOR_CSV), "--parameters", str(exc).split(": ", 1)[-1]) \
            from None
    except FileNotFoundError:
        if mode == "posterior":  # no calibration yet: say so and run on the documented defaults
            print(f"innosim: note: no posterior in {folder}; running on the default parameters", file=sys.stderr)
            return calibration.parameter_source("defaults")
        raise InputError(str(folder / calibration.POSTERIOR_CSV), "--parameters",
                         "no calibrated posterior; run `innosim calibrate` first") from None


def cmd_backtest(args: argparse.Namespace) -> int:
    import datetime as dt

    from ..analysis import backtest

    stamp = dt.datetime.now(dt.UTC).strftime("%Y%m%dT%H%M%SZ")
    out = Path(args.out) if args.out else Path("results") / f"backtest-{stamp}"
    try:
        if out.exists() or out.is_symlink():
            raise InputError(str(out), "--out", "folder exists already; choose another")
        out.parent.mkdir(parents=True, exist_ok=True)
    except OSError as exc:
        raise InputError(str(out), "--out", f"cannot write the results folder: {exc.strerror or exc}") from None
    parameters = _parameter_source(args.parameters)
    bt = backtest.run_backtest(args.replications, args.seed, args.workers, parameters,
                               progress=not args.no_progress and sys.stderr.isatty())
    try:
        backtest.write(bt, out, args.lang)
    except OSError as exc:
        raise InputError(str(out), "--out", f"cannot write the results folder: {exc.strerror or exc}") from None
    print(backtest.console(bt, args.lang))
    print(f"\nwrote {out}/ (backtest.md, backtest.html, backtest.csv, backtest.json, charts/) in {bt.seconds:.0f} s")
    return 0


def cmd_laws(args: argparse.Namespace) -> int:
    scenario = load_scenario(args.scenario)
    if args.until is not None:
        scenario = extend_to(scenario, args.until, args.scenario)
    return cli_laws.command(args, scenario, _parameter_source(args.parameters))


def cmd_chart(args: argparse.Namespace) -> int:
    """One folder: redraw its charts and report, in --lang or its own language. Several: their comparison, into --out
    only; the folders are read, never rewritten (a redraw would replace a report the user drew in another language)."""
    from ..output import briefing
    from ..output.report import markdown
    from ..scenario import parse_scenario

    folders = [Path(f) for f in args.folders]
    for f in folders:
        for name in ("summary.json", "indicators.parquet", "scenario.json"):
            if not (f / name).is_file():
                raise InputError(str(f), name, "missing: not a results folder written by innosim run")
    summaries = [_read_summary(f / "summary.json") for f in folders]
    if len(folders) > 1:
        for f, summary in zip(folders, summaries, strict=True):
            if not summary["targets"]:
                raise InputError(str(f), "summary.json", "the scenario has no targets: a comparison charts targets")
        try:
            return _chart_comparison(folders, summaries, args)
        except OSError as exc:
            where = getattr(exc, "filename", None) or args.out or "results"
            raise InputError(str(where), "--out", f"cannot write the comparison: {exc.strerror or exc}") from None
    (f,), (summary,) = folders, summaries
    scenario = parse_scenario(_read_json(f / "scenario.json"), str(f / "scenario.json"))
    lang = args.lang or briefing.folder_lang(f)
    try:
        briefing.write(f, markdown(summary, scenario, lang), lang)
    except OSError as exc:
        raise InputError(str(f), "(folder)", f"cannot redraw its charts and report: {exc.strerror or exc}") from None
    print(f"redrew {f}/charts and report ({lang})")
    return 0


def _chart_comparison(folders: list[Path], summaries: list[dict], args: argparse.Namespace) -> int:
    import datetime as dt

    from ..output import briefing

    differ = briefing.unlike(summaries)
    if differ:
        print(f"innosim: warning: the folders differ in {differ}, in the order given: their bands are not like for "
              "like", file=sys.stderr)
    targets = briefing.unlike_targets(folders, summaries)
    if targets:
        print(f"innosim: warning: the folders' targets differ: {targets}; each folder's points are shares of its own "
              "target", file=sys.stderr)
    langs = {briefing.folder_lang(f) for f in folders}
    lang = args.lang or (langs.pop() if len(langs) == 1 else "zh")
    stamp = dt.datetime.now(dt.UTC).strftime("%Y%m%dT%H%M%SZ")
    out = Path(args.out) if args.out else Path("results") / f"comparison-{stamp}"
    files = briefing.comparison(folders, out, lang)
    lines = ["# Scenario comparison", ""]
    lines += [f"- `{f}`: {s['title']}" for f, s in zip(folders, summaries, strict=True)] + [""]
    lines += [f"The folders differ in {differ}: their bands are not like for like.", ""] if differ else []
    lines += [f"The folders' targets differ: {targets}; each folder's points are shares of its own target.",
              ""] if targets else []
    lines += [f"![comparison]({files[0].name})", ""]
    (out / "comparison.md").write_text("\n".join(lines), "utf-8")
    print(f"wrote {files[0]} and {files[1]} ({lang}); the folders compared are unchanged")
    return 0


def _read_json(path: Path):
    try:
        return json.loads(path.read_text("utf-8"))
    except (OSError, UnicodeDecodeError, json.JSONDecodeError) as exc:
        raise InputError(str(path), "(file)", f"not a JSON file written by innosim run: {exc}") from None


def _read_summary(path: Path) -> dict:
    """summary.json of a results folder, checked where its values become file names (the charts')."""
    from ..indicators import INDICATORS
    from ..schema_errors import target_name

    summary = _read_json(path)
    if not isinstance(summary, dict) or not isinstance(summary.get("targets"), list):
        raise InputError(str(path), "targets", "missing: not a summary written by innosim run")
    for i, t in enumerate(summary["targets"]):
        if not isinstance(t, dict) or t.get("indicator") not in INDICATORS:
            raise InputError(str(path), f"{target_name(i, t)}.indicator", "unknown indicator")
    return summary


def cmd_validate(args: argparse.Namespace) -> int:
    from ..output.phrases import plural

    sc = load_scenario(args.scenario)
    print(f"{args.scenario}: ok ({sc.scenario.name}, profile {sc.scenario.profile}, "
          f"{sc.scenario.start}..{sc.scenario.end}, {plural(len(sc.targets), 'target')})")
    return 0


def cmd_schema(args: argparse.Namespace) -> int:
    text = json.dumps(json_schema(), ensure_ascii=False, indent=2) + "\n"
    if args.out:
        try:
            Path(args.out).write_text(text, "utf-8")
        except (OSError, ValueError) as exc:
            raise InputError(args.out, "--out", f"cannot write the schema: {getattr(exc, 'strerror', None) or exc}") \
                from None
    else:
        sys.stdout.write(text)
    return 0


def _with_hint(err: InputError) -> InputError:
    """A missing scenario named without its folder or suffix ('innosim run sanliang-qisheng-2024-2026') gets the
    shipped file it most likely meant."""
    if err.field != "(file)" or err.reason != "no such file":
        return err
    name = Path(err.origin)
    stem = name.name.removesuffix(".toml")
    found = [str(c) for c in (Path(f"{name}.toml"), Path("scenarios") / f"{stem}.toml")
             if c != name and os.path.isfile(c)]  # False, not an error, for a name too long with .toml
    return InputError(err.origin, err.field, f"no such file; did you mean {found[0]}?") if found else err


def main(argv: list[str] | None = None) -> int:
    args = build_parser().parse_args(argv)
    handlers = {"run": cmd_run, "validate": cmd_validate, "schema": cmd_schema, "calibrate": cli_calibrate.command,
                "chart": cmd_chart, "backtest": cmd_backtest, "app": cli_app.command, "laws": cmd_laws,
                **dict.fromkeys(ANALYSES, cmd_analysis)}
    try:
        return handlers[args.command](args)
    except InputError as err:
        print(f"innosim: error: {_with_hint(err)}", file=sys.stderr)
        return EXIT_INPUT
    except InvariantError as err:  # a model bug found by --debug, not a user error
        print(f"innosim: model invariant violated: {err}", file=sys.stderr)
        return 1
    except Interrupted as err:
        print(f"innosim: {err}", file=sys.stderr)
        return 130
    except KeyboardInterrupt:
        print(f"innosim: {interrupted(args)}", file=sys.stderr)
        return 130


if __name__ == "__main__":
    sys.exit(main())
