"""The window remembers: size and splitter, year, selection, follow and the datasets opened; bad
settings never stop it. QSettings points at a temporary folder for every test (conftest)."""

from __future__ import annotations

import os
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from app.widgets.settings import Settings
from tests.conftest import close_and_delete

pytestmark = pytest.mark.gui
ROOT = Path(__file__).resolve().parent.parent


@pytest.fixture
def settings() -> Iterator[Settings]:
    fresh = Settings()
    fresh.reset()
    yield fresh
    fresh.reset()


def test_the_window_comes_back_as_it_was_left(qtbot: Any, make_window: Any, settings: Settings) -> None:
    first = make_window(settings=settings)
    first.state.set_year(1929)
    first.state.select_place("buyukada")
    first.state.set_follow(False)
    # a size that fits the (offscreen) screen, which restoring a geometry respects
    screen = first.screen().availableGeometry()
    first.resize(max(first.minimumSizeHint().width(), screen.width() - 10), screen.height() - 40)
    size = (first.width(), first.height())
    first.splitter.setSizes([first.splitter.width() - 320, 320])
    sizes = first.splitter.sizes()
    close_and_delete(first)  # closing saves
    again = make_window(year=None, settings=Settings())
    assert again.state.year == 1929
    assert again.state.selected_place == "buyukada"
    assert again.state.follow is False
    assert (again.width(), again.height()) == size
    assert again.splitter.sizes() == sizes


def test_the_command_lines_year_and_place_win_over_the_settings(make_window: Any, settings: Settings) -> None:
    first = make_window(settings=settings)
    first.state.set_year(1929)
    close_and_delete(first)
    assert make_window(year=1905, settings=Settings()).state.year == 1905


@pytest.mark.allow_log("app.widgets.settings", "^settings: ")
def test_corrupt_settings_are_ignored_and_named_once(make_window: Any, settings: Settings) -> None:
    path = Path(settings.file)
    path.write_text("[view]\nyear=abc\nplace=nowhere\n[window]\ngeometry=not-bytes\n", encoding="utf-8")
    window = make_window(year=None, settings=Settings())
    assert window.state.year == 1879 and window.state.selected_place == ""


@pytest.mark.allow_log("app.widgets.settings", "^settings of version '99'")
def test_settings_of_another_version_are_dropped(make_window: Any, settings: Settings) -> None:
    Path(settings.file).write_text("[General]\nversion=99\n[view]\nyear=1929\n", encoding="utf-8")
    assert make_window(year=None, settings=Settings()).state.year == 1879


@pytest.mark.allow_log("app.widgets.main_window", "^the saved window position is off every screen")
def test_a_window_off_every_screen_comes_back_on_one(make_window: Any, settings: Settings) -> None:
    from PySide6.QtGui import QGuiApplication

    first = make_window(settings=settings)
    first.move(40_000, 40_000)
    close_and_delete(first)
    again = make_window(settings=Settings())
    assert any(screen.availableGeometry().intersects(again.frameGeometry()) for screen in QGuiApplication.screens())


def test_recent_datasets_newest_first_gone_ones_greyed_and_dropped(
    make_window: Any, settings: Settings, mini_path: Path, tmp_path: Path
) -> None:
    gone = tmp_path / "gone.json"
    gone.write_text("{}", encoding="utf-8")
    settings.remember_dataset(gone)
    settings.remember_dataset(mini_path)
    gone.unlink()
    window = make_window(settings=Settings())
    window._fill_recent()
    entries = {action.text(): action for action in window.recent_menu.actions() if action.text()}
    bundled = str(window.dataset.path.resolve())
    assert list(entries) == [bundled, str(mini_path.resolve()), str(gone.resolve()), "Clear"]
    assert not entries[str(gone.resolve())].isEnabled() and entries[str(mini_path.resolve())].isEnabled()
    window._open_recent(gone.resolve())
    assert "is gone; removed from the recent datasets" in window.statusBar().currentMessage()
    assert gone.resolve() not in Settings().recent()
    entries["Clear"].trigger()
    assert Settings().recent() == []


def test_reset_settings_forgets_everything(tmp_path: Path) -> None:
    config = tmp_path / "config"
    ini = config / "trotsky-map" / "trotsky-map.ini"
    ini.parent.mkdir(parents=True)
    ini.write_text("[General]\nversion=1\n[view]\nyear=1929\n", encoding="utf-8")
    env = dict(
        os.environ, XDG_CONFIG_HOME=str(config), QT_QPA_PLATFORM="offscreen", TROTSKY_MAP_CACHE_DIR=str(tmp_path)
    )
    env.pop("DISPLAY", None)
    done = subprocess.run(
        [sys.executable, "-m", "app", "--reset-settings"],
        cwd=tmp_path,
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
        stdin=subprocess.DEVNULL,
    )
    assert done.returncode == 0, done.stderr
    assert "1929" not in ini.read_text(encoding="utf-8")


def test_a_file_read_behind_the_window_comes_back_at_its_date_and_place(
    qtbot: Any, make_window: Any, settings: Settings, bundled: Any
) -> None:
    """A dataset read after the window opens (a large file) starts where it was left too; a window
    closed while it was still reading keeps the date it had before."""
    import datetime as dt

    first = make_window(settings=settings)
    first.state.set_date(dt.date(1917, 4, 15))
    first.state.select_place("halifax")
    close_and_delete(first)
    reading = make_window(bundled.path, year=None, settings=Settings(), wait=None)  # a path: read behind
    assert reading.reading
    close_and_delete(reading)  # closed before the file was read: nothing to remember from it
    again = make_window(bundled.path, year=None, settings=Settings(), wait=None)
    qtbot.waitUntil(lambda: not again.reading, timeout=30_000)
    assert again.state.date == dt.date(1917, 4, 15)
    assert again.state.selected_place == "halifax"
