"""Film the map: an offscreen map view steps through the plan's frames; each painted frame is
grabbed, captioned and handed to the encoder, then the next one is asked for.

The view is the app's own :class:`MapView` (the same page, the same drawing), never shown on
screen and sized to the film, so a frame is what the window draws whatever the window's size. The
loop is driven by the page's painted reports, not by timers, so the window that started an export
stays responsive between frames.
"""

from __future__ import annotations

import logging
from pathlib import Path

import numpy as np
from PySide6.QtCore import QObject, QRectF, Qt, QTimer, Signal
from PySide6.QtGui import QColor, QFont, QImage, QPainter, QPainterPath

from app.film.encode import BackgroundWriter, FilmWriter, rgb_colours
from app.film.plan import Caption, FilmSpec, camera_path, caption, credits, frame_days
from app.page.cache import cached_page
from app.page.data import page_document
from app.page.protocol import STYLE
from app.web.map_view import MapView
from geodata.model import Dataset

log = logging.getLogger(__name__)
#: a frame the page has not painted in this long means the page is stuck: the export fails
FRAME_TIMEOUT_MS = 20_000
START_TIMEOUT_MS = 60_000
#: the first frame is drawn again (every WARM_UP_MS) until it is stable, at most this many times
WARM_UP_LIMIT = 40
WARM_UP_MS = 50


def _palette_colours() -> list[tuple[int, int, int]]:
    """The colours of the map's marks and lines, which a GIF's shared palette must keep exact."""
    colours: list[str] = list(STYLE["borders"]["palette"])
    for style in STYLE.values():
        colours += [value for key, value in style.items() if key in ("color", "fillColor") and isinstance(value, str)]
    return rgb_colours(dict.fromkeys(colours))


class FilmRenderer(QObject):
    """Renders ``spec`` of ``dataset`` to ``out`` (``.mp4`` or ``.gif``).

    Signals:
        progress(int, int): frames written so far, and of how many.
        finished(str): the film is complete at this path.
        failed(str): the export stopped; the text says why (no file is left).
        cancelled(): :meth:`cancel` took effect (no file is left).
    """

    progress = Signal(int, int)
    finished = Signal(str)
    failed = Signal(str)
    cancelled = Signal()

    def __init__(
        self, dataset: Dataset, spec: FilmSpec, out: Path, parent: QObject | None = None, *, frames: slice | None = None
    ) -> None:
        """``frames``: only these frames of the film's plan (a preview, a test of one passage); the
        camera is the whole film's there."""
        super().__init__(parent)
        self._dataset = dataset
        self._spec = spec
        self._out = out
        self._days = frame_days(spec)
        self._cameras = camera_path(dataset, self._days, spec)
        if frames is not None:
            self._days, self._cameras = self._days[frames], self._cameras[frames]
        self._days_per_frame = (spec.last_day - spec.first_day) / max(1, len(self._days) - 1)
        self._credits = credits(dataset)
        self._title = dataset.title
        self._writer: BackgroundWriter | None = None
        self._view: MapView | None = None
        self._index = 0
        self._warm_grabs = 0
        self._last_grab: QImage | None = None
        self._done = False
        self._cancel = False
        self._timer = QTimer(self)
        self._timer.setSingleShot(True)
        self._timer.timeout.connect(lambda: self._fail("the map stopped drawing frames"))

    @property
    def frame_count(self) -> int:
        return len(self._days)

    def start(self) -> None:
        """Open the output and the offscreen map; frames follow as the page paints them."""
        spec = self._spec
        try:
            self._writer = BackgroundWriter(
                FilmWriter(self._out, spec.width, spec.height, spec.fps, _palette_colours())
            )
        except (OSError, ValueError) as error:  # an unwritable folder, a full disk
            self._fail(f"cannot write {self._out}: {getattr(error, 'strerror', None) or error}")
            return
        dataset = self._dataset
        view = MapView(cached_page(), page_document(dataset), [place.id for place in dataset.places])
        view.setAttribute(Qt.WidgetAttribute.WA_DontShowOnScreen, True)
        # never on screen, so never what keeps the application running once its windows close
        view.setAttribute(Qt.WidgetAttribute.WA_QuitOnClose, False)
        view.resize(spec.width, spec.height)
        view.ready.connect(self._on_ready)
        view.failed.connect(self._fail)
        view.dayPainted.connect(self._on_painted)
        self._view = view
        view.show()
        view.load_page()
        self._timer.start(START_TIMEOUT_MS)

    def abort(self) -> None:
        """Stop now (the window is closing): no more frames, the partial file removed, the
        offscreen view deleted; ``cancelled`` is emitted."""
        self._cancel = True
        self._stop_cancelled()

    def cancel(self) -> None:
        """Stop after the frame being drawn; the partial file is removed."""
        self._cancel = True
        if self._view is None or self._index == 0:
            QTimer.singleShot(0, self._stop_cancelled)

    def _on_ready(self) -> None:
        assert self._view is not None
        self._view.film_mode()
        self._view.show_legend(False)
        if self._spec.place_id:
            self._view.select_place(self._spec.place_id)
        self._request(0)

    def _request(self, index: int) -> None:
        assert self._view is not None
        camera = self._cameras[index]
        self._index = index
        self._timer.start(FRAME_TIMEOUT_MS)
        self._view.show_frame(self._days[index], camera.lat, camera.lon, camera.zoom)

    def _on_painted(self, day: int) -> None:
        if self._done or self._writer is None or self._view is None or day != self._days[self._index]:
            return
        if self._cancel:
            self._stop_cancelled()
            return
        if self._warm_up():
            return
        index = self._index
        grabbed = self._view.grab().toImage()
        last = index + 1 == len(self._days)
        if not last:  # the page draws the next frame while this one is captioned and encoded
            self._request(index + 1)
        try:
            self._writer.write(self._frame(grabbed, index))
        except (OSError, ValueError) as error:
            self._fail(f"cannot write {self._out}: {getattr(error, 'strerror', None) or error}")
            return
        self.progress.emit(index + 1, len(self._days))
        if not last:
            return
        self._timer.stop()
        try:
            path = self._writer.close()
        except (OSError, ValueError) as error:
            self._fail(f"cannot finish {self._out}: {getattr(error, 'strerror', None) or error}")
            return
        self._finish()
        self.finished.emit(str(path))

    def _warm_up(self) -> bool:
        """Before the first frame is written, whether to draw it again: a view just shown hands
        Chromium's first frames to Qt late (an empty map), so the first frame is drawn until two
        grabs in a row agree (as ``app.capture`` settles a screenshot)."""
        if self._index or self._view is None or self._warm_grabs >= WARM_UP_LIMIT:
            return False
        image = self._view.grab().toImage()
        settled = self._last_grab is not None and image == self._last_grab
        self._last_grab = None if settled else image
        self._warm_grabs += 1
        if settled:
            return False
        QTimer.singleShot(WARM_UP_MS, lambda: self._request(0) if not self._done else None)
        return True

    def _frame(self, grabbed: QImage, index: int) -> np.ndarray:
        """A grab of the view at exactly the film's size, captioned, as an RGBA array."""
        spec = self._spec
        # R, G, B, 255 in memory whatever the machine's byte order, no padding: painted on and handed
        # over as RGBA, one conversion per frame
        image = grabbed.convertToFormat(QImage.Format.Format_RGBX8888)
        if image.width() != spec.width or image.height() != spec.height:  # a scaled screen
            image = image.scaled(
                spec.width,
                spec.height,
                Qt.AspectRatioMode.IgnoreAspectRatio,
                Qt.TransformationMode.SmoothTransformation,
            )
        image.setDevicePixelRatio(1.0)
        words = caption(self._dataset, self._days[index], self._days_per_frame)
        paint_captions(image, self._title, words, self._credits)
        if image.format() != QImage.Format.Format_RGBX8888:  # scaling may change the format
            image = image.convertToFormat(QImage.Format.Format_RGBX8888)
        stride = image.bytesPerLine()
        raw = np.frombuffer(image.constBits(), dtype=np.uint8, count=stride * spec.height)
        return raw.reshape(spec.height, stride)[:, : spec.width * 4].reshape(spec.height, spec.width, 4).copy()

    def _stop_cancelled(self) -> None:
        if self._done:
            return
        if self._writer is not None:
            self._writer.abort()
        self._finish()
        self.cancelled.emit()

    def _fail(self, message: str) -> None:
        if self._done:
            return
        log.error("film export failed: %s", message)
        if self._writer is not None:
            self._writer.abort()
        self._finish()
        self.failed.emit(message)

    def _finish(self) -> None:
        self._done = True
        self._timer.stop()
        view, self._view = self._view, None
        if view is not None:
            view.shutdown()
            view.deleteLater()


def paint_captions(image: QImage, title: str, words: Caption, credit_line: str) -> None:
    """The film's words on a frame: the life's title and the chapter (top left), the date and where
    he is (bottom left, large), and the credits (bottom right, small), each on a pale plate so they
    read over any part of the map."""
    width, height = image.width(), image.height()
    unit = height / 720
    painter = QPainter(image)
    painter.setRenderHint(QPainter.RenderHint.Antialiasing)
    painter.setRenderHint(QPainter.RenderHint.TextAntialiasing)
    margin = 18 * unit

    def plate(rect: QRectF) -> None:
        path = QPainterPath()
        path.addRoundedRect(rect, 6 * unit, 6 * unit)
        painter.fillPath(path, QColor(255, 255, 255, 215))

    def font(pixels: float, bold: bool = False) -> QFont:
        chosen = QFont("DejaVu Sans")
        chosen.setPixelSize(max(8, round(pixels)))
        chosen.setBold(bold)
        return chosen

    # top left: the title, the chapter under it
    lines = [(title, font(22 * unit, True)), (words.chapter, font(15 * unit))]
    lines = [(text, chosen) for text, chosen in lines if text]
    _text_block(painter, lines, margin, margin, width * 0.6, plate, unit, top=True)
    # bottom left: the date, large, and where he is
    where = [(words.date, font(34 * unit, True))] + ([(words.where, font(20 * unit))] if words.where else [])
    _text_block(painter, where, margin, height - margin, width * 0.55, plate, unit, top=False)
    # bottom right: the credits
    painter.setFont(font(11 * unit))
    box_width = width * 0.36
    bounds = painter.boundingRect(
        QRectF(0, 0, box_width, height), Qt.TextFlag.TextWordWrap | Qt.AlignmentFlag.AlignLeft, credit_line
    )
    rect = QRectF(width - margin - bounds.width(), height - margin - bounds.height(), bounds.width(), bounds.height())
    plate(rect.adjusted(-6 * unit, -4 * unit, 6 * unit, 4 * unit))
    painter.setPen(QColor(60, 60, 60))
    painter.drawText(rect, Qt.TextFlag.TextWordWrap | Qt.AlignmentFlag.AlignLeft, credit_line)
    painter.end()


def _text_block(
    painter: QPainter,
    lines: list[tuple[str, QFont]],
    x: float,
    y: float,
    max_width: float,
    plate: object,
    unit: float,
    *,
    top: bool,
) -> None:
    """Lines of text on one plate, from (x, y) down (``top``) or up to y; each line elided to fit."""
    if not lines:
        return
    measured = []
    for text, chosen in lines:
        painter.setFont(chosen)
        metrics = painter.fontMetrics()
        elided = metrics.elidedText(text, Qt.TextElideMode.ElideRight, round(max_width))
        measured.append((elided, chosen, metrics.horizontalAdvance(elided), metrics.height()))
    block_width = max(item[2] for item in measured)
    block_height = sum(item[3] for item in measured)
    top_y = y if top else y - block_height
    pad = 8 * unit
    plate(QRectF(x - pad, top_y - pad / 2, block_width + 2 * pad, block_height + pad))  # type: ignore[operator]
    painter.setPen(QColor(25, 25, 25))
    line_y = top_y
    for elided, chosen, _width, line_height in measured:
        painter.setFont(chosen)
        painter.drawText(QRectF(x, line_y, block_width + 1, line_height), Qt.AlignmentFlag.AlignLeft, elided)
        line_y += line_height
