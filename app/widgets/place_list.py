"""Every place of the dataset in a sortable table: a way to the places that needs no map and no
mouse (a screen reader, a place hidden under another marker, a region with no pin).

The list observes the state's selection and follows it; a row chosen here is sent to the state. An
arrow key only selects (the map and panel follow), Enter or a double-click also moves the date to
the place's first stay: stepping through the list must not throw the date about.
"""

from __future__ import annotations

from PySide6.QtCore import (
    QItemSelection,
    QItemSelectionModel,
    QModelIndex,
    QPersistentModelIndex,
    QSortFilterProxyModel,
    Qt,
)
from PySide6.QtGui import QStandardItem, QStandardItemModel
from PySide6.QtWidgets import QAbstractItemView, QHeaderView, QTreeView, QVBoxLayout, QWidget

from app.widgets.state import AppState
from geodata.model import Dataset, Place
from geodata.names import fold, search_names
from geodata.queries import legs_of
from geodata.search import first_day
from geodata.wording import format_date

COLUMNS = ("Place", "First visit", "Stays")
PLACE_COLUMN, FIRST_VISIT_COLUMN, STAYS_COLUMN = range(3)
#: the role each column sorts by: a folded name, the first stay's place in the journey (in day
#: order), a count; never the text shown
SORT_ROLE = Qt.ItemDataRole.UserRole + 1
#: the place id, on the first column's item
ID_ROLE = Qt.ItemDataRole.UserRole + 2
#: where a place without stays sorts by first visit: after every stay
_NO_DAY = 10**9


def _row(dataset: Dataset, place: Place) -> list[QStandardItem]:
    """The three cells of a place: its display name (other names in the tooltip), the date of its
    first stay as the journey orders them, and how many stays it has."""
    legs = legs_of(dataset, place)
    # the journey's order: by first day, and one order for places that begin on the same day, so
    # that sorting again gives the same list
    first = min(legs, key=lambda leg: leg.order) if legs else None
    name = QStandardItem(place.name)
    name.setData(f"{fold(place.name)}\0{place.id}", SORT_ROLE)
    name.setData(place.id, ID_ROLE)
    others = [other for other in search_names(place) if other != place.name]
    name.setToolTip("Also: " + ", ".join(others) if others else place.name)
    visit = QStandardItem(format_date(first.stay.start) if first is not None else "")
    visit.setData(first.order if first is not None else _NO_DAY, SORT_ROLE)
    stays = QStandardItem(str(len(place.stays)))
    stays.setData(len(place.stays), SORT_ROLE)
    stays.setTextAlignment(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
    for item in (name, visit, stays):
        item.setEditable(False)
    return [name, visit, stays]


class PlaceList(QWidget):
    """The places in a table with the columns :data:`COLUMNS`, sorted by first visit at first;
    a click on a header sorts by that column.

    Has no signals of its own: it calls ``state.select_place`` (and ``state.set_day`` on Enter or a
    double-click) and follows ``state.selectedPlaceChanged``.
    """

    def __init__(self, state: AppState, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._state = state
        self._dataset: Dataset | None = None
        #: set while the list follows the state, so that its own selection is not sent back
        self._following = False
        self.model = QStandardItemModel(0, len(COLUMNS), self)
        self.model.setHorizontalHeaderLabels(list(COLUMNS))
        self.proxy = QSortFilterProxyModel(self)
        self.proxy.setSourceModel(self.model)
        self.proxy.setSortRole(SORT_ROLE)
        self.view = QTreeView(self)
        self.view.setObjectName("placeList")
        self.view.setAccessibleName("Places")
        self.view.setModel(self.proxy)
        self.view.setRootIsDecorated(False)
        self.view.setUniformRowHeights(True)
        self.view.setAllColumnsShowFocus(True)
        self.view.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.view.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.view.setSortingEnabled(True)
        self.view.sortByColumn(FIRST_VISIT_COLUMN, Qt.SortOrder.AscendingOrder)
        header = self.view.header()
        header.setSectionResizeMode(PLACE_COLUMN, QHeaderView.ResizeMode.Stretch)
        header.setSectionResizeMode(FIRST_VISIT_COLUMN, QHeaderView.ResizeMode.ResizeToContents)
        header.setSectionResizeMode(STAYS_COLUMN, QHeaderView.ResizeMode.ResizeToContents)
        header.setStretchLastSection(False)
        self.view.selectionModel().selectionChanged.connect(self._on_selection_changed)
        self.view.activated.connect(self._on_activated)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(self.view)
        self.setFocusProxy(self.view)
        state.selectedPlaceChanged.connect(self._follow)

    def set_dataset(self, dataset: Dataset) -> None:
        """Show ``dataset``'s places (in the current sort order) and the state's selection."""
        self._dataset = dataset
        self._following = True
        try:
            self.model.removeRows(0, self.model.rowCount())
            for place in dataset.places:
                self.model.appendRow(_row(dataset, place))
        finally:
            self._following = False
        self._follow(self._state.selected_place)

    def place_ids(self) -> list[str]:
        """The places' ids in the order shown (for tests and for a screen reader's summary)."""
        return [str(self.proxy.index(row, PLACE_COLUMN).data(ID_ROLE)) for row in range(self.proxy.rowCount())]

    def selected_id(self) -> str:
        """The id of the row selected in the list ("" when none is)."""
        rows = self.view.selectionModel().selectedRows(PLACE_COLUMN)
        return str(rows[0].data(ID_ROLE)) if rows else ""

    def _index_of(self, place_id: str) -> QModelIndex:
        """The view's index of ``place_id``'s row (invalid when it is not in the list)."""
        for row in range(self.model.rowCount()):
            item = self.model.item(row, PLACE_COLUMN)
            if item is not None and item.data(ID_ROLE) == place_id:
                return self.proxy.mapFromSource(item.index())
        return QModelIndex()

    def _follow(self, place_id: str) -> None:
        """Select and show the state's place, without sending the selection back."""
        if self.selected_id() == place_id:
            return
        self._following = True
        try:
            selection = self.view.selectionModel()
            index = self._index_of(place_id) if place_id else QModelIndex()
            if index.isValid():
                flags = QItemSelectionModel.SelectionFlag.ClearAndSelect | QItemSelectionModel.SelectionFlag.Rows
                selection.setCurrentIndex(index, flags)
                self.view.scrollTo(index, QAbstractItemView.ScrollHint.EnsureVisible)
            else:
                selection.clearSelection()
        finally:
            self._following = False

    def _on_selection_changed(self, _selected: QItemSelection, _deselected: QItemSelection) -> None:
        """A row chosen here (a click, an arrow key) selects its place; the date stays."""
        if self._following:
            return
        place_id = self.selected_id()
        if place_id:
            self._state.select_place(place_id)

    def _on_activated(self, index: QModelIndex | QPersistentModelIndex) -> None:
        """Enter or a double-click: select the place and go to its first stay."""
        dataset = self._dataset
        place_id = str(self.proxy.index(index.row(), PLACE_COLUMN).data(ID_ROLE) or "")
        place = dataset.place(place_id) if dataset is not None else None
        if dataset is None or place is None:
            return
        self._state.select_place(place.id)
        day = first_day(dataset, place)
        if day is not None:
            self._state.set_day(day)
