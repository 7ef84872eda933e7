"""The exported standalone page (``--export-html``) in the real engine, opened from disk as a user would.

It must load nothing but itself (every image of Leaflet's CSS is inline), show the layer control's
icon, read its popups as the desktop panel reads a place, and open the popup of ``--place`` at once.
"""

from __future__ import annotations

import json
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from PySide6.QtCore import QUrl
from PySide6.QtWebEngineCore import (
    QWebEnginePage,
    QWebEngineProfile,
    QWebEngineUrlRequestInfo,
    QWebEngineUrlRequestInterceptor,
)
from PySide6.QtWebEngineWidgets import QWebEngineView

from app.page.export_html import write_standalone_html
from app.page.place_html import kind_label
from app.page.protocol import PageFunction
from geodata.loader import load_dataset
from geodata.model import Dataset
from geodata.passages import credit
from geodata.wording import format_span
from tests.gui_helpers import page_js
from tests.hostile import PAYLOADS, hostile_document

pytestmark = pytest.mark.gui


class Requests(QWebEngineUrlRequestInterceptor):
    """Every URL the page asks for."""

    def __init__(self) -> None:
        super().__init__()
        self.urls: list[str] = []

    def interceptRequest(self, info: QWebEngineUrlRequestInfo) -> None:
        self.urls.append(info.requestUrl().toString())


class ConsolePage(QWebEnginePage):
    """A plain page (file:// allowed, unlike the app's locked-down one) that keeps its console."""

    def __init__(self, profile: QWebEngineProfile) -> None:
        super().__init__(profile)
        self.messages: list[str] = []

    def javaScriptConsoleMessage(
        self, level: QWebEnginePage.JavaScriptConsoleMessageLevel, message: str, line: int, source: str
    ) -> None:
        self.messages.append(f"{level.name}: {message}")


class Exported:
    """An exported page loaded in a view, with its requests and console."""

    def __init__(self, qtbot: Any, view: QWebEngineView, page: ConsolePage, requests: Requests, out: Path) -> None:
        self.qtbot, self.view, self.page, self.requests, self.out = qtbot, view, page, requests, out

    def js(self, script: str) -> Any:
        with self.qtbot.waitCallback(timeout=10_000) as callback:
            self.page.runJavaScript(script, 0, callback)
        return callback.args[0]

    def popups(self) -> list[dict[str, Any]]:
        """The open popups: their text, HTML, credits and highlighted names."""
        script = """JSON.stringify(Array.from(document.querySelectorAll('.leaflet-popup .tm-popup')).map(function (p) {
            return {
                text: p.textContent,
                html: p.innerHTML,
                title: p.querySelector('h3').textContent,
                stays: Array.from(p.querySelectorAll('.stay')).map(function (s) { return s.textContent; }),
                now: Array.from(p.querySelectorAll('.now .stay')).map(function (s) { return s.textContent; }),
                credits: Array.from(p.querySelectorAll('.src')).map(function (s) { return s.textContent; }),
                marked: Array.from(p.querySelectorAll('blockquote span[style]')).map(function (s) {
                    return s.textContent;
                }),
            };
        }))"""
        result: list[dict[str, Any]] = json.loads(self.js(script))
        return result


@pytest.fixture
def open_export(qtbot: Any, tmp_path: Path) -> Iterator[Any]:
    """Export a dataset with the given year/place and load the file in QtWebEngine, ready."""
    made: list[tuple[QWebEngineView, ConsolePage, QWebEngineProfile, Requests]] = []

    def open_(dataset: Dataset, year: int | None = None, place: str | None = None) -> Exported:
        out = write_standalone_html(dataset, tmp_path / f"export-{len(made)}.html", year, place)
        profile = QWebEngineProfile()  # off the record
        requests = Requests()
        profile.setUrlRequestInterceptor(requests)
        page = ConsolePage(profile)
        view = QWebEngineView()
        view.setPage(page)
        made.append((view, page, profile, requests))
        view.resize(1100, 750)
        view.show()
        with qtbot.waitSignal(page.loadFinished, timeout=30_000):
            page.load(QUrl.fromLocalFile(str(out)))
        exported = Exported(qtbot, view, page, requests, out)
        qtbot.waitUntil(
            lambda: exported.js("document.documentElement.getAttribute('data-tm-ready')") == "true", timeout=20_000
        )
        return exported

    yield open_
    for view, page, profile, _requests in made:
        view.close()
        view.setPage(None)  # type: ignore[arg-type]
        page.deleteLater()
        view.deleteLater()
        profile.deleteLater()
    from PySide6.QtCore import QCoreApplication, QEvent

    QCoreApplication.sendPostedEvents(None, QEvent.Type.DeferredDelete)


def test_the_layer_control_shows_its_icon_and_nothing_else_is_requested(bundled: Dataset, open_export: Any) -> None:
    page = open_export(bundled)
    # The icon is an image that the engine decoded (an unresolvable url() leaves "none" or fails).
    background = page.js("getComputedStyle(document.querySelector('.leaflet-control-layers-toggle')).backgroundImage")
    assert background.startswith('url("data:image/png;base64,'), background[:80]
    script = f"""new Promise(function (resolve) {{
        var image = new Image();
        image.onload = function () {{ resolve(image.naturalWidth + "x" + image.naturalHeight); }};
        image.onerror = function () {{ resolve("failed"); }};
        image.src = {json.dumps(background[5:-2])};
    }})"""
    page.js(f"window.__icon = null; ({script}).then(function (size) {{ window.__icon = size; }})")
    page.qtbot.waitUntil(lambda: page.js("window.__icon") is not None, timeout=5_000)
    assert page.js("window.__icon") in ("26x26", "52x52")
    # every image of Leaflet's CSS, in any state (retina, markers), is inline: none is a URL to fetch
    sheets = page.js(
        "JSON.stringify(Array.from(document.styleSheets).map(function (s) {"
        " return Array.from(s.cssRules).map(function (r) { return r.cssText; }).join('\\n'); }))"
    )
    css = "\n".join(json.loads(sheets))
    assert "layers-2x.png" not in css and "images/" not in css
    # the page asked for nothing but itself (a missing image would be a failed file:// request)
    assert page.requests.urls, "the interceptor saw no request at all"
    assert set(page.requests.urls) == {QUrl.fromLocalFile(str(page.out)).toString()}, page.requests.urls
    failed = page.js(
        "JSON.stringify(performance.getEntriesByType('resource')"
        ".filter(function (e) { return !e.name.startsWith('data:'); }).map(function (e) { return e.name; }))"
    )
    assert json.loads(failed) == []
    assert [m for m in page.page.messages if m.startswith("Error")] == []


def test_the_place_asked_for_opens_its_popup_with_the_panels_wording(bundled: Dataset, open_export: Any) -> None:
    place = bundled.place("buyukada")
    assert place is not None
    page = open_export(bundled, year=1930, place="buyukada")
    page.qtbot.waitUntil(lambda: len(page.popups()) == 1, timeout=5_000)
    popup = page.popups()[0]
    assert popup["title"] == place.name_in(1930)
    stay = place.stays[0]
    assert popup["stays"] == [f"{format_span(stay)} · {kind_label(stay.kind)}"] == ["Feb 1929 – 1933 · exile"]
    assert popup["now"] == popup["stays"]  # 1929–1933 covers 1930, as the panel marks it
    # credited with the work and its author, as the panel credits them
    wiki, crawford = (credit(bundled.sources[source]) for source in ("wiki", "crawford"))
    assert set(popup["credits"]) == {f"— {wiki}; also in {crawford}", f"— {wiki}"}
    assert "Büyükada" in popup["marked"]  # the place's name is highlighted in the excerpts
    assert "Today: Büyükada, Adalar, Istanbul, Turkey" in popup["text"]
    assert "First station of his foreign exile" in popup["text"]
    described = json.loads(page.js(page_js(PageFunction.DESCRIBE)))
    assert described["selected"] == "buyukada"
    # moving the slider keeps the open popup current: no stay covers 1935
    page.js(
        "var s = document.querySelector('.tm-year-control input'); s.value = 1935; s.dispatchEvent(new Event('input'))"
    )
    page.qtbot.waitUntil(lambda: page.popups()[0]["now"] == [], timeout=5_000)
    assert [m for m in page.page.messages if m.startswith("Error")] == []


def test_without_a_place_no_popup_opens_and_a_click_opens_one(bundled: Dataset, open_export: Any) -> None:
    page = open_export(bundled, year=1905)
    assert page.popups() == []
    assert page.js(page_js(PageFunction.OPEN_POPUP, "vienna")) is True
    popups = page.popups()
    assert len(popups) == 1 and popups[0]["title"] == "Vienna"


def test_hostile_text_in_popups_stays_text(tmp_path: Path, open_export: Any) -> None:
    dataset = load_dataset(hostile_document(tmp_path))
    page = open_export(dataset, year=1900, place="hostile-0")
    page.qtbot.waitUntil(lambda: len(page.popups()) == 1, timeout=5_000)
    for place in dataset.places:
        assert page.js(page_js(PageFunction.OPEN_POPUP, place.id)) is True
        popup = page.popups()[-1]
        assert popup["title"] == place.name_in(1900)
        for text in (place.stays[0].summary, place.stays[0].excerpts[0].text):
            assert text in popup["text"]
        assert popup["credits"] == [f"— {PAYLOADS[2]}, ‘{PAYLOADS[1]}’"]
    assert page.js("typeof window.__pwned") == "undefined"
    count = "document.querySelectorAll('.tm-popup img, .tm-popup script, .tm-popup a, .tm-popup [onerror]').length"
    assert page.js(count) == 0


def test_the_exported_page_shows_whole_years(bundled: Dataset, open_export: Any) -> None:
    """The exported page moves by years: a year's places are those of any day of it (Halifax and
    Amherst in 1917, though he was in Brest-Litovsk on 31 December), and it opens on the first
    year with the birth drawn rather than on an empty 1 January."""
    page = open_export(bundled, year=1917)
    described = json.loads(page.js(page_js(PageFunction.DESCRIBE)))
    assert {"halifax", "amherst", "new-york", "the-bronx", "brest-litovsk"} <= set(described["active"])
    assert described["current"] == "brest-litovsk"
    first = open_export(bundled)
    described = json.loads(first.js(page_js(PageFunction.DESCRIBE)))
    assert described["year"] == 1879 and described["current"] == "yanovka" and "yanovka" in described["active"]
