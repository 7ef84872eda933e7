"""The page and Python agree: the page's functions and the bridge's slots are the protocol's, the
page's own status, names, current place and path for every place on every day that matters are the
reference queries', and date changes made while a frame is pending end in one page update for the
latest date."""

from __future__ import annotations

import datetime as dt
import json
from pathlib import Path
from typing import Any

import pytest
from PySide6.QtCore import QMetaMethod

from app.page.place_html import crossing_label
from app.page.protocol import STATUS_CODES, BridgeSlot, PageFunction, Status
from app.web.bridge import MapBridge
from app.widgets.state import Unit, last_day_of, shifted
from geodata.dates import day_number, from_day_number
from geodata.loader import load_dataset
from geodata.model import Dataset
from geodata.queries import crossing_on, current_leg_on, current_on, day_bounds, journey, legs_started_on, status_on
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


def sample_days(dataset: Dataset) -> list[int]:
    """Days where answers change or could go wrong: every stay's first and last day and the days
    either side, the same for every crossing, and the first of every month of the life (and just
    outside it)."""
    days: set[int] = set()
    for leg in journey(dataset):
        days.update((leg.first - 1, leg.first, leg.last, leg.last + 1))
    for crossing in dataset.crossings:
        days.update(day + offset for day in crossing.days for offset in (-1, 0, 1))
    first, last = day_bounds(dataset)
    day = first - 1
    while day <= last + 1:
        days.add(day)
        day = shifted(day, Unit.MONTH, 1)
    return sorted(days)


def page_answers_match_the_queries(qtbot: Any, window: Any, dataset: Dataset) -> None:
    codes = {code: status for status, code in STATUS_CODES.items()}
    days = sample_days(dataset)
    script = f"JSON.stringify({json.dumps(days)}.map(function (d) {{ return JSON.parse(TrotskyMap.answers(d)); }}))"
    answers = json.loads(run_js(qtbot, window.map_view, script, timeout=60_000))
    for day, answer in zip(days, answers, strict=True):
        year = from_day_number(day).year
        statuses = [codes[code] for code in answer["status"]]
        assert statuses == [Status(status_on(dataset, place, day)) for place in dataset.places], day
        assert answer["names"] == [place.name_in(year) for place in dataset.places], day
        current = current_on(dataset, day)
        assert answer["current"] == (current.id if current else None), day
        leg = current_leg_on(dataset, day)
        assert answer["uncertain"] == (leg.stay.uncertain if leg else None), day
        assert answer["pathPoints"] == legs_started_on(dataset, day), day
        crossing = crossing_on(dataset, day)
        assert answer["crossing"] == (crossing_label(dataset, crossing) if crossing else None), day


def test_page_status_and_names_equal_the_reference_on_every_day_that_matters(
    qtbot: Any, window: Any, bundled: Any
) -> None:
    page_answers_match_the_queries(qtbot, window, bundled)


def test_page_status_and_names_equal_the_reference_on_a_synthetic_dataset(
    qtbot: Any, tmp_path: Path, make_window: Any
) -> None:
    dataset = load_dataset(write_synthetic_dataset(tmp_path, 400))
    window = make_window(dataset, year=1905)
    page_answers_match_the_queries(qtbot, window, dataset)


def test_the_map_draws_each_dates_past_and_active_places(qtbot: Any, window: Any, bundled: Any) -> None:
    """What is drawn (not only what is computed) follows the reference, date by date."""
    for text in (
        "1879-11-07",
        "1902-06-15",
        "1905-02-15",
        "1905-10-15",
        "1917-01-20",
        "1917-04-15",
        "1929-02-15",
        "1940-08-21",
        "1940-12-31",
    ):
        day = day_number(dt.date.fromisoformat(text))
        window.state.set_day(day)
        qtbot.waitUntil(lambda day=day: window.map_view.shown_day == day, timeout=5_000)
        shown = describe(qtbot, window.map_view)
        for status in (Status.PAST, Status.ACTIVE):
            expected = [place.id for place in bundled.places if status_on(bundled, place, day) == status]
            assert shown[status.value] == expected, (text, status)
        current = current_on(bundled, day)
        assert shown["current"] == (current.id if current else None), text


COUNT_SET_DAY = """
(function () {
  var original = TrotskyMap.setDay;
  window.__days = [];
  TrotskyMap.setDay = function (d, token) { window.__days.push(d); return original(d, token); };
  return 1;
})()
"""


def test_date_changes_while_a_frame_is_pending_end_in_one_update_for_the_latest(qtbot: Any, window: Any) -> None:
    run_js(qtbot, window.map_view, COUNT_SET_DAY)
    painted: list[int] = []
    window.map_view.dayPainted.connect(painted.append)
    window.state.set_year(1900)  # sent at once: a frame is now pending
    for year in range(1901, 1931):  # all of these while it is
        window.state.set_year(year)
    qtbot.waitUntil(lambda: window.map_view.shown_year == 1930, timeout=10_000)
    expected = [last_day_of(1900), last_day_of(1930)]
    assert json.loads(run_js(qtbot, window.map_view, "JSON.stringify(window.__days)")) == expected
    assert painted == expected
