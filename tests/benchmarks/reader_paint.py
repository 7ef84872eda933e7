"""How fast the reader opens and jumps: ``python -m tests.benchmarks.reader_paint DATASET [REPEATS]``.

Offscreen, a reader of 480×700 beside nothing (what it paints does not depend on the map):

- ``open``: a freshly read dataset's reader shown for the first time with both texts marked, to the
  first painted frame — both documents built, the text shown laid out and painted — with the
  passages already computed, as the window has them by then (it marks them behind the map once
  the map has drawn);
- ``open_cold``: the same with the passages computed too (a reader shown before that);
- ``jump``: a place selected in the state → its first passage scrolled into view and painted,
  place after place (the documents already built).

Prints the median and 95th percentile of each, in milliseconds.
"""

from __future__ import annotations

import os
import statistics
import sys
import time
from pathlib import Path

WIDTH, HEIGHT = 480, 700


def measure(dataset_path: Path, repeats: int = 20, jumps: int = 200) -> dict[str, list[float]]:
    """Times in milliseconds: ``{"open": [...], "open_cold": [...], "jump": [...]}``."""
    os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
    from PySide6.QtWidgets import QApplication

    from app.widgets.reader import Reader
    from app.widgets.state import AppState
    from geodata.loader import load_dataset
    from geodata.passages import passages
    from geodata.queries import year_bounds

    app = QApplication.instance() or QApplication([])
    opened: list[float] = []
    cold: list[float] = []
    reader = None
    for number in range(2 * repeats):
        if reader is not None:
            reader.close()
            reader.deleteLater()
            app.processEvents()
        dataset = load_dataset(dataset_path)  # a fresh dataset: nothing marked yet
        state = AppState(*year_bounds(dataset))
        warm = number % 2 == 0
        if warm:
            passages(dataset)
        started = time.perf_counter()
        reader = Reader(state, dataset)
        reader.resize(WIDTH, HEIGHT)
        reader.show()
        for source_id in dataset.sources:
            reader.document(source_id)
        reader.repaint()
        reader.text.viewport().repaint()
        (opened if warm else cold).append((time.perf_counter() - started) * 1000)
    assert reader is not None
    app.processEvents()
    places = [place.id for place in dataset.places if passages(dataset).excerpts_of(place.id)]
    jumped: list[float] = []
    for number in range(jumps if places else 0):
        place_id = places[number % len(places)]
        if state.selected_place == place_id:
            state.select_place("")
        started = time.perf_counter()
        state.select_place(place_id)
        reader.text.viewport().repaint()
        jumped.append((time.perf_counter() - started) * 1000)
        if reader.current_passage is None or reader.current_passage not in reader.visible_passages():
            raise RuntimeError(f"the reader did not bring {place_id}'s passage into view")
    reader.close()
    reader.deleteLater()
    app.processEvents()
    return {"open": opened, "open_cold": cold, "jump": jumped}


def _summary(samples: list[float]) -> str:
    ordered = sorted(samples)
    p95 = ordered[min(len(ordered) - 1, round(0.95 * (len(ordered) - 1)))]
    return f"median {statistics.median(samples):.2f} ms, p95 {p95:.2f} ms ({len(samples)} samples)"


if __name__ == "__main__":
    from geodata.paths import BUNDLED_DATASET

    path = Path(sys.argv[1]) if len(sys.argv) > 1 else BUNDLED_DATASET
    result = measure(path, int(sys.argv[2]) if len(sys.argv) > 2 else 20)
    print("reader open:", _summary(result["open"]))
    print("reader open, passages not yet marked:", _summary(result["open_cold"]))
    print("reader jump:", _summary(result["jump"]))
