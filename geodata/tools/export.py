"""Write a dataset in formats other tools read: Linked Places (GeoJSON), KML and CSV.

Why three: Linked Places Format (LPF) is what historical gazetteers (World Historical Gazetteer,
Pelagios) ingest, and being GeoJSON it opens in QGIS or geojson.io too; KML plays the journey on
Google Earth's time slider; CSV is for spreadsheets. Each exporter is a pure function from a loaded
``Dataset`` to text, so the same bytes come out for the same dataset.

Markup is never glued from strings: KML is built with ``xml.etree.ElementTree``, which escapes every
text, and JSON and CSV go through their standard modules, so a summary containing ``<script>``,
``]]>`` or quotes arrives as the same characters.
"""

from __future__ import annotations

import calendar
import csv
import io
import json
import re
import xml.etree.ElementTree as ET
from collections.abc import Callable
from typing import Any

from geodata.dates import PartialDate, Precision
from geodata.model import Crossing, Dataset, Excerpt, Place, PlaceName, Stay
from geodata.queries import journey, year_bounds

LPF_CONTEXT = "https://raw.githubusercontent.com/LinkedPasts/linked-places/master/linkedplaces-context-v1.1.jsonld"
ID_PREFIX = "trotsky-map:place/"
KML_NAMESPACE = "http://www.opengis.net/kml/2.2"
CSV_COLUMNS = (
    "place_id",
    "place_name",
    "name_in_start_year",
    "modern_name",
    "country",
    "lat",
    "lon",
    "granularity",
    "start",
    "end",
    "kind",
    "certainty",
    "summary",
    "sources",
    "excerpt_count",
    "first_excerpt",
)
# XML 1.0 cannot carry most control characters, even escaped; they are dropped from KML text.
_NOT_XML = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ufffe\uffff]")


# -- Linked Places Format ------------------------------------------------------------------


def _timespan(start: dict[str, str], end: dict[str, str] | None) -> dict[str, Any]:
    return {"start": start, "end": end} if end is not None else {"start": start}


def _stay_timespan(stay: Stay) -> dict[str, Any]:
    """A stay's dates as-is; a one-day stay is a start alone, which LPF reads as "during that day"."""
    end = None if stay.end == stay.start else {"in": str(stay.end)}
    return _timespan({"in": str(stay.start)}, end)


def _name_timespan(name: PlaceName, bounds: tuple[int, int]) -> dict[str, Any]:
    """When a name applied. LPF needs a start, and a lone start means "during that period", so open
    ends are stated with OWL-Time bounds over the dataset's years: no ``from`` → the name was in use
    no later than the first year (``start.latest``); no ``to`` → still in use at the end of the last
    (``end.earliest``).
    """
    first, last = bounds
    start = {"in": str(name.start)} if name.start is not None else {"latest": f"{first:04d}"}
    end = {"in": str(name.end)} if name.end is not None else {"earliest": f"{last:04d}"}
    return _timespan(start, end)


def _citations(dataset: Dataset, place: Place) -> list[dict[str, str]]:
    cited = dict.fromkeys(excerpt.source for stay in place.stays for excerpt in stay.excerpts)
    citations = []
    for source_id in cited:
        source = dataset.sources[source_id]
        citation = {"label": f"{source.title} ({source.author})"}
        if source.url:
            citation["@id"] = source.url
        citations.append(citation)
    return citations


def _lpf_names(dataset: Dataset, place: Place) -> list[dict[str, Any]]:
    """The display name (cited by the place's sources) and every dated name with its timespan."""
    dated = {name.name: name for name in place.names}
    names: list[dict[str, Any]] = []
    primary = dated.get(place.name, PlaceName(place.name))
    bounds = year_bounds(dataset)
    names.append(
        {
            "toponym": place.name,
            "citations": _citations(dataset, place),
            "when": _when(_name_timespan(primary, bounds)),
        }
    )
    for name in place.names:
        if name.name != place.name:
            names.append({"toponym": name.name, "when": _when(_name_timespan(name, bounds))})
    return names


def _when(*timespans: dict[str, Any]) -> dict[str, Any]:
    return {"timespans": list(timespans)}


def _excerpt_record(dataset: Dataset, excerpt: Excerpt) -> dict[str, Any]:
    source = dataset.sources[excerpt.source]
    return {"source": source.title, "source_id": source.id, "offset": excerpt.offset, "text": excerpt.text}


def _stay_record(dataset: Dataset, stay: Stay) -> dict[str, Any]:
    record: dict[str, Any] = {
        "start": str(stay.start),
        "end": str(stay.end),
        "kind": stay.kind,
        "certainty": stay.certainty,
        "summary": stay.summary,
    }
    if stay.calendar:
        record["calendar"] = stay.calendar
    if stay.note:
        record["note"] = stay.note
    record["excerpts"] = [_excerpt_record(dataset, excerpt) for excerpt in stay.excerpts]
    return record


def _ccodes(place: Place) -> list[str]:
    if not place.country:
        return []
    from geodata.tools.gazetteer import country_codes_in

    return list(country_codes_in(place.country))


def _links(place: Place) -> list[dict[str, str]]:
    if place.coord_source.startswith("geonames:"):
        geonameid = place.coord_source.removeprefix("geonames:")
        return [{"type": "closeMatch", "identifier": f"https://www.geonames.org/{geonameid}/"}]
    return []


def lpf_feature(dataset: Dataset, place: Place) -> dict[str, Any]:
    """One place as a Linked Places Feature with a GeoJSON Point."""
    properties: dict[str, Any] = {
        "title": place.name,
        "ccodes": _ccodes(place),
        "modern_name": place.modern_name,
        "country": place.country,
        "granularity": place.granularity,
        "coord_precision": place.coord_precision,
        "coord_source": place.coord_source,
    }
    if place.note:
        properties["note"] = place.note
    properties["stays"] = [_stay_record(dataset, stay) for stay in place.stays]
    properties["excerpts"] = [
        {"source": dataset.sources[excerpt.source].title, "text": excerpt.text}
        for stay in place.stays
        for excerpt in stay.excerpts
    ]
    feature: dict[str, Any] = {
        "@id": ID_PREFIX + place.id,
        "type": "Feature",
        "id": place.id,
        "properties": properties,
        "geometry": {"type": "Point", "coordinates": [place.lon, place.lat]},
        "when": _when(*(_stay_timespan(stay) for stay in place.stays)),
        "names": _lpf_names(dataset, place),
    }
    links = _links(place)
    if links:
        feature["links"] = links
    return feature


def to_lpf(dataset: Dataset) -> str:
    """The dataset as a Linked Places Format v1.2 FeatureCollection (valid RFC 7946 GeoJSON)."""
    document = {
        "type": "FeatureCollection",
        "@context": LPF_CONTEXT,
        "title": dataset.title,
        "sources": [
            {
                "id": s.id,
                "title": s.title,
                "author": s.author,
                "licence": s.licence,
                **({"url": s.url} if s.url else {}),
            }
            for s in dataset.sources.values()
        ],
        "features": [lpf_feature(dataset, place) for place in dataset.places],
    }
    return json.dumps(document, ensure_ascii=False, indent=2, allow_nan=False) + "\n"


# -- KML -----------------------------------------------------------------------------------


def kml_end(date: PartialDate) -> str:
    """The last day a partial end date covers: ``1917`` → ``1917-12-31``, ``1917-02`` → ``1917-02-28``.

    Google Earth reads a partial date as its first instant, so an end of ``1917`` would hide the stay
    for all of 1917 (and a one-year stay ``1917``–``1917`` would last no time at all). Begin dates stay
    partial (``1917``), which is already the right first instant and keeps the precision visible.
    """
    if date.precision is Precision.DAY:
        return str(date)
    month = date.month if date.month is not None else 12
    last_day = calendar.monthrange(date.year, month)[1]
    return f"{date.year:04d}-{month:02d}-{last_day:02d}"


def _xml_text(text: str) -> str:
    return _NOT_XML.sub("", text)


def _sub(parent: ET.Element, tag: str, text: str | None = None) -> ET.Element:
    element = ET.SubElement(parent, f"{{{KML_NAMESPACE}}}{tag}")
    if text is not None:
        element.text = _xml_text(text)
    return element


def _coordinate(value: float) -> str:
    return repr(float(value))


def _stay_description(dataset: Dataset, stay: Stay | Crossing) -> str:
    """The summary and every excerpt, as plain text (KML viewers show it; no HTML is produced)."""
    parts = [stay.summary]
    for excerpt in stay.excerpts:
        source = dataset.sources[excerpt.source]
        parts.append(f"“{excerpt.text}” — {source.title} ({source.author})")
    if stay.calendar:
        parts.append(f"Calendar: {stay.calendar}")
    if stay.certainty == "inferred" and stay.note:
        parts.append(f"Inferred: {stay.note}")
    return "\n\n".join(parts)


def to_kml(dataset: Dataset) -> str:
    """KML 2.2: one Placemark per stay, in journey order, each with a TimeSpan for the time slider;
    then one per crossing, a line between its two places."""
    ET.register_namespace("", KML_NAMESPACE)
    root = ET.Element(f"{{{KML_NAMESPACE}}}kml")
    document = _sub(root, "Document")
    _sub(document, "name", dataset.title)
    credits = "; ".join(f"{s.title} ({s.author}, {s.licence})" for s in dataset.sources.values())
    _sub(document, "description", f"Quoted sources: {credits}")
    numbers = {id(stay): index for place in dataset.places for index, stay in enumerate(place.stays)}
    for leg in journey(dataset):
        place, stay = leg.place, leg.stay
        placemark = _sub(document, "Placemark")
        placemark.set("id", f"stay-{place.id}-{numbers[id(stay)]}")
        _sub(placemark, "name", place.name_in(stay.start.year))
        _sub(placemark, "description", _stay_description(dataset, stay))
        span = _sub(placemark, "TimeSpan")
        _sub(span, "begin", str(stay.start))
        _sub(span, "end", kml_end(stay.end))
        _extended_data(
            placemark,
            place_id=place.id,
            start=str(stay.start),
            end=str(stay.end),
            kind=stay.kind,
            certainty=stay.certainty,
            granularity=place.granularity,
        )
        point = _sub(placemark, "Point")
        _sub(point, "coordinates", f"{_coordinate(place.lon)},{_coordinate(place.lat)}")
    for number, crossing in enumerate(dataset.crossings):
        _crossing_placemark(dataset, document, crossing, number)
    ET.indent(root, space=" ")
    return ET.tostring(root, encoding="unicode", xml_declaration=True) + "\n"


def _extended_data(placemark: ET.Element, **values: str) -> None:
    """KML's ``ExtendedData``: one ``Data`` per field, in the order given."""
    extended = _sub(placemark, "ExtendedData")
    for key, value in values.items():
        data = _sub(extended, "Data")
        data.set("name", key)
        _sub(data, "value", value)


def _crossing_placemark(dataset: Dataset, document: ET.Element, crossing: Crossing, number: int) -> None:
    """A crossing as a line between its two places, with its TimeSpan (after the stays' points)."""
    ends = [dataset.place(crossing.from_id), dataset.place(crossing.to_id)]
    placemark = _sub(document, "Placemark")
    placemark.set("id", f"crossing-{number}")
    names = " → ".join(end.name_in(crossing.start.year) if end else "" for end in ends)
    _sub(placemark, "name", names + (f" ({crossing.vessel})" if crossing.vessel else ""))
    _sub(placemark, "description", _stay_description(dataset, crossing))
    span = _sub(placemark, "TimeSpan")
    _sub(span, "begin", str(crossing.start))
    _sub(span, "end", kml_end(crossing.end))
    _extended_data(
        placemark, **{"from": crossing.from_id, "to": crossing.to_id}, mode=crossing.mode, certainty=crossing.certainty
    )
    line = _sub(placemark, "LineString")
    _sub(line, "tessellate", "1")
    _sub(
        line,
        "coordinates",
        " ".join(f"{_coordinate(end.lon)},{_coordinate(end.lat)}" for end in ends if end is not None),
    )


# -- CSV -----------------------------------------------------------------------------------


def to_csv(dataset: Dataset) -> str:
    """One row per stay in journey order, with the columns of ``CSV_COLUMNS`` (RFC 4180 quoting)."""
    buffer = io.StringIO(newline="")
    writer = csv.writer(buffer)
    writer.writerow(CSV_COLUMNS)
    for leg in journey(dataset):
        place, stay = leg.place, leg.stay
        sources = dict.fromkeys(excerpt.source for excerpt in stay.excerpts)
        writer.writerow(
            (
                place.id,
                place.name,
                place.name_in(stay.start.year),
                place.modern_name,
                place.country,
                _coordinate(place.lat),
                _coordinate(place.lon),
                place.granularity,
                str(stay.start),
                str(stay.end),
                stay.kind,
                stay.certainty,
                stay.summary,
                ";".join(sources),
                len(stay.excerpts),
                stay.excerpts[0].text if stay.excerpts else "",
            )
        )
    return buffer.getvalue()


EXPORTERS: dict[str, Callable[[Dataset], str]] = {"lpf": to_lpf, "kml": to_kml, "csv": to_csv}


def export(dataset: Dataset, format_name: str) -> str:
    """The dataset in ``format_name`` (``lpf``, ``kml`` or ``csv``)."""
    try:
        exporter = EXPORTERS[format_name]
    except KeyError:
        raise ValueError(f"unknown export format {format_name!r} (known: {', '.join(EXPORTERS)})") from None
    return exporter(dataset)
