"""Questions the app asks of a dataset about time: pure functions, no state, no Qt.

These are the reference answers. The map page receives some of them precomputed (the current place
and the length of the path drawn, per year: :func:`current_by_year`, :func:`legs_started_by_year`)
and works out a place's status itself from the stays' years; a GUI test compares the page's status
and names with these for every place and every year.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import TypeVar

from geodata.model import Dataset, Place, Stay

T = TypeVar("T")


def _memo(dataset: Dataset, key: object, compute: Callable[[], T]) -> T:
    """Answers are cached on the (immutable) dataset: the app asks the same questions on every
    slider step, and a dataset of 100,000 places must not be re-sorted each time."""
    cache: dict[object, object] = dataset.__dict__.setdefault("_query_cache", {})
    if key not in cache:
        cache[key] = compute()
    return cache[key]  # type: ignore[return-value]


@dataclass(frozen=True)
class JourneyLeg:
    """One stay in chronological order, with the place it is at."""

    place: Place
    stay: Stay


def year_bounds(dataset: Dataset) -> tuple[int, int]:
    """First and last year of the life: the stays' years, widened by the person's birth and death.

    The bounds come from the data alone, so a life of the 1700s or the 2000s opens like any other.
    """

    def compute() -> tuple[int, int]:
        years = [year for stay in dataset.stays for year in (stay.start.year, stay.end.year)]
        person = dataset.person
        years += [date.year for date in (person.born, person.died) if date is not None]
        if not years:
            raise ValueError(f"{dataset.path}: the dataset has no dates")
        return min(years), max(years)

    return _memo(dataset, "year_bounds", compute)


def journey(dataset: Dataset) -> tuple[JourneyLeg, ...]:
    """Every stay in chronological order (by start, then end, then file order)."""

    def compute() -> tuple[JourneyLeg, ...]:
        legs = [JourneyLeg(place, stay) for place in dataset.places for stay in place.stays]
        legs.sort(key=lambda leg: leg.stay.sort_key)
        return tuple(legs)

    return _memo(dataset, "journey", compute)


def journey_until(dataset: Dataset, year: int) -> tuple[JourneyLeg, ...]:
    """The journey's legs that had started by the end of ``year``."""
    return tuple(leg for leg in journey(dataset) if leg.stay.start.year <= year)


def _legs_by_year(dataset: Dataset) -> dict[int, tuple[JourneyLeg, ...]]:
    """Every year's legs, from one walk of the journey (a year then costs only its own stays)."""

    def compute() -> dict[int, tuple[JourneyLeg, ...]]:
        by_year: dict[int, list[JourneyLeg]] = {}
        for leg in journey(dataset):
            for year in range(leg.stay.start.year, leg.stay.end.year + 1):
                by_year.setdefault(year, []).append(leg)
        return {year: tuple(legs) for year, legs in by_year.items()}

    return _memo(dataset, "legs_by_year", compute)


def active_stays(dataset: Dataset, year: int) -> tuple[JourneyLeg, ...]:
    """The stays that touch ``year``, in chronological order."""
    return _legs_by_year(dataset).get(year, ())


def active_places(dataset: Dataset, year: int) -> tuple[Place, ...]:
    """The places where he was at some time in ``year``, in the order he reached them."""

    def compute() -> tuple[Place, ...]:
        seen: dict[str, Place] = {}
        for leg in active_stays(dataset, year):
            seen.setdefault(leg.place.id, leg.place)
        return tuple(seen.values())

    return _memo(dataset, ("places", year), compute)


def legs_started_by_year(dataset: Dataset) -> dict[int, int]:
    """For every year of the bounds, how many journey legs had started by its end (the path drawn)."""

    def compute() -> dict[int, int]:
        first, last = year_bounds(dataset)
        legs = journey(dataset)
        started, counts = 0, {}
        for year in range(first, last + 1):
            while started < len(legs) and legs[started].stay.start.year <= year:
                started += 1
            counts[year] = started
        return counts

    return _memo(dataset, "legs_started_by_year", compute)


def current_by_year(dataset: Dataset) -> dict[int, Place | None]:
    """:func:`current_place` for every year of the bounds, from one backward walk of the journey.

    A year's current place is the last leg in journey order that covers it; walking the legs
    backwards, each year takes the first leg that covers it and the walk stops once every year has
    one (at 100,000 places, asking year by year would walk the journey 60 times).
    """

    def compute() -> dict[int, Place | None]:
        first, last = year_bounds(dataset)
        legs = journey(dataset)
        latest_active: dict[int, Place] = {}
        unassigned = set(range(first, last + 1))
        for leg in reversed(legs):
            for year in range(max(leg.stay.start.year, first), min(leg.stay.end.year, last) + 1):
                if year in unassigned:
                    unassigned.discard(year)
                    latest_active[year] = leg.place
            if not unassigned:
                break
        started = legs_started_by_year(dataset)
        # A year no stay touches: the place of the last stay that started before it.
        return {
            year: latest_active.get(year, legs[started[year] - 1].place if started[year] else None)
            for year in range(first, last + 1)
        }

    return _memo(dataset, "current_by_year", compute)


def current_place(dataset: Dataset, year: int) -> Place | None:
    """Where he was last known to be in ``year``: the active stay that started latest.

    When no stay touches the year, the place of the last stay that started before it, so the
    map always has somewhere to point at.
    """
    if not dataset.places:  # a window still reading its dataset asks too
        return None
    if year > year_bounds(dataset)[1]:
        legs = journey(dataset)
        return legs[-1].place if legs else None
    return current_by_year(dataset).get(year)


def status_in_year(place: Place, year: int) -> str:
    """``active`` (a stay touches the year), ``past`` (all stays before it) or ``future``."""
    if any(stay.covers(year) for stay in place.stays):
        return "active"
    if any(stay.start.year < year for stay in place.stays):
        return "past"
    return "future"
