"""The locked-down web view, hostile text, broken resources and a dying renderer, with the real page."""

from __future__ import annotations

import json
import os
import signal
from pathlib import Path
from typing import Any

import pytest
from PySide6.QtCore import QObject, QPoint, QUrl, Slot
from PySide6.QtGui import QDesktopServices
from PySide6.QtTest import QTest
from PySide6.QtWebEngineWidgets import QWebEngineView

from app.page import assets
from app.page.protocol import PageFunction
from app.widgets import main_window
from geodata.loader import load_dataset
from geodata.queries import status_in_year
from tests.conftest import close_and_delete
from tests.gui_helpers import describe, page_js, run_js
from tests.hostile import PAYLOADS, hostile_document

pytestmark = pytest.mark.gui


def hover_text(qtbot: Any, view: Any) -> str:
    """The hover tooltip's text ("" when none shows)."""
    text: str = run_js(qtbot, view, "(document.querySelector('.tm-hover-label') || {}).textContent || ''")
    return text


def test_hostile_text_stays_text_everywhere(qtbot: Any, tmp_path: Path, make_window: Any) -> None:
    dataset = load_dataset(hostile_document(tmp_path))
    window = make_window(dataset, year=1900)
    clicked: list[str] = []
    window.map_view.placeClicked.connect(clicked.append)
    view = window.map_view
    shown = describe(qtbot, view)
    assert set(shown["labels"]) <= {p.name_in(1900) for p in dataset.places}
    assert any(label.startswith("<img src=x") for label in shown["labels"])
    # hover every hostile marker: the tooltip shows the name as text
    for place in dataset.places[1:]:
        point = json.loads(run_js(qtbot, view, page_js(PageFunction.MARKER_POINT, place.id)))
        # places drawn on top of each other show the topmost one's name: any of the stack, as text
        stack = json.loads(run_js(qtbot, view, page_js(PageFunction.STACK_AT, place.id))) or [place.id]
        names = {other.name_in(1900) for other in dataset.places if other.id in stack}
        jiggle = iter(range(1000))

        def hovered(point: dict[str, Any] = point, names: set[str] = names, jiggle: Any = jiggle) -> bool:
            # the pointer rests on the marker, moving a pixel as a hand does, until the name shows
            offset = next(jiggle) % 2
            QTest.mouseMove(view.focusProxy(), QPoint(int(point["x"]) + offset, int(point["y"])))
            return hover_text(qtbot, view) in names

        qtbot.waitUntil(hovered, timeout=5_000)
    for place in dataset.places:
        window.state.select_place(place.id)
        html = window.panel.toHtml()
        assert 'src="x"' not in html and "<script" not in html
        # U+2028/2029 become line breaks in a text document: compare without white space
        assert "".join(place.name_in(1900).split()) in "".join(window.panel.toPlainText().split())
    assert run_js(qtbot, view, "typeof window.__pwned") == "undefined"
    assert run_js(qtbot, view, "document.querySelectorAll('img[src=x], a[href^=javascript]').length") == 0
    assert clicked == []
    assert window.test_js_errors == []


def test_exported_page_keeps_hostile_text_as_text(qtbot: Any, tmp_path: Path) -> None:
    from app.page.export_html import write_standalone_html

    dataset = load_dataset(hostile_document(tmp_path))
    out = write_standalone_html(dataset, tmp_path / "export.html", year=1900)
    html = out.read_text(encoding="utf-8")
    assert "<script>window.__pwned" not in html and "<img src=x" not in html
    view = QWebEngineView()
    qtbot.addWidget(view)
    view.resize(900, 600)
    view.show()
    with qtbot.waitSignal(view.loadFinished, timeout=30_000):
        view.load(QUrl.fromLocalFile(str(out)))

    def js(script: str) -> Any:
        with qtbot.waitCallback(timeout=10_000) as callback:
            view.page().runJavaScript(script, 0, callback)
        return callback.args[0]

    qtbot.waitUntil(lambda: js("document.documentElement.getAttribute('data-tm-ready')") == "true", timeout=20_000)
    for place in dataset.places:
        assert js(page_js(PageFunction.OPEN_POPUP, place.id)) is True
        popup_text = js("Array.from(document.querySelectorAll('.tm-popup')).pop().textContent")
        assert place.name_in(1900) in popup_text
    assert js("typeof window.__pwned") == "undefined"
    assert js("document.querySelectorAll('.tm-popup img, .tm-popup script, .tm-popup a').length") == 0
    assert js("document.title") == f"{PAYLOADS[0]} — map"


@pytest.mark.allow_log("app.web.page", "^js: Refused to execute inline script because it violates")
def test_injected_inline_script_is_refused_by_the_policy(qtbot: Any, window: Any) -> None:
    with qtbot.waitSignal(window.map_view.map_page.javaScriptError, timeout=5_000) as refused:
        run_js(
            qtbot,
            window.map_view,
            "var s = document.createElement('script'); s.textContent = 'window.__pwned = 1';"
            " document.body.appendChild(s); 1",
        )
    assert "Content Security Policy" in refused.args[0]
    assert run_js(qtbot, window.map_view, "typeof window.__pwned") == "undefined"
    window.test_js_errors.clear()


class UrlCatcher(QObject):
    def __init__(self) -> None:
        super().__init__()
        self.urls: list[str] = []

    @Slot(QUrl)
    def open(self, url: QUrl) -> None:
        self.urls.append(url.toString())


@pytest.mark.allow_log(
    "app.web.page", "^(blocked a window opened by the page|js: Not allowed to load local resource: file:///etc/passwd)"
)
def test_links_open_in_the_system_browser_and_windows_are_refused(qtbot: Any, window: Any) -> None:
    catcher = UrlCatcher()
    QDesktopServices.setUrlHandler("https", catcher, "open")  # type: ignore[arg-type]
    try:
        run_js(
            qtbot,
            window.map_view,
            "var a = document.createElement('a'); a.href = 'https://example.org/trotsky';"
            " a.textContent = 'x'; document.body.appendChild(a); a.click(); 1",
        )
        qtbot.waitUntil(lambda: catcher.urls == ["https://example.org/trotsky"], timeout=5_000)
    finally:
        QDesktopServices.unsetUrlHandler("https")
    assert window.map_view.url().toString() == "trotsky://app/index.html"
    assert run_js(qtbot, window.map_view, "String(window.open('https://example.org/'))") == "null"
    run_js(qtbot, window.map_view, "location.href = 'file:///etc/passwd'; 1")
    refused = ["Not allowed to load local resource: file:///etc/passwd (:1)"]
    qtbot.waitUntil(lambda: window.test_js_errors == refused, timeout=5_000)
    assert window.map_view.url().toString() == "trotsky://app/index.html"
    assert window.map_view.profile.isOffTheRecord()
    window.test_js_errors.clear()


@pytest.mark.qt_log_ignore("Could not convert argument")
@pytest.mark.allow_log("app.web.bridge", "^page asked for an unknown place")
def test_the_bridge_shrugs_off_junk_from_the_page(qtbot: Any, window: Any) -> None:
    clicked: list[str] = []
    window.map_view.placeClicked.connect(clicked.append)
    junk = [
        "null",
        "12",
        "{}",
        "[]",
        "'x'.repeat(1000000)",
        "'vienna '",
        "'VIENNA'",
        "'\\u0000vienna'",
        "undefined",
        "true",
    ]
    for value in junk:
        run_js(qtbot, window.map_view, page_js(PageFunction.BRIDGE) + f".clickPlace({value}); 1")
        run_js(qtbot, window.map_view, page_js(PageFunction.BRIDGE) + f".painted({value}, {value}); 1")
    run_js(qtbot, window.map_view, page_js(PageFunction.BRIDGE) + ".clickPlace('vienna'); 1")
    qtbot.waitUntil(lambda: clicked == ["vienna"], timeout=5_000)
    assert window.state.selected_place == "vienna"


@pytest.mark.allow_log("app.web.map_view", "^the map's renderer process ended .*; reloading$")
def test_renderer_death_reloads_and_restores_year_and_selection(qtbot: Any, window: Any) -> None:
    window.state.set_year(1929)
    window.state.select_place("buyukada")
    qtbot.waitUntil(lambda: describe(qtbot, window.map_view)["selected"] == "buyukada", timeout=10_000)
    pid = window.map_view.map_page.renderProcessPid()
    assert pid > 0
    with qtbot.waitSignal(window.map_view.ready, timeout=30_000):
        os.kill(pid, signal.SIGKILL)
    qtbot.waitUntil(lambda: window.map_view.map_page.renderProcessPid() not in (0, pid), timeout=10_000)
    qtbot.waitUntil(lambda: describe(qtbot, window.map_view)["year"] == 1929, timeout=10_000)
    shown = describe(qtbot, window.map_view)
    assert shown["selected"] == "buyukada"
    assert window.state.year == 1929


@pytest.mark.parametrize(
    ("page_path", "content"),
    [
        (assets.BASEMAP_COARSE, b"{this is not json"),
        (assets.LEAFLET_JS, b"this is ( not javascript"),
        (assets.LEAFLET_JS, None),
    ],
)
@pytest.mark.allow_log("app.web.page", "^js: (The map could not start|Uncaught)")
@pytest.mark.allow_log("app.web.map_view", "^map failed: ")
@pytest.mark.allow_log("app.web.scheme", "^(cannot read .*leaflet.js|the page asked for .*leaflet.js)")
def test_broken_resources_give_a_clear_message(
    tmp_path: Path, make_window: Any, monkeypatch: pytest.MonkeyPatch, page_path: str, content: bytes | None
) -> None:
    broken = tmp_path / Path(page_path).name
    if content is not None:
        broken.write_bytes(content)
    monkeypatch.setitem(assets.STATIC_FILES, page_path, broken)
    window = make_window(wait="failed", js_errors_expected=True)
    assert window.map_stack.currentWidget() is window.map_error
    text = window.map_error.text()
    assert text.startswith("The map could not be drawn.")
    if content is None:
        assert str(broken) in text
    assert window.map_view.failure
    assert window.panel.toPlainText()  # the rest of the window still works
    assert window.test_js_errors


def test_opening_a_broken_dataset_keeps_the_open_one(
    qtbot: Any, window: Any, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:

    shown: list[str] = []
    monkeypatch.setattr(main_window, "show_report", lambda _parent, _title, _summary, report: shown.append(report))
    broken = tmp_path / "broken.json"
    broken.write_text('{"format": "trotsky-map-dataset", "version": 1, "places": "x"}', encoding="utf-8")
    before = window.dataset
    with qtbot.waitSignal(window.opener.failed, timeout=10_000):
        window.open_dataset(broken)
    assert window.dataset is before
    assert shown and shown[0].startswith(f"{broken}: ")
    assert "places: expected a list" in shown[0]
    hostile = hostile_document(tmp_path)
    with qtbot.waitSignal(window.map_view.ready, timeout=30_000):
        window.open_dataset(hostile)
    assert window.dataset.path == hostile
    year = window.state.year
    assert window.state.bounds[0] <= year <= window.state.bounds[1]
    qtbot.waitUntil(lambda: window.map_view.shown_year == year, timeout=10_000)
    on_map = describe(qtbot, window.map_view)
    assert "safe" in on_map["active"] + on_map["past"]
    assert on_map["active"] == [place.id for place in window.dataset.places if status_in_year(place, year) == "active"]


def test_a_newer_file_open_supersedes_an_older_one(
    qtbot: Any, window: Any, tmp_path: Path, mini_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """File › Open runs in the background; two in quick succession end with the second file shown
    (and no message about the first), whichever finishes loading first."""

    shown: list[str] = []
    monkeypatch.setattr(main_window, "show_report", lambda _parent, _title, _summary, report: shown.append(report))
    broken = tmp_path / "broken.json"
    broken.write_text("{", encoding="utf-8")
    opened: list[Any] = []
    window.opener.opened.connect(opened.append)
    finished: list[int] = []
    window.opener._finished.connect(lambda request, *_rest: finished.append(request))
    window.open_dataset(broken)
    assert window.opener.busy
    assert "Opening" in window.statusBar().currentMessage()
    with qtbot.waitSignal(window.map_view.ready, timeout=30_000):
        window.open_dataset(mini_path)
    assert window.dataset.path == mini_path
    assert [prepared.dataset.path for prepared in opened] == [mini_path]
    # the broken file's report, whenever it comes, is dropped
    qtbot.waitUntil(lambda: len(finished) == 2, timeout=10_000)
    assert shown == []
    assert not window.opener.busy
    assert window.summary.text().startswith(f"{len(window.dataset.places)} places")


def test_closing_while_distances_are_computed_is_quiet(
    qtbot: Any, make_window: Any, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The journey distances come from a thread; a window closed before they arrive must not make it
    fail (pytest turns an exception in a thread into an error)."""
    import threading

    import app.widgets.journey_distances
    import geodata.tools.distance

    closed = threading.Event()
    finished = threading.Event()
    real = geodata.tools.distance.totals_by_year

    def after_the_window_closed(*args: Any, **kwargs: Any) -> dict[int, float]:
        assert closed.wait(10)
        try:
            return real(*args, **kwargs)
        finally:
            finished.set()

    monkeypatch.setattr(geodata.tools.distance, "totals_by_year", after_the_window_closed)
    monkeypatch.setattr(app.widgets.journey_distances, "QUICK_STAYS", 0)  # the background path, always
    before = set(threading.enumerate())
    window = make_window()
    (thread,) = (t for t in threading.enumerate() if t not in before and t.name == "journey-distances")
    close_and_delete(window)  # ready, then closed and deleted at once
    closed.set()
    thread.join(timeout=10)  # the thread's emit comes after the window's deletion
    assert finished.is_set() and not thread.is_alive()


def test_distances_thread_pauses_and_gets_the_same_figures(bundled: Any, monkeypatch: pytest.MonkeyPatch) -> None:
    """The paced computation gives the figures of an unpaced run and pauses along the way."""
    import app.widgets.journey_distances
    from geodata.tools.distance import stops, totals_by_year

    monkeypatch.setattr(app.widgets.journey_distances, "WORK_S", 0.0)
    pacer = app.widgets.journey_distances.Pacer()
    paced = totals_by_year(stops(bundled), 1879, 1940, pace=pacer)
    assert paced == totals_by_year(stops(bundled), 1879, 1940)
    assert pacer.pauses > 10


def test_an_unexpected_failure_while_opening_is_reported(
    qtbot: Any, window: Any, mini_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Whatever goes wrong in the background is said in a message naming the file, never left pending."""
    import app.widgets.dataset_opener

    shown: list[str] = []
    monkeypatch.setattr(main_window, "show_report", lambda _parent, _title, _summary, report: shown.append(report))

    def no_memory(*_args: Any, **_kwargs: Any) -> Any:
        raise MemoryError("out of memory")

    monkeypatch.setattr(app.widgets.dataset_opener, "load_dataset", no_memory)
    before = window.dataset
    with qtbot.waitSignal(window.opener.failed, timeout=10_000):
        window.open_dataset(mini_path)
    assert window.dataset is before
    assert not window.opener.busy
    assert shown == [f"{mini_path}: cannot be opened (MemoryError: out of memory)"]
