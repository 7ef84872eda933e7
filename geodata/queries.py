"""Questions the app asks of a dataset about time: pure functions, no state, no Qt.

The map page answers the same questions in JavaScript for speed; the tests compare its answers with
these, which are the reference.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import TypeVar

from geodata.model import FIRST_YEAR, LAST_YEAR, Dataset, Place, Stay

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
    """First and last year any stay touches, clamped to the product's 1879–1940 range."""

    def compute() -> tuple[int, int]:
        stays = dataset.stays
        if not stays:
            return FIRST_YEAR, LAST_YEAR
        first = min(stay.start.year for stay in stays)
        last = max(stay.end.year for stay in stays)
        return max(first, FIRST_YEAR), min(last, LAST_YEAR)

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


def current_place(dataset: Dataset, year: int) -> Place | None:
    """Where he was last known to be in ``year``: the active stay that started latest.

    When no stay touches the year, the place of the last stay that started before it, so the
    map always has somewhere to point at.
    """
    active = active_stays(dataset, year)
    if active:
        return active[-1].place
    earlier = journey_until(dataset, year)
    return earlier[-1].place if earlier else None


def status_in_year(place: Place, year: int) -> str:
    """``active`` (a stay touches the year), ``past`` (all stays before it) or ``future``."""
    if any(stay.covers(year) for stay in place.stays):
        return "active"
    if any(stay.start.year < year for stay in place.stays):
        return "past"
    return "future"
