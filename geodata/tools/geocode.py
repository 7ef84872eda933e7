"""Place names → coordinates, offline by default, through geopy's ``Geocoder`` interface.

Why offline first: the toolkit must work on a train and give the same answer every time, so the
default backend (``OfflineGeocoder``) answers from two local sources, in this order:

1. the curated alias table ``geodata/tools/aliases.json``: historical names and places GeoNames lacks or
   gets wrong (Kronstadt is not Brașov, Nikolayev is the port not a village). An alias takes its point
   from the bundled dataset or from a GeoNames id, so coordinates are never typed twice;
2. the compact GeoNames index of :mod:`geodata.tools.gazetteer`, most populous candidate first.

``OnlineGeocoder`` (opt-in, ``--online``) asks OpenStreetMap's Nominatim through geopy, at most one
request a second (Nominatim's usage policy), with a real user agent and a timeout, and keeps every
answer, including "not found", in a JSON cache so a name is never asked twice. A timeout, a refusal
or no network becomes one line in ``failure``; from then on only the cache answers and the caller
falls back to the offline result. Results from Nominatim are © OpenStreetMap contributors (ODbL).
"""

from __future__ import annotations

import json
import re
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from geopy.adapters import BaseSyncAdapter
from geopy.exc import (
    GeocoderAuthenticationFailure,
    GeocoderInsufficientPrivileges,
    GeocoderQuotaExceeded,
    GeocoderRateLimited,
    GeocoderServiceError,
    GeocoderTimedOut,
    GeocoderUnavailable,
    GeopyError,
)
from geopy.geocoders.base import Geocoder
from geopy.location import Location

from geodata.atomic import write_text_atomic
from geodata.loader import load_dataset
from geodata.model import Dataset
from geodata.paths import BUNDLED_DATASET
from geodata.tools.gazetteer import (
    ATTRIBUTION,
    DEFAULT_SPEC,
    Gazetteer,
    GeoName,
    IndexSpec,
    country_name,
    load_gazetteer,
    normalise,
)

ALIASES_FILE = Path(__file__).resolve().parent / "aliases.json"
DEFAULT_USER_AGENT = "trotsky-map/0.1 (+https://example.invalid/trotsky-map)"
DEFAULT_TIMEOUT = 10.0
OSM_ATTRIBUTION = "Nominatim results © OpenStreetMap contributors, ODbL 1.0"
CACHE_FORMAT = "trotsky-map-geocode-cache"


class AliasError(ValueError):
    """The alias table is malformed or points at a place that does not exist; the message names it."""


@dataclass(frozen=True)
class Alias:
    """Names that mean one place, with where its point comes from and why the entry exists."""

    names: tuple[str, ...]
    modern_name: str
    country_code: str
    reason: str
    dataset_place: str | None = None
    geonameid: int | None = None


@dataclass(frozen=True)
class Resolution:
    """One answer: what the query resolved to and where that answer came from."""

    query: str
    name: str
    lat: float
    lon: float
    country_code: str
    source: str
    population: int | None = None
    geonameid: int | None = None

    @property
    def country(self) -> str:
        return country_name(self.country_code) if self.country_code else ""

    def as_dict(self) -> dict[str, Any]:
        """The answer as JSON-ready data (``--json``)."""
        return {
            "query": self.query,
            "found": True,
            "name": self.name,
            "lat": self.lat,
            "lon": self.lon,
            "country_code": self.country_code,
            "country": self.country,
            "source": self.source,
            "population": self.population,
            "geonameid": self.geonameid,
        }

    def line(self) -> str:
        """``Constantinople → Istanbul: 41.01384, 28.94966, Turkey, alias:…`` (the name only when it differs)."""
        renamed = f"{self.name}: " if normalise(self.name) != normalise(self.query) else ""
        return f"{self.query} → {renamed}{self.lat:.5f}, {self.lon:.5f}, {self.country or '?'}, {self.source}"

    def location(self) -> Location:
        """The answer as geopy returns answers."""
        raw = {
            "geonameid": self.geonameid,
            "country_code": self.country_code,
            "population": self.population,
            "source": self.source,
            "name": self.name,
            "query": self.query,
        }
        address = f"{self.name}, {self.country}" if self.country else self.name
        return Location(address, (self.lat, self.lon), raw)


def not_found_line(query: str) -> str:
    return f"{query} → not found"


# -- the alias table ------------------------------------------------------------------------


def load_aliases(path: Path = ALIASES_FILE) -> tuple[Alias, ...]:
    """Read and check the alias table; ``AliasError`` names the file and the entry at fault."""
    try:
        document = json.loads(path.read_text(encoding="utf-8"))
    except OSError as error:
        raise AliasError(f"{path}: cannot read the alias table: {error.strerror or error}") from None
    except (UnicodeDecodeError, json.JSONDecodeError) as error:
        raise AliasError(f"{path}: not a JSON alias table: {error}") from None
    entries = document.get("aliases") if isinstance(document, dict) else None
    if not isinstance(entries, list):
        raise AliasError(f"{path}: expected an object with a list 'aliases'")
    aliases: list[Alias] = []
    seen: dict[str, int] = {}
    for index, entry in enumerate(entries):
        where = f"{path}: aliases[{index}]"
        if not isinstance(entry, dict):
            raise AliasError(f"{where}: expected an object")
        names = entry.get("names")
        if not isinstance(names, list) or not names or not all(isinstance(n, str) and normalise(n) for n in names):
            raise AliasError(f"{where}.names: expected a list of Latin-script names")
        for name in names:
            key = normalise(name)
            if key in seen and seen[key] != index:
                raise AliasError(f"{where}.names: {name!r} is already an alias in aliases[{seen[key]}]")
            seen[key] = index
        texts = {field: entry.get(field) for field in ("modern_name", "country_code", "reason")}
        for field, value in texts.items():
            if not isinstance(value, str) or not value.strip():
                raise AliasError(f"{where}.{field}: expected a non-empty string")
        place = entry.get("dataset")
        geonameid = entry.get("geonames")
        if (place is None) == (geonameid is None):
            raise AliasError(f"{where}: give exactly one of 'dataset' (a place id) or 'geonames' (an id)")
        if place is not None and not isinstance(place, str):
            raise AliasError(f"{where}.dataset: expected a place id")
        if geonameid is not None and (type(geonameid) is not int or geonameid <= 0):
            raise AliasError(f"{where}.geonames: expected a GeoNames id (a whole number)")
        aliases.append(
            Alias(
                names=tuple(names),
                modern_name=str(texts["modern_name"]),
                country_code=str(texts["country_code"]).upper(),
                reason=str(texts["reason"]),
                dataset_place=place,
                geonameid=geonameid,
            )
        )
    return tuple(aliases)


class AliasTable:
    """Looks names up in the alias table; points are fetched from the dataset or index on first use."""

    def __init__(
        self,
        aliases: Iterable[Alias],
        dataset: Callable[[], Dataset],
        gazetteer: Callable[[], Gazetteer],
    ) -> None:
        self.aliases = tuple(aliases)
        self._by_key = {normalise(name): alias for alias in self.aliases for name in alias.names}
        self._dataset = dataset
        self._gazetteer = gazetteer

    def __contains__(self, name: object) -> bool:
        return isinstance(name, str) and normalise(name) in self._by_key

    def knows(self, key: str) -> bool:
        """True when the already normalised ``key`` is an alias."""
        return key in self._by_key

    def lookup(self, query: str) -> Resolution | None:
        """The alias's answer for ``query``, or ``None`` when it is not an alias."""
        alias = self._by_key.get(normalise(query))
        return None if alias is None else self.resolve(alias, query)

    def resolve(self, alias: Alias, query: str) -> Resolution:
        """Where ``alias`` points; ``AliasError`` when its dataset place or GeoNames id is missing."""
        source = f"alias:{alias.reason}"
        if alias.geonameid is not None:
            entry = self._gazetteer().by_id(alias.geonameid)
            if entry is None:
                raise AliasError(
                    f"{ALIASES_FILE}: alias {alias.names[0]!r}: GeoNames id {alias.geonameid} is not in the index"
                )
            return Resolution(
                query,
                alias.modern_name,
                entry.lat,
                entry.lon,
                alias.country_code,
                source,
                entry.population,
                entry.geonameid,
            )
        assert alias.dataset_place is not None
        dataset = self._dataset()
        place = dataset.place(alias.dataset_place)
        if place is None:
            raise AliasError(
                f"{ALIASES_FILE}: alias {alias.names[0]!r}: {dataset.path} has no place {alias.dataset_place!r}"
            )
        geonameid = None
        if place.coord_source.startswith("geonames:"):
            geonameid = int(place.coord_source.removeprefix("geonames:"))
        return Resolution(query, alias.modern_name, place.lat, place.lon, alias.country_code, source, None, geonameid)


# -- the offline geocoder ------------------------------------------------------------------


class _NoNetwork(BaseSyncAdapter):  # type: ignore[misc]
    """The offline geocoder's adapter: it has no reason to open a connection, and cannot."""

    def get_json(self, url: str, *, timeout: float, headers: dict[str, str]) -> Any:
        raise GeocoderServiceError(f"the offline geocoder does not fetch {url}")

    def get_text(self, url: str, *, timeout: float, headers: dict[str, str]) -> str:
        raise GeocoderServiceError(f"the offline geocoder does not fetch {url}")


def _from_geoname(query: str, entry: GeoName) -> Resolution:
    return Resolution(
        query,
        entry.name,
        entry.lat,
        entry.lon,
        entry.country_code,
        f"geonames:{entry.geonameid}",
        entry.population,
        entry.geonameid,
    )


class OfflineGeocoder(Geocoder):  # type: ignore[misc]
    """A geopy geocoder that answers from the alias table, then the GeoNames index; never the network.

    ``geocode(query)`` returns a ``geopy.location.Location`` whose ``raw`` has ``geonameid``,
    ``country_code``, ``population`` and ``source`` (``alias:<reason>`` or ``geonames:<id>``).
    The index and the dataset are loaded on first need, so an alias lookup stays cheap.
    """

    def __init__(
        self,
        *,
        gazetteer: Gazetteer | None = None,
        dataset: Dataset | None = None,
        aliases: Iterable[Alias] | None = None,
        spec: IndexSpec = DEFAULT_SPEC,
        cache_dir: Path | None = None,
        before_loading: Callable[[], None] | None = None,
    ) -> None:
        super().__init__(adapter_factory=_NoNetwork)
        self._gazetteer = gazetteer
        self._dataset = dataset
        self._spec = spec
        self._cache_dir = cache_dir
        self._before_loading = before_loading
        self.aliases = AliasTable(load_aliases() if aliases is None else aliases, self.dataset, self.gazetteer)

    def gazetteer(self) -> Gazetteer:
        """The GeoNames index, loaded (or built) on first use."""
        if self._gazetteer is None:
            if self._before_loading is not None:
                self._before_loading()  # e.g. the command line saying that a first build takes seconds
            self._gazetteer = load_gazetteer(self._spec, self._cache_dir)
        return self._gazetteer

    def dataset(self) -> Dataset:
        """The bundled dataset, which some aliases take their points from."""
        if self._dataset is None:
            self._dataset = load_dataset(BUNDLED_DATASET)
        return self._dataset

    def resolve_all(self, query: str) -> list[Resolution]:
        """Every answer for ``query``: the alias first, then the index's candidates by population."""
        answers: list[Resolution] = []
        alias = self.aliases.lookup(query)
        if alias is not None:
            answers.append(alias)
        taken = {answer.geonameid for answer in answers if answer.geonameid is not None}
        answers.extend(
            _from_geoname(query, entry) for entry in self.gazetteer().lookup(query) if entry.geonameid not in taken
        )
        return answers

    def resolve(self, query: str) -> Resolution | None:
        """The best answer for ``query``, or ``None``."""
        alias = self.aliases.lookup(query)
        if alias is not None:
            return alias
        candidates = self.gazetteer().lookup(query)
        return _from_geoname(query, candidates[0]) if candidates else None

    def geocode(
        self, query: str, *, exactly_one: bool = True, timeout: object = None
    ) -> Location | list[Location] | None:
        """geopy's interface: one ``Location`` (or a list with ``exactly_one=False``), ``None`` if unknown."""
        if exactly_one:
            best = self.resolve(query)
            return None if best is None else best.location()
        answers = [answer.location() for answer in self.resolve_all(query)]
        return answers or None


# -- the online geocoder -------------------------------------------------------------------


def cache_key(query: str) -> str:
    """Queries that differ only in case or spacing share a cache entry."""
    return " ".join(query.split()).casefold()


class GeocodeCache:
    """Nominatim's answers on disk (``None`` = "not found"); a damaged file is set aside, not fatal."""

    def __init__(self, path: Path | None) -> None:
        self.path = path
        self.entries: dict[str, dict[str, Any] | None] = {}
        self.warning: str | None = None
        if path is None or not path.exists():
            return
        try:
            document = json.loads(path.read_text(encoding="utf-8"))
            entries = document["entries"] if document.get("format") == CACHE_FORMAT else None
            if not isinstance(entries, dict):
                raise ValueError("not a geocode cache")
            self.entries = {str(key): value for key, value in entries.items() if value is None or _valid_entry(value)}
        except (OSError, ValueError, KeyError, AttributeError) as error:
            self.warning = f"{path}: ignoring the unreadable geocode cache ({error})"

    def get(self, query: str) -> tuple[bool, dict[str, Any] | None]:
        """``(True, entry)`` when the query was answered before (``entry`` is ``None`` for "not found")."""
        key = cache_key(query)
        return (key in self.entries, self.entries.get(key))

    def put(self, query: str, entry: dict[str, Any] | None) -> None:
        """Remember an answer and save the cache at once, atomically; a failed save only warns."""
        self.entries[cache_key(query)] = entry
        if self.path is None:
            return
        document = {
            "format": CACHE_FORMAT,
            "version": 1,
            "service": "nominatim",
            "attribution": OSM_ATTRIBUTION,
            "entries": dict(sorted(self.entries.items())),
        }
        try:
            write_text_atomic(self.path, json.dumps(document, ensure_ascii=False, indent=1) + "\n")
        except OSError as error:
            self.warning = f"{self.path}: cannot save the geocode cache: {error.strerror or error}"


def _valid_entry(value: Any) -> bool:
    return (
        isinstance(value, dict)
        and isinstance(value.get("lat"), (int, float))
        and isinstance(value.get("lon"), (int, float))
        and isinstance(value.get("name"), str)
    )


def default_cache_path(cache_dir: Path) -> Path:
    return cache_dir / "nominatim-cache.json"


def _reason(error: BaseException) -> str:
    """The useful end of an error message: urllib3 buries "Name or service not known" in a long chain."""
    text = " ".join(str(error).split())
    caused = re.search(r"\(Caused by \w+\((.*)\)\)$", text)
    if caused:
        inner = caused.group(1).strip("'\"")
        text = inner.rsplit("): ", 1)[-1] if "): " in inner else inner.rsplit(": ", 1)[-1]
    return text[:160]


def describe_failure(error: BaseException, timeout: float) -> str:
    """One line for a failed request, saying what happened in words a user can act on."""
    detail = _reason(error)
    if isinstance(error, GeocoderTimedOut):
        return f"Nominatim did not answer within {timeout:g} s"
    if isinstance(error, GeocoderRateLimited):
        after = f"; retry after {error.retry_after} s" if getattr(error, "retry_after", None) else ""
        return f"Nominatim refused the request: too many requests{after}"
    if isinstance(error, GeocoderQuotaExceeded):
        return "Nominatim refused the request: quota exceeded"
    if isinstance(error, (GeocoderInsufficientPrivileges, GeocoderAuthenticationFailure)):
        return f"Nominatim refused access (is the user agent acceptable? see --user-agent): {detail}"
    if isinstance(error, GeocoderUnavailable):
        return f"cannot reach Nominatim: {detail}"
    return f"Nominatim failed: {detail}" if detail else f"Nominatim failed: {type(error).__name__}"


class OnlineGeocoder:
    """Nominatim behind a rate limiter and a cache; once a request fails, only the cache answers.

    ``geocoder`` replaces Nominatim (the tests pass a fake that raises geopy's exceptions); it needs a
    ``geocode(query, **options)`` method returning a ``Location`` or ``None``.
    """

    def __init__(
        self,
        cache: GeocodeCache,
        *,
        geocoder: Any = None,
        user_agent: str = DEFAULT_USER_AGENT,
        timeout: float = DEFAULT_TIMEOUT,
        min_delay_seconds: float = 1.0,
    ) -> None:
        from geopy.extra.rate_limiter import RateLimiter

        if geocoder is None:
            from geopy.geocoders import Nominatim

            geocoder = Nominatim(user_agent=user_agent, timeout=timeout)
        self.cache = cache
        self.timeout = timeout
        self.failure: str | None = None
        self.requests = 0
        # No retries: a retry would log a traceback and make a dead network cost minutes.
        self._geocode = RateLimiter(
            geocoder.geocode,
            min_delay_seconds=min_delay_seconds,
            max_retries=0,
            error_wait_seconds=min_delay_seconds,
            swallow_exceptions=False,
        )

    def resolve(self, query: str) -> Resolution | None:
        """Nominatim's answer from the cache or the network; ``None`` when not found or unavailable."""
        hit, entry = self.cache.get(query)
        if hit:
            return None if entry is None else _from_cache(query, entry, cached=True)
        if self.failure is not None:
            return None
        self.requests += 1
        try:
            location = self._geocode(query, exactly_one=True, addressdetails=True, language="en", timeout=self.timeout)
        except (GeopyError, OSError) as error:
            self.failure = describe_failure(error, self.timeout)
            return None
        entry = None if location is None else _entry_from_location(location)
        self.cache.put(query, entry)
        return None if entry is None else _from_cache(query, entry, cached=False)


def _entry_from_location(location: Location) -> dict[str, Any]:
    raw: dict[str, Any] = location.raw if isinstance(location.raw, dict) else {}
    address: dict[str, Any] = raw["address"] if isinstance(raw.get("address"), dict) else {}
    display = str(raw.get("display_name") or location.address or "")
    return {
        "name": str(raw.get("name") or display.split(",")[0].strip() or display),
        "lat": float(location.latitude),
        "lon": float(location.longitude),
        "country_code": str(address.get("country_code") or "").upper(),
        "address": display,
        "osm": f"{raw.get('osm_type', '?')}/{raw.get('osm_id', '?')}",
    }


def _from_cache(query: str, entry: dict[str, Any], *, cached: bool) -> Resolution:
    return Resolution(
        query,
        str(entry["name"]),
        float(entry["lat"]),
        float(entry["lon"]),
        str(entry.get("country_code") or ""),
        f"nominatim:{entry.get('osm', '?')}" + (" (cached)" if cached else ""),
    )


# -- both together -------------------------------------------------------------------------


@dataclass(frozen=True)
class Answer:
    """A query's outcome for the command line: the resolution, or ``None`` for "not found"."""

    query: str
    resolution: Resolution | None

    def line(self) -> str:
        return self.resolution.line() if self.resolution else not_found_line(self.query)

    def as_dict(self) -> dict[str, Any]:
        return self.resolution.as_dict() if self.resolution else {"query": self.query, "found": False}


def geocode_names(names: Iterable[str], offline: OfflineGeocoder, online: OnlineGeocoder | None = None) -> list[Answer]:
    """Resolve each name: alias first (curated beats everything), then Nominatim if asked, then GeoNames."""
    answers: list[Answer] = []
    for name in names:
        resolution = offline.aliases.lookup(name)
        if resolution is None and online is not None:
            resolution = online.resolve(name)
        if resolution is None:
            resolution = offline.resolve(name)
        answers.append(Answer(name, resolution))
    return answers


__all__ = [
    "ATTRIBUTION",
    "OSM_ATTRIBUTION",
    "Alias",
    "AliasError",
    "AliasTable",
    "Answer",
    "GeocodeCache",
    "OfflineGeocoder",
    "OnlineGeocoder",
    "Resolution",
    "default_cache_path",
    "describe_failure",
    "geocode_names",
    "load_aliases",
]
