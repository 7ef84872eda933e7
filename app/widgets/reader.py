"""The reader: both texts the dataset quotes, whole, with every passage about a place marked and
linked to the map both ways.

What is marked comes from :mod:`geodata.passages` (computed once per dataset); this widget only
paints it. Each text becomes a QTextDocument built once, the first time it is shown, with one
character position per code point of the source, so a passage's offsets are its document positions
(a character beyond the Basic Multilingual Plane takes two, and :class:`_Positions` accounts for
that). The text is inserted as plain text, never parsed as HTML: a source full of markup shows its
markup as text.

The reader never calls the map: hovering a passage asks the state to point at its place, clicking
one asks it to select the place and move the date; it observes the selection, the date and passage
requests and scrolls itself.
"""

from __future__ import annotations

import bisect
import html
import re

from PySide6.QtCore import QEvent, QObject, QSignalBlocker, Qt, QTimer, QUrl
from PySide6.QtGui import QBrush, QColor, QFont, QTextCharFormat, QTextCursor, QTextDocument, QTextFormat
from PySide6.QtWidgets import (
    QCheckBox,
    QHBoxLayout,
    QLabel,
    QStackedWidget,
    QTabBar,
    QTextBrowser,
    QTextEdit,
    QToolButton,
    QVBoxLayout,
    QWidget,
)

from app.widgets.state import AppState
from geodata.model import Dataset, Source
from geodata.passages import Passage, Passages, passages, short_author
from geodata.queries import current_leg_on

#: light backgrounds for the quotes, one per place in turn (neighbouring places differ)
PASSAGE_COLOURS = ("#fde2a7", "#cfe8d0", "#f8cfd0", "#d3e1f5", "#eadcf5", "#f5dcc4", "#d6efec", "#ece6b8")
#: a mention: the place's name in the running text, underlined, not filled
MENTION_COLOUR = "#7a4b12"
#: the passage the reader is at, drawn over its own colour
CURRENT_COLOUR = "#f2b33d"
PASSAGE_SCHEME = "passage"
#: how far down the view the passage sits after a jump, when its paragraph is too long to show whole
PASSAGE_TOP_SHARE = 0.18
_HEADING = re.compile(r"^(=+)[^=].*?(=+)\s*$")


def passage_href(index: int) -> str:
    return f"{PASSAGE_SCHEME}:{index}"


def passage_of_href(href: str) -> int | None:
    scheme, _, number = href.partition(":")
    return int(number) if scheme == PASSAGE_SCHEME and number.isdigit() else None


class _Positions:
    """Code-point offsets of a text → QTextDocument positions (UTF-16: an astral character is two)."""

    def __init__(self, text: str) -> None:
        self._astral = [index for index, char in enumerate(text) if ord(char) > 0xFFFF]

    def __call__(self, offset: int) -> int:
        return offset + bisect.bisect_left(self._astral, offset)


def _formats(dataset: Dataset, found: Passages) -> dict[int, QTextCharFormat]:
    """The character format of every passage: quotes filled with their place's colour, mentions
    underlined; each an anchor to its passage with the place's name as tooltip."""
    colour_of = {
        place.id: PASSAGE_COLOURS[number % len(PASSAGE_COLOURS)] for number, place in enumerate(dataset.places)
    }
    formats: dict[int, QTextCharFormat] = {}
    for index, item in enumerate(found.items):
        char = QTextCharFormat()
        char.setAnchor(True)
        char.setAnchorHref(passage_href(index))
        place = dataset.place(item.place)
        char.setToolTip(place.name if place is not None else item.place)
        if item.kind == "excerpt":
            char.setBackground(QBrush(QColor(colour_of.get(item.place, PASSAGE_COLOURS[0]))))
        else:
            char.setForeground(QBrush(QColor(MENTION_COLOUR)))
            char.setFontUnderline(True)
            char.setUnderlineStyle(QTextCharFormat.UnderlineStyle.DotLine)
        formats[index] = char
    return formats


def build_document(source: Source, found: Passages, formats: dict[int, QTextCharFormat]) -> QTextDocument:
    """The text of ``source`` as a document, its passages marked (positions = :class:`_Positions`)."""
    document = QTextDocument()
    document.setDocumentMargin(14)
    document.setUndoRedoEnabled(False)
    cursor = QTextCursor(document)
    block = cursor.blockFormat()
    block.setBottomMargin(6)
    block.setLineHeight(118, 1)  # QTextBlockFormat.LineHeightTypes.ProportionalHeight
    cursor.setBlockFormat(block)
    plain = QTextCharFormat()
    text = source.text
    position = 0
    for segment in found.segments.get(source.id, ()):
        if segment.start > position:
            cursor.insertText(text[position : segment.start], plain)
        cursor.insertText(text[segment.start : segment.end], formats[segment.passage])
        position = segment.end
    cursor.insertText(text[position:], plain)
    _style_headings(document)
    return document


def _style_headings(document: QTextDocument) -> None:
    """Lines such as "===Exile (1929–1940)===" read as headings: bold, their "=" marks faint (the
    characters stay, so offsets still hold)."""
    heading = QTextCharFormat()
    heading.setFontWeight(QFont.Weight.Bold)
    heading.setFontPointSize(13)
    faint = QTextCharFormat()
    faint.setForeground(QBrush(QColor("#c8c8c8")))
    block = document.begin()
    while block.isValid():
        match = _HEADING.match(block.text())
        if match:
            cursor = QTextCursor(block)
            cursor.movePosition(QTextCursor.MoveOperation.EndOfBlock, QTextCursor.MoveMode.KeepAnchor)
            cursor.mergeCharFormat(heading)
            for group in (1, 2):
                cursor.setPosition(block.position() + match.start(group))
                cursor.setPosition(block.position() + match.end(group), QTextCursor.MoveMode.KeepAnchor)
                cursor.mergeCharFormat(faint)
        block = block.next()


class Reader(QWidget):
    """Both texts, marked, beside the map; observes the state and asks it for changes.

    Signals: none of its own. It asks the state to hover a place (``hover_place``), select one and
    move the date (``select_place``, ``set_day``); it observes ``selectedPlaceChanged`` (jump to the
    place's first passage), ``dateChanged`` (with *read along*, scroll to the passage of the date)
    and ``passageRequested`` (open at a passage).
    """

    def __init__(self, state: AppState, dataset: Dataset, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._state = state
        self._dataset = dataset
        self._documents: dict[str, QTextDocument] = {}
        self._source_ids: list[str] = []
        self._current: int | None = None  # the passage the reader is at
        self._place = ""  # whose passages next/previous walk through
        self._own_selection = False  # the selection being made is the reader's own click
        self._pending_jump = False  # a selection made while hidden: jump when shown
        self._kept: Passage | None = None  # jumped to and not scrolled away from: kept in place on resize

        self.tabs = QTabBar(self)
        self.tabs.setDocumentMode(True)
        self.tabs.setExpanding(False)
        self.about = QLabel(self)
        self.about.setTextFormat(Qt.TextFormat.RichText)
        self.about.setWordWrap(True)
        self.about.setOpenExternalLinks(False)
        self.about.setStyleSheet("QLabel { color: #555; padding: 2px 4px; }")
        self.previous_button = QToolButton(self)
        self.previous_button.setText("◀")
        self.previous_button.setToolTip("Previous passage about this place")
        self.next_button = QToolButton(self)
        self.next_button.setText("▶")
        self.next_button.setToolTip("Next passage about this place")
        self.where = QLabel(self)
        self.where.setTextFormat(Qt.TextFormat.PlainText)
        self.read_along = QCheckBox("Read along", self)
        self.read_along.setToolTip("As the date moves, scroll to the passage about that date")
        # one browser per text, so that switching texts never lays a long document out again
        self.pages = QStackedWidget(self)
        self._browsers: dict[str, QTextBrowser] = {}
        self.text = self._new_browser()

        navigation = QHBoxLayout()
        navigation.setContentsMargins(4, 0, 4, 0)
        navigation.addWidget(self.previous_button)
        navigation.addWidget(self.next_button)
        navigation.addWidget(self.where, 1)
        navigation.addWidget(self.read_along)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.setSpacing(2)
        layout.addWidget(self.tabs)
        layout.addWidget(self.about)
        layout.addLayout(navigation)
        layout.addWidget(self.pages, 1)

        self.tabs.currentChanged.connect(self._on_tab)
        self.previous_button.clicked.connect(lambda: self.step(-1))
        self.next_button.clicked.connect(lambda: self.step(1))
        self.read_along.toggled.connect(self._on_read_along)
        state.selectedPlaceChanged.connect(self._on_selection)
        state.dateChanged.connect(self._on_date)
        state.passageRequested.connect(self.open_at)
        self.set_dataset(dataset)

    # -- the dataset and its texts -------------------------------------------------------------

    def _new_browser(self) -> QTextBrowser:
        browser = QTextBrowser(self.pages)
        browser.setOpenLinks(False)
        browser.setAccessibleName("The text of a biography, with its passages about places marked")
        browser.viewport().installEventFilter(self)
        browser.verticalScrollBar().actionTriggered.connect(self._on_user_scroll)
        browser.anchorClicked.connect(self._on_click)
        browser.highlighted.connect(self._on_hover)
        self.pages.addWidget(browser)
        return browser

    def _browser_of(self, source_id: str) -> QTextBrowser:
        """The browser that shows ``source_id`` (made, with its document, the first time)."""
        browser = self._browsers.get(source_id)
        if browser is None:
            browser = self.text if not self._browsers and self.text.document().isEmpty() else self._new_browser()
            browser.setDocument(self.document(source_id))
            self._browsers[source_id] = browser
        return browser

    def set_dataset(self, dataset: Dataset) -> None:
        """Show ``dataset``'s texts (their documents are built when first shown)."""
        self._dataset = dataset
        self._documents.clear()
        self._char_formats: dict[int, QTextCharFormat] | None = None
        self._positions: dict[str, _Positions] = {}
        for browser in self._browsers.values():
            if browser is not self.text:
                self.pages.removeWidget(browser)
                browser.deleteLater()
        self._browsers.clear()
        self.text.setDocument(QTextDocument(self.text))
        self._current = None
        self._place = ""
        self._source_ids = list(dataset.sources)
        with QSignalBlocker(self.tabs):
            while self.tabs.count():
                self.tabs.removeTab(0)
            for source in dataset.sources.values():
                self.tabs.addTab(short_author(source) or source.title)
                self.tabs.setTabToolTip(self.tabs.count() - 1, f"{source.title}, {source.author} ({source.licence})")
        self._pending_jump = bool(self._state.selected_place)
        if self.isVisible():
            self._show_source(self.source_id)
        self._update_navigation()

    @property
    def passages(self) -> Passages:
        return passages(self._dataset)

    @property
    def source_id(self) -> str:
        """The text shown ("" for a dataset without texts)."""
        index = self.tabs.currentIndex()
        return self._source_ids[index] if 0 <= index < len(self._source_ids) else ""

    def positions(self, source_id: str) -> _Positions:
        """Code-point offsets of ``source_id`` → its document's positions (made once per text)."""
        positions = self._positions.get(source_id)
        if positions is None:
            positions = self._positions[source_id] = _Positions(self._dataset.sources[source_id].text)
        return positions

    def document(self, source_id: str) -> QTextDocument:
        """The marked document of ``source_id``, built the first time it is asked for."""
        document = self._documents.get(source_id)
        if document is None:
            source = self._dataset.sources[source_id]
            if source.text:
                found = self.passages
                document = build_document(source, found, self._formats(found))
            else:
                document = QTextDocument()
                document.setHtml(
                    f"<p><b>The text of ‘{html.escape(source.title)}’ is empty</b> "
                    f"(file {html.escape(str(source.file))}): there is nothing to read.</p>"
                )
            self._documents[source_id] = document
        return document

    def _formats(self, found: Passages) -> dict[int, QTextCharFormat]:
        """The passages' character formats, made once per dataset for both documents."""
        if self._char_formats is None:
            self._char_formats = _formats(self._dataset, found)
        return self._char_formats

    def _show_source(self, source_id: str) -> None:
        if not source_id:
            self.text.setPlainText("This dataset quotes no texts.")
            self.about.clear()
            return
        self.text = self._browser_of(source_id)
        self.pages.setCurrentWidget(self.text)
        source = self._dataset.sources[source_id]
        link = f' · <a href="{html.escape(source.url, quote=True)}">{html.escape(source.url)}</a>' if source.url else ""
        self.about.setText(
            f"<b>‘{html.escape(source.title)}’</b>, {html.escape(source.author)} · {html.escape(source.licence)}{link}"
        )
        self._mark_current()

    def _on_tab(self, index: int) -> None:
        if self.isVisible() and 0 <= index < len(self._source_ids):
            self._show_source(self._source_ids[index])

    def showEvent(self, event: object) -> None:
        super().showEvent(event)  # type: ignore[arg-type]
        self._show_source(self.source_id)
        if self._pending_jump and self._state.selected_place:
            self._pending_jump = False
            self.jump_to_place(self._state.selected_place)

    # -- where the reader is ---------------------------------------------------------------------

    def _switch_to(self, source_id: str) -> None:
        if source_id != self.source_id and source_id in self._source_ids:
            with QSignalBlocker(self.tabs):
                self.tabs.setCurrentIndex(self._source_ids.index(source_id))
        self._show_source(source_id)

    def show_passage(self, index: int) -> None:
        """Scroll to passage ``index`` (switching text if needed) and mark it as the current one."""
        item = self.passages.items[index]
        self._current = index
        self._switch_to(item.source)
        self._scroll_to(item)
        self._mark_current()
        self._update_navigation()

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        """A passage just jumped to stays in place when the text is laid out anew at another size
        (the window's first show, a dragged splitter)."""
        if event.type() == QEvent.Type.Resize and self._kept is not None and watched is self.text.viewport():
            QTimer.singleShot(0, self, self._keep_in_place)  # cancelled if the reader goes first
        return super().eventFilter(watched, event)

    def _keep_in_place(self) -> None:
        if self._kept is not None and self._kept.source == self.source_id:
            self._scroll_to(self._kept)

    def _on_user_scroll(self, _action: int) -> None:
        self._kept = None

    def _scroll_to(self, item: Passage) -> None:
        """Put the passage near the top, its paragraph visible from its start when it fits."""
        self._kept = item
        document = self.text.document()
        position = self.positions(item.source)(item.start)
        top = document.documentLayout().blockBoundingRect(document.findBlock(position)).top()
        passage_top = self._line_top(position)
        height = self.text.viewport().height()
        target = top - 6 if passage_top - top < height * 0.45 else passage_top - height * PASSAGE_TOP_SHARE
        self.text.verticalScrollBar().setValue(max(0, int(target)))

    def _mark_current(self) -> None:
        """Draw the current passage stronger (an extra selection: the document is not touched)."""
        if self._current is None or self.passages.items[self._current].source != self.source_id:
            self.text.setExtraSelections([])
            return
        item = self.passages.items[self._current]
        positions = self.positions(item.source)
        selection = QTextEdit.ExtraSelection()
        cursor = QTextCursor(self.text.document())
        cursor.setPosition(positions(item.start))
        cursor.setPosition(positions(item.end), QTextCursor.MoveMode.KeepAnchor)
        selection.cursor = cursor
        emphasis = QTextCharFormat()
        emphasis.setBackground(QBrush(QColor(CURRENT_COLOUR)))
        emphasis.setProperty(QTextFormat.Property.FullWidthSelection, False)
        selection.format = emphasis
        self.text.setExtraSelections([selection])

    def place_passages(self, place_id: str) -> tuple[int, ...]:
        """The quotes about ``place_id`` in reading order (both texts)."""
        return self.passages.excerpts_of(place_id)

    def jump_to_place(self, place_id: str) -> bool:
        """Go to the first quote about ``place_id`` in the text shown (else in the other); False if none."""
        self._place = place_id
        indexes = self.place_passages(place_id)
        if not indexes:
            self._current = None
            self._mark_current()
            self._update_navigation()
            return False
        here = [index for index in indexes if self.passages.items[index].source == self.source_id]
        self.show_passage((here or list(indexes))[0])
        return True

    def step(self, delta: int) -> None:
        """The next (``delta`` 1) or previous (-1) quote about the place, across both texts."""
        indexes = self.place_passages(self._place)
        if not indexes:
            return
        if self._current in indexes:
            position = (indexes.index(self._current) + delta) % len(indexes)
        else:
            position = 0 if delta > 0 else len(indexes) - 1
        self.show_passage(indexes[position])

    def open_at(self, source_id: str, offset: int) -> None:
        """Open ``source_id`` at ``offset``: at the passage there, if any, else at that point."""
        if source_id not in self._dataset.sources:
            return
        index = self.passages.at(source_id, offset)
        if index is not None:
            self._place = self.passages.items[index].place
            self.show_passage(index)
            return
        self._current = None
        self._switch_to(source_id)
        self._scroll_to(Passage(source_id, offset, offset, "", "mention", ""))
        self._update_navigation()

    def _update_navigation(self) -> None:
        indexes = self.place_passages(self._place)
        place = self._dataset.place(self._place) if self._place else None
        if place is None:
            self.where.setText("Select a place to walk through its passages")
        elif not indexes:
            self.where.setText(f"{place.name}: no quote in the texts")
        else:
            number = indexes.index(self._current) + 1 if self._current in indexes else 0
            self.where.setText(f"{place.name}: passage {number} of {len(indexes)}" if number else f"{place.name}")
        self.previous_button.setEnabled(len(indexes) > 0)
        self.next_button.setEnabled(len(indexes) > 0)

    # -- what the reader asks and observes ------------------------------------------------------------

    def _on_click(self, url: QUrl) -> None:
        """A quote selects its place and moves the date to its stay; a mention selects the place."""
        index = passage_of_href(url.toString())
        if index is None or index >= len(self.passages.items):
            return
        item = self.passages.items[index]
        self._current = index
        self._place = item.place
        self._own_selection = True
        try:
            self._state.select_place(item.place)
            day = self._day_of(item)
            if day is not None:
                self._state.set_day(day)
        finally:
            self._own_selection = False
        self._mark_current()
        self._update_navigation()

    def _day_of(self, item: Passage) -> int | None:
        """The first day of the stay (or crossing) a quote is about; None for a mention."""
        if item.crossing is not None:
            return self._dataset.crossings[item.crossing].days[0]
        place = self._dataset.place(item.place)
        if item.stay is None or place is None:
            return None
        from geodata.queries import legs_of

        legs = legs_of(self._dataset, place)
        return legs[item.stay].first if item.stay < len(legs) else place.stays[item.stay].days[0]

    def _on_hover(self, url: QUrl) -> None:
        index = passage_of_href(url.toString())
        if index is None or index >= len(self.passages.items):
            self._state.hover_place("")
            return
        item = self.passages.items[index]
        self._state.hover_place(item.place)

    def leaveEvent(self, event: object) -> None:
        super().leaveEvent(event)  # type: ignore[arg-type]
        self._state.hover_place("")

    def _on_selection(self, place_id: str) -> None:
        if self._own_selection:
            return
        if not place_id:
            self._place = ""
            self._update_navigation()
            return
        if self.isVisible():
            self.jump_to_place(place_id)
        else:
            self._place = place_id
            self._pending_jump = True

    def _on_read_along(self, on: bool) -> None:
        if on:
            self._on_date(self._state.day)

    def _on_date(self, day: int) -> None:
        """With read along: the first quote, in the text shown if it has one, about the stay of ``day``."""
        if self._own_selection or not self.read_along.isChecked() or not self.isVisible():
            return
        leg = current_leg_on(self._dataset, day)
        if leg is None:
            return
        stay = leg.place.stays.index(leg.stay)
        indexes = [index for index in self.place_passages(leg.place.id) if self.passages.items[index].stay == stay]
        if not indexes or self._current in indexes:
            return
        here = [index for index in indexes if self.passages.items[index].source == self.source_id]
        self._place = leg.place.id
        self.show_passage((here or indexes)[0])

    # -- for tests and benchmarks ----------------------------------------------------------------

    def visible_passages(self) -> list[int]:
        """The passages of the text shown that are at least partly in view, in text order."""
        source_id = self.source_id
        if not source_id or not self._dataset.sources[source_id].text:
            return []
        top = self.text.verticalScrollBar().value()
        bottom = top + self.text.viewport().height()
        positions = self.positions(source_id)
        return [
            index
            for index, item in self.passages.of_source(source_id)
            if self._line_top(positions(item.start)) < bottom and self._line_top(positions(item.end), below=True) > top
        ]

    def _line_top(self, position: int, *, below: bool = False) -> float:
        """The top (or with ``below``, the bottom) of the line that holds document ``position``."""
        document = self.text.document()
        block = document.findBlock(position)
        top = document.documentLayout().blockBoundingRect(block).top()
        line = block.layout().lineForTextPosition(position - block.position())
        if not line.isValid():
            return top
        return top + line.y() + (line.height() if below else 0)

    @property
    def current_passage(self) -> int | None:
        return self._current
