"""The dataset as the map page receives it: one JSON document in columns, days as numbers.

The page must answer a date step in a few milliseconds whatever the dataset's size. It gets each
stay's days as the reference queries see them (the first and last day it can cover, once the
journey's order is known: :func:`geodata.queries.journey`) and the journey in order with each leg's
first and last day, so the path drawn is a binary search and the current place one pass over it.
Columns (one list per field) rather than one object per place keep the document small and quick to
build, encode and parse at 100,000 places.
"""

from __future__ import annotations

import json
from typing import Any

from app.page.place_html import (
    crossing_html,
    crossing_label,
    crossings_of,
    highlighted_names,
    place_sub_html,
    stay_html,
)
from app.page.protocol import PayloadKey
from geodata.model import Dataset, Place
from geodata.queries import day_bounds, journey, year_bounds


def _details(dataset: Dataset, place: Place) -> dict[str, Any]:
    """A place as the exported page's popup shows it, in the desktop panel's own HTML (one formatter
    for both, :mod:`app.page.place_html`, which escapes every text of the dataset): ``sub`` is what
    the panel says under the name, ``stays`` one fragment per stay in the place's order (the page
    marks the stays of the year shown itself, from the stay days it already has, and writes the
    name of the year as text), ``crossings`` the voyages from and to the place."""
    names = highlighted_names(place)
    return {
        "sub": place_sub_html(place),
        "stays": [stay_html(dataset, stay, names, context=False) for stay in place.stays],
        "crossings": [
            crossing_html(dataset, crossing, names, context=False) for crossing in crossings_of(dataset, place)
        ],
    }


def _crossings(dataset: Dataset, numbers: dict[str, int]) -> list[list[Any]]:
    """Each crossing as [from place's number, to place's number, first day, last day, label]: the page
    draws the leg between the two places, bold while the day shown is on it."""
    return [
        [numbers[crossing.from_id], numbers[crossing.to_id], *crossing.days, crossing_label(dataset, crossing)]
        for crossing in dataset.crossings
    ]


def page_payload(dataset: Dataset, *, with_details: bool = False) -> dict[str, Any]:
    """Everything the page needs to draw ``dataset``; ``with_details`` adds the popups' HTML.

    The desktop app shows excerpts in its own panel, so only the exported standalone page carries
    them inside the page.
    """
    first, last = year_bounds(dataset)
    places = dataset.places
    index = {id(place): number for number, place in enumerate(places)}
    legs = journey(dataset)
    leg_days = {id(leg.stay): (leg.first, leg.last) for leg in legs}
    stay_offsets = [0]
    stay_days: list[int] = []
    dated_names: dict[str, list[list[Any]]] = {}
    for number, place in enumerate(places):
        for stay in place.stays:
            stay_days.extend(leg_days[id(stay)])
        stay_offsets.append(len(stay_days))
        if place.names:
            dated_names[str(number)] = [
                [dated.name, dated.start.year if dated.start else None, dated.end.year if dated.end else None]
                for dated in place.names
            ]
    lats = [place.lat for place in places]
    lons = [place.lon for place in places]
    payload: dict[str, Any] = {
        PayloadKey.TITLE: dataset.title,
        PayloadKey.BOUNDS: [first, last],
        PayloadKey.DAY_BOUNDS: list(day_bounds(dataset)),
        PayloadKey.IDS: [place.id for place in places],
        PayloadKey.NAMES: [place.name for place in places],
        PayloadKey.LAT: lats,
        PayloadKey.LON: lons,
        PayloadKey.AREA: [1 if place.is_area else 0 for place in places],
        PayloadKey.STAY_OFFSETS: stay_offsets,
        PayloadKey.STAY_DAYS: stay_days,
        PayloadKey.DATED_NAMES: dated_names,
        PayloadKey.JOURNEY: [index[id(leg.place)] for leg in legs],
        PayloadKey.JOURNEY_STARTS: [leg.first for leg in legs],
        PayloadKey.JOURNEY_ENDS: [leg.last for leg in legs],
        PayloadKey.JOURNEY_UNCERTAIN: [1 if leg.stay.uncertain else 0 for leg in legs],
        PayloadKey.FIT: [[min(lats), min(lons)], [max(lats), max(lons)]],
        PayloadKey.CROSSINGS: _crossings(dataset, {place.id: number for number, place in enumerate(places)}),
    }
    if with_details:
        payload[PayloadKey.DETAILS] = [_details(dataset, place) for place in places]
    return payload


def page_document(dataset: Dataset) -> bytes:
    """The payload as the page fetches it (``data/dataset.json``), UTF-8 JSON.

    Encoded one column at a time: a single ``json.dumps`` of 100,000 places is one C call of half
    a second, during which a background thread keeps the GUI thread from running.
    """
    payload = page_payload(dataset)
    parts = [
        json.dumps(str(key)) + ":" + json.dumps(value, ensure_ascii=False, separators=(",", ":"))
        for key, value in payload.items()
    ]
    return ("{" + ",".join(parts) + "}").encode("utf-8")
