"""How long the life timeline takes to repaint: ``python -m tests.benchmarks.timeline_paint DATASET [REPEATS]``.

Offscreen, at 1280×160, timing ``widget.repaint()`` (synchronous: the whole paint event, with the
widget's own update region set to everything) after

- ``after_date``: the state's date stepped by a month (the bars come from the cache);
- ``after_zoom``: a zoom step, sweeping from the whole life in to two weeks and out again (every
  step redraws the bars for a new view range, so this is the uncached cost).

Prints the median and 95th percentile of each, in milliseconds, and the time to build the widget.
"""

from __future__ import annotations

import datetime as dt
import os
import statistics
import sys
import time
from pathlib import Path

WIDTH, HEIGHT = 1280, 160
#: each zoom step magnifies (or shrinks) time by this much
ZOOM_FACTOR = 1.5


def measure(dataset_path: Path, repeats: int = 200) -> dict[str, list[float]]:
    """Repaint times in milliseconds: ``{"after_date": [...], "after_zoom": [...], "build": [ms]}``."""
    os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
    from PySide6.QtWidgets import QApplication

    from app.widgets.state import AppState, Unit
    from app.widgets.timeline import LifeTimeline
    from geodata.dates import day_number
    from geodata.loader import load_dataset
    from geodata.queries import year_bounds

    app = QApplication.instance() or QApplication([])
    dataset = load_dataset(dataset_path)
    state = AppState(*year_bounds(dataset))
    state.set_day(day_number(dt.date(1917, 4, 15)))
    started = time.perf_counter()
    widget = LifeTimeline(state, dataset)
    build = (time.perf_counter() - started) * 1000
    widget.setFixedSize(WIDTH, HEIGHT)
    widget.show()
    app.processEvents()
    widget.repaint()

    after_date: list[float] = []
    direction = 1
    for _ in range(repeats):
        before = state.day
        state.step(Unit.MONTH, direction)
        if state.day == before:  # reached an end: walk back
            direction = -direction
            state.step(Unit.MONTH, direction)
        started = time.perf_counter()
        widget.repaint()
        after_date.append((time.perf_counter() - started) * 1000)

    after_zoom: list[float] = []
    widget.fit_all()
    factor = ZOOM_FACTOR
    for _ in range(repeats):
        span = widget.visible_days()
        widget.zoom(factor, state.day)
        if widget.visible_days() == span:  # reached the narrowest or the widest view: turn round
            factor = 1 / factor
            widget.zoom(factor, state.day)
        started = time.perf_counter()
        widget.repaint()
        after_zoom.append((time.perf_counter() - started) * 1000)
    widget.close()
    widget.deleteLater()
    app.processEvents()
    return {"after_date": after_date, "after_zoom": after_zoom, "build": [build]}


def summary(samples: list[float]) -> str:
    ordered = sorted(samples)
    p95 = ordered[min(len(ordered) - 1, round(0.95 * (len(ordered) - 1)))]
    return f"median {statistics.median(ordered):6.2f} ms   p95 {p95:6.2f} ms   max {ordered[-1]:6.2f} ms"


def main(argv: list[str]) -> int:
    if not argv or len(argv) > 2:
        print(__doc__.splitlines()[0], file=sys.stderr)
        return 2
    repeats = int(argv[1]) if len(argv) > 1 else 200
    results = measure(Path(argv[0]), repeats)
    print(f"{argv[0]}: {repeats} repaints each at {WIDTH}×{HEIGHT}, widget built in {results['build'][0]:.0f} ms")
    for name in ("after_date", "after_zoom"):
        print(f"  {name:<10} {summary(results[name])}")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
