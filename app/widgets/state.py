"""The application's one piece of shared state: the year shown and the place selected.

Widgets never call each other: the slider, the map, the panel and the year line each observe this
object and ask it for changes (napari's ``Dims``/``QtDims`` split). It emits only on a real change,
so a view that echoes a value back cannot start a loop.
"""

from __future__ import annotations

from PySide6.QtCore import QObject, Signal


class AppState(QObject):
    """Year and selection.

    Signals:
        yearChanged(int): the year shown changed (always within the bounds).
        selectedPlaceChanged(str): the selected place id changed; "" means nothing is selected.
        boundsChanged(int, int): the first and last year changed (a new dataset was opened).
        followChanged(bool): whether the map frames the year's places on every change.
    """

    yearChanged = Signal(int)
    selectedPlaceChanged = Signal(str)
    boundsChanged = Signal(int, int)
    followChanged = Signal(bool)

    def __init__(self, first: int, last: int, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self._first = first
        self._last = last
        self._year = first
        self._selected = ""
        self._follow = True

    @property
    def year(self) -> int:
        return self._year

    @property
    def bounds(self) -> tuple[int, int]:
        return self._first, self._last

    @property
    def selected_place(self) -> str:
        return self._selected

    @property
    def follow(self) -> bool:
        return self._follow

    def set_follow(self, follow: bool) -> None:
        """Let the map frame each year's places (True) or keep the user's view (False)."""
        if follow != self._follow:
            self._follow = follow
            self.followChanged.emit(follow)

    def set_year(self, year: int) -> None:
        """Show ``year``, clamped to the bounds."""
        year = min(max(int(year), self._first), self._last)
        if year != self._year:
            self._year = year
            self.yearChanged.emit(year)

    def step_year(self, delta: int) -> None:
        """Move the year by ``delta`` (e.g. ±1 for the step buttons)."""
        self.set_year(self._year + delta)

    def set_bounds(self, first: int, last: int) -> None:
        """Change the year range; the year is clamped into it."""
        if first > last:
            raise ValueError(f"first year {first} is after last year {last}")
        if (first, last) != (self._first, self._last):
            self._first, self._last = first, last
            self.boundsChanged.emit(first, last)
        self.set_year(self._year)

    def select_place(self, place_id: str) -> None:
        """Select a place by id ("" clears the selection)."""
        if place_id != self._selected:
            self._selected = place_id
            self.selectedPlaceChanged.emit(place_id)
