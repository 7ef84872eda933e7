"""Export the map as one self-contained HTML file that opens in any browser, offline.

The same folium page as the app's, with every asset inlined as a ``data:`` URL and the dataset and
basemap embedded as JSON (escaped by Jinja's ``tojson``), plus in-page popups with the excerpts
since there is no desktop panel. Written atomically: a failed export never leaves half a file.
"""

from __future__ import annotations

import json
from pathlib import Path

from app.page import assets
from app.page.builder import PageOptions, build_page, data_url
from app.page.data import page_payload
from app.page.protocol import ElementId
from geodata.atomic import write_text_atomic
from geodata.model import Dataset


def standalone_html(dataset: Dataset, year: int | None = None, place: str | None = None) -> str:
    """The standalone page's HTML."""
    links = {
        page_path: data_url(page_path)
        for page_path in (
            assets.LEAFLET_JS,
            assets.JQUERY_JS,
            assets.LEAFLET_CSS,
            assets.BASEMAP_JS,
            assets.POINTS_JS,
            assets.PAGE_JS,
            assets.PAGE_CSS,
        )
    }
    basemap = json.loads(assets.BASEMAP_FILE.read_text(encoding="utf-8"))
    coarse = json.loads(assets.BASEMAP_COARSE_FILE.read_text(encoding="utf-8"))
    options = PageOptions(
        year=year,
        place=place or None,
        links=links,
        embedded={
            ElementId.DATASET: page_payload(dataset, with_details=True),
            ElementId.BASEMAP: basemap,
            ElementId.BASEMAP_COARSE: coarse,
        },
        title=f"{dataset.title} — map",
        csp=False,
    )
    return build_page(options)


def write_standalone_html(dataset: Dataset, out: Path, year: int | None = None, place: str | None = None) -> Path:
    """Write the standalone page to ``out``; returns the path written."""
    write_text_atomic(out, standalone_html(dataset, year, place))
    return out
