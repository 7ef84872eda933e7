"""Save a picture of the whole window once the map has drawn the requested year."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING

from PySide6.QtCore import QTimer
from PySide6.QtGui import QImage
from PySide6.QtWidgets import QWidget

if TYPE_CHECKING:
    from app.widgets.main_window import MainWindow

SETTLE_MS = 120
STABLE_LIMIT_MS = 4000


def save_when_stable(widget: QWidget, out: Path, done: Callable[[bool, str], None]) -> None:
    """Grab ``widget`` every ``SETTLE_MS`` until two grabs in a row are identical (or
    ``STABLE_LIMIT_MS`` passed), save the last one to ``out`` and call ``done(ok, message)``.

    Chromium hands its frames to Qt asynchronously, so a page reported painted may not be in the
    widget yet; the benchmark's bare floor (``tests.benchmarks.bare_shot``) settles the same way.
    """
    previous: list[QImage] = []
    waited = 0

    def grab() -> None:
        nonlocal waited
        image = widget.grab().toImage()
        stable = bool(previous) and previous[-1] == image
        previous[:] = [image]
        waited += SETTLE_MS
        if not stable and waited < STABLE_LIMIT_MS:
            QTimer.singleShot(SETTLE_MS, grab)
            return
        if image.isNull() or not image.save(str(out)):
            done(False, f"{out}: the image could not be written")
        else:
            done(True, str(out))

    QTimer.singleShot(SETTLE_MS, grab)


def capture_when_ready(
    window: MainWindow, out: Path, done: Callable[[bool, str], None], timeout_ms: int = 60_000
) -> None:
    """Call ``done(ok, message)`` after saving ``out``, or on failure or timeout.

    Waits for the page's own "ready" and for the year to be painted (confirmed from a
    requestAnimationFrame callback), then saves the window once it is stable (:func:`save_when_stable`).
    """
    finished = False

    def finish(ok: bool, message: str) -> None:
        nonlocal finished
        if finished:
            return
        finished = True
        timer.stop()
        done(ok, message)

    def on_painted(day: int) -> None:
        if day == window.state.day and not finished:
            # the borders of the date arrive after the first paint: a grab before shows bare land
            window.map_view.when_complete(lambda: save_when_stable(window, out, finish))

    timer = QTimer(window)
    timer.setSingleShot(True)
    timer.timeout.connect(lambda: finish(False, f"the map was not ready after {timeout_ms / 1000:.0f} s"))
    timer.start(timeout_ms)
    window.map_view.dayPainted.connect(on_painted)
    window.map_view.failed.connect(lambda message: finish(False, message))
    window.opener.failed.connect(lambda _path, report: finish(False, report))
