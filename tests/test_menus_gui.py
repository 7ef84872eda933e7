"""The menus say what the app can do, and each action does what it says (checked in the real page)."""

from __future__ import annotations

import datetime as dt
import json
from pathlib import Path
from typing import Any

import pytest
from PySide6.QtWebEngineCore import QWebEngineUrlRequestInfo, QWebEngineUrlRequestInterceptor

from app.page.protocol import PageFunction
from app.widgets.settings import Settings
from tests.conftest import close_and_delete
from tests.gui_helpers import describe, page_js, run_js

pytestmark = pytest.mark.gui


def menu_titles(window: Any) -> list[str]:
    return [action.text().replace("&", "") for action in window.menuBar().actions()]


def in_view(view: str, lat: float, lon: float) -> bool:
    west, south, east, north = (float(value) for value in view.split(","))
    return bool(west <= lon <= east and south <= lat <= north)


def test_the_menus_are_file_view_go_and_help(window: Any) -> None:
    assert menu_titles(window) == ["File", "View", "Go", "Help"]


def test_every_action_says_what_it_does(window: Any) -> None:
    for name, action in window.actions_by_name.items():
        text = action.text().replace("&", "").rstrip("…")
        assert action.toolTip() and action.toolTip() != text, name
        assert action.statusTip(), name
        if not action.shortcut().isEmpty():  # hovering teaches the key
            assert action.shortcut().toString() in action.toolTip(), name
    for menu in (window.recent_menu, window.data_menu):
        assert menu.toolTipsVisible()
    assert all(action.toolTip() for action in window.data_menu.actions())


def test_view_hides_and_shows_the_panel(window: Any) -> None:
    action = window.actions_by_name["show_panel"]
    action.trigger()
    assert not window.panel.isVisible() and not action.isChecked()
    action.trigger()
    assert window.panel.isVisible()


def legend_shown(qtbot: Any, window: Any) -> bool:
    script = "(function(){var e=document.querySelector('.tm-legend');return !!e && e.offsetParent !== null;})()"
    return bool(run_js(qtbot, window.map_view, script))


def test_view_legend_shows_and_hides_the_legend(qtbot: Any, window: Any) -> None:
    assert legend_shown(qtbot, window)
    text = run_js(qtbot, window.map_view, "document.querySelector('.tm-legend').textContent")
    assert "Where he is" in text and "Journey" in text
    window.actions_by_name["legend"].trigger()
    qtbot.waitUntil(lambda: not legend_shown(qtbot, window), timeout=5_000)
    window.actions_by_name["legend"].trigger()
    qtbot.waitUntil(lambda: legend_shown(qtbot, window), timeout=5_000)


def test_fit_the_whole_journey_frames_every_place(qtbot: Any, window: Any, bundled: Any) -> None:
    window.state.set_follow(False)
    run_js(qtbot, window.map_view, page_js(PageFunction.ZOOM_TO, 19.35, -99.16))  # into Mexico City
    assert not in_view(describe(qtbot, window.map_view)["view"], 59.94, 30.31)  # Petrograd is out
    window.actions_by_name["fit_journey"].trigger()

    def every_place_in_view() -> bool:
        view = describe(qtbot, window.map_view)["view"]
        return all(in_view(view, place.lat, place.lon) for place in bundled.places)

    qtbot.waitUntil(every_place_in_view, timeout=5_000)
    assert window.state.follow is False  # fitting is a view change, not a mode


def test_fit_this_year_frames_the_years_places(qtbot: Any, window: Any, bundled: Any) -> None:
    window.state.set_follow(False)
    window.state.set_year(1905)
    qtbot.waitUntil(lambda: window.map_view.shown_year == 1905, timeout=5_000)
    run_js(qtbot, window.map_view, page_js(PageFunction.ZOOM_TO, 19.35, -99.16))
    petersburg = bundled.place("saint-petersburg")
    assert not in_view(describe(qtbot, window.map_view)["view"], petersburg.lat, petersburg.lon)
    window.actions_by_name["fit_year"].trigger()
    qtbot.waitUntil(
        lambda: in_view(describe(qtbot, window.map_view)["view"], petersburg.lat, petersburg.lon), timeout=5_000
    )


def test_follow_in_the_menu_and_in_the_state_agree(window: Any) -> None:
    action = window.actions_by_name["follow"]
    assert action.isChecked() is window.state.follow is True
    action.trigger()
    assert window.state.follow is False
    window.state.set_follow(True)
    assert action.isChecked()


def test_full_screen_goes_and_comes_back(qtbot: Any, window: Any) -> None:
    action = window.actions_by_name["full_screen"]
    action.trigger()
    qtbot.waitUntil(window.isFullScreen, timeout=5_000)
    action.trigger()
    qtbot.waitUntil(lambda: not window.isFullScreen(), timeout=5_000)


def test_go_moves_through_the_dates(window: Any) -> None:
    from PySide6.QtWidgets import QApplication

    actions, state = window.actions_by_name, window.state
    actions["go_to_date"].trigger()
    assert QApplication.focusWidget() is window.time_bar.go_to or not window.isActiveWindow()
    window.time_bar.go_to.setText("25 October 1917")
    assert window.time_bar.go_to_entry() and state.date.isoformat() == "1917-10-25"
    actions["step_forward"].trigger()
    assert state.date.isoformat() == "1917-11-25"  # a month, the unit at start
    actions["step_back"].trigger()
    actions["next_year"].trigger()
    assert state.date.isoformat() == "1918-10-25"
    actions["previous_year"].trigger()
    actions["next_event"].trigger()  # the next stay: Brest-Litovsk, 22 December 1917
    assert state.date.isoformat() == "1917-12-22"
    actions["previous_event"].trigger()
    assert state.date.isoformat() < "1917-12-22"
    state.set_date(dt.date(1917, 12, 22))
    actions["next_chapter"].trigger()
    assert state.date.isoformat() == "1918-03-13"  # Head of the Red Army
    actions["previous_chapter"].trigger()
    assert state.date.isoformat() == "1917-11-08"  # Commissar for Foreign Affairs
    actions["first_day"].trigger()
    assert state.date.isoformat() == "1879-01-01"
    actions["last_day"].trigger()
    assert state.date.isoformat() == "1940-12-31"


def test_go_chapters_lists_the_chapters_and_checks_the_dates(window: Any, bundled: Any) -> None:
    window.state.set_date(dt.date(1917, 4, 15))
    window.chapters_menu.aboutToShow.emit()
    actions = window.chapters_menu.actions()
    assert [action.text().replace("&&", "&") for action in actions] == [chapter.title for chapter in bundled.chapters]
    checked = [action.text() for action in actions if action.isChecked()]
    assert checked == ["World War I (1914–1917)"]
    actions[-1].trigger()
    assert window.state.date.isoformat() == "1929-01-01"


def test_a_dataset_that_cannot_be_opened_is_reported_at_full_width(
    qtbot: Any, window: Any, tmp_path: Path, monkeypatch: Any
) -> None:
    from app.widgets import main_window
    from app.widgets.dialogs import ReportDialog

    broken = json.loads(Path(window.dataset.path).read_text(encoding="utf-8"))
    broken["places"][3]["lat"] = 95
    path = tmp_path / "broken.json"
    path.write_text(json.dumps(broken), encoding="utf-8")
    shown: list[ReportDialog] = []
    monkeypatch.setattr(main_window, "show_report", lambda *args: shown.append(ReportDialog(*args)))
    with qtbot.waitSignal(window.opener.failed, timeout=30_000):
        window.open_dataset(path)
    dialog = shown[0]
    report = dialog.report.toPlainText()
    assert "places[3].lat" in report and "90" in report
    # as wide as the longest line (or the screen allows), and a line is never wrapped in the middle
    longest = max(dialog.report.fontMetrics().horizontalAdvance(line) for line in report.splitlines())
    screen = dialog.screen().availableGeometry().width()
    assert dialog.width() >= min(longest + 60, int(screen * 0.9)) and dialog.width() >= min(640, screen)
    assert dialog.report.lineWrapMode() == dialog.report.LineWrapMode.NoWrap
    assert dialog.report.document().blockCount() == len(report.splitlines())
    assert dialog.report.document().lineCount() == dialog.report.document().blockCount()
    dialog.deleteLater()


class OfflineOnly(QWebEngineUrlRequestInterceptor):
    """Blocks (and counts) every request that would leave the machine: no test touches the network."""

    def __init__(self) -> None:
        super().__init__()
        self.blocked = 0

    def interceptRequest(self, info: QWebEngineUrlRequestInfo) -> None:
        if info.requestUrl().scheme() in ("http", "https"):
            self.blocked += 1
            info.block(True)


def test_the_view_choices_are_remembered(qtbot: Any, make_window: Any) -> None:
    settings = Settings()
    settings.reset()
    offline = OfflineOnly()

    def block(window: Any) -> None:
        window.map_view.profile.setUrlRequestInterceptor(offline)

    first = make_window(settings=settings, before_start=block)
    first.actions_by_name["show_panel"].trigger()
    first.actions_by_name["legend"].trigger()
    run_js(qtbot, first.map_view, "document.querySelectorAll('.leaflet-control-layers-selector')[2].click(); 1")
    qtbot.waitUntil(lambda: first.map_view.layer == "online", timeout=5_000)
    close_and_delete(first)
    again = make_window(settings=Settings(), before_start=block)
    assert not again.panel.isVisible() and not again.actions_by_name["show_panel"].isChecked()
    assert not again.actions_by_name["legend"].isChecked() and not legend_shown(qtbot, again)
    assert again.map_view.layer == "online"
    inputs = "document.querySelectorAll('.leaflet-control-layers-selector')"
    checked = f"JSON.stringify(Array.from({inputs}, e => e.checked))"
    assert json.loads(run_js(qtbot, again.map_view, checked)) == [False, False, True]  # historical, modern, online
    Settings().reset()
