from __future__ import annotations

from typing import Any

import pytest

from app.widgets.state import AppState


def test_emits_only_on_real_change(qtbot: Any) -> None:
    state = AppState(1879, 1940)
    years: list[int] = []
    state.yearChanged.connect(years.append)
    state.set_year(1917)
    state.set_year(1917)
    state.step_year(1)
    assert years == [1917, 1918]
    selected: list[str] = []
    state.selectedPlaceChanged.connect(selected.append)
    state.select_place("vienna")
    state.select_place("vienna")
    state.select_place("")
    assert selected == ["vienna", ""]


def test_year_is_clamped(qtbot: Any) -> None:
    state = AppState(1879, 1940)
    state.set_year(2000)
    assert state.year == 1940
    state.set_year(1000)
    assert state.year == 1879
    state.set_bounds(1890, 1900)
    assert state.year == 1890
    with pytest.raises(ValueError):
        state.set_bounds(1900, 1890)


def test_steps_stop_at_the_ends_of_the_calendar(qtbot: Any) -> None:
    import datetime as dt

    from app.widgets.state import Unit, shifted
    from geodata.dates import day_number, from_day_number

    # back a month from January of year 1 stays in January of year 1 (it wrapped to December)
    assert from_day_number(shifted(day_number(dt.date(1, 1, 15)), Unit.MONTH, -1)) == dt.date(1, 1, 15)
    assert from_day_number(shifted(day_number(dt.date(9999, 12, 15)), Unit.MONTH, 1)) == dt.date(9999, 12, 15)
    assert from_day_number(shifted(day_number(dt.date(1917, 3, 31)), Unit.MONTH, 1)) == dt.date(1917, 4, 30)
    assert from_day_number(shifted(day_number(dt.date(1916, 2, 29)), Unit.YEAR, 1)) == dt.date(1917, 2, 28)
