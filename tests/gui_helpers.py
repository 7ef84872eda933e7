"""Ask the live page what it shows: runJavaScript with a callback, waited for by pytest-qt."""

from __future__ import annotations

import json
from typing import Any

from PySide6.QtWebEngineCore import QWebEngineScript

from app.page.javascript import JsValue, js_call
from app.page.protocol import PageFunction, page_call


def page_js(function: PageFunction, *args: JsValue) -> str:
    """The JavaScript that calls a page function with ``args`` (the app's own helper)."""
    return js_call(page_call(function), *args)


def run_js(qtbot: Any, view: Any, script: str, timeout: int = 10_000) -> Any:
    """Run ``script`` in the page's main world and return its result."""
    with qtbot.waitCallback(timeout=timeout) as callback:
        view.map_page.runJavaScript(script, QWebEngineScript.ScriptWorldId.MainWorld, callback)
    return callback.args[0]


def describe(qtbot: Any, view: Any) -> dict[str, Any]:
    """``TrotskyMap.describe()``: year, active/past ids, current place and label, selection, path."""
    result: dict[str, Any] = json.loads(run_js(qtbot, view, page_js(PageFunction.DESCRIBE)))
    return result
