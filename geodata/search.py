"""Search: the places whose names match what the user typed, then the passages of the texts that
contain it, as one ranked list of plain-text hits. Qt-free, so the search box only shows answers.

Places are matched on every name a user may know them by (:func:`geodata.names.search_names`: the
names over time, a bracketed variant, an alias, the modern name) and on the id, without case or
accents. The texts are matched on a *folded* copy made once per dataset (no case, no accents,
whitespace runs as one space) with a map from each folded character back to the code point it came
from: folding changes lengths ("№" becomes "No", a combining accent disappears, a line break and
the spaces around it become one space), so a folded offset is never an offset of the source.
"""

from __future__ import annotations

import bisect
import itertools
import re
import unicodedata
from dataclasses import dataclass, replace
from itertools import zip_longest
from typing import Literal

from geodata.model import Dataset, Excerpt, Place, Stay
from geodata.names import fold, search_names, text_names
from geodata.queries import _memo, legs_of
from geodata.wording import format_span

HitKind = Literal["place", "text"]

#: a query shorter than this (once folded) finds no passages: "of" is in every paragraph
MIN_TEXT_QUERY = 3
#: at most this many passages: the list is for jumping to a passage, not for reading them all
TEXT_HIT_LIMIT = 20
#: characters of context in a passage's snippet, split around the phrase found
SNIPPET_CONTEXT = 80
_SPACES = re.compile(r"\s+")
#: where a place without stays, or a display name that does not match, sorts: after the others
_NO_DAY = 10**9
_NO_RANK = 4
#: runs the folded copy can take over without a character-by-character look (plain ASCII words)
_ASCII_RUN = re.compile(r"[!-~]+")


@dataclass(frozen=True)
class SearchHit:
    """One answer, ready to show as plain text.

    ``kind`` is "place" (a name matched) or "text" (a phrase of a source). ``title`` is the place's
    name; for a passage the place whose quote contains it, else the source's title. ``dates`` are
    the place's stays from first to last, or the quoting stay's dates ("" when there are none).
    ``snippet`` says why it matched: the other name it matched ("also Prinkipo"), or the passage
    around the phrase with "…" where it is cut. ``source_id``, ``offset`` and ``length`` locate a
    passage in its source (code points; ``length`` can differ from the query's when folding
    changed lengths). ``day`` is where the date should go: the first day of the place's (or the
    quoting stay's) first stay, else None.
    """

    kind: HitKind
    place_id: str | None
    title: str
    dates: str
    snippet: str
    source_id: str | None = None
    offset: int | None = None
    length: int = 0
    day: int | None = None


def search(dataset: Dataset, query: str, limit: int = 30) -> list[SearchHit]:
    """The places matching ``query`` (an exact name, then a name's beginning, then a word's
    beginning, then any part of a name), then up to :data:`TEXT_HIT_LIMIT` passages of the texts
    containing it; at most ``limit`` in all. An empty or blank query finds nothing."""
    wanted = fold(query)
    if not wanted or limit <= 0:
        return []
    hits = _place_hits(dataset, wanted)[:limit]
    room = min(TEXT_HIT_LIMIT, limit - len(hits))
    if room > 0 and len(wanted) >= MIN_TEXT_QUERY:
        hits += _text_hits(dataset, wanted, room)
    return hits


# --- places -------------------------------------------------------------------------------------


def _place_keys(dataset: Dataset) -> tuple[tuple[Place, tuple[tuple[str, str], ...]], ...]:
    """Every place with its (folded, shown) names, display name first, folded once per dataset:
    the box searches on every keystroke. The shown name is how the snippet says why the place
    matched ("also Prinkipo", "today Almaty", "id kiev")."""

    def compute() -> tuple[tuple[Place, tuple[tuple[str, str], ...]], ...]:
        keyed = []
        for place in dataset.places:
            told = set(text_names(place))
            names: dict[str, str] = {}
            for name in search_names(place):
                names.setdefault(
                    fold(name), "" if name == place.name else ("also " if name in told else "today ") + name
                )
            names.setdefault(fold(place.id), f"id {place.id}")
            ordered = sorted(names.items(), key=lambda item: item[1] != "")
            keyed.append((place, tuple(ordered)))
        return tuple(keyed)

    return _memo(dataset, "search_place_keys", compute)


def _rank(key: str, wanted: str) -> int | None:
    """0 for the whole name, 1 for its beginning, 2 for a word's beginning, 3 for any part; None
    when ``wanted`` is not in ``key``."""
    if key == wanted:
        return 0
    if key.startswith(wanted):
        return 1
    position = key.find(wanted)
    if position < 0:
        return None
    return 2 if any(not key[at - 1].isalnum() for at in _occurrences(key, wanted, position)) else 3


def _occurrences(key: str, wanted: str, first: int) -> list[int]:
    found = []
    while first >= 0:
        found.append(first)
        first = key.find(wanted, first + 1)
    return found


def _place_hits(dataset: Dataset, wanted: str) -> list[SearchHit]:
    """Each matching place once, ranked by its best-matching name, then by how well its display
    name matches, then in the order he came there; it says which other name matched only when the
    display name does not."""
    ranked: list[tuple[tuple[int, int, int, str], SearchHit]] = []
    for place, names in _place_keys(dataset):
        best: tuple[int, str] | None = None
        for key, why in names:  # display name first: it wins a tie
            rank = _rank(key, wanted)
            if rank is not None and (best is None or rank < best[0]):
                best = (rank, why)
        if best is None:
            continue
        rank, why = best
        display = _rank(names[0][0], wanted)
        if display is not None:  # the display name matches too, if less well: no need to say why
            why = ""
        day = first_day(dataset, place)
        hit = SearchHit("place", place.id, place.name, place_span(place), why, day=day)
        order = (rank, _NO_RANK if display is None else display, _NO_DAY if day is None else day, fold(place.name))
        ranked.append((order, hit))
    ranked.sort(key=lambda item: item[0])
    return [hit for _key, hit in ranked]


def first_day(dataset: Dataset, place: Place) -> int | None:
    """The first day of the place's first stay (as the journey orders them), None without stays."""
    legs = legs_of(dataset, place)
    return min(leg.first for leg in legs) if legs else None


def place_span(place: Place) -> str:
    """The place's stays from the beginning of the first to the end of the last ("1907 – 1914"),
    written as the panel writes one stay's dates."""
    if not place.stays:
        return ""
    first = min(place.stays, key=lambda stay: stay.days[0])
    last = max(place.stays, key=lambda stay: stay.days[1])
    return format_span(replace(first, end=last.end))


# --- texts --------------------------------------------------------------------------------------


@dataclass(frozen=True)
class _FoldedText:
    """A source folded for search: ``origin[i]`` is the source offset ``text[i]`` came from, with
    one more entry for the end."""

    text: str
    origin: tuple[int, ...]


def fold_text(text: str) -> _FoldedText:
    """``text`` folded as :func:`geodata.names.fold` folds a query (NFKD without combining marks,
    casefolded, whitespace runs as one space), with the map back to ``text``'s offsets."""
    pieces: list[str] = []
    origin: list[int] = []
    position = 0
    for match in _ASCII_RUN.finditer(text):
        _fold_slowly(text, position, match.start(), pieces, origin)
        pieces.append(match.group().lower())
        origin.extend(range(match.start(), match.end()))
        position = match.end()
    _fold_slowly(text, position, len(text), pieces, origin)
    origin.append(len(text))
    return _FoldedText("".join(pieces), tuple(origin))


def _fold_slowly(text: str, start: int, end: int, pieces: list[str], origin: list[int]) -> None:
    """Fold ``text[start:end]`` a code point at a time (spaces, accents, other scripts)."""
    for index in range(start, end):
        char = text[index]
        if char.isspace():
            if not (pieces and pieces[-1].endswith(" ")):
                pieces.append(" ")
                origin.append(index)
            continue
        decomposed = unicodedata.normalize("NFKD", char)
        folded = "".join(part for part in decomposed if not unicodedata.combining(part)).casefold()
        pieces.append(folded)
        origin.extend([index] * len(folded))


@dataclass(frozen=True)
class _SourceIndex:
    """One source ready for search: its folded copy and its quotes by offset, to say which place
    and stay a passage belongs to."""

    source_id: str
    title: str
    text: str
    folded: _FoldedText
    starts: tuple[int, ...]
    #: the furthest end of the quotes up to each one: the walk back stops where none reaches on
    reach: tuple[int, ...]
    quotes: tuple[tuple[Excerpt, Place, Stay], ...]

    def quote_at(self, offset: int) -> tuple[Excerpt, Place, Stay] | None:
        """The quote that contains ``offset`` (the one that began last, when quotes overlap)."""
        at = bisect.bisect_right(self.starts, offset) - 1
        while at >= 0 and self.reach[at] > offset:
            excerpt, place, stay = self.quotes[at]
            if offset < excerpt.offset + len(excerpt.text):
                return excerpt, place, stay
            at -= 1
        return None


def _source_indexes(dataset: Dataset) -> tuple[_SourceIndex, ...]:
    def compute() -> tuple[_SourceIndex, ...]:
        quotes: dict[str, list[tuple[Excerpt, Place, Stay]]] = {}
        for place in dataset.places:
            for stay in place.stays:
                for excerpt in stay.excerpts:
                    quotes.setdefault(excerpt.source, []).append((excerpt, place, stay))
        indexes = []
        for source in dataset.sources.values():
            ordered = sorted(quotes.get(source.id, []), key=lambda quote: quote[0].offset)
            ends = [quote[0].offset + len(quote[0].text) for quote in ordered]
            indexes.append(
                _SourceIndex(
                    source.id,
                    source.title,
                    source.text,
                    fold_text(source.text),
                    tuple(quote[0].offset for quote in ordered),
                    tuple(itertools.accumulate(ends, max)),
                    tuple(ordered),
                )
            )
        return tuple(indexes)

    return _memo(dataset, "search_sources", compute)


def _text_hits(dataset: Dataset, wanted: str, room: int) -> list[SearchHit]:
    """Up to ``room`` passages, the sources taking turns so that each biography is offered."""
    per_source = [_source_hits(dataset, index, wanted, room) for index in _source_indexes(dataset)]
    turns = (hit for row in zip_longest(*per_source) for hit in row if hit is not None)
    return [hit for _, hit in zip(range(room), turns, strict=False)]


def _source_hits(dataset: Dataset, index: _SourceIndex, wanted: str, room: int) -> list[SearchHit]:
    hits: list[SearchHit] = []
    folded, origin = index.folded.text, index.folded.origin
    at = folded.find(wanted)
    while at >= 0 and len(hits) < room:
        start = origin[at]
        end = origin[at + len(wanted) - 1] + 1
        hits.append(_passage_hit(dataset, index, start, end))
        at = folded.find(wanted, at + len(wanted))
    return hits


def _passage_hit(dataset: Dataset, index: _SourceIndex, start: int, end: int) -> SearchHit:
    quote = index.quote_at(start)
    snippet = snippet_around(index.text, start, end)
    if quote is None:
        return SearchHit("text", None, index.title, "", snippet, index.source_id, start, end - start)
    _excerpt, place, stay = quote
    legs = {id(leg.stay): leg for leg in legs_of(dataset, place)}
    leg = legs.get(id(stay))
    day = leg.first if leg is not None else stay.days[0]
    title = place.name_in(stay.start.year)  # Petrograd in 1917, as the passage calls it
    return SearchHit("text", place.id, title, format_span(stay), snippet, index.source_id, start, end - start, day)


def snippet_around(text: str, start: int, end: int, context: int = SNIPPET_CONTEXT) -> str:
    """About ``context`` characters of ``text`` around ``[start, end)``, cut at spaces where it can
    be, whitespace as single spaces, with "…" where it was cut."""
    side = max(20, (context - (end - start)) // 2)
    left, right = max(0, start - side), min(len(text), end + side)
    if left > 0:
        space = text.find(" ", left, start)
        left = space + 1 if space >= 0 else left
    if right < len(text):
        space = text.rfind(" ", end, right)
        right = space if space >= 0 else right
    body = _SPACES.sub(" ", text[left:right]).strip()
    return ("…" if left > 0 else "") + body + ("…" if right < len(text) else "")
