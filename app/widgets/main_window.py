"""The main window: map and excerpt panel side by side, the year line and the year bar below.

It owns the state and wires every view to it; views never talk to each other.
"""

from __future__ import annotations

import functools
import html
import logging
from collections.abc import Callable
from pathlib import Path

from PySide6.QtCore import Qt
from PySide6.QtGui import QAction, QCloseEvent, QCursor, QGuiApplication, QKeySequence
from PySide6.QtWidgets import (
    QFileDialog,
    QLabel,
    QMainWindow,
    QMenu,
    QMessageBox,
    QSplitter,
    QStackedWidget,
    QVBoxLayout,
    QWidget,
)

from app.page import assets
from app.web.map_view import MapView
from app.widgets.dataset_opener import DatasetOpener, PreparedDataset, prepare
from app.widgets.journey_distances import JourneyDistances
from app.widgets.panel import ExcerptPanel
from app.widgets.settings import Settings
from app.widgets.state import AppState
from app.widgets.whereabouts import WhereaboutsLine
from app.widgets.year_bar import YearBar
from geodata.model import Dataset, Person
from geodata.queries import year_bounds

log = logging.getLogger(__name__)
#: how long a notice ("Exported …") stays in the status bar, over the summary's left
NOTICE_MS = 8000
#: File › Export data: ``geodata export`` format → (menu label, file suffix, what it is for)
DATA_EXPORTS: dict[str, tuple[str, str, str]] = {
    "lpf": ("Linked Places GeoJSON…", "geojson", "Linked Places Format, for the World Historical Gazetteer"),
    "csv": ("CSV, one row per stay…", "csv", "CSV for spreadsheets"),
    "kml": ("KML for Google Earth…", "kml", "KML with time spans for Google Earth"),
}


def placeholder(path: Path) -> Dataset:
    """What the window shows while it reads ``path``: a dataset with nothing in it yet."""
    return Dataset(path=path, title=f"reading {path.name}…", sources={}, places=(), person=Person(""))


def whose_life(dataset: Dataset) -> str:
    """Whose life the dataset follows and its years ("Leon Trotsky, 1879–1940").

    A version 1 dataset names no person and its title stands in; a title that already gives the
    years is not given them twice. A dataset still being read has no years: its title says so.
    """
    if not dataset.places:
        return dataset.title
    first, last = year_bounds(dataset)
    years = f"{first}–{last}"
    name = dataset.person.name
    return name if years in name else f"{name}, {years}"


def window_title(dataset: Dataset) -> str:
    """The window's title for ``dataset``: whose life and which years, and the dataset's own title
    when it says more than that (the bundled one's title is "Leon Trotsky, 1879–1940" itself)."""
    life = whose_life(dataset)
    if dataset.title == life or dataset.title == dataset.person.name:
        return f"{life} · Life map"
    return f"{life} — {dataset.title} · Life map"


class MainWindow(QMainWindow):
    """The application window for one dataset at a time (File › Open replaces it).

    File › Open reads and checks the new file in a background thread (``DatasetOpener``); the
    open dataset stays on screen and usable until the new one is ready.

    Given a path instead of a dataset, the window opens at once and reads the file the same way:
    the map page loads meanwhile and fills in when the data is ready (a dataset of 100,000 places
    takes seconds to read; the window answers from the start).

    Has no signals of its own: it connects its parts to the state and to each other.
    """

    def __init__(
        self,
        source: Dataset | Path,
        page_html: str,
        year: int | None = None,
        place: str = "",
        settings: Settings | None = None,
    ) -> None:
        """``settings``: remember the window, year, selection and datasets there, and start as they
        were left where ``year``/``place`` are not given (the interactive app; tests and screenshots
        pass none)."""
        super().__init__()
        self.settings = settings
        if settings is not None:
            year = year if year is not None else settings.year()
            remembered = settings.place()
            if not place and isinstance(source, Dataset) and remembered and source.place(remembered) is not None:
                place = remembered
        # Deleting the window on close deletes the web view (and its page) before Qt's profiles go.
        self.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        #: what was asked for at start, applied once the dataset is there (when read in the background)
        self._wanted: tuple[int | None, str] | None = None
        #: the window shows a placeholder until its first dataset has been read
        self._reading = not isinstance(source, Dataset)
        if isinstance(source, Dataset):
            dataset = source
            first, last = year_bounds(dataset)
            prepared: PreparedDataset | None = prepare(dataset, year if year is not None else first)
        else:
            dataset = placeholder(source)
            first = last = year if year is not None else 0
            prepared = None
            self._wanted = (year, place)
        self.dataset = dataset
        self.setWindowTitle(window_title(dataset))
        self.state = AppState(first, last, self)
        self.state.set_year(year if year is not None and prepared is not None else first)

        self.distances = JourneyDistances(self)
        self.distances.ready.connect(self._on_distances)
        self.opener = DatasetOpener(self)
        self.opener.opened.connect(self.set_dataset)
        self.opener.failed.connect(self._on_open_failed)
        document = prepared.page_document if prepared is not None else None
        self.map_view = MapView(page_html, document, [p.id for p in dataset.places], self)
        self.map_view.setObjectName("mapView")
        self.map_view.setMinimumSize(480, 360)
        self.panel = ExcerptPanel(self.state, dataset, self)
        self.whereabouts = WhereaboutsLine(self.state, dataset, self)
        self.year_bar = YearBar(self.state, prepared.event_years if prepared is not None else [], self)

        self.map_error = QLabel(self)
        self.map_error.setObjectName("mapError")
        self.map_error.setWordWrap(True)
        self.map_error.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.map_error.setTextFormat(Qt.TextFormat.PlainText)
        self.map_error.setStyleSheet("QLabel { background: #fff3f0; color: #5a1108; font-size: 15px; padding: 40px; }")
        self.map_stack = QStackedWidget(self)
        self.map_stack.addWidget(self.map_view)
        self.map_stack.addWidget(self.map_error)
        splitter = QSplitter(Qt.Orientation.Horizontal, self)
        splitter.addWidget(self.map_stack)
        splitter.addWidget(self.panel)
        splitter.setStretchFactor(0, 3)
        splitter.setStretchFactor(1, 1)
        splitter.setSizes([900, 380])
        # Neither side can be dragged away to nothing: a selection would then seem to do nothing.
        splitter.setCollapsible(0, False)
        splitter.setCollapsible(1, False)
        self.splitter = splitter
        central = QWidget(self)
        layout = QVBoxLayout(central)
        layout.setContentsMargins(4, 4, 4, 2)
        layout.setSpacing(2)
        layout.addWidget(splitter, 1)
        layout.addWidget(self.whereabouts)
        layout.addWidget(self.year_bar)
        self.setCentralWidget(central)
        self.resize(1280, 800)
        if settings is not None:
            self._restore_window(settings)

        # state → views
        self.state.yearChanged.connect(self.map_view.show_year)
        self.state.selectedPlaceChanged.connect(self.map_view.select_place)
        self.state.followChanged.connect(self.map_view.set_follow)
        # views → state
        self.map_view.placeClicked.connect(self.state.select_place)
        self.map_view.contextMenuRequested.connect(self._show_map_menu)
        self.map_view.failed.connect(self._on_map_failed)
        self.map_view.ready.connect(lambda: self.map_stack.setCurrentWidget(self.map_view))
        # The year line's kilometres wait for the first paint: they are not needed before it.
        self.map_view.ready.connect(lambda: self.distances.compute(self.dataset, *self.state.bounds))
        self.map_view.javaScriptError.connect(lambda text: self.statusBar().showMessage(f"Map error: {text}"))

        # The summary is a permanent widget: status tips and notices (shown with showMessage) pass
        # over it and it stays.
        self.summary = QLabel(self)
        self.summary.setObjectName("summary")
        self.statusBar().addPermanentWidget(self.summary)
        self._build_menus()
        self._build_shortcuts()
        self.distances.compute_if_quick(self.dataset, *self.state.bounds)
        if prepared is None:
            self._summary = f"Reading {dataset.path}…"
            self.panel.show_message(self._summary)
            self.year_bar.set_waiting(True)
            self.opener.open(dataset.path, self.state.year)
        else:
            self._summary = prepared.summary
            self.map_view.show_year(self.state.year)
            if place:
                self.state.select_place(place)
        self.summary.setText(self._summary)

    @property
    def reading(self) -> bool:
        """Whether the window is still waiting for its first dataset (nothing to export or credit yet)."""
        return self._reading

    def start_map(self) -> None:
        """Load the map page (separate from construction so a caller can set up the profile first)."""
        self.map_view.load_page()

    def _build_menus(self) -> None:
        file_menu = self.menuBar().addMenu("&File")
        open_action = QAction("&Open dataset…", self)
        open_action.setShortcut(QKeySequence.StandardKey.Open)
        open_action.triggered.connect(self._choose_dataset)
        file_menu.addAction(open_action)
        self.recent_menu = file_menu.addMenu("Open &Recent")
        self.recent_menu.aboutToShow.connect(self._fill_recent)
        self.recent_menu.setEnabled(self.settings is not None)
        export_action = QAction("&Export map as HTML…", self)
        export_action.triggered.connect(self._choose_export)
        export_action.setEnabled(not self._reading)  # nothing to export before the first dataset
        self._export_action = export_action
        file_menu.addAction(export_action)
        self.data_menu = file_menu.addMenu("Export &data")
        for format_name, (label, suffix, description) in DATA_EXPORTS.items():
            action = self.data_menu.addAction(label, functools.partial(self._choose_data_export, format_name))
            action.setToolTip(f"{description} (*.{suffix})")
        self.data_menu.setEnabled(not self._reading)
        shot_action = QAction("Save &screenshot…", self)
        shot_action.triggered.connect(self._choose_screenshot)
        file_menu.addAction(shot_action)
        file_menu.addSeparator()
        quit_action = QAction("&Quit", self)
        # the platform's own Quit key where it has one (some, like offscreen, have none: then Ctrl+Q)
        quit_action.setShortcuts(QKeySequence.keyBindings(QKeySequence.StandardKey.Quit) or [QKeySequence("Ctrl+Q")])
        quit_action.triggered.connect(self.close)
        file_menu.addAction(quit_action)
        help_menu = self.menuBar().addMenu("&Help")
        keys = help_menu.addAction("&Keyboard shortcuts…", self._show_shortcuts)
        keys.setShortcut(QKeySequence.StandardKey.HelpContents)
        help_menu.addAction("&Sources and credits…", self._show_credits)
        help_menu.addAction("&About…", self._show_about)

    def _build_shortcuts(self) -> None:
        """The window's keys, as actions with names: Help › Keyboard shortcuts lists them from here."""
        bindings: list[tuple[str, str, Callable[[], None]]] = [
            ("Play / pause", "Space", self.year_bar.toggle_play),
            ("Next event", "Ctrl+Right", lambda: self.year_bar.jump_event(1)),
            ("Previous event", "Ctrl+Left", lambda: self.year_bar.jump_event(-1)),
            ("First year", "Ctrl+Home", lambda: self.state.set_year(self.state.bounds[0])),
            ("Last year", "Ctrl+End", lambda: self.state.set_year(self.state.bounds[1])),
            ("Clear the selection", "Escape", lambda: self.state.select_place("")),
            ("Follow on / off", "F", lambda: self.state.set_follow(not self.state.follow)),
        ]
        for text, keys, slot in bindings:
            action = QAction(text, self)
            action.setShortcut(QKeySequence(keys))
            action.triggered.connect(slot)
            self.addAction(action)

    def shortcut_rows(self) -> list[tuple[str, str]]:
        """(what, keys) for every action of the window that has a shortcut, menus first."""
        rows = []
        for action in self.findChildren(QAction):
            keys = action.shortcut().toString(QKeySequence.SequenceFormat.NativeText)
            if keys:
                rows.append((action.text().replace("&", "").rstrip("…"), keys))
        return rows

    def _show_shortcuts(self) -> None:
        cells = "".join(
            f"<tr><td>{html.escape(what)}</td><td>&nbsp;&nbsp;<b>{html.escape(keys)}</b></td></tr>"
            for what, keys in self.shortcut_rows()
        )
        tip = "The year slider also takes ← → (a year), Page Up/Down (five) and Home/End when it has the focus."
        QMessageBox.information(self, "Keyboard shortcuts", f"<table>{cells}</table><p>{html.escape(tip)}</p>")

    def _show_about(self) -> None:
        from app.widgets.about import versions

        dataset = self.dataset
        lines = [
            f"<b>{html.escape(whose_life(dataset))}</b> · Life map",
            html.escape(versions()),
            f"Dataset: {html.escape(dataset.title)} — {html.escape(str(dataset.path))}",
            html.escape(self._summary),
        ]
        QMessageBox.about(self, "About", "<br>".join(lines))

    # -- datasets -------------------------------------------------------------------------

    def open_dataset(self, path: Path) -> None:
        """Start replacing the dataset with the file at ``path`` (see ``DatasetOpener``).

        The new dataset replaces the open one when it is ready (``set_dataset``); on any problem a
        message names the file and the field, and the open dataset stays.
        """
        self.statusBar().showMessage(f"Opening {path}…")
        self._wanted = None  # another file chosen: the command line's --year and --place were for the first
        self.opener.open(path, self.state.year)

    def _on_open_failed(self, path: str, report: str) -> None:
        if self.reading:  # nothing else to show: say it where the map and the excerpts would be
            self._summary = f"Cannot open {path}"
            self.map_error.setText(f"The dataset could not be opened.\n\n{report}\n\nFile › Open can open another one.")
            self.map_stack.setCurrentWidget(self.map_error)
            self.panel.show_message(report)
            self.summary.setText(self._summary)
            self.statusBar().showMessage(self._summary)
            return
        self.statusBar().clearMessage()  # "Opening …" is over; the summary is still the open dataset's
        QMessageBox.warning(self, f"Cannot open {Path(path).name}", report)

    def set_dataset(self, prepared: PreparedDataset) -> None:
        """Show a prepared dataset instead of the open one."""
        dataset = prepared.dataset
        self.dataset = dataset
        self.state.select_place("")
        self.state.set_bounds(*year_bounds(dataset))
        wanted, self._wanted = self._wanted, None
        was_reading, self._reading = self._reading, False
        messages = []
        if wanted is not None:  # the dataset the window was opened with: now the year and place asked for
            year, place = wanted
            first, last = self.state.bounds
            if year is not None and not first <= year <= last:
                messages.append(f"{year} is outside {first}–{last}")
            self.state.set_year(year if year is not None else first)
            if place and dataset.place(place) is None:
                messages.append(f"no place {place!r} in {dataset.path.name}")
            elif place:
                self.state.select_place(place)
        if was_reading:
            self.year_bar.set_waiting(False)
            self._export_action.setEnabled(True)
            self.data_menu.setEnabled(True)
        self.panel.set_dataset(dataset)
        self.whereabouts.set_dataset(dataset)
        self.year_bar.set_event_years(prepared.event_years)
        self.setWindowTitle(window_title(dataset))
        if self.settings is not None and dataset.path.is_file():
            self.settings.remember_dataset(dataset.path)
        self._summary = prepared.summary
        self.summary.setText(self._summary)
        if messages:
            self.statusBar().showMessage("; ".join(messages))
        else:
            self.statusBar().clearMessage()
        self.map_view.show_year(self.state.year)
        self.distances.compute_if_quick(dataset, *self.state.bounds)
        self.map_view.set_dataset(prepared.page_document, [p.id for p in dataset.places])

    def map_menu(self, place_id: str, lat: float, lon: float) -> QMenu:
        """The map's own context menu for a right click at (lat, lon), on ``place_id`` if not ""."""
        menu = QMenu(self)
        place = self.dataset.place(place_id) if place_id else None
        if place is not None:
            name = place.name_in(self.state.year)
            menu.addAction(f"Select {name}", lambda: self.state.select_place(place.id))
            lat, lon = place.lat, place.lon
        text = f"{lat:.5f}, {lon:.5f}"
        menu.addAction("Copy coordinates", lambda: self._copy(text))
        menu.addAction("Zoom here", lambda: self.map_view.zoom_to(lat, lon))
        return menu

    def _copy(self, text: str) -> None:
        QGuiApplication.clipboard().setText(text)
        self.statusBar().showMessage(f"Copied {text}", NOTICE_MS)

    def _show_map_menu(self, place_id: str, lat: float, lon: float) -> None:
        menu = self.map_menu(place_id, lat, lon)
        menu.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        menu.popup(QCursor.pos())

    def _choose_dataset(self) -> None:
        name, _ = QFileDialog.getOpenFileName(self, "Open dataset", str(self.dataset.path.parent), "Datasets (*.json)")
        if name:
            self.open_dataset(Path(name))

    def _choose_export(self) -> None:
        from app.page.export_html import write_standalone_html

        name, _ = QFileDialog.getSaveFileName(self, "Export map as HTML", "trotsky-map.html", "HTML (*.html)")
        if name:
            try:
                write_standalone_html(self.dataset, Path(name), year=self.state.year, place=self.state.selected_place)
            except OSError as error:
                QMessageBox.warning(self, "Cannot export", f"{name}: {error.strerror or error}")
            else:
                self.statusBar().showMessage(f"Exported the map to {name}", NOTICE_MS)

    def _choose_data_export(self, format_name: str) -> None:
        """File › Export data: the dataset as ``geodata export`` writes it (LPF, CSV or KML)."""
        from geodata.atomic import write_text_atomic
        from geodata.tools.export import export

        label, suffix, description = DATA_EXPORTS[format_name]
        suggested = f"{self.dataset.path.stem}.{suffix}"
        name, _ = QFileDialog.getSaveFileName(self, f"Export {label}", suggested, f"{description} (*.{suffix})")
        if not name:
            return
        try:
            write_text_atomic(Path(name), export(self.dataset, format_name))
        except OSError as error:
            QMessageBox.warning(self, "Cannot export", f"{name}: {error.strerror or error}")
        else:
            self.statusBar().showMessage(f"Exported {label} to {name}", NOTICE_MS)

    def _choose_screenshot(self) -> None:
        name, _ = QFileDialog.getSaveFileName(self, "Save screenshot", "trotsky-map.png", "PNG (*.png)")
        if not name:
            return
        if self.grab().save(name):
            self.statusBar().showMessage(f"Saved the screenshot to {name}", NOTICE_MS)
        else:
            QMessageBox.warning(self, "Cannot save", f"{name}: the image could not be written")

    def _show_credits(self) -> None:
        life = whose_life(self.dataset)
        title = self.dataset.title
        lines = [
            f"<b>{html.escape(life)}</b>"
            + ("" if title in (life, self.dataset.person.name) else f": {html.escape(title)}"),
            "",
        ]
        lines += [
            f"<b>{html.escape(source.title)}</b> — {html.escape(source.author)} ({html.escape(source.licence)})"
            for source in self.dataset.sources.values()
        ]
        lines.append("Basemap: Natural Earth (public domain), via world-atlas.")
        lines.append("Map library: Leaflet (BSD-2-Clause), through folium (MIT).")
        QMessageBox.information(self, "Sources and credits", "<br>".join(lines))

    def _on_distances(self, dataset: object, km_by_year: object) -> None:
        if dataset is self.dataset and isinstance(km_by_year, dict):
            self.whereabouts.set_distances(km_by_year)

    def _on_map_failed(self, message: str) -> None:
        """Say what went wrong where the map would be, instead of leaving it blank."""
        missing = assets.missing_files()
        hint = (
            "Missing files: " + ", ".join(str(path) for path in missing) + "."
            if missing
            else "A file the map needs may be damaged."
        )
        self.map_error.setText(
            f"The map could not be drawn.\n\n{message}\n\n{hint}\n\n"
            "Reinstalling the app (make clean && make run) restores its files. "
            "The excerpts and the year line still work."
        )
        self.map_stack.setCurrentWidget(self.map_error)
        self.statusBar().showMessage(f"The map could not be drawn: {message}")

    def _restore_window(self, settings: Settings) -> None:
        """The window's size, place and splitter as they were left; a place off every screen
        (a monitor that is gone) is given up for the default one."""
        geometry = settings.geometry()
        if geometry is not None and self.restoreGeometry(geometry):
            screens = [screen.availableGeometry() for screen in QGuiApplication.screens()]
            if screens and not any(area.intersects(self.frameGeometry()) for area in screens):
                log.warning("the saved window position is off every screen; using the default one")
                self.resize(1280, 800)
                self.move(screens[0].topLeft())
        splitter = settings.splitter()
        if splitter is not None:
            self.splitter.restoreState(splitter)
        follow = settings.follow()
        if follow is not None:
            self.state.set_follow(follow)
        if self.dataset.places and self.dataset.path.is_file():
            settings.remember_dataset(self.dataset.path)

    def _fill_recent(self) -> None:
        """File › Open Recent: the datasets opened before, newest first; gone ones greyed."""
        self.recent_menu.clear()
        settings = self.settings
        if settings is None:
            return
        for path in settings.recent():
            action = self.recent_menu.addAction(str(path), functools.partial(self._open_recent, path))
            if not path.is_file():
                action.setEnabled(False)
                action.setToolTip("This file is gone")
        self.recent_menu.addSeparator()
        clear = self.recent_menu.addAction("Clear", functools.partial(settings.forget_recent, None))
        clear.setEnabled(bool(settings.recent()))

    def _open_recent(self, path: Path) -> None:
        if not path.is_file():
            if self.settings is not None:
                self.settings.forget_recent(path)
            self.statusBar().showMessage(f"{path} is gone; removed from the recent datasets", NOTICE_MS)
            return
        self.open_dataset(path)

    def closeEvent(self, event: QCloseEvent) -> None:
        if self.settings is not None:
            self.settings.save_window(
                self.saveGeometry(),
                self.splitter.saveState(),
                self.state.year,
                self.state.selected_place,
                self.state.follow,
            )
        self.year_bar.stop()
        self.map_view.shutdown()
        super().closeEvent(event)
