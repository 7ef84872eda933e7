"""Benchmark runner: ``python -m tests.benchmarks [--sizes real,1000,10000,100000] [--json OUT]``.

Measures the app offscreen with the bundled dataset (``real``) and synthetic datasets of the given
numbers of places (``tests.benchmarks.synthetic``, fixed seed, written to a temporary folder). Every
measurement runs in a fresh process (``tests.benchmarks.worker``); this process only starts them,
summarises, prints a table (with the targets, met or not) and writes the JSON atomically.

Per size:

- ``--starts`` fresh processes measure the start (the last of them is the session process below);
  the bare floor (a QWebEngineView loading an empty page) is measured as many times, interleaved
  with the first size's starts;
- one session process measures year steps (±1), jumps (random years), marker clicks, memory, a
  slider drag through the app's state (the UI freeze) and File › Open;
- one process measures the naive approach (skipped above ``--naive-max-places``).

A series stops early when its time budget (``--budget-s``) is spent (the table shows how many
samples each figure has): at 100,000 places one year step of the current app takes most of a
minute. Progress goes to stderr.
"""

from __future__ import annotations

import argparse
import json
import math
import os
import platform
import signal
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

from geodata.atomic import write_text_atomic
from geodata.paths import BUNDLED_DATASET
from tests.benchmarks.synthetic import SEED, write_synthetic_dataset
from tests.benchmarks.worker import ORIGIN_ENV

REPO = Path(__file__).resolve().parents[2]
DEFAULT_SIZES = "real,1000,10000,100000"
DEFAULT_JSON = Path("benchmark-results.json")
WORKER_TIMEOUT_S = 1800
#: the app's page cache (app.page.cache) for this run's workers: a fresh folder, so the first start of
#: the run renders the page with folium and the others read it, as for a user after the first start
PAGE_CACHE_DIR: Path | None = None


class WorkerError(RuntimeError):
    """A worker process failed; the message says which and why."""


# -- running workers ---------------------------------------------------------------------------


def run_worker(mode: str, arguments: list[str], timeout_s: float = WORKER_TIMEOUT_S) -> dict[str, Any]:
    """Start a fresh worker process and return its JSON line; its stderr goes to ours (progress)."""
    command = [sys.executable, "-m", "tests.benchmarks.worker", mode, *arguments]
    env = dict(os.environ)
    env.pop("QT_QPA_PLATFORM", None)  # the worker sets offscreen itself, as the app's environment module does
    if PAGE_CACHE_DIR is not None:
        env.setdefault("TROTSKY_MAP_CACHE_DIR", str(PAGE_CACHE_DIR))  # app.page.cache: the run's own, not ~/.cache
    env[ORIGIN_ENV] = repr(time.clock_gettime(time.CLOCK_MONOTONIC))  # process start, taken just before spawning
    process = subprocess.Popen(
        command, cwd=REPO, env=env, stdout=subprocess.PIPE, stdin=subprocess.DEVNULL, text=True, start_new_session=True
    )
    try:
        stdout, _ = process.communicate(timeout=timeout_s)
    except subprocess.TimeoutExpired:
        os.killpg(process.pid, signal.SIGKILL)  # the worker and its QtWebEngine processes, started by us
        process.communicate()
        raise WorkerError(f"{mode} worker did not finish within {timeout_s:.0f} s") from None
    result: dict[str, Any] | None = None
    for line in reversed(stdout.splitlines()):
        if line.startswith("{"):
            try:
                result = json.loads(line)
                break
            except json.JSONDecodeError:
                continue
    if result is None:
        raise WorkerError(f"{mode} worker exited with {process.returncode} and no result")
    if "error" in result:
        raise WorkerError(f"{mode} worker: {result['error']}")
    return result


def code_version() -> str:
    """The commit measured, with ``+changes`` when app/, geodata/ or resources/ differ from it (read-only git);
    ``$TM_BENCH_CODE_VERSION`` names it when the runner runs from an exported copy (``git archive``)."""
    if os.environ.get("TM_BENCH_CODE_VERSION"):
        return os.environ["TM_BENCH_CODE_VERSION"]
    try:
        commit = subprocess.run(
            ["git", "rev-parse", "--short", "HEAD"], cwd=REPO, capture_output=True, text=True, check=True
        ).stdout.strip()
        changed = subprocess.run(
            ["git", "status", "--porcelain", "--", "app", "geodata", "resources"],
            cwd=REPO,
            capture_output=True,
            text=True,
            check=True,
        ).stdout.strip()
    except (OSError, subprocess.CalledProcessError):
        return "unknown"
    return commit + ("+changes" if changed else "")


def log(text: str) -> None:
    print(text, file=sys.stderr, flush=True)


# -- statistics --------------------------------------------------------------------------------


def median(values: list[float]) -> float | None:
    return statistics.median(values) if values else None


def p95(values: list[float]) -> float | None:
    """The 95th percentile (linear interpolation between closest ranks); the value itself for one sample."""
    if not values:
        return None
    if len(values) == 1:
        return values[0]
    return statistics.quantiles(values, n=100, method="inclusive")[94]


def rounded(value: float | None, digits: int) -> float | None:
    return None if value is None or math.isnan(value) else round(value, digits)


# -- the machine -------------------------------------------------------------------------------


def machine(floor: dict[str, Any] | None) -> str:
    model = "unknown CPU"
    try:
        for line in Path("/proc/cpuinfo").read_text(encoding="utf-8", errors="replace").splitlines():
            if line.startswith("model name"):
                model = line.split(":", 1)[1].strip()
                break
    except OSError:
        pass
    ram = ""
    try:
        for line in Path("/proc/meminfo").read_text(encoding="ascii", errors="replace").splitlines():
            if line.startswith("MemTotal:"):
                ram = f", {int(line.split()[1]) / 1024 / 1024:.1f} GB RAM"
    except OSError:
        pass
    cores = len(os.sched_getaffinity(0)) if hasattr(os, "sched_getaffinity") else os.cpu_count()
    qt = ""
    if floor:
        qt = f", Qt {floor['qt']} (PySide6 {floor['pyside']}, QtWebEngine Chromium {floor['chromium']})"
    return (
        f"{model}, {cores} cores{ram}, {platform.system()} {platform.release()}, "
        f"Python {platform.python_version()}{qt}, offscreen, software rendering"
    )


# -- one size ----------------------------------------------------------------------------------


def worker_arguments(args: argparse.Namespace) -> list[str]:
    arguments = [
        "--steps",
        str(args.steps),
        "--jumps",
        str(args.jumps if args.jumps is not None else args.steps),
        "--clicks",
        str(args.clicks),
        "--naive-steps",
        str(args.naive_steps),
        "--budget-s",
        str(args.budget_s),
        "--drag-ticks",
        str(args.drag_ticks),
        "--seed",
        str(args.seed),
    ]
    if not args.open:
        arguments.append("--no-open")
    return arguments


def with_load(result: dict[str, Any], dataset: Path) -> dict[str, Any]:
    """A start that read its dataset behind the window has no load time of its own: time the load
    in a fresh process, as the other starts do before Qt starts."""
    if result.get("load_ms") is None:
        result["load_ms"] = run_worker("load", ["--dataset", str(dataset)])["load_ms"]
    return result


def measure_size(
    label: str, dataset: Path, args: argparse.Namespace, floors: list[dict[str, Any]] | None
) -> dict[str, Any]:
    """All processes of one size; ``floors`` (when given) receives the floor runs, interleaved."""
    common = ["--dataset", str(dataset), *worker_arguments(args)]
    out: dict[str, Any] = {"starts": [], "errors": []}
    for index in range(args.starts):
        if floors is not None:
            try:
                floors.append(run_worker("floor", []))
                log(f"floor {index + 1}/{args.starts}: {floors[-1]['start_s']:.2f} s")
            except WorkerError as error:
                out["errors"].append(str(error))
                log(f"floor: {error}")
        if index == args.starts - 1:
            break
        try:
            out["starts"].append(with_load(run_worker("start", common), dataset))
            log(f"{label}: start {index + 1}/{args.starts}: {out['starts'][-1]['start_s']:.2f} s")
        except WorkerError as error:
            out["errors"].append(str(error))
            log(f"{label}: {error}")
    log(f"{label}: session (start {args.starts}/{args.starts}, steps, jumps, clicks, drag, memory, File › Open)")
    try:
        out["session"] = with_load(run_worker("session", common), dataset)
        out["starts"].append(out["session"])
        log(f"{label}: session done, start {out['session']['start_s']:.2f} s")
    except WorkerError as error:
        out["errors"].append(str(error))
        log(f"{label}: {error}")
    places = (out.get("session") or (out["starts"][0] if out["starts"] else {})).get("places")
    if places is not None and places <= args.naive_max_places and args.naive_steps > 0:
        log(f"{label}: naive ({args.naive_steps} steps after one warm-up)")
        try:
            out["naive"] = run_worker("naive", common)
        except WorkerError as error:
            out["errors"].append(str(error))
            log(f"{label}: {error}")
    else:
        log(f"{label}: naive skipped ({places} places > --naive-max-places {args.naive_max_places})")
    out["places"] = places
    return out


def timed_process(command: list[str], timeout_s: float = 120) -> float:
    """Seconds from spawning ``command`` to its exit (status 0 required)."""
    env = dict(os.environ)
    env.pop("QT_QPA_PLATFORM", None)
    if PAGE_CACHE_DIR is not None:
        env.setdefault("TROTSKY_MAP_CACHE_DIR", str(PAGE_CACHE_DIR))
    started = time.perf_counter()
    done = subprocess.run(
        command, cwd=REPO, env=env, stdin=subprocess.DEVNULL, capture_output=True, text=True, timeout=timeout_s
    )
    elapsed = time.perf_counter() - started
    if done.returncode != 0:
        raise WorkerError(f"{' '.join(command)} exited {done.returncode}: {done.stderr.strip()[-500:]}")
    return elapsed


def measure_screenshots(count: int, folder: Path) -> dict[str, Any]:
    """``trotsky-map --year 1917 --screenshot`` as whole processes against the bare floor with the same
    settling rule (``tests.benchmarks.bare_shot``), alternated; medians and their ratio."""
    app_s: list[float] = []
    bare_s: list[float] = []
    out = str(folder / "shot.png")
    for index in range(count):
        bare_s.append(timed_process([sys.executable, "-m", "tests.benchmarks.bare_shot", out]))
        app_s.append(timed_process([sys.executable, "-m", "app", "--year", "1917", "--screenshot", out]))
        log(f"screenshot {index + 1}/{count}: app {app_s[-1]:.2f} s, bare {bare_s[-1]:.2f} s")
    app_median, bare_median = median(app_s), median(bare_s)
    return {
        "app_s": rounded(app_median, 3),
        "bare_s": rounded(bare_median, 3),
        "ratio": rounded(_ratio(app_median, bare_median), 3),
    }


#: the film sizes ``film_fps`` reports, each for a 10-second film
FILM_SIZES = ("640x360", "1280x720")


def film_worker(arguments: list[str]) -> dict[str, Any]:
    """``tests.benchmarks.film`` in a fresh process (the film's own Chromium flags); its JSON line."""
    env = dict(os.environ)
    env.pop("QT_QPA_PLATFORM", None)
    if PAGE_CACHE_DIR is not None:
        env.setdefault("TROTSKY_MAP_CACHE_DIR", str(PAGE_CACHE_DIR))
    done = subprocess.run(
        [sys.executable, "-m", "tests.benchmarks.film", *arguments],
        cwd=REPO,
        env=env,
        stdin=subprocess.DEVNULL,
        capture_output=True,
        text=True,
        timeout=WORKER_TIMEOUT_S,
    )
    lines = [line for line in done.stdout.splitlines() if line.startswith("{")]
    if done.returncode != 0 or not lines:
        raise WorkerError(f"film worker exited {done.returncode}: {done.stderr.strip()[-500:]}")
    result: dict[str, Any] = json.loads(lines[-1])
    if "error" in result:
        raise WorkerError(f"film worker: {result['error']}")
    return result


def measure_films() -> dict[str, Any]:
    """``film_fps`` at each of ``FILM_SIZES`` (a 10-second film of 1917–1926) and the memory of a
    one-minute 720p film of the whole life above the idle app (``film_memory_mb``)."""
    fps: dict[str, float | None] = {}
    for size in FILM_SIZES:
        try:
            fps[size] = film_worker(["--size", size, "--seconds", "10"])["fps"]
            log(f"film {size}: {fps[size]} frames/s")
        except WorkerError as error:
            fps[size] = None
            log(f"film {size}: {error}")
    try:
        memory = film_worker(["--size", "1280x720", "--seconds", "60", "--from", "life", "--memory"])
        log(f"film of the life, 720p: {memory['fps']} frames/s, {memory['above_idle_mb']} MB above idle")
        film_memory = {key: memory[key] for key in ("idle_mb", "peak_mb", "above_idle_mb", "fps", "film_mb")}
    except WorkerError as error:
        log(f"film of the life: {error}")
        film_memory = {}
    return {"film_fps": fps, "film_memory_mb": film_memory}


def summary(raw: dict[str, Any]) -> dict[str, Any]:
    """The documented JSON entry of one size."""
    session = raw.get("session") or {}
    memory = session.get("memory") or {}
    starts = [run["start_s"] for run in raw["starts"]]
    windows = [run["window_s"] for run in raw["starts"] if run.get("window_s") is not None]
    loads = [run["load_ms"] for run in raw["starts"] if run.get("load_ms") is not None]

    def spread(key: str) -> dict[str, float | None]:
        values = session.get(key) or []
        return {"median": rounded(median(values), 2), "p95": rounded(p95(values), 2)}

    naive = raw.get("naive") or {}
    return {
        "places": raw["places"],
        "start_s": {"median": rounded(median(starts), 3)},
        "start_window_s": {"median": rounded(median(windows), 3)},
        "step_ms": spread("step_ms"),
        "date_step_ms": spread("date_step_ms"),
        "border_switch_ms": spread("border_switch_ms"),
        "timeline_paint_ms": {
            **spread("timeline_paint_ms"),
            "after_date": spread("timeline_after_date_ms"),
            "after_zoom": spread("timeline_after_zoom_ms"),
        },
        "jump_ms": spread("jump_ms"),
        "click_ms": spread("click_ms"),
        "reader_open_ms": {**spread("reader_open_ms"), "passages_not_marked": spread("reader_open_cold_ms")},
        "reader_jump_ms": spread("reader_jump_ms"),
        "rss_mb": {
            "python": rounded(memory.get("python_mb"), 1),
            "webengine": rounded(memory.get("webengine_mb"), 1),
        },
        "load_ms": rounded(median(loads), 1),
        "naive_step_ms": {"median": rounded(median(naive.get("naive_step_ms") or []), 1)},
    }


# -- the table and the targets -----------------------------------------------------------------


def _cell(value: Any, digits: int = 1) -> str:
    if value is None:
        return "–"
    if isinstance(value, float):
        return f"{value:.{digits}f}"
    return str(value)


def table(document: dict[str, Any], raws: dict[str, dict[str, Any]], floors: list[dict[str, Any]]) -> str:
    labels = list(document["sizes"])
    sizes = document["sizes"]
    rows: list[tuple[str, list[str]]] = []

    def row(name: str, values: list[Any], digits: int = 1) -> None:
        rows.append((name, [_cell(value, digits) for value in values]))

    def session(label: str, key: str) -> Any:
        return (raws[label].get("session") or {}).get(key)

    def count(label: str, key: str, planned: str | None = None) -> str:
        done = len(session(label, key) or [])
        total = session(label, planned) if planned else None
        return f"{done}/{total}" if total else str(done)

    row("places", [sizes[label]["places"] for label in labels])
    row("start median (s)", [sizes[label]["start_s"]["median"] for label in labels], 2)
    row("  window answers input (s)", [sizes[label]["start_window_s"]["median"] for label in labels], 2)
    row("  start samples", [len(raws[label]["starts"]) for label in labels])
    row("load + validate median (ms)", [sizes[label]["load_ms"] for label in labels])
    for key, name, planned in (
        ("step_ms", "step ±1 year", "steps_planned"),
        ("date_step_ms", "date step ±1 month", "date_steps_planned"),
        ("border_switch_ms", "date across a borders snapshot", ""),
        ("timeline_paint_ms", "timeline repaint (date, zoom)", ""),
        ("jump_ms", "jump random year", "jumps_planned"),
        ("click_ms", "click → panel", "clicks_planned"),
        ("reader_open_ms", "reader first shown (both texts marked)", ""),
        ("reader_jump_ms", "reader: place selected → passage in view", ""),
    ):
        row(f"{name} median (ms)", [sizes[label][key]["median"] for label in labels])
        row(f"{name} p95 (ms)", [sizes[label][key]["p95"] for label in labels])
        rows.append((f"  {name} samples", [count(label, key, planned) for label in labels]))
    row("naive step median (ms)", [sizes[label]["naive_step_ms"]["median"] for label in labels])
    row(
        "  naive ÷ ours (step medians)",
        [_ratio(sizes[label]["naive_step_ms"]["median"], sizes[label]["step_ms"]["median"]) for label in labels],
    )
    row("peak RSS Python (MB)", [sizes[label]["rss_mb"]["python"] for label in labels], 0)
    row("peak RSS QtWebEngine sum (MB)", [sizes[label]["rss_mb"]["webengine"] for label in labels], 0)
    rows.append(("— details (not in the JSON) —", ["" for _ in labels]))
    row("  QtWebEngine PSS now (MB)", [_detail(session(label, "memory"), "webengine_pss_now_mb") for label in labels])
    for mark in ("dataset_loaded", "page_built", "window_built", "shown", "ready", "painted"):
        row(f"  start: {mark} at (s)", [_mark(raws[label], mark) for label in labels], 2)
    row("  step max (ms)", [_max(session(label, "step_ms")) for label in labels], 0)
    row("  jump max (ms)", [_max(session(label, "jump_ms")) for label in labels], 0)
    row("  drag: UI thread per year median (ms)", [median(session(label, "drag_sync_ms") or []) for label in labels])
    row("  drag: UI thread per year max (ms)", [_max(session(label, "drag_sync_ms")) for label in labels])
    row("  drag: longest UI freeze (ms)", [session(label, "drag_ui_stall_max_ms") for label in labels], 0)
    row("  drag: last year painted after (ms)", [session(label, "drag_settle_ms") for label in labels], 0)
    row("  File › Open: call returns after (ms)", [session(label, "open_blocked_ms") for label in labels], 0)
    row("  File › Open: longest UI freeze (ms)", [session(label, "open_ui_stall_max_ms") for label in labels], 0)
    row("  File › Open: new map painted after (s)", [session(label, "open_to_painted_s") for label in labels], 2)
    row("  dataset → page JSON (ms)", [_detail(session(label, "payload"), "dataset_document_ms") for label in labels])
    row("  panel year list (ms)", [_detail(session(label, "payload"), "panel_year_html_ms") for label in labels])
    row("  clicks on another marker", [session(label, "click_other_place") for label in labels], 0)
    row("  paint reports dropped by MapView", [_dropped(raws[label]) for label in labels], 0)

    width = max(len(name) for name, _ in rows)
    columns = [max(len(label), *(len(values[i]) for _, values in rows)) for i, label in enumerate(labels)]
    shot = document.get("screenshot") or {}
    lines = [
        f"machine: {document['machine']}",
        f"screenshot process (--year 1917 --screenshot) median: {_cell(shot.get('app_s'), 2)} s; bare floor with"
        f" the same settling: {_cell(shot.get('bare_s'), 2)} s; ratio {_cell(shot.get('ratio'), 2)}",
        f"bare floor (QtWebEngine view, empty page) start median: {_cell(document['floor_start_s']['median'], 2)} s"
        f" (Qt ready at {_cell(_mark({'starts': floors}, 'qt_ready'), 2)} s,"
        f" page loaded at {_cell(_mark({'starts': floors}, 'loaded'), 2)} s; {len(floors)} samples)",
        "",
        " " * width + "  " + "  ".join(label.rjust(columns[i]) for i, label in enumerate(labels)),
    ]
    for name, values in rows:
        lines.append(name.ljust(width) + "  " + "  ".join(value.rjust(columns[i]) for i, value in enumerate(values)))
    return "\n".join(lines)


def _ratio(numerator: float | None, denominator: float | None) -> float | None:
    return numerator / denominator if numerator is not None and denominator else None


def _detail(values: dict[str, Any] | None, key: str) -> Any:
    return (values or {}).get(key)


def _max(values: list[float] | None) -> float | None:
    return max(values) if values else None


def _mark(raw: dict[str, Any], mark: str) -> float | None:
    values = [run["marks"][mark] for run in raw["starts"] if mark in run.get("marks", {})]
    return median(values)


def _dropped(raw: dict[str, Any]) -> int | None:
    session = raw.get("session")
    if not session:
        return None
    return int(session["paint_reports"] - session["view_paint_reports"])


def targets(document: dict[str, Any], raws: dict[str, dict[str, Any]]) -> list[tuple[str, str, str]]:
    """(target, measured, verdict) for every target of the issue that this run measured."""
    sizes = document["sizes"]
    floor = document["floor_start_s"]["median"]
    out: list[tuple[str, str, str]] = []

    def check(name: str, value: float | None, limit: float | None, unit: str, at_least: bool = False) -> None:
        if value is None or limit is None:
            out.append((name, "not measured", "–"))
            return
        met = value >= limit if at_least else value <= limit
        out.append((name, f"{value:.2f} {unit} (limit {limit:.2f} {unit})", "met" if met else "NOT MET"))

    if "real" in sizes:
        check("start, real ≤ 2.5 × floor", sizes["real"]["start_s"]["median"], floor and 2.5 * floor, "s")
    if "10000" in sizes:
        check("start, 10,000 ≤ 1.5 s", sizes["10000"]["start_s"]["median"], 1.5, "s")
    shot = document.get("screenshot") or {}
    if shot:
        check("screenshot process ≤ 1.5 × bare", shot.get("ratio"), 1.5, "×")
    for label in sizes:
        if (sizes[label]["places"] or 0) >= 100_000:
            check(f"{label}: window answers input ≤ 1.5 s", sizes[label]["start_window_s"]["median"], 1.5, "s")
    # year steps and date steps share their targets
    for key, name in (("step_ms", "step"), ("date_step_ms", "date step")):
        for label in sizes:
            places = sizes[label]["places"]
            if places is not None and places <= 1000:
                check(f"{name} median, {label} ≤ 10 ms", sizes[label][key]["median"], 10, "ms")
                check(f"{name} p95, {label} ≤ 20 ms", sizes[label][key]["p95"], 20, "ms")
        if "10000" in sizes:
            check(f"{name} p95, 10,000 ≤ 35 ms", sizes["10000"][key]["p95"], 35, "ms")
    if "10000" in sizes:
        check("timeline repaint p95, 10,000 ≤ 4 ms", sizes["10000"]["timeline_paint_ms"]["p95"], 4, "ms")
    if "real" in sizes:
        check("border switch p95, real ≤ 35 ms", sizes["real"]["border_switch_ms"]["p95"], 35, "ms")
        check("reader first shown, real ≤ 60 ms", sizes["real"]["reader_open_ms"]["median"], 60, "ms")
        check("reader jump p95, real ≤ 10 ms", sizes["real"]["reader_jump_ms"]["p95"], 10, "ms")
    for label, factor in (("real", 5), ("10000", 40)):
        if label in sizes:
            speedup = _ratio(sizes[label]["naive_step_ms"]["median"], sizes[label]["step_ms"]["median"])
            check(f"naive ÷ ours, {label} ≥ {factor}×", speedup, factor, "×", at_least=True)
    for label in sizes:
        check(f"click → panel p95, {label} ≤ 30 ms", sizes[label]["click_ms"]["p95"], 30, "ms")
    films = sizes.get("real", {})
    if "film_fps" in films:
        for size, limit in (("640x360", 30), ("1280x720", 20)):
            check(f"film {size} ≥ {limit} frames/s", films["film_fps"].get(size), limit, "fps", at_least=True)
        check(
            "film of the life, 720p: memory above idle ≤ 150 MB",
            films.get("film_memory_mb", {}).get("above_idle_mb"),
            150,
            "MB",
        )
    for label in sizes:
        places = sizes[label]["places"]
        if places is None or places < 100_000:
            continue
        session = raws[label].get("session") or {}
        ui = [session.get("drag_ui_stall_max_ms"), session.get("open_ui_stall_max_ms")]
        page = [_max(session.get("step_ms")), _max(session.get("jump_ms"))]
        check(
            f"{label}: longest UI freeze (drag, File › Open) ≤ 1 s",
            max((v for v in ui if v is not None), default=None),
            1000,
            "ms",
        )
        check(
            f"{label}: longest map freeze (one year change) ≤ 1 s",
            max((v for v in page if v is not None), default=None),
            1000,
            "ms",
        )
    return out


# -- entry point -------------------------------------------------------------------------------


def _sizes(text: str) -> list[str]:
    sizes = []
    for part in text.split(","):
        part = part.strip()
        if part != "real" and not (part.isdigit() and int(part) > 0):
            raise argparse.ArgumentTypeError(f"{part!r} is neither 'real' nor a number of places")
        if part not in sizes:
            sizes.append(part)
    return sizes


def _parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="python -m tests.benchmarks",
        description="Benchmark the map app offscreen: start, year steps and jumps, clicks, memory, load, naive.",
    )
    parser.add_argument("--sizes", type=_sizes, default=_sizes(DEFAULT_SIZES), help=f"default {DEFAULT_SIZES}")
    parser.add_argument("--json", type=Path, default=DEFAULT_JSON, help=f"JSON output (default {DEFAULT_JSON})")
    parser.add_argument("--starts", type=int, default=5, help="fresh processes per size for the start (default 5)")
    parser.add_argument("--steps", type=int, default=200, help="±1-year steps (default 200)")
    parser.add_argument("--jumps", type=int, help="random-year jumps (default: as many as --steps)")
    parser.add_argument("--clicks", type=int, default=40, help="marker clicks (default 40)")
    parser.add_argument("--naive-steps", type=int, default=9, help="naive steps after one warm-up (default 9)")
    parser.add_argument(
        "--naive-max-places", type=int, default=10_000, help="skip naive above this many places (default 10000)"
    )
    parser.add_argument("--budget-s", type=float, default=40.0, help="time budget per series (default 40 s)")
    parser.add_argument("--drag-ticks", type=int, default=40, help="years moved in the slider drag (default 40)")
    parser.add_argument("--no-open", dest="open", action="store_false", help="skip the File › Open measurement")
    parser.add_argument("--no-films", dest="films", action="store_false", help="skip the film measurements")
    parser.add_argument("--seed", type=int, default=SEED, help=f"seed of the synthetic data and jumps (default {SEED})")
    parser.add_argument(
        "--shots", type=int, default=5, help="whole-process screenshot runs, app and bare each (default 5; 0 skips)"
    )
    parser.add_argument("--raw", type=Path, help="also write every worker's full result here (for analysis)")
    return parser


def main(argv: list[str] | None = None) -> int:
    args = _parser().parse_args(argv)
    if args.starts < 1 or args.steps < 1 or args.clicks < 1:
        _parser().error("--starts, --steps and --clicks must be at least 1")
    began = time.monotonic()
    version = code_version()
    raws: dict[str, dict[str, Any]] = {}
    floors: list[dict[str, Any]] = []
    global PAGE_CACHE_DIR
    with tempfile.TemporaryDirectory(prefix="tm-bench-") as temp:
        PAGE_CACHE_DIR = Path(temp) / "page-cache"
        for index, label in enumerate(args.sizes):
            if label == "real":
                dataset = BUNDLED_DATASET
            else:
                log(f"{label}: writing the synthetic dataset (seed {args.seed})")
                dataset = write_synthetic_dataset(Path(temp) / label, int(label), args.seed)
            raws[label] = measure_size(label, dataset, args, floors if index == 0 else None)
            log(f"{label}: done after {time.monotonic() - began:.0f} s in all")
        shots = measure_screenshots(args.shots, Path(temp)) if args.shots else {}
        films = measure_films() if args.films and "real" in raws else {}
    document = {
        "machine": machine(floors[0] if floors else None),
        "floor_start_s": {"median": rounded(median([run["start_s"] for run in floors]), 3)},
        "screenshot": shots,
        "sizes": {label: summary(raw) | (films if label == "real" else {}) for label, raw in raws.items()},
    }
    write_text_atomic(args.json, json.dumps(document, indent=2, ensure_ascii=False) + "\n")
    if args.raw:
        write_text_atomic(args.raw, json.dumps({"floors": floors, "sizes": raws}, ensure_ascii=False) + "\n")
    print(f"code: {version}")
    if code_version() != version:
        print(f"WARNING: the code changed during the run (now {code_version()}); the sizes measured different code")
    print(table(document, raws, floors))
    print()
    verdicts = targets(document, raws)
    width = max((len(name) for name, _, _ in verdicts), default=0)
    for name, measured, verdict in verdicts:
        print(f"{name.ljust(width)}  {verdict:8s} {measured}")
    errors = [error for raw in raws.values() for error in raw["errors"]]
    for error in errors:
        print(f"error: {error}", file=sys.stderr)
    print(f"\nWrote {args.json} ({time.monotonic() - began:.0f} s)")
    return 1 if errors else 0


if __name__ == "__main__":
    sys.exit(main())
