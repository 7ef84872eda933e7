"""The real window with the real QtWebEngine page, offscreen."""

from __future__ import annotations

import datetime as dt
import json
from typing import Any

import pytest
from PySide6.QtCore import QPoint, Qt
from PySide6.QtGui import QColor, QImage
from PySide6.QtTest import QTest
from PySide6.QtWebEngineCore import QWebEngineUrlRequestInfo, QWebEngineUrlRequestInterceptor

from app.page.protocol import STYLE, PageFunction
from app.widgets.state import last_day_of
from geodata.dates import day_number
from geodata.queries import active_places_on, current_on, legs_started_on
from tests.datasets import place_id
from tests.gui_helpers import describe, page_js, run_js

pytestmark = pytest.mark.gui


def wait_for_year(qtbot: Any, window: Any, year: int) -> dict[str, Any]:
    qtbot.waitUntil(lambda: describe(qtbot, window.map_view)["year"] == year, timeout=10_000)
    return describe(qtbot, window.map_view)


def test_page_shows_what_the_queries_say(qtbot: Any, window: Any, bundled: Any) -> None:
    shown = describe(qtbot, window.map_view)
    day = last_day_of(1917)  # a year shown is its last day
    assert shown["year"] == 1917 and shown["day"] == day == window.state.day
    assert shown["active"] == sorted(shown["active"], key=[p.id for p in bundled.places].index)
    assert set(shown["active"]) == {place.id for place in active_places_on(bundled, day)}
    assert shown["current"] == place_id(current_on(bundled, day))
    assert shown["pathPoints"] == legs_started_on(bundled, day)


def test_slider_moves_the_map_without_reloading(qtbot: Any, window: Any, bundled: Any) -> None:
    run_js(qtbot, window.map_view, "window.__notReloaded = 42")
    loads: list[bool] = []
    window.map_view.loadStarted.connect(lambda: loads.append(True))
    day = last_day_of(1929)
    window.time_bar.slider.setValue(day)
    assert window.state.day == day
    shown = wait_for_year(qtbot, window, 1929)
    assert set(shown["active"]) == {place.id for place in active_places_on(bundled, day)}
    assert shown["current"] == place_id(current_on(bundled, day))
    future = {p.id for p in bundled.places if all(s.start.year > 1929 for s in p.stays)}
    assert future and not future & set(shown["active"] + shown["past"])
    assert shown["shownMarkers"] == len(shown["active"]) + len(shown["past"])
    assert run_js(qtbot, window.map_view, "window.__notReloaded") == 42
    assert loads == []


def test_the_map_hears_of_a_new_date_before_the_other_views(qtbot: Any, make_window: Any, monkeypatch: Any) -> None:
    # The page draws in its own process: told first, it works while the views here update.
    from app.web.map_view import MapView
    from app.widgets.panel import ExcerptPanel
    from app.widgets.timeline import LifeTimeline
    from app.widgets.whereabouts import WhereaboutsLine

    heard: list[str] = []

    def spy_on(cls: type, name: str, arity: int) -> None:
        original = getattr(cls, name)

        def spy(self: Any, *args: Any) -> Any:
            heard.append(cls.__name__)
            return original(self, *args[:arity])

        monkeypatch.setattr(cls, name, spy)

    spy_on(ExcerptPanel, "refresh", 0)
    spy_on(LifeTimeline, "_on_date", 1)
    spy_on(WhereaboutsLine, "refresh", 0)
    spy_on(MapView, "show_day", 1)
    window = make_window()
    heard.clear()
    window.state.set_day(window.state.day + 40)
    assert heard[0] == "MapView"
    assert {"ExcerptPanel", "LifeTimeline", "WhereaboutsLine"} <= set(heard)


def test_a_date_that_changes_the_zoom_keeps_the_map_drawn_until_its_new_tiles_are(qtbot: Any, window: Any) -> None:
    # map.setView on another zoom dropped every tile at once: the frame of the new date showed
    # bare paper until the new tiles were drawn. The tiles of the last zoom now stay, scaled.
    def complete() -> bool:
        return bool(run_js(qtbot, window.map_view, page_js(PageFunction.COMPLETE)))

    window.state.set_day(last_day_of(1910))
    qtbot.waitUntil(lambda: describe(qtbot, window.map_view)["year"] == 1910 and complete(), timeout=10_000)
    zoom = describe(qtbot, window.map_view)["zoom"]
    drawn = "document.querySelectorAll('.leaflet-tm-basemap-pane .leaflet-tile-loaded').length"
    # the date and the count in one task of the page: no tile can be drawn in between
    at_sea = day_number(dt.date(1917, 1, 1))  # Spain → New York: the Atlantic framed
    script = f"JSON.stringify([{page_js(PageFunction.SET_DAY, at_sea)}, {drawn}])"
    shown = json.loads(run_js(qtbot, window.map_view, script))
    assert describe(qtbot, window.map_view)["zoom"] != zoom
    assert shown[1] > 0
    qtbot.waitUntil(complete, timeout=10_000)


TILES_IN_PLACE = """JSON.stringify((function () {
  var map = window[Object.keys(window).filter(function (k) { return k.indexOf("map_") === 0; })[0]];
  var layer = null, box = map.getContainer().getBoundingClientRect(), worst = 0, seen = 0;
  map.eachLayer(function (l) { if (l instanceof L.TMBorders) layer = l; });
  for (var key in layer._tiles) {
    var tile = layer._tiles[key];
    if (tile.coords.z !== map.getZoom() || !tile.loaded) continue;
    var corner = map.latLngToContainerPoint(map.unproject(tile.coords.scaleBy(layer.getTileSize()), tile.coords.z));
    var at = tile.el.getBoundingClientRect();
    worst = Math.max(worst, Math.abs(at.left - box.left - corner.x), Math.abs(at.top - box.top - corner.y));
    seen++;
  }
  var ring = document.querySelector(".leaflet-tm-rings-pane path").getBoundingClientRect();
  var mark = map.latLngToContainerPoint([LAT, LON]);
  var off = Math.hypot(ring.left + ring.width / 2 - box.left - mark.x, ring.top + ring.height / 2 - box.top - mark.y);
  return [map.getZoom(), seen, worst, off];
})())"""


def test_a_date_that_moves_the_view_puts_every_tile_where_it_belongs(qtbot: Any, window: Any, bundled: Any) -> None:
    # At the same zoom the view moved by Leaflet's _move, which shifts the map's origin but not its
    # panes: the tiles, the rings and his state's outline stayed where they were, for good.
    def complete() -> bool:
        return bool(run_js(qtbot, window.map_view, page_js(PageFunction.COMPLETE)))

    zooms = []
    # Vienna; Vienna → Zürich and Paris (near pans); Mexico City (a jump across the world)
    for date in (dt.date(1910, 6, 1), dt.date(1914, 9, 1), dt.date(1915, 6, 1), dt.date(1940, 8, 20)):
        window.state.set_day(day_number(date))
        qtbot.waitUntil(lambda: window.map_view.shown_day == window.state.day and complete(), timeout=10_000)
        here = bundled.place(describe(qtbot, window.map_view)["current"])
        script = TILES_IN_PLACE.replace("LAT", repr(here.lat)).replace("LON", repr(here.lon))
        zoom, seen, worst, ring_off = json.loads(run_js(qtbot, window.map_view, script))
        assert seen > 4 and worst < 1.5, (date, seen, worst)
        assert ring_off < 1.5, (date, ring_off)  # the ring round where he is, too
        zooms.append(zoom)
    assert len(set(zooms)) < len(zooms)  # some of these moves keep the zoom


def test_the_tiles_reuse_their_canvases(qtbot: Any, window: Any) -> None:
    # A tile canvas dropped kept its bitmap (in the browser's process too) until the page's garbage
    # collector took it: playing the life held hundreds of megabytes. Spare canvases are reused.
    def complete() -> bool:
        return bool(run_js(qtbot, window.map_view, page_js(PageFunction.COMPLETE)))

    # Vienna, Büyükada, the Atlantic: each a new view, and every tile of it drawn
    days = [day_number(dt.date(1910, 6, 1)), day_number(dt.date(1930, 6, 1)), day_number(dt.date(1917, 1, 1))]
    for day in days * 6:
        window.state.set_day(day)
        qtbot.waitUntil(lambda: window.map_view.shown_day == window.state.day and complete(), timeout=10_000)
    made, drawn = json.loads(run_js(qtbot, window.map_view, "JSON.stringify([L.TMTiles.made, L.TMTiles.drawn])"))
    assert drawn > 200
    assert made < drawn / 3


def test_keyboard_steps_the_date(qtbot: Any, window: Any) -> None:
    window.time_bar.slider.setFocus()
    QTest.keyClick(window.time_bar.slider, Qt.Key.Key_Right)  # a month on from 31 December 1917
    assert window.state.date.isoformat() == "1918-01-31"
    wait_for_year(qtbot, window, 1918)
    QTest.keyClick(window.time_bar.slider, Qt.Key.Key_Right, Qt.KeyboardModifier.ShiftModifier)  # a year on
    assert window.state.date.isoformat() == "1919-01-31"
    QTest.keyClick(window, Qt.Key.Key_Right, Qt.KeyboardModifier.ControlModifier)  # the next stay
    assert window.state.day > last_day_of(1918)


def test_names_follow_the_year(qtbot: Any, window: Any, bundled: Any) -> None:
    place = bundled.place("saint-petersburg")
    window.state.set_year(1905)
    assert wait_for_year(qtbot, window, 1905)["currentLabel"] == place.name_in(1905) == "Saint Petersburg"
    window.state.set_date(dt.date(1917, 10, 25))  # the October Revolution, in Petrograd
    shown = wait_for_year(qtbot, window, 1917)
    assert place.name_in(1917) == "Petrograd" and shown["currentLabel"] == "Petrograd"
    assert "Petrograd" in shown["labels"] and "Saint Petersburg" not in shown["labels"]


def test_a_click_in_the_page_reaches_the_panel(qtbot: Any, window: Any, bundled: Any) -> None:
    window.state.set_year(1910)
    wait_for_year(qtbot, window, 1910)
    point = json.loads(run_js(qtbot, window.map_view, page_js(PageFunction.MARKER_POINT, "vienna")))
    assert point["shown"]
    target = window.map_view.focusProxy() or window.map_view
    QTest.mouseClick(
        target, Qt.MouseButton.LeftButton, Qt.KeyboardModifier.NoModifier, QPoint(int(point["x"]), int(point["y"]))
    )
    qtbot.waitUntil(lambda: window.state.selected_place == "vienna", timeout=5_000)
    text = window.panel.toPlainText()
    assert "Vienna" in text
    vienna = bundled.place("vienna")
    assert vienna.stays[0].excerpts[0].text[:40] in " ".join(text.split())
    qtbot.waitUntil(lambda: describe(qtbot, window.map_view)["selected"] == "vienna", timeout=5_000)


def test_the_panel_year_list_selects_places(qtbot: Any, window: Any) -> None:
    from PySide6.QtCore import QUrl

    assert "Brest-Litovsk" in window.panel.toPlainText()
    window.panel.anchorClicked.emit(QUrl("place:brest-litovsk"))
    assert window.state.selected_place == "brest-litovsk"
    window.panel.anchorClicked.emit(QUrl("https://example.org/"))
    assert window.state.selected_place == "brest-litovsk"


def test_labels_name_the_dates_places(qtbot: Any, window: Any, bundled: Any) -> None:
    window.state.set_year(1902)  # Siberia to London
    shown = wait_for_year(qtbot, window, 1902)
    day = window.state.day
    assert shown["labels"][0] == bundled.place(shown["current"]).name_in(1902)
    assert set(shown["labels"]) <= {place.name_in(1902) for place in active_places_on(bundled, day)}
    assert len(shown["labels"]) >= 1


def test_follow_frames_the_year_and_can_be_switched_off(qtbot: Any, window: Any) -> None:
    window.state.set_year(1929)
    framed = wait_for_year(qtbot, window, 1929)["view"]
    window.time_bar.follow.setChecked(False)
    assert window.state.follow is False
    qtbot.waitUntil(lambda: describe(qtbot, window.map_view)["follow"] is False, timeout=5_000)
    window.state.set_year(1905)
    assert wait_for_year(qtbot, window, 1905)["view"] == framed


def test_the_year_line_selects_places(qtbot: Any, window: Any) -> None:
    assert "the-bronx" in window.whereabouts.text()
    window.whereabouts.linkActivated.emit("place:the-bronx")
    assert window.state.selected_place == "the-bronx"
    window.whereabouts.linkActivated.emit("place:not-a-place")
    assert window.state.selected_place == "the-bronx"


def test_the_year_line_gives_the_distance_travelled(qtbot: Any, window: Any, bundled: Any) -> None:
    from geodata.tools.distance import distance_until

    expected = f"{distance_until(bundled, 1917):,.0f} km travelled by the end of 1917"
    qtbot.waitUntil(lambda: expected in window.whereabouts.text(), timeout=5_000)


@pytest.mark.allow_log("app.web.bridge", "^page asked for an unknown place")
def test_bridge_accepts_only_known_ids(qtbot: Any, window: Any) -> None:
    clicked: list[str] = []
    window.map_view.placeClicked.connect(clicked.append)
    run_js(qtbot, window.map_view, page_js(PageFunction.SELECT, None))
    window.map_view.bridge.clickPlace("no-such-place")
    window.map_view.bridge.clickPlace(12)
    window.map_view.bridge.clickPlace("coyoacan")
    assert clicked == ["coyoacan"]


@pytest.mark.allow_log("app.web.page", "^js: Uncaught Error: deliberate")
def test_javascript_errors_are_noticed(qtbot: Any, window: Any) -> None:
    with qtbot.waitSignal(window.map_view.map_page.javaScriptError, timeout=5_000) as blocker:
        run_js(qtbot, window.map_view, "setTimeout(function () { throw new Error('deliberate'); }, 0); 1")
    assert "deliberate" in blocker.args[0]
    window.test_js_errors.clear()


def map_colours(window: Any) -> set[str]:
    image: QImage = window.grab().toImage()
    origin = window.map_view.mapTo(window, QPoint(0, 0))
    colours = set()
    for x in range(origin.x() + 5, origin.x() + window.map_view.width() - 5, 7):
        for y in range(origin.y() + 5, origin.y() + window.map_view.height() - 5, 7):
            colours.add(image.pixelColor(x, y).name())
    return colours


def test_screenshot_is_not_blank(qtbot: Any, window: Any) -> None:
    land, sea = QColor("#f3eee2").name(), QColor("#d7e3ea").name()
    # Chromium hands frames to Qt asynchronously: wait for the drawn map to reach the window.
    qtbot.waitUntil(lambda: land in map_colours(window), timeout=10_000)
    colours = map_colours(window)
    assert len(colours) > 20
    assert sea in colours
    reds = [c for c in map(QColor, colours) if c.red() > 150 and c.green() < 90 and c.blue() < 90]
    assert reds, "no marker drawn"


class Recorder(QWebEngineUrlRequestInterceptor):
    def __init__(self) -> None:
        super().__init__()
        self.urls: list[str] = []

    def interceptRequest(self, info: QWebEngineUrlRequestInfo) -> None:
        self.urls.append(info.requestUrl().toString())


def test_no_request_leaves_the_app(qtbot: Any, make_window: Any) -> None:
    recorder = Recorder()
    window = make_window(before_start=lambda win: win.map_view.profile.setUrlRequestInterceptor(recorder))
    window.map_view.profile.setUrlRequestInterceptor(None)
    assert any(url.endswith("vendor/leaflet/leaflet.js") for url in recorder.urls), recorder.urls
    assert any(url.endswith("data/basemap-coarse.geojson") for url in recorder.urls)
    outside = [url for url in recorder.urls if not url.startswith(("trotsky://app/", "data:"))]
    assert outside == []


def test_a_small_lifes_distances_are_in_the_first_frame(qtbot: Any, bundled: Any, make_window: Any) -> None:
    """Up to ``QUICK_STAYS`` stays the kilometres are computed with the window, so the year line does
    not change just after the first paint (a screenshot then settles at once)."""
    window = make_window(wait=None)
    assert "km travelled by the end of 1917" in window.whereabouts.text()
    with qtbot.waitSignal(window.map_view.ready, timeout=30_000):
        pass


def test_the_summary_stays_when_a_status_tip_passes(qtbot: Any, window: Any, bundled: Any) -> None:
    from PySide6.QtGui import QStatusTipEvent
    from PySide6.QtWidgets import QApplication

    summary = window.summary.text()
    assert summary.startswith(f"{len(bundled.places)} places · {len(bundled.stays)} stays · ")
    assert " excerpts — " in summary
    QApplication.sendEvent(window, QStatusTipEvent("Open another dataset"))
    QApplication.sendEvent(window, QStatusTipEvent(""))  # what leaving a menu item sends
    assert window.summary.text() == summary and window.summary.isVisible()


def test_exports_say_where_they_went(qtbot: Any, window: Any, tmp_path: Any, monkeypatch: Any) -> None:
    from PySide6.QtWidgets import QFileDialog

    for name, choose in (("map.html", window._choose_export), ("shot.png", window._choose_screenshot)):
        out = tmp_path / name
        monkeypatch.setattr(QFileDialog, "getSaveFileName", lambda *_args, out=out: (str(out), ""))
        choose()
        assert out.stat().st_size > 1000
        assert window.statusBar().currentMessage().endswith(f" to {out}")


def test_the_panel_cannot_be_dragged_away(qtbot: Any, window: Any) -> None:
    window.splitter.setSizes([window.width(), 0])
    assert window.splitter.sizes()[1] >= window.panel.minimumWidth()
    window.splitter.setSizes([0, window.width()])
    assert window.splitter.sizes()[0] >= window.map_view.minimumWidth()


def in_view(shown: dict[str, Any], place: Any) -> bool:
    west, south, east, north = (float(value) for value in shown["view"].split(","))
    return bool(west <= place.lon <= east and south <= place.lat <= north)


def test_switching_follow_on_frames_the_year_at_once(qtbot: Any, window: Any, bundled: Any) -> None:
    window.state.set_follow(False)
    # the user zooms into Mexico City (folium's map object is a global named map_<hash>)
    run_js(
        qtbot, window.map_view, "window[Object.keys(window).find(k => /^map_/.test(k))].setView([19.35, -99.16], 9); 1"
    )
    window.state.set_year(1905)
    qtbot.waitUntil(lambda: window.map_view.shown_year == 1905, timeout=5_000)
    petersburg = bundled.place("saint-petersburg")
    assert not in_view(describe(qtbot, window.map_view), petersburg)  # follow is off: the view stays
    window.state.set_follow(True)
    qtbot.waitUntil(lambda: in_view(describe(qtbot, window.map_view), petersburg), timeout=5_000)


def test_a_resized_window_keeps_the_years_places_in_view(qtbot: Any, window: Any, bundled: Any) -> None:
    window.state.set_year(1902)  # Siberia to London: wide
    qtbot.waitUntil(lambda: window.map_view.shown_year == 1902, timeout=5_000)
    window.resize(700, 600)
    active = [bundled.place(place_id) for place_id in describe(qtbot, window.map_view)["active"]]
    qtbot.waitUntil(lambda: all(in_view(describe(qtbot, window.map_view), place) for place in active), timeout=5_000)


def test_a_right_click_offers_our_menu_not_the_browsers(qtbot: Any, window: Any, bundled: Any) -> None:
    from PySide6.QtWidgets import QApplication

    window.state.set_year(1910)
    wait_for_year(qtbot, window, 1910)
    assert window.map_view.contextMenuPolicy() == Qt.ContextMenuPolicy.NoContextMenu  # no Back/Reload/…
    point = json.loads(run_js(qtbot, window.map_view, page_js(PageFunction.MARKER_POINT, "vienna")))
    target = window.map_view.focusProxy() or window.map_view
    with qtbot.waitSignal(window.map_view.contextMenuRequested, timeout=5_000) as asked:
        QTest.mouseClick(
            target, Qt.MouseButton.RightButton, Qt.KeyboardModifier.NoModifier, QPoint(int(point["x"]), int(point["y"]))
        )
    assert asked.args[0] == "vienna"
    qtbot.waitUntil(lambda: QApplication.activePopupWidget() is not None, timeout=5_000)
    popup = QApplication.activePopupWidget()
    assert popup is not None and popup.actions()[0].text() == "Select Vienna"
    popup.close()
    menu = window.map_menu(*asked.args)
    actions = {action.text(): action for action in menu.actions()}
    assert list(actions) == ["Select Vienna", "Copy coordinates", "Zoom here"]
    actions["Copy coordinates"].trigger()
    vienna = bundled.place("vienna")
    assert QApplication.clipboard().text() == f"{vienna.lat:.5f}, {vienna.lon:.5f}"
    zoom = describe(qtbot, window.map_view)["zoom"]
    actions["Zoom here"].trigger()
    qtbot.waitUntil(lambda: describe(qtbot, window.map_view)["zoom"] == zoom + 2, timeout=5_000)
    actions["Select Vienna"].trigger()
    assert window.state.selected_place == "vienna"
    # on the bare map: no place to select
    assert [action.text() for action in window.map_menu("", 10.0, 20.0).actions()] == ["Copy coordinates", "Zoom here"]


def test_file_export_data_writes_what_geodata_export_writes(
    qtbot: Any, window: Any, bundled: Any, tmp_path: Any, monkeypatch: Any
) -> None:
    import csv
    import xml.etree.ElementTree as ET

    from PySide6.QtWidgets import QFileDialog

    labels = [action.text() for action in window.data_menu.actions()]
    assert labels == ["Linked Places GeoJSON…", "CSV, one row per stay…", "KML for Google Earth…"]
    written = {}
    for format_name, suffix in (("lpf", "geojson"), ("csv", "csv"), ("kml", "kml")):
        out = tmp_path / f"life.{suffix}"
        monkeypatch.setattr(QFileDialog, "getSaveFileName", lambda *_args, out=out: (str(out), ""))
        window._choose_data_export(format_name)
        written[format_name] = out.read_text(encoding="utf-8")
        assert window.statusBar().currentMessage().endswith(f" to {out}")
    assert len(json.loads(written["lpf"])["features"]) == len(bundled.places)
    assert len(list(csv.DictReader(written["csv"].splitlines()))) == len(bundled.stays)
    placemarks = ET.fromstring(written["kml"]).iter("{http://www.opengis.net/kml/2.2}Placemark")
    assert len(list(placemarks)) == len(bundled.stays) + len(bundled.crossings)  # a point per stay, a line per crossing


def test_the_shortcuts_dialog_lists_every_action_with_a_shortcut(qtbot: Any, window: Any, monkeypatch: Any) -> None:
    from PySide6.QtGui import QAction, QKeySequence
    from PySide6.QtWidgets import QMessageBox

    rows = window.shortcut_rows()
    with_keys = [action for action in window.findChildren(QAction) if not action.shortcut().isEmpty()]
    assert len(rows) == len(with_keys) >= 18  # every menu's keys: File, View, Go and Help
    assert {what for what, _keys in rows} == {action.text().replace("&", "").rstrip("…") for action in with_keys}
    assert ("Quit", QKeySequence("Ctrl+Q").toString()) in rows
    assert ("Play / pause", "Space") in rows and ("Open dataset", QKeySequence("Ctrl+O").toString()) in rows
    shown: list[str] = []
    monkeypatch.setattr(QMessageBox, "information", lambda _parent, _title, text: shown.append(text))
    window.actions_by_name["shortcuts"].trigger()
    assert all(f"<b>{keys}</b>" in shown[0] for _what, keys in rows)
    # the listed keys work: F switches follow off
    next(action for action in with_keys if action.text() == "&Follow the date").trigger()
    assert window.state.follow is False


def test_about_names_the_versions_and_the_dataset(qtbot: Any, window: Any, monkeypatch: Any) -> None:
    from PySide6.QtCore import qVersion
    from PySide6.QtWidgets import QMessageBox

    shown: list[str] = []
    monkeypatch.setattr(QMessageBox, "about", lambda _parent, _title, text: shown.append(text))
    window._show_about()
    assert f"Qt {qVersion()}" in shown[0] and "Chromium " in shown[0] and "Python " in shown[0]
    assert "Leon Trotsky, 1879–1940" in shown[0] and "trotsky.json" in shown[0]


def test_at_sea_the_crossing_is_drawn_bold_and_named(qtbot: Any, window: Any, bundled: Any) -> None:
    """Between Spain (25 December 1916) and New York (13 January 1917) he is at sea: the leg is drawn
    bold, no current-place ring is shown at either end, and the line under the map says so."""
    from geodata.dates import day_number

    day = day_number(dt.date(1916, 12, 30))
    window.state.set_day(day)
    qtbot.waitUntil(lambda: window.map_view.shown_day == day, timeout=5_000)
    shown = describe(qtbot, window.map_view)
    assert shown["current"] is None
    assert shown["crossing"] == "At sea: Spain → New York City, 25 Dec 1916 – 13 Jan 1917"
    assert "At sea: Spain → New York City" in window.whereabouts.text()
    # the crossings begun are drawn (the later ones not yet), the one he is on bold
    assert shown["crossingsDrawn"] == [[shown["crossing"], STYLE["crossingActive"]["weight"]]]
    # on the day he lands the ring is back, at New York, and the crossing is no longer the date's
    landed = day_number(dt.date(1917, 1, 14))
    window.state.set_day(landed)
    qtbot.waitUntil(lambda: window.map_view.shown_day == landed, timeout=5_000)
    shown = describe(qtbot, window.map_view)
    assert shown["crossing"] is None and shown["current"] == place_id(current_on(bundled, landed))
    assert shown["crossingsDrawn"][0][1] == STYLE["crossing"]["weight"]


@pytest.mark.parametrize("date", [dt.date(1937, 1, 20), dt.date(1916, 12, 30), dt.date(1905, 10, 20)])
def test_the_line_under_the_map_keeps_the_years_journey_in_view(qtbot: Any, window: Any, date: dt.date) -> None:
    """A day with three stays and a crossing (20 January 1937) once wrapped its first line onto the
    second and cut off the year's journey: the text fits the label's fixed height."""
    from geodata.dates import day_number

    window.state.set_day(day_number(date))
    line = window.whereabouts
    assert "so far:" in line.text()
    margins = line.contentsMargins()
    assert line.heightForWidth(line.width()) <= line.height(), line.text()
    assert line.heightForWidth(line.width()) > 2 * line.fontMetrics().lineSpacing() - 2 + margins.top()
