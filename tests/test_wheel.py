"""The app installs like any other: a wheel (not editable) carries every file it needs.

Builds the wheel from a copy of the project's tracked files, installs it without dependencies into a
fresh folder (they are already installed here), and runs ``trotsky-map`` from yet another folder with
only that folder on the path for our packages; the screenshot it saves must show a drawn map.
"""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
import zipfile
from pathlib import Path

import pytest
from PySide6.QtGui import QImage

pytestmark = pytest.mark.gui

ROOT = Path(__file__).resolve().parent.parent
SHIPPED = ("app", "geodata", "resources", "pyproject.toml", "README.md")


def tracked_copy(destination: Path) -> Path:
    """The project's tracked files (what a clean clone has) under ``destination``."""
    listed = subprocess.run(
        ["git", "ls-files", "-z", *SHIPPED], cwd=ROOT, capture_output=True, check=True, stdin=subprocess.DEVNULL
    ).stdout.split(b"\0")
    for name in filter(None, (entry.decode() for entry in listed)):
        target = destination / name
        target.parent.mkdir(parents=True, exist_ok=True)
        shutil.copy2(ROOT / name, target)
    return destination


def test_the_wheel_runs_from_another_folder(tmp_path: Path) -> None:
    source = tracked_copy(tmp_path / "source")
    wheels = tmp_path / "wheels"
    build = [sys.executable, "-m", "pip", "wheel", "--quiet", "--no-deps", "--no-build-isolation", "-w", str(wheels)]
    subprocess.run([*build, str(source)], check=True, capture_output=True, stdin=subprocess.DEVNULL, timeout=300)
    (wheel,) = wheels.glob("trotsky_map-*.whl")
    names = zipfile.ZipFile(wheel).namelist()
    for shipped in (
        "trotsky_map_resources/datasets/trotsky.json",
        "trotsky_map_resources/sources/000_8ecd0a7f1ec61994.txt",
        "trotsky_map_resources/web/trotsky-map.js",
        "trotsky_map_resources/basemap/countries-110m.geojson",
        "geodata/tools/aliases.json",
        "trotsky_map_resources/icons/trotsky-map.svg",
        *(f"trotsky_map_resources/icons/trotsky-map-{size}.png" for size in (16, 32, 48, 64, 128, 256)),
        "trotsky_map_resources/desktop/io.github.trotsky_map.TrotskyMap.desktop",
        "trotsky_map_resources/desktop/io.github.trotsky_map.TrotskyMap.metainfo.xml",
    ):
        assert shipped in names, shipped
    target = tmp_path / "installed"
    install = [sys.executable, "-m", "pip", "install", "--quiet", "--no-deps", "--target", str(target), str(wheel)]
    subprocess.run(install, check=True, capture_output=True, stdin=subprocess.DEVNULL, timeout=300)

    elsewhere = tmp_path / "elsewhere"
    elsewhere.mkdir()
    env = dict(os.environ, PYTHONPATH=str(target), QT_QPA_PLATFORM="offscreen", TROTSKY_MAP_CACHE_DIR=str(tmp_path))
    where = subprocess.run(
        [sys.executable, "-c", "import app, geodata.paths as p; print(app.__file__); print(p.resource_root())"],
        cwd=elsewhere,
        env=env,
        capture_output=True,
        text=True,
        check=True,
        stdin=subprocess.DEVNULL,
    ).stdout.split()
    assert all(Path(path).is_relative_to(target) for path in where), where
    shot = elsewhere / "x.png"
    result = subprocess.run(
        [str(target / "bin" / "trotsky-map"), "--year", "1929", "--screenshot", str(shot)],
        cwd=elsewhere,
        env=env,
        capture_output=True,
        text=True,
        stdin=subprocess.DEVNULL,
        timeout=120,
    )
    assert result.returncode == 0, result.stderr
    image = QImage(str(shot))
    assert image.width() >= 800 and image.height() >= 500
    colours = {image.pixel(x, y) for x in range(0, image.width(), 7) for y in range(0, image.height(), 7)}
    assert len(colours) > 50, "the picture is nearly blank"
