"""The side panel that shows what the biographies say about the selected place."""

from __future__ import annotations

from PySide6.QtWidgets import QTextBrowser, QWidget

from app.place_html import empty_html, place_html
from app.state import AppState
from geodata.model import Dataset
from geodata.queries import active_places


class ExcerptPanel(QTextBrowser):
    """Observes the state and renders the selected place (or the year's summary) as escaped HTML.

    Has no signals of its own: it only reads the state.
    """

    def __init__(self, state: AppState, dataset: Dataset, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("excerptPanel")
        self.setOpenLinks(False)
        self.setAccessibleName("Excerpts about the selected place")
        self.setMinimumWidth(300)
        self._state = state
        self._dataset = dataset
        state.yearChanged.connect(self.refresh)
        state.selectedPlaceChanged.connect(self.refresh)
        self.refresh()

    def set_dataset(self, dataset: Dataset) -> None:
        self._dataset = dataset
        self.refresh()

    def refresh(self) -> None:
        """Redraw from the state (keeps the scroll position when only the year changed)."""
        year = self._state.year
        place = self._dataset.place(self._state.selected_place)
        if place is None:
            here = [p.name_in(year) for p in active_places(self._dataset, year)]
            self.setHtml(empty_html(year, here))
            return
        scroll = self.verticalScrollBar().value()
        same_place = self.property("placeId") == place.id
        self.setHtml(place_html(self._dataset, place, year))
        self.setProperty("placeId", place.id)
        if same_place:
            self.verticalScrollBar().setValue(scroll)
