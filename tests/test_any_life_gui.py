"""Another person's life, in another century, opens like the bundled one: its years drive the
state, the year bar and the window title."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
from PySide6.QtWidgets import QMessageBox

from geodata.loader import load_dataset
from tests.datasets import make_document, write_dataset
from tests.gui_helpers import describe

pytestmark = pytest.mark.gui


def test_a_life_of_the_1700s_opens(
    qtbot: Any, tmp_path: Path, make_window: Any, monkeypatch: pytest.MonkeyPatch
) -> None:
    document = make_document(version=2, person={"name": "Ada Example", "born": "1779-03-01", "died": "1801"})
    for place, years in zip(
        document["places"], (("1780", "1790"), ("1790", "1795"), ("1796", "1800"), ("1799", "1799")), strict=True
    ):
        place["stays"][0]["start"], place["stays"][0]["end"] = years
    del document["places"][0]["names"]
    dataset = load_dataset(write_dataset(tmp_path, document))
    window = make_window(dataset, year=None)
    assert window.state.bounds == (1779, 1801)
    assert window.state.year == 1779
    assert (window.time_bar.slider.minimum(), window.time_bar.slider.maximum()) == window.state.day_bounds
    assert window.state.date.isoformat() == "1779-03-01"  # it opens at the birth
    assert window.windowTitle().startswith("Ada Example, 1779–1801 — Mini")
    shown: list[str] = []
    monkeypatch.setattr(QMessageBox, "information", lambda _parent, _title, text: shown.append(text))
    window._show_credits()
    assert shown[0].startswith("<b>Ada Example, 1779–1801</b>: Mini")
    window.state.set_year(1797)
    qtbot.waitUntil(lambda: window.map_view.shown_year == 1797, timeout=5_000)
    assert describe(qtbot, window.map_view)["active"] == ["gammaburg"]


def test_the_bundled_life_says_whose_it_is_once(window: Any) -> None:
    assert window.windowTitle() == "Leon Trotsky, 1879–1940 · Life map"
