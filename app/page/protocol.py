"""Every name Python and the map page share, defined once: the page's functions, the bridge's slots,
the channel, the start configuration, element ids, the data document's keys, status codes, the
marker palette and the online tiles.

The page does not keep copies of its own: :func:`page_protocol` goes into the configuration that
starts it (``TrotskyMap.start(map, config)``), and ``trotsky-map.js`` reads slot names, keys,
codes and colours from there. A GUI test checks that ``Object.keys(TrotskyMap)`` is
:class:`PageFunction` and that the bridge's slots are :class:`BridgeSlot`.
"""

from __future__ import annotations

from enum import StrEnum
from typing import Any

from geodata.borders import KM_PER_DEGREE, NEAR_KM

#: the global object of ``trotsky-map.js``
PAGE_OBJECT = "TrotskyMap"
#: the name the bridge is registered under on the QWebChannel
CHANNEL_OBJECT = "bridge"
#: set on ``<html>`` once the page has drawn its data (for pages opened without the app)
READY_ATTRIBUTE = "data-tm-ready"


class PageFunction(StrEnum):
    """The functions of ``window.TrotskyMap``; Python calls them through :func:`page_call`."""

    START = "start"
    SET_DAY = "setDay"
    SET_FOLLOW = "setFollow"
    SELECT = "select"
    DESCRIBE = "describe"
    ANSWERS = "answers"
    USE_POINT_CACHE = "usePointCache"
    MARKER_POINT = "markerPoint"
    OPEN_POPUP = "openPopup"
    BRIDGE = "bridge"
    ZOOM_TO = "zoomTo"
    FIT_JOURNEY = "fitJourney"
    FIT_YEAR = "fitYear"
    SHOW_LEGEND = "showLegend"
    SET_LAYER = "setLayer"
    FILM_MODE = "filmMode"
    SHOW_FRAME = "showFrame"
    STACK_AT = "stackAt"
    POINT = "point"
    COMPLETE = "complete"


def page_call(function: PageFunction) -> str:
    """The dotted name of a page function, e.g. ``TrotskyMap.setYear``."""
    return f"{PAGE_OBJECT}.{function.value}"


class BridgeSlot(StrEnum):
    """The slots of :class:`app.web.bridge.MapBridge`, the page's only way to Python."""

    READY = "ready"
    FAILED = "failed"
    CLICK_PLACE = "clickPlace"
    PAINTED = "painted"
    CONTEXT_MENU = "contextMenu"
    LAYER_CHOSEN = "layerChosen"


class ConfigKey(StrEnum):
    """Keys of the configuration the page starts with."""

    DATA_URL = "dataUrl"
    BASEMAP_URL = "basemapUrl"
    BASEMAP_COARSE_URL = "basemapCoarseUrl"
    BORDERS_URL = "bordersUrl"
    TOWNS_URL = "townsUrl"
    DATA_ELEMENT = "dataElement"
    BASEMAP_ELEMENT = "basemapElement"
    BASEMAP_COARSE_ELEMENT = "basemapCoarseElement"
    BORDERS_ELEMENT = "bordersElement"
    TOWNS_ELEMENT = "townsElement"
    YEAR = "year"
    PLACE = "place"
    PROTOCOL = "protocol"


class ElementId(StrEnum):
    """Ids of the ``<script type="application/json">`` elements an exported page embeds."""

    DATASET = "tm-dataset"
    BASEMAP = "tm-basemap"
    BASEMAP_COARSE = "tm-basemap-coarse"
    BORDERS = "tm-borders"
    TOWNS = "tm-towns"


class PayloadKey(StrEnum):
    """Keys of the dataset document the page receives (see :mod:`app.page.data`)."""

    TITLE = "title"
    BOUNDS = "bounds"
    IDS = "ids"
    NAMES = "names"
    LAT = "lat"
    LON = "lon"
    AREA = "area"
    STAY_OFFSETS = "stayOffsets"
    STAY_DAYS = "stayDays"
    DATED_NAMES = "datedNames"
    JOURNEY = "journey"
    JOURNEY_STARTS = "journeyStarts"
    JOURNEY_ENDS = "journeyEnds"
    JOURNEY_UNCERTAIN = "journeyUncertain"
    DAY_BOUNDS = "dayBounds"
    FIT = "fit"
    DETAILS = "details"
    CROSSINGS = "crossings"


class Status(StrEnum):
    """A place's status in a year (``geodata.queries.status_on``); :data:`STATUS_CODES` numbers them."""

    FUTURE = "future"
    PAST = "past"
    ACTIVE = "active"


#: the numbers the page keeps in its typed arrays (future places are not drawn)
STATUS_CODES: dict[Status, int] = {Status.FUTURE: 0, Status.PAST: 1, Status.ACTIVE: 2}

#: marker and line styles of the map (Leaflet path options); the page draws with these
STYLE: dict[str, dict[str, Any]] = {
    "path": {"color": "#c0392b", "weight": 2, "opacity": 0.5},
    # Opaque: an active marker hides the place's own past marker under it (see points-layer.js).
    "activePoint": {
        "radius": 7,
        "color": "#6d1a12",
        "weight": 1.5,
        "opacity": 1,
        "fillColor": "#c0392b",
        "fillOpacity": 1,
        "dashArray": None,
    },
    "pastPoint": {
        "radius": 4.5,
        "color": "#6b5d54",
        "weight": 1,
        "opacity": 0.55,
        "fillColor": "#8c7b70",
        "fillOpacity": 0.4,
        "dashArray": None,
    },
    "activeArea": {
        "radius": 20,
        "color": "#c0392b",
        "weight": 2,
        "opacity": 0.9,
        "fillColor": "#c0392b",
        "fillOpacity": 0.12,
        "dashArray": "5 4",
    },
    "pastArea": {
        "radius": 15,
        "color": "#8c7b70",
        "weight": 1,
        "opacity": 0.5,
        "fillColor": "#8c7b70",
        "fillOpacity": 0.06,
        "dashArray": "5 4",
    },
    # time on the move (a sea voyage, a train): the leg itself, dashed; bolder while he is on it
    "crossing": {"color": "#1f5f8b", "weight": 2, "opacity": 0.6, "dashArray": "6 5"},
    "crossingActive": {"color": "#1f5f8b", "weight": 4, "opacity": 0.95, "dashArray": "9 6"},
    # the historical borders: quiet fills (neighbours differ), so the markers and the path stay readable
    "borders": {"palette": ["#e9dcc3", "#dfe6cf", "#e6d6d6", "#d9e1e8", "#ece3cb", "#e0d9e8"], "emphasis": "#6b5a44"},
    "currentRing": {"radius": 12, "color": "#1b1b1b", "weight": 2.5},
    "selectedRing": {"radius": 16, "color": "#1f6fd1", "weight": 3},
}

#: the opt-in online layer (the default basemap is offline)
ONLINE_TILES_ORIGIN = "https://tile.openstreetmap.org"
ONLINE_TILES: dict[str, str] = {
    "url": ONLINE_TILES_ORIGIN + "/{z}/{x}/{y}.png",
    "attribution": "© OpenStreetMap contributors",
}


#: the map's base layers by the key Python and the settings use → the name the layer control shows
BASE_LAYERS: dict[str, str] = {
    "historical": "Borders of the date (1880–1938)",
    "offline": "Modern borders (Natural Earth)",
    "online": "OpenStreetMap (online)",
}
DEFAULT_LAYER = "historical"
#: each base layer's credit, in the map's attribution while it is shown
LAYER_CREDITS: dict[str, str] = {
    "historical": "Historical borders: aourednik/historical-basemaps (GPL-3.0), approximate · Natural Earth"
    " · towns: GeoNames (CC BY 4.0)",
    "offline": "Natural Earth (public domain) · towns: GeoNames (CC BY 4.0)",
}


#: the day number (:func:`geodata.dates.day_number`) of 1 January 1970, so the page can turn a day
#: number into a JavaScript date (any year from 1 on, before 1970 too)
EPOCH_DAY = 719163


def page_protocol() -> dict[str, Any]:
    """The shared names as the page receives them (``config.protocol``)."""
    return {
        "channel": CHANNEL_OBJECT,
        "readyAttribute": READY_ATTRIBUTE,
        "slots": {slot.name: slot.value for slot in BridgeSlot},
        "keys": {key.name: key.value for key in PayloadKey},
        "status": {status.name: code for status, code in STATUS_CODES.items()},
        "style": STYLE,
        "onlineTiles": ONLINE_TILES,
        "baseLayers": BASE_LAYERS,
        "layerCredits": LAYER_CREDITS,
        "epochDay": EPOCH_DAY,
        # a point outside every polygon but this close to a polity's outline is in it (geodata.borders)
        "bordersNear": {"km": NEAR_KM, "kmPerDegree": KM_PER_DEGREE},
    }
