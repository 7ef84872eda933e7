"""Minimal TopoJSON → GeoJSON conversion, standard library only.

Why this exists: the app ships an offline basemap built from the npm package
``world-atlas`` (TopoJSON), but Leaflet/folium want GeoJSON.  The reference
decoder is the JavaScript ``topojson-client``; rather than adding Node.js or a
heavy Python GIS stack to the build, this module implements the small part of
the TopoJSON specification we need (https://github.com/topojson/topojson-specification):

* quantized, delta-encoded arcs decoded with the topology ``transform``;
* arc references, where a negative index ``~i`` (i.e. ``-i - 1``) means
  "arc ``i`` traversed backwards";
* Point, MultiPoint, LineString, MultiLineString, Polygon, MultiPolygon,
  GeometryCollection and null geometries;
* feature ``id`` and ``properties`` (e.g. ``properties["name"]``) are kept.

The stitching rules mirror ``topojson-client`` so results match what the
JavaScript tooling would produce for the same input.

Nothing here knows about Qt, the antimeridian or rounding; see
:mod:`geodata.tools.basemap` for the basemap-specific post-processing.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

__all__ = ["TopoJSONError", "decode_arcs", "topology_to_geojson"]

Position = list[float]
JSONDict = dict[str, Any]


class TopoJSONError(ValueError):
    """Raised when the input is not a TopoJSON topology we can decode."""


def decode_arcs(topology: JSONDict) -> list[list[Position]]:
    """Return every arc of ``topology`` as absolute ``[lon, lat]`` positions.

    Arcs are decoded once up front (rather than each time a geometry refers to
    them) because neighbouring countries share their border arcs; decoding per
    reference would redo the same work for almost every arc.

    With a ``transform`` the arcs are quantized and delta-encoded: each
    position after the first is an integer offset from the previous one, and
    the running sum is scaled and translated.  Without a ``transform`` the
    positions are already absolute coordinates.
    """
    raw_arcs = topology.get("arcs")
    if not isinstance(raw_arcs, list):
        raise TopoJSONError("topology has no 'arcs' array")
    transform = topology.get("transform")
    if transform is None:
        return [[[float(c) for c in pos] for pos in arc] for arc in raw_arcs]

    (sx, sy), (tx, ty) = _read_transform(transform)
    decoded: list[list[Position]] = []
    for arc in raw_arcs:
        x = y = 0
        points: list[Position] = []
        for pos in arc:
            x += pos[0]
            y += pos[1]
            # Any extra dimensions (rare; e.g. elevation) are passed through
            # unchanged: the transform only covers x and y.
            points.append([x * sx + tx, y * sy + ty, *pos[2:]])
        decoded.append(points)
    return decoded


def topology_to_geojson(topology: dict[str, Any], object_name: str) -> dict[str, Any]:
    """Convert ``topology.objects[object_name]`` into a GeoJSON FeatureCollection.

    A GeometryCollection object (the usual case, e.g. world-atlas
    ``countries``) becomes one Feature per member geometry; any other object
    becomes a FeatureCollection holding a single Feature, so callers always get
    the same shape back.  Each Feature keeps the geometry's ``id`` (if any) and
    its ``properties`` (``{}`` if absent, as GeoJSON requires the member).

    Raises :class:`TopoJSONError` if the input is not a Topology or the object
    does not exist.
    """
    if not isinstance(topology, dict) or topology.get("type") != "Topology":
        raise TopoJSONError("input is not a TopoJSON Topology")
    objects = topology.get("objects")
    if not isinstance(objects, dict) or object_name not in objects:
        available = sorted(objects) if isinstance(objects, dict) else []
        raise TopoJSONError(f"object {object_name!r} not found; available: {available}")

    decoder = _Decoder(topology)
    obj = objects[object_name]
    if obj.get("type") == "GeometryCollection":
        members = obj.get("geometries") or []
        features = [decoder.feature(member) for member in members]
    else:
        features = [decoder.feature(obj)]
    return {"type": "FeatureCollection", "features": features}


def _read_transform(transform: Any) -> tuple[tuple[float, float], tuple[float, float]]:
    """Validate a TopoJSON transform and return ``((sx, sy), (tx, ty))``."""
    try:
        sx, sy = (float(v) for v in transform["scale"])
        tx, ty = (float(v) for v in transform["translate"])
    except (KeyError, TypeError, ValueError) as exc:
        raise TopoJSONError(f"invalid transform: {transform!r}") from exc
    return (sx, sy), (tx, ty)


class _Decoder:
    """Turns TopoJSON geometry objects into GeoJSON geometries for one topology."""

    def __init__(self, topology: JSONDict) -> None:
        self._arcs = decode_arcs(topology)
        transform = topology.get("transform")
        self._transform = None if transform is None else _read_transform(transform)

    # -- features -------------------------------------------------------------

    def feature(self, obj: JSONDict) -> JSONDict:
        """Wrap one TopoJSON geometry object as a GeoJSON Feature."""
        feature: JSONDict = {"type": "Feature"}
        if "id" in obj:
            feature["id"] = obj["id"]
        props = obj.get("properties")
        feature["properties"] = dict(props) if isinstance(props, dict) else {}
        feature["geometry"] = self.geometry(obj)
        return feature

    # -- geometries -----------------------------------------------------------

    def geometry(self, obj: JSONDict) -> JSONDict | None:
        """Convert one TopoJSON geometry object (``type: null`` → ``None``)."""
        kind = obj.get("type")
        if kind is None:
            return None
        if kind == "GeometryCollection":
            members = obj.get("geometries") or []
            return {"type": kind, "geometries": [self.geometry(m) for m in members]}
        if kind == "Point":
            return {"type": kind, "coordinates": self._point(obj["coordinates"])}
        if kind == "MultiPoint":
            return {
                "type": kind,
                "coordinates": [self._point(p) for p in obj["coordinates"]],
            }
        if kind == "LineString":
            return {"type": kind, "coordinates": self._line(obj["arcs"])}
        if kind == "MultiLineString":
            return {"type": kind, "coordinates": [self._line(a) for a in obj["arcs"]]}
        if kind == "Polygon":
            return {"type": kind, "coordinates": self._polygon(obj["arcs"])}
        if kind == "MultiPolygon":
            return {
                "type": kind,
                "coordinates": [self._polygon(p) for p in obj["arcs"]],
            }
        raise TopoJSONError(f"unsupported geometry type {kind!r}")

    def _point(self, pos: Sequence[float]) -> Position:
        # Point coordinates are quantized when a transform is present, but
        # never delta-encoded (there is no previous position to be relative to).
        if self._transform is None:
            return [float(c) for c in pos]
        (sx, sy), (tx, ty) = self._transform
        return [pos[0] * sx + tx, pos[1] * sy + ty, *pos[2:]]

    def _arc(self, index: int) -> list[Position]:
        """Positions of arc ``index``; ``~i`` (negative) yields arc ``i`` reversed."""
        try:
            if index < 0:
                return self._arcs[~index][::-1]
            return self._arcs[index]
        except IndexError:
            raise TopoJSONError(f"arc index {index} out of range") from None

    def _line(self, arc_indexes: Sequence[int]) -> list[Position]:
        """Concatenate arcs into one line.

        Consecutive arcs share their joining position (the end of one is the
        start of the next), so it is dropped from every arc after the first.
        """
        points: list[Position] = []
        for i, index in enumerate(arc_indexes):
            arc = self._arc(index)
            # Copy positions so features sharing an arc never alias the same
            # lists; later in-place edits (rounding, splitting) stay local.
            points.extend(list(p) for p in (arc if i == 0 else arc[1:]))
        # A LineString needs two positions; a one-point arc (legal in the
        # format) is padded the same way topojson-client does it.
        if len(points) == 1:
            points.append(list(points[0]))
        return points

    def _ring(self, arc_indexes: Sequence[int]) -> list[Position]:
        """Like :meth:`_line`, padded to the four positions a GeoJSON ring needs."""
        points = self._line(arc_indexes)
        while points and len(points) < 4:
            points.append(list(points[0]))
        return points

    def _polygon(self, rings: Sequence[Sequence[int]]) -> list[list[Position]]:
        return [self._ring(ring) for ring in rings]
