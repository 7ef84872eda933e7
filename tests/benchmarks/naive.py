"""The approach a newcomer would write, as the baseline of the ``naive`` figure.

For every year: build a new folium map with one ``folium.CircleMarker`` (with a name tooltip) per
place that is active or past in that year, render it to HTML, write it to a temporary file and
``QWebEngineView.load`` it; the step is done when the view reports ``loadFinished`` and a
``requestAnimationFrame`` callback has run in the new page.

It is deliberately a *favourable* baseline: Leaflet (and nothing else) comes from the local
``xstatic`` files as in the app (no network, no CDN), the markers use folium's canvas renderer
(``prefer_canvas``), and there is no basemap, no path line and no labels, all of which the app draws.
"""

from __future__ import annotations

import time
from pathlib import Path
from typing import Any

from PySide6.QtCore import QEventLoop, QTimer, QUrl
from PySide6.QtWebEngineWidgets import QWebEngineView

from app.page import assets
from geodata.model import Dataset
from geodata.queries import status_in_year

ACTIVE: dict[str, Any] = {"radius": 7, "color": "#6d1a12", "weight": 1.5, "fill_color": "#c0392b", "fill_opacity": 0.95}
PAST: dict[str, Any] = {"radius": 4.5, "color": "#6b5d54", "weight": 1, "fill_color": "#8c7b70", "fill_opacity": 0.4}


def naive_page_html(dataset: Dataset, year: int) -> str:
    """A complete folium page for ``year``: what a newcomer regenerates on every slider move."""
    import folium

    fmap = folium.Map(location=[50.0, 30.0], zoom_start=3, tiles=None, prefer_canvas=True)
    # Local Leaflet, as the app does (app.page.assets); folium's other CDN defaults are not needed here.
    fmap.default_js = [("leaflet", (assets.LEAFLET_DIR / "leaflet.js").as_uri())]
    fmap.default_css = [("leaflet_css", (assets.LEAFLET_DIR / "leaflet.css").as_uri())]
    active: list[tuple[float, float]] = []
    for place in dataset.places:
        status = status_in_year(place, year)
        if status == "future":
            continue
        style = ACTIVE if status == "active" else PAST
        if status == "active":
            active.append((place.lat, place.lon))
        folium.CircleMarker([place.lat, place.lon], fill=True, tooltip=place.name_in(year), **style).add_to(fmap)
    if active:
        fmap.fit_bounds(
            [
                [min(a for a, _ in active), min(o for _, o in active)],
                [max(a for a, _ in active), max(o for _, o in active)],
            ]
        )
    html: str = fmap.get_root().render()
    return html


class NaiveMap:
    """Shows a year by regenerating and reloading the whole page (one file per step in ``folder``)."""

    def __init__(self, view: QWebEngineView, dataset: Dataset, folder: Path) -> None:
        self.view = view
        self.dataset = dataset
        self.folder = folder
        self._token = 0
        self._loop = QEventLoop()
        self._state = ""
        view.loadFinished.connect(self._on_load_finished)
        view.titleChanged.connect(self._on_title)

    def _on_load_finished(self, ok: bool) -> None:
        if self._state != "loading":
            return
        if not ok:
            self._state = "failed"
            self._loop.quit()
            return
        self._state = "painting"
        script = f"requestAnimationFrame(function () {{ document.title = 'painted-{self._token}'; }}); 1"
        self.view.page().runJavaScript(script)

    def _on_title(self, title: str) -> None:
        if self._state == "painting" and title == f"painted-{self._token}":
            self._state = "done"
            self._loop.quit()

    def show_year(self, year: int, timeout_s: float = 300.0) -> float:
        """Regenerate, reload and wait for the painted frame; returns the seconds it took."""
        started = time.perf_counter()
        self._token += 1
        html = naive_page_html(self.dataset, year)
        page = self.folder / f"naive-{self._token}.html"
        page.write_text(html, encoding="utf-8")
        self._state = "loading"
        self.view.load(QUrl.fromLocalFile(str(page)))
        timer = QTimer()
        timer.setSingleShot(True)
        timer.timeout.connect(self._loop.quit)
        timer.start(int(timeout_s * 1000))
        if self._state not in ("done", "failed"):
            self._loop.exec()
        timer.stop()
        elapsed = time.perf_counter() - started
        previous = self.folder / f"naive-{self._token - 1}.html"
        previous.unlink(missing_ok=True)
        if self._state != "done":
            raise RuntimeError(f"naive page for {year} did not paint ({self._state}) within {timeout_s:.0f} s")
        return elapsed
