"""The line under the map: where he was on the date shown and the year's journey so far, each name a
link that selects it."""

from __future__ import annotations

import html

from PySide6.QtCore import Qt
from PySide6.QtGui import QResizeEvent
from PySide6.QtWidgets import QLabel, QWidget

from app.page.place_html import crossing_label, kind_label, linked_place, place_link, polity_text
from app.widgets.state import AppState
from geodata.dates import format_day
from geodata.model import Dataset
from geodata.queries import JourneyLeg, active_stays, chapter_on, crossing_on, last_begun, where_on

#: places named in the line at most (a synthetic dataset can have thousands in one year)
LINE_LIMIT = 12
#: lines of text the line always takes: a height that changed with the year would resize the map
#: (a full redraw) on every step of the slider
LINES = 2
#: share of those lines' width the names may fill (word wrapping leaves gaps at line ends)
FILL = 0.82


class WhereaboutsLine(QLabel):
    """Says where he was on the state's date (the most specific stay first, with its kind, or the
    crossing he was on, and the chapter), then the places of the year reached by that date in
    order; clicking one selects it.

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
        state.dateChanged.connect(self.refresh)
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
        day, year = self._state.day, self._state.year
        dataset = self._dataset
        when = format_day(self._state.date)
        here = where_on(dataset, day)
        crossing = crossing_on(dataset, day)

        chapter = chapter_on(dataset, day)
        chapter_text = f' <span style="color:#666">· {html.escape(chapter.title)}</span>' if chapter else ""
        if here:
            seen: dict[str, JourneyLeg] = {}
            for leg in here:
                seen.setdefault(leg.place.id, leg)
            legs = list(seen.values())[:3]
            texts = [f"{leg.place.name_in(year)} ({kind_label(leg.stay.kind)})" for leg in legs]
            # the stays' names come first: the crossing in short, so the line stays one line
            also = f"; {crossing_label(dataset, crossing, short=True)}" if crossing else ""
            polity = polity_text(legs[0].place, day, wait=False)
            also = (f" · {polity}" if polity else "") + also
            shown = self._stays_that_fit(f"{when}: ", texts, len(seen), also)
            more = f" and {len(seen) - shown:,} more" if len(seen) > shown else ""
            plain = f"{when}: " + ", ".join(texts[:shown]) + more + also
            if chapter and not self._fits(f"{plain} · {chapter.title}"):
                chapter_text = ""  # the places matter more than the chapter's name
            parts = [
                f'<a href="{place_link(leg.place.id)}">{html.escape(leg.place.name_in(year))}</a>'
                f" ({html.escape(kind_label(leg.stay.kind))})"
                for leg in legs[:shown]
            ]
            first_line = f"<b>{html.escape(when)}:</b> " + ", ".join(parts) + more + html.escape(also)
        elif crossing:
            first_line = f"<b>{html.escape(when)}:</b> {html.escape(crossing_label(dataset, crossing))}"
        else:
            last = last_begun(dataset, day)
            after = f" (last known: {html.escape(last.name_in(year))})" if last else ""
            first_line = f"<b>{html.escape(when)}:</b> no stay in the dataset covers this day{after}"
        places = [leg.place for leg in active_stays(dataset, year) if leg.first <= day]
        unique = list({place.id: place for place in places}.values())
        km = self._km_by_year.get(year)
        distance = f"· {km:,.0f} km travelled by the end of {year} (straight lines)" if km else ""
        second_line = ""
        if unique:
            names = [place.name_in(year) for place in unique[:LINE_LIMIT]]
            shown = self._names_that_fit(f"{year} so far: ", names, len(unique), distance, lines=1)
            links = " → ".join(
                f'<a href="{place_link(place.id)}">{html.escape(name)}</a>'
                for place, name in zip(unique, names[:shown], strict=False)
            )
            rest = f" … and {len(unique) - shown:,} more" if len(unique) > shown else ""
            second_line = f"<br>{year} so far: {links}{rest}"
        if distance:
            second_line += f' <span style="color:#666">{html.escape(distance)}</span>'
        self.setText(first_line + chapter_text + second_line)
        self.setAccessibleName(f"Where he was on {when}")

    def _fits(self, text: str) -> bool:
        """Whether ``text`` fits in one line of the label (with room for word wrapping's gaps)."""
        return self.fontMetrics().horizontalAdvance(text) <= max(self.contentsRect().width(), 200) * FILL

    def _stays_that_fit(self, prefix: str, parts: list[str], total: int, suffix: str) -> int:
        """How many of the day's stays (``parts``, of ``total``) fit in the first line with
        ``prefix`` and ``suffix`` (at least one): a longer line would push the year's journey out."""
        for count in range(len(parts), 1, -1):
            more = f" and {total - count:,} more" if total > count else ""
            if self._fits(prefix + ", ".join(parts[:count]) + more + suffix):
                return count
        return 1

    def _names_that_fit(self, prefix: str, names: list[str], total: int, distance: str, lines: int = LINES) -> int:
        """How many of ``names`` fit in ``lines`` lines with the rest of its text (at least one)."""
        metrics = self.fontMetrics()
        budget = lines * max(self.contentsRect().width(), 200) * FILL
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
