"""Exports: Linked Places (GeoJSON), KML and CSV carry every stay, in range, with hostile text intact."""

from __future__ import annotations

import csv
import io
import json
import xml.etree.ElementTree as ET
from pathlib import Path
from typing import Any

import pytest

from geodata.dates import PartialDate, parse_partial_date
from geodata.loader import load_dataset
from geodata.model import Dataset
from geodata.tools.cli import main
from geodata.tools.export import CSV_COLUMNS, KML_NAMESPACE, LPF_CONTEXT, kml_end, to_csv, to_kml, to_lpf
from tests.datasets import SOURCE_TEXT, make_document, write_dataset

KML = f"{{{KML_NAMESPACE}}}"
HOSTILE = 'Evil <script>alert("x")</script> ]]> & \'single\' "double" </description><Placemark>'


@pytest.fixture
def hostile(tmp_path: Path) -> Dataset:
    """The mini dataset with markup, CDATA ends, ampersands and quotes in a name, summary and excerpt."""
    quote = f"He wrote {HOSTILE} in 1891."
    document = make_document()
    betatown = document["places"][1]
    betatown["name"] = HOSTILE
    betatown["names"] = [{"name": HOSTILE + " (old)", "to": "1892"}]
    stay = betatown["stays"][0]
    stay["summary"] = HOSTILE + "\u000b"
    stay["excerpts"].append({"source": "mini", "offset": len(SOURCE_TEXT) + 1, "text": quote})
    path = write_dataset(tmp_path, document)
    (tmp_path / "mini.txt").write_text(SOURCE_TEXT + " " + quote, encoding="utf-8")
    return load_dataset(path)


def features_by_id(document: dict[str, Any]) -> dict[str, dict[str, Any]]:
    return {feature["id"]: feature for feature in document["features"]}


# -- Linked Places Format ------------------------------------------------------------------


def test_lpf_is_a_geojson_feature_collection_of_the_whole_dataset(bundled: Dataset) -> None:
    document = json.loads(to_lpf(bundled))
    assert document["type"] == "FeatureCollection"
    assert document["@context"] == LPF_CONTEXT
    features = document["features"]
    assert len(features) == len(bundled.places)
    assert sum(len(feature["when"]["timespans"]) for feature in features) == len(bundled.stays)
    for feature, place in zip(features, bundled.places, strict=True):
        assert feature["type"] == "Feature"
        assert feature["@id"] == f"trotsky-map:place/{place.id}"
        assert isinstance(feature["properties"], dict)
        geometry = feature["geometry"]
        assert geometry["type"] == "Point"
        lon, lat = geometry["coordinates"]
        assert -180 <= lon <= 180 and -90 <= lat <= 90
        assert (lon, lat) == (place.lon, place.lat)
        assert feature["properties"]["title"] == place.name
        assert feature["names"][0]["toponym"] == place.name
        assert feature["names"][0]["citations"]
        for name in feature["names"]:
            assert isinstance(name["toponym"], str) and name["toponym"]
            assert name["when"]["timespans"] and all("start" in span for span in name["when"]["timespans"])
        excerpts = feature["properties"]["excerpts"]
        assert len(excerpts) == sum(len(stay.excerpts) for stay in place.stays)
        assert {excerpt["source"] for excerpt in excerpts} <= {source.title for source in bundled.sources.values()}
        assert [stay["kind"] for stay in feature["properties"]["stays"]] == [stay.kind for stay in place.stays]


def test_lpf_coordinates_are_longitude_first(bundled: Dataset) -> None:
    coyoacan = features_by_id(json.loads(to_lpf(bundled)))["coyoacan"]
    lon, lat = coyoacan["geometry"]["coordinates"]
    assert lon == pytest.approx(-99.16, abs=0.01) and lat == pytest.approx(19.35, abs=0.01)


def test_lpf_names_carry_their_periods(bundled: Dataset) -> None:
    feature = features_by_id(json.loads(to_lpf(bundled)))["saint-petersburg"]
    spans = {name["toponym"]: name["when"]["timespans"][0] for name in feature["names"]}
    assert spans["Petrograd"] == {"start": {"in": "1914-08-31"}, "end": {"in": "1924-01-26"}}
    assert spans["Leningrad"] == {"start": {"in": "1924-01-26"}, "end": {"earliest": "1940"}}
    assert spans["Saint Petersburg"] == {"start": {"latest": "1879"}, "end": {"in": "1914-08-31"}}
    assert feature["properties"]["ccodes"] == ["RU"]
    assert feature["links"] == [{"type": "closeMatch", "identifier": "https://www.geonames.org/498817/"}]


def test_lpf_stay_timespans_keep_partial_dates(mini: Dataset) -> None:
    features = features_by_id(json.loads(to_lpf(mini)))
    assert features["betatown"]["when"]["timespans"] == [{"start": {"in": "1890"}, "end": {"in": "1895"}}]
    # A stay whose start and end are the same date is a start alone: "during 1899".
    assert features["delta"]["when"]["timespans"] == [{"start": {"in": "1899"}}]


def test_lpf_keeps_hostile_text_as_data(hostile: Dataset) -> None:
    feature = features_by_id(json.loads(to_lpf(hostile)))["betatown"]
    assert feature["properties"]["title"] == HOSTILE
    assert feature["properties"]["stays"][0]["summary"] == HOSTILE + "\u000b"
    assert any(HOSTILE in excerpt["text"] for excerpt in feature["properties"]["excerpts"])


# -- KML -----------------------------------------------------------------------------------


def parse_kml(text: str) -> ET.Element:
    root = ET.fromstring(text.encode("utf-8"))
    assert root.tag == f"{KML}kml"
    return root


def instant(text: str, *, end: bool) -> str:
    """A KML date as a full ISO date, for comparing: the first day of a begin, the last of an end."""
    date = parse_partial_date(text)
    return kml_end(date) if end else f"{date.year:04d}-{date.month or 1:02d}-{date.day or 1:02d}"


def test_kml_has_one_placemark_per_stay_with_a_time_span(bundled: Dataset) -> None:
    root = parse_kml(to_kml(bundled))
    every = root.findall(f"{KML}Document/{KML}Placemark")
    placemarks = [placemark for placemark in every if placemark.find(f"{KML}Point") is not None]
    assert len(placemarks) == len(bundled.stays)
    assert len({placemark.get("id") for placemark in placemarks}) == len(placemarks)
    for placemark in placemarks:
        begin = placemark.findtext(f"{KML}TimeSpan/{KML}begin")
        end = placemark.findtext(f"{KML}TimeSpan/{KML}end")
        assert begin and end
        assert instant(begin, end=False) <= instant(end, end=True)
        lon, lat = (float(value) for value in placemark.findtext(f"{KML}Point/{KML}coordinates", "").split(","))
        assert -180 <= lon <= 180 and -90 <= lat <= 90
        assert placemark.findtext(f"{KML}name")
        assert placemark.findtext(f"{KML}description")


def test_kml_draws_each_crossing_as_a_dated_line(bundled: Dataset) -> None:
    root = parse_kml(to_kml(bundled))
    lines = [p for p in root.findall(f"{KML}Document/{KML}Placemark") if p.find(f"{KML}LineString") is not None]
    assert len(lines) == len(bundled.crossings)
    atlantic = lines[0]
    assert atlantic.findtext(f"{KML}name") == "Spain → New York City"
    assert atlantic.findtext(f"{KML}TimeSpan/{KML}begin") == "1916-12-25"
    assert atlantic.findtext(f"{KML}TimeSpan/{KML}end") == "1917-01-13"
    spain, new_york = (bundled.place("spain"), bundled.place("new-york"))
    assert spain is not None and new_york is not None
    ends = atlantic.findtext(f"{KML}LineString/{KML}coordinates", "").split()
    assert ends == [f"{spain.lon!r},{spain.lat!r}", f"{new_york.lon!r},{new_york.lat!r}"]
    assert "Spanish authorities did not want him" in atlantic.findtext(f"{KML}description", "")


def test_kml_is_in_journey_order_with_the_name_of_the_year(mini: Dataset) -> None:
    root = parse_kml(to_kml(mini))
    placemarks = root.findall(f"{KML}Document/{KML}Placemark")
    assert [p.findtext(f"{KML}name") for p in placemarks] == ["Old Alpha", "Betatown", "Gammaburg", "Delta <region>"]
    first = placemarks[0]
    assert first.findtext(f"{KML}TimeSpan/{KML}begin") == "1880-11-07"
    assert first.findtext(f"{KML}TimeSpan/{KML}end") == "1890-12-31"
    assert first.findtext(f"{KML}Point/{KML}coordinates") == "32.0,48.0"
    description = first.findtext(f"{KML}description", "")
    assert description.startswith("Born here.")
    assert "“He was born in Alphaville in 1880.” — Mini life (Tester)" in description


@pytest.mark.parametrize(
    ("date", "expected"),
    [
        (PartialDate(1917), "1917-12-31"),
        (PartialDate(1917, 2), "1917-02-28"),
        (PartialDate(1916, 2), "1916-02-29"),
        (PartialDate(1917, 5, 4), "1917-05-04"),
    ],
)
def test_kml_end_is_the_last_day_the_date_covers(date: PartialDate, expected: str) -> None:
    assert kml_end(date) == expected


def test_kml_escapes_hostile_text(hostile: Dataset) -> None:
    text = to_kml(hostile)
    assert "<script>" not in text
    assert "]]>" not in text
    assert "&lt;script&gt;" in text
    root = parse_kml(text)
    placemark = next(p for p in root.iter(f"{KML}Placemark") if p.get("id") == "stay-betatown-0")
    assert placemark.findtext(f"{KML}name") == HOSTILE + " (old)"
    description = placemark.findtext(f"{KML}description", "")
    assert description.startswith(HOSTILE + "\n")  # the vertical tab XML cannot carry is dropped
    assert f"He wrote {HOSTILE} in 1891." in description
    assert len(root.findall(f"{KML}Document/{KML}Placemark")) == len(hostile.stays)


# -- CSV -----------------------------------------------------------------------------------


def read_csv(text: str) -> list[dict[str, str]]:
    reader = csv.DictReader(io.StringIO(text, newline=""))
    assert tuple(reader.fieldnames or ()) == CSV_COLUMNS
    return list(reader)


def test_csv_has_a_header_and_one_row_per_stay(bundled: Dataset) -> None:
    rows = read_csv(to_csv(bundled))
    assert len(rows) == len(bundled.stays)
    assert {row["place_id"] for row in rows} == {place.id for place in bundled.places}
    petrograd_1917 = next(r for r in rows if r["place_id"] == "saint-petersburg" and r["start"].startswith("1917"))
    assert petrograd_1917["name_in_start_year"] == "Petrograd"
    assert petrograd_1917["place_name"] == "Saint Petersburg"
    for row in rows:
        assert -90 <= float(row["lat"]) <= 90 and -180 <= float(row["lon"]) <= 180
        assert int(row["excerpt_count"]) >= 1 and row["first_excerpt"]
        assert set(row["sources"].split(";")) <= set(bundled.sources)


def test_csv_keeps_hostile_text_as_data(hostile: Dataset) -> None:
    row = next(r for r in read_csv(to_csv(hostile)) if r["place_id"] == "betatown")
    assert row["place_name"] == HOSTILE
    assert row["summary"] == HOSTILE + "\u000b"
    assert row["excerpt_count"] == "2"
    assert row["sources"] == "mini"


# -- the command line ----------------------------------------------------------------------


def test_cli_exports_to_stdout(mini_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["export", "--format", "csv", "--dataset", str(mini_path)]) == 0
    rows = read_csv(capsys.readouterr().out)
    assert [row["place_id"] for row in rows] == ["alphaville", "betatown", "gammaburg", "delta"]


@pytest.mark.parametrize("format_name", ["lpf", "kml", "csv"])
def test_cli_writes_a_file_atomically(
    tmp_path: Path, mini_path: Path, format_name: str, capsys: pytest.CaptureFixture[str]
) -> None:
    out = tmp_path / "out" / f"mini.{format_name}"
    assert main(["export", "--format", format_name, "--dataset", str(mini_path), "-o", str(out)]) == 0
    assert out.stat().st_size > 100
    assert sorted(p.name for p in out.parent.iterdir()) == [out.name]  # no temporary file left behind
    assert f"{out}: {format_name} — 4 places, 4 stays" in capsys.readouterr().out


def test_cli_reports_a_missing_dataset_in_one_line(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    missing = tmp_path / "nope.json"
    assert main(["export", "--format", "lpf", "--dataset", str(missing)]) == 1
    captured = capsys.readouterr()
    assert captured.out == ""
    assert captured.err.strip() == f"{missing}: no such file"


def test_cli_reports_dataset_problems(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    document = make_document()
    document["places"][1]["stays"][0]["end"] = "1917-13"
    path = write_dataset(tmp_path, document)
    assert main(["export", "--format", "kml", "--dataset", str(path)]) == 1
    assert capsys.readouterr().err.strip() == f"{path}: places[1].stays[0].end: '1917-13' has no month 13"


def test_cli_reports_an_unwritable_output(tmp_path: Path, mini_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["export", "--format", "csv", "--dataset", str(mini_path), "-o", str(tmp_path)]) == 1
    err = capsys.readouterr().err
    assert err.startswith(f"{tmp_path}: cannot write the file") and err.count("\n") == 1
