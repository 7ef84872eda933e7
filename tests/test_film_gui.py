"""Films rendered by the real map page (offscreen QtWebEngine): short ones, checked with the encoder
library; the one-minute film of the whole life is the benchmark's (``film_fps``)."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path
from typing import Any

import av
import numpy as np
import pytest

from app.film.plan import FilmSpec
from app.film.render import FilmRenderer
from geodata.dates import day_number, parse_partial_date

pytestmark = pytest.mark.gui

#: the offline basemap's water (resources/web/basemap-layer.js)
WATER = np.array((214, 226, 234))


def day(text: str, last: bool = False) -> int:
    date = parse_partial_date(text)
    return day_number(date.last_day() if last else date.first_day())


def spring_1917(seconds: float = 1.0, fps: int = 10, width: int = 320, height: int = 180) -> FilmSpec:
    """New York, Halifax, Amherst and the way back to Petrograd: long moves, so the camera flies."""
    return FilmSpec(day("1917-03-01"), day("1917-05-31", last=True), seconds, fps, width, height)


def render(qtbot: Any, bundled: Any, spec: FilmSpec, out: Path) -> FilmRenderer:
    renderer = FilmRenderer(bundled, spec, out)
    with qtbot.waitSignal(renderer.finished, timeout=120_000) as finished:
        renderer.start()
    assert finished.args == [str(out)]
    return renderer


def decoded(path: Path) -> tuple[Any, list[np.ndarray]]:
    with av.open(str(path)) as film:
        stream = film.streams.video[0]
        frames = [frame.to_ndarray(format="rgb24") for frame in film.decode(video=0)]
        return (stream.width, stream.height, film.duration / 1e6 if film.duration else None), frames


def land_share(frame: np.ndarray) -> float:
    """How much of the frame's middle is not water (a blank basemap is almost none)."""
    height, width = frame.shape[:2]
    middle = frame[height // 6 : -height // 6, width // 10 : -width // 10].astype(int)
    return float((np.abs(middle - WATER).sum(axis=2) > 30).mean())


def test_a_short_film_has_its_size_frames_and_length_and_moves(qtbot: Any, bundled: Any, tmp_path: Path) -> None:
    out = tmp_path / "spring-1917.mp4"
    render(qtbot, bundled, spring_1917(), out)
    (width, height, duration), frames = decoded(out)
    assert (width, height) == (320, 180) and duration is not None and abs(duration - 1.0) < 0.05
    assert len(frames) == 10
    assert np.abs(frames[0].astype(int) - frames[-1].astype(int)).mean() > 5  # New York, then Petrograd
    assert [path.name for path in tmp_path.iterdir()] == [out.name]


def test_every_frame_has_its_basemap_while_the_camera_zooms(qtbot: Any, bundled: Any, tmp_path: Path) -> None:
    """The whole life's film at 720p, where it flies from Siberia to London (1902–1903): setting
    the view at each new zoom once made the basemap redraw all its tiles, and frames were grabbed
    as a blank sea."""
    from app.film.plan import default_seconds, span_days

    first, last = span_days(bundled, None, None)
    spec = FilmSpec(first, last, default_seconds(bundled, first, last), 30, 1280, 720)
    out = tmp_path / "flight.mp4"
    renderer = FilmRenderer(bundled, spec, out, frames=slice(690, 730))
    with qtbot.waitSignal(renderer.finished, timeout=120_000):
        renderer.start()
    _size, frames = decoded(out)
    assert len(frames) == 40
    shares = [round(land_share(frame), 3) for frame in frames]
    assert min(shares) > 0.1, shares


def test_a_gif_film_loops_in_one_palette(qtbot: Any, bundled: Any, tmp_path: Path) -> None:
    from PIL import Image

    out = tmp_path / "spring-1917.gif"
    render(qtbot, bundled, spring_1917(seconds=0.6, fps=10, width=240, height=136), out)
    with Image.open(out) as image:
        assert image.size == (240, 136) and getattr(image, "n_frames", 1) == 6 and image.info.get("loop") == 0
    _size, frames = decoded(out)
    assert np.abs(frames[0].astype(int) - frames[-1].astype(int)).mean() > 5


def test_a_frame_is_the_films_size_whatever_the_screen_scale(qtbot: Any, bundled: Any, tmp_path: Path) -> None:
    """The view is grabbed at the device pixel ratio; a frame of another size is scaled to the film's."""
    from PySide6.QtGui import QColor, QImage

    renderer = FilmRenderer(bundled, spring_1917(width=320, height=180), tmp_path / "unused.mp4")
    doubled = QImage(640, 360, QImage.Format.Format_RGB32)
    doubled.fill(QColor(214, 226, 234))
    frame = renderer._frame(doubled, 0)
    assert frame.shape == (180, 320, 4)


def test_cancel_leaves_no_file(qtbot: Any, bundled: Any, tmp_path: Path) -> None:
    out = tmp_path / "cancelled.mp4"
    renderer = FilmRenderer(bundled, spring_1917(seconds=3.0), out)
    renderer.progress.connect(lambda done, _total: renderer.cancel() if done == 2 else None)
    with qtbot.waitSignal(renderer.cancelled, timeout=120_000):
        renderer.start()
    assert list(tmp_path.iterdir()) == []


def test_the_command_line_writes_the_film_and_prints_only_its_path(tmp_path: Path) -> None:
    out = tmp_path / "film.mp4"
    done = subprocess.run(
        [
            sys.executable,
            "-m",
            "app",
            "--export-video",
            str(out),
            "--from",
            "1916-12",
            "--to",
            "1917-01",
            "--seconds",
            "1",
            "--fps",
            "8",
            "--size",
            "320x180",
        ],
        capture_output=True,
        text=True,
        encoding="utf-8",
        stdin=subprocess.DEVNULL,
        timeout=180,
        check=False,
    )
    assert done.returncode == 0, done.stderr
    assert done.stdout == f"{out}\n"  # not a terminal: no progress line
    (width, height, duration), frames = decoded(out)
    assert (width, height, len(frames)) == (320, 180, 8) and duration is not None and abs(duration - 1.0) < 0.05


def test_the_dialog_offers_the_dates_chapter_and_checks_typed_dates(qtbot: Any, bundled: Any) -> None:
    from app.widgets.film_dialog import FilmDialog

    dialog = FilmDialog(bundled, day("1917-04-15"), "amherst")
    qtbot.addWidget(dialog)
    assert dialog.span.currentText().startswith("Chapter: ") and "1917" in dialog.span.currentText()
    spec = dialog.spec()
    assert spec.first_day <= day("1917-04-15") <= spec.last_day and spec.place_id == "amherst"
    assert (spec.width, spec.height, spec.fps) == (1280, 720, 30)
    dialog.first.setText("1917-10-25")
    dialog.first.textEdited.emit("1917-10-25")
    dialog.last.setText("Sep 1917")
    dialog.last.textEdited.emit("Sep 1917")
    assert dialog.span.currentText() == "Dates typed below"
    assert not dialog.export_button.isEnabled() and "after the first" in dialog.problem.text()
    dialog.last.setText("December 1917")
    dialog.last.textEdited.emit("December 1917")
    assert dialog.export_button.isEnabled() and dialog.problem.text() == ""
    assert dialog.spec().seconds == 2.0  # two months: the shortest default
    dialog.film_format.setCurrentIndex(1)
    assert dialog.suffix() == ".gif" and dialog.spec().fps == 15


def test_an_export_from_the_window_leaves_the_window_usable(qtbot: Any, window: Any, tmp_path: Path) -> None:
    from PySide6.QtWidgets import QMessageBox

    from app.widgets.film_dialog import FilmExport
    from app.widgets.state import last_day_of

    out = tmp_path / "from-the-window.mp4"
    export = FilmExport(window, window.dataset, spring_1917(seconds=2.0), out)
    with qtbot.waitSignal(export.done, timeout=120_000) as done:
        export.start()
        # while it films, the window's own map still follows the date
        wanted = last_day_of(1905)
        window.state.set_day(wanted)
        qtbot.waitUntil(lambda: window.map_view.shown_day == wanted, timeout=10_000)
        assert export.progress.isVisible()
    assert done.args == [str(out)] and out.is_file()
    boxes = [box for box in window.findChildren(QMessageBox) if box.isVisible()]
    assert len(boxes) == 1 and str(out) in boxes[0].text()
    boxes[0].close()


def test_closing_the_window_stops_its_film_and_leaves_no_file(qtbot: Any, make_window: Any, tmp_path: Path) -> None:
    """Quitting during an export once left the app running with no window (its offscreen map
    view kept it alive) and the partial film on disk."""
    from PySide6.QtCore import Qt

    from app.widgets.film_dialog import FilmExport

    window = make_window()
    out = tmp_path / "closing.mp4"
    export = FilmExport(window, window.dataset, spring_1917(seconds=5.0), out)
    window._film = export
    with qtbot.waitSignal(export.renderer.progress, timeout=60_000):
        export.start()
    view = export.renderer._view
    assert view is not None and not view.testAttribute(Qt.WidgetAttribute.WA_QuitOnClose)
    with qtbot.waitSignal(export.done, timeout=10_000) as done:
        window.close()
    assert done.args == [""] and export.renderer._view is None
    assert list(tmp_path.iterdir()) == []
