"""Tests for the TopoJSON converter and the basemap post-processing.

All topologies are tiny and hand-made so every expected coordinate can be
worked out on paper; the assertions compare exact coordinates.
"""

from __future__ import annotations

import json
from itertools import pairwise
from pathlib import Path
from typing import Any

import pytest

from geodata.tools.basemap import build_basemap, round_geometry, split_antimeridian
from geodata.tools.topojson import TopoJSONError, decode_arcs, topology_to_geojson

Ring = list[list[float]]


def topology(arcs: list[Any], geometries: list[dict[str, Any]], **extra: Any) -> dict[str, Any]:
    """Build a Topology with one GeometryCollection object called ``things``."""
    return {
        "type": "Topology",
        "arcs": arcs,
        "objects": {"things": {"type": "GeometryCollection", "geometries": geometries}},
        **extra,
    }


#: Quantized, delta-encoded unit square: (0,0) → (1,0) → (1,1) → (0,1) → (0,0).
SQUARE_ARC = [[0, 0], [1, 0], [0, 1], [-1, 0], [0, -1]]
#: Maps quantized x, y to lon = 10 + 2x, lat = 20 + 0.5y.
TRANSFORM = {"scale": [2, 0.5], "translate": [10, 20]}


def ring_segments_ok(ring: Ring) -> bool:
    """Check that no edge jumps more than 180° of longitude (i.e. would smear)."""
    return all(abs(b[0] - a[0]) <= 180 for a, b in pairwise(ring))


def signed_area(ring: Ring) -> float:
    return sum(a[0] * b[1] - b[0] * a[1] for a, b in pairwise(ring)) / 2


def polygons_of(geometry: dict[str, Any]) -> list[list[Ring]]:
    if geometry["type"] == "Polygon":
        return [geometry["coordinates"]]
    assert geometry["type"] == "MultiPolygon"
    return list(geometry["coordinates"])


# -- TopoJSON decoding ---------------------------------------------------------


def test_square_is_decoded_with_transform_and_keeps_id_and_name() -> None:
    topo = topology(
        [SQUARE_ARC],
        [
            {
                "type": "Polygon",
                "arcs": [[0]],
                "id": "001",
                "properties": {"name": "Square"},
            }
        ],
        transform=TRANSFORM,
    )
    fc = topology_to_geojson(topo, "things")
    assert fc["type"] == "FeatureCollection"
    [feature] = fc["features"]
    assert feature["type"] == "Feature"
    assert feature["id"] == "001"
    assert feature["properties"] == {"name": "Square"}
    assert feature["geometry"] == {
        "type": "Polygon",
        "coordinates": [[[10, 20], [12, 20], [12, 20.5], [10, 20.5], [10, 20]]],
    }


def test_arcs_without_transform_are_absolute() -> None:
    arcs = [[[0.5, 0.5], [3.25, 0.5], [3.25, 4.0], [0.5, 0.5]]]
    fc = topology_to_geojson(topology(arcs, [{"type": "Polygon", "arcs": [[0]]}]), "things")
    [feature] = fc["features"]
    assert feature["properties"] == {}
    assert "id" not in feature
    assert feature["geometry"]["coordinates"] == [arcs[0]]


def test_reversed_arc_and_shared_join_points() -> None:
    # Two unit squares side by side sharing their border x=1 (arc 0, drawn
    # upwards).  The left square uses arc 0 forwards, the right one uses it
    # backwards (~0), as TopoJSON does for every shared border.
    arcs = [
        [[1, 0], [0, 1]],  # arc 0: (1,0) → (1,1)
        [[1, 1], [-1, 0], [0, -1], [1, 0]],  # arc 1: (1,1) → (0,1) → (0,0) → (1,0)
        [[1, 0], [1, 0], [0, 1], [-1, 0]],  # arc 2: (1,0) → (2,0) → (2,1) → (1,1)
    ]
    topo = topology(
        arcs,
        [
            {"type": "Polygon", "arcs": [[1, 0]], "properties": {"name": "left"}},
            {"type": "Polygon", "arcs": [[~0, 2]], "properties": {"name": "right"}},
        ],
        transform={"scale": [1, 1], "translate": [0, 0]},
    )
    left, right = topology_to_geojson(topo, "things")["features"]
    assert left["geometry"]["coordinates"] == [[[1, 1], [0, 1], [0, 0], [1, 0], [1, 1]]]
    # ~0 == -1: arc 0 backwards, (1,1) → (1,0); its end (1,0) is not repeated.
    assert right["geometry"]["coordinates"] == [[[1, 1], [1, 0], [2, 0], [2, 1], [1, 1]]]


def test_multipolygon_linestring_point_and_null() -> None:
    topo = topology(
        [SQUARE_ARC, [[5, 5], [2, 0], [0, 3]]],
        [
            {
                "type": "MultiPolygon",
                "arcs": [[[0]], [[0]]],
                "id": 7,
                "properties": {"name": "Twice"},
            },
            {"type": "LineString", "arcs": [~1]},
            {"type": "Point", "coordinates": [1, 2]},
            {"type": None, "properties": {"name": "nothing"}},
        ],
        transform=TRANSFORM,
    )
    multi, line, point, null = topology_to_geojson(topo, "things")["features"]
    square = [[10, 20], [12, 20], [12, 20.5], [10, 20.5], [10, 20]]
    assert multi["id"] == 7
    assert multi["geometry"] == {
        "type": "MultiPolygon",
        "coordinates": [[square], [square]],
    }
    # Arc 1 decodes to (5,5) (7,5) (7,8), i.e. lon/lat (20,22.5) (24,22.5) (24,24),
    # and ~1 walks it backwards.
    assert line["geometry"] == {
        "type": "LineString",
        "coordinates": [[24, 24], [24, 22.5], [20, 22.5]],
    }
    # Points are quantized but never delta-encoded.
    assert point["geometry"] == {"type": "Point", "coordinates": [12, 21]}
    assert null["geometry"] is None
    assert null["properties"] == {"name": "nothing"}


def test_features_do_not_share_position_lists() -> None:
    topo = topology([SQUARE_ARC], [{"type": "Polygon", "arcs": [[0]]}] * 2)
    a, b = topology_to_geojson(topo, "things")["features"]
    a["geometry"]["coordinates"][0][0][0] = 999
    assert b["geometry"]["coordinates"][0][0][0] == 0


def test_decode_arcs_accumulates_deltas() -> None:
    assert decode_arcs({"arcs": [[[3, 4], [1, 1], [-2, 0]]], "transform": TRANSFORM}) == [
        [[16, 22], [18, 22.5], [14, 22.5]]
    ]


def test_errors() -> None:
    with pytest.raises(TopoJSONError, match="not found"):
        topology_to_geojson(topology([], []), "countries")
    with pytest.raises(TopoJSONError):
        topology_to_geojson({"type": "FeatureCollection"}, "things")
    with pytest.raises(TopoJSONError, match="out of range"):
        topology_to_geojson(topology([], [{"type": "Polygon", "arcs": [[3]]}]), "things")


# -- antimeridian --------------------------------------------------------------


def crossing_topology() -> dict[str, Any]:
    """Build a 20°x20° box from 170°E to 170°W, written as one quantized arc.

    Quantized x runs 0..36 with scale 10 and translate -180, so x=35 is 170°
    and x=1 is -170°: the edge (170,-10) → (-170,-10) jumps 340°.
    """
    arc = [[35, 0], [-34, 0], [0, 2], [34, 0], [0, -2]]
    return topology(
        [arc],
        [
            {
                "type": "Polygon",
                "arcs": [[0]],
                "id": "242",
                "properties": {"name": "Boxland"},
            }
        ],
        transform={"scale": [10, 10], "translate": [-180, -10]},
    )


def test_ring_crossing_antimeridian_becomes_two_rings() -> None:
    [feature] = topology_to_geojson(crossing_topology(), "things")["features"]
    assert feature["geometry"]["coordinates"] == [[[170, -10], [-170, -10], [-170, 10], [170, 10], [170, -10]]]
    split = split_antimeridian(feature["geometry"])
    assert split is not None
    assert split["type"] == "MultiPolygon"
    polygons = polygons_of(split)
    assert len(polygons) == 2
    rings = [polygon[0] for polygon in polygons]
    assert all(len(polygon) == 1 for polygon in polygons)  # no holes appeared

    for ring in rings:
        assert ring[0] == ring[-1]
        assert all(-180 <= lon <= 180 for lon, _ in ring)
        assert ring_segments_ok(ring)
        assert abs(signed_area(ring)) == pytest.approx(200)  # 10° x 20° each

    east = next(r for r in rings if max(lon for lon, _ in r) == 180)
    west = next(r for r in rings if min(lon for lon, _ in r) == -180)
    assert {tuple(p) for p in east} == {(170, -10), (180, -10), (180, 10), (170, 10)}
    assert {tuple(p) for p in west} == {
        (-180, -10),
        (-170, -10),
        (-170, 10),
        (-180, 10),
    }


def test_crossing_latitude_is_interpolated() -> None:
    # (170,0) → (-170,10): 10° to the meridian of a 20° step, so lat 5 there.
    geometry = {
        "type": "Polygon",
        "coordinates": [[[170, 0], [-170, 10], [-170, 20], [170, 20], [170, 0]]],
    }
    split = split_antimeridian(geometry)
    assert split is not None
    points = {tuple(p) for polygon in polygons_of(split) for p in polygon[0]}
    assert (180, 5) in points
    assert (-180, 5) in points
    assert (180, 20) in points
    assert (-180, 20) in points


def test_split_keeps_orientation_and_is_idempotent() -> None:
    ring = [[170, -10], [-170, -10], [-170, 10], [170, 10], [170, -10]]
    split = split_antimeridian({"type": "Polygon", "coordinates": [ring]})
    assert split is not None
    for polygon in polygons_of(split):
        assert signed_area(polygon[0]) > 0  # input was counter-clockwise
    assert split_antimeridian(split) == split


def test_ring_not_crossing_is_unchanged_even_with_meridian_vertex() -> None:
    # A vertex written as -180 on a ring that lives east of 179°: the sign is
    # arbitrary in the data and must not be taken for two crossings.
    ring = [[179, 0], [-180, 1], [179, 2], [178, 1], [179, 0]]
    split = split_antimeridian({"type": "Polygon", "coordinates": [ring]})
    assert split == {
        "type": "Polygon",
        "coordinates": [[[179, 0], [180, 1], [179, 2], [178, 1], [179, 0]]],
    }


def test_hole_goes_to_the_piece_that_contains_it() -> None:
    exterior = [[160, -10], [-160, -10], [-160, 10], [160, 10], [160, -10]]
    hole = [[-175, -1], [-175, 1], [-170, 1], [-170, -1], [-175, -1]]
    split = split_antimeridian({"type": "Polygon", "coordinates": [exterior, hole]})
    assert split is not None
    polygons = polygons_of(split)
    assert len(polygons) == 2
    west = next(p for p in polygons if min(lon for lon, _ in p[0]) == -180)
    east = next(p for p in polygons if max(lon for lon, _ in p[0]) == 180)
    assert west[1:] == [hole]
    assert east[1:] == []


def test_ring_round_the_south_pole_is_closed_along_the_bottom_edge() -> None:
    # Natural Earth-style Antarctica: one ring circling the pole, crossing once.
    ring = [[-120, -70], [0, -65], [120, -70], [-120, -70]]
    split = split_antimeridian({"type": "Polygon", "coordinates": [ring]})
    assert split is not None
    assert split["type"] == "Polygon"
    [out] = split["coordinates"]
    assert out[0] == out[-1]
    assert ring_segments_ok(out)
    assert all(-180 <= lon <= 180 for lon, _ in out)
    bottom = [p for p in out if p[1] == -90]
    assert [p[0] for p in bottom] == [180, 90, 0, -90, -180]
    # The meridian is reached at lat -70 on both sides (the edge 120→-120 is flat).
    assert [180, -70] in out
    assert [-180, -70] in out
    # Planar area between the coast and lat -90: a 360° x 20° band plus the
    # 240° x 5° triangle of the coast's bump.  Anything folded would differ.
    assert abs(signed_area(out)) == pytest.approx(360 * 20 + 240 * 5 / 2)


def test_polar_ring_crossing_three_times() -> None:
    # The coast wiggles back and forth over the meridian before going round:
    # crossings at lat -71, -74 and -76.  Along x=180 the land is [-90, -76]
    # and [-74, -71], so -76 must be the crossing joined via the pole edge and
    # the bit of land west of the meridian between -74 and -71 becomes its own
    # ring.
    ring = [
        [-120, -70],
        [0, -65],
        [120, -70],
        [170, -70],
        [-170, -72],
        [-170, -74],
        [170, -74],
        [170, -76],
        [-170, -76],
        [-120, -70],
    ]
    split = split_antimeridian({"type": "Polygon", "coordinates": [ring]})
    assert split is not None
    polygons = polygons_of(split)
    assert len(polygons) == 2
    for polygon in polygons:
        assert len(polygon) == 1
        assert ring_segments_ok(polygon[0])
        assert polygon[0][0] == polygon[0][-1]
    small = next(p[0] for p in polygons if len(p[0]) == 5)
    big = next(p[0] for p in polygons if len(p[0]) != 5)
    assert {tuple(p) for p in small} == {
        (-180, -71),
        (-170, -72),
        (-170, -74),
        (-180, -74),
    }
    assert [p[0] for p in big if p[1] == -90] == [180, 90, 0, -90, -180]
    # Entering the pole edge from the -76 crossing, not from -71 or -74.
    i = big.index([180, -90])
    assert big[i - 1] == [180, -76]
    assert big[i + 5] == [-180, -76]
    assert [180, -74] in big
    assert [180, -71] in big


def test_geostitch_antarctica_cap_and_coast_are_joined() -> None:
    # What world-atlas actually contains: an exterior "cap" ring at -89.999
    # running westwards round the pole and the coastline as a hole eastwards.
    cap = [
        [-180, -89.999],
        [90, -89.999],
        [0, -89.999],
        [-90, -89.999],
        [-180, -89.999],
    ]
    coast = [[-180, -80], [-90, -70], [0, -75], [90, -70], [179, -80], [-180, -80]]
    split = split_antimeridian({"type": "Polygon", "coordinates": [cap, coast]})
    assert split is not None
    assert split["type"] == "Polygon"
    [out] = split["coordinates"]  # one ring, no hole left
    assert ring_segments_ok(out)
    assert out[0] == out[-1]
    assert [180, -80] in out
    assert [-180, -80] in out
    assert [180, -89.999] in out
    assert [-180, -89.999] in out
    assert min(lat for _, lat in out) == -89.999


def test_linestring_is_cut() -> None:
    split = split_antimeridian({"type": "LineString", "coordinates": [[170, 0], [-170, 10], [-160, 10]]})
    assert split == {
        "type": "MultiLineString",
        "coordinates": [[[170, 0], [180, 5]], [[-180, 5], [-170, 10], [-160, 10]]],
    }


# -- rounding and the whole build ----------------------------------------------


def test_round_geometry_drops_duplicates_and_collapsed_rings() -> None:
    geometry = {
        "type": "Polygon",
        "coordinates": [
            [[0.0001, 0], [1.00049, 0], [1.0004, 0.0002], [1, 1], [0, 1], [0, 0]],
            [[0.5, 0.5], [0.5001, 0.5], [0.5, 0.5001], [0.5, 0.5]],  # collapses
        ],
    }
    rounded, dropped = round_geometry(geometry, 3)
    assert rounded == {
        "type": "Polygon",
        "coordinates": [[[0, 0], [1, 0], [1, 1], [0, 1], [0, 0]]],
    }
    assert dropped == 1


def test_build_basemap(tmp_path: Path) -> None:
    src = tmp_path / "world.json"
    src.write_text(json.dumps(crossing_topology()), encoding="utf-8")
    dst = tmp_path / "out" / "basemap.geojson"

    stats = build_basemap(src, dst, precision=2, object_name="things")

    raw = dst.read_bytes()
    assert b" " not in raw  # compact separators
    data = json.loads(raw)
    assert stats == {
        "features": 1,
        "rings": 2,
        "points": 10,
        "bytes": len(raw),
        "split_rings": 1,
        "dropped_rings": 0,
    }
    [feature] = data["features"]
    assert feature["id"] == "242"
    assert feature["properties"] == {"name": "Boxland"}
    for polygon in polygons_of(feature["geometry"]):
        assert signed_area(polygon[0]) > 0  # RFC 7946: exteriors counter-clockwise
        assert ring_segments_ok(polygon[0])
    assert sorted(p.name for p in dst.parent.iterdir()) == ["basemap.geojson"]  # no temp left
