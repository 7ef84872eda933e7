"""The passages of the texts the dataset speaks of: every quote cited as evidence (an *excerpt*,
linked to its stay) and every other place where a text names a dataset place (a *mention*).

Computed once per dataset, here and without Qt, so that the reader, the panel, search and the
command line mark the same spans: the reader paints what this module found, it never searches.
Offsets are code points into the source text as Python reads it.

A mention is a dataset place's name (any name over time, a bracketed variant, an alias: see
:func:`geodata.names.text_names`) standing as a word of its own. A name of a place the person never
went to (Nova Scotia, Istanbul) is not a dataset place's name, so it is never linked as a visit.
"""

from __future__ import annotations

import bisect
import itertools
import re
import unicodedata
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from typing import Literal

from geodata.model import Dataset, Excerpt, Source
from geodata.names import text_names

PassageKind = Literal["excerpt", "mention"]


@dataclass(frozen=True)
class Passage:
    """A span ``[start, end)`` of the text ``source`` about ``place``.

    ``stay`` is the index of the stay within its place for an excerpt (None for a mention);
    ``crossing`` the index of the crossing in the dataset for the quotes of a crossing (their place
    is where it arrives).
    """

    source: str
    start: int
    end: int
    text: str
    kind: PassageKind
    place: str
    stay: int | None = None
    crossing: int | None = None


@dataclass(frozen=True)
class Segment:
    """A piece of a text drawn one way: ``passage`` is the index (in :attr:`Passages.items`) of the
    passage that colours it; where two excerpts overlap, the later-starting one."""

    start: int
    end: int
    passage: int


@dataclass(frozen=True)
class Passages:
    """Every passage of a dataset, in text order per source, and the pieces to paint."""

    items: tuple[Passage, ...]
    #: per source id: the non-overlapping segments, in text order
    segments: dict[str, tuple[Segment, ...]]
    #: per place id: the indexes of its excerpts, in reading order (first source first, by offset)
    by_place: dict[str, tuple[int, ...]]

    def of_source(self, source_id: str) -> Iterator[tuple[int, Passage]]:
        """(index, passage) of ``source_id``, in text order."""
        return ((index, item) for index, item in enumerate(self.items) if item.source == source_id)

    def excerpts_of(self, place_id: str) -> tuple[int, ...]:
        """The indexes of ``place_id``'s excerpts, in reading order."""
        return self.by_place.get(place_id, ())

    def at(self, source_id: str, offset: int) -> int | None:
        """The index of the passage painted at ``offset`` of ``source_id`` (None between passages)."""
        segments = self.segments.get(source_id, ())
        position = bisect.bisect_right(segments, offset, key=lambda segment: segment.start) - 1
        if position >= 0 and offset < segments[position].end:
            return segments[position].passage
        return None

    def count(self, kind: PassageKind) -> int:
        return sum(1 for item in self.items if item.kind == kind)


def _excerpt_passages(dataset: Dataset) -> Iterator[Passage]:
    seen: set[tuple[str, int, int, str]] = set()

    def make(excerpt: Excerpt, place: str, stay: int | None, crossing: int | None = None) -> Iterator[Passage]:
        key = (excerpt.source, excerpt.offset, excerpt.offset + len(excerpt.text), place)
        if key not in seen:  # a quote cited twice for one place is one passage (the first stay)
            seen.add(key)
            yield Passage(excerpt.source, key[1], key[2], excerpt.text, "excerpt", place, stay, crossing)

    for place in dataset.places:
        for index, stay in enumerate(place.stays):
            for excerpt in stay.excerpts:
                yield from make(excerpt, place.id, index)
            if stay.after is not None:
                yield from make(stay.after.excerpt, place.id, index)
    for number, crossing in enumerate(dataset.crossings):
        for excerpt in crossing.excerpts:
            yield from make(excerpt, crossing.to_id, None, number)


def name_pattern(names: Iterable[str], *, ignore_case: bool = False) -> re.Pattern[str] | None:
    """A pattern that finds any of ``names`` as words of their own, the longest first (so "New York
    City" is one mention, not "New York" and a stray "City"); None for no names."""
    wanted = sorted({name for name in names if name.strip()}, key=lambda name: (-len(name), name))
    if not wanted:
        return None
    flags = re.IGNORECASE if ignore_case else 0
    return re.compile(r"(?<!\w)(?:" + "|".join(re.escape(name) for name in wanted) + r")(?!\w)", flags)


def _owners(dataset: Dataset) -> dict[str, str]:
    """Which place each text name stands for: its own place first (a place's display name wins over
    another's variant), then the first place in file order."""
    owners: dict[str, str] = {}
    for place in dataset.places:
        owners.setdefault(place.name, place.id)
    for place in dataset.places:
        for name in text_names(place):
            owners.setdefault(name, place.id)
    return owners


def _mentions(source: Source, owners: dict[str, str], covered: list[tuple[int, int]]) -> Iterator[Passage]:
    """Every name of ``owners`` in ``source`` outside the excerpts (``covered``, sorted spans)."""
    pattern = name_pattern(owners)
    if pattern is None:
        return
    starts = [start for start, _end in covered]
    for match in pattern.finditer(source.text):
        position = bisect.bisect_right(starts, match.start()) - 1
        inside = position >= 0 and match.start() < covered[position][1]
        if not inside and not _overlaps_next(covered, position + 1, match.end()):
            yield Passage(source.id, match.start(), match.end(), match.group(0), "mention", owners[match.group(0)])


def _overlaps_next(covered: list[tuple[int, int]], position: int, end: int) -> bool:
    return position < len(covered) and covered[position][0] < end


def _covered(spans: Iterable[tuple[int, int]]) -> list[tuple[int, int]]:
    """``spans`` merged where they overlap, sorted."""
    merged: list[tuple[int, int]] = []
    for start, end in sorted(spans):
        if merged and start <= merged[-1][1]:
            merged[-1] = (merged[-1][0], max(merged[-1][1], end))
        else:
            merged.append((start, end))
    return merged


def _segments(items: tuple[Passage, ...], source_id: str) -> tuple[Segment, ...]:
    """The source's passages cut where they overlap: each piece coloured by the passage that
    started last among those covering it (a short quote inside a longer one stays visible)."""
    indexed = [(item.start, item.end, index) for index, item in enumerate(items) if item.source == source_id]
    bounds = sorted({point for start, end, _index in indexed for point in (start, end)})
    segments: list[Segment] = []
    active: list[tuple[int, int, int]] = []
    pending = sorted(indexed)
    cursor = 0
    for left, right in itertools.pairwise(bounds):
        while cursor < len(pending) and pending[cursor][0] <= left:
            active.append(pending[cursor])
            cursor += 1
        active = [span for span in active if span[1] > left]
        if active:
            _start, _end, index = max(active, key=lambda span: (span[0], -span[1]))
            if segments and segments[-1].passage == index and segments[-1].end == left:
                segments[-1] = Segment(segments[-1].start, right, index)
            else:
                segments.append(Segment(left, right, index))
    return tuple(segments)


def _reading_order(dataset: Dataset) -> dict[str, int]:
    return {source_id: rank for rank, source_id in enumerate(dataset.sources)}


def passages(dataset: Dataset) -> Passages:
    """Every passage of ``dataset`` (computed once, then cached on the dataset)."""
    cache = dataset.__dict__.setdefault("_query_cache", {})
    found = cache.get("passages")
    if found is None:
        found = cache["passages"] = _compute(dataset)
    return found  # type: ignore[no-any-return]


def _compute(dataset: Dataset) -> Passages:
    excerpts = list(_excerpt_passages(dataset))
    owners = _owners(dataset)
    everything: list[Passage] = list(excerpts)
    for source in dataset.sources.values():
        covered = _covered((item.start, item.end) for item in excerpts if item.source == source.id)
        everything.extend(_mentions(source, owners, covered))
    rank = _reading_order(dataset)
    everything.sort(key=lambda item: (rank.get(item.source, len(rank)), item.start, item.end, item.place))
    items = tuple(everything)
    by_place: dict[str, list[int]] = {}
    for index, item in enumerate(items):
        if item.kind == "excerpt":
            by_place.setdefault(item.place, []).append(index)
    return Passages(
        items,
        {source_id: _segments(items, source_id) for source_id in dataset.sources},
        {place_id: tuple(indexes) for place_id, indexes in by_place.items()},
    )


# -- each quote once ------------------------------------------------------------------------------


def quote_key(text: str) -> str:
    """What two copies of one quote share: the letters and digits, without case or accents (so two
    copies that differ only in spaces, punctuation or quotation marks are one quote)."""
    decomposed = unicodedata.normalize("NFKD", text)
    return "".join(char for char in decomposed.casefold() if char.isalnum())


@dataclass(frozen=True)
class Quote:
    """One quote as the panel shows it: its text (the first copy's) and every excerpt it stands for."""

    text: str
    excerpts: tuple[Excerpt, ...]

    @property
    def sources(self) -> tuple[str, ...]:
        """The sources that have it, in the order first cited, each once."""
        return tuple(dict.fromkeys(excerpt.source for excerpt in self.excerpts))


def merged_quotes(excerpts: Iterable[Excerpt]) -> list[Quote]:
    """``excerpts`` with copies merged (:func:`quote_key`), in the order of their first copy. The
    dataset keeps every excerpt as evidence; only what is shown is merged."""
    groups: dict[str, list[Excerpt]] = {}
    for excerpt in excerpts:
        groups.setdefault(quote_key(excerpt.text) or excerpt.text, []).append(excerpt)
    return [Quote(group[0].text, tuple(group)) for group in groups.values()]


#: two to four words of letters: a person's name, credited by the surname
_PERSONAL_NAME = re.compile(r"[^\W\d_]+(?:[ .'-]+[^\W\d_]+){1,3}")


def short_author(source: Source) -> str:
    """The author as a credit names them: "Wikipedia" (for its contributors), "Crawford"."""
    author = source.author.strip()
    if author.lower().endswith(" contributors"):  # "Wikipedia contributors"
        return author[: -len(" contributors")]
    if _PERSONAL_NAME.fullmatch(author):
        return author.rsplit(" ", 1)[1]  # "Peter Crawford": the surname
    return author


def credit(source: Source) -> str:
    """A source credited by its author and its work, so that a title is never read as a speaker:
    "Wikipedia, ‘Leon Trotsky’", "Crawford, ‘Trotsky - Power and Beyond’"."""
    author = short_author(source)
    return f"{author}, ‘{source.title}’" if author else f"‘{source.title}’"


def quote_credit(dataset: Dataset, quote: Quote) -> str:
    """ "Wikipedia, ‘Leon Trotsky’; also in Crawford, ‘Trotsky - Power and Beyond’"."""
    names = [credit(dataset.sources[source]) if source in dataset.sources else source for source in quote.sources]
    return names[0] + "".join(f"; also in {name}" for name in names[1:])
