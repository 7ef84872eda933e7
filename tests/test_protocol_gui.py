"""The page and Python agree: the page's functions and the bridge's slots are the protocol's, the
page's own status and names for every place and year are the reference queries', and year changes
made while a frame is pending end in one page update for the latest year."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest
from PySide6.QtCore import QMetaMethod

from app.page.protocol import STATUS_CODES, BridgeSlot, PageFunction, Status
from app.web.bridge import MapBridge
from geodata.loader import load_dataset
from geodata.model import Dataset
from geodata.queries import status_in_year, year_bounds
from tests.benchmarks.synthetic import write_synthetic_dataset
from tests.gui_helpers import describe, page_js, run_js

pytestmark = pytest.mark.gui


def test_the_page_defines_exactly_the_protocols_functions(qtbot: Any, window: Any) -> None:
    keys = json.loads(run_js(qtbot, window.map_view, "JSON.stringify(Object.keys(TrotskyMap).sort())"))
    assert keys == sorted(function.value for function in PageFunction)


def test_the_bridge_has_exactly_the_protocols_slots(qtbot: Any, window: Any) -> None:
    meta = MapBridge.staticMetaObject  # type: ignore[attr-defined]
    slots = {
        bytes(meta.method(index).name().data()).decode()
        for index in range(meta.methodOffset(), meta.methodCount())
        if meta.method(index).methodType() == QMetaMethod.MethodType.Slot
    }
    assert slots == {slot.value for slot in BridgeSlot}
    # and the page's end of the channel offers the same slots
    script = page_js(PageFunction.BRIDGE) + "; JSON.stringify(Object.keys(TrotskyMap.bridge()))"
    offered = set(json.loads(run_js(qtbot, window.map_view, script)))
    assert {slot.value for slot in BridgeSlot} <= offered


def page_answers_match_the_queries(qtbot: Any, window: Any, dataset: Dataset) -> None:
    first, last = year_bounds(dataset)
    codes = {code: status for status, code in STATUS_CODES.items()}
    for year in range(first - 1, last + 2):
        answers = json.loads(run_js(qtbot, window.map_view, page_js(PageFunction.ANSWERS, year)))
        statuses = [codes[code] for code in answers["status"]]
        assert statuses == [Status(status_in_year(place, year)) for place in dataset.places], year
        assert answers["names"] == [place.name_in(year) for place in dataset.places], year


def test_page_status_and_names_equal_the_reference_for_every_year(qtbot: Any, window: Any, bundled: Any) -> None:
    page_answers_match_the_queries(qtbot, window, bundled)


def test_page_status_and_names_equal_the_reference_on_a_synthetic_dataset(
    qtbot: Any, tmp_path: Path, make_window: Any
) -> None:
    dataset = load_dataset(write_synthetic_dataset(tmp_path, 400))
    window = make_window(dataset, year=1905)
    page_answers_match_the_queries(qtbot, window, dataset)


def test_the_map_draws_each_years_past_and_active_places(qtbot: Any, window: Any, bundled: Any) -> None:
    """What is drawn (not only what is computed) follows the reference, year by year."""
    first, last = year_bounds(bundled)
    for year in range(first, last + 1):
        window.state.set_year(year)
        qtbot.waitUntil(lambda year=year: window.map_view.shown_year == year, timeout=5_000)
        shown = describe(qtbot, window.map_view)
        for status in (Status.PAST, Status.ACTIVE):
            expected = [place.id for place in bundled.places if status_in_year(place, year) == status]
            assert shown[status.value] == expected, (year, status)


COUNT_SET_YEAR = """
(function () {
  var original = TrotskyMap.setYear;
  window.__years = [];
  TrotskyMap.setYear = function (y, token) { window.__years.push(y); return original(y, token); };
  return 1;
})()
"""


def test_year_changes_while_a_frame_is_pending_end_in_one_update_for_the_latest(qtbot: Any, window: Any) -> None:
    run_js(qtbot, window.map_view, COUNT_SET_YEAR)
    painted: list[int] = []
    window.map_view.yearPainted.connect(painted.append)
    window.state.set_year(1900)  # sent at once: a frame is now pending
    for year in range(1901, 1931):  # all of these while it is
        window.state.set_year(year)
    qtbot.waitUntil(lambda: window.map_view.shown_year == 1930, timeout=10_000)
    assert json.loads(run_js(qtbot, window.map_view, "JSON.stringify(window.__years)")) == [1900, 1930]
    assert painted == [1900, 1930]
