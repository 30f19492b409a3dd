"""Hypothesis strategies for scenario files, valid and invalid, and the helpers that write and check them.

A generated case is a folder's worth of files (`Case`): the scenario to read and whatever it
extends. Four families:

- `mutated_case`: a real file of scenarios/ parsed, changed by one to four mutations (a value
  replaced by a wrong type, an extreme number, NaN or inf, a long string; a key removed, renamed
  or added, known or unknown; a table replaced by a scalar; the target list grown past its
  limit; an `extends` added), then written back as TOML;
- `text_case`: the text of a real file with line-level edits (lines deleted, duplicated, so keys
  repeat, swapped; TOML fragments, invalid UTF-8, NUL, a BOM inserted; numbers replaced;
  the file cut short);
- `extreme_case`: one to three known fields of one table at zero, a bound, just past it, or extreme;
- `garbage_case`: random bytes or random text;
- `extends_case`: chains of files extending one another: valid, too deep, cyclic, missing,
  escaping the folder (`../`, absolute, symlinks), not a string, a folder;
- `shape_case`: deeply nested arrays and tables, huge arrays, very long strings, documents near
  and above the size limit, unicode and duplicate keys.

`cheap=True` keeps a valid case cheap to *run*: at most two targets, horizons of a few years,
moderate counts; every invalid value stays in. Validation is checked with `cheap=False`.
"""

from __future__ import annotations

import copy
import os
import re
import tomllib
from dataclasses import dataclass, field
from pathlib import Path

from hypothesis import strategies as st

from model.costs import UNIT_COSTS
from model.output.toml_writer import inline_document, toml_string
from model.output.toml_writer import toml_value as _toml_value
from model.parameters import PARAMETERS
from model.profiles import PROFILE_NAMES, REQUIRED
from model.scenario import Budget, Levers, Meta, Scenario, Target

ROOT = Path(__file__).resolve().parents[1]
LIBRARY = {p.name: p.read_text("utf-8") for p in sorted((ROOT / "scenarios").glob("*.toml"))}
PLAN = "sanliang-qisheng-2024-2026.toml"
MAX_RUN_TARGETS = 2


def trim_targets(text: str, keep: int) -> str:
    """The file's text with only its first `keep` [[targets]] blocks (targets come last in every file)."""
    parts = re.split(r"(?m)^(?=\[\[targets\]\])", text)
    return "".join(parts[: keep + 1])


def library(cheap: bool) -> dict[str, str]:
    """The scenario library as files to copy into a case folder; cheap: at most two targets each."""
    return {n: trim_targets(t, MAX_RUN_TARGETS) if cheap else t for n, t in LIBRARY.items()}


# ------------------------------------------------------------------ TOML: the package's one writer
def toml_value(v) -> str:
    return _toml_value(v, finite=False)  # hostile files may hold nan and inf


def to_toml(doc: dict) -> str:
    """A document as TOML: one `key = value` line per top-level key, tables inline."""
    return inline_document(doc, finite=False)


# ------------------------------------------------------------------ values
NAN, INF = float("nan"), float("inf")
SPECIAL_FLOATS = [NAN, INF, -INF, -0.0, 5e-324, 1e-300, -1e-9, 1e300, -1e300, 1.7976931348623157e308, 1e20, 1e9,
                  0.5, 1.0, 1.0000001, 2.0]
HUGE_INTS = [2**31, 2**53 + 1, 2**63 - 1, 2**63, 2**64, -(2**63), -(2**63) - 1, 10**30, 10**400, -(10**400)]
SMALL_INTS = [0, 1, -1, 2, 12, 100]
MONTHS_CHEAP = [f"{y}-{m:02d}" for y in (2015, 2016, 2019, 2020, 2023, 2024, 2025, 2026, 2027) for m in (1, 6, 11, 12)]
MONTHS_BAD = ["2024-1", "2024-13", "2024-00", "24-01", "2024-01-01", "0000-01", "9999-12", "2099-12", "1900-01",
              "2024/01", " 2024-01", "2024-01\n", "２０２４-０１", ""]
STRINGS = ["", " ", "\t", "x", "a\nb", "a\r\nb", "\x00", "\x1b[31m", "\u202eevil", "\ufeff", "😀", "名字", "名字" * 200,
           "tongzhou-2023", "bda-2015", "Tongzhou-2023", "tongzhou-2023 ", "../../../etc/passwd", "/etc/passwd",
           "..", ".", "a/b", "a\\b", "C:\\x", "~", "$HOME", "`id`", "$(id)", "{0}", "%s%n", "__import__('os')",
           "con", "NUL", "x" * 81, "a" * 300, "high_tech", "rd_intensity", "hightech", ">=", "=>", "nan", "1e400",
           "true", "null", "None", "\ud7ff", "\U0010ffff", "\u0085", "\u2028", "sanliang-qisheng-2024-2026.toml",
           "$x^{$", "a $\\frac{$ b $", "$$", "<script>alert(1)</script>", "x\n![a](/etc/hostname)", "![a](../x.png)",
           "| a | b |", "# heading", "**", "`"]
PATH_NAMES = ["../x.toml", "../../etc/passwd", "/etc/passwd", "/dev/zero", "/proc/version", "sub/x.toml",
              "x.toml\x00", "x.TOML", "x.toml ", " x.toml", ".x.toml", "-x.toml", "x..toml", "x" * 200 + ".toml",
              "名字.toml", "..toml", "C:\\x.toml", "x.toml/..", "%2e%2e/x.toml", "x.json"]


def months(cheap: bool):
    return st.sampled_from(MONTHS_CHEAP) | st.sampled_from(MONTHS_BAD) | (
        st.nothing() if cheap else st.builds("{:04d}-{:02d}".format, st.integers(0, 9999), st.integers(0, 13)))


def numbers(cheap: bool):
    """Numbers: small and negative, extreme, NaN and inf, huge integers. Cheap: no large valid ones."""
    if cheap:
        return (st.integers(-10**6, 100) | st.sampled_from(SMALL_INTS + HUGE_INTS)
                | st.floats(-1e6, 100) | st.sampled_from(SPECIAL_FLOATS))
    return st.integers() | st.sampled_from(SMALL_INTS + HUGE_INTS) | st.floats() | st.sampled_from(SPECIAL_FLOATS)


def strings(cheap: bool):
    long = st.integers(1_000, 1_100_000).map(lambda n: "é" * (n // 2))
    return st.text(max_size=40) | st.sampled_from(STRINGS + PATH_NAMES) | months(cheap) | long


def scalars(cheap: bool):
    return (numbers(cheap) | strings(cheap) | st.booleans()
            | st.datetimes() | st.dates() | st.times())


def values(cheap: bool):
    """Any value a TOML document can hold: scalars, short lists and tables, huge arrays, nesting."""
    huge = st.integers(1_000, 40_000).flatmap(lambda n: st.sampled_from([[0.5] * n, list(range(n)), ["x"] * n]))
    return st.recursive(scalars(cheap), lambda inner: st.lists(inner, max_size=4)
                        | st.dictionaries(st.text(max_size=8), inner, max_size=3), max_leaves=8) | huge


# ------------------------------------------------------------------ keys
LEVERS = [k for k in Levers.model_fields if k != "budget"]
KNOWN_KEYS = {
    (): list(Scenario.model_fields),
    ("scenario",): list(Meta.model_fields),
    ("levers",): list(Levers.model_fields),
    ("levers", "budget"): list(Budget.model_fields),
    ("ranges",): [*LEVERS, "budget"],
    ("ranges", "budget"): list(Budget.model_fields),
    ("costs",): list(UNIT_COSTS),
    ("parameters",): list(PARAMETERS),
    ("baseline",): list(REQUIRED),
    ("targets", "*"): list(Target.model_fields),
}
ALL_KNOWN = sorted({k for ks in KNOWN_KEYS.values() for k in ks})
ODD_KEYS = ["", " ", "__class__", "__dict__", "__init__", "model_config", "__proto__", "constructor", "名字",
            "😀", "a.b", "A" * 300, "\u0000", "levers ", "Levers", "NAME", "e\u0301", "é"]


def keys():
    near = st.sampled_from(ALL_KNOWN).flatmap(
        lambda k: st.sampled_from([k + "s", k.upper(), k[:-1], k.replace("_", "-"), k.replace("_", "")]))
    return st.sampled_from(ALL_KNOWN) | st.sampled_from(ODD_KEYS) | near | st.text(max_size=20)


# ------------------------------------------------------------------ plausible values (valid scenarios vary too)
def plausible(path: tuple, cheap: bool):
    """A value the schema accepts for a known field, so valid scenarios vary and reach the model."""
    last = path[-1] if path else None
    section = path[0] if path else None
    if section == "parameters" and last in PARAMETERS:
        lo, hi = PARAMETERS[last].bounds
        return st.sampled_from([lo, hi]) | st.floats(lo, hi)
    if section == "baseline" and last in REQUIRED:
        if last.endswith("share"):
            return st.floats(0, 1)
        return st.floats(0, 200) | st.integers(0, 200) if cheap else st.floats(0, 2e6) | st.sampled_from([0, 2e6])
    if section == "costs":
        return st.floats(0, 1e4)
    if last in ("services_index", "scenarios_for_attracted_share", "adaptive_shift", "tolerance"):
        return st.floats(0, 1)
    if last == "adaptive":
        return st.booleans()
    if section == "levers":
        return st.floats(0, 100) | st.integers(0, 100)
    if last in ("start", "end", "levers_end"):
        return st.sampled_from(MONTHS_CHEAP)
    if last == "seed":
        return st.integers(0, 2**63 - 1)
    if last == "profile":
        return st.sampled_from(PROFILE_NAMES)
    return st.nothing()


# ------------------------------------------------------------------ mutations of a parsed document
def paths(node, prefix: tuple = ()) -> list[tuple]:
    out = []
    if isinstance(node, dict):
        for k, v in node.items():
            out.append((*prefix, k))
            out += paths(v, (*prefix, k))
    elif isinstance(node, list) and len(node) <= 50:
        for i, v in enumerate(node):
            out.append((*prefix, i))
            out += paths(v, (*prefix, i))
    return out


def tables(node, prefix: tuple = ()) -> list[tuple]:
    out = [prefix] if isinstance(node, dict) else []
    if isinstance(node, dict):
        for k, v in node.items():
            out += tables(v, (*prefix, k))
    elif isinstance(node, list) and len(node) <= 50:
        for i, v in enumerate(node):
            out += tables(v, (*prefix, i))
    return out


def at(doc, path):
    for p in path:
        doc = doc[p]
    return doc


def generic(path: tuple) -> tuple:
    return tuple("*" if isinstance(p, int) else p for p in path)


SECTIONS = [("baseline",), ("baseline",), ("parameters",), ("costs",), ("levers",), ("levers",), ("levers", "budget"),
            ("ranges",), ("ranges", "budget"), ("scenario",)]


def edges(path: tuple, cheap: bool):
    """Boundary values of a known field: zero, its bounds, just past them. Cheap: none that is both
    valid and costly to run (2,000,000 firms are allowed, and take minutes)."""
    section, last = path[0], path[-1]
    if section == "parameters" and last in PARAMETERS:
        lo, hi = PARAMETERS[last].bounds
        return st.sampled_from([lo, hi, lo - 1e-9, hi * 1.000001 + 1e-9])
    if section == "ranges":
        return st.lists(st.sampled_from([0, 0.5, 1, 2, 100, 1e4, 1e9, -1, NAN]), min_size=0, max_size=3)
    if cheap:
        return st.sampled_from([0, 0.0, -0.0, 1, 0.001, 0.5, 5, 1e9, 2e9, 1e20])
    return st.sampled_from([0, 0.0, -0.0, 1, 0.001, 0.5, 5, 1e4, 1e6, 1e9, 5e5, 2e6, 2e9, 1e8])


@st.composite
def mutate(draw, doc: dict, cheap: bool) -> dict:
    op = draw(st.sampled_from(["replace", "replace", "plausible", "plausible", "delete", "add", "add-known",
                               "rename", "grow-targets", "extends", "wrap", "section", "section"]))
    all_paths = paths(doc)
    if op in ("replace", "delete", "rename", "wrap", "plausible") and not all_paths:
        op = "add"
    if op == "replace":
        path = draw(st.sampled_from(all_paths))
        at(doc, path[:-1])[path[-1]] = draw(values(cheap))
    elif op == "plausible":
        path = draw(st.sampled_from(all_paths))
        doc_parent = at(doc, path[:-1])
        doc_parent[path[-1]] = draw(plausible(generic(path), cheap) | values(cheap))
    elif op == "delete":
        path = draw(st.sampled_from(all_paths))
        del at(doc, path[:-1])[path[-1]]
    elif op == "wrap":
        path = draw(st.sampled_from(all_paths))
        v = at(doc, path)
        at(doc, path[:-1])[path[-1]] = draw(st.sampled_from([[v], {"value": v}, [v, v], {}, []]))
    elif op == "rename":
        dict_paths = [p for p in all_paths if isinstance(at(doc, p[:-1]), dict)]
        if dict_paths:
            path = draw(st.sampled_from(dict_paths))
            parent = at(doc, path[:-1])
            parent[draw(keys())] = parent.pop(path[-1])
    elif op in ("add", "add-known"):
        where = draw(st.sampled_from(tables(doc)))
        known = KNOWN_KEYS.get(generic(where), [])
        if op == "add-known" and known:
            key = draw(st.sampled_from(known))
            at(doc, where)[key] = draw(plausible((*where, key), cheap) | values(cheap))
        else:
            at(doc, where)[draw(keys())] = draw(values(cheap))
    elif op == "section":  # known keys of a known table: boundary, plausible or odd values
        where = draw(st.sampled_from(SECTIONS))
        known = KNOWN_KEYS[where]
        parent = doc
        for k in where:
            parent = parent.setdefault(k, {}) if isinstance(parent, dict) else {}
        if isinstance(parent, dict):
            for key in draw(st.lists(st.sampled_from(known), min_size=1, max_size=3, unique=True)):
                path = (*where, key)
                big = (st.nothing() if cheap else st.floats(0, 2e9))
                parent[key] = draw(edges(path, cheap) | plausible(path, cheap) | numbers(cheap) | big)
    elif op == "grow-targets":
        targets = doc.get("targets")
        if isinstance(targets, list) and targets and isinstance(targets[0], dict):
            n = draw(st.sampled_from([1, 2, 199, 200, 201, 5000]) if not cheap else st.sampled_from([1, 201, 5000]))
            doc["targets"] = targets + [dict(targets[0], id=f"t{i}") for i in range(n)]
    elif op == "extends":
        doc["extends"] = draw(st.sampled_from(sorted(LIBRARY) + PATH_NAMES) | values(cheap))
    return doc


# ------------------------------------------------------------------ cases
@dataclass
class Case:
    kind: str
    files: dict[str, bytes]  # relative name -> content, written into a fresh folder
    target: str  # the file given to the CLI
    symlinks: dict[str, str] = field(default_factory=dict)  # name -> link target (may be absolute)
    folders: list[str] = field(default_factory=list)
    fifos: list[str] = field(default_factory=list)  # named pipes: reading one would block

    def write(self, folder: Path) -> Path:
        for d in self.folders:
            (folder / d).mkdir(parents=True, exist_ok=True)
        for name in self.fifos:
            os.mkfifo(folder / name)
        for name, content in self.files.items():
            p = folder / name
            p.parent.mkdir(parents=True, exist_ok=True)
            p.write_bytes(content)
        for name, to in self.symlinks.items():
            try:
                os.symlink(to, folder / name)
            except OSError:
                pass
        return folder / self.target

    def __repr__(self) -> str:  # what hypothesis prints for a failing example
        copies = {n: t.encode("utf-8") for cheap in (False, True) for n, t in library(cheap).items()}
        shown = {k: (v[:2000] + b"..." if len(v) > 2000 else v) for k, v in self.files.items()
                 if copies.get(k) != v}
        return f"Case({self.kind!r}, target={self.target!r}, files={shown!r}, symlinks={self.symlinks!r})"


def with_library(files: dict[str, bytes], cheap: bool) -> dict[str, bytes]:
    """The case's files over copies of the library, so `extends` of library files resolves."""
    out = {n: t.encode("utf-8") for n, t in library(cheap).items()}
    out.update(files)
    return out


@st.composite
def mutated_case(draw, cheap: bool = False) -> Case:
    name = draw(st.sampled_from(sorted(LIBRARY)))
    doc = tomllib.loads(library(cheap)[name])
    for _ in range(draw(st.integers(0, 4))):
        doc = draw(mutate(copy.deepcopy(doc), cheap))
    return Case("mutated", with_library({"s.toml": to_toml(doc).encode("utf-8")}, cheap), "s.toml")


@st.composite
def extreme_case(draw, cheap: bool = False) -> Case:
    """A library file with one to three known fields of one table (levers, budget, [baseline] overrides,
    parameters, costs, ranges) set to zero, a bound, just past it, or an extreme: mostly still valid
    files that reach the model, where a zero firm count or GDP divided by zero."""
    name = draw(st.sampled_from(sorted(LIBRARY)))
    doc = tomllib.loads(library(cheap)[name])
    where = draw(st.sampled_from(SECTIONS))
    parent = doc
    for k in where:
        parent = parent.setdefault(k, {})
    for key in draw(st.lists(st.sampled_from(KNOWN_KEYS[where]), min_size=1, max_size=3, unique=True)):
        parent[key] = draw(edges((*where, key), cheap) | plausible((*where, key), cheap))
    return Case("extreme", with_library({"s.toml": to_toml(doc).encode("utf-8")}, cheap), "s.toml")


TOML_BITS = ["[levers]", "[scenario]", "[[targets]]", "[levers.budget]", "[[levers]]", "[levers.budget.x]",
             "x = 1", "= 1", "x =", "x = = 1", '"', "'", '"""', "'''", "[", "]", "{", "}", "[[", "a.b.c = 1",
             "name = \"dup\"", "extends = \"../x.toml\"", "extends = \"s.toml\"", "services_index = nan",
             "services_index = inf", "young_talents_per_year = 1e400", "seed = 99999999999999999999999999",
             "seed = 0x7fffffffffffffff", "seed = -0", "start = 2024-01-01", "end = 2026-12-31T00:00:00Z",
             "tech = 1979-05-27T07:32:00-08:00", "x = 1_000", "x = 01", "x = +inf", "x = -nan", "x = 1e", "x = .5",
             "名字 = 1", '"名字" = 1', "'' = 1", '"" = 1', "[targets]", "targets = []", "targets = 5",
             "parameters = {startup_rate = 0.5}", "baseline = {tech_firms = 0}", "baseline = {gdp = 0}",
             "[baseline]\ntech_firms = 1", "[costs]\nservices_index = -1", "x = \"\\u0000\"", "x = \"\\ud800\"",
             "x = [" * 50, "# comment", "\t", "\r", "\r\n", "\\", "\x0c", "\x7f", "x = " + "9" * 5000,
             "x = 0x" + "f" * 5000, "x = {" + ".".join("a" * 70) + " = 1}", "a." * 70 + "b = 1", "x = " + "[" * 70]
RAW_BITS = [b"\xff", b"\xfe\xff", b"\xef\xbb\xbf", b"\x00", b"\xc3", b"\xed\xa0\x80", b"\xf4\x90\x80\x80",
            b"\x80\x80", b"\xc0\xaf"]


@st.composite
def text_case(draw, cheap: bool = False) -> Case:
    name = draw(st.sampled_from(sorted(LIBRARY)))
    text = library(cheap)[name]
    lines = text.split("\n")
    for _ in range(draw(st.integers(1, 4))):
        op = draw(st.sampled_from(["delete", "duplicate", "swap", "insert", "number", "cut", "raw"]))
        i = draw(st.integers(0, max(len(lines) - 1, 0)))
        if op == "delete" and lines:
            del lines[i]
        elif op == "duplicate" and lines:
            lines.insert(draw(st.integers(0, len(lines))), lines[i])
        elif op == "swap" and lines:
            j = draw(st.integers(0, len(lines) - 1))
            lines[i], lines[j] = lines[j], lines[i]
        elif op == "insert":
            lines.insert(i, draw(st.sampled_from(TOML_BITS) | st.text(max_size=30)))
        elif op == "number" and lines:
            num = toml_value(draw(numbers(cheap)))
            lines[i] = re.sub(r"-?\d[\d._eE+-]*", lambda m, n=num: n, lines[i], count=1)
        elif op == "cut":
            lines = lines[:i]
        elif op == "raw":
            data = "\n".join(lines).encode("utf-8")
            k = draw(st.integers(0, len(data)))
            data = data[:k] + draw(st.sampled_from(RAW_BITS) | st.binary(max_size=8)) + data[k:]
            return Case("text", with_library({"s.toml": data}, cheap), "s.toml")
    return Case("text", with_library({"s.toml": "\n".join(lines).encode("utf-8")}, cheap), "s.toml")


@st.composite
def garbage_case(draw, cheap: bool = False) -> Case:
    data = draw(st.binary(max_size=400) | st.text(max_size=200).map(lambda s: s.encode("utf-8", "surrogatepass"))
                | st.sampled_from([b"", b"\n", b"\xef\xbb\xbf", b"\x00" * 100, bytes(range(256))]))
    return Case("garbage", {"s.toml": data}, "s.toml")


@st.composite
def extends_case(draw, cheap: bool = False) -> Case:
    """s.toml -> p1.toml -> p2.toml ... : each link a child overriding a little, the last link odd or valid."""
    depth = draw(st.integers(1, 7))
    names = ["s.toml"] + [f"p{i}.toml" for i in range(1, depth + 1)]
    files: dict[str, bytes] = {}
    symlinks: dict[str, str] = {}
    folders: list[str] = []
    fifos: list[str] = []
    for i, name in enumerate(names[:-1]):
        child = {"extends": names[i + 1]}
        if draw(st.booleans()):
            child["scenario"] = {"name": f"child-{i}"}
        if draw(st.integers(0, 4)) == 0:
            child = draw(mutate(child, cheap))
        files[name] = to_toml(child).encode("utf-8")
    last = names[-1]
    end = draw(st.sampled_from(["library", "library", "cycle", "self", "missing", "odd-name", "folder", "fifo",
                                "symlink-in", "symlink-out", "symlink-dev", "symlink-loop", "big", "bad-toml",
                                "not-a-string"]))
    plan = library(cheap)[PLAN]
    if end == "library":
        files[last] = plan.encode("utf-8")
    elif end in ("cycle", "self"):
        to = draw(st.sampled_from(names)) if end == "cycle" else last
        files[last] = to_toml({"extends": to, **tomllib.loads(plan)}).encode("utf-8")
    elif end == "missing":
        pass
    elif end == "odd-name":
        files[last] = to_toml({"extends": draw(st.sampled_from(PATH_NAMES) | values(cheap))}).encode("utf-8")
    elif end == "folder":
        folders.append(last)
    elif end == "symlink-in":
        files["real.toml"] = plan.encode("utf-8")
        symlinks[last] = "real.toml"
    elif end == "symlink-out":  # a file outside the folder, through a link (cheap: the trimmed copy instead)
        if cheap:
            files[last] = plan.encode("utf-8")
        else:
            symlinks[last] = str(ROOT / "scenarios" / PLAN)
    elif end == "symlink-dev":
        symlinks[last] = draw(st.sampled_from(["/dev/zero", "/dev/urandom", "/dev/null", "/proc/version"]))
    elif end == "symlink-loop":
        symlinks[last] = "loop.toml"
        symlinks["loop.toml"] = last
    elif end == "fifo":
        fifos.append(last)
    elif end == "big":
        files[last] = (plan + "#" * 1_000_001).encode("utf-8")
    elif end == "bad-toml":
        files[last] = plan.replace("[levers]", "[levers", 1).encode("utf-8")
    elif end == "not-a-string":
        files[last] = to_toml({"extends": draw(numbers(cheap) | st.lists(st.just("p.toml"), max_size=2))}).encode()
    return Case(f"extends-{end}", files, "s.toml", symlinks, folders, fifos)


@st.composite
def shape_case(draw, cheap: bool = False) -> Case:
    plan = library(cheap)[PLAN]
    kind = draw(st.sampled_from(["nested-array", "nested-inline", "dotted-key", "table-header", "nested-value",
                                 "inline-dotted", "big-integer",
                                 "huge-array", "long-string", "long-key", "many-keys", "near-limit",
                                 "above-limit", "unicode-keys", "duplicate-key", "duplicate-table",
                                 "many-targets"]))
    n = draw(st.integers(1, 200_000))
    head = True  # a root-level key: before the file's first table header
    if kind == "nested-array":
        extra = "x = " + "[" * n + "]" * n
    elif kind == "nested-inline":
        k = min(n, 60_000)
        extra = "deep = " + "{a = " * k + "1" + "}" * k
    elif kind == "dotted-key":
        extra = "baseline." + ".".join(["a"] * min(n, 100_000)) + " = 1"
    elif kind == "inline-dotted":
        extra = "x = {" + ".".join(["a"] * min(n, 100_000)) + " = 1}"
    elif kind == "big-integer":
        extra = "x = " + "9" * min(n, 900_000)
    elif kind == "nested-value":
        k = min(n, 5_000)
        extra = "x = " + "[" * k + "1" + "]" * k
    elif kind == "long-key":
        extra = "x" * min(n, 900_000) + " = 1"
    elif kind == "table-header":
        head, extra = False, "[parameters." + ".".join(["b"] * min(n, 100_000)) + "]\nx = 1"
    elif kind == "huge-array":
        head, extra = False, "[ranges.budget]\nrent_subsidy = [" + ", ".join(["0.5"] * min(n, 150_000)) + "]"
    elif kind == "long-string":
        head, extra = False, '[baseline]\n"长" = "' + "长" * min(n, 300_000) + '"'
    elif kind == "many-keys":
        head, extra = False, "[costs]\n" + "\n".join(f"k{i} = {i}" for i in range(min(n, 60_000)))
    elif kind == "near-limit":
        head, extra = False, "#" * max(1_000_000 - len(plan.encode("utf-8")) - 2 - draw(st.integers(0, 10)), 0)
    elif kind == "above-limit":
        head, extra = False, "#" * (1_000_001 + draw(st.integers(0, 3_000_000)))
    elif kind == "unicode-keys":
        names = draw(st.lists(st.text(min_size=1, max_size=5), min_size=1, max_size=20))
        head, extra = False, "[baseline]\n" + "\n".join(f"{toml_string(k)} = {i}" for i, k in enumerate(names))
    elif kind == "duplicate-key":
        head, extra = False, "[levers]\nservices_index = 0.1"
    elif kind == "duplicate-table":
        head, extra = False, '[scenario]\nname = "again"'
    else:  # many-targets
        block = plan[plan.find("[[targets]]"):] if "[[targets]]" in plan else "[[targets]]\nid = 1\n"
        head, extra = False, (block + "\n") * min(n, 300)
    text = (extra + "\n" + plan) if head else (plan + "\n" + extra + "\n")
    return Case(f"shape-{kind}", with_library({"s.toml": text.encode("utf-8")}, cheap), "s.toml")


def any_case(cheap: bool = False):
    return (mutated_case(cheap) | mutated_case(cheap) | extreme_case(cheap) | text_case(cheap) | garbage_case(cheap)
            | extends_case(cheap) | shape_case(cheap))
