"""The command line makes the map view first and starts its page before the window exists (so
Chromium starts while the rest is built); the window then gives it the dataset."""

from __future__ import annotations

from typing import Any

import pytest

from app.web.map_view import MapView
from tests.gui_helpers import describe

pytestmark = pytest.mark.gui


def test_a_view_started_before_the_window_gets_its_dataset(qtbot: Any, make_window: Any, page_html: str) -> None:
    view = MapView(page_html, None, [])
    view.start()
    window = make_window(year=1929, map_view=view)  # its start_map() does not load the page again
    assert window.map_view is view
    shown = describe(qtbot, view)
    assert shown["year"] == 1929 and shown["current"] == "buyukada"
    assert view.url().toString() == "trotsky://app/index.html"
