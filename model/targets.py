"""What meeting a target means: its comparator, and for an 'about' target (左右) its tolerance.

The ensemble's P(meet) and every report, table and chart that shows a threshold take it from here, so the number
shown is the number measured.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

import numpy as np

if TYPE_CHECKING:
    from .scenario import Target


def measured_threshold(threshold: float, comparator: str, tolerance: float) -> float:
    """The value a target is measured against: an 'about' target's threshold moved by its tolerance towards the side
    that does not meet it ('about 400' with a 5% tolerance: >= 380 counts as met)."""
    return threshold * (1.0 - tolerance) if comparator in (">=", ">") else threshold * (1.0 + tolerance)


def meets(values: np.ndarray, t: Target) -> np.ndarray:
    thr = measured_threshold(t.threshold, t.comparator, t.tolerance)
    return {">=": values >= thr, ">": values > thr, "<=": values <= thr, "<": values < thr}[t.comparator]
