"""The one TOML writer: scenario files written by innosim (optimize's winning mix) and by the tests' generator.

Python's standard library reads TOML but does not write it; these few functions write the subset
scenario files use (tables, arrays of tables, scalars, arrays), with comments, and read back to the
same values with tomllib.
"""

from __future__ import annotations

import datetime as dt
import math
import re
import textwrap


def toml_document(data: dict, header: list[str], comments: dict[str, str] | None = None) -> str:
    """A TOML document of plain tables, arrays of tables and scalars; `comments` by dotted key."""
    wrap = textwrap.TextWrapper(100, break_on_hyphens=False, break_long_words=False)  # ids stay whole
    lines = [f"# {line}" if line else "#" for h in header for line in (wrap.wrap(h) or [""])]
    lines += _toml_table(data, (), comments or {})
    return "\n".join(lines).rstrip() + "\n"


def _toml_table(data: dict, path: tuple[str, ...], comments: dict[str, str]) -> list[str]:
    def is_array_of_tables(v) -> bool:
        return isinstance(v, list) and bool(v) and all(isinstance(x, dict) for x in v)

    scalars = {k: v for k, v in data.items() if not isinstance(v, dict) and not is_array_of_tables(v)}
    lines: list[str] = []
    if path and scalars:
        lines += ["", f"[{'.'.join(map(toml_key, path))}]"]
    for k, v in scalars.items():
        note = comments.get(".".join((*path, k)))
        lines.append(f"{toml_key(k)} = {toml_value(v)}" + (f"  # {note}" if note else ""))
    for k, v in data.items():
        if isinstance(v, dict) and v:
            lines += _toml_table(v, (*path, k), comments)
        elif is_array_of_tables(v):
            for item in v:
                if any(isinstance(x, dict) or is_array_of_tables(x) for x in item.values()):
                    raise TypeError(f"{k}: nested tables inside an array of tables are not supported")
                lines += ["", f"[[{'.'.join(map(toml_key, (*path, k)))}]]"]
                lines += [f"{toml_key(a)} = {toml_value(b)}" for a, b in item.items()]
    return lines


def toml_key(k: str) -> str:
    return k if re.fullmatch(r"[A-Za-z0-9_-]+", k) else toml_string(k)


def toml_string(s: str) -> str:
    special = {'"': '\\"', "\\": "\\\\", "\b": "\\b", "\t": "\\t", "\n": "\\n", "\f": "\\f", "\r": "\\r"}
    out = []
    for ch in s:
        if ch in special:
            out.append(special[ch])
        elif ord(ch) < 0x20 or ord(ch) == 0x7F:
            out.append(f"\\u{ord(ch):04X}")
        else:
            out.append(ch)
    return '"' + "".join(out) + '"'


def toml_value(v, finite: bool = True) -> str:
    """A value as TOML. `finite=False` writes nan and inf too (the fuzz generator's hostile files); a scenario
    file takes finite numbers only."""
    if isinstance(v, bool):
        return "true" if v else "false"
    if isinstance(v, int):
        return str(v)
    if isinstance(v, float):
        if not math.isfinite(v):
            if finite:
                raise ValueError("TOML scenario files take finite numbers only")
            return "nan" if math.isnan(v) else ("inf" if v > 0 else "-inf")
        return repr(v)  # Python's repr of a float is a valid TOML float and reads back to the same value
    if isinstance(v, str):
        return toml_string(v)
    if isinstance(v, dt.datetime | dt.date | dt.time):
        return v.isoformat()
    if isinstance(v, list):
        return "[" + ", ".join(toml_value(x, finite) for x in v) + "]"
    if isinstance(v, dict):
        return "{" + ", ".join(f"{toml_key(str(k))} = {toml_value(x, finite)}" for k, x in v.items()) + "}"
    raise TypeError(f"cannot write {type(v).__name__} to TOML")


def inline_document(doc: dict, finite: bool = True) -> str:
    """A document as one `key = value` line per top-level key, tables written inline."""
    return "".join(f"{toml_key(str(k))} = {toml_value(v, finite)}\n" for k, v in doc.items())
