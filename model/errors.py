"""User-facing input errors: one line naming the file, the field and the reason."""

from __future__ import annotations


class InputError(Exception):
    """Bad user input. The CLI prints `str(err)` and exits with code 2."""

    def __init__(self, origin: str, field: str, reason: str) -> None:
        self.origin, self.field, self.reason = origin, field, reason
        reason = " ".join(str(reason).split())  # keep it on one line
        super().__init__(f"{origin}: {field}: {reason}")
