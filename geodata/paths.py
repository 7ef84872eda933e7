"""Where shipped files and the user's caches are: the one definition of each location.

Shipped files (datasets, source texts, web assets, basemaps) are package data of
``trotsky_map_resources`` (the top-level ``resources/`` folder, mapped to that package name in
``pyproject.toml``) and are found through ``importlib.resources``, so an editable checkout, a wheel
and ``pipx install .`` find them the same way. The app's own caches (the rendered page, the GeoNames
index, geocoding answers) share one folder, so one setting moves them all.
"""

from __future__ import annotations

import importlib.resources
import os
from pathlib import Path

RESOURCE_PACKAGE = "trotsky_map_resources"
CACHE_ENV = "TROTSKY_MAP_CACHE_DIR"


def resource_root() -> Path:
    """The folder of the shipped files (installed as a package: always a real folder on disk)."""
    root = importlib.resources.files(RESOURCE_PACKAGE)
    if not isinstance(root, Path):  # e.g. imported from a zip file, which pip never produces
        raise RuntimeError(f"{RESOURCE_PACKAGE} is not installed as files on disk ({root!r})")
    return root


def resource(*parts: str) -> Path:
    """A shipped file, e.g. ``resource("datasets", "trotsky.json")``."""
    return resource_root().joinpath(*parts)


BUNDLED_DATASET = resource("datasets", "trotsky.json")
BUNDLED_SOURCES = resource("sources")


def user_cache_dir() -> Path:
    """``$TROTSKY_MAP_CACHE_DIR``, else ``$XDG_CACHE_HOME/trotsky-map``, else ``~/.cache/trotsky-map``."""
    explicit = os.environ.get(CACHE_ENV)
    if explicit:
        return Path(explicit)
    base = os.environ.get("XDG_CACHE_HOME") or str(Path.home() / ".cache")
    return Path(base) / "trotsky-map"
