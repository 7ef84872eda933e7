"""Places found by any name: ids, names over time, bracketed variants and aliases, without case or
accents; an unknown name gets the closest places."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from geodata.loader import load_dataset
from geodata.names import closest_places, find_place, fold, search_names, text_names, unknown_place_message
from tests.datasets import make_document, write_dataset
from tests.datasets import place_id as place_id_of


def test_fold_drops_case_accents_and_extra_spaces() -> None:
    assert fold("  Büyükada ") == "buyukada"
    assert fold("COYOACÁN") == "coyoacan"
    assert fold("New   York") == "new york"


def test_a_place_is_found_by_its_id_any_name_and_its_aliases(tmp_path: Path) -> None:
    document = make_document()
    document["places"][0]["aliases"] = ["Alfa", "Ålphaburg"]
    dataset = load_dataset(write_dataset(tmp_path, document))
    alpha = dataset.place("alphaville")
    assert alpha is not None and alpha.aliases == ("Alfa", "Ålphaburg")
    for text in ("alphaville", "Alphaville", "old alpha", "ALFA", "alphaburg"):
        assert find_place(dataset, text) is alpha, text
    assert find_place(dataset, "Gammaville") is None
    assert find_place(dataset, "") is None


def test_bracketed_names_give_both_spellings(bundled: Any) -> None:
    yanovka = bundled.place("yanovka")
    assert yanovka is not None
    assert {"Yanovka", "Yanivka"} <= set(text_names(yanovka))
    for text, place_id in (("yanivka", "yanovka"), ("Petrograd", "saint-petersburg"), ("buyukada", "buyukada")):
        assert place_id_of(find_place(bundled, text)) == place_id, text
    # the modern name finds the place, but is not a name the texts call it by
    institute = bundled.place("technological-institute")
    modern = "Saint Petersburg State Institute of Technology"
    assert modern in search_names(institute) and modern not in text_names(institute)


def test_an_unknown_name_is_answered_with_the_closest_places(bundled: Any) -> None:
    assert [place.id for place in closest_places(bundled, "Viena")][:1] == ["vienna"]
    assert "the-bronx" in [place.id for place in closest_places(bundled, "vyse")]
    message = unknown_place_message(bundled, "Viena")
    assert message.startswith("no place 'Viena' in trotsky.json") and "Vienna (vienna)" in message
