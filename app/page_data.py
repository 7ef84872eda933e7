"""The dataset as the map page receives it: one JSON document, compact, with year answers precomputed.

The page must answer a slider step in a few milliseconds whatever the dataset's size, so the answers
that need the whole journey (the current place and how much of the path is drawn, per year) are
computed here once with the reference query functions, and the page only looks them up.
"""

from __future__ import annotations

from typing import Any

from geodata.model import Dataset, Place
from geodata.queries import journey, year_bounds

OSM_TILES = {
    "url": "https://tile.openstreetmap.org/{z}/{x}/{y}.png",
    "attribution": "© OpenStreetMap contributors",
}


def _place_payload(place: Place, with_details: bool, source_titles: dict[str, str]) -> dict[str, Any]:
    stays: list[int] = []
    for stay in place.stays:
        stays.extend((stay.start.year, stay.end.year))
    payload: dict[str, Any] = {
        "id": place.id,
        "name": place.name,
        "names": [
            [dated.name, dated.start.year if dated.start else None, dated.end.year if dated.end else None]
            for dated in place.names
        ],
        "lat": place.lat,
        "lon": place.lon,
        "area": place.is_area,
        "stays": stays,
    }
    if with_details:
        payload["details"] = [
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
    return payload


def page_payload(dataset: Dataset, *, with_details: bool = False, online_tiles: bool = True) -> dict[str, Any]:
    """Everything the page needs to draw ``dataset``; ``with_details`` adds excerpts for popups.

    The desktop app shows excerpts in its own panel, so only the exported standalone page carries
    them inside the page.
    """
    first, last = year_bounds(dataset)
    index = {place.id: number for number, place in enumerate(dataset.places)}
    legs = journey(dataset)
    path_order = [index[leg.place.id] for leg in legs]
    # Same answer as geodata.queries.current_place, in one pass: later legs overwrite earlier ones.
    latest_active: dict[int, int] = {}
    for leg_place in legs:
        for year in range(max(leg_place.stay.start.year, first), min(leg_place.stay.end.year, last) + 1):
            latest_active[year] = index[leg_place.place.id]
    path_length: dict[str, int] = {}
    current: dict[str, int | None] = {}
    started = 0
    for year in range(first, last + 1):
        while started < len(legs) and legs[started].stay.start.year <= year:
            started += 1
        path_length[str(year)] = started
        fallback = index[legs[started - 1].place.id] if started else None
        current[str(year)] = latest_active.get(year, fallback)
    lats = [place.lat for place in dataset.places]
    lons = [place.lon for place in dataset.places]
    titles = {source.id: source.title for source in dataset.sources.values()}
    return {
        "title": dataset.title,
        "bounds": [first, last],
        "places": [_place_payload(place, with_details, titles) for place in dataset.places],
        "journey": path_order,
        "pathLength": path_length,
        "current": current,
        "fit": [[min(lats), min(lons)], [max(lats), max(lons)]],
        "onlineTiles": OSM_TILES if online_tiles else None,
    }
