"""The dataset format, stated once: its name and versions, the fields of each object, the closed
vocabularies, and how checked fields become model objects.

Both validators read these definitions: :mod:`geodata.fast_validation` (the quick path for valid
places) and :mod:`geodata.validation` (which names every problem). A field added here is known to
both, and the model objects are built in one place, so the two can never disagree on what a place is.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any

from geodata.dates import PartialDate
from geodata.model import Excerpt, Place, PlaceName, Stay, StayRef

FORMAT_NAME = "trotsky-map-dataset"
#: version 1 has no ``person`` (it is read as the dataset's title); version 2 requires it; version 3
#: adds ``chapters``, ``crossings`` and a stay's ``after`` (the order the texts give where the dates
#: cannot)
FORMAT_VERSIONS: tuple[int, ...] = (1, 2, 3)
#: the first version with chapters and ``after``
ORDER_VERSION = 3

#: each kind of stay and how a reader says it ("lived here"); the keys are the format's vocabulary
STAY_KINDS: dict[str, str] = {
    "birth": "birth",
    "residence": "lived here",
    "school": "school",
    "prison": "prison",
    "exile": "exile",
    "escape": "escape",
    "transit": "passed through",
    "detention": "detained",
    "congress": "congress / conference",
    "talks": "peace talks",
    "trial": "on trial",
    "reporting": "war reporting",
    "front": "at the front",
    "asylum": "asylum",
    "death": "death",
    "burial": "burial",
}
#: how a crossing travelled and how a reader says it; ``unstated`` when the texts give only the ends
TRAVEL_MODES: dict[str, str] = {
    "sea": "at sea",
    "rail": "by train",
    "road": "by road",
    "unstated": "on the way",
}
GRANULARITIES: tuple[str, ...] = ("building", "neighbourhood", "village", "town", "city", "region", "country")
CERTAINTIES: tuple[str, ...] = ("stated", "inferred")

ID_PATTERN = re.compile(r"^[a-z0-9][a-z0-9_-]*$")
COORD_SOURCE_PATTERN = re.compile(r"^(geonames:\d+|manual: \S.*)$")


@dataclass(frozen=True)
class Fields:
    """The keys an object of the format must have and may have."""

    required: frozenset[str]
    optional: frozenset[str] = frozenset()
    #: required | optional, computed once (the fast validator asks for every stay)
    allowed: frozenset[str] = field(init=False)

    def __post_init__(self) -> None:
        object.__setattr__(self, "allowed", self.required | self.optional)


def _fields(required: str, optional: str = "") -> Fields:
    return Fields(frozenset(required.split()), frozenset(optional.split()))


DOCUMENT_V1 = _fields("format version sources places", "title")
DOCUMENT_V2 = _fields("format version person sources places", "title")
DOCUMENT_V3 = _fields("format version person sources places", "title chapters crossings")
CROSSING = _fields("from to start end mode certainty summary excerpts", "vessel calendar note")
CHAPTER = _fields("title start end", "source offset editorial excerpt note evidence")
STAY_REF = _fields("place start excerpt", "kind")
PERSON = _fields("name", "born died")
SOURCE = _fields("id title author licence file", "url")
PLACE = _fields(
    "id name lat lon granularity stays", "names modern_name country coord_precision coord_source note aliases"
)
PLACE_NAME = _fields("name", "from to")
STAY = _fields("start end kind certainty summary excerpts", "calendar note after")
EXCERPT = _fields("source offset text")

#: optional text fields that default to "" in the model
PLACE_TEXTS: tuple[str, ...] = ("modern_name", "country", "coord_precision", "coord_source", "note")
STAY_TEXTS: tuple[str, ...] = ("calendar", "note")


def document_fields(version: object) -> Fields:
    """The top-level keys of a document of ``version``; for a missing or unknown version, only the
    keys every version requires are required (the version itself is then the one problem)."""
    if version == 1:
        return DOCUMENT_V1
    if version == 2:
        return DOCUMENT_V2
    if version == 3:
        return DOCUMENT_V3
    every = (DOCUMENT_V1, DOCUMENT_V2, DOCUMENT_V3)
    common = frozenset.intersection(*(fields.required for fields in every))
    return Fields(common, frozenset.union(*(fields.allowed for fields in every)) - common)


def build_place(
    raw: Mapping[str, Any],
    lat: float,
    lon: float,
    names: tuple[PlaceName, ...],
    stays: tuple[Stay, ...],
    aliases: tuple[str, ...] = (),
) -> Place:
    """The model place of a checked raw place (its plain text fields, ``PLACE_TEXTS``, as they are)."""
    get = raw.get
    return Place(
        id=raw["id"],
        name=raw["name"],
        lat=lat,
        lon=lon,
        granularity=raw["granularity"],
        stays=stays,
        names=names,
        modern_name=get("modern_name", ""),
        country=get("country", ""),
        coord_precision=get("coord_precision", ""),
        coord_source=get("coord_source", ""),
        note=get("note", ""),
        aliases=aliases,
    )


def build_stay(
    raw: Mapping[str, Any],
    place_id: str,
    start: PartialDate,
    end: PartialDate,
    excerpts: tuple[Excerpt, ...],
    after: StayRef | None = None,
) -> Stay:
    """The model stay of a checked raw stay (its plain text fields, ``STAY_TEXTS``, as they are)."""
    return Stay(
        place_id,
        start,
        end,
        raw["kind"],
        raw["certainty"],
        raw["summary"],
        excerpts,
        raw.get("calendar", ""),
        raw.get("note", ""),
        after,
    )
