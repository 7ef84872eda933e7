"""The journey's order where the dates cannot tell it (``after``), chapters, and the date queries
that answer ``geodata where``: format version 3."""

from __future__ import annotations

import copy
import json
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest

from geodata.dates import day_number, parse_partial_date
from geodata.loader import load_dataset
from geodata.queries import chapter_on, current_on, journey, where_on
from tests.datasets import SOURCE_TEXT, make_document, write_dataset
from tests.test_validation import problems_for


def day(text: str) -> int:
    return day_number(parse_partial_date(text).first_day())


def excerpt(text: str) -> dict[str, Any]:
    return {"source": "mini", "offset": SOURCE_TEXT.index(text), "text": text}


def version3(**changes: Any) -> dict[str, Any]:
    """The mini dataset as version 3, where Gammaburg and Delta begin in the same year (1899)."""
    document = copy.deepcopy(make_document(version=3, person={"name": "Tester", "born": "1880-11-07"}))
    document["places"][2]["stays"][0]["start"] = "1899"
    document.update(changes)
    return document


def order(dataset: Any, year: int) -> list[str]:
    return [leg.place.id for leg in journey(dataset) if leg.stay.start.year == year]


# -- the bundled life ---------------------------------------------------------------------------


def test_1905_goes_by_way_of_kiev(bundled: Any) -> None:
    assert order(bundled, 1905)[:3] == ["kiev", "saint-petersburg", "finland"]


def test_1917_is_new_york_the_bronx_halifax_amherst_petrograd(bundled: Any) -> None:
    assert order(bundled, 1917)[:5] == ["new-york", "the-bronx", "halifax", "amherst", "saint-petersburg"]


def test_the_burial_comes_after_the_death(bundled: Any) -> None:
    legs = [leg for leg in journey(bundled) if leg.stay.kind in ("death", "burial")]
    assert [leg.stay.kind for leg in legs] == ["death", "burial"]
    burial = legs[1]
    # "1940", after the death of 20–21 August: it cannot cover the spring
    assert not burial.contains(day("1940-03-01")) and burial.contains(day("1940-08-21"))


def test_where_on_a_day_is_the_most_specific_stay(bundled: Any) -> None:
    # Halifax is the interception (27–31 March), Amherst the month's internment after it
    assert [leg.place.id for leg in where_on(bundled, day("1917-03-29"))] == ["halifax", "amherst"]
    assert [leg.place.id for leg in where_on(bundled, day("1917-04-15"))] == ["amherst"]
    assert current_on(bundled, day("1917-04-15")).id == "amherst"  # type: ignore[union-attr]
    assert current_on(bundled, day("1917-10-25")).id == "saint-petersburg"  # type: ignore[union-attr]
    assert current_on(bundled, day("1879-11-07")).id == "yanovka"  # type: ignore[union-attr]
    assert current_on(bundled, day("1879-01-01")) is None  # before the first stay


def test_a_day_between_stays_keeps_the_last_place(mini: Any) -> None:
    # the mini life: Betatown 1890–1895, then nothing until Gammaburg 1896
    assert where_on(mini, day("1895-12-31"))[0].place.id == "betatown"
    assert current_on(mini, day("1895-12-31")).id == "betatown"  # type: ignore[union-attr]


def test_the_bundled_chapters_are_the_texts_headings(bundled: Any) -> None:
    assert len(bundled.chapters) >= 15
    for chapter in bundled.chapters:
        text = bundled.sources[chapter.source].text
        assert text[chapter.offset : chapter.offset + len(chapter.title)] == chapter.title
    assert chapter_on(bundled, day("1929-02-15")).title == "Exile (1929–1940)"  # type: ignore[union-attr]
    assert chapter_on(bundled, day("1905-10-15")).title.startswith("1905 revolution")  # type: ignore[union-attr]
    # the headings share their boundary years; the texts date the hand-overs (evidence)
    assert chapter_on(bundled, day("1917-04-15")).title == "World War I (1914–1917)"  # type: ignore[union-attr]
    assert chapter_on(bundled, day("1917-11-08")).title.startswith("Commissar")  # type: ignore[union-attr]
    for chapter in bundled.chapters:
        for quote in chapter.evidence:
            text = bundled.sources[quote.source].text
            assert text[quote.offset : quote.offset + len(quote.text)] == quote.text


# -- after ------------------------------------------------------------------------------------


def test_after_orders_two_stays_of_the_same_year(tmp_path: Path) -> None:
    document = version3()
    path = write_dataset(tmp_path, document)
    assert order(load_dataset(path), 1899) == ["delta", "gammaburg"]  # Delta is shorter: it sorts first
    document["places"][3]["stays"][0]["after"] = {
        "place": "gammaburg",
        "start": "1899",
        "excerpt": excerpt("The <b>Delta</b> region saw him in 1899."),
    }
    path = write_dataset(tmp_path, document)
    assert order(load_dataset(path), 1899) == ["gammaburg", "delta"]


def with_after(ref: dict[str, Any], version: int = 3) -> dict[str, Any]:
    document = version3(version=version)
    document["places"][3]["stays"][0]["after"] = {"excerpt": excerpt("Later he lived in Gammaburg until 1900."), **ref}
    return document


@pytest.mark.parametrize(
    ("document", "expected"),
    [
        (with_after({"place": "gammaburg", "start": "1898"}), "places[3].stays[0].after: no stay at 'gammaburg'"),
        (with_after({"place": "nowhere", "start": "1899"}), "places[3].stays[0].after: no stay at 'nowhere'"),
        (with_after({"place": "delta", "start": "1899"}), "places[3].stays[0].after: a stay cannot come after itself"),
        (
            with_after({"place": "gammaburg", "start": "1899"}, version=2),
            "places[3].stays[0].after: 'after' needs format version 3",
        ),
        (with_after({"place": "gammaburg"}), "places[3].stays[0].after.start: missing required field"),
        (with_after({"place": "gammaburg", "start": "1899", "kind": "nap"}), "after.kind: 'nap' is not one of"),
        (
            with_after({"place": "gammaburg", "start": "1899", "kind": "exile"}),
            "places[3].stays[0].after: no stay at 'gammaburg' starts 1899 as exile",
        ),
    ],
)
def test_a_bad_after_names_the_field(tmp_path: Path, document: dict[str, Any], expected: str) -> None:
    problems = problems_for(tmp_path, document)
    assert any(expected in problem for problem in problems), problems


def test_an_after_that_loops_is_refused(tmp_path: Path) -> None:
    document = with_after({"place": "gammaburg", "start": "1899"})
    document["places"][2]["stays"][0]["after"] = {
        "place": "delta",
        "start": "1899",
        "excerpt": excerpt("The <b>Delta</b> region saw him in 1899."),
    }
    problems = problems_for(tmp_path, document)
    assert "places[2].stays[0].after: the 'after' chain comes back to this stay" in problems


def test_an_after_whose_quote_is_not_in_the_text_is_refused(tmp_path: Path) -> None:
    document = with_after({"place": "gammaburg", "start": "1899"})
    document["places"][3]["stays"][0]["after"]["excerpt"]["text"] = "He never went there."
    problems = problems_for(tmp_path, document)
    assert any(problem.startswith("places[3].stays[0].after.excerpt.text: not found verbatim") for problem in problems)


def test_two_stays_of_a_place_on_one_date_need_the_kind(tmp_path: Path) -> None:
    document = with_after({"place": "gammaburg", "start": "1899"})
    gamma = document["places"][2]["stays"]
    gamma.append({**gamma[0], "kind": "exile", "end": "1899"})
    problems = problems_for(tmp_path, document)
    assert any("places[3].stays[0].after.kind: 2 stays at 'gammaburg' start 1899" in problem for problem in problems)
    document["places"][3]["stays"][0]["after"]["kind"] = "exile"
    assert [leg.place.id for leg in journey(load_dataset(write_dataset(tmp_path, document)))][-2:] == [
        "gammaburg",
        "delta",
    ]


# -- chapters ---------------------------------------------------------------------------------


def heading(title: str = "In 1890 he moved to Betatown", **changes: Any) -> dict[str, Any]:
    chapter = {"title": title, "start": "1890", "end": "1895", "source": "mini", "offset": SOURCE_TEXT.find(title)}
    chapter.update(changes)
    return chapter


def editorial(**changes: Any) -> dict[str, Any]:
    chapter: dict[str, Any] = {
        "title": "Childhood",
        "start": "1880",
        "end": "1890",
        "editorial": True,
        "excerpt": excerpt("He was born in Alphaville in 1880."),
    }
    chapter.update(changes)
    return chapter


def test_chapters_load_as_headings_or_editorial(tmp_path: Path) -> None:
    path = write_dataset(tmp_path, version3(chapters=[editorial(), heading()]))
    dataset = load_dataset(path)
    assert [chapter.title for chapter in dataset.chapters] == ["Childhood", "In 1890 he moved to Betatown"]
    assert dataset.chapters[0].editorial and dataset.chapters[0].excerpt is not None
    assert dataset.chapters[1].source == "mini" and not dataset.chapters[1].editorial
    # 1890 is in both: the chapter that began last is the date's
    assert chapter_on(dataset, day("1890-06-01")).title == "In 1890 he moved to Betatown"  # type: ignore[union-attr]
    assert chapter_on(dataset, day("1897-01-01")) is None


@pytest.mark.parametrize(
    ("chapter", "expected"),
    [
        (heading(offset=3), "chapters[0].title: not found verbatim in 'mini' at offset 3; it is at offset"),
        (
            heading(title="Childhood", offset=0),
            "chapters[0].title: not found verbatim in 'mini' at offset 0; it is nowhere",
        ),
        (heading(source="elsewhere"), "chapters[0].source: unknown source 'elsewhere'"),
        (heading(end="1889"), "chapters[0].end: 1889 is before the start 1890"),
        (heading(offset=-1), "chapters[0].offset: expected a character offset"),
        ({"title": "X", "start": "1890", "end": "1891"}, "chapters[0].source: a chapter is a source's heading"),
        (editorial(excerpt=None) | {"excerpt": None}, "chapters[0].excerpt: expected an object"),
        ({k: v for k, v in editorial().items() if k != "excerpt"}, "chapters[0].excerpt: an editorial chapter needs"),
        (editorial(source="mini"), "chapters[0].source: an editorial chapter is in our words"),
        (editorial(editorial="yes"), "chapters[0].editorial: expected true or false"),
        (heading(colour="red"), "chapters[0].colour: unknown field"),
        (
            heading(evidence=[{"source": "mini", "offset": 0, "text": "Nothing of the kind"}]),
            "chapters[0].evidence[0].text: not found verbatim",
        ),
    ],
)
def test_a_bad_chapter_names_the_field(tmp_path: Path, chapter: dict[str, Any], expected: str) -> None:
    problems = problems_for(tmp_path, version3(chapters=[chapter]))
    assert any(expected in problem for problem in problems), problems


def test_chapters_need_version_3(tmp_path: Path) -> None:
    document = version3(version=2, chapters=[heading()])
    assert any(problem.startswith("chapters: unknown field") for problem in problems_for(tmp_path, document))


# -- geodata where ----------------------------------------------------------------------------


def where(*args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "geodata", "where", *args], capture_output=True, text=True, encoding="utf-8", check=False
    )


def test_where_answers_in_json_most_specific_first() -> None:
    done = where("1917-04-15", "--json")
    assert done.returncode == 0, done.stderr
    answer = json.loads(done.stdout)
    assert answer["date"] == "1917-04-15"
    assert set(answer["chapter"]) == {"title", "start", "end"}
    first = answer["places"][0]
    assert [place["id"] for place in answer["places"]] == ["amherst"]
    assert set(first) >= {"id", "name", "name_then", "modern_name", "granularity", "lat", "lon", "stay"}
    assert first["stay"] == {"start": "1917-03", "end": "1917-04-29", "kind": "detention", "certainty": "stated"}


def test_where_takes_a_month_or_a_year_and_may_find_nothing() -> None:
    month = json.loads(where("1905-10", "--json").stdout)
    assert [place["id"] for place in month["places"]][:2] == ["technological-institute", "saint-petersburg"]
    empty = where("1878", "--json")
    assert empty.returncode == 0 and json.loads(empty.stdout)["places"] == []
    assert "Saint Petersburg" in where("1905-10").stdout


@pytest.mark.parametrize("bad", ["1917-02-30", "1917-13", "Oct 1917", "17", ""])
def test_where_refuses_a_bad_date_as_a_usage_error(bad: str) -> None:
    done = where(bad)
    assert done.returncode == 2 and "DATE" in done.stderr and "Traceback" not in done.stderr


def test_where_names_a_broken_dataset(tmp_path: Path) -> None:
    broken = tmp_path / "broken.json"
    broken.write_text("{", encoding="utf-8")
    done = where("1917", "--dataset", str(broken))
    assert done.returncode == 1 and str(broken) in done.stderr and "Traceback" not in done.stderr


def test_a_chain_of_afters_that_leaves_a_stay_no_day_is_refused(tmp_path: Path) -> None:
    """A after B after C: B's "1899" begins on C's 21 August, so A (January–March 1899) cannot come
    after it, though each link on its own looks possible."""
    document = version3()
    document["places"][2]["stays"][0]["start"] = "1899-08-21"
    document["places"][3]["stays"][0]["after"] = {
        "place": "gammaburg",
        "start": "1899-08-21",
        "excerpt": excerpt("Later he lived in Gammaburg until 1900."),
    }
    betatown = document["places"][1]["stays"]
    betatown.append(
        {
            **betatown[0],
            "start": "1899-01",
            "end": "1899-03",
            "after": {
                "place": "delta",
                "start": "1899",
                "excerpt": excerpt("The <b>Delta</b> region saw him in 1899."),
            },
        }
    )
    problems = problems_for(tmp_path, document)
    assert any(
        problem.startswith("places[1].stays[1].after: the stays it comes after begin on 21 August 1899")
        for problem in problems
    ), problems


def test_a_long_chain_of_afters_is_ordered_without_recursion(tmp_path: Path) -> None:
    """1,500 stays, each after the next one in the file: resolved in one walk (a recursive walk
    ran out of stack), and validated in linear time."""
    import datetime as dt

    document = version3()
    template = document["places"][1]["stays"][0]
    first = dt.date(1900, 1, 1)
    days = [(first + dt.timedelta(days=index)).isoformat() for index in range(1500)]
    stays = []
    for index, start in enumerate(days):
        stay = {**template, "start": start, "end": "1905"}
        if index + 1 < len(days):
            stay["after"] = {"place": "betatown", "start": days[index + 1], "excerpt": template["excerpts"][0]}
        stays.append(stay)
    document["places"][1]["stays"] = stays
    dataset = load_dataset(write_dataset(tmp_path, document))
    legs = [leg for leg in journey(dataset) if leg.place.id == "betatown"]
    # every stay is said to follow the one after it in the file: the file's order is reversed
    assert [str(leg.stay.start) for leg in legs] == list(reversed(days))
