"""The search field: places by any name and phrases of the texts, found as one types.

The answers come from :func:`geodata.search.search`; this widget only shows them in a list under the
field and, when one is chosen, asks the state to select its place, move the date and (for a phrase)
open the text there. The field keeps the keyboard focus while the list is open (the list is a
frameless tool window that never activates), so typing goes on filtering and the arrow keys, Enter
and Escape work on the list from the field.
"""

from __future__ import annotations

from PySide6.QtCore import QEvent, QModelIndex, QObject, QPersistentModelIndex, QPoint, QRect, QSize, Qt, QTimer
from PySide6.QtGui import QFont, QFontMetrics, QHideEvent, QKeyEvent, QPainter, QPalette
from PySide6.QtWidgets import (
    QAbstractItemView,
    QFrame,
    QLineEdit,
    QListWidget,
    QListWidgetItem,
    QStyle,
    QStyledItemDelegate,
    QStyleOptionViewItem,
    QVBoxLayout,
    QWidget,
)

from app.widgets.state import AppState
from geodata.model import Dataset
from geodata.search import SearchHit, search

#: how long typing must pause before the search runs (a search of both texts takes a few ms, but
#: a burst of keystrokes should redraw the list once)
DEBOUNCE_MS = 150
#: rows shown before the list scrolls
VISIBLE_ROWS = 8
#: the list is at least this wide, so that a snippet of ~80 characters is readable
MIN_POPUP_WIDTH = 560
_HIT_ROLE = Qt.ItemDataRole.UserRole + 1
_NAVIGATION_KEYS = frozenset(
    {Qt.Key.Key_Down, Qt.Key.Key_Up, Qt.Key.Key_PageDown, Qt.Key.Key_PageUp, Qt.Key.Key_Return, Qt.Key.Key_Enter}
)


class HitDelegate(QStyledItemDelegate):
    """Paints a hit as two lines of plain text: the title in bold with its dates, then the snippet,
    each elided to the width. Painted with ``drawText``, so no text from a dataset is ever read as
    markup."""

    def sizeHint(self, option: QStyleOptionViewItem, index: QModelIndex | QPersistentModelIndex) -> QSize:
        height = QFontMetrics(option.font).lineSpacing()
        return QSize(MIN_POPUP_WIDTH, 2 * height + 10)

    def paint(
        self, painter: QPainter, option: QStyleOptionViewItem, index: QModelIndex | QPersistentModelIndex
    ) -> None:
        hit = index.data(_HIT_ROLE)
        if not isinstance(hit, SearchHit):
            super().paint(painter, option, index)
            return
        painter.save()
        style = option.widget.style() if option.widget is not None else None
        if style is not None:  # the row's background and selection, as the style draws them
            plain = QStyleOptionViewItem(option)
            self.initStyleOption(plain, index)
            plain.text = ""
            style.drawControl(QStyle.ControlElement.CE_ItemViewItem, plain, painter, option.widget)
        selected = bool(option.state & QStyle.StateFlag.State_Selected)
        group = QPalette.ColorRole.HighlightedText if selected else QPalette.ColorRole.Text
        rect = option.rect.adjusted(8, 5, -8, -5)
        line = QFontMetrics(option.font).lineSpacing()
        self._paint_first_line(painter, option, hit, QRect(rect.left(), rect.top(), rect.width(), line), group)
        second = QRect(rect.left(), rect.top() + line, rect.width(), line)
        painter.setFont(option.font)
        painter.setPen(option.palette.color(QPalette.ColorRole.PlaceholderText if not selected else group))
        snippet = hit.snippet if hit.kind == "text" else " · ".join(part for part in ("Place", hit.snippet) if part)
        elided = QFontMetrics(option.font).elidedText(snippet, Qt.TextElideMode.ElideRight, second.width())
        painter.drawText(second, Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignVCenter, elided)
        painter.restore()

    @staticmethod
    def _paint_first_line(
        painter: QPainter, option: QStyleOptionViewItem, hit: SearchHit, rect: QRect, role: QPalette.ColorRole
    ) -> None:
        """The title in bold on the left, the dates on the right; the title gives way if both do
        not fit."""
        dates_width = QFontMetrics(option.font).horizontalAdvance(hit.dates) + 12 if hit.dates else 0
        painter.setPen(option.palette.color(role))
        painter.setFont(option.font)
        painter.drawText(rect, Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter, hit.dates)
        bold = QFont(option.font)
        bold.setBold(True)
        painter.setFont(bold)
        title_width = max(0, rect.width() - dates_width)
        title = QFontMetrics(bold).elidedText(hit.title, Qt.TextElideMode.ElideRight, title_width)
        painter.drawText(
            QRect(rect.left(), rect.top(), title_width, rect.height()),
            Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignVCenter,
            title,
        )


def hit_text(hit: SearchHit) -> str:
    """A hit in one line of plain text: what a screen reader says and the row's tooltip."""
    parts = [hit.title, hit.dates, hit.snippet]
    return " · ".join(part for part in parts if part)


class SearchResults(QFrame):
    """The list under the field: a frameless tool window that shows without taking the focus."""

    def __init__(self, parent: QWidget) -> None:
        super().__init__(parent, Qt.WindowType.ToolTip | Qt.WindowType.FramelessWindowHint)
        self.setAttribute(Qt.WidgetAttribute.WA_ShowWithoutActivating)
        self.setFrameShape(QFrame.Shape.Box)
        self.setFocusPolicy(Qt.FocusPolicy.NoFocus)
        self.list = QListWidget(self)
        self.list.setObjectName("searchResults")
        self.list.setAccessibleName("Search results")
        self.list.setFocusPolicy(Qt.FocusPolicy.NoFocus)
        self.list.setItemDelegate(HitDelegate(self.list))
        self.list.setUniformItemSizes(True)
        self.list.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        self.list.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(self.list)

    def show_hits(self, hits: list[SearchHit]) -> None:
        self.list.clear()
        for hit in hits:
            item = QListWidgetItem()
            item.setData(_HIT_ROLE, hit)
            # a plain-text line for accessibility and the tooltip; painted by the delegate
            item.setData(Qt.ItemDataRole.AccessibleTextRole, hit_text(hit))
            item.setToolTip(hit_text(hit))
            self.list.addItem(item)
        if hits:
            self.list.setCurrentRow(0)

    def place_under(self, field: QWidget) -> None:
        """Size the list to its rows (at most :data:`VISIBLE_ROWS`) and put it under ``field``."""
        rows = min(VISIBLE_ROWS, max(1, self.list.count()))
        row_height = self.list.sizeHintForRow(0) if self.list.count() else 40
        width = max(field.width(), MIN_POPUP_WIDTH)
        self.resize(width, rows * row_height + 2 * self.list.frameWidth() + 2 * self.frameWidth())
        self.move(field.mapToGlobal(QPoint(0, field.height())))


class SearchBox(QWidget):
    """A search field with its results in a list under it.

    Has no signals of its own: a chosen result is sent to the state (``select_place``, ``set_day``,
    ``request_passage``), which the map, the panel and the reader observe.

    Keys in the field: typing searches (after :data:`DEBOUNCE_MS` of quiet), Down / Up (Page Down /
    Page Up) move in the list, Enter chooses the current result (the first if none is current),
    Escape closes the list. A click on a result chooses it.
    """

    def __init__(self, state: AppState, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._state = state
        self._dataset: Dataset | None = None
        self._hits: list[SearchHit] = []
        self.field = QLineEdit(self)
        self.field.setObjectName("searchField")
        self.field.setPlaceholderText("Search places and texts (Ctrl+F)")
        self.field.setAccessibleName("Search places and texts")
        self.field.setClearButtonEnabled(True)
        self.field.installEventFilter(self)
        self.popup = SearchResults(self)
        self.popup.list.itemClicked.connect(self._on_clicked)
        self._timer = QTimer(self)
        self._timer.setSingleShot(True)
        self._timer.setInterval(DEBOUNCE_MS)
        self._timer.timeout.connect(self._run_search)
        self.field.textChanged.connect(self._on_text_changed)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(self.field)
        self.setFocusProxy(self.field)

    # --- public -----------------------------------------------------------------------------

    def set_dataset(self, dataset: Dataset) -> None:
        """Search ``dataset`` from now on; the list, if open, shows its answers to the same text."""
        self._dataset = dataset
        self._hits = []
        if self.popup.isVisible():
            self._run_search()

    def focus_search(self) -> None:
        """Put the keyboard in the field with its text selected, so typing replaces it (Ctrl+F)."""
        self.field.setFocus(Qt.FocusReason.ShortcutFocusReason)
        self.field.selectAll()

    def results(self) -> list[SearchHit]:
        """The hits the list shows (after the last search ran)."""
        return list(self._hits)

    def current_row(self) -> int:
        """The row the keyboard is on in the list (-1 when the list is empty)."""
        return self.popup.list.currentRow()

    def hideEvent(self, event: QHideEvent) -> None:
        """The list is a window of its own: it goes when the field does (a hidden toolbar)."""
        self.popup.hide()
        super().hideEvent(event)

    # --- searching --------------------------------------------------------------------------

    def _on_text_changed(self, _text: str) -> None:
        self._timer.start()

    def _run_search(self) -> None:
        self._timer.stop()
        text = self.field.text()
        self._hits = search(self._dataset, text) if self._dataset is not None and text.strip() else []
        self.popup.show_hits(self._hits)
        if self._hits and self.field.isVisible():
            self.popup.place_under(self.field)
            self.popup.show()
            self.popup.raise_()
        else:
            self.popup.hide()

    # --- keys -------------------------------------------------------------------------------

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        """The field's keys that work on the list, and closing the list when the field loses the
        focus (unless the pointer is on the list: a click there chooses first)."""
        if watched is self.field:
            if event.type() == QEvent.Type.ShortcutOverride and isinstance(event, QKeyEvent):
                if self._is_list_key(event):  # before the window's own shortcuts
                    event.accept()
                    return True
            elif event.type() == QEvent.Type.KeyPress and isinstance(event, QKeyEvent):
                return self._on_key(event)
            elif event.type() == QEvent.Type.FocusOut and not self.popup.underMouse():
                self.popup.hide()
        return super().eventFilter(watched, event)

    def _is_list_key(self, event: QKeyEvent) -> bool:
        key = Qt.Key(event.key())
        if key == Qt.Key.Key_Escape:
            return self.popup.isVisible()
        return key in _NAVIGATION_KEYS and bool(self.field.text().strip())

    def _on_key(self, event: QKeyEvent) -> bool:
        key = Qt.Key(event.key())
        if key == Qt.Key.Key_Escape and self.popup.isVisible():
            self.popup.hide()
            return True
        if key in (Qt.Key.Key_Return, Qt.Key.Key_Enter):
            self._activate_current()
            return True
        steps = {
            Qt.Key.Key_Down: 1,
            Qt.Key.Key_Up: -1,
            Qt.Key.Key_PageDown: VISIBLE_ROWS,
            Qt.Key.Key_PageUp: -VISIBLE_ROWS,
        }
        if key in steps:
            self._move(steps[key])
            return True
        return False

    def _move(self, step: int) -> None:
        """Move in the list; the first Down on a closed list opens it where it was."""
        if self._timer.isActive() or not self._hits:
            self._run_search()
        if not self._hits:
            return
        if not self.popup.isVisible():
            self.popup.place_under(self.field)
            self.popup.show()
            return
        row = min(max(self.popup.list.currentRow() + step, 0), len(self._hits) - 1)
        self.popup.list.setCurrentRow(row)

    # --- choosing ---------------------------------------------------------------------------

    def _activate_current(self) -> None:
        if self._timer.isActive():  # Enter right after typing: the answers to what is typed
            self._run_search()
        if not self._hits:
            return
        row = max(self.popup.list.currentRow(), 0)
        self._activate(self._hits[row])

    def _on_clicked(self, item: QListWidgetItem) -> None:
        hit = item.data(_HIT_ROLE)
        if isinstance(hit, SearchHit):
            self._activate(hit)

    def _activate(self, hit: SearchHit) -> None:
        """Send the hit to the state: its place and day, then (for a phrase) the passage."""
        self.popup.hide()
        if hit.place_id:
            self._state.select_place(hit.place_id)
        if hit.day is not None:
            self._state.set_day(hit.day)
        if hit.kind == "text" and hit.source_id is not None and hit.offset is not None:
            self._state.request_passage(hit.source_id, hit.offset)
