from __future__ import annotations

import json
import math
from typing import Any

import pytest
from hypothesis import given
from hypothesis import strategies as st

from app.page.javascript import js_call, to_js


def test_fixed_cases() -> None:
    assert js_call("TrotskyMap.setDay", 700000, 3) == "TrotskyMap.setDay(700000,3)"
    assert js_call("f") == "f()"
    assert js_call("f", None, True, "a") == 'f(null,true,"a")'
    assert js_call("f", [1, "x"], {"k": 1.5}) == 'f([1,"x"],{"k":1.5})'


def test_escapes_what_could_end_a_script_or_string() -> None:
    encoded = to_js("</script><img src=x onerror='alert(1)'>&\u2028\u2029")
    for raw in ("<", ">", "&", "'", "\u2028", "\u2029"):
        assert raw not in encoded
    assert json.loads(encoded) == "</script><img src=x onerror='alert(1)'>&\u2028\u2029"


def test_backticks_and_template_syntax_stay_inside_the_string() -> None:
    assert to_js("`${alert(1)}`") == '"`${alert(1)}`"'


@pytest.mark.parametrize("bad", ["f()", "a b", "1f", "f;g", "", "x.y()"])
def test_rejects_function_names_that_are_not_names(bad: str) -> None:
    with pytest.raises(ValueError, match="not a JavaScript function name"):
        js_call(bad)


@pytest.mark.parametrize(
    ("value", "error"),
    [
        (math.nan, ValueError),
        (math.inf, ValueError),
        (b"x", TypeError),
        ({1: 2}, TypeError),
        ({"a": object()}, TypeError),
        ({1, 2}, TypeError),
    ],
)
def test_rejects_values_without_an_exact_json_form(value: Any, error: type[Exception]) -> None:
    with pytest.raises(error):
        to_js(value)


json_values = st.recursive(
    st.none() | st.booleans() | st.integers() | st.floats(allow_nan=False, allow_infinity=False) | st.text(),
    lambda children: st.lists(children) | st.dictionaries(st.text(), children),
    max_leaves=20,
)


@given(json_values)
def test_round_trip(value: Any) -> None:
    encoded = to_js(value)
    assert "<" not in encoded and "\u2028" not in encoded and "'" not in encoded
    assert json.loads(encoded) == value
