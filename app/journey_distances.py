"""The kilometres travelled by each year, for the year line, computed off the window's thread.

geopy's geodesic takes ~0.1 ms a leg: nothing for one life, but 20 s of CPU at 100,000 places. A
Python thread doing that much work slows the window's own thread down too (only one runs Python at
a time; a marker click took 30 ms instead of 5 while it ran), so a long journey is measured in a
helper process, and a short one in a thread, where starting a process would cost more than the
work.
"""

from __future__ import annotations

import logging
import multiprocessing
import os
import threading
from concurrent.futures import Future, ProcessPoolExecutor

from PySide6.QtCore import QObject, Signal

from geodata.distance import Stop, stops, totals_by_year
from geodata.model import Dataset

log = logging.getLogger(__name__)

#: journeys with at least this many stops are measured in a helper process
PROCESS_FROM_STOPS = 2_000


class JourneyDistances(QObject):
    """Computes ``{year: km}`` for a dataset in the background, once per dataset.

    Signals:
        ready(object, object): the dataset and its ``{year: km travelled by the end of it}``,
            delivered in the GUI thread.
    """

    ready = Signal(object, object)

    def __init__(self, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self._for: Dataset | None = None

    def compute(self, dataset: Dataset, first: int, last: int) -> None:
        """Start computing the distances of ``dataset`` unless they were already asked for."""
        if self._for is dataset:
            return
        self._for = dataset
        report = self.ready

        def deliver(km_by_year: dict[int, float]) -> None:
            try:
                report.emit(dataset, km_by_year)
            except RuntimeError:  # the window was closed and deleted meanwhile: nobody to tell
                log.debug("journey distances computed after the window closed")

        def work() -> None:
            journey_stops = stops(dataset)
            if len(journey_stops) < PROCESS_FROM_STOPS:
                deliver(totals_by_year(journey_stops, first, last))
                return
            try:
                deliver(_in_helper_process(journey_stops, first, last))
            except Exception as error:
                log.warning("the journey distances could not be computed: %s", error)

        threading.Thread(target=work, name="journey-distances", daemon=True).start()


def _lower_priority() -> None:
    """Runs first in the helper process: the window and the map's renderer come before it."""
    if hasattr(os, "nice"):
        os.nice(10)


def _in_helper_process(journey_stops: list[Stop], first: int, last: int) -> dict[int, float]:
    """``totals_by_year`` in a fresh Python process ("spawn": forking a Qt process is unsafe)."""
    context = multiprocessing.get_context("spawn")
    with ProcessPoolExecutor(max_workers=1, mp_context=context, initializer=_lower_priority) as pool:
        future: Future[dict[int, float]] = pool.submit(totals_by_year, journey_stops, first, last)
        return future.result()
