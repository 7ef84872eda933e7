from __future__ import annotations

import datetime as dt
from typing import Any

from app.page.data import page_payload
from geodata.dates import day_number
from geodata.queries import day_bounds, journey, year_bounds


def day(text: str) -> int:
    return day_number(dt.date.fromisoformat(text))


def test_the_journey_goes_to_the_page_with_its_days(bundled: Any) -> None:
    payload = page_payload(bundled)
    assert payload["bounds"] == list(year_bounds(bundled))
    assert payload["dayBounds"] == list(day_bounds(bundled)) == [day("1879-01-01"), day("1940-12-31")]
    legs = journey(bundled)
    assert payload["journeyStarts"] == [leg.first for leg in legs] == sorted(payload["journeyStarts"])
    assert payload["journeyEnds"] == [leg.last for leg in legs]
    # a stay's days are the ones the journey leaves it: the burial, after the death, not before it
    house = payload["ids"].index("avenida-viena")
    low, high = payload["stayOffsets"][house : house + 2]
    days = payload["stayDays"][low:high]
    burial = [
        days[k] for k in range(0, len(days), 2) if days[k + 1] == day("1940-12-31") and days[k] > day("1940-06-01")
    ]
    assert burial == [day("1940-08-21")]


def test_payload_is_data_in_columns(mini: Any) -> None:
    payload = page_payload(mini)
    assert payload["ids"] == ["alphaville", "betatown", "gammaburg", "delta"]
    assert payload["names"][3] == "Delta <region>"
    assert payload["lat"][3] == 60.0 and payload["lon"][3] == 100.0
    assert payload["area"] == [0, 0, 0, 1]
    assert payload["stayOffsets"] == [0, 2, 4, 6, 8]
    assert payload["stayDays"] == [
        day(first) for first in ("1880-11-07", "1890-12-31", "1890-01-01", "1895-12-31", "1896-01-01", "1900-12-31")
    ] + [day("1899-01-01"), day("1899-12-31")]
    assert payload["datedNames"] == {"0": [["Old Alpha", None, 1885], ["Alphaville", 1885, None]]}
    assert "details" not in payload
    assert payload["journey"] == [0, 1, 2, 3]


def test_details_for_the_standalone_page(mini: Any) -> None:
    details = page_payload(mini, with_details=True)["details"][0]
    # the panel's own HTML (one formatter for both): dates, kind label, credit, names highlighted
    (stay,) = details["stays"]
    assert '<p class="stay">7 Nov 1880 – 1890 · birth</p>' in stay
    assert '<span class="src">— Tester, ‘Mini life’</span>' in stay
    assert "background-color:#ffe08a" in stay  # "Alphaville" marked in the quote
