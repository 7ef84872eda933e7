"""The side panel that shows what the biographies say about the selected place."""

from __future__ import annotations

import html

from PySide6.QtCore import QUrl
from PySide6.QtWidgets import QTextBrowser, QWidget

from app.page.place_html import NOW_ANCHOR, linked_passage, linked_place, marked_stays, place_html_on, year_html
from app.widgets.state import AppState
from geodata.model import Dataset


class ExcerptPanel(QTextBrowser):
    """Observes the state and renders the selected place (or the year's stays) as escaped HTML.

    Has no signals of its own: it reads the state, and a click on a place link selects it there.
    """

    def __init__(self, state: AppState, dataset: Dataset, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("excerptPanel")
        self.setOpenLinks(False)
        self.setAccessibleName("Excerpts about the selected place")
        self.setMinimumWidth(300)
        self._state = state
        self._dataset = dataset
        #: what the panel shows now, so a date step that changes nothing redraws nothing
        self._shown: tuple[object, ...] = ()
        state.dateChanged.connect(self.refresh)
        state.selectedPlaceChanged.connect(self.refresh)
        self.anchorClicked.connect(self._on_link)
        self.refresh()

    def _on_link(self, url: QUrl) -> None:
        """``place:ID`` links of the year list select that place; a quote's "in context" link asks
        for the reader at that passage; nothing else is followed."""
        href = url.toString()
        place_id = linked_place(href)
        if place_id is not None and self._dataset.place(place_id) is not None:
            self._state.select_place(place_id)
        passage = linked_passage(href)
        if passage is not None and passage[0] in self._dataset.sources:
            self._state.request_passage(*passage)

    def show_message(self, text: str) -> None:
        """Show ``text`` (escaped) instead of a place, e.g. while the dataset is being read."""
        self.setHtml(f"<p>{html.escape(text)}</p>")
        self.setProperty("placeId", "")
        self._shown = ("message",)

    def set_dataset(self, dataset: Dataset) -> None:
        self._dataset = dataset
        self.refresh()

    def refresh(self) -> None:
        """Redraw from the state, only when what it shows changes: the year's list when nothing is
        selected; the place with the stays of the date marked, opened at the first of them."""
        if not self._dataset.places:  # still being read, or it failed: the message stays
            return
        year = self._state.year
        place = self._dataset.place(self._state.selected_place)
        if place is None:
            key: tuple[object, ...] = ("year", year, id(self._dataset))
            if key != self._shown:
                self.setHtml(year_html(self._dataset, year))
                self.setProperty("placeId", "")
                self._shown = key
            return
        marked = marked_stays(self._dataset, place, self._state.day)
        key = ("place", place.id, marked, place.name_in(year), id(self._dataset))
        if key == self._shown:
            return
        same_place = self._shown[:2] == ("place", place.id)
        scroll = self.verticalScrollBar().value()
        self.setHtml(place_html_on(self._dataset, place, self._state.day, year))
        self.setProperty("placeId", place.id)
        self.setProperty("markedStays", list(marked))
        moved = same_place and self._shown[2] != marked
        self._shown = key
        if same_place and not moved:
            self.verticalScrollBar().setValue(scroll)
        else:
            self.scrollToAnchor(NOW_ANCHOR)
