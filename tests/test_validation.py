"""Loading and validation: every problem names the file and the field, nothing raises but DatasetError."""

from __future__ import annotations

import copy
import json
from pathlib import Path
from typing import Any

import pytest

from geodata.errors import DatasetError
from geodata.loader import load_dataset
from tests.datasets import make_document, write_dataset

BRIEF_PLACES = ("yanovka", "odessa", "vienna", "the-bronx", "buyukada", "coyoacan")


def problems_for(tmp_path: Path, document: Any) -> list[str]:
    path = write_dataset(tmp_path, document)
    with pytest.raises(DatasetError) as caught:
        load_dataset(path)
    lines = caught.value.report().splitlines()
    assert all(line.startswith(f"{path}: ") for line in lines), lines
    return [line[len(f"{path}: ") :] for line in lines]


def mutated(change: Any) -> dict[str, Any]:
    document = copy.deepcopy(make_document())
    change(document)
    return document


def test_bundled_dataset_has_the_brief_places_with_excerpts(bundled: Any) -> None:
    for place_id in BRIEF_PLACES:
        place = bundled.place(place_id)
        assert place is not None, place_id
        assert place.stays
        for stay in place.stays:
            assert stay.excerpts
            for excerpt in stay.excerpts:
                source = bundled.sources[excerpt.source]
                assert source.text[excerpt.offset : excerpt.offset + len(excerpt.text)] == excerpt.text


def test_bundled_dataset_dates_the_brief_places(bundled: Any) -> None:
    assert bundled.place("yanovka").stays[0].start.year == 1879
    assert any(stay.covers(1917) for stay in bundled.place("the-bronx").stays)
    assert any(stay.covers(1937) for stay in bundled.place("coyoacan").stays)
    assert any(stay.covers(1940) for stay in bundled.place("avenida-viena").stays)
    assert any(stay.covers(1929) for stay in bundled.place("buyukada").stays)


def test_mini_dataset_loads(mini: Any) -> None:
    assert [place.id for place in mini.places] == ["alphaville", "betatown", "gammaburg", "delta"]
    assert mini.place("alphaville").name_in(1880) == "Old Alpha"
    assert mini.place("alphaville").name_in(1885) == "Alphaville"
    assert mini.place("delta").is_area


@pytest.mark.parametrize(
    ("change", "expected"),
    [
        (lambda d: d.pop("places"), "places: missing required field"),
        (lambda d: d.update(extra=1), "extra: unknown field"),
        (lambda d: d.update(format="geojson"), "format: expected 'trotsky-map-dataset'"),
        (lambda d: d.update(version=4), "version: expected 1, 2 or 3, got 4"),
        (lambda d: d.update(version=2), "person: missing required field"),
        (lambda d: d.update(person={"name": "X"}), "person: unknown field"),
        (lambda d: d.update(version=2, person={"born": "1880"}), "person.name: missing required field"),
        (
            lambda d: d.update(version=2, person={"name": "X", "born": "1880", "died": "1870"}),
            "person.died: 1870 is before the birth 1880",
        ),
        (lambda d: d.update(places=[]), "places: must not be empty"),
        (lambda d: d.update(places={}), "places: expected a list, got an object"),
        (lambda d: d["places"][1].pop("lat"), "places[1].lat: missing required field"),
        (lambda d: d["places"][1].update(lat="46.5"), "places[1].lat: expected a number, got a string"),
        (lambda d: d["places"][1].update(lat=True), "places[1].lat: expected a number, got a boolean"),
        (lambda d: d["places"][1].update(lat=91), "places[1].lat: 91 is outside -90…90"),
        (lambda d: d["places"][1].update(lon=-180.5), "places[1].lon: -180.5 is outside -180…180"),
        (lambda d: d["places"][1].update(granularity="planet"), "places[1].granularity: 'planet' is not one of"),
        (lambda d: d["places"][1].update(id="Beta Town"), "places[1].id: 'Beta Town' is not an id"),
        (lambda d: d["places"][1].update(id="alphaville"), "places[1].id: duplicate place id 'alphaville'"),
        (lambda d: d["places"][1].update(coord_source="wikipedia"), "places[1].coord_source: expected"),
        (lambda d: d["places"][1].update(stays=[]), "places[1].stays: must not be empty"),
        (
            lambda d: d["places"][1]["stays"][0].update(end="1917-13"),
            "places[1].stays[0].end: '1917-13' has no month 13",
        ),
        (
            lambda d: d["places"][1]["stays"][0].update(end="1917-02-30"),
            "places[1].stays[0].end: '1917-02-30' is not a day",
        ),
        (
            lambda d: d["places"][1]["stays"][0].update(end="1889"),
            "places[1].stays[0].end: 1889 is before the start 1890",
        ),
        (
            lambda d: (
                d.update(version=2, person={"name": "X", "born": "1880-11-07"}),
                d["places"][1]["stays"][0].update(start="1880-10"),
            ),
            "places[1].stays[0].start: 1880-10 is before the birth (1880-11-07, person.born)",
        ),
        (
            lambda d: d["places"][1]["stays"][0].update(kind="holiday"),
            "places[1].stays[0].kind: 'holiday' is not one of",
        ),
        (lambda d: d["places"][1]["stays"][0].update(certainty="maybe"), "places[1].stays[0].certainty: 'maybe'"),
        (lambda d: d["places"][2]["stays"][0].pop("note"), "places[2].stays[0].note: an inferred stay needs a note"),
        (lambda d: d["places"][1]["stays"][0].update(excerpts=[]), "places[1].stays[0].excerpts: must not be empty"),
        (
            lambda d: d["places"][1]["stays"][0]["excerpts"][0].update(source="nope"),
            "places[1].stays[0].excerpts[0].source: unknown source 'nope'",
        ),
        (
            lambda d: d["places"][1]["stays"][0]["excerpts"][0].update(offset=3),
            "places[1].stays[0].excerpts[0].text: not found verbatim in 'mini' at offset 3; it is at offset 35",
        ),
        (
            lambda d: d["places"][1]["stays"][0]["excerpts"][0].update(text="He moved to Betatown."),
            "it is nowhere in the source",
        ),
        (
            lambda d: d["places"][1]["stays"][0]["excerpts"][0].update(offset=-1),
            "places[1].stays[0].excerpts[0].offset: expected a character offset",
        ),
        (lambda d: d["places"][0]["names"][0].update(to="0000"), "places[0].names[0].to: '0000' has no year 0"),
        (lambda d: d["places"][0].update(aliases="Alpha"), "places[0].aliases: expected a list, got a string"),
        (lambda d: d["places"][0].update(aliases=["Alpha", " "]), "places[0].aliases[1]: expected a non-empty string"),
        (lambda d: d["places"][0].update(aliases=["Alpha", "Alpha"]), "places[0].aliases[1]: 'Alpha' is listed twice"),
        (lambda d: d["sources"][0].update(file="missing.txt"), "sources[0].file: source text"),
        (lambda d: d["sources"].append(dict(d["sources"][0])), "sources[1].id: duplicate source id 'mini'"),
    ],
)
def test_each_problem_names_the_field(tmp_path: Path, change: Any, expected: str) -> None:
    problems = problems_for(tmp_path, mutated(change))
    assert any(expected in problem for problem in problems), problems


def test_all_problems_are_reported_at_once(tmp_path: Path) -> None:
    def break_two(d: dict[str, Any]) -> None:
        d["places"][0]["lat"] = 100
        d["places"][3]["stays"][0]["end"] = "1898"

    problems = problems_for(tmp_path, mutated(break_two))
    assert any(p.startswith("places[0].lat") for p in problems)
    assert any(p.startswith("places[3].stays[0].end") for p in problems)


@pytest.mark.parametrize(
    ("content", "expected"),
    [
        (b"", "the file is empty"),
        (b"   \n", "the file is empty"),
        (b"{not json", "not valid JSON: Expecting property name enclosed in double quotes (line 1, column 2)"),
        (b"[1, 2]", "expected an object, got a list"),
        (b'"text"', "expected an object, got a string"),
        ('{"title": "Caf\u00e9"}'.encode("latin-1"), "not UTF-8 text"),
        (b'{"a": NaN}', "not valid JSON: NaN is not a JSON number"),
        (b'{"a": -Infinity}', "not valid JSON: -Infinity is not a JSON number"),
        (b"[" * 100_000 + b"]" * 100_000, "nested too deeply"),
    ],
)
def test_unreadable_files_get_one_clear_line(tmp_path: Path, content: bytes, expected: str) -> None:
    path = tmp_path / "broken.json"
    path.write_bytes(content)
    with pytest.raises(DatasetError) as caught:
        load_dataset(path)
    report = caught.value.report()
    assert report.startswith(f"{path}: ")
    assert expected in report


def test_a_very_large_file_is_refused_before_reading(tmp_path: Path) -> None:
    path = tmp_path / "huge.json"
    with path.open("wb") as handle:
        handle.truncate(100 * 1000 * 1000)  # sparse: 100 MB on paper, nothing on disk
    with pytest.raises(DatasetError) as caught:
        load_dataset(path)
    assert caught.value.report() == f"{path}: the file is 100 MB; datasets larger than 80 MB are refused"


def test_a_folder_is_not_a_dataset(tmp_path: Path) -> None:
    with pytest.raises(DatasetError, match="is a folder"):
        load_dataset(tmp_path)


def test_missing_file(tmp_path: Path) -> None:
    with pytest.raises(DatasetError, match="no such file"):
        load_dataset(tmp_path / "nope.json")


def test_nan_coordinates_written_by_hand(tmp_path: Path) -> None:
    path = write_dataset(tmp_path, make_document())
    path.write_text(path.read_text(encoding="utf-8").replace('"lat": 46.5', '"lat": NaN'), encoding="utf-8")
    with pytest.raises(DatasetError, match="NaN is not a JSON number"):
        load_dataset(path)


def test_bundled_dataset_file_is_valid_json_with_format(bundled: Any) -> None:
    raw = json.loads(bundled.path.read_text(encoding="utf-8"))
    assert raw["format"] == "trotsky-map-dataset"


def shifted(document: dict[str, Any], years: int) -> dict[str, Any]:
    """``document`` with every date moved by ``years`` (another life, another century)."""
    text = json.dumps(document)
    for year in range(1870, 1910):
        text = text.replace(f'"{year}', f'"{year + years:04d}')
    result: dict[str, Any] = json.loads(text)
    return result


@pytest.mark.parametrize("years", [-100, 120])
def test_a_life_of_another_century_validates(tmp_path: Path, years: int) -> None:
    from geodata.queries import year_bounds

    document = shifted(make_document(version=2, person={"name": "Someone", "born": "1880-11-07"}), years)
    dataset = load_dataset(write_dataset(tmp_path, document))
    assert dataset.person.name == "Someone"
    assert year_bounds(dataset) == (1880 + years, 1900 + years)


def test_version_1_reads_the_title_as_the_person(mini: Any) -> None:
    assert mini.person.name == "Mini" and mini.person.born is None


def test_the_person_widens_the_years(tmp_path: Path) -> None:
    from geodata.queries import year_bounds

    document = make_document(version=2, person={"name": "X", "born": "1875", "died": "1910-01-02"})
    assert year_bounds(load_dataset(write_dataset(tmp_path, document))) == (1875, 1910)


def test_a_missing_source_is_one_problem_with_its_excerpt_count(tmp_path: Path) -> None:
    document = make_document()
    document["sources"][0]["file"] = "gone/mini.txt"
    problems = problems_for(tmp_path, document)
    assert len(problems) == 1, problems
    assert problems[0].startswith("sources[0].file: source text ")
    assert problems[0].endswith("gone/mini.txt does not exist; 4 excerpts cite it")


def test_a_missing_source_does_not_hide_other_problems(tmp_path: Path) -> None:
    document = make_document()
    document["sources"][0]["file"] = "gone.txt"
    document["places"][1]["lat"] = 95
    problems = problems_for(tmp_path, document)
    assert len(problems) == 2, problems
    assert any(problem.startswith("places[1].lat: 95 is outside") for problem in problems)


def test_a_copied_dataset_finds_the_bundled_texts_by_file_name(tmp_path: Path, bundled: Any) -> None:
    """The bundled dataset copied alone into another folder still loads: its ``../sources/`` texts are
    looked up among the bundled sources by file name."""
    from geodata.paths import BUNDLED_SOURCES

    copied = tmp_path / "elsewhere" / "trotsky.json"
    copied.parent.mkdir()
    copied.write_bytes(bundled.path.read_bytes())
    dataset = load_dataset(copied)
    assert dataset.places == bundled.places
    assert {source.file.parent for source in dataset.sources.values()} == {BUNDLED_SOURCES}
    raw = json.loads(copied.read_text(encoding="utf-8"))
    raw["sources"][1]["file"] = "../sources/not-shipped.txt"
    copied.write_text(json.dumps(raw), encoding="utf-8")
    with pytest.raises(DatasetError) as caught:
        load_dataset(copied)
    assert len(caught.value.problems) == 1
    assert caught.value.problems[0].path == "sources[1].file"
    # every quote of it counts: the stays', the chapters' evidence and the crossings'
    cited = sum(excerpt.source == "crawford" for stay in bundled.stays for excerpt in stay.excerpts)
    cited += sum(quote.source == "crawford" for chapter in bundled.chapters for quote in chapter.evidence)
    cited += sum(quote.source == "crawford" for crossing in bundled.crossings for quote in crossing.excerpts)
    assert f"not-shipped.txt does not exist; {cited} excerpts cite it" in caught.value.problems[0].message


def test_a_stay_before_the_birth_is_named_by_its_place_in_the_file(tmp_path: Path) -> None:
    document = make_document(version=2, person={"name": "X", "born": "1885"})
    document["places"][0]["lat"] = 95  # refused: the next place keeps its own index
    document["places"][1]["stays"][0]["start"] = "1884"
    problems = problems_for(tmp_path, document)
    assert any(problem.startswith("places[1].stays[0].start: 1884 is before the birth") for problem in problems)


def test_a_missing_version_is_the_one_problem(tmp_path: Path) -> None:
    document = make_document()
    del document["version"]
    assert problems_for(tmp_path, document) == ["version: missing required field"]


@pytest.mark.parametrize("text", ["1917\n", "١٩١٧", "1917-05 "])
def test_dates_are_ascii_and_nothing_else(text: str) -> None:
    from geodata.dates import parse_partial_date

    with pytest.raises(ValueError):
        parse_partial_date(text)
