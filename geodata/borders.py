"""The world as it was: which historical borders snapshot is in force on a date, and which polity
held a point then. Qt-free; the map page draws the same file (``resources/borders``), so what the
panel, the line under the map and ``geodata where`` say is the polity the map shows.

The snapshots (1880, 1900, 1914, 1920, 1930, 1938; aourednik/historical-basemaps, GPL-3.0, see
``resources/borders/README.md``) are coarse, some polygons shifted by up to about 20 km: a point in
no polygon (at sea, in a gap) is "unknown", unless a polity's border is within ``NEAR_KM``, which
is then named as near.
"""

from __future__ import annotations

import bisect
import json
import math
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path
from typing import Any

from geodata.dates import from_day_number
from geodata.paths import resource

BORDERS_FILE = resource("borders", "borders.topojson")
#: the data's own stated accuracy: within this distance of a border, a point is said to be near it
NEAR_KM = 25.0
KM_PER_DEGREE = 111.32


class BordersError(Exception):
    """The borders file cannot be read; the message names it."""


@dataclass(frozen=True)
class Polity:
    """A polity of one snapshot: its name as shown, its colour index, a point for its label, its
    area (square degrees, to rank labels) and, where the corrections say so, its names over time
    ((name, from year or None, to year or None), the end exclusive): a snapshot stands for years."""

    name: str
    colour: int
    label: tuple[float, float]
    area: float
    names: tuple[tuple[str, int | None, int | None], ...] = ()

    def name_in(self, year: int) -> str:
        for name, start, end in self.names:
            if (start is None or year >= start) and (end is None or year < end):
                return name
        return self.name


@dataclass(frozen=True)
class PolityAnswer:
    """Who held a point on a date: ``name`` ("" when unknown), ``near`` when the point is outside
    every polygon but within ``NEAR_KM`` of this one, and the snapshot year it comes from."""

    name: str
    near: bool
    snapshot: int
    polity: Polity | None = None

    def __str__(self) -> str:
        """The name ("unknown" when none); a point just outside its polygon (the coast of a coarse
        map) keeps the polity's name."""
        return self.name or "unknown"


@dataclass(frozen=True)
class _Part:
    polity: Polity
    rings: tuple[tuple[tuple[float, float], ...], ...]  # exterior first, then holes (lon, lat)
    box: tuple[float, float, float, float]  # west, south, east, north


class Borders:
    """The snapshots of one borders file, decoded once."""

    def __init__(self, document: dict[str, Any], path: Path) -> None:
        try:
            scale_x, scale_y = document["transform"]["scale"]
            origin_x, origin_y = document["transform"]["translate"]
            arcs = [_decode_arc(arc, scale_x, scale_y, origin_x, origin_y) for arc in document["arcs"]]
            self.years: tuple[int, ...] = tuple(sorted(int(year) for year in document["objects"]))
            self._parts: dict[int, list[_Part]] = {}
            for year in self.years:
                parts = []
                for geometry in document["objects"][str(year)]["geometries"]:
                    properties = geometry["properties"]
                    polity = Polity(
                        properties["name"],
                        int(properties["colour"]),
                        (float(properties["label"][0]), float(properties["label"][1])),
                        float(properties["area"]),
                        tuple((str(n), s, e) for n, s, e in properties.get("names", ())),
                    )
                    polygons = geometry["arcs"] if geometry["type"] == "MultiPolygon" else [geometry["arcs"]]
                    for polygon in polygons:
                        rings = tuple(_ring(ring, arcs) for ring in polygon)
                        xs = [x for x, _ in rings[0]]
                        ys = [y for _, y in rings[0]]
                        parts.append(_Part(polity, rings, (min(xs), min(ys), max(xs), max(ys))))
                self._parts[year] = parts
        except (KeyError, TypeError, ValueError, IndexError) as error:
            raise BordersError(f"{path}: not a borders file ({type(error).__name__}: {error})") from None
        if not self.years:
            raise BordersError(f"{path}: no snapshots")

    def snapshot_for(self, day: int) -> int:
        """The snapshot in force on ``day`` (a day number): the latest one not after its year; a
        date before the first snapshot gets the first (the nearest there is)."""
        year = from_day_number(day).year
        index = bisect.bisect_right(self.years, year) - 1
        return self.years[max(0, index)]

    def polities(self, year: int) -> list[Polity]:
        """The polities of the snapshot ``year``, each once."""
        return list({part.polity.name: part.polity for part in self._parts[year] if part.polity.name}.values())

    def polity_at(self, year: int, lat: float, lon: float) -> PolityAnswer:
        """Who held (lat, lon) in the snapshot ``year``."""
        inside = [
            part
            for part in self._parts[year]
            if part.box[0] <= lon <= part.box[2] and part.box[1] <= lat <= part.box[3] and _inside(part.rings, lon, lat)
        ]
        named = [part for part in inside if part.polity.name]
        if named:  # overlapping polygons (rare): the smallest, the most specific
            polity = min(named, key=lambda part: part.polity.area).polity
            return PolityAnswer(polity.name, False, year, polity)
        if inside:  # a polygon the source leaves unnamed
            return PolityAnswer("", False, year)
        reach = NEAR_KM / KM_PER_DEGREE
        stretch = max(0.2, math.cos(math.radians(lat)))
        best: tuple[float, Polity] | None = None
        for part in self._parts[year]:
            west, south, east, north = part.box
            if not part.polity.name or lon < west - reach / stretch or lon > east + reach / stretch:
                continue
            if lat < south - reach or lat > north + reach:
                continue
            km = _distance_km(part.rings[0], lon, lat, stretch)
            if km <= NEAR_KM and (best is None or km < best[0]):
                best = (km, part.polity)
        return PolityAnswer(best[1].name, True, year, best[1]) if best else PolityAnswer("", False, year)


def _decode_arc(arc: list[list[int]], sx: float, sy: float, ox: float, oy: float) -> list[tuple[float, float]]:
    x = y = 0
    out = []
    for dx, dy in arc:
        x += dx
        y += dy
        out.append((x * sx + ox, y * sy + oy))
    return out


def _ring(indexes: list[int], arcs: list[list[tuple[float, float]]]) -> tuple[tuple[float, float], ...]:
    points: list[tuple[float, float]] = []
    for index in indexes:
        arc = arcs[index] if index >= 0 else arcs[~index][::-1]
        points.extend(arc if not points else arc[1:])
    return tuple(points)


def _inside_ring(ring: tuple[tuple[float, float], ...], x: float, y: float) -> bool:
    inside = False
    count = len(ring)
    for index in range(count):
        x1, y1 = ring[index]
        x2, y2 = ring[index - 1]
        if (y1 > y) != (y2 > y) and x < (x2 - x1) * (y - y1) / (y2 - y1) + x1:
            inside = not inside
    return inside


def _inside(rings: tuple[tuple[tuple[float, float], ...], ...], x: float, y: float) -> bool:
    return _inside_ring(rings[0], x, y) and not any(_inside_ring(hole, x, y) for hole in rings[1:])


def _distance_km(ring: tuple[tuple[float, float], ...], x: float, y: float, stretch: float) -> float:
    """The distance from (x, y) to the ring's edges, in km (a local flat approximation)."""
    best = math.inf
    for index in range(len(ring)):
        (x1, y1), (x2, y2) = ring[index - 1], ring[index]
        ax, ay = (x1 - x) * stretch, y1 - y
        bx, by = (x2 - x) * stretch, y2 - y
        dx, dy = bx - ax, by - ay
        length = dx * dx + dy * dy
        share = 0.0 if length == 0 else max(0.0, min(1.0, -(ax * dx + ay * dy) / length))
        best = min(best, math.hypot(ax + share * dx, ay + share * dy))
    return best * KM_PER_DEGREE


def load_borders(path: Path = BORDERS_FILE) -> Borders:
    """The borders file, decoded (once per path, however the path is given: ``load_borders()`` and
    ``load_borders(BORDERS_FILE)`` were two entries of the cache, and the second read the file again
    on the window's thread at start-up)."""
    return _decoded(_resolved(path))


@lru_cache(maxsize=16)
def _resolved(path: Path) -> Path:
    """The path resolved (once: a lookup asks for the borders at every step of the slider)."""
    return Path(path).resolve()


@lru_cache(maxsize=4)
def _decoded(path: Path) -> Borders:
    try:
        document = json.loads(path.read_text(encoding="utf-8"))
    except FileNotFoundError:
        raise BordersError(f"{path}: the historical borders file is missing") from None
    except (OSError, ValueError) as error:
        raise BordersError(f"{path}: cannot read the historical borders: {error}") from None
    if not isinstance(document, dict):
        raise BordersError(f"{path}: not a borders file")
    borders = Borders(document, path)
    _LOADED[path] = borders
    return borders


#: the borders files decoded so far (what :func:`borders_ready` answers from)
_LOADED: dict[Path, Borders] = {}


def borders_ready(path: Path = BORDERS_FILE) -> bool:
    """Whether the borders are decoded already, so a lookup costs milliseconds, not the 0.3 s of
    the first read (the window reads them in the background and asks this on its hot paths)."""
    return _resolved(path) in _LOADED


@lru_cache(maxsize=65536)
def polity_of(lat: float, lon: float, snapshot: int, path: Path = BORDERS_FILE) -> PolityAnswer:
    """Who held (lat, lon) in ``snapshot`` (cached: a place is asked once per snapshot)."""
    return load_borders(path).polity_at(snapshot, lat, lon)


def polity_on(lat: float, lon: float, day: int, path: Path = BORDERS_FILE) -> PolityAnswer:
    """Who held (lat, lon) on ``day`` (a day number): the snapshot in force then, under the name the
    polity had in that year."""
    answer = polity_of(lat, lon, load_borders(path).snapshot_for(day), path)
    if not answer.polity:
        return answer
    return PolityAnswer(answer.polity.name_in(from_day_number(day).year), answer.near, answer.snapshot, answer.polity)
