"""The points layer of a large dataset: past points drawn from the cache look as drawn one by one."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest
from PySide6.QtWidgets import QApplication

from app.page.protocol import PageFunction
from app.widgets.state import last_day_of
from geodata.loader import load_dataset
from tests.benchmarks.synthetic import write_synthetic_dataset
from tests.gui_helpers import describe, page_js, run_js

pytestmark = pytest.mark.gui

# Copies the points canvas (through a canvas made for reading, so Chromium does not warn about
# repeated reads) and compares two copies channel by channel.
PIXELS_JS = """
window.tmPixels = window.tmPixels || {
  take: function (name) {
    var source = document.querySelector("canvas.tm-points");
    var copy = document.createElement("canvas");
    copy.width = source.width;
    copy.height = source.height;
    var ctx = copy.getContext("2d", { willReadFrequently: true });
    ctx.drawImage(source, 0, 0);
    this[name] = ctx.getImageData(0, 0, copy.width, copy.height).data;
    return true;
  },
  compare: function (a, b) {
    var x = this[a], y = this[b], max = 0, painted = 0;
    if (x.length !== y.length) return JSON.stringify({ sizes: [x.length, y.length] });
    for (var i = 0; i < x.length; i++) {
      var d = Math.abs(x[i] - y[i]);
      if (d > max) max = d;
      if (i % 4 === 3 && x[i] > 0) painted++;
    }
    return JSON.stringify({ max: max, painted: painted });
  },
};
true;
"""


# folium names the Leaflet map ``map_<id>`` in the page's globals.
PAN_JS = """
var leaflet = Object.keys(window).map(function (k) { return window[k]; })
  .filter(function (v) { return v instanceof L.Map; })[0];
leaflet.panBy([120, -80], { animate: false });
true;
"""


@pytest.fixture
def large_window(qtbot: Any, tmp_path: Path, make_window: Any) -> Any:
    window = make_window(load_dataset(write_synthetic_dataset(tmp_path, 800)), year=1905)
    assert run_js(qtbot, window.map_view, PIXELS_JS)
    return window


def show(qtbot: Any, window: Any, year: int, cached: bool) -> None:
    """Show ``year`` with the cache on or off; the map stays put (follow off)."""
    run_js(qtbot, window.map_view, page_js(PageFunction.SET_DAY, last_day_of(year)))
    run_js(qtbot, window.map_view, page_js(PageFunction.USE_POINT_CACHE, cached, 50))
    assert describe(qtbot, window.map_view)["year"] == year


def compare_cached_and_direct(qtbot: Any, window: Any, year: int) -> dict[str, int]:
    show(qtbot, window, year, cached=False)
    run_js(qtbot, window.map_view, "tmPixels.take('direct')")
    # Going through other years first makes the cache step forward, back and restore snapshots.
    for other in (1880, 1939, year + 3, year - 7):
        show(qtbot, window, other, cached=True)
    run_js(qtbot, window.map_view, page_js(PageFunction.SET_DAY, last_day_of(year)))
    run_js(qtbot, window.map_view, "tmPixels.take('cached')")
    result: dict[str, int] = json.loads(run_js(qtbot, window.map_view, "tmPixels.compare('direct', 'cached')"))
    return result


def test_cached_past_points_look_as_drawn_one_by_one(qtbot: Any, large_window: Any) -> None:
    window = large_window
    window.state.set_follow(False)
    for year in (1910, 1925, 1898):
        result = compare_cached_and_direct(qtbot, window, year)
        assert "sizes" not in result, result
        assert result["painted"] > 5_000, result  # the comparison is of a drawn map, not of two blanks
        # Blending the cache onto the canvas rounds a few values differently (by up to ~5 of 255)
        # from drawing straight onto it; a missing or extra marker differs by ~100.
        assert result["max"] <= 8, (year, result)


def test_cache_follows_a_moved_map(qtbot: Any, large_window: Any) -> None:
    window = large_window
    window.state.set_follow(False)
    show(qtbot, window, 1920, cached=True)
    # A pan changes every point's position: the cache must be drawn afresh, not reused.
    view_before = describe(qtbot, window.map_view)["view"]
    run_js(qtbot, window.map_view, PAN_JS)
    assert describe(qtbot, window.map_view)["view"] != view_before
    run_js(qtbot, window.map_view, page_js(PageFunction.SET_DAY, last_day_of(1921)))
    run_js(qtbot, window.map_view, "tmPixels.take('cached')")
    show(qtbot, window, 1921, cached=False)
    run_js(qtbot, window.map_view, "tmPixels.take('direct')")
    result = json.loads(run_js(qtbot, window.map_view, "tmPixels.compare('direct', 'cached')"))
    assert result["painted"] > 5_000 and result["max"] <= 8, result


def test_past_points_stay_clickable_with_the_cache(qtbot: Any, large_window: Any) -> None:
    from PySide6.QtCore import QPoint, Qt
    from PySide6.QtTest import QTest

    window = large_window
    window.state.set_follow(False)
    show(qtbot, window, 1930, cached=True)
    shown = describe(qtbot, window.map_view)
    # A past place whose marker nothing is drawn over (no other place within 12 px).
    points = {
        place_id: json.loads(run_js(qtbot, window.map_view, page_js(PageFunction.MARKER_POINT, place_id)))
        for place_id in shown["active"] + shown["past"]
    }
    size = window.map_view.size()

    def alone(place_id: str) -> bool:
        x, y = points[place_id]["x"], points[place_id]["y"]
        if not (20 < x < size.width() - 20 and 20 < y < size.height() - 20):
            return False
        return all(
            (other["x"] - x) ** 2 + (other["y"] - y) ** 2 > 24**2 for key, other in points.items() if key != place_id
        )

    target_id = next(place_id for place_id in shown["past"] if alone(place_id))
    point = points[target_id]
    target = window.map_view.focusProxy() or window.map_view
    QTest.mouseClick(
        target, Qt.MouseButton.LeftButton, Qt.KeyboardModifier.NoModifier, QPoint(int(point["x"]), int(point["y"]))
    )
    qtbot.waitUntil(lambda: window.state.selected_place == target_id, timeout=5_000)


def test_scrubbing_never_resizes_the_map(qtbot: Any, large_window: Any) -> None:
    """The year line keeps its height whatever the year lists, so the map is never redrawn for a resize."""
    window = large_window
    # the journey distances (a background thread) add to the year line
    qtbot.waitUntil(lambda: "km travelled" in window.whereabouts.text(), timeout=10_000)
    sizes = set()
    texts = []
    for year in range(1879, 1941, 3):
        window.state.set_year(year)
        QApplication.processEvents()  # the layout takes the year line's new text
        sizes.add((window.map_view.size().width(), window.map_view.size().height()))
        texts.append(window.whereabouts.text())
    assert len(sizes) == 1, sizes
    assert any("more" in text for text in texts)  # busy years name what fits and count the rest
