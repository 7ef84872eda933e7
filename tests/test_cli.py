"""The command lines as a user runs them: fresh processes, offscreen, no display."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest
from PySide6.QtGui import QImage

from tests.datasets import make_document, write_dataset

pytestmark = pytest.mark.gui
ROOT = Path(__file__).resolve().parent.parent


def run(args: list[str], cwd: Path, **env_changes: str | None) -> subprocess.CompletedProcess[str]:
    env = dict(os.environ)
    for key, value in env_changes.items():
        if value is None:
            env.pop(key, None)
        else:
            env[key] = value
    env["PYTHONPATH"] = str(ROOT)
    env.setdefault("TROTSKY_MAP_CACHE_DIR", str(cwd / "cache"))
    return subprocess.run(
        [sys.executable, *args], cwd=cwd, env=env, capture_output=True, text=True, timeout=120, stdin=subprocess.DEVNULL
    )


def assert_picture_of_the_app(path: Path) -> None:
    image = QImage(str(path))
    assert not image.isNull()
    assert image.width() >= 1000 and image.height() >= 600
    colours = {image.pixelColor(x, y).name() for x in range(0, image.width(), 9) for y in range(0, image.height(), 9)}
    assert len(colours) > 30
    assert "#f3eee2" in colours  # the basemap's land reached the picture


def test_screenshot_of_the_bronx_in_1917(tmp_path: Path) -> None:
    out = tmp_path / "x.png"
    result = run(["-m", "app", "--year", "1917", "--place", "the-bronx", "--screenshot", str(out)], tmp_path)
    assert result.returncode == 0, result.stderr
    assert f"Saved {out}" in result.stdout
    assert_picture_of_the_app(out)
    assert "Traceback" not in result.stderr


def test_without_a_display_it_renders_offscreen_and_explains(tmp_path: Path) -> None:
    result = run(["-m", "app"], tmp_path, DISPLAY=None, WAYLAND_DISPLAY=None, QT_QPA_PLATFORM=None)
    assert result.returncode == 0, result.stderr
    assert "no display" in result.stdout
    assert "xvfb-run" in result.stdout
    assert str(tmp_path / "trotsky-map.png") in result.stdout
    assert str(tmp_path / "trotsky-map.html") in result.stdout
    assert_picture_of_the_app(tmp_path / "trotsky-map.png")
    assert (tmp_path / "trotsky-map.html").stat().st_size > 100_000


def test_export_html_is_standalone(tmp_path: Path) -> None:
    out = tmp_path / "map.html"
    result = run(["-m", "app", "--export-html", str(out), "--year", "1929"], tmp_path)
    assert result.returncode == 0, result.stderr
    html = out.read_text(encoding="utf-8")
    assert 'src="http' not in html and 'href="http' not in html
    assert 'id="tm-dataset"' in html and 'id="tm-basemap"' in html
    assert "Büyükada" in html or "B\\u00fcy\\u00fckada" in html


def test_a_broken_dataset_is_reported_without_a_traceback(tmp_path: Path) -> None:
    document = make_document()
    document["places"][1]["stays"][0]["end"] = "1917-13"
    path = write_dataset(tmp_path, document)
    result = run(["-m", "app", "--dataset", str(path), "--screenshot", str(tmp_path / "x.png")], tmp_path)
    assert result.returncode == 1
    assert f"{path}: places[1].stays[0].end: '1917-13' has no month 13" in result.stderr
    assert "Traceback" not in result.stderr
    assert not (tmp_path / "x.png").exists()


def test_unknown_place_is_refused(tmp_path: Path) -> None:
    result = run(["-m", "app", "--place", "atlantis", "--screenshot", str(tmp_path / "x.png")], tmp_path)
    assert result.returncode == 2
    assert "--place: no place 'atlantis' in trotsky.json" in result.stderr


def test_a_place_is_asked_for_by_any_name_and_a_near_miss_gets_suggestions(tmp_path: Path) -> None:
    shot = tmp_path / "x.png"
    ok = run(["-m", "app", "--place", "PETROGRAD", "--date", "1917-07", "--screenshot", str(shot)], tmp_path)
    assert ok.returncode == 0, ok.stderr
    assert shot.exists()
    near = run(["-m", "app", "--place", "Viena", "--screenshot", str(shot)], tmp_path)
    assert near.returncode == 2 and "closest: Vienna (vienna)" in near.stderr


def test_geodata_validate(tmp_path: Path) -> None:
    ok = run(["-m", "geodata", "validate"], tmp_path)
    assert ok.returncode == 0 and ": OK — " in ok.stdout
    document = make_document()
    document["places"][0]["lat"] = "north"
    path = write_dataset(tmp_path, document)
    bad = run(["-m", "geodata", "validate", str(path)], tmp_path)
    assert bad.returncode == 1
    assert bad.stdout.strip() == f"{path}: places[0].lat: expected a number, got a string"
    assert json.loads(path.read_text(encoding="utf-8"))["places"][0]["lat"] == "north"  # nothing was changed


def test_version_names_the_app_and_what_it_runs_on(tmp_path: Path) -> None:
    done = run(["-m", "app", "--version"], tmp_path)
    assert done.returncode == 0, done.stderr
    line = done.stdout.strip()
    assert line.startswith("trotsky-map 0.1.0 (Python ") and "PySide6 6.11.3" in line and "Chromium " in line
