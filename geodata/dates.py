"""Partial ISO dates (``1917``, ``1917-05``, ``1917-05-04``) as the biographies give them.

The texts rarely give a full date, so a date carries its precision. Comparisons between dates of
different precision happen at the coarser of the two: ``1917`` is neither before nor after
``1917-05``, which is what "start <= end" must allow.
"""

from __future__ import annotations

import calendar
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

    def first_day(self) -> _dt.date:
        """The first day the date can mean (``1917-05`` → 1 May 1917)."""
        return _dt.date(self.year, self.month or 1, self.day or 1)

    def last_day(self) -> _dt.date:
        """The last day the date can mean (``1917-05`` → 31 May 1917, ``1917`` → 31 December)."""
        if self.day is not None:
            return _dt.date(self.year, self.month or 1, self.day)
        if self.month is None:
            return _dt.date(self.year, 12, 31)
        return _dt.date(self.year, self.month, calendar.monthrange(self.year, self.month)[1])

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


def day_number(day: _dt.date) -> int:
    """A day as a number (the proleptic Gregorian ordinal: 1 January of year 1 is 1), for ranges
    and for the page, which keeps days in typed arrays. Dates before 1970 are as good as any."""
    return day.toordinal()


def from_day_number(number: int) -> _dt.date:
    return _dt.date.fromordinal(number)


#: English month names, fixed here: ``calendar.month_name`` follows the locale, which Qt sets
MONTH_NAMES: tuple[str, ...] = (
    "January", "February", "March", "April", "May", "June",
    "July", "August", "September", "October", "November", "December",
)  # fmt: skip
MONTHS: dict[str, int] = {
    form: number for number, name in enumerate(MONTH_NAMES, 1) for form in (name.lower(), name[:3].lower())
}
MONTHS["sept"] = 9
_DAY_MONTH_YEAR = re.compile(r"^([0-9]{1,2})\s+([A-Za-z]+)\.?,?\s+([0-9]{4})\Z")
_MONTH_DAY_YEAR = re.compile(r"^([A-Za-z]+)\.?\s+([0-9]{1,2}),?\s+([0-9]{4})\Z")
_MONTH_YEAR = re.compile(r"^([A-Za-z]+)\.?,?\s+([0-9]{4})\Z")


def parse_when(text: str) -> PartialDate:
    """A date as a person types it: ``1917-10-25``, ``1917-10``, ``1917``, ``Oct 1917``,
    ``October 1917``, ``25 October 1917``, ``October 25, 1917`` (English month names, any case).

    Raises ``ValueError`` saying what is wrong; the result is checked like a dataset date.
    """
    cleaned = " ".join(str(text).split())
    if not cleaned:
        raise ValueError("type a date such as 1917-10-25, Oct 1917 or 1917")
    if (cleaned[0].isdigit() and "-" in cleaned) or cleaned.isdigit():
        return parse_partial_date(cleaned)
    for pattern, order in ((_DAY_MONTH_YEAR, "dmy"), (_MONTH_DAY_YEAR, "mdy"), (_MONTH_YEAR, "my")):
        match = pattern.match(cleaned)
        if match is None:
            continue
        parts = dict(zip(order, match.groups(), strict=True))
        month = MONTHS.get(parts["m"].lower())
        if month is None:
            raise ValueError(f"{parts['m']!r} is not a month")
        iso = f"{parts['y']}-{month:02d}" + (f"-{int(parts['d']):02d}" if "d" in parts else "")
        return parse_partial_date(iso)
    raise ValueError(f"{cleaned!r} is not a date such as 1917-10-25, Oct 1917, 25 October 1917 or 1917")


def format_day(day: _dt.date) -> str:
    """A day as the app writes it: ``25 October 1917``."""
    return f"{day.day} {MONTH_NAMES[day.month - 1]} {day.year}"
