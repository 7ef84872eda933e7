"""A large dataset is read after the window opens: the window answers at once, the map page loads
meanwhile and fills in when the data is ready; problems are shown where the map would be."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest

from app.cli import BACKGROUND_FROM_BYTES, reads_in_background
from tests.datasets import make_document, write_dataset
from tests.gui_helpers import describe

pytestmark = pytest.mark.gui


def test_only_large_files_are_read_behind_the_window(tmp_path: Path, mini_path: Path) -> None:
    assert not reads_in_background(mini_path)
    assert not reads_in_background(tmp_path / "missing.json")
    large = tmp_path / "large.json"
    with large.open("wb") as out:
        out.truncate(BACKGROUND_FROM_BYTES)
    assert reads_in_background(large)


def test_the_window_opens_first_and_fills_in(qtbot: Any, make_window: Any, mini_path: Path) -> None:
    window = make_window(mini_path, year=1895, place="betatown", wait=None)
    assert window.reading
    assert "Reading" in window.panel.toPlainText()
    assert not window.year_bar.isEnabled()
    with qtbot.waitSignal(window.map_view.ready, timeout=30_000):
        pass
    qtbot.waitUntil(lambda: window.map_view.shown_year == 1895, timeout=10_000)
    assert not window.reading and window.year_bar.isEnabled()
    assert window.state.bounds == (1880, 1900)
    assert window.state.selected_place == "betatown"
    assert window.panel.property("placeId") == "betatown"
    shown = describe(qtbot, window.map_view)
    assert shown["selected"] == "betatown" and "betatown" in shown["active"]
    assert window.windowTitle().startswith("Mini, 1880–1900")


def test_what_does_not_fit_is_said_once_read(qtbot: Any, make_window: Any, mini_path: Path) -> None:
    window = make_window(mini_path, year=1700, place="nowhere", wait=None)
    with qtbot.waitSignal(window.map_view.ready, timeout=30_000):
        pass
    assert window.state.year == 1880
    message = window.statusBar().currentMessage()
    assert "1700 is outside 1880–1900" in message and "no place 'nowhere'" in message


def test_a_broken_file_is_shown_where_the_map_would_be(qtbot: Any, make_window: Any, tmp_path: Path) -> None:
    document = make_document()
    document["places"][1]["lat"] = 95
    path = write_dataset(tmp_path, document)
    window = make_window(path, wait=None)
    with qtbot.waitSignal(window.opener.failed, timeout=30_000):
        pass
    assert window.map_stack.currentWidget() is window.map_error
    assert "places[1].lat: 95 is outside" in window.map_error.text()
    assert "places[1].lat" in window.panel.toPlainText()
    assert window.statusBar().currentMessage() == f"Cannot open {path}"
