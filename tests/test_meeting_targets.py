"""What meeting a target means (model/targets.py) at the edges a planner's P(meet) turns on: a value on the
threshold, and an 'about' target whatever its comparator."""

from __future__ import annotations

import numpy as np
import pytest

from model.scenario import Target
from model.targets import measured_threshold, meets


def target(comparator: str, threshold: float, tolerance: float = 0.0) -> Target:
    return Target(id="t", indicator="high_tech", year=2026, comparator=comparator, threshold=threshold,
                  tolerance=tolerance, quote="突破1500", source="test")


@pytest.mark.parametrize(("comparator", "met"), [
    (">", [False, False, True]), (">=", [False, True, True]), ("<", [True, False, False]), ("<=", [True, True, False]),
])
def test_a_value_on_the_threshold_meets_an_at_least_or_at_most_target_and_not_a_strict_one(comparator, met):
    """'突破1500' (>) is not met by exactly 1,500 firms, '达到1500' (>=) is: counts land on round thresholds (the
    plan's 40 listed firms, 60 upgrades), so a comparator read loosely moves P(meet). The plan has no '<' target,
    so no run pins that side."""
    assert meets(np.array([1499.0, 1500.0, 1501.0]), target(comparator, 1500.0)).tolist() == met


@pytest.mark.parametrize(("comparator", "measured", "met"), [
    (">", 380.0, [False, True, True]), (">=", 380.0, [True, True, True]),
    ("<", 420.0, [True, True, False]), ("<=", 420.0, [True, True, True]),
])
def test_an_about_target_loosens_towards_the_side_that_does_not_meet_it_whatever_its_comparator(comparator, measured,
                                                                                              met):
    """'about 400' with a 5% tolerance is measured against 380 for a floor (> as well as >=) and 420 for a ceiling:
    the plan's only 'about' target is a >=, so a rule that loosened only that comparator would pass its run and
    hold a '> about 400' to 420, lowering its P(meet)."""
    assert measured_threshold(400.0, comparator, 0.05) == pytest.approx(measured)
    assert meets(np.array([380.0, 400.0, 420.0]), target(comparator, 400.0, 0.05)).tolist() == met
