"""User-facing input errors: one line naming the file, the field and the reason."""

from __future__ import annotations

import unicodedata

# Longest file, field and reason shown: the rest is elided in the middle, so a 1 MB key or value
# cannot make a 1 MB error line.
MAX_ORIGIN, MAX_FIELD, MAX_REASON = 300, 200, 400


def printable(text: str, limit: int) -> str:
    """`text` on one line, safe to print on a terminal: control, format and separator characters
    (newlines, escape sequences, bidirectional overrides) as \\x.. escapes, at most `limit` characters."""
    text = "".join(c if unicodedata.category(c) not in ("Cc", "Cf", "Cs", "Co", "Cn", "Zl", "Zp")
                   else c.encode("unicode_escape", "backslashreplace").decode("ascii") for c in str(text))
    if len(text) > limit:
        half = (limit - 3) // 2
        text = f"{text[:half]}...{text[len(text) - half:]}"
    return text


class InputError(Exception):
    """Bad user input. The CLI prints `str(err)` and exits with code 2."""

    def __init__(self, origin: str, field: str, reason: str) -> None:
        self.origin, self.field, self.reason = origin, field, reason
        reason = " ".join(str(reason).split())  # keep it on one line
        super().__init__(f"{printable(origin, MAX_ORIGIN)}: {printable(field, MAX_FIELD)}: "
                         f"{printable(reason, MAX_REASON)}")


class InvariantError(AssertionError):
    """A model invariant or plausibility law failed in debug mode: a model bug, not a user error."""
