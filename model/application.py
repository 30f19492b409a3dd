"""Application scenarios (应用场景): published by the government and matched to firms.

A matched firm gets a demand boost for twelve months (growth_scenario_boost). A share of
scenarios is reserved for attracted firms, as the plan does ('为重点引进企业配场景30项以上').
Matching is a ranking: the capable firms without a running scenario win.
"""

from __future__ import annotations

import mesa

from .funds import month_merit, ranking_scores, top_k

BOOST_MONTHS = 12  # an application scenario is a pilot purchase of about a year (the plan states no length)


def publish(model: mesa.Model, n: int, reserved: int) -> tuple[int, int]:
    """Publish n scenarios, `reserved` of them for attracted firms; returns (published, matched to
    attracted firms). A reserved scenario no attracted firm can take goes to the open ranking."""
    f, month = model.firms, model.month
    free = f.alive & (f.scenario_until <= month)
    score = ranking_scores(month_merit(model), free, model.firm_streams["scenarios"], model.p["review_noise"])
    to_attracted = top_k(score, free & f.attracted, reserved)
    f.scenario_until[to_attracted] = month + BOOST_MONTHS
    rest = top_k(score, free & (f.scenario_until <= month), n - len(to_attracted))
    f.scenario_until[rest] = month + BOOST_MONTHS
    # A scenario with no taker is still published; it simply finds no firm.
    return n, len(to_attracted)


