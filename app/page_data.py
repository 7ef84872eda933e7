"""The dataset as the map page receives it: one JSON document in columns, year answers precomputed.

The page must answer a slider step in a few milliseconds whatever the dataset's size, so the answers
that need the whole journey (the current place and how much of the path is drawn, per year) are
computed here once with the reference query functions' rules, and the page only looks them up.
Columns (one list per field) rather than one object per place keep the document small and quick to
build, encode and parse at 100,000 places.
"""

from __future__ import annotations

import json
from typing import Any

from geodata.model import Dataset, Place
from geodata.queries import journey, year_bounds

OSM_TILES = {
    "url": "https://tile.openstreetmap.org/{z}/{x}/{y}.png",
    "attribution": "© OpenStreetMap contributors",
}


def _details(place: Place, source_titles: dict[str, str]) -> list[dict[str, Any]]:
    """A place's stays and excerpts for the exported page's popups."""
    return [
        {
            "when": f"{stay.start} – {stay.end}" if stay.start != stay.end else str(stay.start),
            "kind": stay.kind,
            "summary": stay.summary,
            "excerpts": [
                {"source": source_titles.get(excerpt.source, excerpt.source), "text": excerpt.text}
                for excerpt in stay.excerpts
            ],
        }
        for stay in place.stays
    ]


def page_payload(dataset: Dataset, *, with_details: bool = False, online_tiles: bool = True) -> dict[str, Any]:
    """Everything the page needs to draw ``dataset``; ``with_details`` adds excerpts for popups.

    The desktop app shows excerpts in its own panel, so only the exported standalone page carries
    them inside the page.
    """
    first, last = year_bounds(dataset)
    places = dataset.places
    index = {id(place): number for number, place in enumerate(places)}
    legs = journey(dataset)
    stay_offsets = [0]
    stay_years: list[int] = []
    dated_names: dict[str, list[list[Any]]] = {}
    for number, place in enumerate(places):
        for stay in place.stays:
            stay_years.append(stay.start.year)
            stay_years.append(stay.end.year)
        stay_offsets.append(len(stay_years))
        if place.names:
            dated_names[str(number)] = [
                [dated.name, dated.start.year if dated.start else None, dated.end.year if dated.end else None]
                for dated in place.names
            ]
    # The current place of a year (geodata.queries.current_place): the active stay that started
    # latest, i.e. the last leg in journey order that covers the year. Walking the legs backwards,
    # each year takes the first leg that covers it; the walk stops once every year has one.
    latest_active: dict[int, int] = {}
    unassigned = set(range(first, last + 1))
    for leg in reversed(legs):
        start, end = max(leg.stay.start.year, first), min(leg.stay.end.year, last)
        for year in range(start, end + 1):
            if year in unassigned:
                unassigned.discard(year)
                latest_active[year] = index[id(leg.place)]
        if not unassigned:
            break
    path_length: dict[str, int] = {}
    current: dict[str, int | None] = {}
    started = 0
    for year in range(first, last + 1):
        while started < len(legs) and legs[started].stay.start.year <= year:
            started += 1
        path_length[str(year)] = started
        # Otherwise, the place of the last stay that started before it.
        fallback = index[id(legs[started - 1].place)] if started else None
        current[str(year)] = latest_active.get(year, fallback)
    lats = [place.lat for place in places]
    lons = [place.lon for place in places]
    payload: dict[str, Any] = {
        "title": dataset.title,
        "bounds": [first, last],
        "ids": [place.id for place in places],
        "names": [place.name for place in places],
        "lat": lats,
        "lon": lons,
        "area": [1 if place.is_area else 0 for place in places],
        "stayOffsets": stay_offsets,
        "stayYears": stay_years,
        "datedNames": dated_names,
        "journey": [index[id(leg.place)] for leg in legs],
        "pathLength": path_length,
        "current": current,
        "fit": [[min(lats), min(lons)], [max(lats), max(lons)]],
        "onlineTiles": OSM_TILES if online_tiles else None,
    }
    if with_details:
        titles = {source.id: source.title for source in dataset.sources.values()}
        payload["details"] = [_details(place, titles) for place in places]
    return payload


def page_document(dataset: Dataset) -> bytes:
    """The payload as the page fetches it (``data/dataset.json``), UTF-8 JSON.

    Encoded one column at a time: a single ``json.dumps`` of 100,000 places is one C call of half
    a second, during which a background thread keeps the GUI thread from running.
    """
    payload = page_payload(dataset)
    parts = [
        json.dumps(key) + ":" + json.dumps(value, ensure_ascii=False, separators=(",", ":"))
        for key, value in payload.items()
    ]
    return ("{" + ",".join(parts) + "}").encode("utf-8")
