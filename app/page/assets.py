"""Where the page's files live on disk, and the one table that maps page paths to them.

Leaflet and jQuery come from the ``xstatic`` packages (pinned by pip, no CDN); our own script, style,
the Natural Earth basemap and the historical borders are package data of the shipped resources (:mod:`geodata.paths`).
The URL scheme handler and the standalone HTML export both read this table, so the app and the
exported page load the same files.
"""

from __future__ import annotations

import mimetypes
from pathlib import Path

import xstatic.pkg.jquery
import xstatic.pkg.leaflet

from geodata.paths import resource

WEB_DIR = resource("web")
BASEMAP_FILE = resource("basemap", "countries-50m.geojson")
BASEMAP_COARSE_FILE = resource("basemap", "countries-110m.geojson")
BORDERS_FILE = resource("borders", "borders.topojson")
TOWNS_FILE = resource("basemap", "towns.json")
LEAFLET_DIR = Path(xstatic.pkg.leaflet.BASE_DIR)
JQUERY_DIR = Path(xstatic.pkg.jquery.BASE_DIR)

#: page path (below the app's origin) → file on disk
STATIC_FILES: dict[str, Path] = {
    "vendor/leaflet/leaflet.js": LEAFLET_DIR / "leaflet.js",
    "vendor/leaflet/leaflet.css": LEAFLET_DIR / "leaflet.css",
    "vendor/jquery/jquery.min.js": JQUERY_DIR / "jquery.min.js",
    "web/basemap-layer.js": WEB_DIR / "basemap-layer.js",
    "web/points-layer.js": WEB_DIR / "points-layer.js",
    "web/trotsky-map.js": WEB_DIR / "trotsky-map.js",
    "web/trotsky-map.css": WEB_DIR / "trotsky-map.css",
    "data/basemap.geojson": BASEMAP_FILE,
    "data/basemap-coarse.geojson": BASEMAP_COARSE_FILE,
    "data/borders.topojson": BORDERS_FILE,
    "data/towns.json": TOWNS_FILE,
}
for _image in sorted((LEAFLET_DIR / "images").glob("*.png")):
    STATIC_FILES[f"vendor/leaflet/images/{_image.name}"] = _image

LEAFLET_JS = "vendor/leaflet/leaflet.js"
LEAFLET_CSS = "vendor/leaflet/leaflet.css"
JQUERY_JS = "vendor/jquery/jquery.min.js"
BASEMAP_JS = "web/basemap-layer.js"
POINTS_JS = "web/points-layer.js"
PAGE_JS = "web/trotsky-map.js"
PAGE_CSS = "web/trotsky-map.css"
BASEMAP = "data/basemap.geojson"
BASEMAP_COARSE = "data/basemap-coarse.geojson"
BORDERS = "data/borders.topojson"
TOWNS = "data/towns.json"
DATASET = "data/dataset.json"


def mime_type(page_path: str) -> str:
    """The MIME type the page path is served with."""
    if page_path.endswith((".json", ".geojson", ".topojson")):
        return "application/json"
    guessed, _ = mimetypes.guess_type(page_path)
    return guessed or "application/octet-stream"


def missing_files() -> list[Path]:
    """Files the page needs that are not on disk (a broken install)."""
    return [path for path in STATIC_FILES.values() if not path.is_file()]
