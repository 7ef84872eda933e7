"""Search without Qt: places by any name (old names, bracketed variants, aliases, no accents), in
rank order, then phrases of the texts at offsets that point at the phrase in the source."""

from __future__ import annotations

from pathlib import Path

import pytest

from geodata.loader import load_dataset
from geodata.model import Dataset
from geodata.names import fold
from geodata.search import TEXT_HIT_LIMIT, SearchHit, fold_text, search, snippet_around
from tests.datasets import make_document, write_dataset


def place_ids(hits: list[SearchHit]) -> list[str | None]:
    return [hit.place_id for hit in hits if hit.kind == "place"]


def text_hits(hits: list[SearchHit]) -> list[SearchHit]:
    return [hit for hit in hits if hit.kind == "text"]


def assert_points_at(dataset: Dataset, hit: SearchHit, query: str) -> None:
    """The hit's offset and length cut the phrase itself out of the source."""
    assert hit.source_id is not None and hit.offset is not None
    found = dataset.sources[hit.source_id].text[hit.offset : hit.offset + hit.length]
    assert fold(found) == fold(query), (hit, found)


@pytest.mark.parametrize(
    ("query", "place_id", "snippet"),
    [
        ("Petrograd", "saint-petersburg", "also Petrograd"),
        ("leningrad", "saint-petersburg", "also Leningrad"),
        ("Yanivka", "yanovka", "also Yanivka"),
        ("prinkipo", "buyukada", "also Prinkipo"),
        ("buyukada", "buyukada", ""),
        ("COYOACAN", "coyoacan", ""),
    ],
)
def test_a_place_is_found_first_by_any_of_its_names(bundled: Dataset, query: str, place_id: str, snippet: str) -> None:
    first = search(bundled, query)[0]
    assert (first.kind, first.place_id, first.snippet) == ("place", place_id, snippet)
    place = bundled.place(place_id)
    assert place is not None and first.title == place.name


def test_a_place_hit_carries_its_stays_span_and_its_first_day(bundled: Dataset) -> None:
    hit = search(bundled, "Büyükada")[0]
    assert hit.dates == "Feb 1929 – 1933"
    assert hit.day == min(stay.days[0] for stay in bundled.place("buyukada").stays)  # type: ignore[union-attr]
    assert hit.source_id is None and hit.offset is None


def test_an_exact_name_comes_before_a_beginning_before_a_part(bundled: Dataset) -> None:
    ids = place_ids(search(bundled, "moscow"))
    assert ids[:2] == ["moscow", "moscow-prison"]  # exact, then the beginning of a name
    ids = place_ids(search(bundled, "paris"))
    assert ids[0] == "paris"
    # "odessa" is a whole name, "Odessa prison" begins with it
    assert place_ids(search(bundled, "odessa"))[:2] == ["odessa", "odessa-prison"]


def test_an_alias_a_modern_name_and_an_id_find_their_place_and_say_so(tmp_path: Path) -> None:
    document = make_document()
    document["places"][1]["aliases"] = ["Bêta City"]
    document["places"][2]["modern_name"] = "Gammagrad"
    dataset = load_dataset(write_dataset(tmp_path, document))
    for query, place_id, snippet in (
        ("beta city", "betatown", "also Bêta City"),
        ("GAMMAGRAD", "gammaburg", "today Gammagrad"),
        ("delta", "delta", ""),  # the display name "Delta <region>" begins so: no need to say why
    ):
        hit = search(dataset, query)[0]
        assert (hit.place_id, hit.snippet) == (place_id, snippet), query


def test_a_phrase_is_found_in_both_texts_at_its_offset(bundled: Dataset) -> None:
    hits = text_hits(search(bundled, "vyse avenue"))
    assert {hit.source_id for hit in hits} == {"wiki", "crawford"}
    for hit in hits:
        assert_points_at(bundled, hit, "Vyse Avenue")
        # the passage is quoted for the Bronx stay: it says so, and where the date goes
        assert (hit.place_id, hit.title) == ("the-bronx", "1522 Vyse Avenue, The Bronx")
        assert hit.dates == "13 Jan 1917 – 27 Mar 1917" and hit.day is not None
        assert "Vyse Avenue" in hit.snippet and hit.snippet.startswith("…")


def test_a_phrase_of_one_text_only(bundled: Dataset) -> None:
    phrase = "first station in exile"
    hits = text_hits(search(bundled, phrase.upper()))
    sources = {hit.source_id for hit in hits}
    assert "crawford" in sources
    for hit in hits:
        assert_points_at(bundled, hit, phrase)


def test_offsets_stay_right_after_folding_changed_lengths(bundled: Dataset) -> None:
    """The wiki text has "№" (folded to two letters) before "Memorial", the Crawford text a
    combining accent (folded to nothing) before "Novy Mir": the offsets are the source's."""
    wiki = bundled.sources["wiki"].text
    assert "№" in wiki[: wiki.index('"Memorial"')]
    crawford = bundled.sources["crawford"].text
    assert "\u0301" in crawford[: crawford.index("Novy Mir")]
    for query, source in (("memorial", "wiki"), ("novy mir", "crawford")):
        hits = [hit for hit in text_hits(search(bundled, query)) if hit.source_id == source]
        assert hits, query
        for hit in hits:
            assert_points_at(bundled, hit, query)


def test_accents_case_and_line_breaks_do_not_matter_in_the_texts(bundled: Dataset) -> None:
    for hit in text_hits(search(bundled, "coyoacan")):
        assert_points_at(bundled, hit, "Coyoacán")
    folded = fold_text("Café\n  Noir №5")
    assert folded.text == "cafe noir no5"
    assert [folded.origin[folded.text.index(part)] for part in ("noir", "no5")] == [7, 12]
    assert len(folded.origin) == len(folded.text) + 1 and folded.origin[-1] == len("Café\n  Noir №5")


def test_a_passage_outside_every_quote_is_titled_by_its_source(bundled: Dataset) -> None:
    hits = text_hits(search(bundled, "Prinkipo to Coyoacán"))
    assert hits and all(hit.place_id is None and hit.day is None and hit.dates == "" for hit in hits)
    assert hits[0].title == bundled.sources[hits[0].source_id or ""].title


def test_the_text_hits_are_limited_and_take_turns(bundled: Dataset) -> None:
    hits = text_hits(search(bundled, "trotsky", limit=100))
    assert len(hits) == TEXT_HIT_LIMIT
    assert [hit.source_id for hit in hits[:2]] == ["wiki", "crawford"]
    assert len(search(bundled, "trotsky", limit=5)) == 5


def test_short_and_empty_queries(bundled: Dataset) -> None:
    assert search(bundled, "") == [] and search(bundled, "   \n") == []
    short = search(bundled, "ky")
    assert short and not text_hits(short)  # places only under three letters
    assert search(bundled, "zzzqqq") == []


def test_a_snippet_is_cut_at_spaces_with_ellipses() -> None:
    text = "word " * 40 + "NEEDLE" + " word" * 40
    start = text.index("NEEDLE")
    snippet = snippet_around(text, start, start + len("NEEDLE"))
    assert snippet.startswith("…word") and snippet.endswith("word…") and "NEEDLE" in snippet
    assert len(snippet) <= 90
    assert snippet_around("a NEEDLE b", 2, 8) == "a NEEDLE b"
