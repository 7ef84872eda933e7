"""Questions the app asks of a dataset about time: pure functions, no state, no Qt.

These are the reference answers. The map page receives each stay's days and the journey's legs with
theirs (as :func:`journey` orders them) and works out a place's status, the path drawn and the
current place itself; a GUI test compares the page's answers with :func:`status_on`,
:func:`legs_started_on` and :func:`current_on` on every day that matters.
"""

from __future__ import annotations

import bisect
import datetime as _dt
from collections.abc import Callable, Iterable
from typing import NamedTuple, TypeVar

from geodata.dates import day_number
from geodata.model import Chapter, Crossing, Dataset, Place, Stay

T = TypeVar("T")


def _memo(dataset: Dataset, key: object, compute: Callable[[], T]) -> T:
    """Answers are cached on the (immutable) dataset: the app asks the same questions on every
    slider step, and a dataset of 100,000 places must not be re-sorted each time."""
    cache: dict[object, object] = dataset.__dict__.setdefault("_query_cache", {})
    if key not in cache:
        cache[key] = compute()
    return cache[key]  # type: ignore[return-value]


class JourneyLeg(NamedTuple):
    """One stay in chronological order, with the place it is at.

    ``first`` and ``last`` are the days (day numbers) the stay can cover once the order is known: a
    stay ``after`` another cannot begin before it, so a burial dated "1940" and placed after the
    death of 21 August covers 21 August to 31 December, not the whole year. ``order`` is the leg's
    position in the journey. (A named tuple: a dataset of 100,000 places has 180,000 of them, and a
    frozen dataclass takes ten times as long to build.)
    """

    place: Place
    stay: Stay
    first: int
    last: int
    order: int

    def contains(self, day: int) -> bool:
        return self.first <= day <= self.last


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


def _ordered_starts(dataset: Dataset) -> dict[int, tuple[int, int]]:
    """For each stay (by ``id``) with an ``after`` chain: the first day it can begin (not before the
    stay it follows) and how many stays it follows, so it sorts after them on the same day."""
    by_key = {(stay.place_id, str(stay.start), stay.kind): stay for stay in dataset.stays}
    by_start: dict[tuple[str, str], list[Stay]] = {}
    for stay in dataset.stays:
        by_start.setdefault((stay.place_id, str(stay.start)), []).append(stay)

    def target(stay: Stay) -> Stay | None:
        ref = stay.after
        if ref is None:
            return None
        if ref.kind:
            return by_key.get((ref.place_id, str(ref.start), ref.kind))
        candidates = by_start.get((ref.place_id, str(ref.start)), [])
        return candidates[0] if len(candidates) == 1 else None

    follows: dict[int, int] = {}
    first_days: dict[int, int] = {}
    for stay in dataset.stays:
        first_days[id(stay)] = stay.days[0]
        followed = target(stay)
        if followed is not None:
            follows[id(stay)] = id(followed)
    resolved, _looping = chain_starts(follows, first_days)
    return resolved


def chain_starts(follows: dict[int, int], first_days: dict[int, int]) -> tuple[dict[int, tuple[int, int]], set[int]]:
    """Walk ``after`` chains once each (no recursion: a chain may be thousands long): for every key
    of ``follows`` (a stay → the stay it follows), the first day it can begin — its own first day,
    or a later one set by the chain — and how many stays it follows. Also the stays on a loop
    (validation refuses them; here they keep their own first day)."""
    resolved: dict[int, tuple[int, int]] = {}
    looping: set[int] = set()
    for start in follows:
        if start in resolved:
            continue
        path: list[int] = []
        on_path: set[int] = set()
        node = start
        while node in follows and node not in resolved and node not in on_path:
            on_path.add(node)
            path.append(node)
            node = follows[node]
        if node in on_path:  # a loop: the part of the path from ``node`` on goes round
            loop = path[path.index(node) :]
            looping.update(loop)
            for member in loop:
                resolved[member] = (first_days[member], 0)
            path = path[: path.index(node)]
        base = resolved.get(node, (first_days[node], 0))
        for member in reversed(path):
            base = (max(first_days[member], base[0]), base[1] + 1)
            resolved[member] = base
    return resolved, looping


def journey(dataset: Dataset) -> tuple[JourneyLeg, ...]:
    """Every stay in chronological order: by the first day it can begin, then after the stays it
    is said to follow (``after``), then by its last day, then in file order.

    Two stays that begin in the same month are ordered by ``after`` where the texts give the order
    (Halifax, then Amherst, in March 1917); without it, by their dates alone.
    """

    def compute() -> tuple[JourneyLeg, ...]:
        ordered = _ordered_starts(dataset) if any(stay.after for stay in dataset.stays) else {}
        keyed = []
        for place in dataset.places:
            for stay in place.stays:
                first, last = stay.days
                start, hops = ordered.get(id(stay), (first, 0))
                keyed.append(((start, hops, last), place, stay, start))
        keyed.sort(key=lambda item: item[0])
        return tuple(
            JourneyLeg(place, stay, start, key[2], order) for order, (key, place, stay, start) in enumerate(keyed)
        )

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

    When no stay touches the year, the place of the last stay that started before it. (The year's
    answer; the app asks :func:`current_on` for a day.)
    """
    active = active_stays(dataset, year)
    if active:
        return active[-1].place
    started = journey_until(dataset, year)
    return started[-1].place if started else None


def status_in_year(place: Place, year: int) -> str:
    """``active`` (a stay touches the year), ``past`` (all stays before it) or ``future``."""
    if any(stay.covers(year) for stay in place.stays):
        return "active"
    if any(stay.start.year < year for stay in place.stays):
        return "past"
    return "future"


def day_bounds(dataset: Dataset) -> tuple[int, int]:
    """First and last day of the life, as day numbers: 1 January of the first year to 31 December
    of the last (the time control's range)."""
    first, last = year_bounds(dataset)
    return day_number(_dt.date(first, 1, 1)), day_number(_dt.date(last, 12, 31))


def _specificity(leg: JourneyLeg) -> tuple[int, int]:
    """Sort key of the most specific stay first: the shortest span, then the later in journey order."""
    return (leg.last - leg.first, -leg.order)


def where_on(dataset: Dataset, first_day: int, last_day: int | None = None) -> tuple[JourneyLeg, ...]:
    """The stays that cover any day from ``first_day`` to ``last_day`` (day numbers; one day when
    ``last_day`` is None), the most specific first: the shortest stay, then the later one.

    ``geodata where`` answers with these; the current place on a day is the first one's.
    """
    last_day = first_day if last_day is None else last_day
    by_year = _legs_by_year(dataset)
    first_year, last_year = _dt.date.fromordinal(first_day).year, _dt.date.fromordinal(last_day).year
    # a leg that covers a day touches its year: only those years' legs are looked at (a leg of
    # several years is in each of them: only a range of years needs them made unique)
    if first_year == last_year:
        candidates: Iterable[JourneyLeg] = by_year.get(first_year, ())
    else:
        candidates = {
            leg.order: leg for year in range(first_year, last_year + 1) for leg in by_year.get(year, ())
        }.values()
    found = [leg for leg in candidates if leg.first <= last_day and first_day <= leg.last]
    found.sort(key=_specificity)
    return tuple(found)


def legs_started_on(dataset: Dataset, day: int) -> int:
    """How many journey legs had started by ``day`` (the path drawn on that day)."""
    starts = _memo(dataset, "leg_starts", lambda: [leg.first for leg in journey(dataset)])
    return bisect.bisect_right(starts, day)


def current_leg_on(dataset: Dataset, day: int) -> JourneyLeg | None:
    """The stay he was in on ``day``: the most specific stay covering it; on a day no stay covers,
    None while a crossing covers it (he was at neither end), else the last stay that had started
    (None before the first)."""
    covering = where_on(dataset, day)
    if covering:
        return covering[0]
    if crossing_on(dataset, day) is not None:
        return None
    started = legs_started_on(dataset, day)
    return journey(dataset)[started - 1] if started else None


def current_on(dataset: Dataset, day: int) -> Place | None:
    """Where he was on ``day``: the place of :func:`current_leg_on`."""
    leg = current_leg_on(dataset, day)
    return leg.place if leg else None


def crossings_on(dataset: Dataset, first_day: int, last_day: int | None = None) -> tuple[Crossing, ...]:
    """The crossings that cover any day from ``first_day`` to ``last_day`` (one day when None), the
    one that began last first."""
    last_day = first_day if last_day is None else last_day
    found = [
        crossing for crossing in dataset.crossings if crossing.days[0] <= last_day and first_day <= crossing.days[1]
    ]
    found.sort(key=lambda crossing: -crossing.days[0])
    return tuple(found)


def crossing_on(dataset: Dataset, day: int) -> Crossing | None:
    """The crossing he was on on ``day`` (the one that began last, if the dates of two overlap)."""
    covering = crossings_on(dataset, day)
    return covering[0] if covering else None


def last_begun(dataset: Dataset, day: int) -> Place | None:
    """The place of the last journey leg begun by ``day`` (None before the first)."""
    started = legs_started_on(dataset, day)
    return journey(dataset)[started - 1].place if started else None


def legs_of(dataset: Dataset, place: Place) -> tuple[JourneyLeg, ...]:
    """The place's stays as journey legs (their days once ordered), in the place's own order."""

    def compute() -> dict[str, tuple[JourneyLeg, ...]]:
        by_stay = {id(leg.stay): leg for leg in journey(dataset)}
        return {p.id: tuple(by_stay[id(stay)] for stay in p.stays) for p in dataset.places}

    return _memo(dataset, "legs_of", compute).get(place.id, ())


def status_on(dataset: Dataset, place: Place, day: int) -> str:
    """``active`` (a stay covers the day), ``past`` (a stay had begun) or ``future``; with the
    stays' days as the journey's order leaves them (:class:`JourneyLeg`)."""
    legs = legs_of(dataset, place)
    if any(leg.contains(day) for leg in legs):
        return "active"
    if any(leg.first <= day for leg in legs):
        return "past"
    return "future"


def active_places_on(dataset: Dataset, day: int) -> tuple[Place, ...]:
    """The places where a stay covers ``day``, in the order he reached them."""
    seen: dict[str, Place] = {}
    for leg in journey(dataset):
        if leg.contains(day):
            seen.setdefault(leg.place.id, leg.place)
    return tuple(seen.values())


def chapter_on(dataset: Dataset, day: int) -> Chapter | None:
    """The chapter of ``day``: of those that cover it, the one that began last (chapters may
    overlap at a shared year); None when no chapter covers it."""
    covering = [chapter for chapter in dataset.chapters if chapter.days[0] <= day <= chapter.days[1]]
    return max(covering, key=lambda chapter: chapter.days[0]) if covering else None
