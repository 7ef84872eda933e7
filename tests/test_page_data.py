from __future__ import annotations

from typing import Any

from app.page.data import page_payload
from geodata.queries import current_place, journey_until, year_bounds
from tests.datasets import place_id


def test_precomputed_answers_agree_with_the_queries(bundled: Any) -> None:
    payload = page_payload(bundled)
    first, last = year_bounds(bundled)
    assert payload["bounds"] == [first, last]
    for year in range(first, last + 1):
        expected = current_place(bundled, year)
        index = payload["current"][str(year)]
        assert payload["ids"][index] == place_id(expected), year
        assert payload["pathLength"][str(year)] == len(journey_until(bundled, year))


def test_payload_is_data_in_columns(mini: Any) -> None:
    payload = page_payload(mini)
    assert payload["ids"] == ["alphaville", "betatown", "gammaburg", "delta"]
    assert payload["names"][3] == "Delta <region>"
    assert payload["lat"][3] == 60.0 and payload["lon"][3] == 100.0
    assert payload["area"] == [0, 0, 0, 1]
    assert payload["stayOffsets"] == [0, 2, 4, 6, 8]
    assert payload["stayYears"] == [1880, 1890, 1890, 1895, 1896, 1900, 1899, 1899]
    assert payload["datedNames"] == {"0": [["Old Alpha", None, 1885], ["Alphaville", 1885, None]]}
    assert "details" not in payload
    assert payload["journey"] == [0, 1, 2, 3]


def test_details_for_the_standalone_page(mini: Any) -> None:
    details = page_payload(mini, with_details=True)["details"][0]
    # the panel's own HTML (one formatter for both): dates, kind label, credit, names highlighted
    (stay,) = details["stays"]
    assert '<p class="stay">7 Nov 1880 – 1890 · birth</p>' in stay
    assert '<span class="src">— Mini life, Tester</span>' in stay
    assert "background-color:#ffe08a" in stay  # "Alphaville" marked in the quote
