"""The result of evaluating one claim (kept apart so family modules import it cheaply)."""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class Outcome:
    """A claim's reproduced value (human-readable) and whether its pass rule held."""

    reproduced_value: str
    passed: bool
