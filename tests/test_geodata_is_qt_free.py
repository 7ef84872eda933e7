"""``geodata`` is the plain-Python half of the project: importing it must not pull in Qt or folium.

Checked in a fresh interpreter, because this test process has long imported PySide6 (conftest.py).
"""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
CHECK = """
import importlib, pkgutil, sys
import geodata
modules = sorted(
    m.name for m in pkgutil.walk_packages(geodata.__path__, "geodata.") if not m.name.endswith("__main__")
)
for name in modules:
    importlib.import_module(name)
heavy = sorted(m for m in sys.modules if m.split(".")[0] in {"PySide6", "shiboken6", "folium", "branca"})
assert not heavy, heavy
print(" ".join(modules))
"""


def test_importing_every_geodata_module_imports_no_qt_and_no_folium() -> None:
    result = subprocess.run(
        [sys.executable, "-c", CHECK], cwd=ROOT, capture_output=True, text=True, timeout=60, stdin=subprocess.DEVNULL
    )
    assert result.returncode == 0, result.stderr
    imported = set(result.stdout.split())
    tools = {f"geodata.tools.{name}" for name in ("export", "geocode", "gazetteer", "distance", "suggest", "cli")}
    assert tools | {"geodata.loader", "geodata.queries", "geodata.schema"} <= imported
