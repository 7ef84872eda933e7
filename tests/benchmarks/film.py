"""How fast films are made and how much memory it takes:
``python -m tests.benchmarks.film [--size WxH] [--seconds N] [--from DATE] [--to DATE]``.

Offscreen, as ``trotsky-map --export-video`` runs (the same Chromium flags), in this process: the
real map page films the bundled life and the H.264 encoder writes it. Prints one JSON line:

- ``fps``: frames rendered, grabbed, captioned and encoded per second, from the first frame
  written to the film finished (the page's start is not counted; it is the app's start);
With ``--memory`` (not for ``fps``: reading every process's memory ten times a second takes CPU the
film would have had):

- ``idle_mb``: the resident memory of this process and its QtWebEngine processes (PSS, so shared
  pages count once) once the map is drawn and before the first frame, the idle app;
- ``peak_mb``: the most that sum reached while filming (sampled every 100 ms);
- ``above_idle_mb``: their difference.
"""

from __future__ import annotations

import argparse
import json
import os
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

from tests.benchmarks.worker import _pss_kb, descendants

DEFAULT_SPAN = ("1917-01", "1926-12")


def tree_pss_mb() -> float:
    """This process and every process below it (QtWebEngine's), proportional set size, in MB."""
    return sum(_pss_kb(pid) for pid in [os.getpid(), *descendants(os.getpid())]) / 1024


def measure(size: str, seconds: float, span: tuple[str | None, str | None], memory: bool = False) -> dict[str, Any]:
    from app.environment import install_qt_message_handler, prepare_qt_environment, use_software_rendering

    prepare_qt_environment(offscreen=True, film=True)
    from PySide6.QtCore import QTimer
    from PySide6.QtWidgets import QApplication

    from app.film.plan import FilmSpec, parse_size, span_days
    from app.film.render import FilmRenderer
    from app.web.scheme import register_scheme
    from geodata.dates import day_number, parse_partial_date
    from geodata.loader import load_dataset

    register_scheme()
    install_qt_message_handler()
    use_software_rendering()
    application = QApplication.instance() or QApplication(sys.argv[:1])
    dataset = load_dataset()
    first = day_number(parse_partial_date(span[0]).first_day()) if span[0] else None
    last = day_number(parse_partial_date(span[1]).last_day()) if span[1] else None
    first, last = span_days(dataset, first, last)
    width, height = parse_size(size)
    spec = FilmSpec(first, last, seconds, 30, width, height)
    result: dict[str, Any] = {"size": size, "seconds": seconds, "frames": spec.frame_count}
    samples: list[float] = []
    marks: dict[str, float] = {}
    with tempfile.TemporaryDirectory(prefix="tm-film-") as folder:
        renderer = FilmRenderer(dataset, spec, Path(folder) / "film.mp4")

        def on_progress(done: int, _total: int) -> None:
            if done == 1:
                marks["first"] = time.perf_counter()

        def finished(path: str) -> None:
            marks["end"] = time.perf_counter()
            result["film_mb"] = round(Path(path).stat().st_size / 1e6, 2)
            application.quit()

        def failed(message: str) -> None:
            result["error"] = message
            application.quit()

        def sample() -> None:
            if "first" in marks:
                samples.append(tree_pss_mb())

        # the idle app: the map drawn, nothing filmed yet (the first frame is asked for on ready)
        renderer.progress.connect(on_progress)
        renderer.finished.connect(finished)
        renderer.failed.connect(failed)
        sampler = QTimer()
        sampler.timeout.connect(sample)
        if memory:  # reading the processes' memory costs CPU the film would otherwise have
            sampler.start(100)
        original_ready = renderer._on_ready

        def ready_then_film() -> None:
            if memory:
                result["idle_mb"] = round(tree_pss_mb(), 1)
            original_ready()

        renderer._on_ready = ready_then_film  # type: ignore[method-assign]
        renderer.start()
        application.exec()
        sampler.stop()
    if "error" in result:
        return result
    frames = spec.frame_count
    result["fps"] = round((frames - 1) / (marks["end"] - marks["first"]), 1)
    if memory:
        result["peak_mb"] = round(max(samples, default=result["idle_mb"]), 1)
        result["above_idle_mb"] = round(result["peak_mb"] - result["idle_mb"], 1)
    return result


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m tests.benchmarks.film", description=__doc__.splitlines()[0])
    parser.add_argument("--size", default="1280x720")
    parser.add_argument("--seconds", type=float, default=10.0)
    parser.add_argument("--from", dest="first", default=DEFAULT_SPAN[0], help="'life' for the whole life")
    parser.add_argument("--to", dest="last", default=DEFAULT_SPAN[1])
    parser.add_argument("--memory", action="store_true", help="sample the memory (slows the film a little)")
    args = parser.parse_args(argv)
    span = (None, None) if args.first == "life" else (args.first, args.last)
    print(json.dumps(measure(args.size, args.seconds, span, args.memory)))
    return 0


if __name__ == "__main__":
    sys.exit(main())
