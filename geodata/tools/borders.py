"""Build the app's historical borders (``resources/borders/borders.topojson``) from the snapshots of
``aourednik/historical-basemaps`` (GPL-3.0): ``python -m geodata borders SRC_DIR OUT [--corrections CSV]``.

What it does, and why:

- **Corrections first.** The snapshots name some polities anachronistically (a "USSR" in 1920, an
  "Ottoman Sultanate" in 1930, Finland as a state in 1914). ``corrections.csv`` (snapshot, name in
  the data, polity to show, reason) renames them; a correction that matches no feature is an
  error, so the table can never silently stop applying.
- **One topology per snapshot** (the ``topojson`` package, with shapely): neighbouring polities
  share each border as one arc, and the simplification (Douglas–Peucker, ``--tolerance`` degrees;
  the data is itself only good to ~20 km) moves a shared border once, for both sides, so no gaps
  or overlaps open between them.
- **One file**: the six topologies' arcs are quantized on one grid (``--grid`` degrees) and
  delta-encoded, in one TopoJSON whose objects are the snapshot years; each geometry keeps only
  what the app shows: ``name`` (corrected), ``colour`` (an index such that neighbours differ),
  ``label`` (a point well inside its largest part) and ``area`` (to size and rank labels).

Needs the build tools (``pip install topojson shapely``); the app itself reads the result with the
standard library only.
"""

from __future__ import annotations

import csv
import json
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from geodata.atomic import write_bytes_atomic
from geodata.paths import resource

SNAPSHOT_YEARS: tuple[int, ...] = (1880, 1900, 1914, 1920, 1930, 1938)
DEFAULT_TOLERANCE = 0.05
DEFAULT_GRID = 0.01
#: colours a polity may get; neighbours never share one (five suffice in practice, six leave room)
PALETTE_SIZE = 6
FORMAT_NAME = "trotsky-map-borders"
DEFAULT_CORRECTIONS = resource("borders", "corrections.csv")


class BordersBuildError(ValueError):
    """The source snapshots or the corrections table cannot be used; the message says which file."""


@dataclass(frozen=True)
class Correction:
    """One row of the table: in ``snapshot``, the feature ``name`` (or, for ``UNNAMED``, the unnamed
    feature containing ``at``) is shown as ``shown`` from year ``start`` (inclusive) to ``end``
    (exclusive), either open; a snapshot stands until the next, so a name can change within it."""

    snapshot: int
    name: str
    shown: str
    reason: str
    at: tuple[float, float] | None = None
    start: int | None = None
    end: int | None = None


#: the ``name`` of a correction of a feature the source leaves unnamed (found by its ``at`` point)
UNNAMED = "(unnamed)"


def read_corrections(path: Path) -> list[Correction]:
    """The corrections table: a CSV with ``snapshot,name,at,from,to,shown,reason``."""
    try:
        with path.open(encoding="utf-8", newline="") as handle:
            rows = list(csv.DictReader(handle))
    except OSError as error:
        raise BordersBuildError(f"{path}: cannot read the corrections: {error.strerror or error}") from None
    out = []
    for number, row in enumerate(rows, start=2):
        keys = ("snapshot", "name", "at", "from", "to", "shown", "reason")
        values = {key: (row.get(key) or "").strip() for key in keys}
        missing = [key for key in ("snapshot", "name", "shown", "reason") if not values[key]]
        if missing:
            raise BordersBuildError(f"{path}:{number}: missing {', '.join(missing)}")
        if not values["snapshot"].isdigit() or int(values["snapshot"]) not in SNAPSHOT_YEARS:
            raise BordersBuildError(f"{path}:{number}: snapshot {values['snapshot']!r} is not one of {SNAPSHOT_YEARS}")
        at = None
        if values["name"] == UNNAMED:
            try:
                lon, lat = (float(part) for part in values["at"].split())
            except ValueError:
                raise BordersBuildError(f"{path}:{number}: an {UNNAMED} row needs 'at' as 'lon lat'") from None
            at = (lon, lat)
        years = []
        for key in ("from", "to"):
            if values[key] and not values[key].isdigit():
                raise BordersBuildError(f"{path}:{number}: {key} {values[key]!r} is not a year")
            years.append(int(values[key]) if values[key] else None)
        out.append(Correction(int(values["snapshot"]), values["name"], values["shown"], values["reason"], at, *years))
    return out


def _features(path: Path) -> list[dict[str, Any]]:
    try:
        document = json.loads(path.read_text(encoding="utf-8"))
    except (OSError, ValueError) as error:
        raise BordersBuildError(f"{path}: not a readable GeoJSON file: {error}") from None
    if not isinstance(document, dict) or not isinstance(document.get("features"), list):
        raise BordersBuildError(f"{path}: not a GeoJSON FeatureCollection")
    features = [feature for feature in document["features"] if feature.get("geometry")]
    for feature in features:
        # the snapshots leave some areas unnamed (no polity recorded): they stay, named ""
        properties = feature.setdefault("properties", {}) or {}
        feature["properties"] = properties
        properties["NAME"] = str(properties.get("NAME") or "").strip()
    return features


def _apply(features: list[dict[str, Any]], corrections: Iterable[Correction], path: Path) -> None:
    """Give each corrected feature its ``names`` over time ([shown, from, to], …)."""
    from shapely.geometry import Point, shape

    names = {feature["properties"]["NAME"] for feature in features}
    for correction in corrections:
        if correction.at is not None:
            point = Point(*correction.at)
            matched = [f for f in features if not f["properties"]["NAME"] and shape(f["geometry"]).contains(point)]
            if not matched:
                raise BordersBuildError(f"{path}: no unnamed feature contains {correction.at} ({correction.shown})")
        elif correction.name not in names:
            raise BordersBuildError(f"{path}: the correction of {correction.name!r} matches no feature (NAME)")
        else:
            matched = [f for f in features if f["properties"]["NAME"] == correction.name]
        for feature in matched:
            feature["properties"].setdefault("names", []).append([correction.shown, correction.start, correction.end])
    for feature in features:  # outside every corrected period, the source's own name holds
        over_time = feature["properties"].get("names")
        if over_time and not any(start is None and end is None for _name, start, end in over_time):
            over_time.append([feature["properties"]["NAME"], None, None])


def _colours(count: int, neighbours: dict[int, set[int]], names: list[str]) -> list[int]:
    """A colour index per geometry: geometries of one polity share one, neighbours differ (greedy,
    the polity with most neighbours first)."""
    by_name: dict[str, set[int]] = {}
    for index, name in enumerate(names):
        by_name.setdefault(name, set()).add(index)
    touching: dict[str, set[str]] = {name: set() for name in by_name}
    for index, others in neighbours.items():
        for other in others:
            if names[index] != names[other]:
                touching[names[index]].add(names[other])
    chosen: dict[str, int] = {}
    for name in sorted(touching, key=lambda n: (-len(touching[n]), n)):
        used = {chosen[other] for other in touching[name] if other in chosen}
        free = [colour for colour in range(PALETTE_SIZE) if colour not in used]
        chosen[name] = free[0] if free else len(chosen) % PALETTE_SIZE
    return [chosen[names[index]] for index in range(count)]


def _snapshot_topology(features: list[dict[str, Any]], tolerance: float) -> dict[str, Any]:
    import topojson

    collection = {"type": "FeatureCollection", "features": features}
    topology: dict[str, Any] = topojson.Topology(
        collection, prequantize=False, topology=True, toposimplify=tolerance, prevent_oversimplify=True
    ).to_dict()
    return topology


def _label_points(features: list[dict[str, Any]]) -> dict[str, tuple[float, float, float]]:
    """Per shown name: a point well inside its largest part (lon, lat) and its total area (deg²)."""
    from shapely.geometry import shape
    from shapely.ops import polylabel

    best: dict[str, tuple[float, Any]] = {}
    total: dict[str, float] = {}
    for feature in features:
        name = _shown(feature["properties"])
        geometry = shape(feature["geometry"]).buffer(0)
        parts = list(getattr(geometry, "geoms", [geometry]))
        total[name] = total.get(name, 0.0) + geometry.area
        for part in parts:
            if part.is_empty:
                continue
            if name not in best or part.area > best[name][0]:
                best[name] = (part.area, part)
    out = {}
    for name, (_area, part) in best.items():
        point = polylabel(part, tolerance=0.05)
        out[name] = (round(point.x, 2), round(point.y, 2), round(total[name], 1))
    return out


def build_borders(
    source_dir: Path,
    output: Path,
    corrections_path: Path,
    tolerance: float = DEFAULT_TOLERANCE,
    grid: float = DEFAULT_GRID,
) -> dict[str, Any]:
    """Write the app's borders file; returns a summary (features, arcs, points, bytes per snapshot)."""
    corrections = read_corrections(corrections_path)
    arcs: list[list[list[int]]] = []
    objects: dict[str, Any] = {}
    summary: dict[str, Any] = {"snapshots": {}}
    for year in SNAPSHOT_YEARS:
        path = source_dir / f"world_{year}.geojson"
        features = _features(path)
        _apply(features, [c for c in corrections if c.snapshot == year], path)
        labels = _label_points(features)
        topology = _snapshot_topology(features, tolerance)
        offset = len(arcs)
        for arc in topology["arcs"]:
            arcs.append(_quantized(arc, grid))
        geometries = topology["objects"]["data"]["geometries"]
        users: dict[int, set[int]] = {}
        for index, geometry in enumerate(geometries):
            for arc in _arc_indexes(geometry.get("arcs", [])):
                users.setdefault(arc, set()).add(index)
        neighbours: dict[int, set[int]] = {index: set() for index in range(len(geometries))}
        for sharing in users.values():
            for index in sharing:
                neighbours[index] |= sharing - {index}
        names = [_shown(g["properties"]) for g in geometries]
        colours = _colours(len(geometries), neighbours, names)
        shown = []
        for geometry, name, colour in zip(geometries, names, colours, strict=True):
            if geometry.get("type") not in ("Polygon", "MultiPolygon"):
                continue
            lon, lat, area = labels.get(name, (0.0, 0.0, 0.0))
            shown.append(
                {
                    "type": geometry["type"],
                    "arcs": _offset(geometry["arcs"], offset),
                    "properties": {
                        "name": name,
                        "colour": colour,
                        "label": [lon, lat],
                        "area": area,
                        **({"names": over_time} if (over_time := geometry["properties"].get("names")) else {}),
                    },
                }
            )
        objects[str(year)] = {"type": "GeometryCollection", "geometries": shown}
        summary["snapshots"][str(year)] = {"features": len(shown), "arcs": len(topology["arcs"])}
    document = {
        "type": "Topology",
        "format": FORMAT_NAME,
        "credit": "Historical borders: aourednik/historical-basemaps (GPL-3.0)",
        "transform": {"scale": [grid, grid], "translate": [-180.0, -90.0]},
        "objects": objects,
        "arcs": arcs,
    }
    data = json.dumps(document, ensure_ascii=False, separators=(",", ":")).encode("utf-8")
    write_bytes_atomic(output, data)
    summary.update(bytes=len(data), points=sum(len(arc) for arc in arcs), arcs=len(arcs))
    return summary


def _shown(properties: dict[str, Any]) -> str:
    """The name a feature is shown under at its snapshot's start (its first corrected name, else
    the source's; labels and colours go by it)."""
    names = properties.get("names") or []
    return str(names[0][0]) if names else str(properties["NAME"])


def _quantized(arc: list[list[float]], grid: float) -> list[list[int]]:
    """An arc on the grid, delta-encoded, consecutive repeats dropped (TopoJSON's quantized form)."""
    out: list[list[int]] = []
    last_x = last_y = 0
    previous: tuple[int, int] | None = None
    for lon, lat in arc:
        x, y = round((lon + 180.0) / grid), round((lat + 90.0) / grid)
        if (x, y) == previous:
            continue
        out.append([x - last_x, y - last_y])
        last_x, last_y, previous = x, y, (x, y)
    if len(out) == 1:  # an arc must keep two points
        out.append([0, 0])
    return out


def _arc_indexes(arcs: Any) -> Iterable[int]:
    if isinstance(arcs, int):
        yield arcs if arcs >= 0 else ~arcs
        return
    for item in arcs:
        yield from _arc_indexes(item)


def _offset(arcs: Any, offset: int) -> Any:
    if isinstance(arcs, int):
        return arcs + offset if arcs >= 0 else ~(~arcs + offset)
    return [_offset(item, offset) for item in arcs]
