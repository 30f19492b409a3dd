"""Spun-up populations kept per replication: runs that differ only in their levers share one spin-up.

The spin-up (EcosystemModel._spin_up: the population drawn 48 months before the baseline and run forward)
happens under the profile's background levers, never the scenario's. Replication r of a scenario therefore
spins up exactly as replication r of the same scenario with other levers, which is what compare, sweep,
optimize and discover run (common random numbers), and the spin-up is about 43% of a plan replication.

The first model of a key only notes it; the second keeps a copy of its state as the spin-up left it (while
the kept firm rows stay under MAX_BYTES); every later one starts from a copy of that copy. An ensemble of one
scenario, whose replications never repeat, copies nothing. The key holds every input the spin-up reads
(profile, start, scale, the scenario's parameter and baseline overrides, seed, replication, the parameter
source, debug, mechanisms); the attributes that follow the scenario itself are not kept and stay the new
model's own (SCENARIO_ATTRIBUTES). Each worker process has its own store; runs started from a kept state
give the numbers of runs that spun up themselves, bit for bit (tests/test_spinups.py).
"""

from __future__ import annotations

import copy
import hashlib
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from .parameters import ParameterSource
    from .scenario import Scenario

MAX_BYTES = 256 * 2**20  # firm rows kept per process: about 36 Tongzhou replications (7 MB each), 17 of the city
MAX_SEEN = 100_000  # keys remembered before the memory of them is dropped (a long-lived app process)
SCENARIO_ATTRIBUTES = ("scenario_spec", "targets", "months", "lever_months")


class _Token:
    """Stands for the model in a kept state (weakly referable: Mesa keeps weak references to the model)."""


_seen: set[str] = set()
_kept: dict[str, tuple[_Token, dict[str, Any]]] = {}
stats = {"restored": 0, "kept": 0, "bytes": 0}


def key(scenario: Scenario, replication: int, seed: int, parameters: ParameterSource, debug: bool,
        mechanisms: str) -> str:
    """Every input the spin-up reads, hashed (the parameter source by its content: workers get copies)."""
    meta = scenario.scenario
    spec = (meta.profile, meta.start, meta.scale, sorted(scenario.parameters.items()),
            sorted(scenario.baseline.items()), replication, seed, debug, mechanisms, _source_digest(parameters))
    return hashlib.sha256(repr(spec).encode()).hexdigest()


_digests: dict[int, tuple[object, str]] = {}  # by object: a chunk's runs share one unpickled source


def _source_digest(parameters: ParameterSource) -> str:
    """The parameter source's content (plain str, tuples of floats, dicts: repr is exact), hashed once per object."""
    hit = _digests.get(id(parameters))
    if hit is not None and hit[0] is parameters:
        return hit[1]
    digest = hashlib.sha256(repr(sorted(vars(parameters).items())).encode()).hexdigest()
    if len(_digests) > 64:
        _digests.clear()
    _digests[id(parameters)] = (parameters, digest)
    return digest


def restore(model: object, k: str) -> bool:
    """Give `model` a copy of the state kept under `k`; False when none is kept."""
    entry = _kept.get(k)
    if entry is None:
        return False
    token, state = entry
    # the kept state's references to its model point at `token`: the copy's point at `model`
    model.__dict__.update(copy.deepcopy(state, {id(token): model}))
    stats["restored"] += 1
    return True


def offer(model: object, k: str) -> None:
    """After a spin-up: note the key, or keep a copy of the state if the key was seen before."""
    if k in _kept:
        return
    if k not in _seen:
        if len(_seen) >= MAX_SEEN:
            _seen.clear()
        _seen.add(k)
        return
    size = _firm_bytes(model)
    if stats["bytes"] + size > MAX_BYTES:  # full: keep what is kept (an analysis cycles through its replications,
        return  # and evicting the oldest would evict each state just before its next use)
    token = _Token()
    state = {name: value for name, value in model.__dict__.items() if name not in SCENARIO_ATTRIBUTES}
    _kept[k] = (token, copy.deepcopy(state, {id(model): token}))
    stats["kept"] += 1
    stats["bytes"] += size


def _firm_bytes(model: object) -> int:
    f = model.firms  # type: ignore[attr-defined]
    return f.n * sum(col.itemsize for col in f.cols.values())


def clear() -> None:
    """Forget every key and kept state (the tests start each from nothing)."""
    _seen.clear()
    _kept.clear()
    stats.update(restored=0, kept=0, bytes=0)
