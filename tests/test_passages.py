"""The passages of the texts: excerpts linked to their stays, mentions of any of a place's names,
never a place the person did not go to; each quote shown once, credited to every source."""

from __future__ import annotations

import itertools
import json
from pathlib import Path
from typing import Any

from geodata.loader import load_dataset
from geodata.model import Excerpt
from geodata.passages import credit, merged_quotes, passages, quote_credit, quote_key
from tests.datasets import SOURCE_TEXT, make_document, write_dataset


def test_every_excerpt_is_a_passage_at_its_offset_linked_to_its_stay(bundled: Any) -> None:
    found = passages(bundled)
    for item in found.items:
        assert bundled.sources[item.source].text[item.start : item.end] == item.text
    # a quote cited by two stays of one place is one passage, linked to the first of them
    first_stay: dict[tuple[str, str, int], int] = {}
    for place in bundled.places:
        for index, stay in enumerate(place.stays):
            for excerpt in stay.excerpts:
                first_stay.setdefault((place.id, excerpt.source, excerpt.offset), index)
    excerpts = {(item.place, item.source, item.start): item.stay for item in found.items if item.crossing is None}
    assert {key: stay for key, stay in excerpts.items() if key in first_stay} == first_stay
    vienna = [found.items[index] for index in found.excerpts_of("vienna")]
    assert vienna and all(item.kind == "excerpt" and item.place == "vienna" for item in vienna)


def test_mentions_use_every_name_and_never_a_place_he_did_not_go_to(bundled: Any) -> None:
    found = passages(bundled)
    mentions = [item for item in found.items if item.kind == "mention"]
    texts = {(item.text, item.place) for item in mentions}
    assert ("Petrograd", "saint-petersburg") in texts  # a name over time
    assert ("Bereslavka", "yanovka") in texts  # an alias the text uses
    assert ("Avenida Viena", "avenida-viena") in texts or ("Leon Trotsky Museum", "avenida-viena") in texts
    names = {item.text for item in mentions}
    assert not names & {"Istanbul", "Nova Scotia", "Kronstadt", "Mexican", "Siberian"}
    # a mention never sits inside a quote, and every mention is a word of its own
    for item in mentions:
        text = bundled.sources[item.source].text
        assert not text[item.start - 1 : item.start].isalnum() and not text[item.end : item.end + 1].isalnum()
        assert found.at(item.source, item.start) is not None
        assert found.items[found.at(item.source, item.start) or 0].kind == "mention"
    assert all(item.stay is None for item in mentions)


def test_names_over_time_variants_and_distractors_in_a_small_text(tmp_path: Path) -> None:
    document = make_document()
    document["places"][0]["aliases"] = ["Alfa Town"]
    path = write_dataset(tmp_path, document)
    extra = " Old Alpha and Alfa Town were one. Alphavilleans are not a place. Nowhere City neither."
    (tmp_path / "mini.txt").write_text(SOURCE_TEXT + extra, encoding="utf-8")
    dataset = load_dataset(path)
    mentions = [item for item in passages(dataset).items if item.kind == "mention"]
    tail = [item for item in mentions if item.start >= len(SOURCE_TEXT)]
    assert [(item.text, item.place) for item in tail] == [("Old Alpha", "alphaville"), ("Alfa Town", "alphaville")]


def test_overlapping_quotes_are_painted_as_segments_that_never_overlap(bundled: Any) -> None:
    found = passages(bundled)
    for source_id, segments in found.segments.items():
        for left, right in itertools.pairwise(segments):
            assert left.end <= right.start, source_id
        for segment in segments:
            item = found.items[segment.passage]
            assert item.start <= segment.start < segment.end <= item.end


def _excerpt(text: str, source: str = "wiki") -> Excerpt:
    return Excerpt(source, 0, text)


def test_copies_that_differ_in_spaces_or_punctuation_are_one_quote() -> None:
    quotes = merged_quotes(
        [
            _excerpt("He left New York on 27 March, but his ship, the SS Kristianiafjord, was stopped."),
            _excerpt("He left New York on 27 March, but his ship, the 'SS Kristianiafjord', was stopped.", "crawford"),
            _excerpt("He left\xa0New York on 27 March but his ship the SS Kristianiafjord was stopped.", "crawford"),
            _excerpt("He left New York on 28 March, but his ship was stopped.", "crawford"),
        ]
    )
    assert [quote.sources for quote in quotes] == [("wiki", "crawford"), ("crawford",)]
    assert quotes[0].text.startswith("He left New York on 27 March, but his ship, the SS")
    assert quote_key("A, b.") == quote_key("a b") != quote_key("a c")


def test_credits_name_the_author_and_the_work(bundled: Any) -> None:
    assert credit(bundled.sources["wiki"]) == "Wikipedia, ‘Leon Trotsky’"
    assert credit(bundled.sources["crawford"]) == "Crawford, ‘Trotsky - Power and Beyond’"
    petrograd = bundled.place("saint-petersburg")
    shown = [quote for stay in petrograd.stays for quote in merged_quotes(stay.excerpts)]
    both = [quote for quote in shown if len(quote.sources) == 2]
    assert both and quote_credit(bundled, both[0]) == (
        "Wikipedia, ‘Leon Trotsky’; also in Crawford, ‘Trotsky - Power and Beyond’"
    )
    for stay in petrograd.stays:  # each quote once per stay
        keys = [quote_key(quote.text) for quote in merged_quotes(stay.excerpts)]
        assert len(keys) == len(set(keys))


def test_the_passages_command_lists_them_as_json(bundled: Any, capsys: Any) -> None:
    from geodata.tools.cli import main

    assert main(["passages", "--json"]) == 0
    out = json.loads(capsys.readouterr().out)
    assert {source["id"] for source in out["sources"]} == {"wiki", "crawford"}
    wiki = next(source for source in out["sources"] if source["id"] == "wiki")
    assert wiki["file"] == "000_8ecd0a7f1ec61994.txt" and wiki["length"] == len(bundled.sources["wiki"].text)
    texts = {source.id: source.text for source in bundled.sources.values()}
    kinds = {"excerpt": 0, "mention": 0}
    for item in out["passages"]:
        assert set(item) >= {"source", "start", "end", "text", "kind", "place", "stay"}
        assert texts[item["source"]][item["start"] : item["end"]] == item["text"]
        kinds[item["kind"]] += 1
        assert (item["stay"] is None) == (item["kind"] == "mention" or item.get("crossing") is not None)
    assert kinds["excerpt"] > 200 and kinds["mention"] > 100
