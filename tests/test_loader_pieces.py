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


def test_places_checked_while_parsed_give_the_same_dataset(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """In the background each place becomes the model as soon as it is decoded (``EarlyPlaces``):
    the dataset is the one the plain path gives, and so are the problems of a broken place."""
    from tests.benchmarks.synthetic import write_synthetic_dataset
    from tests.datasets import make_document, write_dataset

    monkeypatch.setattr(geodata.loader, "PIECES_FROM_CHARS", 0)
    synthetic = write_synthetic_dataset(tmp_path / "synthetic", 300)
    assert load_dataset(synthetic, background=True) == load_dataset(synthetic)
    document = make_document()
    document["places"][2]["stays"][0]["end"] = "1800"  # refused by the fast path: the full check names it
    document["places"][3]["lat"] = "north"
    broken = write_dataset(tmp_path, document)
    reports = []
    for background in (False, True):
        with pytest.raises(DatasetError) as caught:
            load_dataset(broken, background=background)
        reports.append(caught.value.report())
    assert reports[0] == reports[1]
    assert "places[2].stays[0].end: 1800 is before the start 1896" in reports[1]


def test_early_places_keep_raw_places_when_sources_come_later(tmp_path: Path) -> None:
    from geodata.validation import EarlyPlaces
    from tests.datasets import make_document

    document = make_document()
    early = EarlyPlaces(tmp_path)
    assert early("places", document["places"][0], {}) is document["places"][0]  # no sources parsed yet
