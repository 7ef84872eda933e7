"""What a film of the life shows, frame by frame, worked out before any frame is drawn: the day of
each frame, the camera (centre and zoom) and the caption. Qt-free, so it is tested without a window.

The date runs **steadily** (the same number of days per frame) rather than pausing at each
arrival: in a steady film the two years in Siberian exile last twice as long as a year in Vienna,
so the time a place holds the screen says how long he was there, which is what a viewer should
take away; pauses at arrivals would give the five days of Halifax as much time as Prinkipo's four
years. The camera cannot jump with it: it follows where he is (along the line of a crossing while
he is at sea), smoothed over about a second each way, and zooms out while it travels far and fast,
so a move from Siberia to London reads as a flight over the map, not a cut.
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from pathlib import Path

from app.page.place_html import crossing_label
from geodata.dates import MONTH_NAMES, day_number, format_day, from_day_number
from geodata.model import Dataset
from geodata.queries import chapter_on, crossing_on, current_on, day_bounds, journey

#: a film of the whole life lasts this long by default; a shorter span, in proportion
LIFE_SECONDS = 60.0
#: the shortest default length, so a span of a few days still makes a film
MIN_DEFAULT_SECONDS = 2.0
DEFAULT_FPS = 30
#: a GIF's frame delay is in hundredths of a second and browsers slow delays under 0.02 s: 15 fps
#: plays at its speed everywhere, and keeps the file a third of the size it would be at 30
DEFAULT_GIF_FPS = 15
DEFAULT_SIZE = (1280, 720)
MIN_SIZE = (160, 90)
MAX_SIZE = (3840, 2160)
#: the zoom the camera holds at 1280×720 (Europe fills the frame); other sizes keep the same extent
BASE_ZOOM = 4.0
#: the camera's smoothing: a Gaussian over this many seconds of film (one standard deviation)
SMOOTH_SECONDS = 0.45
#: faster than this (frame widths per second), the camera zooms out to keep the motion readable
CALM_SPEED = 0.2
#: it zooms out at most this many levels
MAX_ZOOM_OUT = 3.0


#: the file suffixes a film can be written as, and the container the encoder writes
FORMATS: dict[str, str] = {".mp4": "mp4", ".gif": "gif"}


class FilmFormatError(ValueError):
    """The output path's suffix is not one of :data:`FORMATS`."""


def film_format(path: Path) -> str:
    """``mp4`` or ``gif`` from the path's suffix, else :class:`FilmFormatError` (here, not in the
    encoder, so that checking the command line does not import PyAV at every start)."""
    suffix = path.suffix.lower()
    if suffix not in FORMATS:
        raise FilmFormatError(f"{path.name}: a film is .mp4 or .gif, not {suffix or 'a file with no suffix'}")
    return FORMATS[suffix]


@dataclass(frozen=True)
class FilmSpec:
    """What to film: days ``first_day``–``last_day`` (day numbers) in ``seconds`` at ``fps``, at
    ``width``×``height`` pixels, with ``place_id`` selected (marked on the map) if given."""

    first_day: int
    last_day: int
    seconds: float
    fps: int
    width: int
    height: int
    place_id: str = ""

    @property
    def frame_count(self) -> int:
        return max(2, round(self.seconds * self.fps))


@dataclass(frozen=True)
class Camera:
    """Where the map looks in one frame (a fractional Leaflet zoom)."""

    lat: float
    lon: float
    zoom: float


@dataclass(frozen=True)
class Caption:
    """The words on one frame: "April 1917" and "Amherst Internment Camp", with the chapter."""

    date: str
    where: str
    chapter: str


def default_seconds(dataset: Dataset, first_day: int, last_day: int) -> float:
    """One minute for the whole life, a span in proportion (never under ``MIN_DEFAULT_SECONDS``)."""
    life_first, life_last = span_days(dataset, None, None)
    share = (last_day - first_day + 1) / (life_last - life_first + 1)
    return max(MIN_DEFAULT_SECONDS, round(LIFE_SECONDS * share, 2))


def frame_days(spec: FilmSpec) -> list[int]:
    """The day of every frame: from the first day to the last in equal steps."""
    count = spec.frame_count
    span = spec.last_day - spec.first_day
    return [spec.first_day + round(span * index / (count - 1)) for index in range(count)]


def _mercator(lat: float, lon: float) -> tuple[float, float]:
    """A point in Web Mercator world units (0–1 both ways), where straight lines are Leaflet's."""
    lat = max(-85.0, min(85.0, lat))
    y = math.log(math.tan(math.pi / 4 + math.radians(lat) / 2))
    return (lon + 180.0) / 360.0, (1 - y / math.pi) / 2


def _geographic(x: float, y: float) -> tuple[float, float]:
    lat = math.degrees(math.atan(math.sinh(math.pi * (1 - 2 * y))))
    return lat, x * 360.0 - 180.0


def _position(dataset: Dataset, day: int) -> tuple[float, float] | None:
    """Where he is on ``day`` in world units: his place, or the point of a crossing's line that
    the days he has been on it reach (None before the first stay)."""
    crossing = crossing_on(dataset, day)
    place = current_on(dataset, day)
    if crossing is not None and place is None:
        start, end = dataset.place(crossing.from_id), dataset.place(crossing.to_id)
        if start is not None and end is not None:
            first, last = crossing.days
            share = 0.5 if last == first else (day - first) / (last - first)
            (x0, y0), (x1, y1) = _mercator(start.lat, start.lon), _mercator(end.lat, end.lon)
            return x0 + (x1 - x0) * share, y0 + (y1 - y0) * share
    if place is None:
        return None
    return _mercator(place.lat, place.lon)


def _smoothed(values: list[float], sigma: float) -> list[float]:
    """A Gaussian moving average (the ends held): a camera that eases instead of jumping."""
    if sigma <= 0 or len(values) < 3:
        return list(values)
    reach = max(1, int(3 * sigma))
    weights = [math.exp(-0.5 * (offset / sigma) ** 2) for offset in range(-reach, reach + 1)]
    total = sum(weights)
    last = len(values) - 1
    offsets = range(-reach, reach + 1)
    return [
        sum(weight * values[min(last, max(0, index + offset))] for offset, weight in zip(offsets, weights, strict=True))
        / total
        for index in range(len(values))
    ]


def base_zoom(width: int, height: int) -> float:
    """The zoom that shows at ``width``×``height`` what ``BASE_ZOOM`` shows at 1280×720."""
    return BASE_ZOOM + math.log2(min(width / 1280, height / 720))


def camera_path(dataset: Dataset, days: list[int], spec: FilmSpec) -> list[Camera]:
    """The camera of every frame: on where he is, smoothed, zoomed out while moving fast."""
    first = journey(dataset)[0].place if journey(dataset) else dataset.places[0]
    fallback = _mercator(first.lat, first.lon)
    points = []
    for day in days:
        point = _position(dataset, day)
        fallback = point or fallback
        points.append(fallback)
    sigma = SMOOTH_SECONDS * spec.fps
    xs = _smoothed([x for x, _ in points], sigma)
    ys = _smoothed([y for _, y in points], sigma)
    zoom = base_zoom(spec.width, spec.height)
    world_px = 256 * 2**zoom  # the world's width in pixels at the base zoom
    outs = []
    for index in range(len(xs)):
        before, after = max(0, index - 1), min(len(xs) - 1, index + 1)
        step = math.hypot(xs[after] - xs[before], ys[after] - ys[before]) / max(1, after - before)
        widths_per_second = step * world_px * spec.fps / spec.width
        out = math.log2(widths_per_second / CALM_SPEED) if widths_per_second else 0.0
        outs.append(min(MAX_ZOOM_OUT, max(0.0, out)))
    outs = _smoothed(outs, sigma)
    cameras = []
    for x, y, out in zip(xs, ys, outs, strict=True):
        lat, lon = _geographic(x, y)
        cameras.append(Camera(lat, lon, round(zoom - out, 3)))
    return cameras


def caption(dataset: Dataset, day: int, days_per_frame: float) -> Caption:
    """What one frame says: the date (the month when a frame is several days, else the day), where
    he is (the crossing he is on, or the last place known, "after" it), and the chapter."""
    date = from_day_number(day)
    when = format_day(date) if days_per_frame < 5 else f"{MONTH_NAMES[date.month - 1]} {date.year}"
    crossing = crossing_on(dataset, day)
    place = current_on(dataset, day)
    if place is not None:
        where = place.name_in(date.year)
    elif crossing is not None:
        where = crossing_label(dataset, crossing, short=True)
        where = where[:1].upper() + where[1:]
    else:
        where = ""
    chapter = chapter_on(dataset, day)
    return Caption(when, where, chapter.title if chapter else "")


def credits(dataset: Dataset) -> str:
    """The credits every frame carries: the basemap's and the texts' (work, author, licence)."""
    texts = "; ".join(f"“{s.title}”, {s.author} ({s.licence})" for s in dataset.sources.values())
    return f"Map: Natural Earth · Texts: {texts}"


def parse_size(text: str) -> tuple[int, int]:
    """``WxH`` → (W, H); both even (H.264's 4:2:0 needs it) and within ``MIN_SIZE``–``MAX_SIZE``."""
    parts = text.lower().split("x")
    if len(parts) != 2 or not all(part.isdigit() for part in parts):
        raise ValueError(f"{text!r} is not a size like 1280x720")
    width, height = int(parts[0]), int(parts[1])
    if width % 2 or height % 2:
        raise ValueError(f"{text!r}: width and height must be even (H.264 video needs it)")
    if width < MIN_SIZE[0] or height < MIN_SIZE[1]:
        raise ValueError(f"{text!r} is too small (at least {MIN_SIZE[0]}x{MIN_SIZE[1]})")
    if width > MAX_SIZE[0] or height > MAX_SIZE[1]:
        raise ValueError(f"{text!r} is too large (at most {MAX_SIZE[0]}x{MAX_SIZE[1]})")
    return width, height


def span_days(dataset: Dataset, first: int | None, last: int | None) -> tuple[int, int]:
    """The film's first and last day: the ones given, else the life's: from the birth (or the first
    stay) to the end of the last stay."""
    legs = journey(dataset)
    born = dataset.person.born
    if first is None and born is not None:
        first = day_number(born.first_day())
    if first is None:
        first = legs[0].first if legs else day_bounds(dataset)[0]
    if last is None:
        last = max(leg.last for leg in legs) if legs else day_bounds(dataset)[1]
    return first, last
