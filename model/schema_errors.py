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
import typing
from collections.abc import Iterable

from pydantic import BaseModel
from pydantic_core import PydanticCustomError

from .months import MONTH_PATTERN

BARE_KEY = re.compile(r"[A-Za-z0-9_\-]+")  # a key TOML writes without quotes
MAX_ID = 80  # longest target id shown with a target, and longest unknown name matched against the valid ones
MAX_LISTED = 12  # an unknown key's table with more valid keys than this is named where they are documented
SCHEMA_DOC = "`innosim schema`"  # where every table's keys are listed
UNKNOWN_KEY = "unknown_key"  # the error type of an unknown key in a free table (a dict: [costs], ...)


def target_name(i: int, target: object) -> str:
    """How a message names the `i`-th (from 0) [[targets]] entry: its place counted from 1, as a planner counts the
    blocks of the file, and its id when it has a usable one: `targets[2] (specialized-sme-2026)`."""
    tid = target.get("id") if isinstance(target, dict) else getattr(target, "id", None)
    named = isinstance(tid, str) and len(tid) <= MAX_ID and BARE_KEY.fullmatch(tid)
    return f"targets[{i + 1}]" + (f" ({tid})" if named else "")


def location(err: dict, doc: object = None) -> str:
    """The field of a pydantic error as a path in the file: `levers.budget.rent_subsidy`,
    `targets[1] (high-tech-2026).year`, `ranges.services_index[2]`. A place in an array counts from 1; a target is
    also named by its id, read from the document `doc`; an unknown key of a free table (`costs`) is named."""
    parts = [p for p in err["loc"] if not str(p).startswith(("function-", "function_"))]
    if err["type"] == UNKNOWN_KEY:
        parts.append(err["ctx"]["key"])
    out = ""
    for n, p in enumerate(parts):
        if isinstance(p, int):
            targets = doc.get("targets") if isinstance(doc, dict) and out == "targets" and n == 1 else None
            item = targets[p] if isinstance(targets, list) and 0 <= p < len(targets) else None
            out = target_name(p, item) if targets is not None else f"{out}[{p + 1}]"
            continue
        # A key such as " " or "a.b" is shown quoted, as TOML writes it: unquoted it named no field
        key = p if BARE_KEY.fullmatch(p) else json.dumps(p, ensure_ascii=False)
        out += f".{key}" if out else key
    return out or "(document)"


def suggestion(name: str, valid: Iterable[str], where: str, noun: str = "keys") -> str:
    """What to write instead of the unknown `name`: the valid name closest to it ("did you mean ...?"), else the
    valid `noun` if they are few, else `where` they are documented."""
    valid = list(valid)
    near = difflib.get_close_matches(name, valid, 1) if len(name) <= MAX_ID else []
    if near:
        return f"did you mean {near[0]}?"
    return f"valid {noun}: {', '.join(valid)}" if len(valid) <= MAX_LISTED else f"see {where} for the valid {noun}"


def unknown_key(key: str, valid: Iterable[str], where: str) -> PydanticCustomError:
    """The error a validator of a free table ([costs], [parameters], [baseline]) raises for an unknown key: the
    message names `table.key` and suggests, as for the keys of the other tables."""
    reason = f"unknown key; {suggestion(key, valid, where)}"
    return PydanticCustomError(UNKNOWN_KEY, "{reason}", {"key": key, "reason": reason})


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


def table_keys(root: type[BaseModel], loc: tuple) -> list[str] | None:
    """The keys of the table at `loc` (a pydantic location) in the schema `root`, None if it is no table of it."""
    model: object = root
    for part in loc:
        if isinstance(part, int):
            continue  # an entry of a list: the list's item type was taken with its field
        fields = getattr(model, "model_fields", None)
        if not fields or part not in fields:
            return None
        model = _model_in(fields[part].annotation)
    return list(model.model_fields) if isinstance(model, type) and issubclass(model, BaseModel) else None


def _model_in(annotation: object) -> object:
    """The pydantic model an annotation holds (`Levers`, `list[Target]`, `Ranges | None`), else None."""
    if isinstance(annotation, type) and issubclass(annotation, BaseModel):
        return annotation
    return next((m for m in map(_model_in, typing.get_args(annotation)) if m is not None), None)


def first_error(errors: list[dict], root: type[BaseModel] | None = None, doc: object = None) -> tuple[str, str]:
    """(field, reason) of the error to show. An unknown key says which valid key of its table it is closest to.
    A misspelt key makes two errors (the key unknown, the field it meant missing): the unknown key, with the
    missing field it is closest to, says what to fix, and goes first."""
    unknown = {}
    for err in (e for e in errors if e["type"] == "extra_forbidden"):
        key, parent = str(err["loc"][-1]), err["loc"][:-1]
        missing = [str(e["loc"][-1]) for e in errors if e["type"] == "missing" and e["loc"][:-1] == parent]
        near = difflib.get_close_matches(key, missing, 1) if len(key) <= MAX_ID else []
        if near:
            return location(err, doc), f"unknown key; did you mean {near[0]}? (it is missing)"
        valid = table_keys(root, parent) if root is not None else None
        unknown[id(err)] = "unknown key" + (f"; {suggestion(key, valid, SCHEMA_DOC)}" if valid else "")
    err = errors[0]
    return location(err, doc), unknown.get(id(err)) or reason(err)
