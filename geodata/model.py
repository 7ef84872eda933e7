"""The dataset as immutable Python objects.

Everything here is plain data (frozen dataclasses, tuples) so that the Qt app, the exporters and the
command line share one model and nobody can change a loaded dataset behind the others' backs.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path

from geodata.dates import PartialDate, day_number


@lru_cache(maxsize=65536)
def _first_day_number(date: PartialDate) -> int:
    """Cached: a dataset repeats its dates (every stay of a year begins on its first day)."""
    return day_number(date.first_day())


@lru_cache(maxsize=65536)
def _last_day_number(date: PartialDate) -> int:
    return day_number(date.last_day())


#: granularities drawn as areas (dashed circles), not as points
AREA_GRANULARITIES: frozenset[str] = frozenset({"region", "country"})


@dataclass(frozen=True)
class Person:
    """Whose life the dataset follows; ``born``/``died`` widen the time range when the stays do not reach them."""

    name: str
    born: PartialDate | None = None
    died: PartialDate | None = None


@dataclass(frozen=True)
class Source:
    """One biography the dataset quotes; ``text`` is its full content, kept for excerpts in context."""

    id: str
    title: str
    author: str
    licence: str
    file: Path
    text: str = field(repr=False, compare=False)
    url: str | None = None


@dataclass(frozen=True)
class Excerpt:
    """A verbatim quote: ``text == source.text[offset:offset + len(text)]``."""

    source: str
    offset: int
    text: str


@dataclass(frozen=True)
class PlaceName:
    """A name valid from ``start`` (inclusive) to ``end`` (exclusive); ``None`` is open-ended."""

    name: str
    start: PartialDate | None = None
    end: PartialDate | None = None

    def applies_in(self, year: int) -> bool:
        """True when the name was in use at some time during ``year``'s first day onward."""
        if self.start is not None and year < self.start.year:
            return False
        return not (self.end is not None and year >= self.end.year)


@dataclass(frozen=True)
class StayRef:
    """ "This stay comes after that one": the order the texts give where the dates cannot (two stays
    that begin in the same month, a burial dated only by its year). ``excerpt`` is the quote that
    proves the order; ``kind`` tells apart two stays of one place that begin on the same date."""

    place_id: str
    start: PartialDate
    excerpt: Excerpt
    kind: str = ""

    def __str__(self) -> str:
        return f"{self.place_id} from {self.start}" + (f" ({self.kind})" if self.kind else "")


@dataclass(frozen=True)
class Chapter:
    """A named period of the life, drawn as a band over the timeline.

    A chapter is a dated heading of a source, quoted verbatim at ``offset``; or, marked
    ``editorial``, a title in the dataset's own words with an ``excerpt`` that dates it.
    """

    title: str
    start: PartialDate
    end: PartialDate
    source: str = ""
    offset: int | None = None
    editorial: bool = False
    excerpt: Excerpt | None = None
    note: str = ""
    #: the passages that date ``start`` and ``end`` when they are finer than the heading's years
    evidence: tuple[Excerpt, ...] = ()

    @property
    def days(self) -> tuple[int, int]:
        return (day_number(self.start.first_day()), day_number(self.end.last_day()))


@dataclass(frozen=True)
class Stay:
    """A period when the texts put the person at one place."""

    place_id: str
    start: PartialDate
    end: PartialDate
    kind: str
    certainty: str
    summary: str
    excerpts: tuple[Excerpt, ...]
    calendar: str = ""
    note: str = ""
    after: StayRef | None = None

    def covers(self, year: int) -> bool:
        """True when any part of the stay falls in ``year``."""
        return self.start.year <= year <= self.end.year

    @property
    def uncertain(self) -> bool:
        """Dates drawn as uncertain (a dashed ring on the map, a dashed bar on the timeline): the stay
        is inferred, or dated only to the year at either end."""
        return self.certainty == "inferred" or self.start.month is None or self.end.month is None

    @property
    def days(self) -> tuple[int, int]:
        """The first and last day the stay can cover, as day numbers (``1917-05`` starts on 1 May
        and a stay ending ``1917-05`` ends on 31 May)."""
        cached = self.__dict__.get("_days")
        if cached is None:
            cached = (_first_day_number(self.start), _last_day_number(self.end))
            object.__setattr__(self, "_days", cached)
        return cached

    def contains(self, day: int) -> bool:
        """True when the stay can cover the day number ``day``."""
        first, last = self.days
        return first <= day <= last


@dataclass(frozen=True)
class Crossing:
    """Time on the move between two places (a sea voyage, a train journey): drawn as the leg between
    them, not as a point, because for those days he was at neither.

    ``from_id`` and ``to_id`` are the places at either end; ``mode`` is how he travelled
    (:data:`geodata.schema.TRAVEL_MODES`) and ``vessel`` the ship or train when the texts name it.
    """

    from_id: str
    to_id: str
    start: PartialDate
    end: PartialDate
    mode: str
    certainty: str
    summary: str
    excerpts: tuple[Excerpt, ...]
    vessel: str = ""
    calendar: str = ""
    note: str = ""

    @property
    def days(self) -> tuple[int, int]:
        """The first and last day the crossing can cover, as day numbers (as for a stay)."""
        return (_first_day_number(self.start), _last_day_number(self.end))

    def contains(self, day: int) -> bool:
        first, last = self.days
        return first <= day <= last


@dataclass(frozen=True)
class Place:
    """A geocoded place with its names over time and the stays there."""

    id: str
    name: str
    lat: float
    lon: float
    granularity: str
    stays: tuple[Stay, ...]
    names: tuple[PlaceName, ...] = ()
    modern_name: str = ""
    country: str = ""
    coord_precision: str = ""
    coord_source: str = ""
    note: str = ""
    #: other spellings the texts use for the place (Prinkipo, St. Petersburg): found by search and
    #: marked as mentions in the reader, never shown as its name
    aliases: tuple[str, ...] = ()

    def name_in(self, year: int) -> str:
        """The name the place had in ``year`` (Petrograd in 1917, Leningrad in 1929)."""
        for dated in self.names:
            if dated.applies_in(year):
                return dated.name
        return self.name

    @property
    def all_names(self) -> tuple[str, ...]:
        """Every distinct name, display name first."""
        seen: dict[str, None] = {self.name: None}
        for dated in self.names:
            seen.setdefault(dated.name, None)
        if self.modern_name:
            seen.setdefault(self.modern_name, None)
        return tuple(seen)

    @property
    def is_area(self) -> bool:
        """Regions and countries are drawn as areas, not as points."""
        return self.granularity in AREA_GRANULARITIES


@dataclass(frozen=True)
class Dataset:
    """A validated dataset: sources by id and places in file order."""

    path: Path
    title: str
    sources: dict[str, Source]
    places: tuple[Place, ...]
    person: Person
    chapters: tuple[Chapter, ...] = ()
    #: time on the move between places, in file order (format version 3)
    crossings: tuple[Crossing, ...] = ()

    def place(self, place_id: str) -> Place | None:
        """The place with ``place_id``, or ``None`` if there is none."""
        return self._by_id.get(place_id)

    @property
    def _by_id(self) -> dict[str, Place]:
        cache = self.__dict__.get("_by_id_cache")
        if cache is None:
            cache = {place.id: place for place in self.places}
            object.__setattr__(self, "_by_id_cache", cache)
        return cache

    @property
    def stays(self) -> tuple[Stay, ...]:
        """All stays of all places, in file order."""
        return tuple(stay for place in self.places for stay in place.stays)
