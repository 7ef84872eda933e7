"""The borders of the date in the real page: the snapshot follows the date, polities are named, the
one he is in is the reference's, the layers switch, and a broken borders file leaves a working map."""

from __future__ import annotations

import datetime as dt
import json
from pathlib import Path
from typing import Any

import pytest

from app.page.legend import UNCERTAIN_RING_DASH, legend_entries
from app.page.protocol import BASE_LAYERS, DEFAULT_LAYER
from app.widgets.legend_dialog import LegendDialog, swatch_pixmap
from geodata.borders import polity_on
from geodata.dates import day_number
from geodata.queries import current_leg_on, journey
from tests.gui_helpers import describe, run_js

pytestmark = pytest.mark.gui


def show(qtbot: Any, window: Any, date: dt.date) -> dict[str, Any]:
    day = day_number(date)
    window.state.set_day(day)
    qtbot.waitUntil(lambda: window.map_view.shown_day == day, timeout=10_000)
    qtbot.waitUntil(lambda: describe(qtbot, window.map_view)["borders"] is not None, timeout=10_000)
    return describe(qtbot, window.map_view)


def test_the_borders_follow_the_date_and_name_the_polity_he_is_in(qtbot: Any, window: Any, bundled: Any) -> None:
    assert DEFAULT_LAYER == "historical" and window.map_view.layer == "historical"
    for date, snapshot in ((dt.date(1910, 6, 30), 1900), (dt.date(1917, 7, 15), 1914), (dt.date(1925, 6, 1), 1920)):
        shown = show(qtbot, window, date)
        assert shown["borders"] == snapshot, date
        place = bundled.place(shown["current"])
        assert shown["polity"] == str(polity_on(place.lat, place.lon, day_number(date))), date
        assert shown["polities"], date  # some polities are named at this view
    assert run_js(qtbot, window.map_view, "document.querySelector('.tm-borders-control').textContent") == (
        "Borders: 1920 · approximate"
    )
    legend = run_js(qtbot, window.map_view, "document.querySelector('.tm-legend').textContent")
    assert "Borders of the date" in legend


def test_the_map_names_the_polity_of_every_place_as_geodata_does(qtbot: Any, window: Any, bundled: Any) -> None:
    # Büyükada, Odessa and New York lie just outside their coarse polygons: geodata names the
    # polity within NEAR_KM, and the map (which had no such rule) outlined nothing there.
    show(qtbot, window, dt.date(1930, 6, 1))
    assert describe(qtbot, window.map_view)["polity"] == "Turkey"
    days = [day_number(dt.date(year, 6, 1)) for year in (1880, 1900, 1910, 1914, 1917, 1920, 1925, 1930, 1938, 1940)]
    script = f"JSON.stringify({days}.map(function (d) {{ return JSON.parse(TrotskyMap.answers(d)).polities; }}))"
    answers = json.loads(run_js(qtbot, window.map_view, script, timeout=60_000))
    near = 0
    for day, polities in zip(days, answers, strict=True):
        for place, polity in zip(bundled.places, polities, strict=True):
            expected = polity_on(place.lat, place.lon, day)
            assert polity == expected.name, (place.id, day)
            near += expected.near
    assert near > 20  # the rule is exercised, not only the polygons


def test_a_step_that_changes_no_polity_name_leaves_their_labels_alone(qtbot: Any, window: Any) -> None:
    # Taking forty names out of the page and putting the same ones back cost every step a layout.
    shown = show(qtbot, window, dt.date(1910, 6, 1))
    assert shown["polities"]
    run_js(qtbot, window.map_view, "document.querySelector('.tm-polity').__kept = true")
    again = show(qtbot, window, dt.date(1910, 6, 2))
    assert again["polities"] == shown["polities"]
    assert run_js(qtbot, window.map_view, "!!document.querySelector('.tm-polity').__kept") is True


def test_modern_borders_are_a_choice_of_the_layer_control(qtbot: Any, window: Any) -> None:
    show(qtbot, window, dt.date(1917, 7, 15))
    window.map_view.set_layer("offline")
    qtbot.waitUntil(lambda: describe(qtbot, window.map_view)["borders"] is None, timeout=5_000)
    assert describe(qtbot, window.map_view)["polities"] == []
    control = run_js(qtbot, window.map_view, "document.querySelector('.tm-borders-control').style.display")
    assert control == "none"
    names = run_js(
        qtbot,
        window.map_view,
        "JSON.stringify(Array.prototype.map.call(document.querySelectorAll('.leaflet-control-layers-base label'),"
        " function (l) { return l.textContent.trim(); }))",
    )
    assert names == '["' + '","'.join(BASE_LAYERS.values()) + '"]'
    window.map_view.set_layer("historical")
    qtbot.waitUntil(lambda: describe(qtbot, window.map_view)["borders"] == 1914, timeout=5_000)


@pytest.mark.allow_log("app.web.page", "^js: The historical borders could not be loaded")
def test_a_broken_borders_file_leaves_a_working_map_with_a_notice(
    qtbot: Any, make_window: Any, tmp_path: Path, monkeypatch: Any
) -> None:
    from app.page import assets

    broken = tmp_path / "borders.topojson"
    broken.write_text("{ not json", encoding="utf-8")
    monkeypatch.setitem(assets.STATIC_FILES, assets.BORDERS, broken)
    window = make_window()
    qtbot.waitUntil(
        lambda: (
            "could not be loaded"
            in (run_js(qtbot, window.map_view, "(document.querySelector('.tm-notice')||{}).textContent||''"))
        ),
        timeout=10_000,
    )
    qtbot.waitUntil(lambda: window.map_view.layer == "offline", timeout=5_000)
    shown = describe(qtbot, window.map_view)
    assert shown["current"] and shown["borders"] is None  # the rest of the map works


def test_the_online_layer_says_when_its_tiles_cannot_load(qtbot: Any, make_window: Any) -> None:
    """With no network, choosing OpenStreetMap used to show a blank blue map with no message."""
    from tests.test_menus_gui import OfflineOnly

    offline = OfflineOnly()
    window = make_window(before_start=lambda w: w.map_view.profile.setUrlRequestInterceptor(offline))
    window.map_view.set_layer("online")
    notice = "(document.querySelector('.tm-tiles-notice')||{}).textContent||''"
    qtbot.waitUntil(lambda: "cannot be loaded" in run_js(qtbot, window.map_view, notice), timeout=10_000)
    assert offline.blocked > 0
    run_js(qtbot, window.map_view, "document.querySelector('.tm-tiles-notice button').click(); 1")
    qtbot.waitUntil(lambda: window.map_view.layer == "historical", timeout=5_000)
    assert run_js(qtbot, window.map_view, notice) == ""


def test_stacked_places_are_offered_together_and_one_is_picked(qtbot: Any, window: Any) -> None:
    """Mexico City, Coyoacán and the two houses sit within a few pixels: a click on them used to
    select whichever was drawn last."""
    import json

    from PySide6.QtCore import QPoint, Qt
    from PySide6.QtTest import QTest

    from app.page.protocol import PageFunction
    from tests.gui_helpers import page_js

    show(qtbot, window, dt.date(1940, 8, 20))
    stack = json.loads(run_js(qtbot, window.map_view, page_js(PageFunction.STACK_AT, "avenida-viena")))
    assert len(stack) >= 2 and "avenida-viena" in stack
    point = json.loads(run_js(qtbot, window.map_view, page_js(PageFunction.MARKER_POINT, "avenida-viena")))
    target = window.map_view.focusProxy() or window.map_view
    QTest.mouseClick(
        target, Qt.MouseButton.LeftButton, Qt.KeyboardModifier.NoModifier, QPoint(int(point["x"]), int(point["y"]))
    )
    buttons = "JSON.stringify(Array.from(document.querySelectorAll('.tm-picker button'), b => b.dataset.place))"
    qtbot.waitUntil(lambda: json.loads(run_js(qtbot, window.map_view, buttons)) == stack, timeout=5_000)
    assert window.state.selected_place != "mexico-city"  # nothing chosen for the user
    pick = stack[-1]
    run_js(qtbot, window.map_view, f"document.querySelector('.tm-picker button[data-place=\"{pick}\"]').click(); 1")
    qtbot.waitUntil(lambda: window.state.selected_place == pick, timeout=5_000)
    assert json.loads(run_js(qtbot, window.map_view, buttons)) == []


def test_each_layer_carries_its_own_credit(qtbot: Any, window: Any) -> None:
    from app.page.protocol import LAYER_CREDITS

    show(qtbot, window, dt.date(1917, 7, 15))
    credit = "document.querySelector('.leaflet-control-attribution').textContent"
    assert LAYER_CREDITS["historical"] in run_js(qtbot, window.map_view, credit)
    window.map_view.set_layer("offline")
    qtbot.waitUntil(lambda: LAYER_CREDITS["offline"] in run_js(qtbot, window.map_view, credit), timeout=5_000)
    assert "historical-basemaps" not in run_js(qtbot, window.map_view, credit)


def test_close_in_the_offline_map_names_the_towns(qtbot: Any, window: Any, bundled: Any) -> None:
    """At city zoom the offline map was empty paper: GeoNames' towns are named, so one can tell
    where in Mexico City Coyoacán lies."""
    show(qtbot, window, dt.date(1939, 8, 31))
    assert describe(qtbot, window.map_view)["towns"] == []  # not at the zoom that frames a country
    window.map_view.set_follow(False)
    house = bundled.place("avenida-viena")
    for _ in range(4):
        window.map_view.zoom_to(house.lat, house.lon)
    qtbot.waitUntil(lambda: "Coyoacán" in describe(qtbot, window.map_view)["towns"], timeout=10_000)
    assert describe(qtbot, window.map_view)["zoom"] >= 10


def test_the_legend_lists_its_rows_and_the_ring_is_dashed_while_the_dates_are_uncertain(
    qtbot: Any, window: Any, bundled: Any
) -> None:
    assert describe(qtbot, window.map_view)["legend"] == [entry.label for entry in legend_entries()]
    seen = set()
    for leg in journey(bundled):
        if leg.stay.uncertain in seen or current_leg_on(bundled, leg.first) is not leg:
            continue
        seen.add(leg.stay.uncertain)
        window.state.set_day(leg.first)
        qtbot.waitUntil(lambda leg=leg: window.map_view.shown_day == leg.first, timeout=10_000)
        shown = describe(qtbot, window.map_view)
        assert shown["current"] == leg.place.id
        assert shown["currentDash"] == (UNCERTAIN_RING_DASH if leg.stay.uncertain else None), leg.place.id
    assert seen == {True, False}


def test_help_explains_the_legend_with_the_same_rows_and_drawn_swatches(qtbot: Any, window: Any) -> None:
    dialog = LegendDialog(window)
    qtbot.addWidget(dialog)
    assert [label for label, _meaning in dialog.rows] == [entry.label for entry in legend_entries()]
    for entry in legend_entries():
        image = swatch_pixmap(entry.svg).toImage()
        painted = sum(1 for x in range(image.width()) for y in range(image.height()) if image.pixelColor(x, y).alpha())
        assert painted > 20, entry.key
    assert "legend_help" in window.actions_by_name
