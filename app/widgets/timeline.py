"""The life at a glance: every stay as a bar, the chapters as bands, the date as a draggable cursor.

A hand-drawn QPainter widget (no scene items, no per-bar objects), built to repaint in a few
milliseconds at 10,000 places:

- everything that does not move with the date (lanes, bars, chapters, density strip, axis) is drawn
  once per view range and size into a pixmap (the lanes and their labels once per size); a date
  change draws that pixmap, the selected place's few bars and the cursor, and asks Qt to repaint
  only the strips the cursor left and entered;
- bars are indexed by length class (powers of two), each class sorted by first day, so the bars
  a view can show are a bisection per class away; they are drawn in batches (``drawRects``, one
  pen and brush per style and length class, longer first so a short stay is never hidden);
- when a view holds more bars than can be drawn one by one (``DETAIL_MAX``), it draws their union
  instead, merged when the dataset is set: exactly, and across gaps of 1, 2, 4, … days; a view
  takes the coarsest level whose tolerance is under a pixel, so what it draws differs from the
  bars by less than a pixel and costs a few rectangles per lane;
- labels are laid out once (``QStaticText``) and elided by clipping, so a zoom lays out nothing
  new; the density strip is one pre-drawn image stretched to the view.

The widget never calls another view: it reads the state and asks it for a new date or selection.
"""

from __future__ import annotations

import bisect
import calendar
import datetime as dt
import math
from collections.abc import Iterator
from dataclasses import dataclass
from typing import NamedTuple

from PySide6.QtCore import QEvent, QLine, QPoint, QPointF, QRect, QRectF, QSize, Qt, Signal
from PySide6.QtGui import (
    QBrush,
    QColor,
    QContextMenuEvent,
    QFocusEvent,
    QFont,
    QFontMetrics,
    QHelpEvent,
    QImage,
    QKeyEvent,
    QMouseEvent,
    QPainter,
    QPaintEvent,
    QPen,
    QPixmap,
    QPolygon,
    QStaticText,
    QTransform,
    QWheelEvent,
)
from PySide6.QtWidgets import QApplication, QMenu, QToolTip, QWidget

from app.page.place_html import kind_label
from app.widgets.state import AppState
from geodata.dates import MONTH_NAMES, day_number, format_day, from_day_number
from geodata.model import Chapter, Dataset
from geodata.queries import JourneyLeg, journey
from geodata.schema import STAY_KINDS
from geodata.wording import format_date, format_span

LANE_MODES = ("kind", "place")
#: the narrowest view: about two weeks
MIN_SPAN_DAYS = 14.0
#: a one-day stay is still this wide
MIN_BAR_PX = 3
#: an uncertain bar narrower than this is drawn as a pale tick (a dash pattern needs room)
NARROW_PX = 8
#: up to this many bars in view are drawn one by one (outlined); more, and their union is drawn
DETAIL_MAX = 300
#: overlapping stays of one kind share a lane in up to this many sub-rows
MAX_SUB_ROWS = 3
#: a sub-row is at least this tall (pixels)
SUB_ROW_MIN = 7
#: lanes by place: places whose spans do not overlap share a row, up to this many rows
MAX_PLACE_ROWS = 24
ZOOM_STEP = 1.25

# Colours of the map (app/page/protocol.py STYLE): red for stays, greys for the rest, the current
# place's near-black for the date, the selection's blue.
BACKGROUND = QColor("#fbfaf8")
LANE_STRIPE = QColor("#f2eeea")
GRID = QColor("#e4ddd6")
GUTTER_TEXT = QColor("#4a4038")
AXIS_TEXT = QColor("#3b3b3b")
AXIS_TICK = QColor("#8c7b70")
STATED_FILL = QColor("#c0392b")
STATED_LINE = QColor("#6d1a12")
UNCERTAIN_FILL = QColor("#eab2aa")
UNCERTAIN_LINE = QColor("#c0392b")
#: an uncertain bar too narrow for a dashed outline
UNCERTAIN_TICK = QColor("#df8a7f")
SELECTED_FILL = QColor("#1f6fd1")
SELECTED_LINE = QColor("#0b3a78")
SELECTED_UNCERTAIN_FILL = QColor("#9cc0ee")
SELECTED_UNCERTAIN_TICK = QColor("#6a9fe0")
CHAPTER_FILLS = (QColor("#e9e2db"), QColor("#ddd3c9"))
CHAPTER_LINE = QColor("#b9aca0")
CHAPTER_TEXT = QColor("#2f2924")
DENSITY_EMPTY = QColor("#efebe7")
DENSITY_LOW = QColor("#e6cfc9")
DENSITY_FULL = QColor("#8e1f14")
CURSOR = QColor("#1b1b1b")
DAY_BAND = QColor(27, 27, 27, 28)
FOCUS = QColor("#1f6fd1")

# Vertical layout, in pixels.
TOP = 2
CHAPTER_ROW = 13
DENSITY_H = 5
GAP = 3
AXIS_H = 19
SIDE = 6


class _Bar(NamedTuple):
    """One stay as the timeline draws it: days ``start`` to ``end`` (exclusive), in a lane."""

    start: int
    end: int
    lane: int
    sub: int
    uncertain: bool
    leg: JourneyLeg


#: a group of bars drawn alike: (lane, sub-row, uncertain)
_GroupKey = tuple[int, int, bool]


@dataclass(frozen=True, slots=True)
class _Level:
    """The union of each group's bars, merged across gaps up to ``tolerance`` days and with ticks
    ``MIN_BAR_PX`` tolerances wide: sorted, disjoint (starts, ends) per group. Level 0 is the exact
    union (only overlapping or touching bars merge)."""

    tolerance: int
    groups: dict[_GroupKey, tuple[list[int], list[int]]]


class _Track:
    """The bars of one dataset in one lane mode, sorted by first day; nothing here depends on the view."""

    def __init__(self, dataset: Dataset, mode: str) -> None:
        legs = journey(dataset)
        self.labels: list[str] = []
        if mode == "kind":
            kinds = {leg.stay.kind for leg in legs}
            order = [kind for kind in STAY_KINDS if kind in kinds] + sorted(kinds - set(STAY_KINDS))
            lane_of = {kind: index for index, kind in enumerate(order)}
            self.labels = [kind_label(kind) for kind in order]
            # the journey is in order of first day already (then by the order the texts give)
            lanes: list[list[int]] = [[] for _ in order]
            self.bars: list[_Bar] = []
            append = self.bars.append
            for leg in legs:
                start, end, stay = leg.first, leg.last + 1, leg.stay
                lane = lane_of[stay.kind]
                sub = _first_fit(lanes[lane], start, end, MAX_SUB_ROWS)
                append(_Bar(start, end, lane, sub, stay.uncertain, leg))
            rows = [max(1, len(ends)) for ends in lanes]
            self.sub_rows = rows
        else:
            spans: dict[str, list[int]] = {}
            for leg in legs:
                span = spans.setdefault(leg.place.id, [leg.first, leg.last + 1])
                span[0], span[1] = min(span[0], leg.first), max(span[1], leg.last + 1)
            places = sorted(spans, key=lambda place_id: (spans[place_id][0], spans[place_id][1]))
            row_ends: list[int] = []
            row_of = {place: _first_fit(row_ends, spans[place][0], spans[place][1], MAX_PLACE_ROWS) for place in places}
            self.bars = sorted(
                (_Bar(leg.first, leg.last + 1, row_of[leg.place.id], 0, leg.stay.uncertain, leg) for leg in legs),
                key=lambda bar: (bar.start, bar.end),
            )
            self.sub_rows = [1] * (max(row_of.values()) + 1 if row_of else 0)
        self.lanes = len(self.sub_rows)
        self.first_day = self.bars[0].start if self.bars else 0
        self.end_day = max((bar.end for bar in self.bars), default=0)
        self.by_place: dict[str, list[_Bar]] = {}
        for bar in self.bars:
            self.by_place.setdefault(bar.leg.place.id, []).append(bar)
        # Bars by length class (powers of two), each sorted by start: the bars that can reach a
        # day are those of each class that start less than the class's longest bar before it.
        classes: dict[int, list[int]] = {}
        for index, bar in enumerate(self.bars):
            classes.setdefault((bar.end - bar.start).bit_length(), []).append(index)
        self._classes = [
            (
                max(self.bars[index].end - self.bars[index].start for index in indices),
                [self.bars[index].start for index in indices],
                indices,
            )
            for _size, indices in sorted(classes.items())
        ]
        self.levels = self._levels(by_sub=True)
        self.lane_levels = self._levels(by_sub=False) if any(rows > 1 for rows in self.sub_rows) else self.levels

    def _ranges(self, first: float, last: float) -> Iterator[tuple[list[int], int, int]]:
        for longest, starts, indices in self._classes:
            yield indices, bisect.bisect_right(starts, first - longest), bisect.bisect_left(starts, last)

    def count(self, first: float, last: float) -> int:
        """About how many bars overlap days [first, last) (a few more may be counted)."""
        return sum(high - low for _indices, low, high in self._ranges(first, last))

    def candidates(self, first: float, last: float) -> list[_Bar]:
        """The bars that may overlap days [first, last): all of them do but a few that end just
        before ``first`` (callers check)."""
        bars = self.bars
        return [bars[index] for indices, low, high in self._ranges(first, last) for index in indices[low:high]]

    def _levels(self, by_sub: bool) -> list[_Level]:
        groups: dict[_GroupKey, tuple[list[int], list[int]]] = {}
        for bar in self.bars:
            starts, ends = groups.setdefault((bar.lane, bar.sub if by_sub else 0, bar.uncertain), ([], []))
            starts.append(bar.start)
            ends.append(bar.end)
        levels: list[_Level] = []
        tolerance = 0
        span = self.end_day - self.first_day
        while self.bars and tolerance <= max(span / 64, 1):
            groups = {key: _merge(starts, ends, tolerance) for key, (starts, ends) in groups.items()}
            levels.append(_Level(tolerance, groups))
            tolerance = tolerance * 2 or 1
        return levels

    def level_for(self, days_per_px: float, by_sub: bool) -> _Level | None:
        """The coarsest level whose tolerance is at most a pixel (the exact union when a day is
        wider), of the bars by sub-row or (where a lane shows its sub-rows as one) by lane."""
        levels = self.levels if by_sub else self.lane_levels
        chosen = levels[0] if levels else None
        for level in levels:
            if level.tolerance <= days_per_px:
                chosen = level
        return chosen


def _first_fit(ends: list[int], start: int, end: int, cap: int) -> int:
    """The row a span takes, spans coming in order of start: the first row free by ``start`` (the
    rows' ends are in ``ends``); when all ``cap`` rows are taken, the one that frees first."""
    for row, row_end in enumerate(ends):
        if row_end <= start:
            ends[row] = end
            return row
    if len(ends) < cap:
        ends.append(end)
        return len(ends) - 1
    row = min(range(cap), key=ends.__getitem__)
    ends[row] = max(ends[row], end)
    return row


def _merge(starts: list[int], ends: list[int], tolerance: int) -> tuple[list[int], list[int]]:
    """Spans sorted by start merged across gaps under ``tolerance``, each at least MIN_BAR_PX
    tolerances wide: what a view at ``tolerance`` days per pixel would draw as one rectangle."""
    out_starts: list[int] = []
    out_ends: list[int] = []
    width = MIN_BAR_PX * tolerance
    for start, end in zip(starts, ends, strict=True):
        end = max(end, start + width)
        if out_ends and start <= out_ends[-1] + tolerance:
            if end > out_ends[-1]:
                out_ends[-1] = end
        else:
            out_starts.append(start)
            out_ends.append(end)
    return out_starts, out_ends


@dataclass(frozen=True, slots=True)
class _Layout:
    """Where everything goes at one size (pixels)."""

    width: int
    height: int
    plot_left: int
    plot_right: int
    chapter_top: int
    chapter_rows: int
    density_top: int
    lanes_top: int
    lanes_bottom: int
    lane_height: float
    #: (top, height) of each (lane, sub-row)
    rows: dict[tuple[int, int], tuple[int, int]]
    #: how many sub-rows each lane shows (its stays' sub-rows beyond are folded into these)
    shown: list[int]
    axis_top: int

    @property
    def plot_width(self) -> int:
        return max(1, self.plot_right - self.plot_left)


#: tick steps, finest last: (unit, count)
_STEPS: tuple[tuple[str, int], ...] = (
    ("year", 100),
    ("year", 50),
    ("year", 20),
    ("year", 10),
    ("year", 5),
    ("year", 2),
    ("year", 1),
    ("month", 6),
    ("month", 3),
    ("month", 1),
    ("day", 10),
    ("day", 5),
    ("day", 2),
    ("day", 1),
)
_UNIT_DAYS = {"year": 365.25, "month": 30.44, "day": 1.0}
#: the small ticks between labelled ones
_MINOR = {
    ("year", 100): ("year", 10),
    ("year", 50): ("year", 10),
    ("year", 20): ("year", 5),
    ("year", 10): ("year", 1),
    ("year", 5): ("year", 1),
    ("year", 2): ("year", 1),
    ("year", 1): ("month", 1),
    ("month", 6): ("month", 1),
    ("month", 3): ("month", 1),
    ("month", 1): ("day", 1),
    ("day", 10): ("day", 1),
    ("day", 5): ("day", 1),
    ("day", 2): ("day", 1),
}
MONTH_ABBREVIATIONS = tuple(name[:3] for name in MONTH_NAMES)
#: labelled ticks are at least this far apart
TICK_LABEL_SPACING = 52


def _tick_dates(first: float, last: float, unit: str, count: int) -> Iterator[dt.date]:
    """The dates of one step's ticks within days [first, last)."""
    low = from_day_number(max(1, int(first)))
    high = from_day_number(min(dt.date.max.toordinal(), int(last) + 1))
    if unit == "year":
        for year in range(max(1, low.year - low.year % count), high.year + 1, count):
            yield dt.date(year, 1, 1)
        return
    month_index = low.year * 12 + low.month - 1
    while month_index <= high.year * 12 + high.month - 1:
        year, month = divmod(month_index, 12)
        if year < 1:
            month_index += 1
            continue
        if unit == "month":
            if month % count == 0:
                yield dt.date(year, month + 1, 1)
        else:
            length = calendar.monthrange(year, month + 1)[1]
            for day in range(1, length + 1, count):
                if day == 1 or count == 1 or length - day + 1 >= count / 2 + 1:
                    yield dt.date(year, month + 1, day)
        month_index += 1


class _Texts:
    """Fonts by name and their laid-out labels, kept: shaping a label costs far more than drawing
    it, and the same year numbers, months and chapter titles come back at every zoom step."""

    LIMIT = 4000

    def __init__(self, base: QFont) -> None:
        def font(pixels: int, *, bold: bool = False, italic: bool = False) -> QFont:
            made = QFont(base)
            made.setPixelSize(pixels)
            made.setBold(bold)
            made.setItalic(italic)
            return made

        self.fonts: dict[str, QFont] = {
            "small": font(10),
            "bold": font(10, bold=True),
            "chapter": font(10),
            "editorial": font(10, italic=True),
            "lane": font(9),
            "bar": font(9),
        }
        self._static: dict[tuple[str, int, str], QStaticText] = {}
        self._elided: dict[tuple[str, int, str, int], str] = {}
        self._prefixes: dict[tuple[str, int, str], list[int]] = {}
        self._metrics: dict[tuple[str, int], QFontMetrics] = {}

    def resize(self, name: str, pixels: int) -> None:
        self.fonts[name].setPixelSize(pixels)

    def metrics(self, name: str) -> QFontMetrics:
        font = self.fonts[name]
        key = (name, font.pixelSize())
        metrics = self._metrics.get(key)
        if metrics is None:
            metrics = self._metrics[key] = QFontMetrics(font)
        return metrics

    def static(self, name: str, text: str) -> QStaticText:
        font = self.fonts[name]
        key = (name, font.pixelSize(), text)
        static = self._static.get(key)
        if static is None:
            if len(self._static) > self.LIMIT:
                self._static.clear()
            static = QStaticText(text)
            static.setTextFormat(Qt.TextFormat.PlainText)
            static.prepare(QTransform(), font)
            self._static[key] = static
        return static

    def width(self, name: str, text: str) -> int:
        return math.ceil(self.static(name, text).size().width())

    def elide(self, name: str, text: str, room: int) -> str:
        """``text``, or as much of it as fits in ``room`` pixels with an ellipsis."""
        if self.width(name, text) <= room:
            return text
        key = (name, self.fonts[name].pixelSize(), text, room)
        elided = self._elided.get(key)
        if elided is None:
            if len(self._elided) > self.LIMIT:
                self._elided.clear()
            elided = self._elided[key] = self.metrics(name).elidedText(text, Qt.TextElideMode.ElideRight, room)
        return elided

    def _prefix_widths(self, name: str, text: str) -> list[int]:
        key = (name, self.fonts[name].pixelSize(), text)
        widths = self._prefixes.get(key)
        if widths is None:
            if len(self._prefixes) > self.LIMIT:
                self._prefixes.clear()
            metrics = self.metrics(name)
            widths = self._prefixes[key] = [metrics.horizontalAdvance(text[:end]) for end in range(len(text) + 1)]
        return widths

    def draw_elided(self, painter: QPainter, name: str, rect: QRect, text: str, shortest: int = 3) -> bool:
        """``text`` from the left of ``rect``, cut to its width with an ellipsis when it is too long
        (at least ``shortest`` characters, else nothing is drawn). The cut is found in the text's
        prefix widths (measured once) and each cut is laid out once, so zooming, which changes the
        room at every step, soon lays out nothing new. True if drawn."""
        room = rect.width()
        if self.width(name, text) <= room:
            self.draw(painter, name, rect, text)
            return True
        widths = self._prefix_widths(name, text)
        end = bisect.bisect_right(widths, room - self.width(name, "…")) - 1
        while end > 0 and text[end - 1] == " ":
            end -= 1
        if end < min(shortest, len(text)):
            return False
        self.draw(painter, name, rect, text[:end] + "…")
        return True

    def draw(self, painter: QPainter, name: str, rect: QRect, text: str, align: str = "left") -> None:
        """``text`` in ``rect``, centred vertically; ``align`` is left, center or right."""
        static = self.static(name, text)
        size = static.size()
        x = float(rect.left())
        if align == "center":
            x += (rect.width() - size.width()) / 2
        elif align == "right":
            x = rect.right() + 1 - size.width()
        y = rect.top() + (rect.height() - size.height()) / 2
        painter.setFont(self.fonts[name])
        painter.drawStaticText(QPointF(round(x), round(y)), static)


@dataclass(frozen=True)
class TimelineData:
    """What the timeline draws of a dataset that does not depend on the view (bars in lanes, the
    density strip), made by :func:`timeline_data` in any thread (no widget is touched)."""

    dataset: Dataset
    mode: str
    track: _Track
    density: _Density


def timeline_data(dataset: Dataset, mode: str = "kind") -> TimelineData:
    track = _Track(dataset, mode)
    return TimelineData(dataset, mode, track, _density(track))


class LifeTimeline(QWidget):
    _built = Signal(object, object)

    """The whole life under the map: a bar per stay in lanes (by kind, or by place), the chapters as
    bands, a strip of how many stays each month holds, and the date as a cursor.

    Signals: ``_built(object, object)`` (private): a dataset and its :class:`TimelineData`, made in
    a background thread by :meth:`build_in_background`. Otherwise it observes the state (date,
    selection, bounds) and asks it for changes. Mouse: drag the cursor to move the date; click a
    bar to select its place and go to the stay's first day; click the background (or a chapter) to
    go there; drag the background to pan; the wheel zooms around the pointer (Shift+wheel pans);
    double-click fits the whole life.
    Keyboard (when focused): ``+``/``-`` zoom around the date, ``0`` fits the whole life; Left and
    Right are left to the window. The right-click menu switches the lanes.
    """

    def __init__(self, state: AppState, dataset: Dataset, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("lifeTimeline")
        self.setAccessibleName("Life timeline")
        self.setAccessibleDescription(
            "Every stay as a bar over time, the chapters of the life above and the date as a line; "
            "plus and minus zoom, 0 shows the whole life"
        )
        self.setFocusPolicy(Qt.FocusPolicy.StrongFocus)
        self.setMouseTracking(True)
        self.setMinimumSize(240, 110)
        self.setAttribute(Qt.WidgetAttribute.WA_OpaquePaintEvent)
        self._state = state
        self._dataset = dataset
        #: the dataset being made in the background (see :meth:`build_in_background`)
        self._pending: Dataset | None = None
        self._built.connect(self._on_built)
        self._mode = "kind"
        self._track = _Track(dataset, self._mode)
        self._chapters: list[Chapter] = []
        self._chapter_days: list[tuple[int, int]] = []
        self._chapter_key: tuple[object, ...] = ()
        self._chapter_bands: list[tuple[Chapter, int, QRect, int]] = []
        self._set_chapters(dataset)
        self._density = _density(self._track)
        self._view = (0.0, 1.0)
        self._layout: _Layout | None = None
        self._cache: QPixmap | None = None
        self._base: QPixmap | None = None
        self._base_key: tuple[object, ...] = ()
        self._cache_key: tuple[object, ...] = ()
        self._drag: str = ""  # "", "press", "pan" or "cursor"
        self._press_pos = QPointF()
        self._press_view = self._view
        self._press_leg: JourneyLeg | None = None
        self._press_chapter: Chapter | None = None
        self._shown_cursor = QRect()
        #: the axis labels of the cached pixmap (the date's label blanks those it touches)
        self._tick_labels: list[QRect] = []
        self._texts = _Texts(self.font())
        #: how many times the date-independent layers were drawn (a date change must not add one)
        self.static_renders = 0
        state.dateChanged.connect(self._on_date)
        state.selectedPlaceChanged.connect(self._on_selection)
        state.boundsChanged.connect(self._on_bounds)
        self.fit_all()

    # -- public ------------------------------------------------------------------------------------

    def sizeHint(self) -> QSize:
        return QSize(900, 150)

    def minimumSizeHint(self) -> QSize:
        return QSize(240, 110)

    @property
    def bar_count(self) -> int:
        """How many stays the timeline holds (0 while a large dataset's are being made)."""
        return len(self._track.bars)

    def build_in_background(self, dataset: Dataset) -> None:
        """Make the timeline of ``dataset`` in a background thread and show it when it is ready (if
        no other dataset came meanwhile): at 100,000 places it takes seconds, and the map should
        not wait for it."""
        from app.widgets.background import run_in_thread

        mode = self._mode
        self._pending = dataset
        run_in_thread("timeline", lambda: (dataset, timeline_data(dataset, mode)), self._built)

    def _on_built(self, dataset: object, prepared: object) -> None:
        if dataset is self._pending and isinstance(prepared, TimelineData) and isinstance(dataset, Dataset):
            self._pending = None
            self.set_dataset(dataset, prepared)

    def set_dataset(self, dataset: Dataset, prepared: TimelineData | None = None) -> None:
        """Show another dataset: its bars, chapters and density, fitted to the state's bounds.

        ``prepared``: the same made beforehand by :func:`timeline_data` (off the GUI thread, for a
        large dataset: at 100,000 places it takes seconds), used when it is for this lane mode.
        """
        self._pending = None
        self._dataset = dataset
        if prepared is not None and prepared.mode == self._mode and prepared.dataset is dataset:
            self._track, self._density = prepared.track, prepared.density
        else:
            self._track = _Track(dataset, self._mode)
            self._density = _density(self._track)
        self._set_chapters(dataset)
        self._invalidate()
        self.fit_all()

    def _set_chapters(self, dataset: Dataset) -> None:
        self._chapters = sorted(dataset.chapters, key=lambda chapter: chapter.days)
        self._chapter_days = [chapter.days for chapter in self._chapters]
        self._chapter_key = ()

    @property
    def lanes(self) -> str:
        """How bars are put in rows: ``"kind"`` (a labelled lane per kind of stay, in the schema's
        order) or ``"place"`` (each place keeps one row; places that never overlap share one)."""
        return self._mode

    @lanes.setter
    def lanes(self, mode: str) -> None:
        if mode not in LANE_MODES:
            raise ValueError(f"lanes must be one of {', '.join(LANE_MODES)}, not {mode!r}")
        if mode != self._mode:
            self._mode = mode
            self._track = _Track(self._dataset, mode)
            self._invalidate()
            self.update()

    def visible_days(self) -> tuple[int, int]:
        """The first and last day (day numbers) that the view shows, at least in part."""
        first, last = self._view
        return math.floor(first), math.ceil(last) - 1

    def x_of(self, day: float) -> float:
        """The x of the left edge of ``day`` (a day number)."""
        layout = self._geometry()
        first, last = self._view
        return layout.plot_left + (day - first) * layout.plot_width / (last - first)

    def day_at(self, x: float) -> int:
        """The day (a day number) at ``x``, within the view's days."""
        first, last = self.visible_days()
        return min(max(math.floor(self._day_float(x)), first), last)

    def fit_all(self) -> None:
        """Show the whole life: 1 January of the first year to 31 December of the last."""
        first, last = self._state.day_bounds
        self._set_view(first, last + 1.0)

    def zoom(self, factor: float, around_day: float) -> None:
        """Magnify time by ``factor`` (above 1 zooms in) keeping ``around_day``'s x where it is, from
        the whole life down to about two weeks."""
        first, last = self._view
        span = last - first
        lo, hi = self._limits()
        new_span = min(max(span / factor, MIN_SPAN_DAYS), hi - lo)
        share = (around_day - first) / span
        start = around_day - share * new_span
        self._set_view(start, start + new_span)

    def leg_at(self, point: QPointF | QPoint) -> JourneyLeg | None:
        """The stay drawn at ``point``: the selected place's first, then the shortest."""
        bar = self._bar_at(QPointF(point))
        return bar.leg if bar is not None else None

    def bar_rect(self, leg: JourneyLeg) -> QRect | None:
        """Where ``leg``'s bar is drawn (its visible part), or None when it is out of view."""
        layout = self._geometry()
        first, last = self._view
        scale = layout.plot_width / (last - first)
        for bar in self._track.by_place.get(leg.place.id, ()):
            if bar.leg is leg or bar.leg == leg:
                rect = self._bar_rect(bar, layout, scale).intersected(self._plot_rect(layout))
                return rect if not rect.isEmpty() else None
        return None

    def highlighted_legs(self) -> tuple[JourneyLeg, ...]:
        """The selected place's stays, drawn highlighted (in journey order)."""
        return tuple(bar.leg for bar in self._track.by_place.get(self._state.selected_place, ()))

    def tooltip_at(self, point: QPointF | QPoint) -> str:
        """What hovering at ``point`` says: a stay (place, dates, kind), a chapter or a month's
        count; "" elsewhere."""
        point = QPointF(point)
        bar = self._bar_at(point)
        if bar is not None:
            leg = bar.leg
            year = from_day_number(leg.first).year
            kind = kind_label(leg.stay.kind)
            certainty = " (inferred)" if leg.stay.certainty == "inferred" else ""
            return f"{leg.place.name_in(year)}\n{format_span(leg.stay)}\n{kind}{certainty}"
        chapter = self._chapter_at(point)
        if chapter is not None:
            start, end = format_date(chapter.start), format_date(chapter.end)
            dates = start if start == end else f"{start} – {end}"
            editorial = "\n(the dataset's own heading)" if chapter.editorial else ""
            return f"{chapter.title}\n{dates}{editorial}"
        layout = self._geometry()
        if layout.density_top <= point.y() < layout.density_top + DENSITY_H + 1 and self._in_plot(point.x()):
            starts, counts = self._density.starts, self._density.counts
            index = bisect.bisect_right(starts, self.day_at(point.x())) - 1
            if 0 <= index < len(counts):
                date = from_day_number(starts[index])
                count = counts[index]
                return f"{MONTH_NAMES[date.month - 1]} {date.year}: {count} stay{'' if count == 1 else 's'}"
        return ""

    # -- state -------------------------------------------------------------------------------------

    def _on_date(self, _day: int) -> None:
        """Repaint only where the cursor was and where it is now; the bars are cached."""
        self.update(self._shown_cursor)
        self.update(self._cursor_rect(self._state.day))

    def _on_selection(self, _place_id: str) -> None:
        self.update()  # the highlight is drawn over the cached bars: no rebuild

    def _on_bounds(self, _first: int, _last: int) -> None:
        self.fit_all()

    # -- view --------------------------------------------------------------------------------------

    def _limits(self) -> tuple[float, float]:
        first, last = self._state.day_bounds
        return float(first), float(last) + 1.0

    def _set_view(self, first: float, last: float) -> None:
        lo, hi = self._limits()
        span = min(max(last - first, min(MIN_SPAN_DAYS, hi - lo)), hi - lo)
        first = min(max(first, lo), hi - span)
        view = (first, first + span)
        if view != self._view:
            self._view = view
            self.update()

    def _day_float(self, x: float) -> float:
        layout = self._geometry()
        first, last = self._view
        return first + (x - layout.plot_left) * (last - first) / layout.plot_width

    @staticmethod
    def _plot_rect(layout: _Layout) -> QRect:
        return QRect(layout.plot_left, 0, layout.plot_width, layout.height)

    def _in_plot(self, x: float) -> bool:
        layout = self._geometry()
        return layout.plot_left <= x < layout.plot_right

    def _invalidate(self) -> None:
        self._layout = None
        self._cache = self._base = None
        self._cache_key = self._base_key = ()

    def _geometry(self) -> _Layout:
        layout = self._layout
        if layout is None or layout.width != self.width() or layout.height != self.height():
            layout = self._layout = self._make_layout()
        return layout

    def _make_layout(self) -> _Layout:
        width, height = max(self.width(), 1), max(self.height(), 1)
        chapter_rows = 0 if not self._chapters else (1 if len(self._chapters) == 1 else 2)
        chapter_top = TOP
        density_top = chapter_top + chapter_rows * CHAPTER_ROW + (2 if chapter_rows else 0)
        lanes_top = density_top + DENSITY_H + GAP
        axis_top = height - AXIS_H
        lanes_bottom = max(axis_top - 2, lanes_top + 1)
        lanes = max(self._track.lanes, 1)
        lane_height = (lanes_bottom - lanes_top) / lanes
        label_px = min(11, max(7, int(lane_height) + 1))
        self._texts.resize("lane", label_px)
        gutter = 0
        if self._mode == "kind" and self._track.labels:
            gutter = min(max(self._texts.width("lane", label) for label in self._track.labels), 118) + 8
        rows: dict[tuple[int, int], tuple[int, int]] = {}
        shown_rows: list[int] = []
        for lane, subs in enumerate(self._track.sub_rows):
            top = lanes_top + lane * lane_height
            # sub-rows only where each is still a readable bar; else overlapping stays share the
            # row, the shorter drawn over the longer
            shown = max(1, min(subs, int(lane_height // SUB_ROW_MIN)))
            shown_rows.append(shown)
            sub_height = lane_height / shown
            for sub in range(subs):
                y0 = round(top + (sub % shown) * sub_height) + 1
                y1 = round(top + (sub % shown + 1) * sub_height) - 1
                rows[(lane, sub)] = (y0, max(1, y1 - y0))
        self._texts.resize("bar", max(7, min(11, int(lane_height) - 2)))
        return _Layout(
            width=width,
            height=height,
            plot_left=SIDE + gutter,
            plot_right=width - SIDE,
            chapter_top=chapter_top,
            chapter_rows=chapter_rows,
            density_top=density_top,
            lanes_top=lanes_top,
            lanes_bottom=lanes_bottom,
            lane_height=lane_height,
            rows=rows,
            shown=shown_rows,
            axis_top=axis_top,
        )

    # -- hit tests ---------------------------------------------------------------------------------

    def _bar_at(self, point: QPointF) -> _Bar | None:
        layout = self._geometry()
        x, y = point.x(), point.y()
        if not (layout.lanes_top <= y < layout.lanes_bottom) or not self._in_plot(x):
            return None
        first, last = self._view
        scale = layout.plot_width / (last - first)
        low = self._day_float(x - MIN_BAR_PX - 2)
        high = self._day_float(x + 2)
        selected = self._state.selected_place
        best: tuple[bool, int, int] | None = None
        found: _Bar | None = None
        for bar in self._track.candidates(low, high):
            rect = self._bar_rect(bar, layout, scale)
            if not (rect.top() - 1 <= y <= rect.bottom() + 1 and rect.left() - 1 <= x <= rect.right() + 1):
                continue
            key = (bar.leg.place.id != selected, bar.end - bar.start, -bar.start)
            if best is None or key < best:
                best, found = key, bar
        return found

    def _chapter_rects(self) -> list[tuple[Chapter, int, QRect, int]]:
        """Each chapter in view: the chapter, its row, its band and the room its label has (to the
        next band of the same row). Kept for the view and size it was made for."""
        layout = self._geometry()
        key = (self._view, layout.width, layout.height, id(self._chapters))
        if key == self._chapter_key:
            return self._chapter_bands
        bands: list[tuple[Chapter, int, QRect, int]] = []
        rows = layout.chapter_rows
        first, last = self._view
        scale = layout.plot_width / (last - first)
        left, right = layout.plot_left, layout.plot_right
        days = self._chapter_days
        for index, chapter in enumerate(self._chapters if rows else ()):
            start, end = days[index]
            if end + 1 <= first or start >= last:
                continue
            row = index % rows
            x0 = max(left + (start - first) * scale, left - 1.0)
            x1 = min(left + (end + 1 - first) * scale, right + 1.0)
            top = layout.chapter_top + row * CHAPTER_ROW
            rect = QRect(round(x0), top, max(2, round(x1) - round(x0)), CHAPTER_ROW - 1)
            following = index + rows
            room_end = left + (days[following][0] - first) * scale if following < len(days) else right
            room = int(min(room_end, right) - max(x0, left)) - 6
            bands.append((chapter, row, rect, room))
        self._chapter_key, self._chapter_bands = key, bands
        return bands

    def _chapter_at(self, point: QPointF) -> Chapter | None:
        layout = self._geometry()
        if not (layout.chapter_top <= point.y() < layout.chapter_top + layout.chapter_rows * CHAPTER_ROW):
            return None
        if not self._in_plot(point.x()):
            return None
        for chapter, _row, rect, _room in self._chapter_rects():
            if rect.contains(point.toPoint()):
                return chapter
        return None

    def _cursor_rect(self, day: int) -> QRect:
        """Everything the cursor of ``day`` paints: line, handle, day band and date label."""
        layout = self._geometry()
        x = self.x_of(day)
        day_width = max(0.0, self.x_of(day + 1) - x)
        label = self._covered_labels(self._cursor_label_rect(day))
        line = QRect(math.floor(x) - 6, 0, math.ceil(day_width) + 14, layout.height)
        return line.united(label)

    def _covered_labels(self, label: QRect) -> QRect:
        """``label`` and the axis labels it touches: those are blanked, not half hidden."""
        covered = QRect(label)
        probe = label.adjusted(-2, 0, 2, 0)
        for rect in self._tick_labels:
            if rect.intersects(probe):
                covered = covered.united(rect)
        return covered

    def _cursor_label_rect(self, day: int) -> QRect:
        layout = self._geometry()
        text = format_day(from_day_number(day))
        width = self._texts.width("bold", text) + 10
        x = round(self.x_of(day)) - width // 2
        x = min(max(x, 1), layout.width - width - 1)
        return QRect(x, layout.axis_top + 2, width, AXIS_H - 3)

    # -- painting ----------------------------------------------------------------------------------

    def paintEvent(self, event: QPaintEvent) -> None:
        layout = self._geometry()
        ratio = self.devicePixelRatioF()
        key = (self._view, layout.width, layout.height, ratio, self._mode, id(self._track))
        if self._cache is None or key != self._cache_key:
            self._cache = self._render_static(layout, ratio)
            self._cache_key = key
            self.static_renders += 1
        painter = QPainter(self)
        painter.drawPixmap(event.rect(), self._cache, _scaled(event.rect(), ratio))
        self._paint_selection(painter, layout)
        self._paint_cursor(painter, layout)
        if self.hasFocus():
            painter.setPen(QPen(FOCUS, 1, Qt.PenStyle.DotLine))
            painter.setBrush(Qt.BrushStyle.NoBrush)
            painter.drawRect(self.rect().adjusted(0, 0, -1, -1))
        painter.end()

    def _render_static(self, layout: _Layout, ratio: float) -> QPixmap:
        """Everything but the date and the selection, for this view range and size."""
        base_key = (layout.width, layout.height, ratio, self._mode, id(self._track))
        if self._base is None or base_key != self._base_key:
            self._base = self._render_base(layout, ratio)
            self._base_key = base_key
        pixmap = self._base.copy()
        painter = QPainter(pixmap)
        ticks = self._ticks(layout)
        painter.setPen(GRID)
        painter.drawLines([QLine(x, layout.lanes_top, x, layout.lanes_bottom - 1) for x, _text, _bold in ticks[0]])
        painter.setClipRect(QRect(layout.plot_left, 0, layout.plot_width, layout.height))
        self._paint_bars(painter, layout)
        self._paint_density(painter, layout)
        self._paint_chapters(painter, layout)
        painter.setClipping(False)
        self._paint_axis(painter, layout, ticks)
        if not self._track.bars:
            painter.setPen(GUTTER_TEXT)
            painter.setFont(self._texts.fonts["small"])
            painter.drawText(
                QRect(0, layout.lanes_top, layout.width, layout.lanes_bottom - layout.lanes_top),
                Qt.AlignmentFlag.AlignCenter,
                "No stays to show",
            )
        painter.end()
        return pixmap

    def _render_base(self, layout: _Layout, ratio: float) -> QPixmap:
        """What depends only on the size and the lanes: the background, stripes and lane labels."""
        pixmap = QPixmap(round(layout.width * ratio), round(layout.height * ratio))
        pixmap.setDevicePixelRatio(ratio)
        pixmap.fill(BACKGROUND)
        painter = QPainter(pixmap)
        self._paint_lanes(painter, layout)
        painter.end()
        return pixmap

    def _paint_lanes(self, painter: QPainter, layout: _Layout) -> None:
        track = self._track
        painter.setPen(Qt.PenStyle.NoPen)
        painter.setBrush(LANE_STRIPE)
        stripes = []
        for lane in range(1, track.lanes, 2):
            top = round(layout.lanes_top + lane * layout.lane_height)
            bottom = round(layout.lanes_top + (lane + 1) * layout.lane_height)
            stripes.append(QRect(0, top, layout.width, bottom - top))
        painter.drawRects(stripes)
        if not track.labels:
            return
        painter.setPen(GUTTER_TEXT)
        width = layout.plot_left - SIDE - 4
        for lane, label in enumerate(track.labels):
            top = round(layout.lanes_top + lane * layout.lane_height)
            bottom = round(layout.lanes_top + (lane + 1) * layout.lane_height)
            rect = QRect(SIDE - 2, top, width, bottom - top)
            self._texts.draw(painter, "lane", rect, self._texts.elide("lane", label, width), "right")

    def _paint_bars(self, painter: QPainter, layout: _Layout) -> None:
        track = self._track
        first, last = self._view
        scale = layout.plot_width / (last - first)
        left = layout.plot_left
        lo_x, hi_x = left - 4, layout.plot_right + 4
        if track.count(first - MIN_BAR_PX / scale, last) <= DETAIL_MAX:
            self._paint_detail(painter, layout, track.candidates(first - MIN_BAR_PX / scale, last), scale)
            return
        by_sub, by_lane = track.level_for(1.0 / scale, True), track.level_for(1.0 / scale, False)
        if by_sub is None or by_lane is None:
            return
        # a lane that shows its sub-rows as one draws the union of the whole lane
        groups = [item for item in by_lane.groups.items() if layout.shown[item[0][0]] == 1]
        groups += [item for item in by_sub.groups.items() if layout.shown[item[0][0]] > 1]
        batches: dict[bool, list[QRect]] = {True: [], False: []}
        rows = layout.rows
        for (lane, sub, uncertain), (starts, ends) in groups:
            top, height = rows[(lane, sub)]
            rects = batches[uncertain]
            for index in range(bisect.bisect_right(ends, first), bisect.bisect_left(starts, last)):
                x0 = int(left + (starts[index] - first) * scale)
                x1 = int(left + (ends[index] - first) * scale + 0.5)
                if x0 < lo_x:
                    x0 = lo_x
                if x1 > hi_x:
                    x1 = hi_x
                rects.append(QRect(x0, top, x1 - x0 if x1 - x0 > MIN_BAR_PX else MIN_BAR_PX, height))
        painter.setPen(Qt.PenStyle.NoPen)
        painter.setBrush(UNCERTAIN_FILL)
        painter.drawRects(batches[True])
        painter.setBrush(STATED_FILL)
        painter.drawRects(batches[False])

    def _bar_rect(self, bar: _Bar, layout: _Layout, scale: float) -> QRect:
        first = self._view[0]
        left = layout.plot_left
        x0 = max(int(left + (bar.start - first) * scale), left - 4)
        x1 = min(int(left + (bar.end - first) * scale + 0.5), layout.plot_right + 4)
        top, height = layout.rows[(bar.lane, bar.sub)]
        return QRect(x0, top, max(MIN_BAR_PX, x1 - x0), height)

    def _paint_detail(self, painter: QPainter, layout: _Layout, bars: list[_Bar], scale: float) -> None:
        """Few bars: each one outlined, uncertain ones dashed, names inside where they fit. Longer
        bars first (by powers of two of their length), so a short stay is never hidden under a long
        one in its row."""
        first = self._view[0]
        left = layout.plot_left
        lo_x, hi_x = left - 4, layout.plot_right + 4
        rows = layout.rows
        classes: dict[int, tuple[list[QRect], list[QRect], list[QRect]]] = {}
        for bar in bars:
            if bar.end <= first:
                continue
            # as _bar_rect, inlined: this loop runs for every bar in view at every zoom step
            x0 = int(left + (bar.start - first) * scale)
            x1 = int(left + (bar.end - first) * scale + 0.5)
            x0, x1 = max(x0, lo_x), min(x1, hi_x)
            width = max(MIN_BAR_PX, x1 - x0)
            top, height = rows[(bar.lane, bar.sub)]
            rect = QRect(x0, top, width - 1, height - 1)
            stated, uncertain, narrow = classes.setdefault(-(bar.end - bar.start).bit_length(), ([], [], []))
            if not bar.uncertain:
                stated.append(rect)
            else:
                # a dash pattern on a tick draws a squiggle: a narrow uncertain bar is a paler tick
                (narrow if width < NARROW_PX else uncertain).append(rect)
        dashed = QPen(UNCERTAIN_LINE, 1, Qt.PenStyle.DashLine)
        solid = QPen(STATED_LINE, 1)
        pale = QPen(UNCERTAIN_TICK, 1)
        for _size, (stated, uncertain, narrow) in sorted(classes.items()):
            if uncertain:
                painter.setBrush(UNCERTAIN_FILL)
                painter.setPen(dashed)
                painter.drawRects(uncertain)
            if narrow:
                painter.setBrush(UNCERTAIN_TICK)
                painter.setPen(pale)
                painter.drawRects(narrow)
            if stated:
                painter.setBrush(STATED_FILL)
                painter.setPen(solid)
                painter.drawRects(stated)
        self._paint_names(painter, layout, bars, scale)

    def _paint_names(self, painter: QPainter, layout: _Layout, bars: list[_Bar], scale: float) -> None:
        """The place's name inside each bar wide and tall enough for it (a few hundred at most)."""
        if not bars or layout.lane_height < 9 or len(bars) > 300:
            return
        min_height = self._texts.metrics("bar").ascent() - 1
        for bar in bars:
            rect = self._bar_rect(bar, layout, scale).intersected(
                QRect(layout.plot_left, 0, layout.plot_width, layout.height)
            )
            if rect.width() < 24 or rect.height() < min_height:
                continue
            year = from_day_number(bar.start).year
            painter.setPen(CHAPTER_TEXT if bar.uncertain else QColor("white"))
            self._texts.draw_elided(painter, "bar", rect.adjusted(2, 0, -2, 0), bar.leg.place.name_in(year))

    def _paint_density(self, painter: QPainter, layout: _Layout) -> None:
        """The strip of stays per month: one pre-drawn image of the life, a day (or a few) a pixel,
        of which the view's days are drawn stretched (nearest pixel, so months keep sharp edges)."""
        density = self._density
        if density.image.isNull():
            return
        first, last = self._view
        start = max(first, density.origin)
        end = min(last, density.origin + density.image.width() * density.stride)
        if end <= start:
            return
        scale = layout.plot_width / (last - first)
        x0 = layout.plot_left + (start - first) * scale
        target = QRectF(x0, layout.density_top, (end - start) * scale, DENSITY_H)
        source = QRectF((start - density.origin) / density.stride, 0, (end - start) / density.stride, 1)
        painter.drawImage(target, density.image, source)

    def _paint_chapters(self, painter: QPainter, layout: _Layout) -> None:
        if not layout.chapter_rows:
            return
        chapters = self._chapter_rects()
        batches: dict[tuple[int, bool], list[QRect]] = {}
        for chapter, row, rect, _room in chapters:
            batches.setdefault((row % 2, chapter.editorial), []).append(rect.adjusted(0, 0, -1, -1))
        for (row, editorial), rects in batches.items():
            painter.setBrush(CHAPTER_FILLS[row])
            painter.setPen(QPen(CHAPTER_LINE, 1, Qt.PenStyle.DashLine if editorial else Qt.PenStyle.SolidLine))
            painter.drawRects(rects)
        painter.setPen(CHAPTER_TEXT)
        for chapter, _row, rect, room in chapters:
            if room < 12:
                continue
            font = "editorial" if chapter.editorial else "chapter"
            x = max(rect.left(), layout.plot_left) + 3
            self._texts.draw_elided(painter, font, QRect(x, rect.top(), room, rect.height()), chapter.title)

    def _ticks(self, layout: _Layout) -> tuple[list[tuple[int, str, bool]], list[int], str]:
        """Labelled ticks (x, text, bold), small ticks (x) and the context label (the year or month
        of the left edge when the labels do not say it)."""
        first, last = self._view
        days_per_px = (last - first) / layout.plot_width
        step = _STEPS[0]
        for candidate in _STEPS:
            if _UNIT_DAYS[candidate[0]] * candidate[1] / days_per_px >= TICK_LABEL_SPACING:
                step = candidate
        unit, count = step
        left, scale = layout.plot_left, 1 / days_per_px
        labelled: list[tuple[int, str, bool]] = []
        for date in _tick_dates(first, last, unit, count):
            x = round(left + (date.toordinal() - first) * scale)
            if not layout.plot_left <= x <= layout.plot_right:
                continue
            if unit == "year":
                labelled.append((x, str(date.year), date.year % (count * 5 if count < 10 else count * 2) == 0))
            elif unit == "month":
                if date.month == 1:
                    labelled.append((x, str(date.year), True))
                else:
                    labelled.append((x, MONTH_ABBREVIATIONS[date.month - 1], False))
            elif date.day == 1:
                labelled.append((x, f"1 {MONTH_ABBREVIATIONS[date.month - 1]}", True))
            else:
                labelled.append((x, str(date.day), False))
        minor: list[int] = []
        small = _MINOR.get(step)
        if small is not None and _UNIT_DAYS[small[0]] * small[1] / days_per_px >= 5:
            for date in _tick_dates(first, last, *small):
                x = round(left + (date.toordinal() - first) * scale)
                if layout.plot_left <= x <= layout.plot_right:
                    minor.append(x)
        context = ""
        left_date = from_day_number(max(1, int(first)))
        year_at_left = bool(labelled) and labelled[0][2] and labelled[0][0] < layout.plot_left + 60
        if unit == "month" and not year_at_left:
            context = str(left_date.year)
        elif unit == "day":
            context = f"{MONTH_NAMES[left_date.month - 1]} {left_date.year}"
        return labelled, minor, context

    def _paint_axis(
        self, painter: QPainter, layout: _Layout, ticks: tuple[list[tuple[int, str, bool]], list[int], str]
    ) -> None:
        labelled, minor, context = ticks
        top = layout.axis_top
        painter.setPen(AXIS_TICK)
        lines = [QLine(layout.plot_left, top, layout.plot_right, top)]
        lines += [QLine(x, top, x, top + 2) for x in minor]
        lines += [QLine(x, top, x, top + 5) for x, _text, _bold in labelled]
        painter.drawLines(lines)
        taken: list[tuple[int, int]] = []
        self._tick_labels = []
        painter.setPen(AXIS_TEXT)
        if context:
            width = self._texts.width("bold", context) + 2
            in_gutter = layout.plot_left > width + 8
            x0 = layout.plot_left - 3 - width if in_gutter else layout.plot_left + 2
            rect = QRect(x0, top + 3, width, AXIS_H - 3)
            self._texts.draw(painter, "bold", rect, context)
            self._tick_labels.append(rect)
            if not in_gutter:
                taken.append((x0 - 3, x0 + width + 3))
        for x, text, bold in labelled:
            width = self._texts.width("bold" if bold else "small", text) + 1
            x0 = min(max(x - width // 2, layout.plot_left), layout.plot_right - width)
            span = (x0 - 3, x0 + width + 3)
            # labels come left to right: only the context label and the last one can be in the way
            if any(span[0] < end and start < span[1] for start, end in (taken[:1] + taken[-1:])):
                continue
            taken.append(span)
            rect = QRect(x0, top + 3, width, AXIS_H - 3)
            self._texts.draw(painter, "bold" if bold else "small", rect, text)
            self._tick_labels.append(rect)

    def _paint_selection(self, painter: QPainter, layout: _Layout) -> None:
        bars = self._track.by_place.get(self._state.selected_place)
        if not bars:
            return
        first, last = self._view
        scale = layout.plot_width / (last - first)
        stated: list[QRect] = []
        uncertain: list[QRect] = []
        for bar in bars:
            if bar.end <= first - MIN_BAR_PX / scale or bar.start >= last:
                continue
            rect = self._bar_rect(bar, layout, scale).adjusted(0, 0, -1, -1)
            (uncertain if bar.uncertain else stated).append(rect)
        painter.save()
        painter.setClipRect(
            QRect(layout.plot_left, 0, layout.plot_width, layout.height), Qt.ClipOperation.IntersectClip
        )
        painter.setPen(QPen(SELECTED_LINE, 1, Qt.PenStyle.DashLine))
        painter.setBrush(SELECTED_UNCERTAIN_FILL)
        painter.drawRects([rect for rect in uncertain if rect.width() >= NARROW_PX])
        painter.setPen(QPen(SELECTED_UNCERTAIN_TICK, 1))
        painter.setBrush(SELECTED_UNCERTAIN_TICK)
        painter.drawRects([rect for rect in uncertain if rect.width() < NARROW_PX])
        painter.setPen(QPen(SELECTED_LINE, 1))
        painter.setBrush(SELECTED_FILL)
        painter.drawRects(stated)
        painter.restore()

    def _paint_cursor(self, painter: QPainter, layout: _Layout) -> None:
        day = self._state.day
        x = self.x_of(day)
        self._shown_cursor = self._cursor_rect(day)
        if not layout.plot_left - 1 <= x <= layout.plot_right + 1:
            return
        day_width = self.x_of(day + 1) - x
        if day_width >= 3:
            painter.fillRect(
                QRect(
                    math.floor(x), layout.lanes_top, max(1, round(day_width)), layout.lanes_bottom - layout.lanes_top
                ),
                DAY_BAND,
            )
        xi = math.floor(x)
        painter.fillRect(QRect(xi, layout.chapter_top, 2, layout.axis_top - layout.chapter_top + 2), CURSOR)
        painter.setPen(Qt.PenStyle.NoPen)
        painter.setBrush(CURSOR)
        top = layout.lanes_top - GAP
        painter.drawPolygon(QPolygon([QPoint(xi - 4, top - 4), QPoint(xi + 5, top - 4), QPoint(xi + 1, top + 1)]))
        label = self._cursor_label_rect(day)
        painter.fillRect(self._covered_labels(label), BACKGROUND)
        painter.setPen(CURSOR)
        painter.setBrush(QBrush(QColor("white")))
        painter.drawRect(label.adjusted(0, 0, -1, -1))
        self._texts.draw(painter, "bold", label, format_day(from_day_number(day)), "center")

    # -- input -------------------------------------------------------------------------------------

    def _near_cursor(self, point: QPointF) -> bool:
        layout = self._geometry()
        x = self.x_of(self._state.day)
        return abs(point.x() - x - 1) <= 5 and layout.chapter_top <= point.y() < layout.height

    def mousePressEvent(self, event: QMouseEvent) -> None:
        if event.button() != Qt.MouseButton.LeftButton:
            super().mousePressEvent(event)
            return
        point = event.position()
        self._press_pos = point
        self._press_view = self._view
        if self._near_cursor(point) and self._in_plot(point.x()):
            self._drag = "cursor"
            self.setCursor(Qt.CursorShape.SizeHorCursor)
        else:
            self._drag = "press"
            self._press_leg = self.leg_at(point)
            self._press_chapter = self._chapter_at(point) if self._press_leg is None else None
        event.accept()

    def mouseMoveEvent(self, event: QMouseEvent) -> None:
        point = event.position()
        if self._drag == "cursor":
            self._state.set_day(self.day_at(point.x()))
        elif self._drag in ("press", "pan"):
            moved = point - self._press_pos
            if self._drag == "press" and moved.manhattanLength() >= QApplication.startDragDistance():
                self._drag = "pan"
                self.setCursor(Qt.CursorShape.ClosedHandCursor)
            if self._drag == "pan":
                first, last = self._press_view
                shift = moved.x() * (last - first) / self._geometry().plot_width
                self._set_view(first - shift, last - shift)
        elif self._near_cursor(point) and self._in_plot(point.x()):
            self.setCursor(Qt.CursorShape.SizeHorCursor)
        elif self.leg_at(point) is not None or self._chapter_at(point) is not None:
            self.setCursor(Qt.CursorShape.PointingHandCursor)
        else:
            self.unsetCursor()
        event.accept()

    def mouseReleaseEvent(self, event: QMouseEvent) -> None:
        if event.button() != Qt.MouseButton.LeftButton:
            super().mouseReleaseEvent(event)
            return
        if self._drag == "press":
            leg, chapter = self._press_leg, self._press_chapter
            if leg is not None:
                self._state.select_place(leg.place.id)
                self._state.set_day(leg.first)
            elif chapter is not None:
                self._state.set_day(chapter.days[0])
            elif self._in_plot(event.position().x()):
                self._state.set_day(self.day_at(event.position().x()))
        self._drag = ""
        self._press_leg = self._press_chapter = None
        self.unsetCursor()
        event.accept()

    def mouseDoubleClickEvent(self, event: QMouseEvent) -> None:
        if event.button() == Qt.MouseButton.LeftButton:
            self._drag = ""
            self.fit_all()
            event.accept()
        else:
            super().mouseDoubleClickEvent(event)

    def wheelEvent(self, event: QWheelEvent) -> None:
        delta = event.angleDelta()
        first, last = self._view
        if delta.x() or event.modifiers() & Qt.KeyboardModifier.ShiftModifier:
            notches = (delta.x() or delta.y()) / 120
            shift = -notches * 0.1 * (last - first)
            self._set_view(first + shift, last + shift)
        elif delta.y():
            self.zoom(ZOOM_STEP ** (delta.y() / 120), self._day_float(event.position().x()))
        event.accept()

    def keyPressEvent(self, event: QKeyEvent) -> None:
        key = event.key()
        if key in (Qt.Key.Key_Plus, Qt.Key.Key_Equal):
            self.zoom(ZOOM_STEP * ZOOM_STEP, self._state.day + 0.5)
        elif key == Qt.Key.Key_Minus:
            self.zoom(1 / (ZOOM_STEP * ZOOM_STEP), self._state.day + 0.5)
        elif key == Qt.Key.Key_0:
            self.fit_all()
        else:
            super().keyPressEvent(event)
            return
        event.accept()

    def focusInEvent(self, event: QFocusEvent) -> None:
        super().focusInEvent(event)
        self.update()

    def focusOutEvent(self, event: QFocusEvent) -> None:
        super().focusOutEvent(event)
        self.update()

    def contextMenuEvent(self, event: QContextMenuEvent) -> None:
        menu = QMenu(self)
        for mode, text in (("kind", "Lanes by kind of stay"), ("place", "Lanes by place")):
            action = menu.addAction(text)
            action.setCheckable(True)
            action.setChecked(self._mode == mode)
            action.triggered.connect(lambda _checked=False, mode=mode: setattr(self, "lanes", mode))
        menu.addSeparator()
        menu.addAction("Show the whole life", self.fit_all)
        menu.exec(event.globalPos())

    def event(self, event: QEvent) -> bool:
        if event.type() == QEvent.Type.ToolTip and isinstance(event, QHelpEvent):
            text = self.tooltip_at(event.pos())
            if text:
                QToolTip.showText(event.globalPos(), text, self)
            else:
                QToolTip.hideText()
                event.ignore()
            return True
        return super().event(event)


def _scaled(rect: QRect, ratio: float) -> QRect:
    """``rect`` in the cached pixmap's device pixels."""
    if ratio == 1:
        return rect
    return QRect(
        math.floor(rect.x() * ratio),
        math.floor(rect.y() * ratio),
        math.ceil(rect.width() * ratio),
        math.ceil(rect.height() * ratio),
    )


def _mix(low: QColor, high: QColor, share: float) -> QColor:
    return QColor(
        round(low.red() + (high.red() - low.red()) * share),
        round(low.green() + (high.green() - low.green()) * share),
        round(low.blue() + (high.blue() - low.blue()) * share),
    )


@dataclass(frozen=True, slots=True)
class _Density:
    """How many stays are active in each month: the first day of each month (and the day after the
    last), the counts, and the strip as an image of ``stride`` days a pixel from day ``origin``."""

    starts: list[int]
    counts: list[int]
    image: QImage
    origin: int
    stride: int


#: the density image stays under this width (the raster engine's comfortable limit)
DENSITY_IMAGE_MAX = 30_000


def _density(track: _Track) -> _Density:
    if not track.bars:
        return _Density([], [], QImage(), 0, 1)
    first = from_day_number(track.first_day)
    last = from_day_number(track.end_day - 1)
    base = first.year * 12 + first.month - 1
    months = last.year * 12 + last.month - base + 1
    change = [0] * (months + 1)
    for bar in track.bars:
        start = from_day_number(bar.start)
        end = from_day_number(bar.end - 1)
        change[start.year * 12 + start.month - 1 - base] += 1
        change[end.year * 12 + end.month - base] -= 1
    counts, running = [], 0
    for delta in change[:months]:
        running += delta
        counts.append(running)
    starts = []
    for index in range(months + 1):
        year, month = divmod(base + index, 12)
        starts.append(day_number(dt.date(year, month + 1, 1)) if year <= 9999 else dt.date.max.toordinal() + 1)
    origin = starts[0]
    stride = max(1, math.ceil((starts[-1] - origin) / DENSITY_IMAGE_MAX))
    image = QImage(max(1, math.ceil((starts[-1] - origin) / stride)), 1, QImage.Format.Format_RGB32)
    image.fill(DENSITY_EMPTY)
    peak = max(counts) or 1
    painter = QPainter(image)
    for index, count in enumerate(counts):
        if count:
            x0 = (starts[index] - origin) // stride
            x1 = max(x0 + 1, (starts[index + 1] - origin) // stride)
            painter.fillRect(QRect(x0, 0, x1 - x0, 1), _mix(DENSITY_LOW, DENSITY_FULL, math.sqrt(count / peak)))
    painter.end()
    return _Density(starts, counts, image, origin, stride)
