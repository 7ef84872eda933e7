"""How far he travelled: geodesic distances along the journey, leg by leg and added up by year.

Why geodesic (Karney's method on the WGS 84 ellipsoid, from ``geographiclib``, the engine behind
``geopy.distance.geodesic``; used directly because it imports in ≈20 ms where geopy pulls in its
geocoders, requests and asyncio, ≈0.2 s that the app's start-up would wait for) rather than a
sphere: it is what GIS tools report, so the numbers can be checked against them (Paris–London is
344.1 km; a sphere is off by up to 0.5 %, kilometres on the long Siberian and Atlantic legs).

The distance is the straight line between consecutive places of ``geodata.queries.journey``; the
texts rarely give the route, so it is a lower bound. Regions and countries (Siberia, "France") have
only a representative point, which would add invented kilometres, so by default they are left out of
the chain: the leg goes from the last real place to the next one. A stay at the same place as the one
before adds 0.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from geographiclib.geodesic import Geodesic

from geodata.model import Dataset, Place
from geodata.queries import JourneyLeg, journey


def geodesic_km(a: tuple[float, float], b: tuple[float, float]) -> float:
    """The WGS 84 geodesic distance between two ``(lat, lon)`` points, in kilometres."""
    if a == b:
        return 0.0
    return float(Geodesic.WGS84.Inverse(a[0], a[1], b[0], b[1], Geodesic.DISTANCE)["s12"]) / 1000.0


def place_km(a: Place, b: Place) -> float:
    """The distance between two places' points; 0 for the same place."""
    if a.id == b.id:
        return 0.0
    return geodesic_km((a.lat, a.lon), (b.lat, b.lon))


@dataclass(frozen=True)
class TravelLeg:
    """Arriving for ``leg.stay`` at ``leg.place`` from ``origin`` (``None`` for the first place)."""

    leg: JourneyLeg
    origin: Place | None
    km: float
    total_km: float


def travel(dataset: Dataset, until_year: int | None = None, *, include_areas: bool = False) -> tuple[TravelLeg, ...]:
    """The journey's legs with their distances and running totals.

    ``until_year`` keeps the legs whose stay had started by the end of that year (like
    ``journey_until``); ``include_areas`` also chains through regions' and countries' points.
    """
    legs: list[TravelLeg] = []
    previous: Place | None = None
    total = 0.0
    for leg in journey(dataset):
        if until_year is not None and leg.stay.start.year > until_year:
            break
        if leg.place.is_area and not include_areas:
            continue
        km = 0.0 if previous is None else place_km(previous, leg.place)
        total += km
        legs.append(TravelLeg(leg, previous, km, total))
        previous = leg.place
    return tuple(legs)


def distance_until(dataset: Dataset, year: int, *, include_areas: bool = False) -> float:
    """Kilometres travelled by the end of ``year`` (0 before the second place)."""
    legs = travel(dataset, year, include_areas=include_areas)
    return legs[-1].total_km if legs else 0.0


#: one stop of the journey for ``totals_by_year``: (year the stay starts, place id, lat, lon)
Stop = tuple[int, str, float, float]


def stops(dataset: Dataset, *, include_areas: bool = False) -> list[Stop]:
    """The journey's stops as plain tuples, the input of ``totals_by_year``.

    Plain data, taken in one quick pass, so that the slow part (the geodesics) needs nothing else.
    """
    return [
        (leg.stay.start.year, leg.place.id, leg.place.lat, leg.place.lon)
        for leg in journey(dataset)
        if include_areas or not leg.place.is_area
    ]


def totals_by_year(
    journey_stops: list[Stop], first: int, last: int, pace: Callable[[], None] | None = None
) -> dict[int, float]:
    """Kilometres travelled by the end of each year from ``first`` to ``last``, in one pass.

    ``pace`` is called after each leg: a background caller uses it to let other threads run.
    """
    totals: dict[int, float] = {}
    index = 0
    total = 0.0
    previous: Stop | None = None
    for year in range(first, last + 1):
        while index < len(journey_stops) and journey_stops[index][0] <= year:
            stop = journey_stops[index]
            if previous is not None and previous[1] != stop[1]:
                total += geodesic_km((previous[2], previous[3]), (stop[2], stop[3]))
                if pace is not None:
                    pace()
            previous = stop
            index += 1
        totals[year] = total
    return totals
