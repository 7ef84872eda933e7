"""``trotsky-map``: open the window, or render a screenshot / standalone HTML and exit.

With no display (a server, CI, a fresh headless machine) the app does not abort with a Qt error: it
says so, renders the map offscreen to ``trotsky-map.png`` and ``trotsky-map.html`` in the current
folder, and explains how to get the interactive window.
"""

from __future__ import annotations

import argparse
import logging
import sys
import time
from pathlib import Path
from typing import TYPE_CHECKING, Any

from app.environment import (
    has_display,
    install_qt_message_handler,
    missing_window_libraries,
    prepare_qt_environment,
    use_software_rendering,
)
from app.film.command import add_arguments as add_film_arguments
from geodata.dates import PartialDate, parse_partial_date
from geodata.errors import DatasetError
from geodata.loader import keep_out_of_collections, load_dataset
from geodata.model import Dataset
from geodata.names import find_place, unknown_place_message
from geodata.paths import BUNDLED_DATASET
from geodata.queries import year_bounds

if TYPE_CHECKING:
    from app.film.plan import FilmSpec
    from app.widgets.settings import Settings

log = logging.getLogger(__name__)

HEADLESS_PNG = Path("trotsky-map.png")
HEADLESS_HTML = Path("trotsky-map.html")


def _parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="trotsky-map",
        description="A desktop map of a life through space and time (Leon Trotsky's, 1879–1940, by default).",
    )
    parser.add_argument(
        "--dataset",
        type=Path,
        help="dataset JSON (default: the one open when the window was last closed, else the bundled one)",
    )
    parser.add_argument(
        "--year", type=int, help="year to show first (within the dataset's years): its last day, the whole year drawn"
    )
    parser.add_argument(
        "--date",
        type=_date_argument,
        metavar="YYYY[-MM[-DD]]",
        help="date to show first (a month or a year means its last day); wins over --year",
    )
    parser.add_argument("--place", default="", help="the place to select first: an id or any name (Prinkipo)")
    parser.add_argument(
        "--reader", action="store_true", help="open with the reader beside the map (at --place's first passage)"
    )
    parser.add_argument("--screenshot", type=Path, metavar="OUT.png", help="save a picture of the window and exit")
    parser.add_argument("--export-html", type=Path, metavar="OUT.html", help="write a standalone offline page and exit")
    add_film_arguments(parser)
    parser.add_argument("--verbose", action="store_true", help="log more")
    parser.add_argument(
        "--reset-settings", action="store_true", help="forget the window, date, selection and recent datasets"
    )
    parser.add_argument("--version", action=_Versions, help="print the versions of the app, Python, Qt and Chromium")
    parser.add_argument(
        "--install-desktop-entry",
        action="store_true",
        help="add the app to this user's desktop menu (files under $XDG_DATA_HOME, default ~/.local/share) and exit",
    )
    return parser


class _Versions(argparse.Action):
    """``--version``: print ``app.widgets.about.versions()`` and exit 0 (argparse's own version action needs the text
    before parsing, which would import Qt for every start)."""

    def __init__(self, option_strings: list[str], dest: str, **kwargs: Any) -> None:
        super().__init__(option_strings, dest, nargs=0, default=argparse.SUPPRESS, **kwargs)

    def __call__(self, parser: argparse.ArgumentParser, *_args: object, **_kwargs: object) -> None:
        from app.widgets.about import versions

        print(versions())
        parser.exit()


def _date_argument(text: str) -> PartialDate:
    """``--date``: ``YYYY``, ``YYYY-MM`` or ``YYYY-MM-DD``; a malformed or impossible date is a usage error."""
    try:
        return parse_partial_date(text)
    except ValueError as error:
        raise argparse.ArgumentTypeError(str(error)) from None


def _export_year(args: argparse.Namespace) -> int | None:
    """The exported page moves by years: ``--date``'s year, else ``--year``."""
    return args.date.year if args.date is not None else args.year  # type: ignore[no-any-return]


def _check_arguments(parser: argparse.ArgumentParser, args: argparse.Namespace, dataset: Dataset) -> None:
    first, last = year_bounds(dataset)
    if args.year is not None and not first <= args.year <= last:
        parser.error(f"--year {args.year} is outside {first}–{last}, the years of {dataset.path.name}")
    if args.date is not None and not first <= args.date.year <= last:
        parser.error(f"--date {args.date} is outside {first}–{last}, the years of {dataset.path.name}")
    if args.place:
        place = find_place(dataset, args.place)
        if place is None:
            parser.error(f"--place: {unknown_place_message(dataset, args.place)}")
        args.place = place.id


#: datasets from this size on are read after the window opens (see ``reads_in_background``)
BACKGROUND_FROM_BYTES = 4_000_000


def reads_in_background(path: Path) -> bool:
    """Whether the window should open first and read ``path`` behind it.

    Reading and checking take about 45 ms per MB (4 s for 100,000 places); the window should not
    wait that long. Small files are read first, so their problems are printed before any window opens.
    """
    try:
        return path.is_file() and path.stat().st_size >= BACKGROUND_FROM_BYTES
    except OSError:
        return False


def main(argv: list[str] | None = None) -> int:
    started = time.perf_counter()
    parser = _parser()
    args = parser.parse_args(argv)
    if args.install_desktop_entry:  # plain file copies, before anything imports Qt
        from app import desktop_entry

        return desktop_entry.main()
    logging.basicConfig(
        level=logging.INFO if args.verbose else logging.WARNING, format="%(levelname)s %(name)s: %(message)s"
    )
    # asked once: the check runs ldd on Qt's X11 plugin
    filming = args.export_video is not None
    missing = missing_window_libraries() if args.screenshot is None and has_display() and not filming else []
    interactive = not args.export_html and args.screenshot is None and has_display() and not missing and not filming
    window_only = interactive or (not args.export_html and args.screenshot is not None and not filming)
    # Only the interactive window remembers and restores; pictures and exports are reproducible.
    settings = _settings(args.reset_settings, interactive)
    notice = ""
    remembered = settings.last_dataset() if settings is not None and args.dataset is None else None
    if remembered is not None and not remembered.is_file():
        notice = f"The last dataset, {remembered}, is gone; showing the bundled one."
        remembered = None
    args.dataset = args.dataset or remembered or BUNDLED_DATASET
    if window_only and reads_in_background(args.dataset):
        # --year and --place are checked once the file is read (the window says so if they do not fit).
        return _run_gui(args.dataset, args, args.screenshot, started, settings, notice)
    try:
        dataset = load_dataset(args.dataset)
    except DatasetError as error:
        if remembered is None:
            print(f"trotsky-map: cannot open the dataset\n{error.report()}", file=sys.stderr)
            return 1
        notice = f"The last dataset, {remembered}, cannot be opened now; showing the bundled one."
        log.warning("%s\n%s", notice, error.report())
        args.dataset = BUNDLED_DATASET
        dataset = load_dataset(BUNDLED_DATASET)
    keep_out_of_collections()
    _check_arguments(parser, args, dataset)
    if filming:
        from app.film.command import film_spec

        return _run_film(dataset, film_spec(parser, args, dataset), args.export_video)

    if args.export_html:
        from app.page.export_html import write_standalone_html

        try:
            write_standalone_html(dataset, args.export_html, _export_year(args), args.place)
        except OSError as error:
            print(f"trotsky-map: cannot write {args.export_html}: {error.strerror or error}", file=sys.stderr)
            return 1
        print(f"Wrote {args.export_html}")
        if not args.screenshot:
            return 0

    screenshot: Path | None = args.screenshot
    if screenshot is None and (missing or not has_display()):
        if missing:
            print(
                "trotsky-map: a display is set, but Qt cannot open a window on it; these system libraries are\n"
                f"missing: {', '.join(missing)}.\n"
                "On Debian/Ubuntu: apt-get install libxcb-cursor0 libxcb-icccm4 libxcb-keysyms1 libxcb-shape0 "
                "libxcb-randr0 libxcb-render-util0 libxcb-image0 libxkbcommon-x11-0\n"
                "Rendering the map offscreen instead."
            )
        else:
            print("trotsky-map: there is no display here, so no window can open.\nRendering the map offscreen instead.")
        from app.page.export_html import write_standalone_html

        try:
            write_standalone_html(dataset, HEADLESS_HTML, _export_year(args), args.place)
        except OSError as error:
            print(f"trotsky-map: cannot write {HEADLESS_HTML}: {error.strerror or error}", file=sys.stderr)
            return 1
        screenshot = HEADLESS_PNG
        status = _run_gui(dataset, args, screenshot, started)
        if status == 0:
            print(
                f"  picture:  {HEADLESS_PNG.resolve()}\n"
                f"  map page: {HEADLESS_HTML.resolve()}  (opens in any browser, offline)\n"
                "For the interactive window, run it in a desktop session, or under a virtual display:\n"
                "  xvfb-run -a make run"
            )
        return status
    return _run_gui(dataset, args, screenshot, started, settings, notice)


def _run_film(dataset: Dataset, spec: FilmSpec, out: Path) -> int:
    """Film offscreen (whatever the display) and exit: 0 with the film's path printed, 1 with the
    reason if it could not be made; Ctrl+C cancels and leaves no file."""
    import signal

    prepare_qt_environment(offscreen=True, film=True)
    from PySide6.QtCore import QTimer
    from PySide6.QtWidgets import QApplication

    from app.film.command import Progress
    from app.film.render import FilmRenderer
    from app.web.scheme import register_scheme

    register_scheme()
    install_qt_message_handler()
    use_software_rendering()
    application = QApplication.instance() or QApplication(sys.argv[:1])
    renderer = FilmRenderer(dataset, spec, out)
    progress = Progress()
    result: dict[str, str] = {}

    def stop(key: str, value: str) -> None:
        result[key] = value
        application.quit()

    renderer.progress.connect(progress.update)
    renderer.finished.connect(lambda path: stop("path", path))
    renderer.failed.connect(lambda message: stop("error", message))
    renderer.cancelled.connect(lambda: stop("error", "cancelled"))
    previous = signal.signal(signal.SIGINT, lambda *_args: renderer.cancel())
    ticker = QTimer()  # lets Python see Ctrl+C while Qt's loop runs
    ticker.start(200)
    ticker.timeout.connect(lambda: None)
    QTimer.singleShot(0, renderer.start)
    try:
        application.exec()
    finally:
        signal.signal(signal.SIGINT, previous)
        ticker.stop()
    progress.end()
    if "path" not in result:
        print(f"trotsky-map: no film: {result.get('error', 'the app stopped')}", file=sys.stderr)
        return 1
    print(result["path"])
    return 0


def _settings(reset: bool, interactive: bool) -> Settings | None:
    """The app's settings for the interactive window (emptied first with ``--reset-settings``)."""
    if not (reset or interactive):
        return None
    from app.widgets.settings import Settings

    settings = Settings()
    if reset:
        settings.reset()
    return settings if interactive else None


def _set_window_icon() -> None:
    """The app's icon in every shipped size, for every window (on Wayland the compositor takes the
    icon from the desktop entry named by the desktop file name instead)."""
    from PySide6.QtCore import QSize
    from PySide6.QtGui import QIcon
    from PySide6.QtWidgets import QApplication

    from app.desktop_entry import APP_ID, ICON_SIZES, icon_png

    icon = QIcon()
    for size in ICON_SIZES:
        icon.addFile(str(icon_png(size)), QSize(size, size))
    QApplication.setWindowIcon(icon)
    QApplication.setDesktopFileName(APP_ID)


def _run_gui(
    dataset: Dataset | Path,
    args: argparse.Namespace,
    screenshot: Path | None,
    started: float,
    settings: Settings | None = None,
    notice: str = "",
) -> int:
    from app.page.assets import missing_files

    missing = missing_files()
    if missing:
        listed = "\n".join(f"  {path}" for path in missing)
        print(
            f"trotsky-map: files the map needs are missing:\n{listed}\n"
            "Reinstall the app (make clean && make run) to restore them.",
            file=sys.stderr,
        )
        return 1
    offscreen = screenshot is not None or not has_display() or bool(missing_window_libraries())
    prepare_qt_environment(offscreen=offscreen)
    import shiboken6
    from PySide6.QtCore import QCoreApplication, QEvent
    from PySide6.QtWidgets import QApplication

    from app.page.cache import cached_page
    from app.web.scheme import register_scheme

    register_scheme()
    install_qt_message_handler()
    if offscreen:
        use_software_rendering()
    application = QApplication.instance() or QApplication(sys.argv[:1])
    application.setApplicationName("trotsky-map")
    _set_window_icon()

    from app.widgets.main_window import MainWindow

    window = MainWindow(dataset, cached_page(), year=args.year, place=args.place, settings=settings, date=args.date)
    if args.reader:
        window.show_reader()
    if notice:
        window.statusBar().showMessage(notice)
    window.show()
    window.start_map()
    if screenshot is None:
        return application.exec()

    from app.capture import capture_when_ready

    result: dict[str, object] = {}

    def done(ok: bool, message: str) -> None:
        result.update(ok=ok, message=message)
        application.quit()

    capture_when_ready(window, screenshot, done)
    application.exec()
    if shiboken6.isValid(window):
        window.close()
    QCoreApplication.sendPostedEvents(None, QEvent.Type.DeferredDelete)
    if not result.get("ok"):
        print(f"trotsky-map: no screenshot: {result.get('message', 'the app stopped')}", file=sys.stderr)
        return 1
    logging.getLogger(__name__).info("screenshot after %.2f s", time.perf_counter() - started)
    print(f"Saved {result['message']}")
    return 0
