"""The kilometres travelled by each year, for the year line, computed in a paced background thread.

A geodesic takes ~0.1 ms a leg: nothing for one life, but 20 s of CPU at 100,000 places.
Python runs one thread at a time, so a thread computing flat out made the window's thread wait up to
5 ms (the interpreter's switch interval) each time it wanted to run again: a marker click took
30 ms instead of 5. The thread therefore pauses for a moment after every millisecond of work; the
window waits at most that millisecond, and the figures for a huge dataset arrive a little later.
"""

from __future__ import annotations

import time

from PySide6.QtCore import QObject, Signal

from app.widgets.background import run_in_thread
from geodata.model import Dataset

#: work between two pauses, and the pause (seconds)
WORK_S = 0.001
PAUSE_S = 0.001
#: up to this many stays the distances are computed at once, in the GUI thread (about 3 ms for the
#: bundled 60): the year line is then complete in the first frame instead of changing just after it
QUICK_STAYS = 1000


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

    def compute_if_quick(self, dataset: Dataset, first: int, last: int) -> None:
        """Compute and deliver the distances now if ``dataset`` is small (see ``QUICK_STAYS``)."""
        if self._for is dataset or not dataset.places or len(dataset.stays) > QUICK_STAYS:
            return
        from geodata.tools.distance import stops, totals_by_year

        self._for = dataset
        self.ready.emit(dataset, totals_by_year(stops(dataset), first, last))

    def compute(self, dataset: Dataset, first: int, last: int) -> None:
        """Start computing the distances of ``dataset`` unless they were already asked for."""
        if self._for is dataset:
            return
        self._for = dataset

        def job() -> tuple[object, ...]:
            # Imported here: the geodesic library is not needed before the first paint.
            from geodata.tools.distance import stops, totals_by_year

            return dataset, totals_by_year(stops(dataset), first, last, pace=Pacer())

        run_in_thread("journey-distances", job, self.ready)


class Pacer:
    """Called after each leg: sleeps ``PAUSE_S`` once ``WORK_S`` of work has passed since the last pause."""

    def __init__(self) -> None:
        self.pauses = 0
        self._since = time.perf_counter()

    def __call__(self) -> None:
        now = time.perf_counter()
        if now - self._since >= WORK_S:
            time.sleep(PAUSE_S)
            self.pauses += 1
            self._since = time.perf_counter()
