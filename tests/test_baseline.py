"""Regression baseline: the plan scenario's numbers at a fixed seed must not move unnoticed.

When a change moves them on purpose (a model change, a new calibration), run `make baseline`,
read the diff of tests/baseline.json and commit it with the change; docs/developing.md says when.
"""

from __future__ import annotations

import json
import math

import baseline


def _flatten(d: dict, prefix: str = "") -> dict[str, object]:
    out = {}
    for k, v in d.items():
        out.update(_flatten(v, f"{prefix}{k}.") if isinstance(v, dict) else {f"{prefix}{k}": v})
    return out


def test_the_plan_scenario_gives_the_committed_baseline():
    assert baseline.simd_pinned(), ("numpy's AVX-512 loops are on, and the baseline was computed on its AVX2 ones: "
                                    "NPY_DISABLE_CPU_FEATURES must be set before numpy is imported (tests/baseline.py)")
    expected = _flatten(json.loads(baseline.FILE.read_text("utf-8")))
    actual = _flatten(baseline.compute())
    changed = []
    for key in sorted(expected.keys() | actual.keys()):
        a, e = actual.get(key), expected.get(key)
        same = (isinstance(a, float) and isinstance(e, (int, float)) and math.isclose(a, e, rel_tol=1e-9, abs_tol=1e-9)
                ) or a == e
        if not same:
            changed.append(f"{key}: {e} -> {a}")
    assert not changed, ("the numbers moved from tests/baseline.json (if intended, `make baseline` and commit):\n  "
                         + "\n  ".join(changed[:40]))
