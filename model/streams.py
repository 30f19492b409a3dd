"""Firm-keyed random numbers: every draw about a firm depends on the firm's identity and the month only.

A firm's draws do not move when another firm enters or leaves, so scenarios that differ in their levers
share the luck of the firms they have in common (common random numbers reach down to the firm).
FirmStream keys draws by firm, CohortStream by cohort of entrants; the helpers take either stream or a
plain numpy Generator.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

import numpy as np
from scipy.special import gammaincinv, ndtri

if TYPE_CHECKING:
    from .firms import FirmTable

_GOLDEN = 0x9E3779B97F4A7C15
_M1, _M2 = np.uint64(0xBF58476D1CE4E5B9), np.uint64(0x94D049BB133111EB)
_MASK = (1 << 64) - 1
_ONE_BITS = np.uint64(0x3FF0000000000000)  # the bit pattern of the double 1.0


def _mix64(x: np.ndarray, in_place: bool = False) -> np.ndarray:
    """SplitMix64's finaliser: a bijection of uint64 that scatters nearby inputs (wrap-around intended).

    Works in place (on a copy unless the caller hands over its array) with one scratch array: this
    runs over every firm row at every draw, and numpy's temporaries cost more than the arithmetic.
    """
    if not in_place:
        x = np.array(x, dtype=np.uint64, copy=True)
    t = x >> np.uint64(30)
    x ^= t
    x *= _M1  # uint64 arrays wrap silently, as the hash wants
    np.right_shift(x, np.uint64(27), out=t)
    x ^= t
    x *= _M2
    np.right_shift(x, np.uint64(31), out=t)
    x ^= t
    return x


def _mix64_int(x: int) -> int:
    """_mix64 of one Python integer (the per-call site key), without numpy scalar overflow warnings."""
    x = ((x ^ (x >> 30)) * 0xBF58476D1CE4E5B9) & _MASK
    x = ((x ^ (x >> 27)) * 0x94D049BB133111EB) & _MASK
    return x ^ (x >> 31)


def hash_ids(ids: np.ndarray) -> np.ndarray:
    """The per-id half of a keyed draw; FirmTable keeps it as the uid_hash column."""
    return _mix64(np.asarray(ids, dtype=np.uint64) + np.uint64(_GOLDEN))


def hashed_uniforms(key: int, month: int, call: int, hashed: np.ndarray) -> np.ndarray:
    """keyed_uniforms for ids already passed through hash_ids."""
    site = _mix64_int((key & _MASK) ^ _mix64_int(((month << 16) | call) & _MASK))
    h = _mix64(np.bitwise_xor(hashed, np.uint64(site)), in_place=True)
    # The top 52 bits as the mantissa of a double in [1, 2), shifted to [2^-53, 1 - 2^-53]: never 0
    # or 1, so logs stay finite; all in place, no conversion pass.
    h >>= np.uint64(12)
    h |= _ONE_BITS
    u = h.view(np.float64)
    u -= 1.0 - 2.0 ** -53
    return u


def keyed_uniforms(key: int, month: int, call: int, ids: np.ndarray) -> np.ndarray:
    """Uniforms in (0, 1), one per id, fixed by (key, month, call, id) alone: a counter-based draw."""
    return hashed_uniforms(key, month, call, hash_ids(ids))


def entrant_uids(kind: int, month: int, n: int) -> np.ndarray:
    """The j-th firm of a kind (1 start-up, 2 spin-off, 3 attracted; 4-6 the same kinds in the spin-up, 7 a copy
    made when the spin-up's population is matched to the documented count, 8 a firm of an absorbed territory)
    entering in a month; the firms drawn at the start of the spin-up are 0..n-1."""
    return (np.uint64(kind) << np.uint64(48)) | (np.uint64(month) << np.uint64(24)) | np.arange(n, dtype=np.uint64)


class FirmStream:
    """Per-firm random numbers fixed by (key, month, call of the month, firm uid).

    A numpy Generator hands out draws in order, so a scenario with one more firm, or one fewer
    exit, gives every later firm another firm's draw, and runs of two scenarios part ways. Here a
    firm's draw depends on who it is and when, not on how many firms came before it: replication i
    of two scenarios gives the same firm the same luck (common random numbers, firm by firm).
    Offers the Generator methods the firm mechanisms use (`random`, `gumbel`, `laplace`), sized
    to the firm table, so those mechanisms also take a plain Generator (as the unit tests do).
    """

    def __init__(self, key: int, firms: FirmTable) -> None:
        self.key = int(key)
        self.firms = firms
        self.month = 0
        self._calls = 0

    def start_month(self, month: int) -> None:
        self.month, self._calls = month, 0

    def random(self, n: int) -> np.ndarray:
        hashed = self.firms.uid_hash
        if n != len(hashed):
            raise ValueError(f"FirmStream draws one number per firm row ({len(hashed)}), asked for {n}")
        self._calls += 1
        return hashed_uniforms(self.key, self.month, self._calls, hashed)

    def random_at(self, rows: np.ndarray) -> np.ndarray:
        """This call's draws for some rows only: equal to random(n)[rows], at the cost of len(rows)."""
        self._calls += 1
        return hashed_uniforms(self.key, self.month, self._calls, self.firms.uid_hash[rows])

    def skip(self) -> None:
        """Use up a call without drawing, so the calls after it keep their numbers."""
        self._calls += 1

    def gumbel(self, loc: float, scale: float, n: int) -> np.ndarray:
        return _gumbel(self.random(n), loc, scale)

    def laplace(self, loc: float, scale: np.ndarray) -> np.ndarray:
        return _laplace(self.random(len(scale)), loc, scale)


def _gumbel(u: np.ndarray, loc: float, scale: float) -> np.ndarray:
    """loc - scale * log(-log(u)), computed in u's own memory (callers hand over fresh draws)."""
    np.log(u, out=u)
    np.negative(u, out=u)
    np.log(u, out=u)
    u *= -scale
    u += loc
    return u


def uniform_at(rng: np.random.Generator | FirmStream, rows: np.ndarray, n: int) -> np.ndarray:
    """Uniform draws for `rows` of an n-row table: only those rows are hashed from a FirmStream."""
    if isinstance(rng, FirmStream):
        return rng.random_at(rows)
    return rng.random(n)[rows]


def gumbel_at(rng: np.random.Generator | FirmStream, rows: np.ndarray, n: int, loc: float,
              scale: float) -> np.ndarray:
    return _gumbel(uniform_at(rng, rows, n), loc, scale)


def skip(rng: np.random.Generator | FirmStream, n: int) -> None:
    """A draw nobody needs this month, still made (or its call used up) so later draws keep their place."""
    if isinstance(rng, FirmStream):
        rng.skip()
    else:
        rng.random(n)


class CohortStream:
    """Draws for a cohort of entrants (start-ups, spin-offs or attracted firms of one month), keyed by
    (key, month, kind).

    The cohort's uniforms are one block, a row per entrant and a column per draw the cohort makes
    (revenue, capability, R&D propensity, ...). Generators fill blocks row by row, so the j-th
    entrant's row is the same whether its cohort has n or n + 5 members: cohort sizes that differ
    between scenarios do not reshuffle the attributes of the entrants they share. Each method turns
    the next column into its distribution by the inverse CDF. One generator call per cohort instead
    of one per attribute: the attributes of a few dozen firms cost Python calls, not arithmetic.

    The generator is Philox, a counter-based generator whose 128-bit key picks an independent
    stream, re-keyed for each call (counts are drawn with `poisson`, one call each).
    """

    COLUMNS = 20  # more than the draws any cohort makes; running out is a programming error

    def __init__(self, key: int, month: int, kind: int) -> None:
        self.key = int(key)
        self.site = (int(month) << 32) | (int(kind) << 16)
        self._calls = 0
        self._bits = np.random.Philox(key=np.zeros(2, np.uint64))
        self._gen = np.random.Generator(self._bits)
        self._block: np.ndarray | None = None
        self._column = 0

    def _rekey(self) -> np.random.Generator:
        self._calls += 1
        self._bits.state = {"bit_generator": "Philox",
                            "state": {"counter": np.zeros(4, np.uint64),
                                      "key": np.array([self.key, self.site | self._calls], np.uint64)},
                            "buffer": np.zeros(4, np.uint64), "buffer_pos": 4, "has_uint32": 0, "uinteger": 0}
        return self._gen

    def poisson(self, lam: float) -> int:
        return int(self._rekey().poisson(lam))

    def random(self, n: int) -> np.ndarray:
        """The next column's first n uniforms; the first call fixes the cohort size."""
        if self._block is None:
            self._block = self._rekey().random((n, self.COLUMNS))
        if n > len(self._block) or self._column == self.COLUMNS:
            raise ValueError(f"cohort of {len(self._block)} asked for draw {self._column + 1} of size {n}")
        u = self._block[:n, self._column].copy()
        self._column += 1
        return u

    def uniform(self, low: float, high: float, n: int) -> np.ndarray:
        return low + (high - low) * self.random(n)

    def integers(self, low: int, high: int, n: int) -> np.ndarray:
        return low + np.floor(self.random(n) * (high - low)).astype(np.int64)

    def lognormal(self, mean: float, sigma: float, n: int) -> np.ndarray:
        return np.exp(mean + sigma * ndtri(self.random(n)))

    def gamma(self, shape: float, scale: float, n: int) -> np.ndarray:
        if float(shape).is_integer() and 1 <= shape <= 4:  # a sum of `shape` exponentials: exact, and no slow inverse
            return -scale * sum(np.log(self.random(n)) for _ in range(int(shape)))
        return gammaincinv(shape, self.random(n)) * scale

    def choice(self, a: int | np.ndarray, size: int, p: np.ndarray | None = None) -> np.ndarray:
        values = np.arange(a) if np.ndim(a) == 0 else np.asarray(a)
        u = self.random(size)
        if p is None:
            return values[np.minimum((u * len(values)).astype(np.int64), len(values) - 1)]
        cdf = np.cumsum(p) / np.sum(p)
        return values[np.minimum(np.searchsorted(cdf, u, side="right"), len(values) - 1)]

    def laplace(self, loc: float, scale: np.ndarray) -> np.ndarray:
        return _laplace(self.random(len(scale)), loc, scale)


def _laplace(u: np.ndarray, loc: float, scale: np.ndarray) -> np.ndarray:
    u -= 0.5
    return loc - scale * np.sign(u) * np.log1p(-2.0 * np.abs(u))
