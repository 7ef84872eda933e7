"""Dates as a reader writes them ("4 May 1917", "Jan 1898 – 1900"): one wording for the panel,
the timeline, search and the command line."""

from __future__ import annotations

from geodata.dates import PartialDate
from geodata.model import Crossing, Stay

MONTHS = ("Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec")


def format_date(date: PartialDate) -> str:
    """``1917``, ``May 1917`` or ``4 May 1917``."""
    if date.month is None:
        return str(date.year)
    if date.day is None:
        return f"{MONTHS[date.month - 1]} {date.year}"
    return f"{date.day} {MONTHS[date.month - 1]} {date.year}"


def format_span(stay: Stay | Crossing) -> str:
    """A stay's (or a crossing's) dates as a reader writes them."""
    start, end = format_date(stay.start), format_date(stay.end)
    return start if start == end else f"{start} – {end}"
