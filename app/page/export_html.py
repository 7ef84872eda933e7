"""Export the map as one self-contained HTML file that opens in any browser, offline.

The same folium page as the app's, with every asset inlined as a ``data:`` URL (Leaflet's CSS with
its images inside) and the dataset and basemap embedded as JSON (escaped by Jinja's ``tojson``),
plus in-page popups that read as the desktop panel reads a place, since there is no panel: the
panel's own HTML (:mod:`app.page.place_html`), carried in the payload's details. With ``place``
the page opens with that place's popup open. Written atomically: a failed export never leaves half
a file.
"""

from __future__ import annotations

import base64
import json
import re
from pathlib import Path

from app.page import assets
from app.page.builder import PageOptions, build_page, data_url
from app.page.data import page_payload
from app.page.protocol import ElementId
from geodata.atomic import write_text_atomic
from geodata.model import Dataset

#: ``url(images/layers.png)`` and the like in Leaflet's CSS (quoted or not)
_LEAFLET_IMAGE = re.compile(r"""url\(\s*(['"]?)images/([\w.-]+)\1\s*\)""")


def leaflet_css_data_url() -> str:
    """Leaflet's CSS as a ``data:`` URL, with the images it names inlined as ``data:`` URLs too.

    Leaflet names its images relative to its CSS file (``images/layers.png``, the layer control's
    icon); in a page opened from disk that is a file next to the page, which is not there, so the
    control was an empty square and the browser asked for a missing file. Every image the CSS names
    is one of xstatic-leaflet's files (:data:`assets.STATIC_FILES`); an unknown one is an error here,
    not a broken picture in the user's browser. (The page draws no default Leaflet marker, whose
    icon path Leaflet reads from this CSS.)
    """
    css = assets.STATIC_FILES[assets.LEAFLET_CSS].read_text(encoding="utf-8")

    def inline(match: re.Match[str]) -> str:
        image = f"vendor/leaflet/images/{match.group(2)}"
        if image not in assets.STATIC_FILES:
            raise FileNotFoundError(f"Leaflet's CSS names {match.group(0)}, which xstatic-leaflet does not ship")
        return f'url("{data_url(image)}")'

    inlined = _LEAFLET_IMAGE.sub(inline, css)
    return "data:text/css;base64," + base64.b64encode(inlined.encode("utf-8")).decode("ascii")


def standalone_html(dataset: Dataset, year: int | None = None, place: str | None = None) -> str:
    """The standalone page's HTML."""
    links = {
        page_path: data_url(page_path)
        for page_path in (
            assets.LEAFLET_JS,
            assets.JQUERY_JS,
            assets.BASEMAP_JS,
            assets.POINTS_JS,
            assets.PAGE_JS,
            assets.PAGE_CSS,
        )
    }
    links[assets.LEAFLET_CSS] = leaflet_css_data_url()
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
            ElementId.BORDERS: json.loads(assets.BORDERS_FILE.read_text(encoding="utf-8")),
            ElementId.TOWNS: json.loads(assets.TOWNS_FILE.read_text(encoding="utf-8")),
        },
        title=f"{dataset.title} — map",
        csp=False,
    )
    return build_page(options)


def write_standalone_html(dataset: Dataset, out: Path, year: int | None = None, place: str | None = None) -> Path:
    """Write the standalone page to ``out``; returns the path written."""
    write_text_atomic(out, standalone_html(dataset, year, place))
    return out
