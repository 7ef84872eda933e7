"""The time controls behave: keys work wherever the focus is, Space and Enter press the focused
button, the slider jumps to a click and steps a unit per wheel notch, the go-to-date field takes
what people type, play skips quiet stretches, and the panel opens at the date's stay. Each case
that was found broken has its test here."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest
from PySide6.QtCore import QPoint, QPointF, Qt
from PySide6.QtGui import QWheelEvent
from PySide6.QtTest import QTest
from PySide6.QtWidgets import QApplication

from app.page.protocol import PageFunction
from app.widgets.state import Unit
from geodata.dates import day_number
from tests.gui_helpers import describe, page_js, run_js

pytestmark = pytest.mark.gui


def iso(window: Any) -> str:
    return str(window.state.date.isoformat())


def focus(qtbot: Any, widget: Any) -> None:
    widget.window().activateWindow()
    widget.setFocus(Qt.FocusReason.OtherFocusReason)
    qtbot.waitUntil(lambda: QApplication.focusWidget() is widget, timeout=5_000)


def test_arrow_keys_move_the_date_after_a_speed_was_chosen(qtbot: Any, window: Any) -> None:
    bar = window.time_bar
    window.state.set_date(dt.date(1917, 4, 15))
    focus(qtbot, bar.speed)
    bar.speed.setCurrentIndex(2)
    bar.speed.activated.emit(2)  # what a choice with the mouse sends: the focus goes back
    focused = QApplication.focusWidget()
    assert focused is not None and focused is not bar.speed
    QTest.keyClick(focused, Qt.Key.Key_Right)
    assert iso(window) == "1917-05-15" and bar.speed.currentIndex() == 2
    # and with the box still focused, the arrows are the window's, not the box's
    focus(qtbot, bar.speed)
    QTest.keyClick(bar.speed, Qt.Key.Key_Left)
    assert iso(window) == "1917-04-15" and bar.speed.currentIndex() == 2
    QTest.keyClick(bar.speed, Qt.Key.Key_Home)
    assert iso(window) == "1879-01-01" and bar.speed.currentIndex() == 2


def test_space_and_enter_press_the_focused_button_instead_of_playing(qtbot: Any, window: Any) -> None:
    bar = window.time_bar
    window.state.set_date(dt.date(1917, 4, 15))
    focus(qtbot, bar.step_forward)
    QTest.keyClick(bar.step_forward, Qt.Key.Key_Space)
    assert iso(window) == "1917-05-15" and not bar.playing
    QTest.keyClick(bar.step_forward, Qt.Key.Key_Return)
    assert iso(window) == "1917-06-15" and not bar.playing
    focus(qtbot, bar.follow)
    QTest.keyClick(bar.follow, Qt.Key.Key_Space)
    assert window.state.follow is False and not bar.playing
    QTest.keyClick(bar.follow, Qt.Key.Key_Enter)
    assert window.state.follow is True
    # elsewhere Space plays and pauses
    focus(qtbot, bar.slider)
    QTest.keyClick(bar.slider, Qt.Key.Key_Space)
    assert bar.playing
    QTest.keyClick(bar.slider, Qt.Key.Key_Space)
    assert not bar.playing


def test_arrow_keys_move_the_date_after_a_click_on_the_map(qtbot: Any, window: Any) -> None:
    window.state.set_date(dt.date(1917, 4, 15))
    qtbot.waitUntil(lambda: window.map_view.shown_day == window.state.day, timeout=5_000)
    target = window.map_view.focusProxy() or window.map_view
    QTest.mouseClick(target, Qt.MouseButton.LeftButton, Qt.KeyboardModifier.NoModifier, QPoint(200, 200))
    qtbot.waitUntil(lambda: QApplication.focusWidget() is target, timeout=5_000)
    view = describe(qtbot, window.map_view)["view"]
    window.state.set_follow(False)
    QTest.keyClick(target, Qt.Key.Key_Right)
    assert iso(window) == "1917-05-15"
    qtbot.waitUntil(lambda: window.map_view.shown_day == window.state.day, timeout=5_000)
    assert describe(qtbot, window.map_view)["view"] == view  # the map did not pan


def test_the_map_keeps_its_zoom_keys(qtbot: Any, window: Any) -> None:
    target = window.map_view.focusProxy() or window.map_view
    QTest.mouseClick(target, Qt.MouseButton.LeftButton, Qt.KeyboardModifier.NoModifier, QPoint(200, 200))
    zoom = describe(qtbot, window.map_view)["zoom"]
    QTest.keyClick(target, Qt.Key.Key_Plus)
    qtbot.waitUntil(lambda: describe(qtbot, window.map_view)["zoom"] == zoom + 1, timeout=5_000)


def test_a_click_on_the_slider_goes_where_it_was_clicked(qtbot: Any, window: Any) -> None:
    slider = window.time_bar.slider
    first, last = window.state.day_bounds
    QTest.mouseClick(slider, Qt.MouseButton.LeftButton, Qt.KeyboardModifier.NoModifier, QPoint(slider.width() // 2, 8))
    middle = (first + last) / 2
    assert abs(window.state.day - middle) < (last - first) * 0.05  # not five years on: where it was clicked


def test_a_wheel_notch_is_one_step(qtbot: Any, window: Any) -> None:
    slider = window.time_bar.slider
    window.state.set_date(dt.date(1917, 4, 15))

    def notch(delta: int) -> None:
        centre = QPointF(slider.width() / 2, slider.height() / 2)
        event = QWheelEvent(
            centre,
            slider.mapToGlobal(centre),
            QPoint(),
            QPoint(0, delta),
            Qt.MouseButton.NoButton,
            Qt.KeyboardModifier.NoModifier,
            Qt.ScrollPhase.NoScrollPhase,
            False,
        )
        QApplication.sendEvent(slider, event)

    notch(120)
    assert iso(window) == "1917-05-15"
    notch(-120)
    notch(-60)  # half a notch (a touchpad) moves nothing yet
    assert iso(window) == "1917-04-15"
    window.time_bar.set_unit(Unit.YEAR)
    notch(-60)
    assert iso(window) == "1916-04-15"


def test_the_slider_labels_its_years(window: Any) -> None:
    slider = window.time_bar.slider
    assert slider.year_step() in (5, 10, 20)  # 62 years over a few hundred pixels
    image = slider.grab().toImage()
    assert image.height() >= slider.sizeHint().height()


@pytest.mark.parametrize(
    ("typed", "meant"),
    [
        ("1917-10-25", "1917-10-25"),
        ("25 October 1917", "1917-10-25"),
        ("Oct 1917", "1917-10-31"),
        ("1917", "1917-12-31"),
    ],
)
def test_the_go_to_date_field_takes_what_people_type(window: Any, typed: str, meant: str) -> None:
    bar = window.time_bar
    bar.go_to.setText(typed)
    QTest.keyClick(bar.go_to, Qt.Key.Key_Return)
    assert iso(window) == meant and not bar.entry_is_bad


@pytest.mark.parametrize("typed", ["Octember 1917", "31 April 1917", "1870", "tomorrow", ""])
def test_a_bad_date_is_shown_as_bad_and_nothing_moves(window: Any, typed: str) -> None:
    bar = window.time_bar
    before = iso(window)
    bar.go_to.setText(typed)
    QTest.keyClick(bar.go_to, Qt.Key.Key_Return)
    assert iso(window) == before and bar.entry_is_bad and bar.go_to.toolTip()
    QTest.keyClicks(bar.go_to, "x")  # typing again clears the mark
    assert not bar.entry_is_bad


def test_keys_typed_in_the_date_field_stay_there(qtbot: Any, window: Any) -> None:
    bar = window.time_bar
    focus(qtbot, bar.go_to)
    before = iso(window)
    QTest.keyClicks(bar.go_to, "1917 10")
    for key in (Qt.Key.Key_Left, Qt.Key.Key_Home, Qt.Key.Key_End, Qt.Key.Key_Space):
        QTest.keyClick(bar.go_to, key)
    assert iso(window) == before and not bar.playing


def test_play_skips_stretches_where_nothing_changes(window: Any) -> None:
    bar = window.time_bar
    start = day_number(dt.date(1880, 1, 1))  # Yanovka, with nothing new until 1888
    assert bar.next_play_day(start) > day_number(dt.date(1887, 12, 1))
    bar.skip.setChecked(False)
    assert bar.next_play_day(start) == day_number(dt.date(1880, 2, 1))


def test_selecting_petrograd_in_october_1917_opens_the_panel_at_october(qtbot: Any, window: Any, bundled: Any) -> None:
    window.panel.resize(380, 300)
    window.state.set_date(dt.date(1917, 10, 25))
    window.state.select_place("saint-petersburg")
    place = bundled.place("saint-petersburg")
    marked = window.panel.property("markedStays")
    assert [str(place.stays[index].start) for index in marked] == ["1917-09-16"]
    qtbot.waitUntil(lambda: window.panel.verticalScrollBar().value() > 0, timeout=5_000)  # scrolled down to it
    # a date between two stays marks the nearest one
    window.state.set_date(dt.date(1911, 6, 1))
    assert len(window.panel.property("markedStays")) == 1


def test_a_date_change_reaches_the_map(qtbot: Any, window: Any) -> None:
    window.state.set_date(dt.date(1917, 4, 15))
    qtbot.waitUntil(lambda: window.map_view.shown_day == window.state.day, timeout=5_000)
    shown = describe(qtbot, window.map_view)
    assert shown["current"] == "amherst" and "halifax" in shown["past"]  # intercepted there in March
    assert "saint-petersburg" not in shown["active"]  # Petrograd from 4 May: not yet
    point = run_js(qtbot, window.map_view, page_js(PageFunction.MARKER_POINT, "brest-litovsk"))
    assert '"shown": false' in point.replace(":false", ": false")  # December 1917: not drawn yet
