"""The map: a QWebEngineView that loads the folium page once and then only calls into it.

Python → JS goes through :meth:`MapView.call` (one helper: a :class:`PageFunction` and JSON-encoded
arguments, queued until the page says it is ready). The view owns the app's URL scheme handler,
the locked-down page and the bridge; widgets see only this class.

Date changes are coalesced: while the page is still applying one day, newer requests replace each
other and only the latest is sent once the page reports the frame painted, so a fast drag never
builds a queue. If the renderer process dies, the page is reloaded and the date and selection are
restored.
"""

from __future__ import annotations

import logging
import time
from collections.abc import Callable

import shiboken6
from PySide6.QtCore import QFile, QIODevice, Qt, QTimer, Signal
from PySide6.QtWebChannel import QWebChannel
from PySide6.QtWebEngineCore import QWebEnginePage, QWebEngineProfile, QWebEngineScript
from PySide6.QtWebEngineWidgets import QWebEngineView
from PySide6.QtWidgets import QWidget

from app.page import assets
from app.page.javascript import JsValue, js_call
from app.page.protocol import BASE_LAYERS, CHANNEL_OBJECT, DEFAULT_LAYER, PageFunction, page_call
from app.web.bridge import MapBridge
from app.web.page import MapPage
from app.web.scheme import PAGE_PATH, SCHEME, AppSchemeHandler, page_url
from geodata.dates import from_day_number

log = logging.getLogger(__name__)
PAINT_WATCHDOG_MS = 1000
#: a screenshot waits this long at most for every layer to be in (:meth:`MapView.when_complete`)
COMPLETE_TIMEOUT_MS = 10_000
COMPLETE_POLL_MS = 50
READY_TIMEOUT_MS = 30_000


def _qwebchannel_script() -> QWebEngineScript:
    """Qt's own ``qwebchannel.js``, injected so the page HTML stays an ordinary web page."""
    file = QFile(":/qtwebchannel/qwebchannel.js")
    if not file.open(QIODevice.OpenModeFlag.ReadOnly):
        raise RuntimeError("Qt's qwebchannel.js resource is missing from this PySide6 installation")
    source = bytes(file.readAll().data()).decode("utf-8")
    file.close()
    script = QWebEngineScript()
    script.setName("qwebchannel")
    script.setSourceCode(source)
    script.setInjectionPoint(QWebEngineScript.InjectionPoint.DocumentCreation)
    script.setWorldId(QWebEngineScript.ScriptWorldId.MainWorld)
    script.setRunsOnSubFrames(False)
    return script


class MapView(QWebEngineView):
    """Shows the map page and drives it.

    Signals:
        ready(): the page has drawn the dataset (after every (re)load).
        failed(str): the page could not start (missing asset, script error); the text says why.
        placeClicked(str): the user clicked the marker of this (checked) place id.
        dayPainted(int): the page painted this day (a day number).
        javaScriptError(str): the page logged a console error (message, with source and line).
        contextMenuRequested(str, float, float): a right click on the map (see ``MapBridge``).
        baseLayerChosen(str): the user chose a base layer on the map (a ``BASE_LAYERS`` key).
    """

    ready = Signal()
    failed = Signal(str)
    placeClicked = Signal(str)
    dayPainted = Signal(int)
    javaScriptError = Signal(str)
    contextMenuRequested = Signal(str, float, float)
    baseLayerChosen = Signal(str)

    def __init__(
        self, page_html: str, data_document: bytes | None, place_ids: list[str], parent: QWidget | None = None
    ) -> None:
        """``data_document`` None: the dataset is still being read; the page loads meanwhile and its
        fetch of the data waits for :meth:`set_dataset`."""
        super().__init__(parent)
        self._handler = AppSchemeHandler(self)
        self._handler.set_document(PAGE_PATH, page_html.encode("utf-8"))
        self._awaiting_data = data_document is None
        if data_document is None:
            self._handler.promise_document(assets.DATASET)
        else:
            self._handler.set_document(assets.DATASET, data_document)
        # Off the record: no cookies, cache or storage written to disk.
        self._profile = QWebEngineProfile(self)
        self._profile.installUrlSchemeHandler(SCHEME.encode(), self._handler)
        page = MapPage(self._profile, self)
        page.scripts().insert(_qwebchannel_script())
        self.bridge = MapBridge(place_ids, self)
        self._channel = QWebChannel(page)
        self._channel.registerObject(CHANNEL_OBJECT, self.bridge)
        page.setWebChannel(self._channel)
        self.setPage(page)
        self.map_page = page

        self._is_ready = False
        self._page_loaded = False
        self._pending_calls: list[str] = []
        self._wanted_day: int | None = None
        self._sent_day: int | None = None
        self._in_flight = 0
        self._token = 0
        self._selected = ""
        self._painted_day: int | None = None
        self._follow = True
        self._legend = True
        self._layer = DEFAULT_LAYER
        self._failure: str | None = None
        self._ready_watchdog = QTimer(self)
        self._ready_watchdog.setSingleShot(True)
        self._ready_watchdog.timeout.connect(self._on_ready_timeout)
        self._watchdog = QTimer(self)
        self._watchdog.setSingleShot(True)
        self._watchdog.timeout.connect(self._on_paint_timeout)

        self.bridge.pageReady.connect(self._on_page_ready)
        self.bridge.pageFailed.connect(self._fail)
        page.javaScriptError.connect(self._on_script_error)
        page.javaScriptError.connect(self.javaScriptError)
        self.bridge.placeClicked.connect(self.placeClicked)
        self.bridge.contextMenuRequested.connect(self.contextMenuRequested)
        self.bridge.baseLayerChosen.connect(self._on_layer_chosen)
        # Chromium's own menu (Back, Reload, View page source…) never shows; the page reports a
        # right click and the window offers its own menu.
        self.setContextMenuPolicy(Qt.ContextMenuPolicy.NoContextMenu)
        self.bridge.dayPainted.connect(self._on_day_painted)
        page.renderProcessTerminated.connect(self._on_renderer_died)
        page.loadFinished.connect(self._on_load_finished)

    @property
    def profile(self) -> QWebEngineProfile:
        return self._profile

    @property
    def shown_day(self) -> int | None:
        """The last day (day number) the page reported painted (None before the first)."""
        return self._painted_day

    @property
    def shown_year(self) -> int | None:
        """The year of :attr:`shown_day`."""
        return None if self._painted_day is None else from_day_number(self._painted_day).year

    def set_dataset(self, data_document: bytes, place_ids: list[str]) -> None:
        """Serve a dataset's page document: the one the page is waiting for, or another one (the
        page is then reloaded with it)."""
        self.bridge.set_place_ids(place_ids)
        if self._awaiting_data:
            self._awaiting_data = False
            self._handler.set_document(assets.DATASET, data_document)
            if self._page_loaded and not self._is_ready:
                self._ready_watchdog.start(READY_TIMEOUT_MS)
            return
        self._handler.set_document(assets.DATASET, data_document)
        self.load_page()

    def load_page(self) -> None:
        """(Re)load the page; calls made before it is ready are queued."""
        self._is_ready = False
        self._page_loaded = False
        self._failure = None
        self._in_flight = 0
        self._sent_day = None
        self.load(page_url())

    def call(self, function: PageFunction, *args: JsValue) -> None:
        """Call a page function with JSON-encoded arguments (queued until the page is ready)."""
        script = js_call(page_call(function), *args)
        if not self._is_ready:
            self._pending_calls.append(script)
            return
        self._run(script)

    def _run(self, script: str) -> None:
        self.map_page.runJavaScript(script, QWebEngineScript.ScriptWorldId.MainWorld)

    def show_day(self, day: int) -> None:
        """Ask the page to show the day number ``day``; requests made while it is busy collapse to
        the latest."""
        self._wanted_day = day
        self._send_day()

    def film_mode(self) -> None:
        """Make the page a film set: no controls, no follow, fractional zooms (see app.film)."""
        self._follow = False
        self.call(PageFunction.FILM_MODE)

    def show_frame(self, day: int, lat: float, lon: float, zoom: float) -> None:
        """Film: put the camera at (lat, lon, zoom) and show ``day``, even if it is the day shown;
        ``dayPainted`` reports it once it can be grabbed."""
        self._token += 1
        self._in_flight = self._token
        self._wanted_day = self._sent_day = day
        self._watchdog.start(PAINT_WATCHDOG_MS)
        self.call(PageFunction.SHOW_FRAME, day, lat, lon, zoom, self._token)

    def set_follow(self, follow: bool) -> None:
        """Frame each date's places (True) or leave the view alone (False)."""
        self._follow = follow
        self.call(PageFunction.SET_FOLLOW, follow)

    def zoom_to(self, lat: float, lon: float) -> None:
        """Centre the map on a point, two zoom levels closer."""
        self.call(PageFunction.ZOOM_TO, lat, lon)

    def fit_journey(self) -> None:
        """Frame every place of the life."""
        self.call(PageFunction.FIT_JOURNEY)

    def fit_year(self) -> None:
        """Frame the places of the date shown (what follow does at every change)."""
        self.call(PageFunction.FIT_YEAR)

    def show_legend(self, shown: bool) -> None:
        """Show or hide the map's legend of marks and lines."""
        self._legend = shown
        if self._is_ready:
            self.call(PageFunction.SHOW_LEGEND, shown)

    @property
    def layer(self) -> str:
        """The base layer shown (a key of ``BASE_LAYERS``)."""
        return self._layer

    def set_layer(self, key: str) -> None:
        """Show the base layer ``key`` (a key of ``BASE_LAYERS``; an unknown one is ignored)."""
        if key not in BASE_LAYERS:
            log.warning("no base layer %r; keeping %r", key, self._layer)
            return
        self._layer = key
        if self._is_ready:
            self.call(PageFunction.SET_LAYER, key)

    def _on_layer_chosen(self, key: str) -> None:
        self._layer = key
        self.baseLayerChosen.emit(key)

    def when_complete(self, done: Callable[[], None], timeout_ms: int = COMPLETE_TIMEOUT_MS) -> None:
        """Call ``done`` once the page says every layer is in and drawn (``TrotskyMap.complete``),
        or after ``timeout_ms`` (a slow machine still gets its picture)."""
        started = time.monotonic()
        script = js_call(page_call(PageFunction.COMPLETE))

        def check() -> None:
            self.map_page.runJavaScript(script, QWebEngineScript.ScriptWorldId.MainWorld, answer)

        def answer(complete: object) -> None:
            if complete is True or (time.monotonic() - started) * 1000 > timeout_ms:
                done()
            else:
                QTimer.singleShot(COMPLETE_POLL_MS, check)

        check()

    def point_at(self, place_id: str) -> None:
        """Name ``place_id`` over its mark, as a hover does ("" takes the name away)."""
        if self._is_ready:
            self.call(PageFunction.POINT, place_id or None)

    def select_place(self, place_id: str) -> None:
        """Mark ``place_id`` on the map ("" clears the mark)."""
        self._selected = place_id
        if self._is_ready:
            self.call(PageFunction.SELECT, place_id or None)

    def _send_day(self) -> None:
        if not self._is_ready or self._in_flight or self._wanted_day is None:
            return
        if self._wanted_day == self._sent_day:
            return
        self._token += 1
        self._in_flight = self._token
        self._sent_day = self._wanted_day
        self._watchdog.start(PAINT_WATCHDOG_MS)
        self.call(PageFunction.SET_DAY, self._wanted_day, self._token)

    def _on_day_painted(self, day: int, token: int) -> None:
        # Only the latest request counts; a report that arrives after the watchdog gave up on it
        # is still the truth about what is on screen.
        if token != self._token:
            return
        self._in_flight = 0
        self._watchdog.stop()
        self._painted_day = day
        self.dayPainted.emit(day)
        self._send_day()

    def _on_paint_timeout(self) -> None:
        # A hidden or throttled page may never paint; do not stay stuck waiting for it.
        log.debug("no paint report for day %s; sending the next request anyway", self._sent_day)
        self._in_flight = 0
        self._send_day()

    def _on_page_ready(self) -> None:
        self._is_ready = True
        self._ready_watchdog.stop()
        pending, self._pending_calls = self._pending_calls, []
        for script in pending:
            self._run(script)
        # what was chosen before a (re)load holds after it
        if not self._follow:
            self.call(PageFunction.SET_FOLLOW, False)
        if not self._legend:
            self.call(PageFunction.SHOW_LEGEND, False)
        if self._layer != DEFAULT_LAYER:
            self.call(PageFunction.SET_LAYER, self._layer)
        if self._selected:
            self.call(PageFunction.SELECT, self._selected)
        self._send_day()
        self.ready.emit()

    def _on_load_finished(self, ok: bool) -> None:
        if self._is_ready:
            return  # e.g. a refused navigation away from the page reports a failed load
        self._page_loaded = ok
        if not ok:
            self._fail("the map page could not be loaded")
        elif not self._awaiting_data:
            # A page whose scripts broke still "finishes loading"; only its own ready call counts.
            # (While the dataset is still being read, the clock starts when it is provided.)
            self._ready_watchdog.start(READY_TIMEOUT_MS)

    def _on_script_error(self, message: str) -> None:
        if not self._is_ready:
            self._fail(f"a script of the page failed: {message}")

    def _on_ready_timeout(self) -> None:
        if not self._is_ready:
            self._fail(f"the map page did not start within {READY_TIMEOUT_MS // 1000} s")

    def _fail(self, message: str) -> None:
        if self._failure is None:
            self._failure = message
            self._ready_watchdog.stop()
            log.error("map failed: %s", message)
            self.failed.emit(message)

    @property
    def failure(self) -> str | None:
        """Why the page could not start, or None."""
        return self._failure

    def _on_renderer_died(self, status: QWebEnginePage.RenderProcessTerminationStatus, code: int) -> None:
        log.error("the map's renderer process ended (%s, exit code %s); reloading", status, code)
        QTimer.singleShot(0, self.load_page)

    def shutdown(self) -> None:
        """Stop talking to the page and delete it now, before its profile.

        QObject would delete the profile (created first) before the page, which Qt reports as
        "Release of profile requested but WebEnginePage still not deleted".
        """
        self.bridge.close()
        self._watchdog.stop()
        self._ready_watchdog.stop()
        self._is_ready = False
        page = self.map_page
        if shiboken6.isValid(page):
            page.renderProcessTerminated.disconnect(self._on_renderer_died)
            shiboken6.delete(page)
