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
