"""The line under the map: where he was in the selected year, each name a link that selects it."""

from __future__ import annotations

import html

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QLabel, QWidget

from app.state import AppState
from geodata.model import Dataset
from geodata.queries import active_places, current_place

#: places named in the line at most (a synthetic dataset can have thousands in one year)
LINE_LIMIT = 12


class WhereaboutsLine(QLabel):
    """Lists the places of the state's year in the order he reached them; clicking one selects it.

    Has no signals of its own: a click goes to ``AppState.select_place``.
    """

    def __init__(self, state: AppState, dataset: Dataset, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("whereabouts")
        self.setTextFormat(Qt.TextFormat.RichText)
        self.setWordWrap(True)
        self.setTextInteractionFlags(
            Qt.TextInteractionFlag.LinksAccessibleByMouse | Qt.TextInteractionFlag.LinksAccessibleByKeyboard
        )
        self._state = state
        self._dataset = dataset
        self._km_by_year: dict[int, float] = {}
        self.linkActivated.connect(self._on_link)
        state.yearChanged.connect(self.refresh)
        self.refresh()

    def set_dataset(self, dataset: Dataset) -> None:
        self._dataset = dataset
        self._km_by_year = {}
        self.refresh()

    def set_distances(self, km_by_year: dict[int, float]) -> None:
        """Kilometres travelled by the end of each year (computed in the background: seconds for a
        large dataset)."""
        self._km_by_year = dict(km_by_year)
        self.refresh()

    def refresh(self) -> None:
        year = self._state.year
        places = active_places(self._dataset, year)
        if places:
            links = " → ".join(
                f'<a href="{html.escape(place.id, quote=True)}">{html.escape(place.name_in(year))}</a>'
                for place in places[:LINE_LIMIT]
            )
            more = f" … and {len(places) - LINE_LIMIT:,} more" if len(places) > LINE_LIMIT else ""
            text = f"<b>{year}:</b> {links}{more}"
        else:
            last = current_place(self._dataset, year)
            after = f" (last known: {html.escape(last.name_in(year))})" if last else ""
            text = f"<b>{year}:</b> no place in the dataset for this year{after}"
        km = self._km_by_year.get(year)
        if km:
            text += f' <span style="color:#666">· {km:,.0f} km travelled by the end of {year} (straight lines)</span>'
        self.setText(text)
        self.setAccessibleName(f"Places in {year}")

    def _on_link(self, place_id: str) -> None:
        if self._dataset.place(place_id) is not None:
            self._state.select_place(place_id)
