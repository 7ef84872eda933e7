"""File › Export film…: choose the span (the whole life, a chapter, or typed dates), the length, the
size and the format; then the film is made behind a progress dialog that can cancel it, while the
window stays usable, and a finished film says where it is and offers to show it."""

from __future__ import annotations

import dataclasses
from pathlib import Path

from PySide6.QtCore import QObject, QStandardPaths, Qt, QUrl, Signal
from PySide6.QtGui import QDesktopServices
from PySide6.QtWidgets import (
    QComboBox,
    QDialog,
    QDialogButtonBox,
    QDoubleSpinBox,
    QFileDialog,
    QFormLayout,
    QLabel,
    QLineEdit,
    QMessageBox,
    QProgressDialog,
    QWidget,
)

from app.film.plan import DEFAULT_FPS, DEFAULT_GIF_FPS, FilmSpec, default_seconds, span_days
from app.film.render import FilmRenderer
from geodata.dates import day_number, format_day, from_day_number, parse_when
from geodata.model import Dataset
from geodata.queries import chapter_on

SIZES: tuple[tuple[int, int], ...] = ((640, 360), (1280, 720), (1920, 1080))
FORMATS: dict[str, str] = {"MP4 video (H.264)": ".mp4", "Animated GIF": ".gif"}
#: the span choices that are not a chapter
WHOLE_LIFE = "The whole life"
TYPED = "Dates typed below"


class FilmDialog(QDialog):
    """The film's settings. ``spec()`` and ``suffix()`` give what was chosen once accepted.

    Has no signals of its own (a QDialog's ``accepted`` / ``rejected``).
    """

    def __init__(self, dataset: Dataset, day: int, place_id: str = "", parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setWindowTitle("Export film")
        self._dataset = dataset
        self._place_id = place_id
        self._length_edited = False
        form = QFormLayout(self)
        self.span = QComboBox()
        self.span.addItem(WHOLE_LIFE, None)
        for chapter in dataset.chapters:
            self.span.addItem(f"Chapter: {chapter.title}", chapter.days)
        self.span.addItem(TYPED, "typed")
        form.addRow("&Span:", self.span)
        self.first = QLineEdit()
        self.last = QLineEdit()
        for field in (self.first, self.last):
            field.setPlaceholderText("1917-10-25, Oct 1917 or 1917")
            field.textEdited.connect(self._typed)
        form.addRow("&From:", self.first)
        form.addRow("&To:", self.last)
        self.seconds = QDoubleSpinBox()
        self.seconds.setRange(1.0, 3600.0)
        self.seconds.setDecimals(1)
        self.seconds.setSuffix(" s")
        self.seconds.valueChanged.connect(self._length_changed)
        form.addRow("&Length:", self.seconds)
        self.frame_size = QComboBox()
        for width, height in SIZES:
            self.frame_size.addItem(f"{width} × {height}", (width, height))
        self.frame_size.setCurrentIndex(1)
        form.addRow("Si&ze:", self.frame_size)
        self.film_format = QComboBox()
        self.film_format.addItems(list(FORMATS))
        form.addRow("F&ormat:", self.film_format)
        self.problem = QLabel()
        self.problem.setStyleSheet("color: #a1271b")
        form.addRow(self.problem)
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Cancel)
        self.export_button = buttons.addButton("&Export…", QDialogButtonBox.ButtonRole.AcceptRole)
        buttons.accepted.connect(self._accept_if_valid)
        buttons.rejected.connect(self.reject)
        form.addRow(buttons)
        current = chapter_on(dataset, day)
        if current is not None:  # the date's chapter first: the likeliest film of a talk
            self.span.setCurrentIndex(1 + dataset.chapters.index(current))
        self.span.currentIndexChanged.connect(self._span_chosen)
        self._span_chosen()

    def _span_chosen(self) -> None:
        data = self.span.currentData()
        if data == "typed":
            self._validate()
            return
        first, last = span_days(self._dataset, *(data if data else (None, None)))
        self.first.setText(format_day(from_day_number(first)))
        self.last.setText(format_day(from_day_number(last)))
        self._validate()

    def _typed(self) -> None:
        self.span.blockSignals(True)
        self.span.setCurrentIndex(self.span.count() - 1)
        self.span.blockSignals(False)
        self._validate()

    def _length_changed(self) -> None:
        if self.seconds.hasFocus():
            self._length_edited = True

    def _days(self) -> tuple[int, int] | str:
        """The span's days, or what is wrong with it."""
        try:
            first = day_number(parse_when(self.first.text()).first_day())
            last = day_number(parse_when(self.last.text()).last_day())
        except ValueError as error:
            return str(error)
        life_first, life_last = span_days(self._dataset, None, None)
        if last <= first:
            return "the last date must come after the first"
        if first < life_first - 366 or last > life_last + 366:
            return "the span must lie within the life"
        return first, last

    def _validate(self) -> bool:
        days = self._days()
        ok = not isinstance(days, str)
        self.problem.setText("" if ok else str(days))
        self.export_button.setEnabled(ok)
        if ok and not self._length_edited:
            assert not isinstance(days, str)
            self.seconds.setValue(default_seconds(self._dataset, *days))
        return ok

    def _accept_if_valid(self) -> None:
        if self._validate():
            self.accept()

    def suffix(self) -> str:
        return FORMATS[self.film_format.currentText()]

    def spec(self) -> FilmSpec:
        days = self._days()
        assert not isinstance(days, str), days
        width, height = self.frame_size.currentData()
        fps = DEFAULT_GIF_FPS if self.suffix() == ".gif" else DEFAULT_FPS
        return FilmSpec(days[0], days[1], self.seconds.value(), fps, width, height, self._place_id)


class FilmExport(QObject):
    """One export from the window: asks where to save, films behind a progress dialog (Cancel
    stops it and leaves no file), then says where the film is and offers to show it.

    Signals:
        done(str): the export ended; the path of the film, or "" when cancelled or failed.
    """

    done = Signal(str)

    def __init__(self, window: QWidget, dataset: Dataset, spec: FilmSpec, out: Path) -> None:
        super().__init__(window)
        self._window = window
        self._out = out
        self.renderer = FilmRenderer(dataset, spec, out, self)
        self.progress = QProgressDialog("Filming…", "Cancel", 0, self.renderer.frame_count, window)
        self.progress.setWindowTitle("Export film")
        self.progress.setWindowModality(Qt.WindowModality.NonModal)
        self.progress.setMinimumDuration(0)
        self.progress.canceled.connect(self.renderer.cancel)
        self.renderer.progress.connect(self._on_progress)
        self.renderer.finished.connect(self._on_finished)
        self.renderer.failed.connect(self._on_failed)
        self.renderer.cancelled.connect(lambda: self._end(""))

    def start(self) -> None:
        self.progress.show()
        self.renderer.start()

    def abort(self) -> None:
        """Stop at once and remove the partial film (the window is closing)."""
        self.renderer.abort()

    def _on_progress(self, done: int, total: int) -> None:
        self.progress.setValue(done)
        self.progress.setLabelText(f"Filming… frame {done:,} of {total:,}")

    def _on_finished(self, path: str) -> None:
        self._end(path)
        box = QMessageBox(QMessageBox.Icon.Information, "Film exported", f"The film is in {path}", parent=self._window)
        show = box.addButton("Show in folder", QMessageBox.ButtonRole.ActionRole)
        close = box.addButton(QMessageBox.StandardButton.Close)
        box.setDefaultButton(close)  # Enter, or a click meant for the progress dialog's Cancel, only closes
        box.setEscapeButton(close)
        box.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        folder = QUrl.fromLocalFile(str(Path(path).parent))
        box.buttonClicked.connect(lambda button: QDesktopServices.openUrl(folder) if button is show else None)
        box.open()

    def _on_failed(self, message: str) -> None:
        self._end("")
        # not modal: a failure while the user works in the window must not stop the window
        box = QMessageBox(QMessageBox.Icon.Warning, "Cannot export the film", message, parent=self._window)
        box.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        box.open()

    def _end(self, path: str) -> None:
        self.progress.canceled.disconnect(self.renderer.cancel)
        self.progress.reset()
        self.progress.hide()
        self.done.emit(path)


def choose_film(window: QWidget, dataset: Dataset, day: int, place_id: str) -> FilmExport | None:
    """File › Export film…: the settings, then where to save; the export started (or None)."""
    dialog = FilmDialog(dataset, day, place_id, window)
    if dialog.exec() != QDialog.DialogCode.Accepted:
        return None
    suffix = dialog.suffix()
    folder = QStandardPaths.writableLocation(QStandardPaths.StandardLocation.MoviesLocation) or str(Path.home())
    suggested = str(Path(folder) / f"{dataset.path.stem}{suffix}")
    kinds = ["MP4 video (*.mp4)", "GIF (*.gif)"]
    if suffix == ".gif":
        kinds.reverse()
    name, _ = QFileDialog.getSaveFileName(window, "Export film", suggested, ";;".join(kinds))
    if not name:
        return None
    out = Path(name)
    spec = dialog.spec()
    typed = out.suffix.lower()
    if typed in FORMATS.values() and typed != suffix:  # "clip.gif" typed with MP4 chosen: a GIF
        spec = dataclasses.replace(spec, fps=DEFAULT_GIF_FPS if typed == ".gif" else DEFAULT_FPS)
    elif typed not in FORMATS.values():
        out = out.with_name(out.name + suffix)
    export = FilmExport(window, dataset, spec, out)
    export.start()
    return export
