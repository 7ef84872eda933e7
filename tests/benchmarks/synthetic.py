"""Synthetic datasets of any size that pass ``geodata.loader.load_dataset`` (fixed seed, reproducible).

Each place gets 1–3 stays with partial dates spread over 1879–1940 (year, month or day precision,
``start <= end``), a kind, a certainty (inferred ones with a note) and one excerpt copied verbatim
from one of two generated source texts, at its real character offset, so the loader's verbatim check
runs on every excerpt exactly as for the bundled dataset. About 70 % of the points fall in a
Europe-to-Siberia box (where the real dataset lives), the rest anywhere; 10 % of the places are
regions or countries (drawn as areas), 10 % have names over time, some names are non-ASCII.

Per place the file is ~0.8 KB (the bundled one is ~2 KB: longer notes and several excerpts), so
100,000 places make a ~80 MB dataset plus ~25 MB of source text.
"""

from __future__ import annotations

import datetime as dt
import json
import random
from pathlib import Path
from typing import Any

from geodata.schema import STAY_KINDS

SEED = 1879
#: the synthetic life spans the bundled one's years
FIRST_YEAR, LAST_YEAR = 1879, 1940
DATASET_NAME = "synthetic.json"

_SYLLABLES = ("ka", "lo", "vi", "no", "mir", "sk", "gor", "da", "be", "ru", "tal", "zan", "ost", "yev", "ar", "pol")
_ACCENTED = ("Ü", "Ö", "É", "Å", "Ž", "Č", "Ł")
_SUFFIXES = ("", "", "", "sk", "grad", "burg", "ovo", "ada", "ville", " Heights", " Island")
_GRANULARITIES = (
    ("city", 45),
    ("town", 20),
    ("village", 12),
    ("building", 6),
    ("neighbourhood", 7),
    ("region", 7),
    ("country", 3),
)
_DURATIONS_DAYS = (0, 0, 3, 20, 60, 150, 300, 500, 900, 1500)
_LAST_DAY = dt.date(LAST_YEAR, 12, 31)


def _name(rng: random.Random) -> str:
    word = "".join(rng.choice(_SYLLABLES) for _ in range(rng.randint(2, 4)))
    if rng.random() < 0.08:
        word = rng.choice(_ACCENTED) + word
    return word.capitalize() + rng.choice(_SUFFIXES)


def _partial(date: dt.date, precision: int) -> str:
    return date.isoformat()[: (4, 7, 10)[precision - 1]]


def _point(rng: random.Random) -> tuple[float, float]:
    if rng.random() < 0.7:
        return round(rng.uniform(38.0, 66.0), 5), round(rng.uniform(-8.0, 110.0), 5)
    return round(rng.uniform(-50.0, 70.0), 5), round(rng.uniform(-125.0, 150.0), 5)


class _SourceText:
    """A growing source text; ``add`` returns the code-point offset of the sentence it appends."""

    def __init__(self, source_id: str) -> None:
        self.source_id = source_id
        self.parts: list[str] = ["Synthetic biography for benchmarks. It is generated, not historical.\n"]
        self.length = len(self.parts[0])

    def add(self, sentence: str) -> int:
        offset = self.length
        self.parts.append(sentence + " ")
        self.length += len(sentence) + 1
        return offset


def synthetic_document(places: int, seed: int = SEED) -> tuple[dict[str, Any], dict[str, str]]:
    """The dataset document and its source texts (file name → text) for ``places`` places."""
    if places < 1:
        raise ValueError("a dataset needs at least one place")
    rng = random.Random(f"{seed}:{places}")
    texts = [_SourceText("wiki"), _SourceText("crawford")]
    granularities = [name for name, _ in _GRANULARITIES]
    weights = [weight for _, weight in _GRANULARITIES]
    first_day = dt.date(FIRST_YEAR, 1, 1).toordinal()
    span_days = _LAST_DAY.toordinal() - first_day
    place_list: list[dict[str, Any]] = []
    for index in range(places):
        name = _name(rng)
        lat, lon = _point(rng)
        stays = []
        for number in range(rng.choice((1, 1, 2, 2, 3))):
            start = dt.date.fromordinal(first_day + rng.randint(0, span_days))
            end = min(start + dt.timedelta(days=rng.choice(_DURATIONS_DAYS)), _LAST_DAY)
            kind = rng.choice(tuple(STAY_KINDS))
            source = texts[rng.randrange(2)]
            sentence = (
                f"In {start.year} the record {index}.{number} puts him at {name} ({kind}), "
                f"where he stays until {end.year} by this account."
            )
            stay: dict[str, Any] = {
                "start": _partial(start, rng.randint(1, 3)),
                "end": _partial(end, rng.randint(1, 3)),
                "kind": kind,
                "certainty": "stated",
                "summary": f"Synthetic {kind} stay {number + 1} at {name}.",
                "excerpts": [{"source": source.source_id, "offset": source.add(sentence), "text": sentence}],
            }
            if rng.random() < 0.15:
                stay["certainty"] = "inferred"
                stay["note"] = "Inferred from the neighbouring synthetic records."
            stays.append(stay)
        place: dict[str, Any] = {
            "id": f"place-{index:06d}",
            "name": name,
            "lat": lat,
            "lon": lon,
            "coord_precision": "city",
            "coord_source": f"geonames:{rng.randint(100_000, 9_999_999)}"
            if rng.random() < 0.8
            else "manual: synthetic",
            "granularity": rng.choices(granularities, weights)[0],
            "stays": stays,
        }
        if rng.random() < 0.1:
            year = str(rng.randint(FIRST_YEAR + 1, LAST_YEAR))
            place["names"] = [{"name": f"Old {name}", "to": year}, {"name": name, "from": year}]
        place_list.append(place)
    document = {
        "format": "trotsky-map-dataset",
        "version": 1,
        "title": f"Synthetic benchmark dataset, {places} places (seed {seed})",
        "sources": [
            {"id": "wiki", "title": "Synthetic A", "author": "Benchmark", "licence": "CC0", "file": "source-a.txt"},
            {"id": "crawford", "title": "Synthetic B", "author": "Benchmark", "licence": "CC0", "file": "source-b.txt"},
        ],
        "places": place_list,
    }
    return document, {"source-a.txt": "".join(texts[0].parts), "source-b.txt": "".join(texts[1].parts)}


def write_synthetic_dataset(folder: Path, places: int, seed: int = SEED) -> Path:
    """Write a synthetic dataset and its source texts into ``folder``; returns the dataset's path."""
    folder.mkdir(parents=True, exist_ok=True)
    document, sources = synthetic_document(places, seed)
    for name, text in sources.items():
        (folder / name).write_text(text, encoding="utf-8")
    path = folder / DATASET_NAME
    path.write_text(json.dumps(document, ensure_ascii=False, separators=(",", ":")), encoding="utf-8")
    return path
