"""Checkpoints of an ensemble run: every finished replication is on disk, so an interrupted run resumes.

`innosim run` writes, beside its results folder `results/NAME`, a hidden folder `results/.NAME.partial`
holding `run.json` (what was asked: the scenario, its hash, the seed, the number of replications, the
parameter source) and one file per finished replication. A replication's numbers depend on
(scenario, seed, replication, parameters) alone, so `innosim run SCENARIO --resume results/.NAME.partial`
runs only the missing replications and ends with the numbers an uninterrupted run would have given.
The folder is removed once the results folder is complete.
"""

from __future__ import annotations

import json
import os
import re
import shutil
from pathlib import Path

import numpy as np

from ..errors import InputError

SUFFIX = ".partial"
META = "run.json"
_REP = re.compile(r"^rep-(\d{6,})\.npy$")


def folder_for(out: Path) -> Path:
    """The checkpoint folder of a results folder: a hidden sibling, so it never looks like results."""
    return out.parent / f".{out.name}{SUFFIX}"


class Checkpoint:
    """One replication per file, each written under a temporary name and renamed: a kill leaves whole files."""

    def __init__(self, folder: Path, meta: dict) -> None:
        self.folder = Path(folder)
        self.meta = meta

    @classmethod
    def create(cls, folder: Path, meta: dict) -> Checkpoint:
        folder.mkdir(parents=True, exist_ok=False)
        _write_atomic(folder / META, json.dumps(meta, ensure_ascii=False, indent=2).encode("utf-8"))
        return cls(folder, meta)

    @classmethod
    def open(cls, folder: Path) -> Checkpoint:
        """An existing checkpoint folder, or a one-line InputError naming what is wrong with it."""
        folder = Path(folder)
        if not (folder / META).is_file():
            raise InputError(str(folder), "--resume", f"not a checkpoint folder of innosim run (no {META})")
        try:
            meta = json.loads((folder / META).read_text("utf-8"))
        except (OSError, ValueError) as exc:
            raise InputError(str(folder / META), "--resume", f"unreadable: {exc}") from None
        problem = _check_meta(meta)
        if problem:
            raise InputError(str(folder / META), "--resume", problem)
        return cls(folder, meta)

    def save(self, replication: int, values: np.ndarray) -> None:
        path = self.folder / f"rep-{replication:06d}.npy"
        tmp = path.with_suffix(".tmp")
        with open(tmp, "wb") as fh:
            np.save(fh, values)
            fh.flush()
            os.fsync(fh.fileno())
        os.replace(tmp, path)

    def finished(self, shape: tuple[int, ...]) -> dict[int, np.ndarray]:
        """Replications on disk with the expected shape; an unreadable file is left to be run again."""
        done = {}
        for path in self.folder.iterdir():
            m = _REP.match(path.name)
            if not m or int(m.group(1)) >= self.meta["replications"]:
                continue
            try:
                values = np.load(path, allow_pickle=False)
            except (OSError, ValueError):
                continue
            if values.shape == shape:
                done[int(m.group(1))] = values
        return done

    def remove(self) -> None:
        shutil.rmtree(self.folder, ignore_errors=True)


def _check_meta(meta: object) -> str | None:
    """What is wrong with a run description (run.json may have been edited by hand), or None."""
    if not isinstance(meta, dict):
        return "not a run description"
    checks = {
        "out": lambda v: isinstance(v, str) and v != "",
        "scenario_hash": lambda v: isinstance(v, str),
        "replications": lambda v: _whole(v, 1, 100_000),
        "seed": lambda v: _whole(v, 0, 2**63 - 1),
        "parameters": lambda v: v in ("posterior", "posterior-mean", "defaults"),
        "until": lambda v: v is None or _whole(v, 1900, 2200),
        "lang": lambda v: v in ("zh", "en"),
    }
    for key, ok in checks.items():
        if key not in meta:
            return f"incomplete run description: no {key}"
        if not ok(meta[key]):
            return f"{key} = {meta[key]!r} is not a valid value"
    return None


def _whole(v: object, low: int, high: int) -> bool:
    return isinstance(v, int) and not isinstance(v, bool) and low <= v <= high


def _write_atomic(path: Path, data: bytes) -> None:
    tmp = path.with_name(path.name + ".tmp")
    tmp.write_bytes(data)
    os.replace(tmp, path)
