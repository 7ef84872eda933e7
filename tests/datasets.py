"""A tiny hand-made dataset for tests, with its own source text, and ways to write it to disk."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

SOURCE_TEXT = (
    "He was born in Alphaville in 1880. In 1890 he moved to Betatown to study. "
    "Later he lived in Gammaburg until 1900. The <b>Delta</b> region saw him in 1899."
)


def place_id(place: Any) -> str | None:
    """A place's id, or None for no place (queries answer ``Place | None``)."""
    return place.id if place is not None else None


def make_document(**overrides: Any) -> dict[str, Any]:
    """A small valid dataset document; keyword arguments replace top-level keys."""

    def excerpt(text: str) -> dict[str, Any]:
        return {"source": "mini", "offset": SOURCE_TEXT.index(text), "text": text}

    document: dict[str, Any] = {
        "format": "trotsky-map-dataset",
        "version": 1,
        "title": "Mini",
        "sources": [
            {"id": "mini", "title": "Mini life", "author": "Tester", "licence": "CC0", "file": "mini.txt"},
        ],
        "places": [
            {
                "id": "alphaville",
                "name": "Alphaville",
                "names": [{"name": "Old Alpha", "to": "1885"}, {"name": "Alphaville", "from": "1885"}],
                "lat": 48.0,
                "lon": 32.0,
                "granularity": "village",
                "stays": [
                    {
                        "start": "1880-11-07",
                        "end": "1890",
                        "kind": "birth",
                        "certainty": "stated",
                        "summary": "Born here.",
                        "excerpts": [excerpt("He was born in Alphaville in 1880.")],
                    }
                ],
            },
            {
                "id": "betatown",
                "name": "Betatown",
                "lat": 46.5,
                "lon": 30.7,
                "granularity": "city",
                "stays": [
                    {
                        "start": "1890",
                        "end": "1895",
                        "kind": "school",
                        "certainty": "stated",
                        "summary": "School.",
                        "excerpts": [excerpt("In 1890 he moved to Betatown to study.")],
                    }
                ],
            },
            {
                "id": "gammaburg",
                "name": "Gammaburg",
                "lat": 59.9,
                "lon": 30.3,
                "granularity": "city",
                "stays": [
                    {
                        "start": "1896",
                        "end": "1900",
                        "kind": "residence",
                        "certainty": "inferred",
                        "note": "'later' is read as after school",
                        "summary": "Lives here.",
                        "excerpts": [excerpt("Later he lived in Gammaburg until 1900.")],
                    }
                ],
            },
            {
                "id": "delta",
                "name": "Delta <region>",
                "lat": 60.0,
                "lon": 100.0,
                "granularity": "region",
                "stays": [
                    {
                        "start": "1899",
                        "end": "1899",
                        "kind": "exile",
                        "certainty": "stated",
                        "summary": "Exile.",
                        "excerpts": [excerpt("The <b>Delta</b> region saw him in 1899.")],
                    }
                ],
            },
        ],
    }
    document.update(overrides)
    return document


def write_dataset(folder: Path, document: Any, name: str = "mini.json") -> Path:
    """Write ``document`` and the mini source text into ``folder``; returns the dataset path."""
    (folder / "mini.txt").write_text(SOURCE_TEXT, encoding="utf-8")
    path = folder / name
    path.write_text(json.dumps(document, ensure_ascii=False, indent=1), encoding="utf-8")
    return path
