"""Soak: one long session of slider steps and clicks, watching the log and the memory.

    python -m tests.soak [--steps 20000] [--clicks 2000] [--dataset PATH] [--json OUT]

Runs the app offscreen exactly as the benchmarks do (``tests.benchmarks.worker.AppRun``), warms up,
then moves the year ±1 ``--steps`` times (each step waits for the page's painted-frame report) and
clicks markers ``--clicks`` times (each click waits for the panel). It fails (exit 1) on any log
record at WARNING or above (Python, Qt or the page's console) or on memory growth of 50 MB or more,
counting the Python process and the QtWebEngine processes (current RSS after warm-up vs. at the end).
Too slow for CI (several minutes); run it by hand before a release.
"""

from __future__ import annotations

import argparse
import json
import logging
import os
import random
import sys
import time
from pathlib import Path
from typing import Any

from tests.benchmarks import worker

GROWTH_LIMIT_MB = 50.0


class _Counter(logging.Handler):
    """Keeps every record at WARNING or above for the report."""

    def __init__(self) -> None:
        super().__init__(logging.WARNING)
        self.records: list[str] = []

    def emit(self, record: logging.LogRecord) -> None:
        self.records.append(f"{record.levelname} {record.name}: {record.getMessage()}")


def _rss_now_mb() -> dict[str, float]:
    from tests.benchmarks.worker import _status_kb, webengine_processes

    return {
        "python": _status_kb(os.getpid(), "VmRSS") / 1024,
        "webengine": sum(_status_kb(pid, "VmRSS") for pid in webengine_processes()) / 1024,
    }


def soak(dataset: Path, steps: int, clicks: int) -> dict[str, Any]:
    counter = _Counter()
    logging.getLogger().addHandler(counter)
    logging.getLogger().setLevel(logging.INFO)
    run = worker.AppRun(dataset, worker.monotonic())
    from app.environment import HARMLESS_QT_MESSAGES

    timer = worker.YearTimer(run)
    first, last = run.window.state.bounds
    rng = random.Random(1940)
    # Warm-up: twice through every year (so every zoom the follow mode uses has been shown and the
    # detailed basemap has been fetched) and some clicks; memory is measured from there on.
    year = run.window.state.year
    for warm_year in worker.bounce_years(first, last, year, 4 * (last - first)):
        timer.show(warm_year, through_state=True)
        year = warm_year
    worker.measure_clicks(run, timer, 40, rng, 120.0)
    worker.pause(500)
    before = _rss_now_mb()
    checkpoints: list[float] = []
    started = time.perf_counter()
    step_ms: list[float] = []
    done_clicks = 0
    block = max(1, steps // max(1, clicks // 20)) if clicks else steps
    remaining = steps
    while remaining > 0:
        batch = min(block, remaining)
        for next_year in worker.bounce_years(first, last, year, batch):
            step_ms.append(timer.show(next_year, through_state=True))
            year = next_year
        remaining -= batch
        checkpoints.append(round(sum(_rss_now_mb().values()), 1))
        if done_clicks < clicks:
            count = min(20, clicks - done_clicks)
            worker.measure_clicks(run, timer, count, rng, 120.0)
            done_clicks += count
            year = run.window.state.year
    while done_clicks < clicks:
        count = min(20, clicks - done_clicks)
        worker.measure_clicks(run, timer, count, rng, 120.0)
        done_clicks += count
    worker.pause(500)
    after = _rss_now_mb()
    elapsed = time.perf_counter() - started
    run.close()
    growth = (after["python"] + after["webengine"]) - (before["python"] + before["webengine"])
    problems = [record for record in counter.records if not record.split(": ", 1)[-1].startswith(HARMLESS_QT_MESSAGES)]
    step_ms.sort()
    return {
        "steps": len(step_ms),
        "clicks": done_clicks,
        "seconds": round(elapsed, 1),
        "step_ms": {
            "median": round(step_ms[len(step_ms) // 2], 2),
            "p95": round(step_ms[int(len(step_ms) * 0.95)], 2),
            "max": round(step_ms[-1], 2),
        },
        "rss_mb_before": {key: round(value, 1) for key, value in before.items()},
        "rss_mb_after": {key: round(value, 1) for key, value in after.items()},
        "growth_mb": round(growth, 1),
        "rss_mb_total_checkpoints": checkpoints,
        "log_problems": problems[:20],
        "ok": growth < GROWTH_LIMIT_MB and not problems,
    }


def main(argv: list[str] | None = None) -> int:
    from geodata.paths import BUNDLED_DATASET

    parser = argparse.ArgumentParser(prog="python -m tests.soak", description=__doc__.split("\n")[0])
    parser.add_argument("--steps", type=int, default=20_000)
    parser.add_argument("--clicks", type=int, default=2_000)
    parser.add_argument("--dataset", type=Path, default=BUNDLED_DATASET)
    parser.add_argument("--json", type=Path, help="also write the result here")
    args = parser.parse_args(argv)
    result = soak(args.dataset, args.steps, args.clicks)
    text = json.dumps(result, indent=2)
    print(text)
    if args.json:
        from geodata.atomic import write_text_atomic

        write_text_atomic(args.json, text + "\n")
    return 0 if result["ok"] else 1


if __name__ == "__main__":
    sys.exit(main())
