"""One measurement in one fresh process, offscreen; prints exactly one JSON line on stdout.

``python -m tests.benchmarks.worker MODE [--dataset PATH] [...]`` with MODE:

- ``floor``: a bare QWebEngineView loading an empty page: process start → ``loadFinished`` + a
  ``requestAnimationFrame`` callback in the page + the Qt event loop running again.
- ``start``: the app as ``app.cli`` starts it (load + validate the dataset, build the folium page,
  ``MainWindow``, show, load the map): process start → ``MapView.ready`` + the page's painted-frame
  report for the first year + the Qt event loop running again ("responsive").
- ``session``: the same start, then the year steps, jumps, marker clicks, memory, a slider drag
  through ``AppState`` with an event-loop heartbeat (the UI freeze), and File › Open of the dataset.
- ``naive``: ``tests.benchmarks.naive`` (regenerate the folium page and reload it for every year).

Process start is the moment the parent took just before spawning us (``CLOCK_MONOTONIC``, which is
system-wide on Linux, passed in ``TM_BENCH_SPAWNED_AT``), so it includes fork/exec and interpreter
start-up. Without that variable the creation time of this process from ``/proc/self/stat`` (clock
ticks since boot, 10 ms resolution) is used instead; both are reported.
"""

from __future__ import annotations

import time

ORIGIN_ENV = "TM_BENCH_SPAWNED_AT"
_IMPORTED_AT = time.clock_gettime(time.CLOCK_MONOTONIC)

import argparse  # noqa: E402  (the time above is taken before anything else is imported)
import datetime as dt  # noqa: E402
import json  # noqa: E402
import logging  # noqa: E402
import os  # noqa: E402
import random  # noqa: E402
import sys  # noqa: E402
import tempfile  # noqa: E402
import traceback  # noqa: E402
from collections.abc import Callable  # noqa: E402
from pathlib import Path  # noqa: E402
from typing import Any  # noqa: E402

WEBENGINE_PROCESS = "QtWebEngineProc"  # /proc/<pid>/comm keeps 15 characters of QtWebEngineProcess
STEP_TIMEOUT_S = 300.0
CLICK_TIMEOUT_S = 10.0
START_TIMEOUT_S = 600.0


def monotonic() -> float:
    return time.clock_gettime(time.CLOCK_MONOTONIC)


def proc_start_monotonic() -> float:
    """This process's creation time (``/proc/self/stat`` field 22) on the ``CLOCK_MONOTONIC`` scale."""
    with open("/proc/self/stat", encoding="ascii") as handle:
        stat = handle.read()
    fields = stat[stat.rindex(")") + 2 :].split()  # fields from 3 (state) on
    started_after_boot = int(fields[22 - 3]) / os.sysconf("SC_CLK_TCK")
    age = time.clock_gettime(time.CLOCK_BOOTTIME) - started_after_boot
    return monotonic() - age


def process_origin() -> tuple[float, str]:
    """When this process started, and where that time comes from ("parent" or "proc")."""
    value = os.environ.get(ORIGIN_ENV)
    if value:
        return float(value), "parent"
    return proc_start_monotonic(), "proc"


# -- memory ------------------------------------------------------------------------------------


def _status_kb(pid: int, key: str) -> int:
    try:
        with open(f"/proc/{pid}/status", encoding="ascii", errors="replace") as handle:
            for line in handle:
                if line.startswith(key + ":"):
                    return int(line.split()[1])
    except OSError:
        pass
    return 0


def _pss_kb(pid: int) -> int:
    try:
        with open(f"/proc/{pid}/smaps_rollup", encoding="ascii", errors="replace") as handle:
            for line in handle:
                if line.startswith("Pss:"):
                    return int(line.split()[1])
    except OSError:
        pass
    return 0


def descendants(root: int) -> list[int]:
    """Every process below ``root`` (children, grandchildren, …), from ``/proc``."""
    children: dict[int, list[int]] = {}
    for entry in os.listdir("/proc"):
        if not entry.isdigit():
            continue
        try:
            with open(f"/proc/{entry}/stat", encoding="ascii", errors="replace") as handle:
                stat = handle.read()
        except OSError:
            continue
        parent = int(stat[stat.rindex(")") + 2 :].split()[1])
        children.setdefault(parent, []).append(int(entry))
    found: list[int] = []
    queue = [root]
    while queue:
        for child in children.get(queue.pop(), []):
            found.append(child)
            queue.append(child)
    return found


def webengine_processes() -> list[int]:
    pids = []
    for pid in descendants(os.getpid()):
        try:
            with open(f"/proc/{pid}/comm", encoding="utf-8", errors="replace") as handle:
                if handle.read().strip().startswith(WEBENGINE_PROCESS):
                    pids.append(pid)
        except OSError:
            continue
    return pids


def memory() -> dict[str, Any]:
    """Peak RSS (VmHWM) of this process and the sum of the QtWebEngine processes' peaks, in MB.

    The sum over processes counts pages they share (the zygote's) more than once, so the current
    proportional set size (PSS) sum is reported beside it.
    """
    pids = webengine_processes()
    return {
        "python_mb": _status_kb(os.getpid(), "VmHWM") / 1024,
        "webengine_mb": sum(_status_kb(pid, "VmHWM") for pid in pids) / 1024,
        "webengine_rss_now_mb": sum(_status_kb(pid, "VmRSS") for pid in pids) / 1024,
        "webengine_pss_now_mb": sum(_pss_kb(pid) for pid in pids) / 1024,
        "webengine_processes": len(pids),
    }


# -- Qt helpers --------------------------------------------------------------------------------


def prepare_qt() -> Any:
    """Offscreen Qt exactly as ``app.cli`` prepares it; returns the QApplication."""
    from app.environment import install_qt_message_handler, prepare_qt_environment, use_software_rendering

    prepare_qt_environment(offscreen=True)
    from PySide6.QtWidgets import QApplication

    from app.web.scheme import register_scheme

    register_scheme()
    install_qt_message_handler()
    use_software_rendering()
    application = QApplication.instance() or QApplication(sys.argv[:1])
    application.setApplicationName("trotsky-map")
    return application


class Waiter:
    """Run the Qt event loop until ``finish`` is called or the timeout passes."""

    def __init__(self) -> None:
        from PySide6.QtCore import QEventLoop

        self.loop = QEventLoop()
        self.done = False
        self.value: Any = None
        self.at = 0.0

    def finish(self, value: Any = None) -> None:
        if not self.done:
            self.at = time.perf_counter()
            self.done = True
            self.value = value
            self.loop.quit()

    def wait(self, timeout_s: float) -> bool:
        from PySide6.QtCore import QTimer

        if self.done:
            return True
        timer = QTimer()
        timer.setSingleShot(True)
        timer.timeout.connect(self.loop.quit)
        timer.start(max(1, int(timeout_s * 1000)))
        self.loop.exec()
        timer.stop()
        return self.done


def pause(ms: int) -> None:
    """Let the event loop run for ``ms`` milliseconds (outside any timed interval)."""
    waiter = Waiter()
    waiter.wait(ms / 1000)


class Heartbeat:
    """A 5 ms timer; the longest gap between its ticks is how long the Qt event loop was blocked."""

    INTERVAL_MS = 5

    def __init__(self) -> None:
        from PySide6.QtCore import Qt, QTimer

        self.timer = QTimer()
        self.timer.setTimerType(Qt.TimerType.PreciseTimer)
        self.timer.setInterval(self.INTERVAL_MS)
        self.timer.timeout.connect(self._tick)
        self.last = 0.0
        self.max_gap = 0.0

    def start(self) -> None:
        self.last = time.perf_counter()
        self.max_gap = 0.0
        self.timer.start()

    def _tick(self) -> None:
        now = time.perf_counter()
        self.max_gap = max(self.max_gap, now - self.last)
        self.last = now

    def stop(self) -> float:
        """Stop; the longest gap in ms (including the time since the last tick)."""
        self._tick()
        self.timer.stop()
        return self.max_gap * 1000


def run_js(view: Any, script: str, timeout_s: float = 30.0) -> Any:
    from PySide6.QtWebEngineCore import QWebEngineScript

    waiter = Waiter()
    view.page().runJavaScript(script, QWebEngineScript.ScriptWorldId.MainWorld, waiter.finish)
    if not waiter.wait(timeout_s):
        raise TimeoutError(f"no answer from the page to {script!r}")
    return waiter.value


# -- the app's start ---------------------------------------------------------------------------


def page_source() -> Callable[[], str]:
    """What ``app.cli`` builds the page with: the on-disk page cache when the app has one."""
    try:
        from app.page.cache import cached_page
    except ImportError:
        from app.page.builder import build_page

        return build_page
    return cached_page


class AppRun:
    """The app started as ``app.cli._run_gui`` starts it (same order of steps), with the time of each
    milestone since process start. Keep it in step with ``app.cli`` when that changes."""

    def __init__(self, dataset_path: Path, origin: float) -> None:
        self.origin = origin
        self.marks: dict[str, float] = {"worker_imported": _IMPORTED_AT - origin}
        from app.cli import reads_in_background
        from geodata.loader import keep_out_of_collections, load_dataset
        from geodata.model import Dataset

        #: as the app does: a large file is read after the window opens (load_ms is then timed apart)
        self.background = reads_in_background(dataset_path)
        self.dataset_path = dataset_path
        source: Dataset | Path = dataset_path
        self.load_ms: float | None = None
        if not self.background:
            started = time.perf_counter()
            source = self.dataset = load_dataset(dataset_path)
            self.load_ms = (time.perf_counter() - started) * 1000
            keep_out_of_collections()
            self.mark("dataset_loaded")
        from app.page.assets import missing_files

        if missing_files():
            raise RuntimeError(f"files the map needs are missing: {missing_files()}")
        self.application = prepare_qt()
        self.mark("qt_ready")
        from app.widgets.main_window import MainWindow

        page_html = page_source()()
        self.mark("page_built")
        self.window = MainWindow(source, page_html)
        self.mark("window_built")
        self.view = self.window.map_view
        self.bridge = self.view.bridge
        self._ready = False
        self._start_waiter = Waiter()
        self.view.ready.connect(self._on_ready)
        self.bridge.dayPainted.connect(self._on_first_paint)
        self.heartbeat = Heartbeat()
        self.window.show()
        self.window.start_map()
        self.mark("shown")
        from PySide6.QtCore import QTimer

        # The window answers input once its event loop turns (the dataset may still be read).
        QTimer.singleShot(0, lambda: self.mark("window_responsive"))
        self.heartbeat.start()
        if not self._start_waiter.wait(START_TIMEOUT_S):
            raise TimeoutError(f"the map was not ready after {START_TIMEOUT_S:.0f} s")
        self.start_stall_ms = self.heartbeat.stop()
        self.start_s = self.marks["responsive"]
        self.window_s = self.marks["window_responsive"]
        self.dataset = self.window.dataset
        self.view.ready.disconnect(self._on_ready)
        self.bridge.dayPainted.disconnect(self._on_first_paint)

    def mark(self, name: str) -> None:
        self.marks[name] = monotonic() - self.origin

    def _on_ready(self) -> None:
        self._ready = True
        self.mark("ready")

    def _on_first_paint(self, day: int, _token: int) -> None:
        from PySide6.QtCore import QTimer

        if not self._ready or day != self.window.state.day or "painted" in self.marks:
            return
        self.mark("painted")

        def responsive() -> None:
            self.mark("responsive")
            self._start_waiter.finish()

        QTimer.singleShot(0, responsive)

    def close(self) -> None:
        from PySide6.QtCore import QCoreApplication, QEvent

        self.window.close()
        QCoreApplication.sendPostedEvents(None, QEvent.Type.DeferredDelete)


# -- session measurements ----------------------------------------------------------------------


class YearTimer:
    """Times ``MapView.show_day(d)`` → the page's painted-frame report for ``d`` (a year is shown as
    its last day, as the app's state shows it).

    Listens to the bridge's report rather than ``MapView.dayPainted``: after the view's 1 s paint
    watchdog has fired, the view drops a late report and would never emit ``dayPainted`` (the count
    of the view's own reports is returned so that this shows).
    """

    def __init__(self, run: AppRun) -> None:
        self.run = run
        self.expected: int | None = None
        self.waiter = Waiter()
        self.view_reports = 0
        run.bridge.dayPainted.connect(self._on_painted)
        run.view.dayPainted.connect(self._on_view_painted)

    def _on_painted(self, day: int, _token: int) -> None:
        if day == self.expected:
            self.waiter.finish(day)

    def _on_view_painted(self, _day: int) -> None:
        self.view_reports += 1

    def show(self, year: int, through_state: bool = False) -> float:
        """Milliseconds until ``year`` (its last day) is painted (set on the view, or on the state)."""
        from app.widgets.state import last_day_of

        return self.show_day(last_day_of(year), through_state)

    def show_day(self, day: int, through_state: bool = False) -> float:
        """Milliseconds until the day number ``day`` is painted (set on the view, or on the state)."""
        self.expected = day
        self.waiter = Waiter()
        already = self.run.view.shown_day == day
        started = time.perf_counter()
        if through_state:
            self.run.window.state.set_day(day)
        else:
            self.run.view.show_day(day)
        if already:
            return 0.0
        if not self.waiter.wait(STEP_TIMEOUT_S):
            raise TimeoutError(f"day {day} was not painted within {STEP_TIMEOUT_S:.0f} s")
        return (self.waiter.at - started) * 1000


def bounce_years(first: int, last: int, start: int, count: int) -> list[int]:
    """``count`` ±1 steps from ``start``, turning round at the bounds."""
    years, year, direction = [], start, 1
    if first == last:
        return []
    for _ in range(count):
        if not first <= year + direction <= last:
            direction = -direction
        year += direction
        years.append(year)
    return years


def random_years(first: int, last: int, start: int, count: int, rng: random.Random) -> list[int]:
    """``count`` random years (fixed seed), each different from the one before."""
    years, year = [], start
    if first == last:
        return []
    for _ in range(count):
        choice = year
        while choice == year:
            choice = rng.randint(first, last)
        year = choice
        years.append(year)
    return years


def progress(text: str) -> None:
    print(f"  [worker {os.getpid()}] {text}", file=sys.stderr, flush=True)


def timed_years(
    timer: YearTimer, years: list[int], rng: random.Random, budget_s: float, label: str
) -> tuple[list[float], int]:
    """Time each year change (see :func:`timed_series`)."""
    return timed_series(timer.show, years, rng, budget_s, label)


def timed_series(
    show: Callable[[int], float], changes: list[int], rng: random.Random, budget_s: float, label: str
) -> tuple[list[float], int]:
    """Time each change (``show`` returns its milliseconds); before each, an untimed idle gap of
    20–50 ms (random, seeded).

    The gap makes each figure the latency of one change arriving at a random moment of the page's
    60 Hz frame clock, as a key press or slider move does: back to back, every change would wait
    for the next frame and measure the frame rate instead. Stops early (after at least one) when
    ``budget_s`` is spent; returns the times and how many changes were planned.
    """
    times: list[float] = []
    started = time.perf_counter()
    for change in changes:
        if times and time.perf_counter() - started > budget_s:
            progress(f"{label}: time budget of {budget_s:.0f} s spent after {len(times)} of {len(changes)}")
            break
        pause(rng.randint(20, 50))
        times.append(show(change))
    return times, len(changes)


def bounce_months(bounds: tuple[int, int], year: int, count: int) -> list[int]:
    """``count`` ±1 month steps from the middle of ``year`` (as the window's ← → keys make them),
    turning round at the bounds."""
    from app.widgets.state import Unit, shifted
    from geodata.dates import day_number

    first, last = bounds
    day, direction, days = day_number(dt.date(year, 6, 15)), 1, []
    for _ in range(count):
        stepped = shifted(day, Unit.MONTH, direction)
        if not first <= stepped <= last:
            direction = -direction
            stepped = shifted(day, Unit.MONTH, direction)
        day = stepped
        days.append(day)
    return days


def click_year(run: AppRun) -> tuple[int, list[str]]:
    """The year to click in and the ids of its active places (shown as large markers): the year on
    the map when it has at least 5 (no extra year change, which takes most of a minute at 100,000
    places), else the year with the most active places (1917 in the bundled dataset)."""
    first, last = run.window.state.bounds
    active: dict[int, set[str]] = {}
    for place in run.dataset.places:
        for stay in place.stays:
            for year in range(max(stay.start.year, first), min(stay.end.year, last) + 1):
                active.setdefault(year, set()).add(place.id)
    shown = run.view.shown_year
    if shown is not None and len(active.get(shown, ())) >= 5:
        return shown, sorted(active[shown])
    year = max(active, key=lambda y: (len(active[y]), -y))
    return year, sorted(active[year])


def measure_clicks(run: AppRun, timer: YearTimer, count: int, rng: random.Random, budget_s: float) -> dict[str, Any]:
    """Real mouse clicks on markers → the panel shows the clicked place (rendered).

    In the year of ``click_year``: for each place (shuffled, going round again if there
    are fewer than ``count``) ask the page where its marker is, move the mouse there, then time a
    real click (QTest on the view's focus proxy) until ``AppState.selectedPlaceChanged`` has
    refreshed the panel (its ``placeId`` is the clicked place) and the panel has repainted.
    The selection is cleared (untimed) before each click. A click that lands on another marker
    drawn on top still counts (the panel shows *that* place) and is reported as ``other_place``.
    """
    from PySide6.QtCore import QPoint, Qt
    from PySide6.QtTest import QTest

    from app.page.javascript import js_call

    window, view = run.window, run.view
    year, candidates = click_year(run)
    rng.shuffle(candidates)
    timer.show(year, through_state=True)
    target = view.focusProxy() or view
    times: list[float] = []
    stats: dict[str, Any] = {"click_year": year, "click_missed": 0, "click_other_place": 0, "click_off_screen": 0}
    waiter = Waiter()

    def on_selected(place_id: str) -> None:
        if place_id and window.panel.property("placeId") == place_id:
            window.panel.viewport().repaint()
            waiter.finish(place_id)

    window.state.selectedPlaceChanged.connect(on_selected)
    # Few places may be active in that year (7 in 1917 in the bundled dataset): go round them again,
    # never the same place twice in a row, so two clicks are never one double click.
    attempts = 0
    started_all = time.perf_counter()
    while len(times) < count and attempts < 3 * count + len(candidates):
        if times and time.perf_counter() - started_all > budget_s:
            progress(f"clicks: time budget of {budget_s:.0f} s spent after {len(times)} of {count}")
            break
        place_id = candidates[attempts % len(candidates)]
        attempts += 1
        window.state.select_place("")
        point = json.loads(run_js(view, js_call("TrotskyMap.markerPoint", place_id), STEP_TIMEOUT_S))
        if not point or not point["shown"]:
            stats["click_off_screen"] += 1
            continue
        x, y = round(point["x"]), round(point["y"])
        if not (10 <= x < target.width() - 10 and 10 <= y < target.height() - 10):
            stats["click_off_screen"] += 1
            continue
        # where places are drawn on top of each other a click offers a list: not a click to time
        stack = json.loads(run_js(view, js_call("TrotskyMap.stackAt", place_id), STEP_TIMEOUT_S))
        if stack and len(stack) > 1:
            stats["click_stacked"] = stats.get("click_stacked", 0) + 1
            continue
        QTest.mouseMove(target, QPoint(x, y))
        pause(60 if len(candidates) > 1 else 600)
        waiter = Waiter()
        started = time.perf_counter()
        QTest.mouseClick(target, Qt.MouseButton.LeftButton, Qt.KeyboardModifier.NoModifier, QPoint(x, y))
        if not waiter.wait(CLICK_TIMEOUT_S):
            stats["click_missed"] += 1
            continue
        times.append((waiter.at - started) * 1000)
        if waiter.value != place_id:
            stats["click_other_place"] += 1
        pause(30)
    window.state.selectedPlaceChanged.disconnect(on_selected)
    window.state.select_place("")
    if not times:
        raise RuntimeError(f"no click reached the panel ({stats})")
    return {"click_ms": times, "clicks_planned": count, **stats}


def measure_drag(run: AppRun, ticks: int, interval_ms: int, budget_s: float) -> dict[str, Any]:
    """A slider drag through ``AppState`` (so the panel and the year line update too), one year every
    ``interval_ms``, with a 5 ms heartbeat timer: its longest gap is the longest UI freeze."""
    from PySide6.QtCore import QTimer

    state = run.window.state
    first, last = state.bounds
    years = bounce_years(first, last, state.year, ticks)
    if not years:
        return {}
    sync_ms: list[float] = []
    done = Waiter()
    painted_final = Waiter()
    sent: list[int] = []

    def on_painted(day: int, _token: int) -> None:
        if done.done and sent and day == state.day:
            painted_final.finish()

    run.bridge.dayPainted.connect(on_painted)
    timer = QTimer()
    timer.setInterval(interval_ms)
    remaining = list(years)
    drag_started = time.perf_counter()

    def tick() -> None:
        started = time.perf_counter()
        sent.append(remaining.pop(0))
        state.set_year(sent[-1])
        sync_ms.append((time.perf_counter() - started) * 1000)
        if not remaining or time.perf_counter() - drag_started > budget_s:
            timer.stop()
            done.finish()

    timer.timeout.connect(tick)
    heartbeat = Heartbeat()
    heartbeat.start()
    timer.start()
    done.wait(STEP_TIMEOUT_S + budget_s)
    if run.view.shown_year != sent[-1]:
        painted_final.wait(budget_s)
    settle_ms = (painted_final.at - done.at) * 1000 if painted_final.done else None
    stall = heartbeat.stop()
    run.bridge.dayPainted.disconnect(on_painted)
    return {
        "drag_ticks": len(sent),
        "drag_interval_ms": interval_ms,
        "drag_s": time.perf_counter() - drag_started,
        "drag_sync_ms": sync_ms,
        "drag_ui_stall_max_ms": stall,
        "drag_settle_ms": settle_ms,
    }


def measure_open(run: AppRun, path: Path, wait_s: float) -> dict[str, Any]:
    """File › Open of the same dataset in the running window: how long the call blocks, the longest
    UI freeze (5 ms heartbeat) until the new page has painted, and the time to that paint."""
    window = run.window
    ready = Waiter()
    seen_ready = {"ready": False}
    failures: list[str] = []

    def on_ready() -> None:
        seen_ready["ready"] = True

    def on_painted(day: int, _token: int) -> None:
        if seen_ready["ready"] and day == window.state.day:
            ready.finish()

    def on_failed(_path: str, report: str) -> None:
        failures.append(report)
        ready.finish()

    run.view.ready.connect(on_ready)
    run.bridge.dayPainted.connect(on_painted)
    window.opener.failed.connect(on_failed)
    heartbeat = Heartbeat()
    heartbeat.start()
    started = time.perf_counter()
    window.open_dataset(path)
    blocked_ms = (time.perf_counter() - started) * 1000
    painted = ready.wait(wait_s)
    stall_ms = heartbeat.stop()
    if failures:
        raise RuntimeError(f"File › Open refused the dataset: {failures[0]}")
    return {
        "open_blocked_ms": blocked_ms,
        "open_ui_stall_max_ms": stall_ms,
        "open_to_painted_s": ready.at - started if painted else None,
    }


def session(args: argparse.Namespace, origin: float, source: str) -> dict[str, Any]:
    run = AppRun(args.dataset, origin)
    result = start_result(run, source)
    progress(f"started in {run.start_s:.2f} s ({result['places']} places)")
    rng = random.Random(args.seed)
    first, last = run.window.state.bounds
    timer = YearTimer(run)
    # ±1 steps start in the middle of the range, so that a series cut short by the time budget is
    # not made only of the sparse first years.
    middle = (first + last) // 2
    timer.show(middle)  # warm-up, not counted
    result["step_ms"], result["steps_planned"] = timed_years(
        timer, bounce_years(first, last, middle, args.steps), rng, args.budget_s, "steps"
    )
    progress(f"{len(result['step_ms'])} steps")
    result["date_step_ms"], result["date_steps_planned"] = timed_series(
        lambda day: timer.show_day(day, through_state=True),
        bounce_months(run.window.state.day_bounds, middle, args.steps),
        rng,
        args.budget_s,
        "date steps",
    )
    progress(f"{len(result['date_step_ms'])} date steps")
    # across the borders' snapshots (1913→1914, 1929→1930 and back): the borders are redrawn
    crossings = [dt.date(1913, 12, 31), dt.date(1914, 1, 1), dt.date(1929, 12, 31), dt.date(1930, 1, 1)]
    from geodata.dates import day_number

    switches = [day_number(date) for _ in range(15) for date in crossings]
    result["border_switch_ms"], _planned = timed_series(
        lambda day: timer.show_day(day, through_state=True), switches, rng, args.budget_s, "border switches"
    )
    progress(f"{len(result['border_switch_ms'])} border switches")
    result["jump_ms"], result["jumps_planned"] = timed_years(
        timer, random_years(first, last, middle, args.jumps, rng), rng, args.budget_s, "jumps"
    )
    progress(f"{len(result['jump_ms'])} jumps")
    result["view_paint_reports"] = timer.view_reports
    result["paint_reports"] = len(result["step_ms"]) + len(result["jump_ms"]) + 1
    result.update(measure_clicks(run, timer, args.clicks, rng, args.budget_s))
    progress(f"{len(result['click_ms'])} clicks")
    result.update(measure_drag(run, args.drag_ticks, args.drag_interval_ms, args.budget_s))
    progress("drag")
    result["memory"] = memory()
    result["payload"] = payload_timing(run)
    from tests.benchmarks.timeline_paint import measure as measure_timeline

    timeline = measure_timeline(args.dataset, repeats=min(args.steps * 2, 200))
    result["timeline_after_date_ms"] = timeline["after_date"]
    result["timeline_after_zoom_ms"] = timeline["after_zoom"]
    result["timeline_paint_ms"] = timeline["after_date"] + timeline["after_zoom"]
    progress("timeline")
    from tests.benchmarks.reader_paint import measure as measure_reader

    reader = measure_reader(args.dataset, repeats=10, jumps=min(args.steps, 200))
    result["reader_open_ms"] = reader["open"]
    result["reader_open_cold_ms"] = reader["open_cold"]
    result["reader_jump_ms"] = reader["jump"]
    progress("reader")
    if args.open:
        result.update(measure_open(run, args.dataset, args.open_wait_s))
        progress("File › Open")
    run.close()
    return result


def payload_timing(run: AppRun) -> dict[str, Any]:
    """What the start spends outside the dataset load, timed again in the running process."""
    from app.page.data import page_document
    from app.page.place_html import year_html
    from geodata.queries import active_places, journey

    def timed(function: Callable[[], object]) -> float:
        started = time.perf_counter()
        function()
        return (time.perf_counter() - started) * 1000

    year = run.window.state.year
    document: list[bytes] = []
    return {
        "dataset_document_ms": timed(lambda: document.append(page_document(run.dataset))),
        "dataset_document_mb": len(document[0]) / 1e6,
        "journey_ms": timed(lambda: journey(run.dataset)),
        "panel_year_html_ms": timed(lambda: year_html(run.dataset, year)),
        "whereabouts_active_places_ms": timed(lambda: active_places(run.dataset, year)),
    }


def start_result(run: AppRun, source: str) -> dict[str, Any]:
    return {
        "places": len(run.dataset.places),
        "stays": len(run.dataset.stays),
        "start_s": run.start_s,
        "window_s": run.window_s,
        "background": run.background,
        "load_ms": run.load_ms,
        "marks": run.marks,
        "origin": source,
        "start_stall_ms": run.start_stall_ms,
    }


# -- floor and naive ---------------------------------------------------------------------------


def floor(origin: float) -> dict[str, Any]:
    """A bare QWebEngineView loading an empty page, in the same offscreen environment as the app."""
    marks: dict[str, float] = {"worker_imported": _IMPORTED_AT - origin}
    from app.environment import install_qt_message_handler, prepare_qt_environment, use_software_rendering

    prepare_qt_environment(offscreen=True)
    install_qt_message_handler()  # only so that offscreen's harmless GPU messages stay quiet, as in the app
    use_software_rendering()
    from PySide6.QtCore import QTimer
    from PySide6.QtWebEngineWidgets import QWebEngineView
    from PySide6.QtWidgets import QApplication

    application = QApplication.instance() or QApplication(sys.argv[:1])
    marks["qt_ready"] = monotonic() - origin
    view = QWebEngineView()
    view.resize(1280, 800)
    waiter = Waiter()

    def loaded(ok: bool) -> None:
        marks["loaded"] = monotonic() - origin
        view.page().runJavaScript("requestAnimationFrame(function () { document.title = 'painted'; }); 1")

    def titled(title: str) -> None:
        if title == "painted":
            marks["painted"] = monotonic() - origin
            QTimer.singleShot(0, lambda: waiter.finish(monotonic() - origin))

    view.loadFinished.connect(loaded)
    view.titleChanged.connect(titled)
    view.show()
    view.setHtml("<!DOCTYPE html><html><head><meta charset='utf-8'></head><body></body></html>")
    if not waiter.wait(START_TIMEOUT_S):
        raise TimeoutError("the empty page did not paint")
    marks["responsive"] = waiter.value
    from PySide6 import __version__ as pyside_version
    from PySide6.QtCore import qVersion
    from PySide6.QtWebEngineCore import qWebEngineChromiumVersion

    result = {
        "start_s": waiter.value,
        "marks": marks,
        "qt": qVersion(),
        "pyside": pyside_version,
        "chromium": qWebEngineChromiumVersion(),
        "memory": memory(),
    }
    view.close()
    view.deleteLater()
    application.processEvents()
    return result


def naive(args: argparse.Namespace) -> dict[str, Any]:
    from geodata.loader import load_dataset

    dataset = load_dataset(args.dataset)
    prepare_qt()
    from PySide6.QtWebEngineWidgets import QWebEngineView

    from geodata.queries import year_bounds
    from tests.benchmarks.naive import NaiveMap

    view = QWebEngineView()
    view.resize(900, 700)
    view.show()
    first, last = year_bounds(dataset)
    middle = (first + last) // 2
    with tempfile.TemporaryDirectory(prefix="tm-naive-") as folder:
        naive_map = NaiveMap(view, dataset, Path(folder))
        warm_up_ms = naive_map.show_year(middle) * 1000  # first page load: not counted
        years = bounce_years(first, last, middle, args.naive_steps)
        times = [naive_map.show_year(year) * 1000 for year in years]
        view.close()
        view.deleteLater()
    return {"places": len(dataset.places), "naive_step_ms": times, "warm_up_ms": warm_up_ms, "years": years}


# -- entry point -------------------------------------------------------------------------------


def _parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="python -m tests.benchmarks.worker")
    parser.add_argument("mode", choices=("floor", "start", "session", "naive", "load"))
    parser.add_argument("--dataset", type=Path)
    parser.add_argument("--steps", type=int, default=200)
    parser.add_argument("--jumps", type=int, default=200)
    parser.add_argument("--clicks", type=int, default=40)
    parser.add_argument("--naive-steps", type=int, default=9)
    parser.add_argument("--drag-ticks", type=int, default=40)
    parser.add_argument("--drag-interval-ms", type=int, default=30)
    parser.add_argument("--budget-s", type=float, default=45.0, help="time budget of each series (at least 1 sample)")
    parser.add_argument("--no-open", dest="open", action="store_false", help="skip the File › Open measurement")
    parser.add_argument("--open-wait-s", type=float, default=20.0)
    parser.add_argument("--seed", type=int, default=1879)
    return parser


def main(argv: list[str] | None = None) -> int:
    origin, source = process_origin()
    args = _parser().parse_args(argv)
    logging.basicConfig(level=logging.WARNING, format="%(levelname)s %(name)s: %(message)s")
    if args.mode != "floor" and args.dataset is None:
        print(f"{args.mode} needs --dataset", file=sys.stderr)
        return 2
    try:
        if args.mode == "floor":
            result = floor(origin)
        elif args.mode == "start":
            run = AppRun(args.dataset, origin)
            result = start_result(run, source)
            result["memory"] = memory()
            run.close()
        elif args.mode == "load":  # a fresh process, no Qt: what a start read in the background costs
            from geodata.loader import load_dataset

            started = time.perf_counter()
            load_dataset(args.dataset)
            result = {"load_ms": (time.perf_counter() - started) * 1000}
        elif args.mode == "session":
            result = session(args, origin, source)
        else:
            result = naive(args)
    except Exception as error:  # reported to the runner as data, with the traceback on stderr
        traceback.print_exc()
        print(json.dumps({"mode": args.mode, "error": f"{type(error).__name__}: {error}"}), flush=True)
        return 1
    result["mode"] = args.mode
    result["start_s_proc"] = (
        result["start_s"] - (proc_start_monotonic() - origin) if "start_s" in result and source == "parent" else None
    )
    print(json.dumps(result), flush=True)
    return 0


def _close_windows() -> None:
    """Close what is still open (after an error) so web pages go before their profiles."""
    if "PySide6.QtWidgets" not in sys.modules:
        return
    from PySide6.QtCore import QCoreApplication, QEvent
    from PySide6.QtWidgets import QApplication

    if QApplication.instance() is None:
        return
    for widget in QApplication.topLevelWidgets():
        widget.close()
    QCoreApplication.sendPostedEvents(None, QEvent.Type.DeferredDelete)


if __name__ == "__main__":
    status = main()
    _close_windows()
    sys.stdout.flush()
    sys.stderr.flush()
    # The result is out; skip the interpreter's teardown of PySide/QtWebEngine objects, which can
    # abort in random order at exit and only costs time. The QtWebEngine child processes end when
    # their browser process does.
    os._exit(status)
