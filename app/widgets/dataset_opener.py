"""File › Open in the background: read, check and prepare a dataset without freezing the window.

At 100,000 places reading and checking take about 4 s and building the page's data 2 s; done in the
GUI thread that was a 7 s freeze. The work runs in a Python thread. Python runs one thread at a
time, so the window only stays responsive if the thread never spends long in one C call: the
loader parses the places one by one (``geodata.loader``) and the page document is encoded column
by column (``page_data.page_document``).
"""

from __future__ import annotations

import logging
import threading
from dataclasses import dataclass
from pathlib import Path

from PySide6.QtCore import QObject, Signal

from app.page import data as page_data
from app.widgets.background import run_in_thread
from app.widgets.timeline import TimelineData, timeline_data
from geodata.errors import DatasetError
from geodata.loader import gc_paused, keep_out_of_collections, load_dataset
from geodata.model import Dataset
from geodata.queries import active_places, journey, legs_of, legs_started_on, year_bounds

log = logging.getLogger(__name__)


@dataclass(frozen=True)
class PreparedDataset:
    """A checked dataset and what the window shows of it, computed off the GUI thread."""

    dataset: Dataset
    page_document: bytes
    event_days: list[int]
    change_days: list[int]
    summary: str
    #: the timeline's bars, for a small dataset (a large one's are made after the map has drawn)
    timeline: TimelineData | None


def event_days(dataset: Dataset) -> list[int]:
    """Days on which a stay begins (as the journey orders them): the stops of previous / next stay."""
    return sorted({leg.first for leg in journey(dataset)})


def change_days(dataset: Dataset) -> list[int]:
    """Days on which what the map shows can change: a stay begins, or the day after one ends (play
    skips the days between)."""
    return sorted({day for leg in journey(dataset) for day in (leg.first, leg.last + 1)})


def warm_date_queries(dataset: Dataset) -> None:
    """Build the date queries' tables (a place's legs, the legs' first days) now rather than on the
    first selection or step: at 100,000 places the first selection would take most of a second."""
    if dataset.places:
        legs_of(dataset, dataset.places[0])
        legs_started_on(dataset, 0)


def warm_passages_in_background(dataset: Dataset) -> None:
    """Mark the texts' passages (:func:`geodata.passages.passages`, about 20 ms for the bundled life)
    in a daemon thread once the map has drawn, so the reader's first showing does not compute them."""
    from geodata.passages import passages

    threading.Thread(target=passages, args=(dataset,), name="warm-passages", daemon=True).start()


def warm_in_background(dataset: Dataset) -> None:
    """:func:`warm_date_queries` in a daemon thread (for a large dataset, once its map has drawn)."""
    threading.Thread(target=warm_date_queries, args=(dataset,), name="warm-queries", daemon=True).start()


def summary(dataset: Dataset) -> str:
    """The status bar's line: counts and title."""
    stays = dataset.stays
    excerpts = sum(len(stay.excerpts) for stay in stays) + sum(len(c.excerpts) for c in dataset.crossings)
    crossings = f" · {len(dataset.crossings)} crossings" if dataset.crossings else ""
    return f"{len(dataset.places)} places · {len(stays)} stays{crossings} · {excerpts} excerpts — {dataset.title}"


def prepare(dataset: Dataset, year: int) -> PreparedDataset:
    """Everything the window needs from a dataset; also warms the queries a date step asks.

    The garbage collector stays paused throughout, and what was built is then kept out of full
    collections: one collection over the millions of objects of 100,000 places takes most of a
    second, and whichever thread triggers it holds every other one (the window's) meanwhile.
    """
    with gc_paused():
        document = page_data.page_document(dataset)
        first, last = year_bounds(dataset)
        active_places(dataset, min(max(year, first), last))
        if len(dataset.stays) <= QUICK_TIMELINE_STAYS:
            warm_date_queries(dataset)
        prepared = PreparedDataset(
            dataset,
            document,
            event_days(dataset),
            change_days(dataset),
            summary(dataset),
            timeline_data(dataset) if len(dataset.stays) <= QUICK_TIMELINE_STAYS else None,
        )
        keep_out_of_collections()
    return prepared


#: up to this many stays the timeline is made with the rest of the dataset; beyond, after the map
#: has drawn (at 10,000 places it takes 0.3 s, which the start should not wait for)
QUICK_TIMELINE_STAYS = 2000
#: problems listed in the report of a file that cannot be opened (the report dialog scrolls)
REPORT_LIMIT = 2000
#: of which the window shows this many where the map would be, when it has nothing else to show
SHORT_REPORT_LINES = 20


class DatasetOpener(QObject):
    """Opens dataset files one at a time in a background thread; a newer request supersedes an older.

    Signals:
        opened(object): a ``PreparedDataset`` for the latest request, delivered in the GUI thread.
        failed(str, str): the file's path and the problem report (file and field named) for the
            latest request.
    """

    opened = Signal(object)
    failed = Signal(str, str)
    _finished = Signal(int, object, str, str)

    def __init__(self, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self._latest = 0
        self._busy = False
        self._finished.connect(self._deliver)

    @property
    def busy(self) -> bool:
        """Whether a file is being opened."""
        return self._busy

    def open(self, path: Path, year: int) -> None:
        """Start opening ``path``; ``year`` is the year the window will show first."""
        self._latest += 1
        self._busy = True
        request = self._latest

        def job() -> tuple[object, ...]:
            try:
                with gc_paused():  # from the first object parsed to the last one prepared (see ``prepare``)
                    prepared: PreparedDataset | None = prepare(load_dataset(path, background=True), year)
                report = ""
            except DatasetError as error:
                prepared, report = None, error.report(limit=REPORT_LIMIT)
            except Exception as error:  # a bug or no memory left: say so rather than "Opening…" forever
                log.debug("opening %s failed", path, exc_info=True)
                prepared, report = None, f"{path}: cannot be opened ({type(error).__name__}: {error})"
            return request, prepared, str(path), report

        run_in_thread(f"open-dataset-{request}", job, self._finished)

    def _deliver(self, request: int, prepared: object, path: str, report: str) -> None:
        if request != self._latest:
            return  # superseded by a newer File › Open
        self._busy = False
        if isinstance(prepared, PreparedDataset):
            self.opened.emit(prepared)
        else:
            self.failed.emit(path, report)
