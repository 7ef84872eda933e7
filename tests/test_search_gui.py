"""The search box and the place list, driven by the keyboard and the mouse as a user would, with a
real AppState: typing searches after a pause, Down/Up/Enter/Escape work from the field, a place hit
selects its place and moves the date, a phrase asks for its passage; the list sorts by the real
first day, follows the state without echo, and selects on arrow keys without moving the date."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from PySide6.QtCore import QPoint, Qt
from PySide6.QtTest import QTest
from PySide6.QtWidgets import QApplication, QVBoxLayout, QWidget

from app.widgets.place_list import FIRST_VISIT_COLUMN, PLACE_COLUMN, PlaceList
from app.widgets.search_box import SearchBox, hit_text
from app.widgets.state import AppState
from geodata.loader import load_dataset
from geodata.model import Dataset
from geodata.names import fold
from geodata.queries import year_bounds
from geodata.search import first_day
from tests.datasets import make_document, write_dataset

pytestmark = pytest.mark.gui

HOSTILE = "<b>x</b><script>alert(1)</script>"


class Views:
    """A window with a search box over a place list, sharing one state, as the main window has."""

    def __init__(self, dataset: Dataset) -> None:
        self.state = AppState(*year_bounds(dataset))
        self.window = QWidget()
        self.box = SearchBox(self.state, self.window)
        self.places = PlaceList(self.state, self.window)
        layout = QVBoxLayout(self.window)
        layout.addWidget(self.box)
        layout.addWidget(self.places)
        self.box.set_dataset(dataset)
        self.places.set_dataset(dataset)
        self.window.resize(600, 500)


def make_views(qtbot: Any, dataset: Dataset) -> Views:
    views = Views(dataset)
    qtbot.addWidget(views.window)
    views.window.show()
    qtbot.waitExposed(views.window)
    return views


def focus(qtbot: Any, widget: QWidget) -> None:
    widget.window().activateWindow()
    widget.setFocus(Qt.FocusReason.OtherFocusReason)
    qtbot.waitUntil(lambda: QApplication.focusWidget() is widget, timeout=5_000)


@pytest.fixture
def views(qtbot: Any, bundled: Dataset) -> Iterator[Views]:
    made = make_views(qtbot, bundled)
    yield made
    made.box.popup.hide()


def type_query(qtbot: Any, views: Views, text: str) -> None:
    """Type ``text`` into the field and wait for its answers (the search runs after a pause)."""
    focus(qtbot, views.box.field)
    views.box.field.clear()
    qtbot.keyClicks(views.box.field, text)
    qtbot.waitUntil(lambda: bool(views.box.results()) and views.box.popup.isVisible(), timeout=5_000)


def test_typing_searches_after_a_pause_and_enter_chooses_the_first_place(qtbot: Any, views: Views) -> None:
    focus(qtbot, views.box.field)
    qtbot.keyClicks(views.box.field, "Petrograd")
    assert views.box.results() == []  # not on every keystroke: the debounce is still running
    qtbot.waitUntil(lambda: bool(views.box.results()), timeout=5_000)
    first = views.box.results()[0]
    assert (first.kind, first.place_id, first.snippet) == ("place", "saint-petersburg", "also Petrograd")
    assert views.box.popup.isVisible() and views.box.current_row() == 0
    with qtbot.assertNotEmitted(views.state.passageRequested):
        QTest.keyClick(views.box.field, Qt.Key.Key_Return)
    assert views.state.selected_place == "saint-petersburg" and views.state.day == first.day
    assert not views.box.popup.isVisible()


def test_down_and_up_move_in_the_list_and_escape_closes_it(qtbot: Any, views: Views) -> None:
    type_query(qtbot, views, "moscow")
    hits = views.box.results()
    assert [hit.place_id for hit in hits[:2]] == ["moscow", "moscow-prison"]
    QTest.keyClick(views.box.field, Qt.Key.Key_Down)
    QTest.keyClick(views.box.field, Qt.Key.Key_Down)
    QTest.keyClick(views.box.field, Qt.Key.Key_Up)
    assert views.box.current_row() == 1
    QTest.keyClick(views.box.field, Qt.Key.Key_Escape)
    assert not views.box.popup.isVisible() and views.state.selected_place == ""
    # Down opens it again where it was, Enter chooses that row
    QTest.keyClick(views.box.field, Qt.Key.Key_Down)
    assert views.box.popup.isVisible() and views.box.current_row() == 1
    QTest.keyClick(views.box.field, Qt.Key.Key_Enter)
    assert views.state.selected_place == hits[1].place_id and views.state.day == hits[1].day


def test_enter_right_after_typing_chooses_what_was_typed(qtbot: Any, views: Views) -> None:
    focus(qtbot, views.box.field)
    qtbot.keyClicks(views.box.field, "buyukada")
    QTest.keyClick(views.box.field, Qt.Key.Key_Return)  # before the pause is over
    assert views.state.selected_place == "buyukada"


def test_a_phrase_selects_its_place_and_asks_for_its_passage(qtbot: Any, views: Views, bundled: Dataset) -> None:
    type_query(qtbot, views, "Vyse Avenue")
    hits = views.box.results()
    row = next(index for index, hit in enumerate(hits) if hit.kind == "text")
    for _ in range(row):
        QTest.keyClick(views.box.field, Qt.Key.Key_Down)
    hit = hits[row]
    with qtbot.waitSignal(views.state.passageRequested, timeout=5_000) as passage:
        QTest.keyClick(views.box.field, Qt.Key.Key_Return)
    source, offset = passage.args
    assert (source, offset) == (hit.source_id, hit.offset)
    assert fold(bundled.sources[source].text[offset : offset + len("Vyse Avenue")]) == "vyse avenue"
    assert views.state.selected_place == "the-bronx" and views.state.day == hit.day


def test_a_click_chooses_a_result(qtbot: Any, views: Views) -> None:
    type_query(qtbot, views, "coyoacan")  # (QTest types ASCII only)
    listing = views.box.popup.list
    row = 1
    wanted = views.box.results()[row]
    rect = listing.visualItemRect(listing.item(row))
    QTest.mouseClick(listing.viewport(), Qt.MouseButton.LeftButton, Qt.KeyboardModifier.NoModifier, rect.center())
    assert views.state.selected_place == wanted.place_id and not views.box.popup.isVisible()


def test_focus_search_selects_the_text_so_typing_replaces_it(qtbot: Any, views: Views) -> None:
    type_query(qtbot, views, "Paris")
    views.box.focus_search()
    assert views.box.field.hasFocus() and views.box.field.selectedText() == "Paris"
    assert views.box.field.placeholderText() == "Search places and texts (Ctrl+F)"
    assert views.box.field.isClearButtonEnabled()


def test_the_place_list_sorts_by_the_real_first_day_and_by_name(qtbot: Any, views: Views, bundled: Dataset) -> None:
    places = views.places
    ids = places.place_ids()
    assert ids[0] == "yanovka" and len(ids) == len(bundled.places)
    days = [first_day(bundled, place) for place in map(bundled.place, ids) if place is not None]
    assert days == sorted(days, key=lambda day: day if day is not None else 10**9)
    header = places.view.header()
    click_at = QPoint(header.sectionViewportPosition(PLACE_COLUMN) + 10, header.height() // 2)
    QTest.mouseClick(header.viewport(), Qt.MouseButton.LeftButton, Qt.KeyboardModifier.NoModifier, click_at)
    names = [fold(bundled.place(place_id).name) for place_id in places.place_ids()]  # type: ignore[union-attr]
    assert names in (sorted(names), sorted(names, reverse=True))
    places.view.sortByColumn(FIRST_VISIT_COLUMN, Qt.SortOrder.AscendingOrder)
    assert places.place_ids() == ids


def test_arrow_keys_select_in_the_state_and_enter_moves_the_date(qtbot: Any, views: Views, bundled: Dataset) -> None:
    places, state = views.places, views.state
    state.select_place("yanovka")
    assert places.selected_id() == "yanovka"
    focus(qtbot, places.view)
    day = state.day
    QTest.keyClick(places.view, Qt.Key.Key_Down)
    second = places.place_ids()[1]
    assert state.selected_place == second and state.day == day  # the date stays on arrow keys
    QTest.keyClick(places.view, Qt.Key.Key_Return)
    assert state.day == first_day(bundled, bundled.place(second))  # type: ignore[arg-type]


def test_the_place_list_follows_the_state_without_echo(qtbot: Any, views: Views) -> None:
    changes: list[str] = []
    views.state.selectedPlaceChanged.connect(changes.append)
    views.state.select_place("buyukada")
    assert views.places.selected_id() == "buyukada" and changes == ["buyukada"]
    current = views.places.view.currentIndex()
    assert views.places.view.visualRect(current).intersects(views.places.view.viewport().rect())
    views.state.select_place("")
    assert views.places.selected_id() == "" and changes == ["buyukada", ""]


def test_hostile_names_show_as_text(qtbot: Any, tmp_path: Path) -> None:
    document = make_document()
    document["places"][0]["name"] = HOSTILE
    document["places"][0]["names"] = []
    dataset = load_dataset(write_dataset(tmp_path, document))
    views = make_views(qtbot, dataset)
    try:
        type_query(qtbot, views, "script")
        hit = views.box.results()[0]
        assert hit.title == HOSTILE
        item = views.box.popup.list.item(0)
        assert HOSTILE in item.data(Qt.ItemDataRole.AccessibleTextRole) == hit_text(hit)
        model = views.places.proxy
        shown = [model.index(row, PLACE_COLUMN).data() for row in range(model.rowCount())]
        assert HOSTILE in shown
    finally:
        views.box.popup.hide()
