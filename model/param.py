"""One behavioural parameter's record: its value, unit, label, plausible range, hard bounds and source, and for a
parameter a replication draws from its evidence (a lever effect) its label and source in Chinese.

The records make up parameters.PARAMETERS (parameters.py and programme_parameters.py); this module imports nothing
of the package, so both can read it.
"""

from __future__ import annotations

from dataclasses import dataclass

NO_EVIDENCE = "no evidence found"
PROB = (0.0, 1.0)


@dataclass(frozen=True)
class Param:
    value: float
    unit: str
    label: str
    source: str
    range: tuple[float, float]
    bounds: tuple[float, float]
    evidence: tuple[str, ...] = ()  # rows of the policy-evidence table (PE..) the value and range come from
    # The label and source in Chinese, beside the English and with its figures and ids: the app's Chinese page shows
    # them under a lever's evidence, report.md in Chinese the label. parameters.check_chinese refuses a drawn
    # parameter without them; tests/test_zh_texts.py holds the two languages to the same figures.
    label_zh: str = ""
    source_zh: str = ""

    @property
    def no_evidence(self) -> bool:
        """Marked as having no published estimate behind it (its range is then wide on purpose)."""
        return self.source.startswith(NO_EVIDENCE)

    def label_in(self, lang: str) -> str:
        return self.label_zh if lang == "zh" else self.label

    def source_in(self, lang: str) -> str:
        return self.source_zh if lang == "zh" else self.source


def param(value, unit, label, source, rng, bounds=(0.0, float("inf")), evidence: tuple[str, ...] = (),
          label_zh: str = "", source_zh: str = "") -> Param:
    return Param(float(value), unit, label, source, (float(rng[0]), float(rng[1])), bounds, tuple(evidence),
                 label_zh, source_zh)
