"""The reference engine: the fast engine's core firm dynamics written one Mesa agent per firm.

`engine.py` is the readable specification of entry, R&D, growth, high-tech certification and exit;
`docking.py` runs it against `EcosystemModel(mechanisms="core")` and compares the two.
"""

from .engine import INDICATORS, FirmAgent, ReferenceModel

__all__ = ["INDICATORS", "FirmAgent", "ReferenceModel"]
