from __future__ import annotations

from typing import Any

from app.page_data import page_payload
from geodata.queries import current_place, journey_until, year_bounds


def test_precomputed_answers_agree_with_the_queries(bundled: Any) -> None:
    payload = page_payload(bundled)
    first, last = year_bounds(bundled)
    assert payload["bounds"] == [first, last]
    for year in range(first, last + 1):
        expected = current_place(bundled, year)
        index = payload["current"][str(year)]
        assert payload["places"][index]["id"] == expected.id, year
        assert payload["pathLength"][str(year)] == len(journey_until(bundled, year))


def test_payload_is_data_only(mini: Any) -> None:
    payload = page_payload(mini)
    delta = payload["places"][3]
    assert delta == {
        "id": "delta",
        "name": "Delta <region>",
        "names": [],
        "lat": 60.0,
        "lon": 100.0,
        "area": True,
        "stays": [1899, 1899],
    }
    assert payload["places"][0]["names"] == [["Old Alpha", None, 1885], ["Alphaville", 1885, None]]
    assert "details" not in payload["places"][0]
    assert payload["journey"] == [0, 1, 2, 3]


def test_details_for_the_standalone_page(mini: Any) -> None:
    details = page_payload(mini, with_details=True)["places"][0]["details"]
    assert details[0]["when"] == "1880-11-07 – 1890"
    assert details[0]["excerpts"] == [{"source": "Mini life", "text": "He was born in Alphaville in 1880."}]
