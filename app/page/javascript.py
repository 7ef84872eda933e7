"""The one way Python code calls into the page: a JavaScript call built from JSON, never glued text.

Modelled on qutebrowser's ``utils/javascript.py``: every argument is JSON-encoded, and characters
that could end a ``<script>`` element or a JS string early (``<``, ``>``, ``&``, ``'``, U+2028,
U+2029) are escaped, so a place name or excerpt can never become code. Types without an exact JSON
meaning raise instead of being guessed.
"""

from __future__ import annotations

import json
import math
import re
from collections.abc import Mapping, Sequence

JsValue = None | bool | int | float | str | Sequence["JsValue"] | Mapping[str, "JsValue"]

_FUNCTION_NAME = re.compile(r"^[A-Za-z_$][\w$]*(\.[A-Za-z_$][\w$]*)*$")
_ESCAPES = {
    "<": "\\u003c",
    ">": "\\u003e",
    "&": "\\u0026",
    "'": "\\u0027",
    "\u2028": "\\u2028",
    "\u2029": "\\u2029",
}
_ESCAPE_PATTERN = re.compile("[<>&'\u2028\u2029]")


def _check(value: object, where: str) -> None:
    """Refuse anything json.dumps would accept but turn into something else (tuples are lists)."""
    if value is None or isinstance(value, (bool, str)):
        return
    if isinstance(value, int):
        return
    if isinstance(value, float):
        if not math.isfinite(value):
            raise ValueError(f"{where}: {value} has no JSON form")
        return
    if isinstance(value, (list, tuple)):
        for index, item in enumerate(value):
            _check(item, f"{where}[{index}]")
        return
    if isinstance(value, dict):
        for key, item in value.items():
            if not isinstance(key, str):
                raise TypeError(f"{where}: object keys must be strings, got {type(key).__name__}")
            _check(item, f"{where}.{key}")
        return
    raise TypeError(f"{where}: cannot pass {type(value).__name__} to JavaScript")


def to_js(value: JsValue) -> str:
    """``value`` as a JavaScript expression that is safe inside a page and inside a ``<script>``."""
    _check(value, "value")
    text = json.dumps(value, ensure_ascii=False, allow_nan=False, separators=(",", ":"))
    return _ESCAPE_PATTERN.sub(lambda match: _ESCAPES[match.group(0)], text)


def js_call(function: str, *args: JsValue) -> str:
    """``function(arg, …)`` with every argument encoded by :func:`to_js`.

    ``function`` must be a plain dotted name such as ``TrotskyMap.setYear``.
    """
    if not _FUNCTION_NAME.match(function):
        raise ValueError(f"{function!r} is not a JavaScript function name")
    return f"{function}({','.join(to_js(argument) for argument in args)})"
