"""Intervals for probabilities of meeting a target, shared by compare, optimize and discover."""

from __future__ import annotations

import math

Z95 = 1.959963984540054


def wilson(k: float, n: float, z: float = Z95) -> tuple[float, float]:
    """Wilson score interval of a proportion k/n; (0, 1) when there is no run to go on."""
    if n <= 0:
        return 0.0, 1.0
    p = k / n
    d = 1 + z * z / n
    c = (p + z * z / (2 * n)) / d
    h = z * math.sqrt(max(p * (1 - p) / n + z * z / (4 * n * n), 0.0)) / d
    # exact ends at 0 and 1: rounding must not put the interval beside its own estimate
    return (0.0 if k <= 0 else max(0.0, c - h)), (1.0 if k >= n else min(1.0, c + h))


def paired_difference(ref: list[bool] | object, alt: list[bool] | object, z: float = Z95) -> tuple[float, float, float]:
    """Difference alt - ref of two proportions measured on the same replications, with Newcombe's
    hybrid score interval for paired data (Newcombe 1998, method 10).

    A percentile bootstrap of the difference is too narrow when few pairs disagree (four
    discordant pairs in one direction out of 200 would exclude 0); this interval is not.
    """
    import numpy as np

    a_ = np.asarray(ref, dtype=bool)
    b_ = np.asarray(alt, dtype=bool)
    n = len(a_)
    both, ref_only = float((a_ & b_).sum()), float((a_ & ~b_).sum())
    alt_only, neither = float((~a_ & b_).sum()), float((~a_ & ~b_).sum())
    p1, p2 = (both + ref_only) / n, (both + alt_only) / n
    l1, u1 = wilson(both + ref_only, n, z)
    l2, u2 = wilson(both + alt_only, n, z)
    margins = (both + ref_only) * (alt_only + neither) * (both + alt_only) * (ref_only + neither)
    # Newcombe's continuity-corrected phi: AD - BC less N/2 when AD > BC (never below 0). Uncorrected, pairs that all
    # agree (B = C = 0) give phi = 1 and an interval of zero width, a certainty 200 replications cannot give.
    cross = both * neither - ref_only * alt_only
    cross = max(cross - n / 2, 0.0) if cross > 0 else cross
    phi = cross / math.sqrt(margins) if margins > 0 else 0.0
    d = p2 - p1
    lower = math.sqrt(max((p2 - l2) ** 2 - 2 * phi * (p2 - l2) * (u1 - p1) + (u1 - p1) ** 2, 0.0))
    upper = math.sqrt(max((u2 - p2) ** 2 - 2 * phi * (u2 - p2) * (p1 - l1) + (p1 - l1) ** 2, 0.0))
    return d, max(d - lower, -1.0), min(d + upper, 1.0)
