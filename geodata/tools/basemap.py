"""Build the app's offline country basemap (GeoJSON) from world-atlas TopoJSON.

Why the post-processing is needed
---------------------------------
world-atlas runs Natural Earth through ``d3.geoStitch``, which *removes* the
cuts Natural Earth makes at ±180° so that d3's spherical renderer gets one
continuous ring.  Leaflet, however, draws in plain lon/lat → Web Mercator, so
an edge from 179.9° to -180° is drawn the long way round: Russia's Chukotka,
Fiji and Antarctica smear horizontally across the whole map.  We therefore cut
every ring again at the antimeridian and close the pieces along the meridian.

Antarctica is special: its coastline goes *round* the South Pole, so it crosses
the antimeridian an odd number of times and cannot be closed along the
meridian alone.  geoStitch leaves it as a polygon whose exterior is a tiny
circle round the pole (lat -89.999) and whose "hole" is the coastline; treating
all crossings of a polygon together (see :func:`split_antimeridian`) joins
those two rings into one planar ring whose bottom edge runs along lat
-89.999.  A lone ring round a pole (as in raw Natural Earth-style data) is
closed along the bottom/top edge of the map (lat ∓90) instead.

Then coordinates are rounded (3 decimals ≈ 110 m, already finer than the
1:50m source's quantization of ~0.0036° x 0.0017°), consecutive duplicates are
dropped, degenerate rings are removed, rings are rewound to the RFC 7946
orientation (exterior counter-clockwise, holes clockwise) and the result is
written as compact JSON, atomically, so a crashed build never leaves a
truncated file for the app to load.
"""

from __future__ import annotations

import json
import math
from collections.abc import Callable
from dataclasses import dataclass
from itertools import pairwise
from pathlib import Path
from typing import Any

from geodata.atomic import write_bytes_atomic
from geodata.tools.topojson import topology_to_geojson

__all__ = ["build_basemap", "round_geometry", "split_antimeridian"]

Position = list[float]
Ring = list[Position]
PolygonCoords = list[Ring]
JSONDict = dict[str, Any]

#: Longitude jump (degrees) between consecutive points taken to mean the edge
#: crosses the antimeridian rather than spanning more than half the globe.
JUMP_THRESHOLD = 180.0


# --------------------------------------------------------------------------
# public API
# --------------------------------------------------------------------------


def build_basemap(
    src: Path,
    dst: Path,
    precision: int = 3,
    *,
    object_name: str = "countries",
) -> dict[str, int]:
    """Convert a world-atlas countries TopoJSON file into a Leaflet-ready GeoJSON file.

    Steps: TopoJSON → GeoJSON, split at the antimeridian, round to
    ``precision`` decimals, drop consecutive duplicates and degenerate rings,
    rewind to RFC 7946, write compact ASCII JSON atomically to ``dst``.

    Returns counts for logging/CLI output: ``features``, ``rings`` and
    ``points`` (positions) as written, ``bytes`` (size of ``dst``),
    ``split_rings`` (input rings that crossed the antimeridian) and
    ``dropped_rings`` (rings that collapsed when rounded).
    """
    if precision < 0:
        raise ValueError(f"precision must be >= 0, got {precision}")
    src, dst = Path(src), Path(dst)
    with src.open(encoding="utf-8") as fh:
        topology = json.load(fh)
    collection = topology_to_geojson(topology, object_name)

    stats = {
        "features": 0,
        "rings": 0,
        "points": 0,
        "split_rings": 0,
        "dropped_rings": 0,
    }
    features: list[JSONDict] = []
    for feature in collection["features"]:
        geometry = feature["geometry"]
        stats["split_rings"] += _count_crossing_rings(geometry)
        geometry = split_antimeridian(geometry)
        geometry, dropped = round_geometry(geometry, precision)
        stats["dropped_rings"] += dropped
        if geometry is None:
            continue  # everything collapsed; a null geometry is useless on a basemap
        _rewind(geometry)
        _count(geometry, stats)
        features.append({**feature, "geometry": geometry})
    stats["features"] = len(features)

    # ensure_ascii (the default) is deliberate: names such as "Côte d'Ivoire"
    # become \u escapes, so the file reads correctly even if some consumer
    # (e.g. a plain open() on Windows) assumes a non-UTF-8 locale encoding.
    # It costs only a few bytes.
    text = json.dumps(
        {"type": "FeatureCollection", "features": features},
        separators=(",", ":"),
    )
    data = text.encode("ascii")
    write_bytes_atomic(dst, data)
    stats["bytes"] = len(data)
    return stats


def split_antimeridian(geometry: JSONDict | None) -> JSONDict | None:
    """Return a copy of ``geometry`` with no edge crossing the antimeridian.

    Expects longitudes in [-180, 180] (values outside are wrapped first).  An
    edge whose longitude jumps by more than 180° is taken to cross ±180°; it
    is cut there, at a latitude interpolated along the edge, and:

    * polygon rings are closed along the meridian.  All rings of a polygon are
      handled together: on each side, the crossing latitudes are sorted and
      paired bottom-up (the polygon's interior along the meridian lies between
      pairs), which is independent of ring orientation and also joins an
      exterior and a hole that both cross (geoStitch's Antarctica).  If a side
      has an odd number of crossings the polygon contains a pole; the extreme
      crossing is then joined to its twin on the other side along lat ±90
      (the pole nearer to the rings).  Rings that do not cross are kept whole;
      holes are reattached to the piece that contains them.
    * lines are cut into a MultiLineString.

    A Polygon that is split becomes a MultiPolygon; other types keep their
    type.  Points are returned unchanged.
    """
    if geometry is None:
        return None
    kind = geometry["type"]
    if kind == "GeometryCollection":
        return {
            "type": kind,
            "geometries": [split_antimeridian(g) for g in geometry["geometries"]],
        }
    coords = geometry["coordinates"]
    if kind == "Polygon":
        polygons = _split_polygon(coords)
        if len(polygons) == 1:
            return {"type": "Polygon", "coordinates": polygons[0]}
        return {"type": "MultiPolygon", "coordinates": polygons}
    if kind == "MultiPolygon":
        return {
            "type": kind,
            "coordinates": [piece for polygon in coords for piece in _split_polygon(polygon)],
        }
    if kind == "LineString":
        lines = _split_line(coords)
        if len(lines) == 1:
            return {"type": kind, "coordinates": lines[0]}
        return {"type": "MultiLineString", "coordinates": lines}
    if kind == "MultiLineString":
        return {
            "type": kind,
            "coordinates": [p for line in coords for p in _split_line(line)],
        }
    return {**geometry}


def round_geometry(geometry: JSONDict | None, precision: int) -> tuple[JSONDict | None, int]:
    """Round coordinates and drop what rounding makes degenerate.

    Consecutive duplicate positions are removed; a ring left with fewer than
    four positions or with zero area is dropped (a polygon whose exterior is
    dropped goes with its holes); a line left with fewer than two positions is
    dropped.  Integral values are written as ints (``180`` not ``180.0``) and
    ``-0.0`` becomes ``0``, purely to save bytes.

    Returns ``(geometry or None if nothing is left, number of rings dropped)``.
    """
    if geometry is None:
        return None, 0

    def rnd(value: float) -> float:
        value = round(float(value), precision)
        return int(value) if value.is_integer() else value

    def clean(points: list[Position]) -> list[Position]:
        out: list[Position] = []
        for pos in points:
            new = [rnd(c) for c in pos]
            if not out or new != out[-1]:
                out.append(new)
        return out

    dropped = 0

    def clean_polygon(rings: PolygonCoords) -> PolygonCoords | None:
        nonlocal dropped
        kept: PolygonCoords = []
        for i, ring in enumerate(rings):
            new = clean(ring)
            if len(new) < 4 or new[0] != new[-1] or _signed_area(new) == 0:
                if i == 0:
                    dropped += len(rings)
                    return None
                dropped += 1
                continue
            kept.append(new)
        return kept

    kind = geometry["type"]
    if kind == "GeometryCollection":
        members = []
        for member in geometry["geometries"]:
            new_member, n = round_geometry(member, precision)
            dropped += n
            if new_member is not None:
                members.append(new_member)
        return ({"type": kind, "geometries": members} if members else None), dropped
    coords = geometry["coordinates"]
    if kind == "Point":
        return {"type": kind, "coordinates": [rnd(c) for c in coords]}, 0
    if kind == "MultiPoint":
        return {"type": kind, "coordinates": [[rnd(c) for c in p] for p in coords]}, 0
    if kind == "LineString":
        line = clean(coords)
        return ({"type": kind, "coordinates": line} if len(line) >= 2 else None), 0
    if kind == "MultiLineString":
        lines = [line for line in (clean(c) for c in coords) if len(line) >= 2]
        return ({"type": kind, "coordinates": lines} if lines else None), 0
    if kind == "Polygon":
        polygon = clean_polygon(coords)
        return ({"type": kind, "coordinates": polygon} if polygon else None), dropped
    if kind == "MultiPolygon":
        polygons = [p for p in (clean_polygon(c) for c in coords) if p]
        return ({"type": kind, "coordinates": polygons} if polygons else None), dropped
    raise ValueError(f"unsupported geometry type {kind!r}")


# --------------------------------------------------------------------------
# antimeridian splitting
# --------------------------------------------------------------------------


@dataclass
class _Node:
    """One end of a piece, lying on the antimeridian.

    ``side`` is +1 for the +180 edge of the map and -1 for the -180 edge.
    Every crossing produces two nodes with the same latitude, one per side.
    """

    side: int
    lat: float
    piece: int
    is_start: bool


@dataclass
class _Piece:
    points: Ring
    start: _Node
    end: _Node


def _crosses(a: Position, b: Position) -> bool:
    return abs(b[0] - a[0]) > JUMP_THRESHOLD


def _crossing_lat(a: Position, b: Position) -> tuple[float, float]:
    """Where edge a→b meets the antimeridian: ``(lon of the edge on a's side, lat)``.

    ``b`` is shifted by ±360° so the edge is continuous, then the latitude is
    interpolated linearly in lon/lat (good enough at this scale, and exactly
    what a Leaflet/plate carrée drawing of the edge would show).
    """
    edge = 180.0 if a[0] > 0 else -180.0
    b_lon = b[0] + (360.0 if a[0] > 0 else -360.0)
    span = b_lon - a[0]
    t = 0.0 if span == 0 else (edge - a[0]) / span
    return edge, a[1] + t * (b[1] - a[1])


def _normalise(points: Ring, closed: bool) -> Ring:
    """Copy ``points`` with longitudes wrapped into [-180, 180] and ±180 disambiguated.

    A vertex exactly on the antimeridian may be written as 180 or -180; which
    one is arbitrary (Natural Earth mixes them).  Giving it the sign of the
    previous vertex that is *off* the meridian avoids spurious zero-width
    "crossings" such as 179.9 → -180 → 179.9, which would otherwise spawn a
    degenerate sliver on the far side of the map.
    """
    out: Ring = []
    for pos in points:
        lon = pos[0]
        if lon < -180.0 or lon > 180.0:
            lon = (lon + 180.0) % 360.0 - 180.0
        out.append([lon, *pos[1:]])

    if closed:
        # Seed with the last off-meridian vertex so the ring's first vertices
        # (which follow it cyclically) are disambiguated too.
        seed = next((p[0] for p in reversed(out) if abs(p[0]) != 180.0), None)
    else:
        seed = next((p[0] for p in out if abs(p[0]) != 180.0), None)
    if seed is None:
        return out  # entirely on the meridian: nothing sensible to do
    previous = seed
    for i in range(len(out)):
        lon = out[i][0]
        if abs(lon) == 180.0:
            out[i][0] = math.copysign(180.0, previous)
        else:
            previous = lon
    if closed and out:
        out[-1] = list(out[0])
    return out


def _cut_ring(ring: Ring, pieces: list[_Piece]) -> Ring | None:
    """Cut a closed ring at its crossings, appending the pieces to ``pieces``.

    Returns None if the ring was cut, otherwise the normalised ring unchanged.
    """
    ring = _normalise(ring, closed=True)
    open_ring = ring[:-1] if len(ring) > 1 and ring[0] == ring[-1] else ring
    n = len(open_ring)
    first = next(
        (i for i in range(n) if _crosses(open_ring[i], open_ring[(i + 1) % n])),
        None,
    )
    if first is None:
        return ring

    # Walk all n edges starting with the first crossing edge, so the ring is
    # traversed as a sequence of whole pieces, each from one crossing to the next.
    current: Ring = []
    start: _Node | None = None
    for step in range(n + 1):
        i = (first + step) % n
        a, b = open_ring[i], open_ring[(i + 1) % n]
        if step < n and not _crosses(a, b):
            current.append(b)
            continue
        edge, lat = _crossing_lat(a, b)
        if start is not None:
            index = len(pieces)
            end = _Node(1 if edge > 0 else -1, lat, index, is_start=False)
            start.piece = index
            pieces.append(_Piece([*current, [edge, lat]], start, end))
        if step == n:
            break
        start = _Node(-1 if edge > 0 else 1, lat, -1, is_start=True)
        current = [[-edge, lat], b]
    return None


def _split_polygon(rings: PolygonCoords) -> list[PolygonCoords]:
    """Split one polygon (exterior + holes) into polygons that do not cross ±180."""
    pieces: list[_Piece] = []
    whole: list[tuple[int, Ring]] = []
    for index, ring in enumerate(rings):
        kept = _cut_ring(ring, pieces)
        if kept is not None:
            whole.append((index, kept))
    if not pieces:
        return [[ring for _, ring in whole]]

    exteriors = _assemble(pieces, _pole_lat(pieces))
    if exteriors is None:
        # Pairing failed (self-intersecting or inconsistently wound input):
        # fall back to closing every piece on itself along the meridian (or
        # via the pole edge if it runs from one side of the map to the other).
        # Never smeared, though overlapping pieces may render imperfectly.
        pole = _pole_lat(pieces)
        exteriors = []
        for p in pieces:
            ring = [list(pt) for pt in p.points]
            if p.start.side != p.end.side:
                ring.extend(_pole_edge(p.end.side, pole))
            exteriors.append([*ring, list(ring[0])])

    polygons: list[PolygonCoords] = [[ring] for ring in exteriors]
    for index, ring in whole:
        if index == 0:
            polygons.append([ring])  # an exterior that does not cross; keep as is
            continue
        # A hole that does not cross belongs to whichever new piece contains it.
        owner = next(
            (p for p in polygons if _point_in_ring(ring[0], p[0])),
            polygons[0],
        )
        owner.append(ring)
    return polygons


def _pole_lat(pieces: list[_Piece]) -> float:
    """Pick the pole (±90) that a polygon with an odd number of crossings encloses."""
    lats = [pt[1] for piece in pieces for pt in piece.points]
    return -90.0 if sum(lats) <= 0 else 90.0


def _assemble(pieces: list[_Piece], pole: float) -> list[Ring] | None:
    """Join pieces into closed rings along the meridian; None if pairing fails."""
    partner: dict[int, _Node] = {}
    pole_links: set[int] = set()
    for side in (1, -1):
        nodes = [n for p in pieces for n in (p.start, p.end) if n.side == side]
        # Ties are broken so an end comes before a start at the same latitude
        # when walking towards the pole; either order gives a zero-length join.
        nodes.sort(key=lambda n: (n.lat, n.is_start) if pole < 0 else (-n.lat, n.is_start))
        if len(nodes) % 2:
            # The polygon contains a pole: the crossing nearest to it is joined
            # to its twin on the other side of the map via the pole edge.
            nodes, extreme = nodes[1:], nodes[0]
            pole_links.add(id(extreme))
        for a, b in zip(nodes[0::2], nodes[1::2], strict=True):
            partner[id(a)] = b
            partner[id(b)] = a
    if pole_links:
        extremes = [n for p in pieces for n in (p.start, p.end) if id(n) in pole_links]
        if len(extremes) != 2 or extremes[0].is_start == extremes[1].is_start:
            return None
        partner[id(extremes[0])] = extremes[1]
        partner[id(extremes[1])] = extremes[0]

    rings: list[Ring] = []
    used = [False] * len(pieces)
    for first in range(len(pieces)):
        if used[first]:
            continue
        ring: Ring = []
        index = first
        while True:
            if used[index]:
                return None
            used[index] = True
            piece = pieces[index]
            ring.extend(list(p) for p in piece.points)
            nxt = partner.get(id(piece.end))
            if nxt is None or not nxt.is_start:
                return None
            if nxt.side != piece.end.side:
                ring.extend(_pole_edge(piece.end.side, pole))
            if nxt.piece == first:
                ring.append(list(ring[0]))
                break
            index = nxt.piece
        rings.append(ring)
    return rings


def _pole_edge(from_side: int, pole: float) -> Ring:
    """Points along lat ``pole`` from the ``from_side`` edge of the map to the other.

    A vertex every 90° keeps every segment at most 180° long, so the result
    never looks like another antimeridian crossing (to this module or to
    checks run on the output).
    """
    return [[from_side * (180.0 - 90.0 * k) + 0.0, pole] for k in range(5)]  # + 0.0: no -0.0


def _split_line(line: Ring) -> list[Ring]:
    """Cut an open line at each antimeridian crossing."""
    line = _normalise(line, closed=False)
    if not line:
        return []
    parts: list[Ring] = [[line[0]]]
    for a, b in pairwise(line):
        if _crosses(a, b):
            edge, lat = _crossing_lat(a, b)
            parts[-1].append([edge, lat])
            parts.append([[-edge, lat]])
        parts[-1].append(b)
    return parts


def _count_crossing_rings(geometry: JSONDict | None) -> int:
    """How many input rings cross the antimeridian (for the build statistics)."""
    count = 0

    def visit(ring: Ring) -> None:
        nonlocal count
        ring = _normalise(ring, closed=True)
        if any(_crosses(a, b) for a, b in pairwise(ring)):
            count += 1

    _each_ring(geometry, visit)
    return count


# --------------------------------------------------------------------------
# small geometry helpers
# --------------------------------------------------------------------------


def _each_ring(geometry: JSONDict | None, fn: Callable[[Ring], None]) -> None:
    if geometry is None:
        return
    kind = geometry["type"]
    if kind == "GeometryCollection":
        for member in geometry["geometries"]:
            _each_ring(member, fn)
    elif kind == "Polygon":
        for ring in geometry["coordinates"]:
            fn(ring)
    elif kind == "MultiPolygon":
        for polygon in geometry["coordinates"]:
            for ring in polygon:
                fn(ring)


def _signed_area(ring: Ring) -> float:
    """Planar shoelace area in degrees²; > 0 means counter-clockwise."""
    total = 0.0
    for a, b in pairwise(ring):
        total += a[0] * b[1] - b[0] * a[1]
    return total / 2.0


def _point_in_ring(point: Position, ring: Ring) -> bool:
    """Even-odd ray casting test in plain lon/lat."""
    x, y = point[0], point[1]
    inside = False
    for a, b in pairwise(ring):
        if (a[1] > y) != (b[1] > y):
            x_cross = a[0] + (y - a[1]) * (b[0] - a[0]) / (b[1] - a[1])
            if x < x_cross:
                inside = not inside
    return inside


def _rewind(geometry: JSONDict) -> None:
    """Orient rings in place as RFC 7946 asks: exteriors CCW, holes CW.

    world-atlas inherits the shapefile/d3 convention (exteriors clockwise);
    Leaflet does not care, but other GeoJSON consumers (d3, some validators)
    do, so the file follows the standard.
    """

    def fix(polygon: PolygonCoords) -> None:
        for i, ring in enumerate(polygon):
            ccw = _signed_area(ring) > 0
            if ccw != (i == 0):
                ring.reverse()

    kind = geometry["type"]
    if kind == "Polygon":
        fix(geometry["coordinates"])
    elif kind == "MultiPolygon":
        for polygon in geometry["coordinates"]:
            fix(polygon)
    elif kind == "GeometryCollection":
        for member in geometry["geometries"]:
            if member is not None:
                _rewind(member)


def _count(geometry: JSONDict | None, stats: dict[str, int]) -> None:
    def visit(ring: Ring) -> None:
        stats["rings"] += 1
        stats["points"] += len(ring)

    _each_ring(geometry, visit)
