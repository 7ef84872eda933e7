"""The main window: map and excerpt panel side by side, the year line and the year bar below.

It owns the state and wires every view to it; views never talk to each other.
"""

from __future__ import annotations

import functools
import logging
from pathlib import Path
from typing import TYPE_CHECKING

from PySide6.QtCore import Qt, Signal
from PySide6.QtGui import QAction, QCloseEvent, QCursor, QGuiApplication, QKeySequence
from PySide6.QtWidgets import (
    QFileDialog,
    QLabel,
    QMainWindow,
    QMenu,
    QMessageBox,
    QSplitter,
    QStackedWidget,
    QTabWidget,
    QVBoxLayout,
    QWidget,
)

from app.page import assets
from app.web.map_view import MapView
from app.widgets.background import run_in_thread
from app.widgets.dataset_opener import (
    SHORT_REPORT_LINES,
    DatasetOpener,
    PreparedDataset,
    prepare,
    warm_in_background,
    warm_passages_in_background,
)
from app.widgets.dialogs import about_html, credits_html, show_report, show_shortcuts
from app.widgets.journey_distances import JourneyDistances
from app.widgets.legend_dialog import LegendDialog
from app.widgets.menus import Command, add_menu, fill, shortcut_rows
from app.widgets.panel import ExcerptPanel
from app.widgets.place_list import PlaceList
from app.widgets.reader import Reader
from app.widgets.search_box import SearchBox
from app.widgets.settings import Settings
from app.widgets.state import AppState
from app.widgets.time_bar import TimeBar
from app.widgets.timeline import LifeTimeline
from app.widgets.whereabouts import WhereaboutsLine
from geodata.dates import PartialDate, day_number
from geodata.model import Dataset, Person
from geodata.names import find_place, unknown_place_message
from geodata.queries import journey, year_bounds

if TYPE_CHECKING:
    from app.widgets.film_dialog import FilmExport

log = logging.getLogger(__name__)


def _read_borders() -> tuple[()]:
    """Decode the historical borders (in a background thread); a broken file is the map's to say."""
    from geodata.borders import BordersError, load_borders

    try:
        load_borders()
    except BordersError as error:
        log.info("%s", error)
    return ()


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

    Signals:
        bordersRead(): the historical borders are decoded (read in the background once the map has
            painted).
    """

    bordersRead = Signal()

    def __init__(
        self,
        source: Dataset | Path,
        page_html: str,
        year: int | None = None,
        place: str = "",
        settings: Settings | None = None,
        date: PartialDate | None = None,
    ) -> None:
        """``date`` (or ``year``, its last day) is the date to show first; a month or a year means its
        last day. ``settings``: remember the window, date, selection and datasets there, and start as
        they were left where ``date``/``year``/``place`` are not given (the interactive app; tests
        and screenshots pass none)."""
        super().__init__()
        self.settings = settings
        self._film: FilmExport | None = None
        when = date if date is not None else PartialDate(year) if year is not None else None
        remembered_day: int | None = None
        remembered_place = ""
        if settings is not None:
            if when is None:
                remembered_day = settings.day()
            remembered_place = settings.place()
            if not place and isinstance(source, Dataset) and remembered_place and source.place(remembered_place):
                place = remembered_place
        # Deleting the window on close deletes the web view (and its page) before Qt's profiles go.
        self.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        #: what was asked for at start, applied once the dataset is there (when read in the background)
        self._wanted: tuple[PartialDate | None, str, int | None, str] | None = None
        #: a large dataset whose timeline is made once the map has drawn it
        self._timeline_waits: Dataset | None = None
        #: the window shows a placeholder until its first dataset has been read
        self._reading = not isinstance(source, Dataset)
        if isinstance(source, Dataset):
            dataset = source
            first, last = year_bounds(dataset)
            prepared: PreparedDataset | None = prepare(dataset, when.year if when is not None else first)
        else:
            dataset = placeholder(source)
            first = last = when.year if when is not None else 1
            prepared = None
            # what was asked for, and what was remembered (used when nothing was asked for)
            self._wanted = (when, place, remembered_day, remembered_place)
        self.dataset = dataset
        self.setWindowTitle(window_title(dataset))
        self.state = AppState(first, last, self)
        if prepared is not None:
            self._show_start(when, remembered_day)

        self.distances = JourneyDistances(self)
        self.distances.ready.connect(self._on_distances)
        self.bordersRead.connect(self._on_borders_read)
        self.opener = DatasetOpener(self)
        self.opener.opened.connect(self.set_dataset)
        self.opener.failed.connect(self._on_open_failed)
        document = prepared.page_document if prepared is not None else None
        self.map_view = MapView(page_html, document, [p.id for p in dataset.places], self)
        self.map_view.setObjectName("mapView")
        self.map_view.setMinimumSize(480, 360)
        # The map is told of a new date first: its page draws in its own process while the views
        # here update (connected after it, they would add their 3-5 ms to every step of the map).
        self.state.dateChanged.connect(self.map_view.show_day)
        self.panel = ExcerptPanel(self.state, dataset, self)
        # beside the map: what the texts say of the place, the texts themselves (the reader)
        self.side = QTabWidget(self)
        self.side.setObjectName("sidePanel")
        self.side.setDocumentMode(True)
        self.side.addTab(self.panel, "Place")
        # a quote's "in context" (or a text found by search) opens the reader: shown first, so the
        # reader scrolls once it has its size
        self.state.passageRequested.connect(lambda *_: self.show_reader())
        self.reader = Reader(self.state, dataset, self)
        self.side.addTab(self.reader, "Text")
        self.place_list = PlaceList(self.state, self)
        self.place_list.set_dataset(dataset)
        self.side.addTab(self.place_list, "Places")
        self.search = SearchBox(self.state, self)
        self.search.set_dataset(dataset)
        side_column = QWidget(self)
        side_layout = QVBoxLayout(side_column)
        side_layout.setContentsMargins(0, 0, 0, 0)
        side_layout.setSpacing(2)
        side_layout.addWidget(self.search)
        side_layout.addWidget(self.side, 1)
        self.side_column = side_column
        self.whereabouts = WhereaboutsLine(self.state, dataset, self)
        self.timeline = LifeTimeline(self.state, placeholder(dataset.path), self)
        if prepared is not None:
            self._show_timeline(prepared)
        self.time_bar = TimeBar(self.state, prepared.event_days if prepared is not None else [], self)
        if prepared is not None:
            self.time_bar.set_event_days(prepared.event_days, prepared.change_days)

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
        splitter.addWidget(self.side_column)
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
        layout.addWidget(self.timeline)
        layout.addWidget(self.whereabouts)
        layout.addWidget(self.time_bar)
        self.setCentralWidget(central)
        self.resize(1280, 800)

        # state → views (the map's dateChanged is connected above, before the other views)
        self.state.selectedPlaceChanged.connect(self.map_view.select_place)
        self.state.hoveredPlaceChanged.connect(self.map_view.point_at)
        self.state.followChanged.connect(self.map_view.set_follow)
        # views → state
        self.map_view.placeClicked.connect(self.state.select_place)
        self.map_view.contextMenuRequested.connect(self._show_map_menu)
        self.map_view.failed.connect(self._on_map_failed)
        self.map_view.ready.connect(lambda: self.map_stack.setCurrentWidget(self.map_view))
        self.map_view.ready.connect(self._on_map_ready)
        # The year line's kilometres wait for the first paint: they are not needed before it.
        self.map_view.ready.connect(lambda: self.distances.compute(self.dataset, *self.state.bounds))
        self.map_view.javaScriptError.connect(lambda text: self.statusBar().showMessage(f"Map error: {text}"))

        # The summary is a permanent widget: status tips and notices (shown with showMessage) pass
        # over it and it stays.
        self.summary = QLabel(self)
        self.summary.setObjectName("summary")
        self.statusBar().addPermanentWidget(self.summary)
        self._build_menus()
        if settings is not None:
            self._restore_window(settings)
        self.distances.compute_if_quick(self.dataset, *self.state.bounds)
        if prepared is None:
            self._summary = f"Reading {dataset.path}…"
            self.panel.show_message(self._summary)
            self.time_bar.set_waiting(True)
            self.opener.open(dataset.path, self.state.year)
        else:
            self._summary = prepared.summary
            self.map_view.show_day(self.state.day)
            if place:
                self.state.select_place(place)
        self.summary.setText(self._summary)

    def _show_start(self, when: PartialDate | None, remembered_day: int | None) -> None:
        """The first date shown: the one asked for (its last day), else the one remembered, else
        the birth (or the first day of the first stay, if earlier or if no birth is given)."""
        if when is not None:
            self.state.set_day(day_number(when.last_day()))
        elif remembered_day is not None:
            self.state.set_day(remembered_day)
        else:
            legs = journey(self.dataset)
            born = self.dataset.person.born
            starts = [legs[0].first] if legs else [self.state.day_bounds[0]]
            if born is not None:
                starts.append(day_number(born.first_day()))
            self.state.set_day(min(starts))

    def _show_timeline(self, prepared: PreparedDataset) -> None:
        """The timeline of a prepared dataset: at once when it came prepared (a small one), else
        made in the background once the map has drawn it."""
        if prepared.timeline is not None:
            self.timeline.set_dataset(prepared.dataset, prepared.timeline)
            return
        self.timeline.set_dataset(placeholder(prepared.dataset.path))
        self._timeline_waits = prepared.dataset

    def _on_map_ready(self) -> None:
        warm_passages_in_background(self.dataset)
        waiting, self._timeline_waits = self._timeline_waits, None
        if waiting is not None and waiting is self.dataset:
            self.timeline.build_in_background(waiting)
            warm_in_background(waiting)

    @property
    def reading(self) -> bool:
        """Whether the window is still waiting for its first dataset (nothing to export or credit yet)."""
        return self._reading

    def start_map(self) -> None:
        """Load the map page (separate from construction so a caller can set up the profile first),
        and read the historical borders once it has painted: the panel and the line under the map
        name the polity of each place when they are in. Read while the page loads, their 0.3 s held
        the interpreter from the page's own requests and put 0.2 s on every start."""
        self.map_view.load_page()
        self.map_view.dayPainted.connect(self._read_borders)
        self.map_view.failed.connect(self._read_borders)

    def _read_borders(self, *_report: object) -> None:
        self.map_view.dayPainted.disconnect(self._read_borders)
        self.map_view.failed.disconnect(self._read_borders)
        run_in_thread("borders", _read_borders, self.bordersRead)

    def _on_borders_read(self) -> None:
        self.whereabouts.refresh()
        self.panel.refresh()

    def _build_menus(self) -> None:
        """File, View, Go and Help (see :mod:`app.widgets.menus`); window-wide keys are actions too."""
        state, bar = self.state, self.menuBar()
        actions: dict[str, QAction] = {}
        file_menu = add_menu(bar, "&File")
        fill(
            file_menu,
            self,
            [
                Command(
                    "open",
                    "&Open dataset…",
                    "Open another life-map dataset (JSON)",
                    self._choose_dataset,
                    [QKeySequence.StandardKey.Open],
                )
            ],
            actions,
        )
        self.recent_menu = file_menu.addMenu("Open &Recent")
        self.recent_menu.setToolTipsVisible(True)
        self.recent_menu.aboutToShow.connect(self._fill_recent)
        self.recent_menu.setEnabled(self.settings is not None)
        fill(
            file_menu,
            self,
            [
                Command(
                    "export_html",
                    "&Export map as HTML…",
                    "Write the map as one web page that works offline in any browser",
                    self._choose_export,
                    ["Ctrl+E"],
                )
            ],
            actions,
        )
        self._export_action = actions["export_html"]
        self.data_menu = file_menu.addMenu("Export &data")
        self.data_menu.setToolTipsVisible(True)
        for format_name, (label, suffix, description) in DATA_EXPORTS.items():
            action = self.data_menu.addAction(label, functools.partial(self._choose_data_export, format_name))
            action.setToolTip(f"{description} (*.{suffix})")
            action.setStatusTip(description)
        fill(
            file_menu,
            self,
            [
                Command(
                    "export_film",
                    "Export &film…",
                    "Film the map as the date runs, as an MP4 video or a GIF (a span, a length, a size)",
                    self._choose_film,
                ),
                Command(
                    "screenshot",
                    "Save &screenshot…",
                    "Save a picture of the window as PNG",
                    self._choose_screenshot,
                    ["Ctrl+Shift+S"],
                ),
                None,
                # the platform's own Quit key where it has one (offscreen has none: then Ctrl+Q)
                Command(
                    "quit",
                    "&Quit",
                    "Close the window (it remembers how it was left)",
                    self.close,
                    [QKeySequence.StandardKey.Quit, "Ctrl+Q"],
                ),
            ],
            actions,
        )
        # nothing to export before the first dataset
        self._export_action.setEnabled(not self._reading)
        self.data_menu.setEnabled(not self._reading)

        view = add_menu(bar, "&View")
        fill(
            view,
            self,
            [
                Command(
                    "show_panel",
                    "Side &panel",
                    "Show or hide the panel beside the map: the place, the texts",
                    self.side_column.setVisible,
                    ["F9"],
                    checked=True,
                ),
                Command(
                    "place_tab",
                    "What the texts say of the &place",
                    "The selected place's stays and quotes, beside the map",
                    lambda: self._show_side(self.panel),
                    ["Ctrl+1"],
                ),
                Command(
                    "reader",
                    "&Reader",
                    "Both texts whole, every passage about a place marked and linked to the map",
                    self.show_reader,
                    ["Ctrl+2"],
                ),
                Command(
                    "place_list",
                    "Place &list",
                    "Every place of the life, sortable by name or first visit",
                    lambda: self._show_side(self.place_list),
                    ["Ctrl+3"],
                ),
                Command(
                    "search",
                    "&Search…",
                    "Find a place by any of its names, or a phrase in the texts",
                    self._focus_search,
                    ["Ctrl+F"],
                ),
                Command(
                    "show_timeline",
                    "&Timeline",
                    "Show or hide the life's timeline under the map",
                    self.timeline.setVisible,
                    ["F8"],
                    checked=True,
                ),
                Command(
                    "legend", "&Legend", "Show or hide the map's legend", self.map_view.show_legend, ["L"], checked=True
                ),
                None,
                Command(
                    "fit_journey",
                    "Fit the whole &journey",
                    "Zoom the map out to every place of the life",
                    self.map_view.fit_journey,
                    ["J"],
                ),
                Command(
                    "fit_year",
                    "Fit this &date's places",
                    "Zoom the map to the places of the date shown",
                    self.map_view.fit_year,
                    ["Y"],
                ),
                Command(
                    "follow",
                    "&Follow the date",
                    "Zoom the map to each date's places as the date changes",
                    state.set_follow,
                    ["F"],
                    checked=state.follow,
                ),
                None,
                Command(
                    "full_screen",
                    "F&ull screen",
                    "Use the whole screen for the window",
                    self._set_full_screen,
                    [QKeySequence.StandardKey.FullScreen, "F11"],
                    checked=False,
                ),
            ],
            actions,
        )
        state.followChanged.connect(actions["follow"].setChecked)

        go = add_menu(bar, "&Go")
        bar_ = self.time_bar
        fill(
            go,
            self,
            [
                Command("go_to_date", "&Go to date…", "Type the date to show", self._focus_date_entry, ["Ctrl+G"]),
                None,
                Command(
                    "step_back",
                    "Step &back",
                    "Back by the unit chosen (a month at start)",
                    lambda: bar_.step(-1),
                    ["Left"],
                ),
                Command(
                    "step_forward",
                    "Step &forward",
                    "On by the unit chosen (a month at start)",
                    lambda: bar_.step(1),
                    ["Right"],
                ),
                Command(
                    "previous_year",
                    "Previous &year",
                    "The same day a year before",
                    lambda: state.step_year(-1),
                    ["Shift+Left"],
                ),
                Command(
                    "next_year", "Next y&ear", "The same day a year later", lambda: state.step_year(1), ["Shift+Right"]
                ),
                Command(
                    "previous_event",
                    "Previous &stay",
                    "The last day before this one on which a stay begins",
                    lambda: bar_.jump_event(-1),
                    ["Ctrl+Left"],
                ),
                Command(
                    "next_event",
                    "&Next stay",
                    "The next day on which a stay begins",
                    lambda: bar_.jump_event(1),
                    ["Ctrl+Right"],
                ),
                Command(
                    "previous_chapter",
                    "Previous c&hapter",
                    "The beginning of this chapter, or of the one before",
                    lambda: self._jump_chapter(-1),
                    ["Ctrl+PgUp"],
                ),
                Command(
                    "next_chapter",
                    "Next &chapter",
                    "The beginning of the next chapter",
                    lambda: self._jump_chapter(1),
                    ["Ctrl+PgDown"],
                ),
                Command(
                    "first_day",
                    "F&irst day",
                    "The first day of the life's first year",
                    lambda: state.set_day(state.day_bounds[0]),
                    ["Home"],
                ),
                Command(
                    "last_day",
                    "&Last day",
                    "The last day of the life's last year",
                    lambda: state.set_day(state.day_bounds[1]),
                    ["End"],
                ),
                None,
                Command(
                    "play", "&Play / pause", "Play the life a step at a time, or stop", bar_.toggle_play, ["Space"]
                ),
                Command(
                    "clear_selection",
                    "Clear the selecti&on",
                    "Show the date's places instead of one place",
                    lambda: state.select_place(""),
                    ["Escape"],
                ),
            ],
            actions,
        )
        self.chapters_menu = go.addMenu("Chap&ters")
        self.chapters_menu.setToolTipsVisible(True)
        self.chapters_menu.aboutToShow.connect(self._fill_chapters)

        help_menu = add_menu(bar, "&Help")
        fill(
            help_menu,
            self,
            [
                Command(
                    "shortcuts",
                    "&Keyboard shortcuts…",
                    "Every key of the window",
                    lambda: show_shortcuts(self, self.shortcut_rows()),
                    [QKeySequence.StandardKey.HelpContents, "F1"],
                ),
                Command(
                    "legend_help",
                    "Map &legend…",
                    "What every mark, line and colour of the map means",
                    lambda: LegendDialog(self).exec(),
                ),
                Command(
                    "credits",
                    "&Sources and credits…",
                    "The texts the dataset quotes, and their licences",
                    self._show_credits,
                ),
                Command(
                    "about",
                    "&About…",
                    "Versions of the app, Qt, Chromium and Python, and the dataset",
                    self._show_about,
                ),
            ],
            actions,
        )
        self.actions_by_name = actions

    def _show_side(self, widget: QWidget | None = None) -> None:
        """Show ``widget``'s tab of the side panel (showing the panel if it was hidden)."""
        if not self.side_column.isVisible():
            self.actions_by_name["show_panel"].setChecked(True)
            self.side_column.setVisible(True)
        if widget is not None:
            self.side.setCurrentWidget(widget)

    def _focus_search(self) -> None:
        self._show_side()
        self.search.focus_search()

    def show_reader(self) -> None:
        """Show the reader beside the map (at the selected place's first passage, if it has one)."""
        self._show_side(self.reader)

    def shortcut_rows(self) -> list[tuple[str, str]]:
        """(what, keys) for every action of the window that has a shortcut, in menu order."""
        return shortcut_rows(list(self.actions_by_name.values()))

    def _set_full_screen(self, full: bool) -> None:
        self.showFullScreen() if full else self.showNormal()

    def _focus_date_entry(self) -> None:
        self.time_bar.go_to.setFocus(Qt.FocusReason.ShortcutFocusReason)
        self.time_bar.go_to.selectAll()

    def _chapter_starts(self) -> list[int]:
        return sorted({chapter.days[0] for chapter in self.dataset.chapters})

    def _jump_chapter(self, direction: int) -> None:
        """The next chapter's first day, or (backwards) this chapter's if the date is past it, else
        the one before."""
        day = self.state.day
        starts = self._chapter_starts()
        later = [start for start in starts if start > day]
        earlier = [start for start in starts if start < day]
        if direction > 0 and later:
            self.state.set_day(later[0])
        elif direction < 0 and earlier:
            self.state.set_day(earlier[-1])

    def _fill_chapters(self) -> None:
        """Go › Chapters: every chapter of the dataset; the date's own is checked."""
        from geodata.queries import chapter_on

        self.chapters_menu.clear()
        current = chapter_on(self.dataset, self.state.day)
        for chapter in self.dataset.chapters:
            action = self.chapters_menu.addAction(
                chapter.title.replace("&", "&&"), functools.partial(self.state.set_day, chapter.days[0])
            )
            action.setCheckable(True)
            action.setChecked(chapter is current)
            kind = "in our words" if chapter.editorial else f"a heading of {chapter.source}"
            action.setToolTip(f"{chapter.start} – {chapter.end} ({kind})")
        if not self.dataset.chapters:
            self.chapters_menu.addAction("No chapters in this dataset").setEnabled(False)

    def _show_credits(self) -> None:
        QMessageBox.information(self, "Sources and credits", credits_html(self.dataset, whose_life(self.dataset)))

    def _show_about(self) -> None:
        QMessageBox.about(self, "About", about_html(self.dataset, whose_life(self.dataset), self._summary))

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
            lines = report.splitlines()
            if len(lines) > SHORT_REPORT_LINES:
                more = len(lines) - SHORT_REPORT_LINES
                lines = [*lines[:SHORT_REPORT_LINES], f"… and {more} more lines (the panel lists them all)"]
            short = "\n".join(lines)
            self.map_error.setText(f"The dataset could not be opened.\n\n{short}\n\nFile › Open can open another one.")
            self.map_stack.setCurrentWidget(self.map_error)
            self.panel.show_message(report)
            self.summary.setText(self._summary)
            self.statusBar().showMessage(self._summary)
            return
        self.statusBar().clearMessage()  # "Opening …" is over; the summary is still the open dataset's
        show_report(
            self, f"Cannot open {Path(path).name}", f"{path} could not be opened; the open dataset stays.", report
        )

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
            when, place, remembered_day, remembered_place = wanted
            first, last = self.state.bounds
            if when is not None and not first <= when.year <= last:
                messages.append(f"{when} is outside {first}–{last}")
            self._show_start(when, remembered_day)
            found = find_place(dataset, place) if place else None
            if place and found is None:
                messages.append(unknown_place_message(dataset, place))
            elif found is not None:
                self.state.select_place(found.id)
            elif remembered_place and dataset.place(remembered_place) is not None:
                self.state.select_place(remembered_place)
        if was_reading:
            self.time_bar.set_waiting(False)
            self._export_action.setEnabled(True)
            self.data_menu.setEnabled(True)
        self.panel.set_dataset(dataset)
        self.reader.set_dataset(dataset)
        self.place_list.set_dataset(dataset)
        self.search.set_dataset(dataset)
        self.whereabouts.set_dataset(dataset)
        self._show_timeline(prepared)
        self.time_bar.set_event_days(prepared.event_days, prepared.change_days)
        self.setWindowTitle(window_title(dataset))
        if self.settings is not None and dataset.path.is_file():
            self.settings.remember_dataset(dataset.path)
        self._summary = prepared.summary
        self.summary.setText(self._summary)
        if messages:
            self.statusBar().showMessage("; ".join(messages))
        else:
            self.statusBar().clearMessage()
        self.map_view.show_day(self.state.day)
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

    def _choose_film(self) -> None:
        """File › Export film…: one export at a time; the window stays usable while it runs."""
        from app.widgets.film_dialog import choose_film

        if self._film is not None:
            self._film.progress.raise_()
            self.statusBar().showMessage("A film is being exported; cancel it first to start another", NOTICE_MS)
            return
        self._film = choose_film(self, self.dataset, self.state.day, self.state.selected_place)
        if self._film is not None:
            self._film.done.connect(self._film_done)

    def _film_done(self, path: str) -> None:
        self._film = None
        message = f"Exported the film to {path}" if path else "The film was not made (cancelled or failed)"
        self.statusBar().showMessage(message, NOTICE_MS)

    def _choose_screenshot(self) -> None:
        name, _ = QFileDialog.getSaveFileName(self, "Save screenshot", "trotsky-map.png", "PNG (*.png)")
        if not name:
            return
        if self.grab().save(name):
            self.statusBar().showMessage(f"Saved the screenshot to {name}", NOTICE_MS)
        else:
            QMessageBox.warning(self, "Cannot save", f"{name}: the image could not be written")

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
        follow = settings.flag("follow")
        if follow is not None:
            self.state.set_follow(follow)
        for name in ("show_panel", "show_timeline", "legend"):
            shown = settings.flag(name)
            if shown is not None:
                self.actions_by_name[name].setChecked(shown)
        if settings.layer():
            self.map_view.set_layer(settings.layer())
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
            actions = self.actions_by_name
            flags = {"follow": self.state.follow}
            flags.update((name, actions[name].isChecked()) for name in ("show_panel", "show_timeline", "legend"))
            # a window still reading (or whose first file failed) has no date of its own to keep
            self.settings.save_window(
                self.saveGeometry(),
                self.splitter.saveState(),
                None if self._reading else self.state.day,
                None if self._reading else self.state.selected_place,
                flags,
                self.map_view.layer,
            )
        self.time_bar.stop()
        if self._film is not None:  # a film being made stops with the window, and leaves no file
            self._film.abort()
            self._film = None
        self.map_view.shutdown()
        super().closeEvent(event)
