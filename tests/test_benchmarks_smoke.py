"""The benchmark runner works end to end (on a tiny synthetic dataset); no timing is asserted."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest

from geodata.loader import load_dataset
from tests.benchmarks.synthetic import write_synthetic_dataset

pytestmark = pytest.mark.gui

REPO = Path(__file__).resolve().parent.parent
SIZE_KEYS = {
    "places",
    "start_s",
    "start_window_s",
    "step_ms",
    "date_step_ms",
    "border_switch_ms",
    "timeline_paint_ms",
    "jump_ms",
    "click_ms",
    "reader_open_ms",
    "reader_jump_ms",
    "rss_mb",
    "load_ms",
    "naive_step_ms",
}
SPREAD = {"median", "p95"}


def is_number(value: Any) -> bool:
    return isinstance(value, (int, float)) and not isinstance(value, bool)


def test_synthetic_datasets_validate_and_are_reproducible(tmp_path: Path) -> None:
    first = write_synthetic_dataset(tmp_path / "a", 120)
    second = write_synthetic_dataset(tmp_path / "b", 120)
    assert first.read_bytes() == second.read_bytes()
    dataset = load_dataset(first)
    assert len(dataset.places) == 120
    assert all(1 <= len(place.stays) <= 3 for place in dataset.places)
    years = [year for stay in dataset.stays for year in (stay.start.year, stay.end.year)]
    assert min(years) >= 1879
    assert max(years) <= 1940


def test_the_runner_writes_exactly_the_documented_json(tmp_path: Path) -> None:
    out = tmp_path / "bench.json"
    command = [
        sys.executable,
        "-m",
        "tests.benchmarks",
        "--sizes",
        "50",
        "--starts",
        "1",
        "--steps",
        "5",
        "--clicks",
        "2",
        "--naive-steps",
        "1",
        "--drag-ticks",
        "5",
        "--shots",
        "1",
        "--json",
        str(out),
    ]
    finished = subprocess.run(command, cwd=REPO, capture_output=True, text=True, timeout=120)
    assert finished.returncode == 0, finished.stderr[-3000:]
    assert "step ±1 year median" in finished.stdout
    document = json.loads(out.read_text(encoding="utf-8"))
    assert set(document) == {"machine", "floor_start_s", "screenshot", "sizes"}
    assert set(document["screenshot"]) == {"app_s", "bare_s", "ratio"}
    assert all(is_number(value) and value > 0 for value in document["screenshot"].values())
    assert isinstance(document["machine"], str) and "cores" in document["machine"]
    assert set(document["floor_start_s"]) == {"median"} and is_number(document["floor_start_s"]["median"])
    assert set(document["sizes"]) == {"50"}
    size = document["sizes"]["50"]
    assert set(size) == SIZE_KEYS
    assert size["places"] == 50
    assert set(size["start_s"]) == {"median"} and is_number(size["start_s"]["median"])
    assert (
        set(size["start_window_s"]) == {"median"} and 0 < size["start_window_s"]["median"] <= size["start_s"]["median"]
    )
    for key in ("step_ms", "date_step_ms", "jump_ms", "click_ms"):
        assert set(size[key]) == SPREAD, key
        assert all(is_number(value) for value in size[key].values()), key
    assert set(size["rss_mb"]) == {"python", "webengine"}
    assert all(is_number(value) and value > 0 for value in size["rss_mb"].values())
    assert is_number(size["load_ms"])
    assert set(size["naive_step_ms"]) == {"median"} and is_number(size["naive_step_ms"]["median"])


def test_the_film_benchmark_reports_its_figures() -> None:
    done = subprocess.run(
        [sys.executable, "-m", "tests.benchmarks.film", "--size", "320x180", "--seconds", "1", "--memory"],
        cwd=REPO,
        capture_output=True,
        text=True,
        stdin=subprocess.DEVNULL,
        timeout=180,
        check=False,
    )
    assert done.returncode == 0, done.stderr
    result = json.loads(done.stdout.splitlines()[-1])
    assert set(result) == {"size", "seconds", "frames", "film_mb", "idle_mb", "fps", "peak_mb", "above_idle_mb"}
    assert result["frames"] == 30 and all(is_number(result[key]) for key in ("fps", "idle_mb", "peak_mb"))
