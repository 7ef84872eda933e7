"""Check a parsed dataset document and turn it into the model, collecting every problem.

Hand-written rather than JSON Schema or pydantic: the messages must name the field the way a person
reads the file (``places[3].stays[0].end: '1917-13' has no month 13``), the meaning checks (dates in
order, excerpts verbatim in their source) need Python anyway, and loading sits on the app's start-up
path where every import counts.
"""

from __future__ import annotations

import math
from collections.abc import Callable, Mapping
from pathlib import Path
from typing import Any

from geodata import schema
from geodata.dates import PartialDate, format_day, from_day_number, not_after, parse_partial_date
from geodata.errors import Problem
from geodata.fast_validation import fast_place
from geodata.model import Chapter, Crossing, Dataset, Excerpt, Person, Place, PlaceName, Source, Stay, StayRef
from geodata.paths import BUNDLED_SOURCES
from geodata.queries import chain_starts
from geodata.schema import FORMAT_NAME, FORMAT_VERSIONS, Fields

SourceReader = Callable[[Path], str]


class _Checker:
    """Walks the document once; every check appends to ``problems`` instead of raising."""

    def __init__(self, base_dir: Path, read_source: SourceReader, fast: bool = True) -> None:
        self.fast = fast
        self.base_dir = base_dir
        self.read_source = read_source
        self.problems: list[Problem] = []
        #: sources whose text could not be read (id → field path and message), and how many
        #: excerpts cite each: one problem per source instead of one per excerpt
        self.unreadable_sources: dict[str, tuple[str, str]] = {}
        self.citing: dict[str, int] = {}

    def fail(self, path: str, message: str) -> None:
        self.problems.append(Problem(path, message))

    # -- generic field checks -------------------------------------------------------------

    def obj(self, value: Any, path: str, fields: Fields) -> Mapping[str, Any] | None:
        """Check ``value`` is an object with exactly the allowed keys; None when unusable."""
        if not isinstance(value, dict):
            self.fail(path, f"expected an object, got {_kind(value)}")
            return None
        for key in sorted(fields.required):
            if key not in value:
                self.fail(_join(path, key), "missing required field")
        allowed = fields.allowed
        for key in value:
            if key not in allowed:
                self.fail(_join(path, key), "unknown field (allowed: " + ", ".join(sorted(allowed)) + ")")
        return value

    def text(
        self, data: Mapping[str, Any], key: str, path: str, *, required: bool = True, non_empty: bool = True
    ) -> str:
        if key not in data:
            return ""
        value = data[key]
        field = _join(path, key)
        if not isinstance(value, str):
            self.fail(field, f"expected a string, got {_kind(value)}")
            return ""
        if non_empty and required and not value.strip():
            self.fail(field, "must not be empty")
        return value

    def identifier(self, data: Mapping[str, Any], key: str, path: str) -> str:
        value = self.text(data, key, path)
        if value and not schema.ID_PATTERN.match(value):
            self.fail(_join(path, key), f"{value!r} is not an id (lower-case letters, digits, - and _)")
        return value

    def choice(self, data: Mapping[str, Any], key: str, path: str, allowed: tuple[str, ...] | dict[str, str]) -> str:
        value = self.text(data, key, path)
        if value and value not in allowed:
            self.fail(_join(path, key), f"{value!r} is not one of: " + ", ".join(allowed))
        return value

    def number(self, data: Mapping[str, Any], key: str, path: str, low: float, high: float) -> float:
        if key not in data:
            return math.nan
        value = data[key]
        field = _join(path, key)
        if isinstance(value, bool) or not isinstance(value, (int, float)):
            self.fail(field, f"expected a number, got {_kind(value)}")
            return math.nan
        if not math.isfinite(value):
            self.fail(field, f"must be a finite number, got {value}")
            return math.nan
        if not low <= value <= high:
            self.fail(field, f"{value} is outside {low:g}…{high:g}")
            return math.nan
        return float(value)

    def date(self, data: Mapping[str, Any], key: str, path: str) -> PartialDate | None:
        if key not in data:
            return None
        field = _join(path, key)
        try:
            value = parse_partial_date(data[key])
        except ValueError as error:
            self.fail(field, str(error))
            return None
        return value

    def array(self, data: Mapping[str, Any], key: str, path: str, *, non_empty: bool) -> list[Any]:
        if key not in data:
            return []
        value = data[key]
        field = _join(path, key)
        if not isinstance(value, list):
            self.fail(field, f"expected a list, got {_kind(value)}")
            return []
        if non_empty and not value:
            self.fail(field, "must not be empty")
        return value

    # -- the document ---------------------------------------------------------------------

    def dataset(self, document: Any, file: Path) -> Dataset | None:
        version = document.get("version") if isinstance(document, dict) else None
        data = self.obj(document, "", schema.document_fields(version))
        if data is None:
            return None
        if "format" in data and data["format"] != FORMAT_NAME:
            self.fail("format", f"expected {FORMAT_NAME!r}, got {data['format']!r}")
        if "version" in data and (type(version) is not int or version not in FORMAT_VERSIONS):
            *earlier, latest = (str(known) for known in FORMAT_VERSIONS)
            known = f"{', '.join(earlier)} or {latest}" if earlier else latest
            self.fail("version", f"expected {known}, got {version!r}")
        title = self.text(data, "title", "", required=False)
        person = self.person(data["person"]) if "person" in data else None
        sources: dict[str, Source] = {}
        for index, raw in enumerate(self.array(data, "sources", "", non_empty=True)):
            source = self.source(raw, f"sources[{index}]")
            if source is None:
                continue
            if source.id in sources:
                self.fail(f"sources[{index}].id", f"duplicate source id {source.id!r}")
            sources[source.id] = source
        places: list[Place] = []
        first_seen: dict[str, int] = {}
        for index, raw in enumerate(self.array(data, "places", "", non_empty=True)):
            path = f"places[{index}]"
            place = self.place(raw, path, sources)
            if place is None:
                continue
            if place.id in first_seen:
                self.fail(f"{path}.id", f"duplicate place id {place.id!r} (first at places[{first_seen[place.id]}])")
                continue
            first_seen[place.id] = index
            places.append(place)
            if person is not None and person.born is not None:
                self.check_born_first(person.born, place, path)
        self.check_orders(places, version)
        chapters = tuple(
            chapter
            for index, raw in enumerate(self.array(data, "chapters", "", non_empty=False))
            if (chapter := self.chapter(raw, f"chapters[{index}]", sources)) is not None
        )
        by_id = {place.id: place for place in places}
        crossings = tuple(
            crossing
            for index, raw in enumerate(self.array(data, "crossings", "", non_empty=False))
            if (crossing := self.crossing(raw, f"crossings[{index}]", sources, by_id)) is not None
        )
        self.report_unreadable_sources()
        if self.problems:
            return None
        title = title or file.stem
        return Dataset(
            path=file,
            title=title,
            sources=sources,
            places=tuple(places),
            person=person or Person(title),
            chapters=chapters,
            crossings=crossings,
        )

    def person(self, raw: Any) -> Person | None:
        data = self.obj(raw, "person", schema.PERSON)
        if data is None:
            return None
        before = len(self.problems)
        name = self.text(data, "name", "person")
        born = self.date(data, "born", "person")
        died = self.date(data, "died", "person")
        if born is not None and died is not None and not not_after(born, died):
            self.fail("person.died", f"{died} is before the birth {born}")
        return Person(name, born, died) if len(self.problems) == before else None

    def check_born_first(self, born: PartialDate, place: Place, path: str) -> None:
        """No stay may begin before the person was born (a typo in a year is the usual cause)."""
        for number, stay in enumerate(place.stays):
            if not not_after(born, stay.start):
                self.fail(f"{path}.stays[{number}].start", f"{stay.start} is before the birth ({born}, person.born)")

    def source(self, raw: Any, path: str) -> Source | None:
        data = self.obj(raw, path, schema.SOURCE)
        if data is None:
            return None
        before = len(self.problems)
        source_id = self.identifier(data, "id", path)
        title = self.text(data, "title", path)
        author = self.text(data, "author", path)
        licence = self.text(data, "licence", path)
        relative = self.text(data, "file", path)
        url = self.text(data, "url", path, required=False) or None
        if len(self.problems) > before or not relative:
            return None
        file = self.source_file(relative)
        try:
            content = self.read_source(file)
        except FileNotFoundError:
            self.unreadable(source_id, f"{path}.file", f"source text {file} does not exist")
            return None
        except UnicodeDecodeError as error:
            reason = f"source text {file} is not UTF-8 ({error.reason} at byte {error.start})"
            self.unreadable(source_id, f"{path}.file", reason)
            return None
        except OSError as error:
            self.unreadable(source_id, f"{path}.file", f"cannot read source text {file}: {error.strerror or error}")
            return None
        return Source(source_id, title, author, licence, file, content, url)

    def source_file(self, relative: str) -> Path:
        """The source text's path: next to the dataset, else a bundled text of that file name.

        A dataset copied elsewhere without its ``../sources/`` folder still finds the texts the app
        ships (the bundled dataset's, or any other with the same file name).
        """
        file = (self.base_dir / relative).resolve()
        if file.exists() or Path(relative).is_absolute():
            return file
        bundled = BUNDLED_SOURCES / Path(relative).name
        return bundled if bundled.is_file() else file

    def unreadable(self, source_id: str, path: str, message: str) -> None:
        """Note a source whose text cannot be read; reported once, with its number of excerpts."""
        self.unreadable_sources[source_id] = (path, message)
        self.citing[source_id] = 0

    def report_unreadable_sources(self) -> None:
        for source_id, (path, message) in self.unreadable_sources.items():
            count = self.citing[source_id]
            cited = f"; {count} excerpt{'s' if count != 1 else ''} cite it" if count else ""
            self.fail(path, message + cited)

    def place(self, raw: Any, path: str, sources: Mapping[str, Source]) -> Place | None:
        if isinstance(raw, Place):  # already checked while the file was parsed (``EarlyPlaces``)
            return raw
        accepted = fast_place(raw, sources) if self.fast else None
        if accepted is not None:
            return accepted
        before = len(self.problems)
        data = self.obj(raw, path, schema.PLACE)
        if data is None:
            return None
        place_id = self.identifier(data, "id", path)
        self.text(data, "name", path)
        lat = self.number(data, "lat", path, -90, 90)
        lon = self.number(data, "lon", path, -180, 180)
        self.choice(data, "granularity", path, schema.GRANULARITIES)
        if "coord_precision" in data:
            self.choice(data, "coord_precision", path, schema.GRANULARITIES)
        coord_source = self.text(data, "coord_source", path, required=False)
        if coord_source and not schema.COORD_SOURCE_PATTERN.match(coord_source):
            self.fail(f"{path}.coord_source", "expected 'geonames:<id>' or 'manual: <reason>'")
        for key in ("modern_name", "country", "note"):
            self.text(data, key, path, required=False)
        names = tuple(
            name_
            for index, raw_name in enumerate(self.array(data, "names", path, non_empty=False))
            if (name_ := self.place_name(raw_name, f"{path}.names[{index}]")) is not None
        )
        aliases = self.aliases(data, path)
        stays = tuple(
            stay
            for index, raw_stay in enumerate(self.array(data, "stays", path, non_empty=True))
            if (stay := self.stay(raw_stay, f"{path}.stays[{index}]", place_id, sources)) is not None
        )
        if len(self.problems) > before:
            return None
        return schema.build_place(data, lat, lon, names, stays, aliases)

    def aliases(self, data: Mapping[str, Any], path: str) -> tuple[str, ...]:
        """A place's ``aliases``: non-empty strings, none repeated."""
        found: list[str] = []
        for index, alias in enumerate(self.array(data, "aliases", path, non_empty=False)):
            field = f"{path}.aliases[{index}]"
            if not isinstance(alias, str) or not alias.strip():
                self.fail(field, f"expected a non-empty string, got {_kind(alias)}")
            elif alias in found:
                self.fail(field, f"{alias!r} is listed twice")
            else:
                found.append(alias)
        return tuple(found)

    def place_name(self, raw: Any, path: str) -> PlaceName | None:
        data = self.obj(raw, path, schema.PLACE_NAME)
        if data is None:
            return None
        name = self.text(data, "name", path)
        start = self.date(data, "from", path)
        end = self.date(data, "to", path)
        if start is not None and end is not None and not not_after(start, end):
            self.fail(f"{path}.to", f"{end} is before 'from' {start}")
        return PlaceName(name, start, end) if name else None

    def stay(self, raw: Any, path: str, place_id: str, sources: Mapping[str, Source]) -> Stay | None:
        before = len(self.problems)
        data = self.obj(raw, path, schema.STAY)
        if data is None:
            return None
        start = self.date(data, "start", path)
        end = self.date(data, "end", path)
        if start is not None and end is not None and not not_after(start, end):
            self.fail(f"{path}.end", f"{end} is before the start {start}")
        self.choice(data, "kind", path, schema.STAY_KINDS)
        certainty = self.choice(data, "certainty", path, schema.CERTAINTIES)
        self.text(data, "summary", path)
        self.text(data, "calendar", path, required=False)
        note = self.text(data, "note", path, required=False)
        if certainty == "inferred" and not note.strip():
            self.fail(f"{path}.note", "an inferred stay needs a note saying what it is inferred from")
        excerpts = tuple(
            excerpt
            for index, raw_excerpt in enumerate(self.array(data, "excerpts", path, non_empty=True))
            if (excerpt := self.excerpt(raw_excerpt, f"{path}.excerpts[{index}]", sources)) is not None
        )
        after = self.stay_ref(data["after"], f"{path}.after", sources) if "after" in data else None
        if len(self.problems) > before or start is None or end is None:
            return None
        return schema.build_stay(data, place_id, start, end, excerpts, after)

    def stay_ref(self, raw: Any, path: str, sources: Mapping[str, Source]) -> StayRef | None:
        """A stay's ``after``: which stay it follows and the quote that says so (resolved once every
        place is read, in :meth:`check_orders`)."""
        data = self.obj(raw, path, schema.STAY_REF)
        if data is None:
            return None
        before = len(self.problems)
        place_id = self.identifier(data, "place", path)
        start = self.date(data, "start", path)
        kind = self.choice(data, "kind", path, schema.STAY_KINDS) if "kind" in data else ""
        excerpt = self.excerpt(data["excerpt"], f"{path}.excerpt", sources) if "excerpt" in data else None
        if len(self.problems) > before or start is None or excerpt is None:
            return None
        return StayRef(place_id, start, excerpt, kind)

    def check_orders(self, places: list[Place], version: object) -> None:
        """Every ``after`` names one stay of the dataset, leaves the stay some day to cover, and no
        chain of them comes back to where it started."""
        if not any(stay.after is not None for place in places for stay in place.stays):
            return  # the common case: nothing to resolve (and no stay's days to work out)
        by_start: dict[tuple[str, str], list[tuple[str, Stay]]] = {}
        for index, place in enumerate(places):
            for number, stay in enumerate(place.stays):
                by_start.setdefault((place.id, str(stay.start)), []).append((f"places[{index}].stays[{number}]", stay))
        follows: dict[int, int] = {}
        paths: dict[int, str] = {}
        stays_by_id = {id(stay): stay for place in places for stay in place.stays}
        for index, place in enumerate(places):
            for number, stay in enumerate(place.stays):
                ref = stay.after
                if ref is None:
                    continue
                path = f"places[{index}].stays[{number}].after"
                paths[id(stay)] = path
                if type(version) is int and version < schema.ORDER_VERSION:
                    self.fail(path, f"'after' needs format version {schema.ORDER_VERSION} (the file says {version})")
                    continue
                candidates = [
                    item for item in by_start.get((ref.place_id, str(ref.start)), []) if ref.kind in ("", item[1].kind)
                ]
                if not candidates:
                    self.fail(
                        path,
                        f"no stay at {ref.place_id!r} starts {ref.start}" + (f" as {ref.kind}" if ref.kind else ""),
                    )
                    continue
                if len(candidates) > 1:
                    kinds = ", ".join(sorted({item[1].kind for item in candidates}))
                    self.fail(
                        f"{path}.kind",
                        f"{len(candidates)} stays at {ref.place_id!r} start {ref.start} ({kinds}): say which",
                    )
                    continue
                _target_path, target = candidates[0]
                if target is stay:
                    self.fail(path, "a stay cannot come after itself")
                    continue
                if not not_after(target.start, stay.end):
                    self.fail(path, f"this stay ends {stay.end}, before {ref} begins")
                    continue
                follows[id(stay)] = id(target)
        first_days = {id(stay): stay.days[0] for place in places for stay in place.stays}
        starts, looping = chain_starts(follows, first_days)
        for stay_id, path in paths.items():
            if stay_id in looping:  # a chain that comes back: A after B after A
                self.fail(path, "the 'after' chain comes back to this stay")
                continue
            stay = stays_by_id[stay_id]
            begins = starts.get(stay_id, (first_days[stay_id], 0))[0]
            if begins > stay.days[1]:
                self.fail(
                    path,
                    f"the stays it comes after begin on {format_day(from_day_number(begins))}, "
                    f"after this stay's end ({stay.end})",
                )

    def heading(
        self, data: Mapping[str, Any], path: str, title: str, sources: Mapping[str, Source]
    ) -> tuple[str, int | None]:
        """A heading chapter's source and offset, once its title is found verbatim there."""
        source_id, offset = self.text(data, "source", path), data["offset"]
        if type(offset) is not int or offset < 0:
            self.fail(f"{path}.offset", f"expected a character offset (a whole number ≥ 0), got {offset!r}")
            return "", None
        if source_id in self.citing:  # its text could not be read: reported once
            return "", None
        source = sources.get(source_id)
        if source is None:
            known = ", ".join(sorted(sources)) or "none"
            self.fail(f"{path}.source", f"unknown source {source_id!r} (known: {known})")
            return "", None
        if source.text[offset : offset + len(title)] != title:
            found = source.text.find(title)
            where = f"; it is at offset {found}" if found >= 0 else "; it is nowhere in the source"
            self.fail(f"{path}.title", f"not found verbatim in {source_id!r} at offset {offset}{where}")
            return "", None
        return source_id, offset

    def chapter(self, raw: Any, path: str, sources: Mapping[str, Source]) -> Chapter | None:
        """A chapter: a source's dated heading quoted at its offset, or an editorial one with the
        excerpt that dates it."""
        data = self.obj(raw, path, schema.CHAPTER)
        if data is None:
            return None
        before = len(self.problems)
        title = self.text(data, "title", path)
        start = self.date(data, "start", path)
        end = self.date(data, "end", path)
        note = self.text(data, "note", path, required=False)
        if start is not None and end is not None and not not_after(start, end):
            self.fail(f"{path}.end", f"{end} is before the start {start}")
        editorial = data.get("editorial", False)
        if type(editorial) is not bool:
            self.fail(f"{path}.editorial", f"expected true or false, got {editorial!r}")
            return None
        excerpt = None
        source_id, offset = "", None
        if editorial:
            for key in ("source", "offset"):
                if key in data:
                    self.fail(f"{path}.{key}", "an editorial chapter is in our words: it quotes an excerpt instead")
            if "excerpt" not in data:
                self.fail(f"{path}.excerpt", "an editorial chapter needs the excerpt that dates it")
            else:
                excerpt = self.excerpt(data["excerpt"], f"{path}.excerpt", sources)
        else:
            if "excerpt" in data:
                self.fail(
                    f"{path}.excerpt", "a heading chapter is quoted itself (source and offset); mark it editorial"
                )
            for key in ("source", "offset"):
                if key not in data:
                    self.fail(f"{path}.{key}", "a chapter is a source's heading (source and offset) or editorial")
            if "source" in data and "offset" in data and title:
                source_id, offset = self.heading(data, path, title, sources)
        evidence = tuple(
            quoted
            for index, raw_quote in enumerate(self.array(data, "evidence", path, non_empty=False))
            if (quoted := self.excerpt(raw_quote, f"{path}.evidence[{index}]", sources)) is not None
        )
        if len(self.problems) > before or start is None or end is None:
            return None
        return Chapter(title, start, end, source_id, offset, editorial, excerpt, note, evidence)

    def crossing(
        self, raw: Any, path: str, sources: Mapping[str, Source], places: Mapping[str, Place]
    ) -> Crossing | None:
        """Time on the move between two places of the dataset, dated and quoted like a stay."""
        data = self.obj(raw, path, schema.CROSSING)
        if data is None:
            return None
        before = len(self.problems)
        ends = []
        for key in ("from", "to"):
            place_id = self.identifier(data, key, path)
            if place_id and place_id not in places:
                self.fail(f"{path}.{key}", f"no place has the id {place_id!r}")
            ends.append(place_id)
        if ends[0] and ends[0] == ends[1]:
            self.fail(f"{path}.to", "a crossing goes from one place to another (both ends are the same)")
        start = self.date(data, "start", path)
        end = self.date(data, "end", path)
        if start is not None and end is not None and not not_after(start, end):
            self.fail(f"{path}.end", f"{end} is before the start {start}")
        mode = self.choice(data, "mode", path, schema.TRAVEL_MODES)
        certainty = self.choice(data, "certainty", path, schema.CERTAINTIES)
        summary = self.text(data, "summary", path)
        vessel = self.text(data, "vessel", path, required=False)
        calendar = self.text(data, "calendar", path, required=False)
        note = self.text(data, "note", path, required=False)
        if certainty == "inferred" and not note.strip():
            self.fail(f"{path}.note", "an inferred crossing needs a note saying what it is inferred from")
        excerpts = tuple(
            excerpt
            for index, raw_excerpt in enumerate(self.array(data, "excerpts", path, non_empty=True))
            if (excerpt := self.excerpt(raw_excerpt, f"{path}.excerpts[{index}]", sources)) is not None
        )
        if len(self.problems) > before or start is None or end is None:
            return None
        return Crossing(ends[0], ends[1], start, end, mode, certainty, summary, excerpts, vessel, calendar, note)

    def excerpt(self, raw: Any, path: str, sources: Mapping[str, Source]) -> Excerpt | None:
        data = self.obj(raw, path, schema.EXCERPT)
        if data is None:
            return None
        source_id = self.text(data, "source", path)
        text = self.text(data, "text", path)
        offset = data.get("offset")
        if "offset" in data and (type(offset) is not int or offset < 0):
            self.fail(f"{path}.offset", f"expected a character offset (a whole number ≥ 0), got {offset!r}")
            return None
        if not source_id or not text or offset is None:
            return None
        if source_id in self.citing:  # its text could not be read: counted, reported once
            self.citing[source_id] += 1
            return None
        source = sources.get(source_id)
        if source is None:
            known = ", ".join(sorted(sources)) or "none"
            self.fail(f"{path}.source", f"unknown source {source_id!r} (known: {known})")
            return None
        if source.text[offset : offset + len(text)] != text:
            found = source.text.find(text)
            where = f"; it is at offset {found}" if found >= 0 else "; it is nowhere in the source"
            self.fail(f"{path}.text", f"not found verbatim in {source_id!r} at offset {offset}{where}")
            return None
        return Excerpt(source_id, offset, text)


def _join(path: str, key: str) -> str:
    return f"{path}.{key}" if path else key


def _kind(value: Any) -> str:
    """A JSON-ish name for ``value``'s type, for messages a dataset author understands."""
    if value is None:
        return "null"
    if isinstance(value, bool):
        return "a boolean"
    if isinstance(value, (int, float)):
        return "a number"
    if isinstance(value, str):
        return "a string"
    if isinstance(value, list):
        return "a list"
    if isinstance(value, dict):
        return "an object"
    return type(value).__name__


def read_utf8(path: Path) -> str:
    """Read a text file strictly as UTF-8 (a BOM is tolerated)."""
    return path.read_bytes().decode("utf-8-sig")


class EarlyPlaces:
    """An item hook for :func:`geodata.loader.loads_in_pieces`: each place that passes the fast
    checks becomes the model as soon as it is decoded, so only the model is kept, not the raw
    document; any other place stays raw for :func:`check_document`, which reports its problems
    exactly as usual (it accepts the early places as they are).

    Works when the sources come before the places in the file (as the format's example and every
    file we write have them); otherwise every place stays raw. Source texts are read once and
    shared with the later check through :meth:`read_source`.
    """

    def __init__(self, base_dir: Path, read_source: SourceReader = read_utf8) -> None:
        self._base_dir = base_dir
        self._read = read_source
        self._texts: dict[Path, str] = {}
        self._sources: dict[str, Source] | None = None
        self._tried = False

    def read_source(self, path: Path) -> str:
        if path not in self._texts:
            self._texts[path] = self._read(path)
        return self._texts[path]

    def __call__(self, key: str, item: Any, document: dict[str, Any]) -> Any:
        if key != "places":
            return item
        if not self._tried:
            self._tried = True
            self._sources = self._checked_sources(document.get("sources"))
        if self._sources is None:
            return item
        place = fast_place(item, self._sources)
        return item if place is None else place

    def _checked_sources(self, raw_sources: Any) -> dict[str, Source] | None:
        """The sources, if all of them are valid and readable; None sends every place to the full check."""
        if not isinstance(raw_sources, list) or not raw_sources:
            return None
        checker = _Checker(self._base_dir, self.read_source)
        sources: dict[str, Source] = {}
        for index, raw in enumerate(raw_sources):
            source = checker.source(raw, f"sources[{index}]")
            if source is None or source.id in sources:
                return None
            sources[source.id] = source
        return None if checker.problems else sources


def check_document(
    document: Any, file: Path, read_source: SourceReader = read_utf8, *, fast: bool = True
) -> tuple[Dataset | None, list[Problem]]:
    """Validate a parsed document; the dataset is returned only when there is no problem.

    ``fast=False`` checks every place field by field (the tests use it to prove the fast path
    accepts nothing the full checker would refuse).
    """
    checker = _Checker(file.parent, read_source, fast)
    dataset = checker.dataset(document, file)
    return dataset, checker.problems
