"""Time on the move (format version 3's ``crossings``): the sea voyages and the train journey between
two places, checked like stays and answered by the date queries."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest

from geodata.loader import load_dataset
from geodata.queries import crossing_on, current_on, where_on
from tests.test_order_and_chapters import day, excerpt, version3, where
from tests.test_validation import problems_for


def crossing(**changes: Any) -> dict[str, Any]:
    """Gammaburg to Delta by sea in 1899 (the mini dataset's last two places)."""
    item: dict[str, Any] = {
        "from": "gammaburg",
        "to": "delta",
        "start": "1899-03",
        "end": "1899-04",
        "mode": "sea",
        "certainty": "stated",
        "summary": "By ship to Delta.",
        "excerpts": [excerpt("The <b>Delta</b> region saw him in 1899.")],
    }
    item.update(changes)
    return item


# -- the bundled life ---------------------------------------------------------------------------


def test_between_spain_and_new_york_he_is_at_sea(bundled: Any) -> None:
    atlantic = crossing_on(bundled, day("1916-12-30"))
    assert atlantic is not None
    assert (atlantic.from_id, atlantic.to_id, atlantic.mode) == ("spain", "new-york", "sea")
    assert (str(atlantic.start), str(atlantic.end)) == ("1916-12-25", "1917-01-13")
    # at neither end: no stay covers the day, and the current place is none (not Spain)
    assert where_on(bundled, day("1916-12-30")) == ()
    assert current_on(bundled, day("1916-12-30")) is None
    # the day he lands, New York is where he is
    assert current_on(bundled, day("1917-01-13")).id in {"new-york", "the-bronx"}  # type: ignore[union-attr]


def test_the_bundled_crossings_are_the_texts_voyages(bundled: Any) -> None:
    assert [(c.from_id, c.to_id, c.mode, c.vessel) for c in bundled.crossings] == [
        ("spain", "new-york", "sea", ""),
        ("new-york", "halifax", "sea", "SS Kristianiafjord"),
        ("amherst", "saint-petersburg", "unstated", ""),
        ("brest-litovsk", "saint-petersburg", "unstated", ""),
        ("moscow", "caucasus", "unstated", ""),
        ("hurum", "tampico", "sea", "a freighter"),
        ("tampico", "mexico-city", "rail", "a special train arranged by President Cárdenas"),
    ]
    # Tampico and Mexico City are a passage of days in January 1937, not the whole year
    assert {str(leg.stay.start) for leg in where_on(bundled, day("1937-01-15")) if leg.place.id == "tampico"} == {
        "1937-01"
    }
    assert not any(leg.place.id == "tampico" for leg in where_on(bundled, day("1937-06-01")))


def test_where_lists_the_crossing_of_the_date() -> None:
    done = where("1916-12-30", "--json")
    assert done.returncode == 0, done.stderr
    answer = json.loads(done.stdout)
    assert answer["places"] == []
    (atlantic,) = answer["crossings"]
    assert atlantic["from"] == {"id": "spain", "name_then": "Spain"}
    assert atlantic["to"]["id"] == "new-york"
    assert set(atlantic) == {"from", "to", "mode", "vessel", "start", "end", "certainty", "summary"}
    text = where("1916-12-30").stdout
    assert "at sea: Spain → New York City, 1916-12-25 – 1917-01-13 (stated)" in text
    assert json.loads(where("1920", "--json").stdout)["crossings"] == []


# -- the format ---------------------------------------------------------------------------------


def test_a_crossing_loads_and_covers_its_days(tmp_path: Path) -> None:
    from tests.datasets import write_dataset

    dataset = load_dataset(write_dataset(tmp_path, version3(crossings=[crossing()])))
    (loaded,) = dataset.crossings
    assert loaded.contains(day("1899-04-30")) and not loaded.contains(day("1899-05-01"))
    assert crossing_on(dataset, day("1899-03-15")) is loaded


@pytest.mark.parametrize(
    ("item", "expected"),
    [
        (crossing(to="nowhere"), "crossings[0].to: no place has the id 'nowhere'"),
        (crossing(to="gammaburg"), "crossings[0].to: a crossing goes from one place to another"),
        (crossing(end="1899-01"), "crossings[0].end: 1899-01 is before the start 1899-03"),
        (crossing(mode="balloon"), "crossings[0].mode: 'balloon' is not one of: sea, rail, road, unstated"),
        (crossing(certainty="inferred"), "crossings[0].note: an inferred crossing needs a note"),
        (crossing(excerpts=[]), "crossings[0].excerpts: must not be empty"),
        (crossing(ship="Aurora"), "crossings[0].ship: unknown field"),
        (
            crossing(excerpts=[{"source": "mini", "offset": 0, "text": "He swam."}]),
            "crossings[0].excerpts[0].text: not found verbatim",
        ),
        ({k: v for k, v in crossing().items() if k != "from"}, "crossings[0].from: missing required field"),
    ],
)
def test_a_bad_crossing_names_the_field(tmp_path: Path, item: dict[str, Any], expected: str) -> None:
    problems = problems_for(tmp_path, version3(crossings=[item]))
    assert any(expected in problem for problem in problems), problems


def test_crossings_need_version_3(tmp_path: Path) -> None:
    problems = problems_for(tmp_path, version3(version=2, crossings=[crossing()]))
    assert any(problem.startswith("crossings: unknown field") for problem in problems), problems
