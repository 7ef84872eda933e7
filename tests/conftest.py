"""Shared fixtures. Qt is prepared here, before pytest-qt creates the QApplication: offscreen
platform, Chromium flags, the app's URL scheme (which must be registered before the application
exists) and software rendering.

GUI tests fail on any Qt warning (``qt_log_level_fail``) and on any JavaScript console error.
"""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
import shiboken6

from app.environment import HARMLESS_QT_MESSAGES, prepare_qt_environment, use_software_rendering

prepare_qt_environment(offscreen=True)

from app.scheme import register_scheme  # noqa: E402  (after the environment is prepared)

register_scheme()
use_software_rendering()

from geodata.loader import BUNDLED_DATASET, load_dataset  # noqa: E402
from geodata.model import Dataset  # noqa: E402
from tests.datasets import make_document, write_dataset  # noqa: E402


def pytest_collection_modifyitems(items: list[pytest.Item]) -> None:
    """Offscreen Qt says it has no GPU and no window manager; those lines are not failures."""
    for item in items:
        item.add_marker(pytest.mark.qt_log_ignore(*(message + ".*" for message in HARMLESS_QT_MESSAGES)))


@pytest.fixture(scope="session")
def bundled() -> Dataset:
    return load_dataset(BUNDLED_DATASET)


@pytest.fixture(scope="session")
def page_html() -> str:
    """The folium page, built once per session (folium is slow to import and render)."""
    from app.page_builder import build_page

    return build_page()


@pytest.fixture
def mini_path(tmp_path: Path) -> Path:
    return write_dataset(tmp_path, make_document())


@pytest.fixture
def mini(mini_path: Path) -> Dataset:
    return load_dataset(mini_path)


@pytest.fixture
def window(qtbot: Any, bundled: Dataset, page_html: str) -> Iterator[Any]:
    """The main window with the bundled dataset, its map ready; fails the test on a JS error."""
    from app.main_window import MainWindow

    win = MainWindow(bundled, page_html, year=1917)
    qtbot.addWidget(win)
    errors: list[str] = []
    win.map_view.map_page.javaScriptError.connect(errors.append)
    win.test_js_errors = errors
    win.show()
    with qtbot.waitSignal(win.map_view.ready, timeout=30_000):
        win.start_map()
    qtbot.waitUntil(lambda: win.map_view.shown_year == 1917, timeout=10_000)
    yield win
    close_and_delete(win)
    assert not errors, f"JavaScript errors: {errors}"


def close_and_delete(win: Any) -> None:
    """Close a window and run its deferred deletion now, so its web page goes before Qt's profiles."""
    from PySide6.QtCore import QCoreApplication, QEvent

    if shiboken6.isValid(win):
        win.close()
    QCoreApplication.sendPostedEvents(None, QEvent.Type.DeferredDelete)
