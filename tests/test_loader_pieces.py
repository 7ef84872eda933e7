"""Parsing in pieces (for File › Open in the background) gives exactly what ``json.loads`` gives."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

import geodata.loader
from geodata.errors import DatasetError
from geodata.loader import load_dataset, loads_in_pieces, parse_json_text
from geodata.paths import BUNDLED_DATASET

SCALARS = st.none() | st.booleans() | st.integers() | st.floats(allow_nan=False, allow_infinity=False) | st.text()
VALUES = st.recursive(
    SCALARS,
    lambda inner: st.lists(inner, max_size=3) | st.dictionaries(st.text(max_size=8), inner, max_size=3),
    max_leaves=8,
)
LAYOUTS = st.sampled_from(
    [{}, {"indent": 2}, {"indent": "\t"}, {"separators": (",", ":")}, {"separators": (" ,", " : ")}]
)


@settings(max_examples=120, deadline=None)
@given(st.dictionaries(st.text(max_size=8), VALUES | st.lists(VALUES, max_size=5), max_size=5), LAYOUTS, st.booleans())
def test_same_result_as_json_loads(document: dict[str, Any], layout: dict[str, Any], ascii_only: bool) -> None:
    text = json.dumps(document, ensure_ascii=ascii_only, **layout)
    assert loads_in_pieces(text) == json.loads(text)
    assert loads_in_pieces("\n " + text + " \n") == json.loads(text)


@pytest.mark.parametrize(
    "text",
    [
        '{"places": [1, 2,]}',
        '{"places": [1, 2}',
        '{"places": [1 2]}',
        '{"a": 1,}',
        '{"a" 1}',
        '{"a": 1} x',
        '{"a": 1}{"b": 2}',
        '{"a": [NaN]}',
        '{"a": Infinity}',
        '{"places": [{"id": "x"}, {"id": ]}',
        "[1, 2]",
        '"text"',
        '{"a": [1, 2]',
        "{",
    ],
)
def test_invalid_text_gets_the_same_message(text: str, monkeypatch: pytest.MonkeyPatch) -> None:
    file = Path("dataset.json")
    expected = _problem(lambda: parse_json_text(text, file))
    monkeypatch.setattr(geodata.loader, "PIECES_FROM_CHARS", 0)
    assert _problem(lambda: parse_json_text(text, file, background=True)) == expected


def _problem(parse: Any) -> str:
    try:
        result = parse()
    except DatasetError as error:
        return error.report()
    return f"parsed: {result!r}"


def test_bundled_dataset_loads_the_same_in_the_background(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(geodata.loader, "PIECES_FROM_CHARS", 0)
    assert load_dataset(BUNDLED_DATASET, background=True) == load_dataset(BUNDLED_DATASET)
