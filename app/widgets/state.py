"""The application's one piece of shared state: the date shown and the place selected.

Widgets never call each other: the time controls, the timeline, the map, the panel and the date
line each observe this object and ask it for changes (napari's ``Dims``/``QtDims`` split). It emits
only on a real change, so a view that echoes a value back cannot start a loop.

The date is a day (a day number, :func:`geodata.dates.day_number`): the dataset knows where he was
to the month and often to the day. A year, where one is asked for (``--year``, the year slider),
means its last day, so the whole year's journey is drawn as it stood at the end of it.
"""

from __future__ import annotations

import calendar
import datetime as dt
from enum import StrEnum

from PySide6.QtCore import QObject, Signal

from geodata.dates import day_number, from_day_number


class Unit(StrEnum):
    """What a step moves by."""

    DAY = "day"
    MONTH = "month"
    YEAR = "year"


def last_day_of(year: int) -> int:
    return day_number(dt.date(year, 12, 31))


def first_day_of(year: int) -> int:
    return day_number(dt.date(year, 1, 1))


def shifted(day: int, unit: Unit, delta: int) -> int:
    """``day`` moved by ``delta`` days, months or years; a month or year step keeps the day of the
    month where it exists (31 March + 1 month is 30 April), and stays within years 1–9999."""
    if unit is Unit.DAY:
        return day + delta
    date = from_day_number(day)
    months = date.year * 12 + date.month - 1 + (delta * 12 if unit is Unit.YEAR else delta)
    # within January of year 1 to December of 9999 (clamping the year alone would wrap the month)
    year, month = divmod(min(max(months, 12), 9999 * 12 + 11), 12)
    last = calendar.monthrange(year, month + 1)[1]
    return day_number(dt.date(year, month + 1, min(date.day, last)))


class AppState(QObject):
    """Date and selection.

    Signals:
        dateChanged(int): the day shown changed (a day number, always within the bounds).
        yearChanged(int): the year of the day shown changed (for views that only show a year).
        selectedPlaceChanged(str): the selected place id changed; "" means nothing is selected.
        boundsChanged(int, int): the first and last year changed (a new dataset was opened); the
            date runs from 1 January of the first to 31 December of the last.
        followChanged(bool): whether the map frames the date's places on every change.
        hoveredPlaceChanged(str): the place a view points at without selecting it (a passage under
            the pointer in the reader), for the others to highlight; "" when none.
        passageRequested(str, int): a view asks for a source to be read at a code-point offset
            (a quote's "in context" link, a phrase found by search): the reader opens there.
    """

    dateChanged = Signal(int)
    yearChanged = Signal(int)
    selectedPlaceChanged = Signal(str)
    boundsChanged = Signal(int, int)
    followChanged = Signal(bool)
    hoveredPlaceChanged = Signal(str)
    passageRequested = Signal(str, int)

    def __init__(self, first: int, last: int, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self._first = first
        self._last = last
        self._day = first_day_of(first)
        self._selected = ""
        self._hovered = ""
        self._follow = True

    @property
    def day(self) -> int:
        """The day shown, as a day number."""
        return self._day

    @property
    def date(self) -> dt.date:
        return from_day_number(self._day)

    @property
    def year(self) -> int:
        return from_day_number(self._day).year

    @property
    def bounds(self) -> tuple[int, int]:
        """The first and last year."""
        return self._first, self._last

    @property
    def day_bounds(self) -> tuple[int, int]:
        """The first and last day: 1 January of the first year, 31 December of the last."""
        return first_day_of(self._first), last_day_of(self._last)

    @property
    def selected_place(self) -> str:
        return self._selected

    @property
    def hovered_place(self) -> str:
        return self._hovered

    @property
    def follow(self) -> bool:
        return self._follow

    def set_follow(self, follow: bool) -> None:
        """Let the map frame each date's places (True) or keep the user's view (False)."""
        if follow != self._follow:
            self._follow = follow
            self.followChanged.emit(follow)

    def set_day(self, day: int) -> None:
        """Show the day number ``day``, clamped to the bounds."""
        first, last = self.day_bounds
        day = min(max(int(day), first), last)
        if day != self._day:
            year = self.year
            self._day = day
            self.dateChanged.emit(day)
            if self.year != year:
                self.yearChanged.emit(self.year)

    def set_date(self, date: dt.date) -> None:
        self.set_day(day_number(date))

    def set_year(self, year: int) -> None:
        """Show the last day of ``year`` (clamped to the bounds): the whole year's journey drawn."""
        self.set_day(last_day_of(min(max(int(year), self._first), self._last)))

    def step(self, unit: Unit, delta: int) -> None:
        """Move the date by ``delta`` days, months or years (see :func:`shifted`)."""
        self.set_day(shifted(self._day, unit, delta))

    def step_year(self, delta: int) -> None:
        """Move the date by ``delta`` years (e.g. ±1 for the year keys)."""
        self.step(Unit.YEAR, delta)

    def set_bounds(self, first: int, last: int) -> None:
        """Change the year range; the date is clamped into it."""
        if first > last:
            raise ValueError(f"first year {first} is after last year {last}")
        if (first, last) != (self._first, self._last):
            self._first, self._last = first, last
            self.boundsChanged.emit(first, last)
        self.set_day(self._day)

    def select_place(self, place_id: str) -> None:
        """Select a place by id ("" clears the selection)."""
        if place_id != self._selected:
            self._selected = place_id
            self.selectedPlaceChanged.emit(place_id)

    def hover_place(self, place_id: str) -> None:
        """Point at a place without selecting it ("" when the pointer leaves)."""
        if place_id != self._hovered:
            self._hovered = place_id
            self.hoveredPlaceChanged.emit(place_id)

    def request_passage(self, source_id: str, offset: int) -> None:
        """Ask for the text ``source_id`` to be read at code-point ``offset``."""
        self.passageRequested.emit(source_id, int(offset))
