"""Profile events that change the territory: firms of an absorbed area join the zone (E-Town's 2019 expansion).

The firms that join are drawn like the zone's own (random copies of its living firms, certificates included):
no figure describes the absorbed area's firms apart from the zone's (ODD §7.16).
"""

from __future__ import annotations

from typing import TYPE_CHECKING

import numpy as np

from .firms import laplace_shocks
from .population import COPY_KIND, copy_rows

if TYPE_CHECKING:
    from .sim import EcosystemModel


def absorb(model: EcosystemModel, share: float) -> int:
    """A territory expansion: firms of the absorbed area join, drawn like the zone's own (random copies of
    its living firms, certificates included). Returns the number of firms that joined."""
    rng, f = model.streams["events"], model.firms
    living = np.flatnonzero(f.alive)
    k = round(share * len(living))
    if k <= 0:
        return 0
    src = rng.choice(living, size=k, replace=True)
    rows = copy_rows(f, src, COPY_KIND + 1, model.month, model.month)
    rows["listed"] = np.zeros(k, bool)
    rows["listing_pool"] = np.zeros(k, bool)
    for flag in ("new", "attracted", "upgraded_small", "upgraded_strong"):  # the zone's, not the copied firm's
        rows[flag] = np.zeros(k, bool)
    idx = f.append(rows)
    f.annual_shock[idx] = laplace_shocks(rng, f.revenue[idx], model.p)
    model.talent.pool *= (len(living) + k) / len(living)
    return k
