"""A place's names as a reader types or a text spells them: every name over time, the variants a
dated name gives in brackets ("Yanovka (Yanivka)"), the aliases the texts use, compared without
case or accents. ``--place``, search and the reader's mentions all find places through here, so a
name that works in one works in all.
"""

from __future__ import annotations

import difflib
import re
import unicodedata

from geodata.model import Dataset, Place

_BRACKETED = re.compile(r"^(.*?)\s*\(([^()]*)\)\s*$")
_SPACES = re.compile(r"\s+")


def fold(text: str) -> str:
    """``text`` for comparing names: without accents or case, spaces collapsed ("Büyükada" → "buyukada")."""
    decomposed = unicodedata.normalize("NFKD", text)
    bare = "".join(char for char in decomposed if not unicodedata.combining(char))
    return _SPACES.sub(" ", bare.casefold()).strip()


def _spellings(name: str) -> list[str]:
    """A name and, for "Yanovka (Yanivka)", each of its two spellings."""
    match = _BRACKETED.match(name)
    if not match:
        return [name]
    return [name, *(part.strip() for part in match.groups() if part.strip())]


def text_names(place: Place) -> tuple[str, ...]:
    """The names a text may call ``place`` by: its name, its names over time (with the bracketed
    variants apart) and its aliases; not its modern name, which the texts rarely use and which
    often names something larger ("Moscow (prison not named by the texts)")."""
    seen: dict[str, None] = {}
    for name in (place.name, *(dated.name for dated in place.names), *place.aliases):
        for spelling in _spellings(name):
            seen.setdefault(spelling, None)
    return tuple(seen)


def search_names(place: Place) -> tuple[str, ...]:
    """The names a user may look ``place`` up by: :func:`text_names`, then its modern name."""
    names = dict.fromkeys(text_names(place))
    if place.modern_name:
        for spelling in _spellings(place.modern_name):
            names.setdefault(spelling, None)
    return tuple(names)


def find_place(dataset: Dataset, text: str) -> Place | None:
    """The place whose id or any name is ``text`` (no case or accents); the first in file order
    when two share a name."""
    exact = dataset.place(text)
    if exact is not None:
        return exact
    wanted = fold(text)
    if not wanted:
        return None
    for place in dataset.places:
        if fold(place.id) == wanted or any(fold(name) == wanted for name in search_names(place)):
            return place
    return None


def closest_places(dataset: Dataset, text: str, count: int = 5) -> list[Place]:
    """The places whose id or a name is closest to ``text``, best first (for "did you mean")."""
    wanted = fold(text)
    keys: dict[str, Place] = {}
    for place in dataset.places:
        keys.setdefault(fold(place.id), place)
        for name in search_names(place):
            keys.setdefault(fold(name), place)
    found: list[Place] = []
    for key in difflib.get_close_matches(wanted, list(keys), n=count * 3, cutoff=0.5):
        if keys[key] not in found:
            found.append(keys[key])
    for key, place in keys.items():  # a part of a name: "vyse" → 1522 Vyse Avenue, The Bronx
        if wanted and wanted in key and place not in found:
            found.append(place)
    return found[:count]


def unknown_place_message(dataset: Dataset, text: str) -> str:
    """Why ``text`` names no place of ``dataset``, with the closest places (name and id)."""
    closest = closest_places(dataset, text)
    hint = "; closest: " + ", ".join(f"{place.name} ({place.id})" for place in closest) if closest else ""
    return f"no place {text!r} in {dataset.path.name} (an id or any of a place's names){hint}"
