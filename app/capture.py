"""Save a picture of the whole window once the map has drawn the requested year."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

from PySide6.QtCore import QTimer
from PySide6.QtGui import QImage

from app.widgets.main_window import MainWindow

SETTLE_MS = 120
STABLE_LIMIT_MS = 4000


def capture_when_ready(
    window: MainWindow, out: Path, done: Callable[[bool, str], None], timeout_ms: int = 60_000
) -> None:
    """Call ``done(ok, message)`` after saving ``out``, or on failure or timeout.

    Waits for the page's own "ready" and for the year to be painted (confirmed from a
    requestAnimationFrame callback). Chromium hands the frame to Qt asynchronously, so the window is
    then grabbed every ``SETTLE_MS`` until two grabs in a row are identical (or ``STABLE_LIMIT_MS``).
    """
    finished = False
    previous: list[QImage] = []
    waited = 0

    def finish(ok: bool, message: str) -> None:
        nonlocal finished
        if finished:
            return
        finished = True
        timer.stop()
        done(ok, message)

    def grab() -> None:
        nonlocal waited
        image = window.grab().toImage()
        stable = bool(previous) and previous[-1] == image
        previous[:] = [image]
        waited += SETTLE_MS
        if not stable and waited < STABLE_LIMIT_MS:
            QTimer.singleShot(SETTLE_MS, grab)
            return
        if image.isNull() or not image.save(str(out)):
            finish(False, f"{out}: the image could not be written")
        else:
            finish(True, str(out))

    def on_painted(year: int) -> None:
        if year == window.state.year:
            QTimer.singleShot(SETTLE_MS, grab)

    timer = QTimer(window)
    timer.setSingleShot(True)
    timer.timeout.connect(lambda: finish(False, f"the map was not ready after {timeout_ms / 1000:.0f} s"))
    timer.start(timeout_ms)
    window.map_view.yearPainted.connect(on_painted)
    window.map_view.failed.connect(lambda message: finish(False, message))
    window.opener.failed.connect(lambda _path, report: finish(False, report))
