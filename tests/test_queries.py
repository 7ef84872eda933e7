from __future__ import annotations

from typing import Any

from geodata.queries import (
    active_places,
    current_place,
    journey,
    journey_until,
    status_in_year,
    year_bounds,
)
from tests.datasets import place_id


def ids(places: Any) -> list[str]:
    return [place.id for place in places]


def test_year_bounds(mini: Any) -> None:
    assert year_bounds(mini) == (1880, 1900)


def test_active_places_in_order_reached(mini: Any) -> None:
    assert ids(active_places(mini, 1880)) == ["alphaville"]
    assert ids(active_places(mini, 1890)) == ["alphaville", "betatown"]
    assert ids(active_places(mini, 1899)) == ["gammaburg", "delta"]
    assert ids(active_places(mini, 1896)) == ["gammaburg"]


def test_journey_is_chronological(mini: Any) -> None:
    assert [leg.place.id for leg in journey(mini)] == ["alphaville", "betatown", "gammaburg", "delta"]
    assert [leg.place.id for leg in journey_until(mini, 1895)] == ["alphaville", "betatown"]


def test_current_place_is_the_latest_started_active_stay(mini: Any) -> None:
    assert place_id(current_place(mini, 1880)) == "alphaville"
    assert place_id(current_place(mini, 1890)) == "betatown"
    assert place_id(current_place(mini, 1899)) == "delta"
    assert place_id(current_place(mini, 1900)) == "gammaburg"


def test_status(mini: Any) -> None:
    betatown = mini.place("betatown")
    assert status_in_year(betatown, 1885) == "future"
    assert status_in_year(betatown, 1892) == "active"
    assert status_in_year(betatown, 1896) == "past"


def test_bundled_journey_starts_in_yanovka_and_ends_in_coyoacan(bundled: Any) -> None:
    """…on Avenida Viena, the last of his two houses in Coyoacán."""
    legs = journey(bundled)
    assert legs[0].place.id == "yanovka"
    assert "avenida-viena" in ids(active_places(bundled, 1940))
    assert journey(bundled)[-1].place.id == "avenida-viena"  # the grave on its grounds
    assert "the-bronx" in ids(active_places(bundled, 1917))
    assert "yanovka" in ids(active_places(bundled, 1879))
    starts = [leg.first for leg in legs]  # the first day each stay can begin, once ordered
    assert starts == sorted(starts)
    assert all(leg.first >= leg.stay.days[0] and leg.last == leg.stay.days[1] for leg in legs)
