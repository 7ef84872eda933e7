"""The life timeline: a plain QPainter widget, tested offscreen without QtWebEngine.

Bars, chapters, the density strip and the cursor are drawn; clicks, drags, the wheel and
double-clicks reach the state; the selection is highlighted; a date change repaints without
redrawing the bars; a synthetic life of 10,000 places draws and answers clicks.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import itertools
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from PySide6.QtCore import QEvent, QPoint, QPointF, Qt
from PySide6.QtGui import QColor, QImage, QKeyEvent, QMouseEvent, QWheelEvent
from PySide6.QtTest import QTest
from PySide6.QtWidgets import QApplication

from app.widgets.state import AppState
from app.widgets.timeline import CURSOR, SELECTED_FILL, STATED_FILL, LifeTimeline
from geodata.dates import day_number
from geodata.loader import load_dataset
from geodata.model import Dataset
from geodata.queries import JourneyLeg, day_bounds, journey, year_bounds
from geodata.schema import STAY_KINDS
from geodata.wording import format_span
from tests.benchmarks.synthetic import write_synthetic_dataset

pytestmark = pytest.mark.gui

WIDTH, HEIGHT = 1280, 160
APRIL_1917 = day_number(dt.date(1917, 4, 15))


def make_timeline(qtbot: Any, dataset: Dataset, day: int = APRIL_1917) -> tuple[LifeTimeline, AppState]:
    state = AppState(*year_bounds(dataset))
    state.set_day(day)
    widget = LifeTimeline(state, dataset)
    qtbot.addWidget(widget)
    widget.setFixedSize(WIDTH, HEIGHT)
    widget.show()
    qtbot.waitExposed(widget)
    return widget, state


@pytest.fixture
def timeline(qtbot: Any, bundled: Dataset) -> Iterator[tuple[LifeTimeline, AppState]]:
    yield make_timeline(qtbot, bundled)


def render(widget: LifeTimeline) -> QImage:
    image = QImage(widget.size(), QImage.Format.Format_RGB32)
    widget.render(image)
    return image


def colour_at(image: QImage, x: float, y: float) -> str:
    return QColor(image.pixel(int(x), int(y))).name()


def centre(widget: LifeTimeline, leg: JourneyLeg) -> QPointF:
    rect = widget.bar_rect(leg)
    assert rect is not None, f"{leg.place.id} is not drawn"
    return QPointF(rect.center())


def clickable_leg(widget: LifeTimeline, dataset: Dataset, kind: str = "") -> JourneyLeg:
    """A leg whose bar answers a click at its first day: the first pixel after its start."""
    for leg in journey(dataset):
        if kind and leg.stay.kind != kind:
            continue
        rect = widget.bar_rect(leg)
        if rect is None:
            continue
        point = QPointF(widget.x_of(leg.first) + 1, rect.center().y())
        if widget.leg_at(point) is leg:
            return leg
    raise AssertionError("no bar answers a click at its start")


def send_mouse(widget: LifeTimeline, kind: QEvent.Type, point: QPointF, buttons: Qt.MouseButton) -> None:
    button = Qt.MouseButton.NoButton if kind == QEvent.Type.MouseMove else Qt.MouseButton.LeftButton
    event = QMouseEvent(kind, point, widget.mapToGlobal(point), button, buttons, Qt.KeyboardModifier.NoModifier)
    QApplication.sendEvent(widget, event)


def drag(widget: LifeTimeline, start: QPointF, end: QPointF, steps: int = 5) -> None:
    left = Qt.MouseButton.LeftButton
    send_mouse(widget, QEvent.Type.MouseButtonPress, start, left)
    for step in range(1, steps + 1):
        point = start + (end - start) * (step / steps)
        send_mouse(widget, QEvent.Type.MouseMove, point, left)
    send_mouse(widget, QEvent.Type.MouseButtonRelease, end, Qt.MouseButton.NoButton)


def wheel(
    widget: LifeTimeline, point: QPointF, notches: float, modifiers: Any = Qt.KeyboardModifier.NoModifier
) -> None:
    event = QWheelEvent(
        point,
        widget.mapToGlobal(point),
        QPoint(),
        QPoint(0, round(120 * notches)),
        Qt.MouseButton.NoButton,
        modifiers,
        Qt.ScrollPhase.NoScrollPhase,
        False,
    )
    QApplication.sendEvent(widget, event)


def lanes_y(widget: LifeTimeline, lane: int) -> float:
    """The middle of lane ``lane`` (0 is the first kind present)."""
    layout = widget._geometry()
    return layout.lanes_top + (lane + 0.5) * layout.lane_height


# -- what it is -------------------------------------------------------------------------------


def test_accessible_and_reachable_by_tab(timeline: tuple[LifeTimeline, AppState]) -> None:
    widget, _state = timeline
    assert widget.accessibleName() == "Life timeline"
    assert widget.focusPolicy() & Qt.FocusPolicy.TabFocus
    assert widget.minimumSizeHint().height() >= 110
    assert widget.sizeHint().height() >= 140


def test_it_opens_on_the_whole_life(timeline: tuple[LifeTimeline, AppState], bundled: Dataset) -> None:
    widget, state = timeline
    assert widget.visible_days() == state.day_bounds == day_bounds(bundled)
    assert widget.day_at((widget.x_of(APRIL_1917) + widget.x_of(APRIL_1917 + 1)) / 2) == APRIL_1917
    assert widget.x_of(widget.day_at(700.0)) <= 700.0 < widget.x_of(widget.day_at(700.0) + 1)


def test_the_lanes_are_the_kinds_present_in_schema_order(timeline: tuple[LifeTimeline, AppState]) -> None:
    widget, _state = timeline
    kinds = [kind for kind in STAY_KINDS if any(leg.stay.kind == kind for leg in journey(widget._dataset))]
    assert widget._track.labels == [STAY_KINDS[kind] for kind in kinds]
    for leg in journey(widget._dataset)[:10]:
        rect = widget.bar_rect(leg)
        assert rect is not None
        lane = kinds.index(leg.stay.kind)
        layout = widget._geometry()
        assert layout.lanes_top + lane * layout.lane_height - 1 <= rect.top()
        assert rect.bottom() <= layout.lanes_top + (lane + 1) * layout.lane_height + 1


def test_a_paint_is_not_blank_and_shows_the_cursor(timeline: tuple[LifeTimeline, AppState]) -> None:
    widget, state = timeline
    image = render(widget)
    colours = {image.pixel(x, y) for x in range(0, WIDTH, 7) for y in range(0, HEIGHT, 3)}
    assert len(colours) > 8
    lanes = widget._geometry()
    for y in (lanes.lanes_top + 5, (lanes.lanes_top + lanes.lanes_bottom) / 2, lanes.lanes_bottom - 3):
        assert colour_at(image, widget.x_of(state.day), y) == CURSOR.name()
    assert STATED_FILL.name() in {QColor(colour).name() for colour in colours}


def test_one_day_stays_are_visible_ticks(timeline: tuple[LifeTimeline, AppState], bundled: Dataset) -> None:
    widget, _state = timeline
    ticks = [leg for leg in journey(bundled) if leg.first == leg.last]
    assert ticks
    for leg in ticks:
        rect = widget.bar_rect(leg)
        assert rect is not None
        assert rect.width() >= 3


def test_uncertain_stays_look_uncertain(timeline: tuple[LifeTimeline, AppState], bundled: Dataset) -> None:
    widget, _state = timeline
    inferred = next(leg for leg in journey(bundled) if leg.stay.certainty == "inferred" and leg.last - leg.first > 400)
    stated = next(
        leg
        for leg in journey(bundled)
        if leg.stay.certainty == "stated" and leg.stay.start.month and leg.stay.end.month and leg.last - leg.first > 400
    )
    image = render(widget)
    assert colour_at(image, *_inside(widget, stated)) == STATED_FILL.name()
    assert colour_at(image, *_inside(widget, inferred)) != STATED_FILL.name()


def _inside(widget: LifeTimeline, leg: JourneyLeg) -> tuple[float, float]:
    """A point inside a bar, clear of others: the middle of the first day not covered by a shorter one."""
    rect = widget.bar_rect(leg)
    assert rect is not None
    y = rect.center().y()
    for x in range(rect.left() + 3, rect.right() - 2):
        if widget.leg_at(QPointF(x, y)) is leg:
            return float(x), float(y)
    raise AssertionError(f"{leg.place.id} is hidden")


# -- mouse ------------------------------------------------------------------------------------


def test_a_click_on_a_bar_selects_its_place_and_goes_to_its_start(
    qtbot: Any, timeline: tuple[LifeTimeline, AppState], bundled: Dataset
) -> None:
    widget, state = timeline
    leg = clickable_leg(widget, bundled, "exile")
    rect = widget.bar_rect(leg)
    assert rect is not None
    selected: list[str] = []
    state.selectedPlaceChanged.connect(selected.append)
    QTest.mouseClick(widget, Qt.MouseButton.LeftButton, pos=QPoint(int(widget.x_of(leg.first)) + 1, rect.center().y()))
    assert selected == [leg.place.id]
    assert state.day == leg.first


def test_a_click_on_the_background_moves_the_date_there(timeline: tuple[LifeTimeline, AppState]) -> None:
    widget, state = timeline
    y = lanes_y(widget, 0)  # the birth lane: empty after 1879
    x = widget.x_of(day_number(dt.date(1925, 6, 1)))
    assert widget.leg_at(QPointF(x, y)) is None
    QTest.mouseClick(widget, Qt.MouseButton.LeftButton, pos=QPoint(int(x), int(y)))
    assert state.day == widget.day_at(int(x))
    assert state.selected_place == ""


def test_dragging_the_cursor_moves_the_date(timeline: tuple[LifeTimeline, AppState]) -> None:
    widget, state = timeline
    visible = widget.visible_days()
    y = lanes_y(widget, 0)
    start = QPointF(widget.x_of(state.day) + 1, y)
    end = QPointF(widget.x_of(day_number(dt.date(1929, 2, 12))) + 0.5, y)
    days: list[int] = []
    state.dateChanged.connect(days.append)
    drag(widget, start, end)
    assert state.day == widget.day_at(end.x())
    assert from_day(state.day).year == 1929
    assert len(days) >= 3  # it followed the pointer, not just the release
    assert widget.visible_days() == visible  # the view did not pan


def test_dragging_the_background_pans(timeline: tuple[LifeTimeline, AppState]) -> None:
    widget, state = timeline
    widget.zoom(8, state.day)
    before = widget.visible_days()
    day = state.day
    y = lanes_y(widget, 0)
    drag(widget, QPointF(300, y), QPointF(500, y))
    after = widget.visible_days()
    assert after[0] < before[0] and after[1] < before[1]
    assert abs((after[1] - after[0]) - (before[1] - before[0])) <= 1
    assert state.day == day  # a drag is not a click


def test_the_wheel_zooms_around_the_pointer(timeline: tuple[LifeTimeline, AppState]) -> None:
    widget, _state = timeline
    x = 640.5
    for notches in (1, 3, 5, 8, 12, -4):
        day = widget.day_at(x)
        span = widget.visible_days()[1] - widget.visible_days()[0]
        wheel(widget, QPointF(x, lanes_y(widget, 2)), notches)
        assert abs(widget.day_at(x) - day) <= 1
        new_span = widget.visible_days()[1] - widget.visible_days()[0]
        assert new_span < span if notches > 0 else new_span > span


def test_zoom_stops_at_two_weeks_and_at_the_whole_life(timeline: tuple[LifeTimeline, AppState]) -> None:
    widget, state = timeline
    widget.zoom(1e9, state.day)
    first, last = widget.visible_days()
    assert 13 <= last - first <= 15
    assert first <= state.day <= last
    widget.zoom(1e-9, state.day)
    assert widget.visible_days() == state.day_bounds


def test_a_double_click_fits_the_whole_life(qtbot: Any, timeline: tuple[LifeTimeline, AppState]) -> None:
    widget, state = timeline
    widget.zoom(50, state.day)
    assert widget.visible_days() != state.day_bounds
    QTest.mouseDClick(widget, Qt.MouseButton.LeftButton, pos=QPoint(400, int(lanes_y(widget, 0))))
    assert widget.visible_days() == state.day_bounds


def test_shift_wheel_pans(timeline: tuple[LifeTimeline, AppState]) -> None:
    widget, state = timeline
    widget.zoom(10, state.day)
    before = widget.visible_days()
    wheel(widget, QPointF(600, 80), -1, Qt.KeyboardModifier.ShiftModifier)
    assert widget.visible_days()[0] > before[0]


# -- following the state ----------------------------------------------------------------------


def test_the_selected_places_bars_are_highlighted(timeline: tuple[LifeTimeline, AppState], bundled: Dataset) -> None:
    widget, state = timeline
    assert widget.highlighted_legs() == ()
    place = "saint-petersburg"
    legs = tuple(leg for leg in journey(bundled) if leg.place.id == place)
    state.select_place(place)
    assert widget.highlighted_legs() == legs
    image = render(widget)
    stated = [leg for leg in legs if leg.stay.certainty == "stated" and leg.stay.start.month and leg.stay.end.month]
    assert stated
    for leg in stated:
        point = centre(widget, leg)
        assert colour_at(image, point.x(), point.y()) == SELECTED_FILL.name()
    state.select_place("")
    assert widget.highlighted_legs() == ()
    point = centre(widget, stated[0])
    assert colour_at(render(widget), point.x(), point.y()) != SELECTED_FILL.name()


def test_a_date_change_repaints_without_redrawing_the_bars(qtbot: Any, timeline: tuple[LifeTimeline, AppState]) -> None:
    widget, state = timeline
    widget.repaint()
    renders = widget.static_renders
    for month in range(1, 13):
        state.set_day(day_number(dt.date(1920, month, 1)))
        widget.repaint()
    state.select_place("vienna")
    widget.repaint()
    assert widget.static_renders == renders
    image = render(widget)
    assert colour_at(image, widget.x_of(state.day), lanes_y(widget, 1)) == CURSOR.name()
    widget.zoom(2, state.day)
    widget.repaint()
    assert widget.static_renders == renders + 1


def test_new_bounds_refit_the_view(timeline: tuple[LifeTimeline, AppState]) -> None:
    widget, state = timeline
    widget.zoom(20, state.day)
    state.set_bounds(1900, 1920)
    assert widget.visible_days() == state.day_bounds
    assert from_day(widget.visible_days()[0]) == dt.date(1900, 1, 1)


def test_keys_zoom_and_leave_left_and_right_to_the_window(timeline: tuple[LifeTimeline, AppState]) -> None:
    widget, _state = timeline
    whole = widget.visible_days()
    QTest.keyClick(widget, Qt.Key.Key_Plus)
    assert widget.visible_days() != whole
    QTest.keyClick(widget, Qt.Key.Key_0)
    assert widget.visible_days() == whole
    for key in (Qt.Key.Key_Left, Qt.Key.Key_Right):
        event = QKeyEvent(QEvent.Type.KeyPress, key, Qt.KeyboardModifier.NoModifier)
        QApplication.sendEvent(widget, event)
        assert not event.isAccepted()
    assert widget.visible_days() == whole


# -- what it says -----------------------------------------------------------------------------


def test_the_tooltip_names_the_place_the_dates_and_the_kind(
    timeline: tuple[LifeTimeline, AppState], bundled: Dataset
) -> None:
    widget, state = timeline
    widget.zoom(4, day_number(dt.date(1917, 6, 1)))
    leg = next(leg for leg in journey(bundled) if leg.place.id == "saint-petersburg" and leg.stay.start.year == 1917)
    text = widget.tooltip_at(QPointF(*_inside(widget, leg)))
    assert text.splitlines()[0] == leg.place.name_in(1917) == "Petrograd"
    assert format_span(leg.stay) in text
    assert STAY_KINDS[leg.stay.kind] in text
    assert ("(inferred)" in text) == (leg.stay.certainty == "inferred")
    layout = widget._geometry()
    chapter_text = widget.tooltip_at(QPointF(widget.x_of(day_number(dt.date(1917, 6, 1))), layout.chapter_top + 3))
    assert "World War I" in chapter_text or "Commissar" in chapter_text
    density = widget.tooltip_at(QPointF(widget.x_of(state.day), layout.density_top + 2))
    assert density.startswith("April 1917: ") and density.endswith((" stay", " stays"))


def test_chapters_are_bands_in_two_rows(timeline: tuple[LifeTimeline, AppState], bundled: Dataset) -> None:
    widget, _state = timeline
    bands = list(widget._chapter_rects())
    assert len(bands) == len(bundled.chapters)
    assert {row for _chapter, row, _rect, _room in bands} == {0, 1}
    for (_c1, row1, _rect1, _r1), (_c2, row2, _rect2, _r2) in itertools.pairwise(bands):
        assert row1 != row2  # neighbours alternate, so overlapping chapters never share a row
    assert all(rect.width() >= 2 for _c, _r, rect, _room in bands)


def test_a_dataset_without_chapters_draws(qtbot: Any, bundled: Dataset) -> None:
    plain = dataclasses.replace(bundled, chapters=())
    widget, state = make_timeline(qtbot, plain)
    assert list(widget._chapter_rects()) == []
    image = render(widget)
    assert colour_at(image, widget.x_of(state.day), lanes_y(widget, 3)) == CURSOR.name()
    widget.zoom(30, state.day)
    render(widget)
    assert widget.leg_at(QPointF(5, 5)) is None


def test_set_dataset_replaces_the_bars(qtbot: Any, timeline: tuple[LifeTimeline, AppState], mini: Dataset) -> None:
    widget, state = timeline
    widget.zoom(10, state.day)
    state.set_bounds(*year_bounds(mini))
    widget.set_dataset(mini)
    assert widget.visible_days() == state.day_bounds
    leg = journey(mini)[0]
    assert widget.bar_rect(leg) is not None
    render(widget)


def test_lanes_by_place(qtbot: Any, timeline: tuple[LifeTimeline, AppState], bundled: Dataset) -> None:
    widget, state = timeline
    widget.lanes = "place"
    assert widget.lanes == "place"
    rows: dict[str, set[int]] = {}
    for leg in journey(bundled):
        rect = widget.bar_rect(leg)
        assert rect is not None
        rows.setdefault(leg.place.id, set()).add(rect.top())
    assert all(len(tops) == 1 for tops in rows.values())  # a place keeps its row
    leg = clickable_leg(widget, bundled)
    rect = widget.bar_rect(leg)
    assert rect is not None
    QTest.mouseClick(widget, Qt.MouseButton.LeftButton, pos=QPoint(int(widget.x_of(leg.first)) + 1, rect.center().y()))
    assert state.selected_place == leg.place.id
    render(widget)
    with pytest.raises(ValueError):
        widget.lanes = "colour"
    widget.lanes = "kind"
    assert widget.bar_rect(leg) is not None


def test_an_empty_life_draws(qtbot: Any, bundled: Dataset) -> None:
    empty = dataclasses.replace(bundled, places=(), chapters=())
    state = AppState(1879, 1940)
    widget = LifeTimeline(state, empty)
    qtbot.addWidget(widget)
    widget.setFixedSize(WIDTH, HEIGHT)
    widget.show()
    render(widget)
    assert widget.leg_at(QPointF(600, 80)) is None
    assert widget.tooltip_at(QPointF(600, 80)) == ""


# -- a large life -----------------------------------------------------------------------------


@pytest.fixture(scope="module")
def large(tmp_path_factory: pytest.TempPathFactory) -> Dataset:
    folder: Path = tmp_path_factory.mktemp("synthetic")
    return load_dataset(write_synthetic_dataset(folder, 10_000))


def test_ten_thousand_places_draw_and_answer_clicks(qtbot: Any, large: Dataset) -> None:
    widget, state = make_timeline(qtbot, large)
    legs = journey(large)
    assert len(legs) > 15_000
    image = render(widget)
    assert colour_at(image, widget.x_of(state.day), lanes_y(widget, 4)) == CURSOR.name()
    assert STATED_FILL.name() in {colour_at(image, x, lanes_y(widget, 1) + 1) for x in range(200, 1200, 5)}
    for factor in (3, 10, 100, 1000):  # from merged bars at the whole life to single bars
        widget.fit_all()
        widget.zoom(factor, APRIL_1917)
        render(widget)
        leg = clickable_leg(widget, large)
        rect = widget.bar_rect(leg)
        assert rect is not None
        QTest.mouseClick(
            widget, Qt.MouseButton.LeftButton, pos=QPoint(int(widget.x_of(leg.first)) + 1, rect.center().y())
        )
        assert state.selected_place == leg.place.id
        assert state.day == leg.first
        assert widget.highlighted_legs() == tuple(other for other in legs if other.place.id == leg.place.id)


def from_day(day: int) -> dt.date:
    return dt.date.fromordinal(day)
