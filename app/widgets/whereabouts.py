"""The line under the map: where he was in the selected year, each name a link that selects it."""

from __future__ import annotations

import html

from PySide6.QtCore import Qt
from PySide6.QtGui import QResizeEvent
from PySide6.QtWidgets import QLabel, QWidget

from app.page.place_html import linked_place, place_link
from app.widgets.state import AppState
from geodata.model import Dataset
from geodata.queries import active_places, current_place

#: places named in the line at most (a synthetic dataset can have thousands in one year)
LINE_LIMIT = 12
#: lines of text the line always takes: a height that changed with the year would resize the map
#: (a full redraw) on every step of the slider
LINES = 2
#: share of those lines' width the names may fill (word wrapping leaves gaps at line ends)
FILL = 0.82


class WhereaboutsLine(QLabel):
    """Lists the places of the state's year in the order he reached them; clicking one selects it.

    Its height is fixed at ``LINES`` lines and it names as many places as fit in them at the
    current width ("… and N more" for the rest), so scrubbing never changes the map's size.

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
        margins = self.contentsMargins()
        self.setFixedHeight(LINES * self.fontMetrics().lineSpacing() + margins.top() + margins.bottom() + 4)
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
        if not self._dataset.places:  # still being read
            self.setText(f"<i>{html.escape(self._dataset.title)}</i>")
            return
        year = self._state.year
        places = active_places(self._dataset, year)
        km = self._km_by_year.get(year)
        distance = f"· {km:,.0f} km travelled by the end of {year} (straight lines)" if km else ""
        if places:
            names = [place.name_in(year) for place in places[:LINE_LIMIT]]
            shown = self._names_that_fit(f"{year}: ", names, len(places), distance)
            links = " → ".join(
                f'<a href="{place_link(place.id)}">{html.escape(name)}</a>'
                for place, name in zip(places, names[:shown], strict=False)
            )
            more = f" … and {len(places) - shown:,} more" if len(places) > shown else ""
            text = f"<b>{year}:</b> {links}{more}"
        else:
            last = current_place(self._dataset, year)
            after = f" (last known: {html.escape(last.name_in(year))})" if last else ""
            text = f"<b>{year}:</b> no place in the dataset for this year{after}"
        if distance:
            text += f' <span style="color:#666">{html.escape(distance)}</span>'
        self.setText(text)
        self.setAccessibleName(f"Places in {year}")

    def _names_that_fit(self, prefix: str, names: list[str], total: int, distance: str) -> int:
        """How many of ``names`` fit in the line's ``LINES`` lines with the rest of its text (at least one)."""
        metrics = self.fontMetrics()
        budget = LINES * max(self.contentsRect().width(), 200) * FILL
        used = metrics.horizontalAdvance(prefix + distance)
        for count, name in enumerate(names):
            more = f" … and {total - count - 1:,} more" if total > count + 1 else ""
            used += metrics.horizontalAdvance(name + " → ")
            if count and used + metrics.horizontalAdvance(more) > budget:
                return count
        return len(names)

    def resizeEvent(self, event: QResizeEvent) -> None:
        super().resizeEvent(event)
        if event.size().width() != event.oldSize().width():
            self.refresh()

    def _on_link(self, href: str) -> None:
        place_id = linked_place(href)
        if place_id is not None and self._dataset.place(place_id) is not None:
            self._state.select_place(place_id)
