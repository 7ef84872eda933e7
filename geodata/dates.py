"""Partial ISO dates (``1917``, ``1917-05``, ``1917-05-04``) as the biographies give them.

The texts rarely give a full date, so a date carries its precision. Comparisons between dates of
different precision happen at the coarser of the two: ``1917`` is neither before nor after
``1917-05``, which is what "start <= end" must allow.
"""

from __future__ import annotations

import datetime as _dt
import re
from dataclasses import dataclass
from enum import IntEnum

# ASCII digits only, and nothing after the date (``$`` would let a trailing newline through)
_PATTERN = re.compile(r"^([0-9]{4})(?:-([0-9]{2})(?:-([0-9]{2}))?)?\Z")


class Precision(IntEnum):
    """How much of a date is known; the value is the number of ISO components."""

    YEAR = 1
    MONTH = 2
    DAY = 3


@dataclass(frozen=True, order=False)
class PartialDate:
    """A date known to the year, the month or the day."""

    year: int
    month: int | None = None
    day: int | None = None

    @property
    def precision(self) -> Precision:
        """The finest component that is known."""
        if self.day is not None:
            return Precision.DAY
        if self.month is not None:
            return Precision.MONTH
        return Precision.YEAR

    def key(self, precision: Precision) -> tuple[int, ...]:
        """The date's components truncated to ``precision``, for ordering."""
        parts = (self.year, self.month or 0, self.day or 0)
        return parts[: int(precision)]

    def __str__(self) -> str:
        text = f"{self.year:04d}"
        if self.month is not None:
            text += f"-{self.month:02d}"
        if self.day is not None:
            text += f"-{self.day:02d}"
        return text

    def fractional_year(self, at_end: bool = False) -> float:
        """The date as a year with a fraction, taking the start (or end) of an unknown part.

        Used to order stays within one year and to place them on the slider.
        """
        if self.month is None:
            return self.year + (1.0 if at_end else 0.0) - (1e-9 if at_end else 0.0)
        month_start = (self.month - 1) / 12
        if self.day is None:
            return self.year + month_start + ((1 / 12 - 1e-9) if at_end else 0.0)
        return self.year + month_start + (self.day - 1) / 372


def parse_partial_date(text: object) -> PartialDate:
    """Parse ``YYYY``, ``YYYY-MM`` or ``YYYY-MM-DD``; raise ``ValueError`` saying what is wrong.

    Impossible dates such as ``1917-13`` or ``1917-02-30`` are rejected, not clamped.
    """
    if not isinstance(text, str):
        raise ValueError(f"expected a date string like 1917, 1917-05 or 1917-05-04, got {type(text).__name__}")
    match = _PATTERN.match(text)
    if match is None:
        raise ValueError(f"{text!r} is not a date like 1917, 1917-05 or 1917-05-04")
    year = int(match.group(1))
    if year == 0:
        raise ValueError(f"{text!r} has no year 0 (years run from 0001)")
    month = int(match.group(2)) if match.group(2) else None
    day = int(match.group(3)) if match.group(3) else None
    if month is not None and not 1 <= month <= 12:
        raise ValueError(f"{text!r} has no month {month}")
    if day is not None:
        assert month is not None
        try:
            _dt.date(year, month, day)
        except ValueError:
            raise ValueError(f"{text!r} is not a day of the calendar") from None
    return PartialDate(year, month, day)


def not_after(first: PartialDate, second: PartialDate) -> bool:
    """True when ``first`` is not after ``second``, compared at the coarser precision."""
    precision = min(first.precision, second.precision)
    return first.key(precision) <= second.key(precision)
