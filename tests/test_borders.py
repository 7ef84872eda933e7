"""The historical borders: the snapshot in force on a date, the polity that held each place (against
a table reviewed by hand), the corrections applied, a broken file, and the build."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest

from geodata.borders import BordersError, load_borders, polity_on
from geodata.dates import day_number, parse_partial_date


def day(text: str) -> int:
    return day_number(parse_partial_date(text).first_day())


@pytest.mark.parametrize(
    ("date", "snapshot"),
    [
        ("1879-11-07", 1880),  # before the first snapshot: the nearest there is
        ("1880-01-01", 1880),
        ("1899-12-31", 1880),
        ("1900-01-01", 1900),
        ("1913-12-31", 1900),
        ("1914-01-01", 1914),
        ("1919-12-31", 1914),
        ("1920-01-01", 1920),
        ("1929-12-31", 1920),
        ("1930-01-01", 1930),
        ("1938-01-01", 1938),
        ("1940-08-21", 1938),
    ],
)
def test_the_snapshot_of_a_date_is_the_latest_not_after_it(date: str, snapshot: int) -> None:
    assert load_borders().snapshot_for(day(date)) == snapshot


#: reviewed by hand: who held the place on that date, as a historian would say it
POLITIES = [
    ("yanovka", "1879-11-07", "Russian Empire"),
    ("odessa", "1890-06-01", "Russian Empire"),
    ("london", "1902-11-01", "United Kingdom of Great Britain and Ireland"),
    ("vienna", "1910-06-01", "Austria-Hungary"),
    ("vienna", "1914-06-01", "Austria-Hungary"),
    ("zimmerwald", "1915-09-05", "Switzerland"),
    ("paris", "1915-06-01", "France"),
    ("amherst", "1917-04-15", "Canada"),
    ("saint-petersburg", "1917-07-01", "Russian Empire"),
    ("moscow", "1921-06-01", "Soviet Russia (RSFSR)"),
    ("moscow", "1925-06-01", "USSR"),
    ("alma-ata", "1928-06-01", "USSR"),
    ("buyukada", "1929-06-01", "Turkey"),
    ("buyukada", "1930-06-01", "Turkey"),
    ("hurum", "1936-10-01", "Norway"),
    ("coyoacan", "1938-06-01", "Mexico"),
]


@pytest.mark.parametrize(("place_id", "date", "polity"), POLITIES)
def test_each_place_is_in_the_polity_that_held_it(bundled: Any, place_id: str, date: str, polity: str) -> None:
    place = bundled.place(place_id)
    assert place is not None
    assert str(polity_on(place.lat, place.lon, day(date))) == polity


def test_the_corrections_are_applied_and_a_port_on_a_coarse_coast_is_near(bundled: Any) -> None:
    helsinki = (60.17, 24.94)  # the source draws Finland apart in 1914: shown inside the Empire
    assert str(polity_on(*helsinki, day("1914-06-01"))) == "Russian Empire"
    assert str(polity_on(*helsinki, day("1920-06-01"))) == "Finland"
    buyukada = bundled.place("buyukada")
    answer = polity_on(buyukada.lat, buyukada.lon, day("1930-06-01"))
    assert answer.near and answer.snapshot == 1930  # an island off the coast the snapshot simplified
    assert str(polity_on(0.0, -30.0, day("1930-06-01"))) == "unknown"  # the Atlantic


def test_every_correction_names_a_reason_and_a_known_snapshot() -> None:
    from geodata.tools.borders import DEFAULT_CORRECTIONS, SNAPSHOT_YEARS, read_corrections

    corrections = read_corrections(DEFAULT_CORRECTIONS)
    assert len(corrections) >= 20
    assert all(c.snapshot in SNAPSHOT_YEARS and len(c.reason) > 10 for c in corrections)


def test_a_broken_borders_file_names_itself(tmp_path: Path) -> None:
    missing = tmp_path / "none.topojson"
    with pytest.raises(BordersError, match=r"none\.topojson: the historical borders file is missing"):
        load_borders(missing)
    broken = tmp_path / "broken.topojson"
    broken.write_text('{"type": "Topology", "objects": {}}', encoding="utf-8")
    with pytest.raises(BordersError, match=r"broken\.topojson: not a borders file"):
        load_borders(broken)


def test_the_borders_are_decoded_once_however_their_path_is_given(tmp_path: Path) -> None:
    # The window reads them behind the map as load_borders(); a lookup asked load_borders(path)
    # and decoded the whole file again, on the window's thread, at every start.
    from geodata.borders import BORDERS_FILE

    assert load_borders() is load_borders(BORDERS_FILE)
    relative = Path("..") / BORDERS_FILE.parent.name / BORDERS_FILE.name
    assert load_borders(BORDERS_FILE.parent / relative) is load_borders()


def test_where_gives_the_polity_of_each_place() -> None:
    done = subprocess.run(
        [sys.executable, "-m", "geodata", "where", "1930-06-01", "--json"],
        capture_output=True,
        text=True,
        encoding="utf-8",
        check=False,
    )
    assert done.returncode == 0, done.stderr
    (buyukada,) = json.loads(done.stdout)["places"]
    assert (buyukada["id"], buyukada["polity"], buyukada["borders"]) == ("buyukada", "Turkey", 1930)
    assert buyukada["polity_near"] is True


def square(west: float, south: float, size: float) -> list[list[list[float]]]:
    east, north = west + size, south + size
    return [[[west, south], [east, south], [east, north], [west, north], [west, south]]]


def test_the_build_shares_borders_corrects_names_and_refuses_a_correction_that_matches_nothing(
    tmp_path: Path,
) -> None:
    from geodata.tools.borders import SNAPSHOT_YEARS, BordersBuildError, build_borders

    source = tmp_path / "source"
    source.mkdir()
    for year in SNAPSHOT_YEARS:
        features = [
            {
                "type": "Feature",
                "properties": {"NAME": "Westland"},
                "geometry": {"type": "Polygon", "coordinates": square(0, 0, 10)},
            },
            {
                "type": "Feature",
                "properties": {"NAME": "Eastland"},
                "geometry": {"type": "Polygon", "coordinates": square(10, 0, 10)},
            },
            {
                "type": "Feature",
                "properties": {"NAME": None},
                "geometry": {"type": "Polygon", "coordinates": square(0, 20, 5)},
            },
        ]
        (source / f"world_{year}.geojson").write_text(
            json.dumps({"type": "FeatureCollection", "features": features}), encoding="utf-8"
        )
    corrections = tmp_path / "corrections.csv"
    corrections.write_text(
        "snapshot,name,at,from,to,shown,reason\n"
        "1914,Eastland,,,1917,East Empire,a test of a name until 1917\n"
        "1914,(unnamed),2 22,,,Northland,a test of an unnamed area\n",
        encoding="utf-8",
    )
    out = tmp_path / "borders.topojson"
    summary = build_borders(source, out, corrections)
    assert summary["snapshots"]["1914"]["features"] == 3
    borders = load_borders(out)
    assert str(borders.polity_at(1914, 5.0, 15.0)) == "East Empire"  # lat, lon: inside Eastland
    assert str(polity_on(5.0, 15.0, day("1918-06-01"), out)) == "Eastland"  # the name after 1917
    assert str(borders.polity_at(1914, 22.0, 2.0)) == "Northland"
    assert str(borders.polity_at(1900, 22.0, 2.0)) == "unknown"  # unnamed in the source
    document = json.loads(out.read_text(encoding="utf-8"))
    westland, eastland = document["objects"]["1914"]["geometries"][:2]
    assert westland["properties"]["colour"] != eastland["properties"]["colour"]  # neighbours differ
    shared = {abs(a) for ring in westland["arcs"] for a in ring} & {
        ~a if a < 0 else a for ring in eastland["arcs"] for a in ring
    }
    assert shared  # the border between them is one arc
    corrections.write_text("snapshot,name,at,from,to,shown,reason\n1914,Nowhere,,,,X,a typo\n", encoding="utf-8")
    with pytest.raises(BordersBuildError, match="the correction of 'Nowhere' matches no feature"):
        build_borders(source, tmp_path / "again.topojson", corrections)
