"""`innosim calibrate`: its arguments, and the command that fits the posterior, screens it and writes its report
(model/analysis/calibration.py), or redoes the report or the screen of a saved one."""

from __future__ import annotations

import argparse
from collections.abc import Sequence
from pathlib import Path

from ..errors import InputError
from .arguments import id_list, unit_interval, whole_number


def add_arguments(cal: argparse.ArgumentParser) -> None:
    cal.add_argument("--simulations", type=whole_number("simulations"), default=2500,
                     help="budget of particles to simulate, a cap from generation 1 on (not with --scheduler): a "
                          "generation that would pass it is cut, the fit ends with the one before (default 2500)")
    cal.add_argument("--population", type=whole_number("population"), default=100, help="particles per generation")
    cal.add_argument("--replications", type=whole_number("replications"), default=1,
                     help="runs of each place per particle, averaged (default 1)")
    cal.add_argument("--hold-out", metavar="ID,ID", type=id_list,
                     help="documented figures to leave out of the fit (ids of model/history.py, or none; default: the "
                          "committed hold-out set, see calibration/report.md)")
    cal.add_argument("--workers", "-w", type=whole_number("workers"), help="local processes (default: cores)")
    cal.add_argument("--scheduler", metavar="ADDRESS", help="evaluate particles on this dask.distributed scheduler "
                     "(pyabc's DaskDistributedSampler; default: local processes)")
    cal.add_argument("--resume", action="store_true", help="continue the calibration in calibration/abc.db")
    cal.add_argument("--out", help="folder for posterior, metadata, database and report (default calibration/)")
    cal.add_argument("--report-only", action="store_true", help="rewrite report.md from the saved posterior")
    cal.add_argument("--report-replications", type=whole_number("report replications"), metavar="N",
                     help="runs of each place in the report's backtest (default 20; `innosim backtest` runs more)")
    cal.add_argument("--law-screen", type=whole_number("law screen", least=0, most=100), metavar="N",
                     help="fresh runs of each place per accepted particle with every plausibility law checked; "
                     "particles that break one are dropped (default 3; 0: no screen)")
    # at most 20: Beijing's run starts in 2015, and a scenario spans at most 30 years (scenario.cross_checks)
    cal.add_argument("--screen-years", type=whole_number("screen years", least=0, most=20), metavar="N",
                     help="how far past each place's horizon the screen's runs go, in years (default 10, as the laws "
                     "test runs every scenario)")
    cal.add_argument("--screen-only", action="store_true",
                     help="screen the saved posterior as a finished fit is screened, then rewrite it and report.md")
    cal.add_argument("--screen-places", type=id_list, metavar="PLACE,PLACE",
                     help="with --screen-only: screen these historical places only (bda, beijing; default both), on "
                     "replications no earlier screen ran, e.g. more runs of a place whose extension broke a law")
    cal.add_argument("--fix", metavar="NAME=VALUE,...", type=assignments, action="append",
                     help="hold these parameters (not fitted ones) at these values in every run of the fit and write "
                     "them into the posterior, e.g. a mechanism not yet adopted: exit_size_age_mates=1")
    cal.add_argument("--fit-through", type=whole_number("fit through", least=2015, most=2040), metavar="YEAR",
                     help="run each historical place to December of YEAR at least, so the growth-law constraint sees "
                     "those years (the figures fitted stay those of their dates; default: each place's horizon)")
    cal.add_argument("--growth-slack", type=unit_interval("growth slack", "0.01"), metavar="X",
                     help="the excess over the growth laws a fitting run may show before it counts as a miss, "
                     "which is then measured in this width, so a smaller slack counts more (default 0.05, "
                     "calibration.GROWTH_EXCESS_MAX; above 0, at most 1)")
    cal.add_argument("--fit-also", metavar="ID,ID", type=id_list,
                     help="out-of-sample figures (role 'out' in model/history.py) to fit as well, e.g. a later "
                     "stock the committed fit leaves for the backtest: bj-hightech-2023 (the posterior records them as "
                     "fitted, so its backtest counts them calibrated on)")
    cal.add_argument("--recovery", action="store_true",
                     help="instead: the parameter-recovery check on synthetic data (docs/history.md, Calibration)")


def _saved(args: argparse.Namespace, folder: Path, workers: int) -> int:
    """`--report-only` and `--screen-only`: the saved posterior's report, after its law screen for the second."""
    from ..analysis import calibration as cal
    from ..analysis.calibration_report import write_report

    if args.screen_only and args.law_screen == 0:
        raise InputError("--law-screen", "0", "--screen-only needs at least one run per particle")
    places = screen_places(args)
    post = cal.load_posterior(folder)
    if post is None:
        raise InputError(str(folder / cal.POSTERIOR_CSV), "--screen-only" if args.screen_only else "--report-only",
                         "no posterior to report on")
    if places and (cal.unscreened(post.meta) or not cal.screens_of(post.meta.get("law_screen") or {})):
        raise InputError("--screen-places", ",".join(places), "the posterior has not been screened on every place "
                         "yet: screen it first without --screen-places")
    if args.screen_only:
        post = cal.screened(post, cal.SCREEN_REPLICATIONS if args.law_screen is None else args.law_screen, workers,
                            args.scheduler, progress=True, years=screen_years(args), places=places)
        try:
            cal.save_posterior(post, folder)
        except OSError as exc:
            raise InputError(str(folder), "--out", f"cannot write the posterior: {exc.strerror or exc}") from None
        last = post.meta["law_screen"]["screens"][-1]
        print(f"law screen: {last['dropped']} of {last['screened']} particles dropped; wrote "
              f"{folder / cal.POSTERIOR_CSV}")
    source = cal.parameter_source("posterior", folder)
    report = write_report(post, folder, source, report_replications(args), workers=workers, scheduler=args.scheduler)
    print(f"wrote {report}")
    return 0


def command(args: argparse.Namespace) -> int:
    from ..analysis import calibration as cal
    from ..analysis.calibration_report import write_report
    from ..execution.parallel import default_workers

    folder = Path(args.out) if args.out else cal.CALIBRATION_DIR
    workers = args.workers or default_workers()
    _check_combinations(args)
    if args.resume and not (args.recovery or args.report_only or args.screen_only):  # one line, not a traceback later
        from ..analysis.calibration_db import check_resumable

        check_resumable(folder / cal.DB_FILE)
    if args.recovery:
        from ..analysis.recovery import full_recovery

        ok = full_recovery(workers=workers)
        return 0 if ok else 1
    hold_out, fit_also = _figures(args)
    if args.report_only or args.screen_only:
        return _saved(args, folder, workers)
    settings = cal.Settings(population=args.population, replications=args.replications,
                            simulations=args.simulations, workers=workers, scheduler=args.scheduler,
                            law_screen=cal.SCREEN_REPLICATIONS if args.law_screen is None else args.law_screen,
                            screen_years=screen_years(args),
                            hold_out=hold_out,
                            fixed=fixed_parameters(args.fix or []), fit_through=args.fit_through,
                            growth_slack=cal.GROWTH_EXCESS_MAX if args.growth_slack is None else args.growth_slack,
                            fit_also=fit_also)
    targets = cal.targets(settings.hold_out, settings.growth_slack, settings.fit_also)
    fitted = [t for t in targets if t.fit]
    per_particle = cal.time_one_particle(settings)
    estimate = per_particle * (settings.simulations + settings.population) / workers
    # a proposal stops at the first figure that rules it out (analysis/particle.py): the estimate is of full runs
    early = " with full runs (most late proposals stop early)" if cal.early_stops(settings, targets) else ""
    where = (f"the dask scheduler {args.scheduler}" if args.scheduler
             else f"{workers} workers, so {_about(estimate)}{early}")
    print(f"calibrating {len(cal.PRIORS)} parameters on {len(fitted)} targets (held out: "
          f"{', '.join(settings.hold_out) or 'none'}"
          + (f"; fitted as well: {', '.join(fit_also)}" if fit_also else "")
          + f"): up to {settings.simulations} particles x "
          f"{settings.replications} runs of each place, {per_particle:.2f} s each, on {where}"
          + (f"; then the law screen, {settings.law_screen} runs of each place per accepted particle at the places' "
             f"own scale to {cal.law_screen.past(settings.screen_years).replace('its horizon', 'their horizons')}"
             f"{'' if args.scheduler else ', ' + _about(cal.screen_seconds(settings))}"
             if settings.law_screen else ""), flush=True)
    if args.resume and not (folder / cal.DB_FILE).exists():
        raise InputError(str(folder / cal.DB_FILE), "--resume", "no calibration database to resume")
    if not args.resume and (folder / cal.DB_FILE).exists():
        print(f"replacing the earlier calibration database {folder / cal.DB_FILE} (use --resume to continue it)")
    post = cal.calibrate(settings, folder, resume=args.resume)
    if post.meta.get("budget_cut"):
        print(f"--simulations {settings.simulations}: {post.meta['note']}", flush=True)
    source = cal.parameter_source("posterior", folder)
    report = write_report(post, folder, source, report_replications(args), workers=workers, scheduler=args.scheduler)
    screens = cal.screens_of(post.meta.get("law_screen") or {})
    screen = screens[-1].get("wall_seconds", 0.0) if screens else 0.0
    print(f"wrote {folder / cal.POSTERIOR_CSV}, {folder / cal.POSTERIOR_META} and {report} "
          f"in {(post.meta['wall_seconds'] + screen) / 60:.1f} min")
    return 0


def _figures(args: argparse.Namespace) -> tuple[tuple[str, ...], tuple[str, ...]]:
    """The figures held out of the fit and those of role "out" fitted as well, checked."""
    from ..analysis import calibration as cal

    hold_out = tuple(h for h in (args.hold_out or ()) if h != "none")
    unknown = cal.unknown_hold_out(hold_out)
    if unknown:
        raise InputError("--hold-out", unknown[0], "not a figure of model/history.py; known: "
                         + ", ".join(f.id for f in cal.history.FIGURES))
    hold_out = cal.DEFAULT_HOLD_OUT if args.hold_out is None else hold_out
    fit_also = tuple(args.fit_also or ())
    refused = not_fittable(fit_also, hold_out)
    if refused:
        raise InputError("--fit-also", *refused)
    return hold_out, fit_also


def _check_combinations(args: argparse.Namespace) -> None:
    """Options that do not go together, in one line each."""
    if args.report_only and args.screen_only:
        raise InputError("--screen-only", "--report-only", "give one of them (--screen-only rewrites the report too)")
    if args.screen_places is not None and not args.screen_only:
        raise InputError("--screen-places", ",".join(args.screen_places), "only with --screen-only (a fit screens "
                         "every place)")
    fit_options = {"--fix": args.fix, "--fit-through": args.fit_through, "--growth-slack": args.growth_slack,
                   "--fit-also": args.fit_also}
    given = [name for name, value in fit_options.items() if value is not None]
    other = "--recovery" if args.recovery else "--report-only" if args.report_only else "--screen-only"
    if given and (args.recovery or args.report_only or args.screen_only):
        raise InputError(given[0], other, "only for a fit (the saved posterior already carries its fit's settings)")


def assignments(text: str) -> dict[str, float]:
    """NAME=VALUE,NAME=VALUE as a dict (argparse type: a bad item is a one-line usage error)."""
    out = {}
    for item in filter(None, (t.strip() for t in text.split(","))):
        name, eq, value = item.partition("=")
        if not eq:
            raise argparse.ArgumentTypeError(f"{item!r}: write NAME=VALUE")
        if name.strip() in out:
            raise argparse.ArgumentTypeError(f"{name.strip()!r} given twice")
        try:
            out[name.strip()] = float(value)
        except ValueError:
            raise argparse.ArgumentTypeError(f"{item!r}: VALUE must be a number") from None
    if not out:
        raise argparse.ArgumentTypeError("give NAME=VALUE")
    return out


def fixed_parameters(given: list[dict[str, float]]) -> dict[str, float]:
    """Every --fix, checked against the parameter table: each name once, known, not fitted, inside its bounds."""
    from ..analysis.calibration import PRIORS
    from ..parameters import PARAMETERS

    fixed: dict[str, float] = {}
    for one in given:
        for name, value in one.items():
            if name in fixed:
                raise InputError("--fix", name, "given twice")
            fixed[name] = value
    for name, value in fixed.items():
        if name not in PARAMETERS:
            raise InputError("--fix", name, "not a parameter of model/parameters.py")
        if name in PRIORS:
            raise InputError("--fix", name, "a fitted parameter: its prior is in calibration.PRIORS")
        lo, hi = PARAMETERS[name].bounds
        if not lo <= value <= hi:
            raise InputError("--fix", f"{name}={value:g}", f"outside its bounds {lo:g}..{hi:g}")
    return fixed


def not_fittable(ids: Sequence[str], hold_out: Sequence[str]) -> tuple[str, str] | None:
    """The first of `ids` that `--fit-also` cannot add to a fit, and why; None if all can."""
    from ..analysis import calibration as cal

    for i in ids:
        f = cal.history.BY_ID.get(i)
        if f is None:
            return i, "not a figure of model/history.py"
        if f.role != "out":
            why = "the run is built on it" if f.role == "input" else "it is fitted unless --hold-out names it"
            return i, f"of role {f.role!r}: only an out-of-sample figure can be added to the fit ({why})"
        if i in hold_out:
            return i, "also in --hold-out"
    return None


def _about(seconds: float) -> str:
    return "under a minute" if seconds < 60 else f"about {seconds / 60:.0f} min"


def screen_years(args: argparse.Namespace) -> int:
    from ..analysis import calibration as cal

    return cal.SCREEN_YEARS if args.screen_years is None else args.screen_years


def screen_places(args: argparse.Namespace) -> tuple[str, ...]:
    """The places `--screen-places` names, checked against the historical runs (() when not given: every place)."""
    from .. import history

    if args.screen_places is None:
        return ()
    unknown = [p for p in args.screen_places if p not in history.RUNS]
    if unknown:
        raise InputError("--screen-places", unknown[0], f"not a historical place; known: {', '.join(history.RUNS)}")
    return tuple(args.screen_places)


def report_replications(args: argparse.Namespace) -> int:
    from ..analysis.calibration_report import REPORT_REPLICATIONS

    return REPORT_REPLICATIONS if args.report_replications is None else args.report_replications
