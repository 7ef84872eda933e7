"""Shared fixtures. Qt is prepared here, before pytest-qt creates the QApplication: offscreen
platform, Chromium flags, the app's URL scheme (which must be registered before the application
exists) and software rendering.

Every test fails on any Qt warning (``qt_log_level_fail``), on any Python warning
(``filterwarnings = error``), on any JavaScript console error of a window it made, and on any
Python log record of WARNING or above that it did not declare with ``@pytest.mark.allow_log``
(or that :data:`IGNORED_LOG_RECORDS` does not list, with its reason).
"""

from __future__ import annotations

import logging
import re
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import pytest
import shiboken6

from app.environment import HARMLESS_QT_MESSAGES, prepare_qt_environment, use_software_rendering

prepare_qt_environment(offscreen=True)

from app.web.scheme import register_scheme  # noqa: E402  (after the environment is prepared)

register_scheme()
use_software_rendering()

from geodata.loader import load_dataset  # noqa: E402
from geodata.model import Dataset  # noqa: E402
from geodata.paths import BUNDLED_DATASET  # noqa: E402
from tests.datasets import make_document, write_dataset  # noqa: E402


def pytest_collection_modifyitems(items: list[pytest.Item]) -> None:
    """Offscreen Qt says it has no GPU and no window manager; those lines are not failures."""
    for item in items:
        item.add_marker(pytest.mark.qt_log_ignore(*(message + ".*" for message in HARMLESS_QT_MESSAGES)))


@pytest.fixture(autouse=True, scope="session")
def settings_in_a_temporary_folder(tmp_path_factory: pytest.TempPathFactory) -> None:
    """No test reads or writes the developer's own settings (QSettings' INI files go here)."""
    from PySide6.QtCore import QSettings

    folder = tmp_path_factory.mktemp("settings")
    QSettings.setPath(QSettings.Format.IniFormat, QSettings.Scope.UserScope, str(folder))


@pytest.fixture(scope="session")
def bundled() -> Dataset:
    return load_dataset(BUNDLED_DATASET)


@pytest.fixture(scope="session")
def page_html() -> str:
    """The folium page, built once per session (folium is slow to import and render)."""
    from app.page.builder import build_page

    return build_page()


@pytest.fixture
def mini_path(tmp_path: Path) -> Path:
    return write_dataset(tmp_path, make_document())


@pytest.fixture
def mini(mini_path: Path) -> Dataset:
    return load_dataset(mini_path)


#: log records of WARNING or above that never fail a test: (logger prefix, message regex, why)
IGNORED_LOG_RECORDS: tuple[tuple[str, str, str], ...] = (
    (
        "app.web.page",
        r"^js: .*(Failed to connect to the bus|GPU|WebGL)",
        "Chromium's own offscreen chatter, not the page's: no D-Bus session and no GPU in CI",
    ),
)


class _RecordCollector(logging.Handler):
    """Keeps every record of WARNING or above that reaches the root logger during one test."""

    def __init__(self) -> None:
        super().__init__(logging.WARNING)
        self.records: list[logging.LogRecord] = []

    def emit(self, record: logging.LogRecord) -> None:
        self.records.append(record)


@pytest.fixture(autouse=True)
def fail_on_unexpected_log_records(request: pytest.FixtureRequest) -> Iterator[None]:
    """A warning or error in the log is a defect unless the test says it expects it."""
    collector = _RecordCollector()
    root = logging.getLogger()
    root.addHandler(collector)
    try:
        yield
    finally:
        root.removeHandler(collector)
    allowed = [(logger, re.compile(pattern)) for logger, pattern, _why in IGNORED_LOG_RECORDS]
    for marker in request.node.iter_markers("allow_log"):
        allowed.append((marker.args[0], re.compile(marker.args[1])))
    unexpected = [
        f"{record.levelname} {record.name}: {record.getMessage()}"
        for record in collector.records
        if not any(
            record.name.startswith(logger) and pattern.search(record.getMessage()) for logger, pattern in allowed
        )
    ]
    if unexpected:
        pytest.fail("unexpected log records:\n" + "\n".join(unexpected), pytrace=False)


WindowFactory = Callable[..., Any]


@pytest.fixture
def make_window(qtbot: Any, bundled: Dataset, page_html: str) -> Iterator[WindowFactory]:
    """Builds main windows and tears them down; every test window is made here.

    ``make_window(dataset=None, year=1917, place="", wait="ready", before_start=None)``: ``wait`` is
    "ready" (the map drew ``year``), "failed" (the page reported a failure) or None (just started).
    ``before_start(window)`` runs before the page loads (e.g. to install a request interceptor).
    Each window's JavaScript errors are in ``window.test_js_errors``; any left there fail the test
    unless ``js_errors_expected``.
    """
    from app.widgets.main_window import MainWindow

    made: list[Any] = []
    checked: set[int] = set()

    def make(
        dataset: Dataset | Path | None = None,
        *,
        year: int | None = 1917,
        place: str = "",
        wait: str | None = "ready",
        before_start: Callable[[Any], None] | None = None,
        js_errors_expected: bool = False,
        settings: Any = None,
    ) -> Any:
        win = MainWindow(dataset or bundled, page_html, year=year, place=place, settings=settings)
        made.append(win)
        errors: list[str] = []
        win.map_view.javaScriptError.connect(errors.append)
        setattr(win, "test_js_errors", errors)  # noqa: B010  (read by the tests)
        if js_errors_expected:  # e.g. a broken script: its errors keep coming after the test looked
            checked.discard(id(win))
        else:
            checked.add(id(win))
        if before_start is not None:
            before_start(win)
        win.show()
        if wait is None:
            win.start_map()
            return win
        signal = win.map_view.ready if wait == "ready" else win.map_view.failed
        with qtbot.waitSignal(signal, timeout=30_000):
            win.start_map()
        if wait == "ready":
            qtbot.waitUntil(lambda: win.map_view.shown_year == win.state.year, timeout=10_000)
        return win

    yield make
    leftover = [error for win in made if id(win) in checked for error in win.test_js_errors]
    for win in made:
        close_and_delete(win)
    assert not leftover, f"JavaScript errors: {leftover}"


@pytest.fixture
def window(make_window: WindowFactory) -> Any:
    """The main window with the bundled dataset at 1917, its map ready."""
    return make_window()


def close_and_delete(win: Any) -> None:
    """Close a window and run its deferred deletion now, so its web page goes before Qt's profiles."""
    from PySide6.QtCore import QCoreApplication, QEvent

    if shiboken6.isValid(win):
        win.close()
    QCoreApplication.sendPostedEvents(None, QEvent.Type.DeferredDelete)
