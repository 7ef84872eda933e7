"""Geodesic distances along the journey: known distances, legs in journey order, running totals."""

from __future__ import annotations

import math
from itertools import pairwise
from pathlib import Path

import pytest

from geodata.model import Dataset
from geodata.queries import journey
from geodata.tools.cli import main
from geodata.tools.distance import distance_until, geodesic_km, place_km, travel

PARIS = (48.85341, 2.3488)
LONDON = (51.50853, -0.12574)


def haversine_km(a: tuple[float, float], b: tuple[float, float]) -> float:
    """The spherical distance (mean radius 6371.0088 km): an independent check, good to 0.5 %."""
    lat1, lon1, lat2, lon2 = map(math.radians, (*a, *b))
    h = math.sin((lat2 - lat1) / 2) ** 2 + math.cos(lat1) * math.cos(lat2) * math.sin((lon2 - lon1) / 2) ** 2
    return 2 * 6371.0088 * math.asin(math.sqrt(h))


def test_paris_london() -> None:
    assert geodesic_km(PARIS, LONDON) == pytest.approx(344, abs=1)
    assert geodesic_km(LONDON, PARIS) == pytest.approx(geodesic_km(PARIS, LONDON))


def test_one_degree_along_the_equator_is_the_wgs84_value() -> None:
    # a · π / 180 with the WGS 84 semi-major axis a = 6378.137 km
    assert geodesic_km((0.0, 0.0), (0.0, 1.0)) == pytest.approx(6378.137 * math.pi / 180, abs=1e-6)


@pytest.mark.parametrize(
    ("a", "b"),
    [((40.71427, -74.00597), LONDON), ((55.75204, 37.61781), (43.25249, 76.9115)), ((19.42847, -99.12766), PARIS)],
)
def test_long_distances_agree_with_the_sphere(a: tuple[float, float], b: tuple[float, float]) -> None:
    assert geodesic_km(a, b) == pytest.approx(haversine_km(a, b), rel=0.005)


def test_same_point_is_zero() -> None:
    assert geodesic_km(PARIS, PARIS) == 0.0


def test_mini_journey_legs(mini: Dataset) -> None:
    legs = travel(mini)
    assert [leg.leg.place.id for leg in legs] == ["alphaville", "betatown", "gammaburg"]  # the region is left out
    assert legs[0].origin is None and legs[0].km == 0.0
    assert legs[1].origin is not None and legs[1].origin.id == "alphaville"
    assert legs[1].km == pytest.approx(haversine_km((48.0, 32.0), (46.5, 30.7)), rel=0.005)
    assert legs[2].km == pytest.approx(haversine_km((46.5, 30.7), (59.9, 30.3)), rel=0.005)
    assert legs[2].total_km == pytest.approx(legs[1].km + legs[2].km)


def test_areas_can_be_included(mini: Dataset) -> None:
    legs = travel(mini, include_areas=True)
    assert [leg.leg.place.id for leg in legs] == ["alphaville", "betatown", "gammaburg", "delta"]
    assert legs[-1].km == pytest.approx(haversine_km((59.9, 30.3), (60.0, 100.0)), rel=0.005)


def test_distance_until_a_year(mini: Dataset) -> None:
    first_leg = place_km(mini.places[0], mini.places[1])
    assert distance_until(mini, 1879) == 0.0
    assert distance_until(mini, 1889) == 0.0
    assert distance_until(mini, 1890) == pytest.approx(first_leg)
    assert distance_until(mini, 1896) == pytest.approx(first_leg + place_km(mini.places[1], mini.places[2]))
    assert distance_until(mini, 1940) == distance_until(mini, 1896)


def test_bundled_journey_totals(bundled: Dataset) -> None:
    legs = travel(bundled)
    expected_order = [leg for leg in journey(bundled) if not leg.place.is_area]
    assert [leg.leg for leg in legs] == expected_order
    running = 0.0
    for previous, leg in pairwise(legs):
        running += leg.km
        assert leg.total_km == pytest.approx(running)
        assert leg.total_km >= previous.total_km
        if leg.leg.place.id == previous.leg.place.id:
            assert leg.km == 0.0  # another stay at the same place adds nothing
    assert any(leg.km == 0.0 and leg.origin is leg.leg.place for leg in legs)  # Coyoacán's four stays
    # Around the world and back more than once, but less than ten times the equator.
    assert 40_000 < legs[-1].total_km < 400_000
    assert distance_until(bundled, 1917) < distance_until(bundled, 1940) == pytest.approx(legs[-1].total_km)


def test_cli_distance(mini_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["distance", "--dataset", str(mini_path)]) == 0
    lines = capsys.readouterr().out.splitlines()
    assert lines[0].split() == ["1880-11-07", "Old", "Alpha", "0", "km", "0", "km", "in", "all"]
    assert lines[-1] == "1685 km in straight lines between 3 stays"
    assert main(["distance", "--dataset", str(mini_path), "--until", "1890", "--include-areas"]) == 0
    assert capsys.readouterr().out.splitlines()[-1] == "194 km in straight lines between 2 stays by the end of 1890"


def test_cli_distance_bad_dataset(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["distance", "--dataset", str(tmp_path / "nope.json")]) == 1
    assert capsys.readouterr().err == f"{tmp_path / 'nope.json'}: no such file\n"


def test_distance_by_year_matches_distance_until(bundled: Dataset) -> None:
    from geodata.tools.distance import distance_until, stops, totals_by_year

    totals = totals_by_year(stops(bundled), 1879, 1940)
    for year in (1879, 1902, 1917, 1929, 1940):
        assert totals[year] == pytest.approx(distance_until(bundled, year))
    assert totals[1940] > totals[1917] > totals[1902] > 0
