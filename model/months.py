"""The calendar: months as "YYYY-MM" strings and as indices counted from a scenario's start.

One place for the month arithmetic the scenario checks, the model's clock, the results' dates, the costs
and the profiles' events all need. It imports nothing of the package, so any module can use it.
"""

from __future__ import annotations

import datetime as dt

MONTH_PATTERN = r"^[0-9]{4}-(0[1-9]|1[0-2])$"  # a month as a scenario file writes it


def month_index(month: str, start: str) -> int:
    """Months from `start` to `month` (0 for the same month; negative before it)."""
    return (int(month[:4]) - int(start[:4])) * 12 + int(month[5:7]) - int(start[5:7])


def span(start: str, end: str) -> int:
    """Months from `start` to `end`, both included."""
    return month_index(end, start) + 1


def december_row(year: int, start: str) -> int:
    """The row of December of `year` in a run's series, whose row 0 is the baseline month before `start`."""
    return month_index(f"{year}-12", start) + 1


def lever_years(meta) -> float:
    """Years the levers act: from the scenario's start to `levers_end`, or to its end."""
    return span(meta.start, meta.levers_end or meta.end) / 12.0


def run_until(scenario, year: int):
    """The scenario run to December of `year`, its levers as in its last year (they are yearly rates; the horizon
    totals keep their own horizon). No check of `year`: the command line's --until does that."""
    meta = scenario.scenario
    return scenario.model_copy(update={"scenario": meta.model_copy(
        update={"end": f"{year}-12", "levers_end": meta.levers_end or meta.end})})


def dates(start: str, months: int) -> list[dt.date]:
    """The baseline month (the one before `start`) followed by `months` simulated months, as first days."""
    y, m = int(start[:4]), int(start[5:7])
    out = []
    for k in range(-1, months):
        yy, mm = divmod(m - 1 + k, 12)
        out.append(dt.date(y + yy, mm + 1, 1))
    return out
