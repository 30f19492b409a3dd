"""A scenario schema's validation error as one line: the field, as TOML writes its path, and the reason.

pydantic says what it expected in its own words ("Input should be a valid number"). A scenario file is TOML,
whose values carry their type (numbers, true or false, text in quotes), and the schema takes each value in its
own type only; so a value of the wrong type is named as the file writes it, with what to write instead.
"""

from __future__ import annotations

import datetime
import difflib
import json
import re

from .months import MONTH_PATTERN

BARE_KEY = re.compile(r"[A-Za-z0-9_\-]+")  # a key TOML writes without quotes


def location(err: dict) -> str:
    """The field of a pydantic error as a path in the file: `levers.budget.rent_subsidy`, `targets[0].year`."""
    parts = [str(p) for p in err["loc"] if not str(p).startswith(("function-", "function_"))]
    out = ""
    for p in parts:
        # A key such as " " or "a.b" is shown quoted, as TOML writes it: unquoted it named no field
        key = p if BARE_KEY.fullmatch(p) else json.dumps(p, ensure_ascii=False)
        out += f"[{p}]" if p.isdigit() else (f".{key}" if out else key)
    return out or "(document)"


def toml_value(v: object) -> str:
    """A value as TOML writes it: true, 200.0, "10"."""
    if isinstance(v, bool):
        return "true" if v else "false"
    return json.dumps(v, ensure_ascii=False) if isinstance(v, str) else repr(v)


def wrong_type(err: dict) -> str | None:
    """Why a value of another TOML type cannot stand where a number, a whole number, a boolean or text goes (a
    number in quotes, true for a count, 200.0 for a count of replications, "yes" for a switch), else None."""
    v, kind = err.get("input"), err["type"]
    want = {"float_type": "number", "int_type": "whole number", "bool_type": "boolean"}.get(kind)
    if kind == "string_type" and isinstance(v, (bool, int, float)):
        return f"{toml_value(v)} is not text: write it in quotes"
    if want is None:
        return None
    if isinstance(v, str):
        return f"{toml_value(v)} is text (in quotes), not a {want}: write " + (
            "true or false" if want == "boolean" else f"a {want}") + ", without quotes"
    if isinstance(v, bool):
        return f"{toml_value(v)} is a boolean, not a {want}"
    if want == "whole number" and isinstance(v, float) and v.is_integer():
        return f"{v!r} has a decimal point: write a whole number, {int(v)}"
    if want == "whole number" and isinstance(v, float):
        return f"{v!r} is not a whole number"  # 200.5, inf, nan
    if want == "boolean" and isinstance(v, (int, float)):
        return f"{v!r} is a number, not a boolean: write true or false"
    return None


def reason(err: dict) -> str:
    msg = re.sub(r"^(Value error|Assertion failed), ", "", err["msg"])
    if err["type"] == "extra_forbidden":
        msg = "unknown key"
    elif err["type"] == "string_pattern_mismatch" and err.get("ctx", {}).get("pattern") == MONTH_PATTERN:
        msg = f"{err['input']!r} is not a month: write it as \"YYYY-MM\" (e.g. \"2024-01\")"
    elif err["type"] == "string_type" and isinstance(err.get("input"), (datetime.date, datetime.time)):
        msg = "a TOML date or time, not text: write a month in quotes, \"YYYY-MM\""
    return wrong_type(err) or msg


def first_error(errors: list[dict]) -> tuple[str, str]:
    """(field, reason) of the error to show. A misspelt key makes two (the key unknown, the field it meant
    missing): the unknown key, with the missing field it is closest to, says what to fix."""
    for err in (e for e in errors if e["type"] == "extra_forbidden"):
        key, parent = str(err["loc"][-1]), err["loc"][:-1]
        missing = [str(e["loc"][-1]) for e in errors if e["type"] == "missing" and e["loc"][:-1] == parent]
        near = difflib.get_close_matches(key, missing, 1)
        if near:
            return location(err), f"unknown key; did you mean {near[0]}? (it is missing)"
    return location(errors[0]), reason(errors[0])
