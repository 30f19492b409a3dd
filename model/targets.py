"""What meeting a target means: its comparator, and for an 'about' target (左右) its tolerance; and the checks of a
scenario's targets that its schema cannot make (the year within the horizon, ids unique, the threshold in the
indicator's unit).

The ensemble's P(meet) and every report, table and chart that shows a threshold take it from here, so the number
shown is the number measured.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

import numpy as np

from .indicators import INDICATORS, PERCENT_FLOOR, SIGNED
from .schema_errors import target_name

if TYPE_CHECKING:
    from collections.abc import Sequence

    from .scenario import Target


def measured_threshold(threshold: float, comparator: str, tolerance: float) -> float:
    """The value a target is measured against: an 'about' target's threshold moved by its tolerance towards the side
    that does not meet it ('about 400' with a 5% tolerance: >= 380 counts as met)."""
    slack = tolerance * abs(threshold)  # a negative threshold (a growth) loosens the same way
    return threshold - slack if comparator in (">=", ">") else threshold + slack


def threshold_measured(target: dict) -> float:
    """measured_threshold of a target as summary.json gives it (380 for 'about 400'; a threshold as written without a
    tolerance): what a table or chart that puts one number on the target shows, so that it is the one measured."""
    return measured_threshold(target["threshold"], target["comparator"], target.get("tolerance") or 0.0)


def meets(values: np.ndarray, t: Target) -> np.ndarray:
    thr = measured_threshold(t.threshold, t.comparator, t.tolerance)
    return {">=": values >= thr, ">": values > thr, "<=": values <= thr, "<": values < thr}[t.comparator]


def target_problem(targets: Sequence[Target], start: str, end: str) -> tuple[str, str] | None:
    """(field, reason) of the first target that cannot be read, in the order of the file, else None: one whose year
    has no December within start..end, whose id another target has, or whose threshold cannot be in its
    indicator's unit (P(meet) would be 100% or 0% whatever the levers)."""
    first, last = int(start[:4]), int(end[:4]) - (0 if end.endswith("-12") else 1)  # targets are read in December
    seen: dict[str, str] = {}
    for i, t in enumerate(targets):
        name = target_name(i, t)
        if not first <= t.year <= last:
            why = f"; its December is after end {end}" if t.year == int(end[:4]) else ""
            return f"{name}.year", f"{t.year} is outside the horizon {start}..{end}{why}"
        if t.id in seen:
            return f"{name}.id", f"duplicate id: {seen[t.id]} has it too"
        seen[t.id] = name
        problem = threshold_problem(t.indicator, t.threshold)
        if problem:
            return f"{name}.threshold", problem
    return None


def threshold_problem(indicator: str, threshold: float) -> str | None:
    """Why `threshold` cannot be meant in the unit of `indicator`: a negative count, sum or share, a fraction
    written for a percent (0.04 for 4%) or a percent written for a share (60 for 0.6); else None."""
    if indicator in SIGNED:
        return None
    unit = INDICATORS[indicator].unit
    if threshold < 0:
        return f"{threshold:g} is below 0, which {indicator} (unit: {unit}) never is"
    if unit == "%" and 0 < threshold < PERCENT_FLOOR:
        return (f"{threshold:g} reads as {threshold:g}%: {indicator} is in percent, so write "
                f"{100 * threshold:g} for {100 * threshold:g}%")
    if unit == "share" and threshold > 1:
        return (f"{threshold:g} is above 1: {indicator} is a share, so write {threshold / 100:g} for "
                f"{threshold:g}%")
    return None
