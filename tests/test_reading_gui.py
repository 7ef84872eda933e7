"""A large dataset is read after the window opens: the window answers at once, the map page loads
meanwhile and fills in when the data is ready; problems are shown where the map would be."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest

from app.cli import BACKGROUND_FROM_BYTES, reads_in_background
from geodata.loader import load_dataset
from tests.benchmarks.synthetic import write_synthetic_dataset
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
    assert not window.time_bar.isEnabled()
    with qtbot.waitSignal(window.map_view.ready, timeout=30_000):
        pass
    qtbot.waitUntil(lambda: window.map_view.shown_year == 1895, timeout=10_000)
    assert not window.reading and window.time_bar.isEnabled()
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
    # the keys still move the (empty) date, but the report stays where it is
    for name in ("step_forward", "last_day", "next_year"):
        window.actions_by_name[name].trigger()
    assert "places[1].lat" in window.panel.toPlainText()


@pytest.fixture
def held_read(monkeypatch: pytest.MonkeyPatch) -> Any:
    """Holds every background read before its dataset is prepared, until ``.set()`` is called."""
    import threading

    import app.widgets.dataset_opener as opener

    gate = threading.Event()
    real = opener.prepare

    def prepare_when_released(*args: Any, **kwargs: Any) -> Any:
        assert gate.wait(20)
        return real(*args, **kwargs)

    monkeypatch.setattr(opener, "prepare", prepare_when_released)
    yield gate
    gate.set()


def test_nothing_needs_a_dataset_while_the_first_is_read(
    qtbot: Any, make_window: Any, mini_path: Path, held_read: Any, monkeypatch: pytest.MonkeyPatch
) -> None:
    from PySide6.QtWidgets import QMessageBox

    window = make_window(mini_path, wait=None)
    shown: list[str] = []
    monkeypatch.setattr(QMessageBox, "information", lambda _parent, _title, text: shown.append(text))
    window._show_credits()
    assert shown and "reading mini.json" in shown[0]
    assert not window._export_action.isEnabled() and not window.data_menu.isEnabled()
    assert window.windowTitle() == "reading mini.json… · Life map"
    with qtbot.waitSignal(window.map_view.ready, timeout=30_000):
        held_read.set()
    assert window._export_action.isEnabled() and window.data_menu.isEnabled()


def test_a_reload_while_the_data_is_awaited_is_answered_once(
    qtbot: Any, make_window: Any, mini_path: Path, held_read: Any
) -> None:
    from app.page import assets

    window = make_window(mini_path, wait=None)
    waiting = window.map_view._handler._waiting
    qtbot.waitUntil(lambda: len(waiting.get(assets.DATASET, [])) == 1, timeout=20_000)
    first = waiting[assets.DATASET][0]
    window.map_view.load_page()  # cancels the page's request for the data; the new page asks again
    qtbot.waitUntil(lambda: [job is first for job in waiting.get(assets.DATASET, [])] == [False], timeout=20_000)
    with qtbot.waitSignal(window.map_view.ready, timeout=30_000):
        held_read.set()
    qtbot.waitUntil(lambda: window.map_view.shown_year == window.state.year, timeout=10_000)
    assert assets.DATASET not in waiting


def test_another_file_opened_during_the_first_read_wins(
    qtbot: Any, make_window: Any, mini_path: Path, tmp_path: Path
) -> None:
    other_folder = tmp_path / "other"
    other_folder.mkdir()
    other = write_dataset(other_folder, make_document(title="Other"))
    window = make_window(mini_path, year=1895, place="betatown", wait=None)
    window.open_dataset(other)  # before the first read is delivered
    with qtbot.waitSignal(window.map_view.ready, timeout=30_000):
        pass
    assert window.dataset.path == other
    assert window.state.selected_place == ""  # the command line's --place was for the first file
    assert window.time_bar.isEnabled() and window._export_action.isEnabled()
    assert "no place" not in window.statusBar().currentMessage()


def test_a_version_1_title_with_its_years_is_not_given_them_twice(make_window: Any, tmp_path: Path) -> None:
    window = make_window(load_dataset(write_dataset(tmp_path, make_document(title="Someone, 1880–1900"))))
    assert window.windowTitle() == "Someone, 1880–1900 · Life map"


def test_a_large_life_gets_its_timeline_after_the_map(qtbot: Any, tmp_path: Path, make_window: Any) -> None:
    """Beyond ``QUICK_TIMELINE_STAYS`` the timeline is made in the background once the map has drawn
    (the start does not wait for it); a small life has it at once."""
    from app.widgets.dataset_opener import QUICK_TIMELINE_STAYS

    dataset = load_dataset(write_synthetic_dataset(tmp_path, 1500))
    assert len(dataset.stays) > QUICK_TIMELINE_STAYS
    window = make_window(dataset, year=1905, wait=None)
    assert window.timeline.bar_count == 0
    with qtbot.waitSignal(window.timeline._built, timeout=30_000):
        pass
    assert window.timeline.bar_count == len(dataset.stays)
    small = make_window(year=1917)
    assert small.timeline.bar_count == len(small.dataset.stays)
