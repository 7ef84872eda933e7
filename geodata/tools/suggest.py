"""Find the place names in a text that a dataset does not have yet: a start for a new biography.

Why a gazetteer scan and not a language model: it runs offline in a fraction of a second, needs no
model download, and every answer can be explained ("GeoNames 2988507, population 2.1 million").
The price is noise, which these rules keep down (each one is tested):

1. Candidates are runs of one to four capitalised words (``Brest-Litovsk``, ``St. Petersburg``,
   ``Mexico City``); leading function words are dropped (``In Paris`` → ``Paris``). Lines of a
   reference list (``* Hallas, Duncan (1979) …``, or any line with an ISBN) are not read: authors'
   names and publishers' towns are not places of the life.
2. A name must be the whole run: ``Leon`` in ``Leon Trotsky`` or ``Moscow`` in ``Moscow Soviet`` is part
   of another name and is not counted there. A single word the text also uses inside such a longer
   name (``Rivera`` of ``Diego Rivera``) needs a place word before it (rule 4) to count at all.
3. Months, weekdays, and single words the text also writes in lower case (``March``, ``Union``,
   ``Party``) are ignored; so are names shorter than three letters.
4. What remains is a toponym when it is a curated alias, a country, or a GeoNames city of at least
   100 000 people under its main name. Anything else the index knows — a city of 15 000–100 000, an
   alternate or historical name of a city of at least 15 000, or a smaller place in one of the
   dataset's countries — counts only if at least once the text puts it after a place word such as
   "in", "at", "near" or "via". That keeps ``Tiflis`` ("in Tiflis") and ``Narva`` ("at Narva") but
   drops ``Stalin`` (an old name of Donetsk) and ``Liberty`` (Missouri), which no text puts "in".
5. A toponym the dataset already has is dropped: any of its places' names, dated names or modern names
   (and their parts, ``Vienna (Wien)`` → ``Vienna``, ``Wien``), case and accents ignored; or any name that
   resolves to the GeoNames id or, within 5 km, to the point of one of its (non-area) places, which
   covers aliases (``Prinkipo`` is Büyükada).

Known misses: a newspaper that shares a village's name (``in Pravda``), a surname that is also a big
city and never appears with a first name (``Carnot``). The list is a start for a person to check.

The result is sorted by how often the toponym occurs, then by name, with a snippet around its first
occurrence.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass, field
from pathlib import Path

from geodata.model import Dataset
from geodata.tools.distance import geodesic_km
from geodata.tools.gazetteer import Gazetteer, country_codes_in, country_keys, normalise
from geodata.tools.geocode import AliasTable, Resolution

MIN_CITY_POPULATION = 15_000
SURE_CITY_POPULATION = 100_000
SAME_PLACE_KM = 5.0
CONTEXT_CHARS = 45
MAX_TEXT_BYTES = 64 * 1024 * 1024


def _words(text: str) -> frozenset[str]:
    return frozenset(text.split())


_TOKEN = re.compile(r"[^\W\d_][\w'’-]*")
_SPACE = re.compile(r"[ \t]+")
_ABBREVIATED_GAP = re.compile(r"\.[ \t]*")
_ABBREVIATIONS = frozenset({"St", "Ste", "Mt", "Ft", "Pt"})
_LEADING = _words(
    """a an the in at on to from of into near via by for with and or but nor so yet as after before during
    when while since until till upon across through throughout towards toward around outside inside
    he she it its they we you i his her their our this that these those there then later also however
    although though where which who whom what why how all both each every some many most no not
    once meanwhile thus hence here soon even only"""
)
_CUES = _words(
    """in at near into via outside inside around across through throughout towards toward reached reaching
    left leaving visited visiting arrived fled exiled born deported moved returned"""
)
# "* Hallas, Duncan (1979) Trotsky's Marxism …": a reference-list entry.
_NAME_WORD = r"[^\W\d_][\w'’.-]*"
_REFERENCE = re.compile(rf"[ \t]*[*•#-]?[ \t]*{_NAME_WORD}, {_NAME_WORD}(?: {_NAME_WORD}){{0,2}},? \(\d{{4}}")
_CALENDAR = _words(
    """january february march april may june july august september october november december
    jan feb mar apr jun jul aug sep sept oct nov dec
    monday tuesday wednesday thursday friday saturday sunday"""
)


class TextFileError(Exception):
    """A text file that cannot be read; the message is one line naming the file."""


def read_text_file(path: Path, max_bytes: int = MAX_TEXT_BYTES) -> str:
    """A text file's content, strictly UTF-8 (a BOM is tolerated); every failure is one clear line."""
    try:
        if path.is_dir():
            raise TextFileError(f"{path}: is a folder, not a text file")
        size = path.stat().st_size
        if size > max_bytes:
            raise TextFileError(
                f"{path}: the file is {size / 1e6:.0f} MB; texts over {max_bytes / 1e6:.0f} MB are refused"
            )
        raw = path.read_bytes()
    except FileNotFoundError:
        raise TextFileError(f"{path}: no such file") from None
    except PermissionError:
        raise TextFileError(f"{path}: permission denied") from None
    except OSError as error:
        raise TextFileError(f"{path}: cannot read the file: {error.strerror or error}") from None
    try:
        return raw.decode("utf-8-sig")
    except UnicodeDecodeError as error:
        raise TextFileError(f"{path}: not UTF-8 text (byte {error.start}: {error.reason}); save it as UTF-8") from None


@dataclass(frozen=True)
class _Token:
    start: int
    end: int
    word: str
    possessive: bool

    @property
    def capitalised(self) -> bool:
        return self.word[:1].isupper()


def _tokens(text: str) -> list[_Token]:
    tokens = []
    for match in _TOKEN.finditer(text):
        word = match.group().rstrip("-'’")
        possessive = word.endswith(("'s", "’s"))
        if possessive:
            word = word[:-2]
        if word:
            tokens.append(_Token(match.start(), match.start() + len(word), word, possessive))
    return tokens


def _without_references(text: str) -> str:
    """The text with reference-list lines blanked out (same length, so offsets stay right)."""
    lines = text.splitlines(keepends=True)
    kept = []
    for line in lines:
        if "ISBN" in line or _REFERENCE.match(line):
            body = line.rstrip("\r\n")
            line = " " * len(body) + line[len(body) :]
        kept.append(line)
    return "".join(kept)


def _runs(text: str, tokens: list[_Token]) -> list[tuple[int, list[_Token]]]:
    """Maximal runs of capitalised words joined by spaces (or ``St.``), with the index of the first."""
    runs: list[tuple[int, list[_Token]]] = []
    current: list[_Token] = []
    first = 0
    for index, token in enumerate(tokens):
        if not token.capitalised:
            if current:
                runs.append((first, current))
            current = []
            continue
        if current:
            previous = current[-1]
            gap = text[previous.end : token.start]
            joined = not previous.possessive and (
                _SPACE.fullmatch(gap) is not None
                or (previous.word in _ABBREVIATIONS and _ABBREVIATED_GAP.fullmatch(gap) is not None)
            )
            if not joined:
                runs.append((first, current))
                current = []
        if not current:
            first = index
        current.append(token)
    if current:
        runs.append((first, current))
    return runs


@dataclass
class Suggestion:
    """A toponym the dataset lacks: how often it occurs, where first, and what it resolves to."""

    name: str
    key: str
    kind: str  # "alias", "country" or "geonames"
    resolution: Resolution | None
    count: int = 0
    offset: int = 0
    context: str = ""
    cued: bool = False
    offsets: list[int] = field(default_factory=list, repr=False)

    def line(self) -> str:
        """``  3× Kronstadt → Kronstadt, Russia (alias: …) — “…snippet…”``."""
        if self.resolution is None:
            where = "a country"
        else:
            r = self.resolution
            named = f"{r.name}, " if normalise(r.name) != self.key else ""
            where = f"{named}{r.country or '?'} ({r.lat:.4f}, {r.lon:.4f}; {r.source.split(':', 1)[0]}"
            where += f":{r.geonameid})" if r.source.startswith("geonames") else ")"
        return f"{self.count:>4}× {self.name} → {where} — “{self.context}”"


def _context(text: str, start: int, end: int) -> str:
    """About ``CONTEXT_CHARS`` characters either side of ``text[start:end]``, on one line."""
    left, right = max(0, start - CONTEXT_CHARS), min(len(text), end + CONTEXT_CHARS)
    snippet = " ".join(text[left:right].split())
    return ("…" if left else "") + snippet + ("…" if right < len(text) else "")


def known_keys(dataset: Dataset) -> frozenset[str]:
    """Every name of every place, and the parts of compound names, normalised."""
    keys: set[str] = set()
    for place in dataset.places:
        for name in (*place.all_names, *(dated.name for dated in place.names)):
            for part in (name, *re.split(r"[(),/]", name)):
                key = normalise(part)
                if key:
                    keys.add(key)
                    keys.add(key.removeprefix("the "))
    return frozenset(keys)


class _Known:
    """Answers "does the dataset already have this?" by name, GeoNames id or point."""

    def __init__(self, dataset: Dataset) -> None:
        self.keys = known_keys(dataset)
        self.geonameids = {
            int(place.coord_source.removeprefix("geonames:"))
            for place in dataset.places
            if place.coord_source.startswith("geonames:")
        }
        self.points = [(place.lat, place.lon) for place in dataset.places if not place.is_area]

    def has(self, key: str, resolution: Resolution | None) -> bool:
        if key in self.keys:
            return True
        if resolution is None:
            return False
        if resolution.geonameid is not None and resolution.geonameid in self.geonameids:
            return True
        here = (resolution.lat, resolution.lon)
        return any(
            abs(lat - here[0]) < 0.1 and geodesic_km((lat, lon), here) <= SAME_PLACE_KM for lat, lon in self.points
        )


@dataclass(frozen=True)
class _Match:
    key: str
    kind: str
    resolution: Resolution | None
    needs_cue: bool


class _Matcher:
    """Decides what a candidate name is (rule 4), remembering answers: texts repeat their names."""

    def __init__(self, gazetteer: Gazetteer, aliases: AliasTable, countries: Iterable[str]) -> None:
        self.gazetteer = gazetteer
        self.aliases = aliases
        self.countries = frozenset(countries)
        self.country_keys = country_keys()
        self._memo: dict[str, _Match | None] = {}

    def match(self, key: str) -> _Match | None:
        if key not in self._memo:
            self._memo[key] = self._match(key)
        return self._memo[key]

    def _match(self, key: str) -> _Match | None:
        if len(key) < 3 or key in _CALENDAR:
            return None
        if self.aliases.knows(key):
            return _Match(key, "alias", self.aliases.lookup(key), needs_cue=False)
        if key in self.country_keys:
            return _Match(key, "country", None, needs_cue=False)
        if not self.gazetteer.knows(key):
            return None
        candidates = self.gazetteer.lookup(key)
        best = candidates[0]
        resolution = Resolution(
            key,
            best.name,
            best.lat,
            best.lon,
            best.country_code,
            f"geonames:{best.geonameid}",
            best.population,
            best.geonameid,
        )
        if best.population >= MIN_CITY_POPULATION:
            sure = best.population >= SURE_CITY_POPULATION and normalise(best.name) == key
            return _Match(key, "geonames", resolution, needs_cue=not sure)
        local = next((entry for entry in candidates if entry.country_code in self.countries), None)
        if local is None:
            return None
        resolution = Resolution(
            key,
            local.name,
            local.lat,
            local.lon,
            local.country_code,
            f"geonames:{local.geonameid}",
            local.population,
            local.geonameid,
        )
        return _Match(key, "geonames", resolution, needs_cue=True)


def dataset_countries(dataset: Dataset) -> frozenset[str]:
    """The ISO codes of the countries the dataset's places are in."""
    return frozenset(code for place in dataset.places for code in country_codes_in(place.country))


def suggest(text: str, dataset: Dataset, gazetteer: Gazetteer, aliases: AliasTable) -> list[Suggestion]:
    """The toponyms of ``text`` that ``dataset`` lacks, most frequent first (see the module docstring)."""
    tokens = _tokens(_without_references(text))
    lower_words = {token.word.casefold() for token in tokens if not token.capitalised}
    matcher = _Matcher(gazetteer, aliases, dataset_countries(dataset))
    found: dict[str, Suggestion] = {}
    in_longer: set[str] = set()  # words seen inside longer names (rule 2)
    for first, run in _runs(text, tokens):
        stop = 0
        while stop < len(run) and run[stop].word.casefold() in _LEADING:
            stop += 1
        matched = False
        for skip in range(stop + 1):
            words = run[skip:]
            if not words or len(words) > 4:
                continue
            key = normalise(" ".join(token.word for token in words))
            match = matcher.match(key)
            if match is None:
                continue
            if len(words) == 1 and key in lower_words and match.kind != "alias":
                break
            before = run[skip - 1] if skip else (tokens[first - 1] if first else None)
            cued = (
                before is not None
                and before.word.casefold() in _CUES
                and not words[-1].possessive
                and (skip > 0 or _SPACE.fullmatch(text[before.end : words[0].start]) is not None)
            )
            suggestion = found.get(key)
            if suggestion is None:
                start, end = words[0].start, words[-1].end
                suggestion = Suggestion(
                    text[start:end], key, match.kind, match.resolution, offset=start, context=_context(text, start, end)
                )
                found[key] = suggestion
            suggestion.count += 1
            suggestion.offsets.append(words[0].start)
            suggestion.cued = suggestion.cued or cued
            matched = True
            break
        if not matched and len(run) - stop > 1:
            in_longer.update(normalise(token.word) for token in run[stop:])
    known = _Known(dataset)
    results = []
    for key, suggestion in found.items():
        match = matcher.match(key)
        assert match is not None
        needs_cue = match.needs_cue or (match.kind == "geonames" and " " not in key and key in in_longer)
        if needs_cue and not suggestion.cued:
            continue
        if known.has(key, suggestion.resolution):
            continue
        results.append(suggestion)
    results.sort(key=lambda s: (-s.count, s.name.casefold(), s.name))
    return results
