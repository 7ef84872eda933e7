"""``suggest``: the toponyms of a text that a dataset lacks, without the usual noise."""

from __future__ import annotations

import socket
from pathlib import Path
from typing import Any

import pytest

import geodata.tools.cli
from geodata.loader import load_dataset
from geodata.model import Dataset
from geodata.tools.cli import main
from geodata.tools.gazetteer import Gazetteer, IndexSpec, load_gazetteer
from geodata.tools.geocode import AliasTable, load_aliases
from geodata.tools.suggest import Suggestion, known_keys, read_text_file, suggest
from tests.datasets import make_document, write_dataset

SMALL = IndexSpec(min_population=15000)
TEXT = (
    "In March 1901 he went to Paris, then to Tokyo and on to Japan. "
    "Paris was cold; on Monday he left Paris for Kronstadt. "
    "Leon Trotsky met Diego Rivera in Tokyo. "
    "The Union of workers met; the union was small. "
    "Stalin wrote to Stalin's friends. "
    "He lived at Narva and later in Kronstadt again.\n"
    "* Hallas, Duncan (1979) Trotsky's Marxism London: Pluto Press\n"
    "He thought of Rivera and of Rivera's paintings, and stayed in Kiew.\n"
)


@pytest.fixture(autouse=True)
def no_network(monkeypatch: pytest.MonkeyPatch) -> None:
    def refuse(*args: Any, **kwargs: Any) -> None:
        raise AssertionError("a test tried to open a network connection")

    monkeypatch.setattr(socket.socket, "connect", refuse)


@pytest.fixture(scope="module")
def gazetteer() -> Gazetteer:
    return load_gazetteer(SMALL)


@pytest.fixture(scope="module")
def aliases(gazetteer: Gazetteer, bundled: Dataset) -> AliasTable:
    return AliasTable(load_aliases(), lambda: bundled, lambda: gazetteer)


@pytest.fixture
def with_paris(tmp_path: Path) -> Dataset:
    """The mini dataset, whose Betatown is called Paris and stands where Paris does."""
    document = make_document()
    document["places"][1].update(name="Paris", lat=48.85341, lon=2.3488)
    return load_dataset(write_dataset(tmp_path, document))


def names(found: list[Suggestion]) -> list[str]:
    return [suggestion.name for suggestion in found]


def test_finds_what_the_dataset_lacks(with_paris: Dataset, gazetteer: Gazetteer, aliases: AliasTable) -> None:
    found = suggest(TEXT, with_paris, gazetteer, aliases)
    assert names(found) == ["Kronstadt", "Tokyo", "Japan", "Kiew", "Narva"]
    kronstadt, tokyo, japan, kiew, narva = found
    assert (kronstadt.count, tokyo.count, japan.count, narva.count) == (2, 2, 1, 1)
    assert kronstadt.kind == "alias" and kronstadt.resolution is not None
    assert kronstadt.resolution.country_code == "RU"
    assert japan.kind == "country" and japan.resolution is None
    assert tokyo.kind == "geonames" and tokyo.resolution is not None and tokyo.resolution.country_code == "JP"
    assert kiew.resolution is not None and kiew.resolution.name == "Kyiv"
    assert tokyo.offset == TEXT.index("Tokyo") and "went to Paris, then to Tokyo and on to Japan" in tokyo.context
    assert tokyo.line().startswith("   2× Tokyo → Japan (35.6895, 139.6917; geonames:1850147) — “")


def test_ignores_the_noise(with_paris: Dataset, gazetteer: Gazetteer, aliases: AliasTable) -> None:
    found = set(names(suggest(TEXT, with_paris, gazetteer, aliases)))
    # a dataset name; months and weekdays; a word also written in lower case; a first name in a longer
    # name; an old city name no text puts "in"; a surname; a reference-list line
    for noise in ("Paris", "March", "Monday", "Union", "Leon", "Stalin", "Rivera", "Duncan", "London", "Trotsky"):
        assert noise not in found, noise


def test_a_smaller_city_needs_a_place_word(with_paris: Dataset, gazetteer: Gazetteer, aliases: AliasTable) -> None:
    assert "Narva" in names(suggest("They fought at Narva.", with_paris, gazetteer, aliases))
    assert "Narva" not in names(suggest("Narva was taken.", with_paris, gazetteer, aliases))
    assert "Tokyo" in names(suggest("Tokyo was far.", with_paris, gazetteer, aliases))  # a big city needs none


def test_knows_the_datasets_names_aliases_and_points(
    bundled: Dataset, with_paris: Dataset, gazetteer: Gazetteer, aliases: AliasTable
) -> None:
    text = "He sailed from Constantinople to Prinkipo, lived in Petrograd, Vienna and Wien, in Kiew, and saw Tokyo."
    found = names(suggest(text, bundled, gazetteer, aliases))
    assert found == ["Constantinople", "Tokyo"]
    # Kiew is Kyiv's GeoNames entry, which the bundled dataset has (by id) and the mini one lacks.
    assert "Kiew" in names(suggest(text, with_paris, gazetteer, aliases))
    assert {"vienna", "wien", "petrograd", "leningrad", "buyukada", "prinkipo", "bronx"} <= known_keys(bundled)


def test_small_places_count_in_the_datasets_countries(bundled: Dataset, with_paris: Dataset) -> None:
    tiny = Gazetteer([1], ["Tinyvillage"], [55.0], [40.0], ["RU"], [2000], {"tinyvillage": 0}, "test")
    table = AliasTable(load_aliases(), lambda: bundled, lambda: tiny)
    assert names(suggest("He hid in Tinyvillage.", bundled, tiny, table)) == ["Tinyvillage"]
    assert names(suggest("Tinyvillage was quiet.", bundled, tiny, table)) == []
    assert names(suggest("He hid in Tinyvillage.", with_paris, tiny, table)) == []  # no Russian place there


def test_sorted_by_count_then_name(with_paris: Dataset, gazetteer: Gazetteer, aliases: AliasTable) -> None:
    text = "Berlin. Tokyo. Berlin. Rome. Madrid. Tokyo. Berlin."
    found = suggest(text, with_paris, gazetteer, aliases)
    assert [(s.name, s.count) for s in found] == [("Berlin", 3), ("Tokyo", 2), ("Madrid", 1), ("Rome", 1)]


def test_the_bundled_sources(bundled: Dataset, gazetteer: Gazetteer, aliases: AliasTable) -> None:
    dataset_names = known_keys(bundled)
    for source in bundled.sources.values():
        found = suggest(source.text, bundled, gazetteer, aliases)
        assert found, source.id
        assert "Kronstadt" in names(found)
        assert not {s.key for s in found} & dataset_names
        for s in found:
            assert source.text[s.offset : s.offset + len(s.name)] == s.name
            assert s.count >= 1


# -- reading the text and the command line --------------------------------------------------


@pytest.fixture(scope="module")
def cache_dir(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return tmp_path_factory.mktemp("suggest-cache")


@pytest.fixture
def small_cli(monkeypatch: pytest.MonkeyPatch, gazetteer: Gazetteer) -> None:
    monkeypatch.setattr(geodata.tools.cli, "INDEX_SPEC", SMALL)


@pytest.mark.usefixtures("small_cli")
def test_cli_suggest(tmp_path: Path, mini_path: Path, cache_dir: Path, capsys: pytest.CaptureFixture[str]) -> None:
    text = tmp_path / "life.txt"
    text.write_text(TEXT, encoding="utf-8")
    assert main(["suggest", str(text), "--dataset", str(mini_path), "--cache-dir", str(cache_dir)]) == 0
    lines = capsys.readouterr().out.splitlines()
    assert lines[0].startswith("   3× Paris → France (48.8534, 2.3488; geonames:2988507) — “")  # mini has no Paris
    assert lines[1].startswith("   2× Kronstadt → Russia (59.9920, 29.7762; alias) — “")


@pytest.mark.usefixtures("small_cli")
def test_cli_suggest_with_nothing_new(tmp_path: Path, cache_dir: Path, capsys: pytest.CaptureFixture[str]) -> None:
    text = tmp_path / "quiet.txt"
    text.write_text("He stayed in Vienna.", encoding="utf-8")
    assert main(["suggest", str(text), "--cache-dir", str(cache_dir)]) == 0
    assert capsys.readouterr().out == f"{text}: no toponyms that trotsky.json lacks\n"


@pytest.mark.parametrize(
    ("content", "expected"),
    [
        (None, "no such file"),
        (b"caf\xe9 in Paris", "not UTF-8 text (byte 3: invalid continuation byte); save it as UTF-8"),
        ("folder", "is a folder, not a text file"),
    ],
)
def test_cli_suggest_bad_text(
    tmp_path: Path, content: bytes | str | None, expected: str, capsys: pytest.CaptureFixture[str]
) -> None:
    path = tmp_path / "text.txt"
    if isinstance(content, bytes):
        path.write_bytes(content)
    elif content == "folder":
        path.mkdir()
    assert main(["suggest", str(path)]) == 1
    captured = capsys.readouterr()
    assert captured.out == ""
    assert captured.err == f"{path}: {expected}\n"


def test_cli_suggest_bad_dataset(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    text = tmp_path / "life.txt"
    text.write_text("Paris", encoding="utf-8")
    document = make_document()
    document["places"][0]["lat"] = "north"
    path = write_dataset(tmp_path, document)
    assert main(["suggest", str(text), "--dataset", str(path)]) == 1
    assert capsys.readouterr().err == f"{path}: places[0].lat: expected a number, got a string\n"


def test_read_text_file_tolerates_a_bom(tmp_path: Path) -> None:
    path = tmp_path / "bom.txt"
    path.write_bytes("\ufeffParis".encode())
    assert read_text_file(path) == "Paris"


def test_a_matched_longer_name_does_not_hide_its_words(
    with_paris: Dataset, gazetteer: Gazetteer, aliases: AliasTable
) -> None:
    found = names(suggest("He visited New York. York was small.", with_paris, gazetteer, aliases))
    assert found == ["New York", "York"]
