"""A fast path for the common case: a place that is entirely valid.

The checker in :mod:`geodata.validation` reports every problem with its JSON path, which costs a
function call and a path string per field; at 100,000 places that is most of the start-up time. This
module accepts a place only if every check passes, using plain type tests and set operations, and
returns ``None`` at the first doubt — the caller then runs the detailed checker on that place, so the
messages stay exactly the same. It must never accept what the detailed checker would refuse; the
tests compare the two on every mutation they generate.
"""

from __future__ import annotations

import math
from collections.abc import Mapping
from functools import lru_cache
from typing import Any

from geodata import schema
from geodata.dates import PartialDate, not_after, parse_partial_date
from geodata.model import Excerpt, Place, PlaceName, Source, Stay

_KINDS = frozenset(schema.STAY_KINDS)
# the schema's key sets as plain locals of this module: one attribute lookup less per object
_STAY_REQUIRED, _STAY_ALLOWED = schema.STAY.required, schema.STAY.allowed
_PLACE_REQUIRED, _PLACE_ALLOWED = schema.PLACE.required, schema.PLACE.allowed
_NAME_REQUIRED, _NAME_ALLOWED = schema.PLACE_NAME.required, schema.PLACE_NAME.allowed
_EXCERPT_KEYS = schema.EXCERPT.required
_CERTAINTIES = frozenset(schema.CERTAINTIES)
_GRANULARITIES = frozenset(schema.GRANULARITIES)


@lru_cache(maxsize=65536)
def _date(text: str) -> PartialDate | None:
    try:
        return parse_partial_date(text)
    except ValueError:
        return None


def _checked_date(value: Any) -> PartialDate | None:
    return _date(value) if type(value) is str else None


def _optional_text(data: Mapping[str, Any], key: str) -> str | None:
    value = data.get(key, "")
    return value if type(value) is str else None


def _number(value: Any, low: float, high: float) -> float | None:
    if type(value) is not float and type(value) is not int:
        return None
    if not math.isfinite(value) or not low <= value <= high:
        return None
    return float(value)


def fast_excerpt(raw: Any, sources: Mapping[str, Source]) -> Excerpt | None:
    if type(raw) is not dict or raw.keys() != _EXCERPT_KEYS:
        return None
    source_id, offset, text = raw["source"], raw["offset"], raw["text"]
    if type(source_id) is not str or type(offset) is not int or type(text) is not str:
        return None
    if offset < 0 or not text.strip():
        return None
    source = sources.get(source_id)
    if source is None or source.text[offset : offset + len(text)] != text:
        return None
    return Excerpt(source_id, offset, text)


def fast_stay(raw: Any, place_id: str, sources: Mapping[str, Source]) -> Stay | None:
    if type(raw) is not dict:
        return None
    keys = raw.keys()
    # ``after`` names another stay: only the detailed checker resolves it (few stays have one)
    if not (keys >= _STAY_REQUIRED and keys <= _STAY_ALLOWED) or "after" in keys:
        return None
    start, end = _checked_date(raw["start"]), _checked_date(raw["end"])
    if start is None or end is None or not not_after(start, end):
        return None
    kind, certainty, summary = raw["kind"], raw["certainty"], raw["summary"]
    if type(kind) is not str or kind not in _KINDS or type(certainty) is not str or certainty not in _CERTAINTIES:
        return None
    if type(summary) is not str or not summary.strip():
        return None
    for key in schema.STAY_TEXTS:
        if _optional_text(raw, key) is None:
            return None
    if certainty == "inferred" and not raw.get("note", "").strip():
        return None
    raw_excerpts = raw["excerpts"]
    if type(raw_excerpts) is not list or not raw_excerpts:
        return None
    excerpts = []
    for raw_excerpt in raw_excerpts:
        excerpt = fast_excerpt(raw_excerpt, sources)
        if excerpt is None:
            return None
        excerpts.append(excerpt)
    return schema.build_stay(raw, place_id, start, end, tuple(excerpts))


def _fast_name(raw: Any) -> PlaceName | None:
    if type(raw) is not dict:
        return None
    keys = raw.keys()
    if not (keys >= _NAME_REQUIRED and keys <= _NAME_ALLOWED):
        return None
    name = raw["name"]
    if type(name) is not str or not name.strip():
        return None
    start = _checked_date(raw["from"]) if "from" in raw else None
    end = _checked_date(raw["to"]) if "to" in raw else None
    if ("from" in raw and start is None) or ("to" in raw and end is None):
        return None
    if start is not None and end is not None and not not_after(start, end):
        return None
    return PlaceName(name, start, end)


def fast_place(raw: Any, sources: Mapping[str, Source]) -> Place | None:
    """The place, if every check passes; ``None`` means "run the detailed checker"."""
    if type(raw) is not dict:
        return None
    keys = raw.keys()
    if not (keys >= _PLACE_REQUIRED and keys <= _PLACE_ALLOWED):
        return None
    place_id, name, granularity = raw["id"], raw["name"], raw["granularity"]
    if type(place_id) is not str or not schema.ID_PATTERN.match(place_id) or type(name) is not str or not name.strip():
        return None
    if type(granularity) is not str or granularity not in _GRANULARITIES:
        return None
    lat, lon = _number(raw["lat"], -90, 90), _number(raw["lon"], -180, 180)
    if lat is None or lon is None:
        return None
    for key in schema.PLACE_TEXTS:
        if _optional_text(raw, key) is None:
            return None
    if "coord_precision" in raw and raw["coord_precision"] not in _GRANULARITIES:
        return None
    coord_source = raw.get("coord_source", "")
    if coord_source and not schema.COORD_SOURCE_PATTERN.match(coord_source):
        return None
    raw_names = raw.get("names", [])
    if type(raw_names) is not list:
        return None
    names = []
    for raw_name in raw_names:
        dated = _fast_name(raw_name)
        if dated is None:
            return None
        names.append(dated)
    aliases = raw.get("aliases", [])
    if type(aliases) is not list or any(type(alias) is not str or not alias.strip() for alias in aliases):
        return None
    if len(set(aliases)) != len(aliases):
        return None
    raw_stays = raw["stays"]
    if type(raw_stays) is not list or not raw_stays:
        return None
    stays = []
    for raw_stay in raw_stays:
        stay = fast_stay(raw_stay, place_id, sources)
        if stay is None:
            return None
        stays.append(stay)
    return schema.build_place(raw, lat, lon, tuple(names), tuple(stays), tuple(aliases))
