"""Argument types shared by the CLI commands: argparse turns their errors into one line and exit 2."""

from __future__ import annotations

import argparse
import math

# How a command draws the behavioural parameters (calibration.parameter_source): a posterior draw per replication
# with the lever effects drawn from their evidence, the posterior mean with central effects, or the defaults.
PARAMETER_MODES = ("posterior", "posterior-mean", "defaults")


def whole_number(kind: str, least: int = 1, most: int | None = None):
    """An argparse type: an integer in [least, most]."""
    def conv(text: str) -> int:
        try:
            v = int(text)
        except ValueError:
            raise argparse.ArgumentTypeError(f"{kind} must be a whole number, got {text!r}") from None
        if v < least or (most is not None and v > most):
            bounds = f">= {least}" if most is None else f"between {least} and {most}"
            raise argparse.ArgumentTypeError(f"{kind} must be {bounds}, got {v}")
        return v
    return conv


def id_list(text: str) -> list[str]:
    """An argparse type: comma-separated ids, as every analysis command reads `--targets` and `--levers`."""
    ids = [s.strip() for s in text.split(",") if s.strip()]
    if not ids:
        raise argparse.ArgumentTypeError(f"give one or more comma-separated ids, got {text!r}")
    return list(dict.fromkeys(ids))


def unit_interval(kind: str, example: str):
    """An argparse type: a number in (0, 1] (a probability, a share, a width)."""
    def parse(text: str) -> float:
        try:
            v = float(text)
        except ValueError:
            raise argparse.ArgumentTypeError(f"{kind} must be a number, got {text!r}") from None
        if not (math.isfinite(v) and 0 < v <= 1):
            raise argparse.ArgumentTypeError(f"{kind} must be in (0, 1], e.g. {example}, got {v}")
        return v
    return parse


probability = unit_interval("probability", "0.8")


LANGS = ("zh", "en")
# The one rule of --lang (README, "Using the CLI"): it sets the language of what a command draws and writes in one
# language (run's report.md whole), and of the names and findings it prints: the indicators, levers and documented
# figures, the sentences of discover and sensitivity, and run's money line and known limits of the model. The
# terminal's framing (headings, notes, progress) is in English, with bilingual headings beside Chinese names.
LANG_RULE = "and of the names and findings printed in the terminal (framing in English): zh (default) or en"


def lang_option(p: argparse.ArgumentParser, files: str) -> None:
    """--lang, `files` naming what the command writes in the chosen language."""
    p.add_argument("--lang", choices=LANGS, default="zh", help=f"language of {files} {LANG_RULE}")


def seed_and_workers(p: argparse.ArgumentParser, seed_help: str = "default: the scenario's") -> None:
    """--seed and --workers, as every command that runs replications takes them."""
    p.add_argument("--seed", type=whole_number("seed", 0), help=seed_help)
    p.add_argument("--workers", "-w", type=whole_number("workers"), help="local processes (default: cores)")


def parameters_option(p: argparse.ArgumentParser, default: str | None = "posterior",
                      help: str = "behavioural parameters (default: a posterior draw per replication)") -> None:
    p.add_argument("--parameters", choices=PARAMETER_MODES, default=default, help=help)
