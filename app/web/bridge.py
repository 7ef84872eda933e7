"""The one QObject the page can reach (through QWebChannel): a tiny, checked surface.

Everything arriving here comes from page JavaScript, so every slot checks its arguments before
anything else sees them: place ids must be ids of the open dataset, numbers must be numbers.
Callbacks that arrive after the bridge is closed (during teardown) are dropped.
"""

from __future__ import annotations

import logging
import math
from collections.abc import Iterable

from PySide6.QtCore import QObject, Signal, Slot

from app.page.protocol import BASE_LAYERS

log = logging.getLogger(__name__)
MAX_MESSAGE = 2000


class MapBridge(QObject):
    """JS → Python calls of the map page.

    Signals:
        pageReady(): the page drew the dataset and can take calls.
        pageFailed(str): the page's script could not start; the text says why.
        placeClicked(str): a marker of a known place was clicked (the id is checked).
        dayPainted(int, int): the page applied a day and painted it (the day number, the caller's token).
        contextMenuRequested(str, float, float): a right click on the map: the place under the
            pointer ("" for none, else a checked id) and the clicked point's latitude and longitude.
        baseLayerChosen(str): the user chose a base layer in the map's layer control (a key of
            ``protocol.BASE_LAYERS``, checked).
    """

    pageReady = Signal()
    pageFailed = Signal(str)
    placeClicked = Signal(str)
    dayPainted = Signal(int, int)
    contextMenuRequested = Signal(str, float, float)
    baseLayerChosen = Signal(str)

    def __init__(self, place_ids: Iterable[str] = (), parent: QObject | None = None) -> None:
        super().__init__(parent)
        self._place_ids = frozenset(place_ids)
        self._closed = False

    def set_place_ids(self, place_ids: Iterable[str]) -> None:
        """The ids a click may name (those of the dataset on the page)."""
        self._place_ids = frozenset(place_ids)

    def close(self) -> None:
        """Ignore every later call (the page may still talk while it is torn down)."""
        self._closed = True

    @Slot()
    def ready(self) -> None:
        if not self._closed:
            self.pageReady.emit()

    # Slots have plain Qt types: QWebChannel refuses (with a logged warning) a JS value it cannot
    # convert before Python sees it. "QVariant" slots would take anything, but PySide6 6.12 gets the
    # reference counts of booleans wrong when converting them (a page sending `true` a few thousand
    # times crashes the interpreter at exit), so that door stays shut.

    @Slot(str)
    def failed(self, message: object) -> None:
        if not self._closed:
            self.pageFailed.emit(str(message)[:MAX_MESSAGE])

    @Slot(str)
    def clickPlace(self, place_id: object) -> None:
        if self._closed:
            return
        if not isinstance(place_id, str) or place_id not in self._place_ids:
            log.warning("page asked for an unknown place: %.80r", place_id)
            return
        self.placeClicked.emit(place_id)

    @Slot(str, float, float)
    def contextMenu(self, place_id: object, lat: float, lon: float) -> None:
        if self._closed:
            return
        if not isinstance(place_id, str) or (place_id and place_id not in self._place_ids):
            log.warning("page asked for a menu of an unknown place: %.80r", place_id)
            return
        if not (math.isfinite(lat) and math.isfinite(lon) and -90 <= lat <= 90):
            log.warning("page asked for a menu at an impossible point: %r, %r", lat, lon)
            return
        self.contextMenuRequested.emit(place_id, lat, (lon + 180) % 360 - 180)

    @Slot(int, int)
    def painted(self, day: int, token: int) -> None:
        # Qt has already converted (or refused) the page's values: both are ints here.
        if not self._closed:
            self.dayPainted.emit(day, token)

    @Slot(str)
    def layerChosen(self, key: object) -> None:
        if self._closed:
            return
        if key not in BASE_LAYERS:
            log.warning("page chose an unknown base layer: %.80r", key)
            return
        self.baseLayerChosen.emit(key)
