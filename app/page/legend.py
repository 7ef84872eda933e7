"""What every mark and line of the map means, defined once: the map's legend draws these rows and
Help › Map legend shows them with a longer explanation.

Each swatch is a small SVG drawn from the map's own :data:`~app.page.protocol.STYLE`, so a colour
changed there changes the legend in both places, and the two can never disagree.
"""

from __future__ import annotations

from dataclasses import dataclass
from html import escape
from typing import Any

from app.page.protocol import STYLE

SWATCH_WIDTH = 26
SWATCH_HEIGHT = 18
#: the grey-brown outline the border swatches share with the borders' own lines
BORDER_LINE = "#8d8270"


@dataclass(frozen=True)
class LegendEntry:
    """One row of the legend: its ``label`` in the map, its ``meaning`` in Help, its ``svg`` swatch,
    and the map ``styles`` (keys of :data:`STYLE`) it explains: every style the map draws with is
    explained by some row (a test checks)."""

    key: str
    label: str
    meaning: str
    svg: str
    styles: tuple[str, ...]


def _attributes(values: dict[str, Any]) -> str:
    return " ".join(f'{name}="{escape(str(value))}"' for name, value in values.items())


def _circle(style: dict[str, Any], radius: float, *, fill: bool, dash: str | None = None) -> str:
    """A circle in the style of a map mark (its radius shrunk to the swatch)."""
    dash = dash or style.get("dashArray") or "none"
    values = {
        "cx": SWATCH_WIDTH / 2,
        "cy": SWATCH_HEIGHT / 2,
        "r": radius,
        "stroke": style["color"],
        "stroke-width": style["weight"],
        "stroke-opacity": style.get("opacity", 1),
        "stroke-dasharray": dash,
        "fill": style["fillColor"] if fill else "none",
        "fill-opacity": style["fillOpacity"] if fill else 0,
    }
    return f"<circle {_attributes(values)}/>"


def _line(style: dict[str, Any], *, weight: float, opacity: float, dash: str = "none") -> str:
    values = {"x1": 2, "y1": 13, "x2": 24, "y2": 5, "stroke": style["color"], "stroke-width": weight}
    values |= {"stroke-opacity": opacity, "stroke-dasharray": dash}
    return f"<line {_attributes(values)}/>"


def _rect(x: float, fill: str, stroke: str, weight: float = 1) -> str:
    values = {"x": x, "y": 3, "width": 11, "height": 12, "fill": fill, "stroke": stroke, "stroke-width": weight}
    return f"<rect {_attributes(values)}/>"


def _svg(*shapes: str) -> str:
    size = f'width="{SWATCH_WIDTH}" height="{SWATCH_HEIGHT}" viewBox="0 0 {SWATCH_WIDTH} {SWATCH_HEIGHT}"'
    return f'<svg xmlns="http://www.w3.org/2000/svg" {size}>{"".join(shapes)}</svg>'


#: the dash of the current-place ring while the stay's dates are uncertain
UNCERTAIN_RING_DASH = "4 3"


def legend_entries() -> list[LegendEntry]:
    """The legend's rows, in the order the map shows them."""
    palette = STYLE["borders"]["palette"]
    path = STYLE["path"]
    return [
        LegendEntry(
            "current",
            "Where he is",
            "The place he is in on the date: a dark ring around its mark.",
            _svg(_circle(STYLE["activePoint"], 5, fill=True), _circle(STYLE["currentRing"], 8, fill=False)),
            ("currentRing",),
        ),
        LegendEntry(
            "uncertain",
            "Dates uncertain",
            "The same ring, dashed: the dates of this stay are inferred from the texts, or known only"
            " to the year. The timeline draws such stays with a dashed outline.",
            _svg(
                _circle(STYLE["activePoint"], 5, fill=True),
                _circle(STYLE["currentRing"], 8, fill=False, dash=UNCERTAIN_RING_DASH),
            ),
            ("currentRing",),
        ),
        LegendEntry(
            "active",
            "Also on this date",
            "Another place the texts put him in during the days shown (a year, or the days the date"
            " has just run through).",
            _svg(_circle(STYLE["activePoint"], 5, fill=True)),
            ("activePoint",),
        ),
        LegendEntry(
            "past",
            "Visited before",
            "A place he had been to before the date: a small grey mark.",
            _svg(_circle(STYLE["pastPoint"], 4, fill=True)),
            ("pastPoint",),
        ),
        LegendEntry(
            "area",
            "Region or country",
            "A stay the texts give only as a region or a country (Siberia, Spain): a large dashed"
            " circle rather than a point.",
            _svg(_circle(STYLE["activeArea"], 7, fill=True)),
            ("activeArea", "pastArea"),
        ),
        LegendEntry(
            "journey",
            "Journey so far",
            "The line from place to place in the order he reached them, up to the date.",
            _svg(_line(path, weight=2, opacity=path["opacity"] + 0.3)),
            ("path",),
        ),
        LegendEntry(
            "crossing",
            "At sea or on the way",
            "A voyage or a train journey the texts date: dashed, and bold while the date is on it.",
            _svg(_line(STYLE["crossingActive"], weight=3, opacity=1, dash="5 3")),
            ("crossing", "crossingActive"),
        ),
        LegendEntry(
            "selected",
            "Selected place",
            "The place whose passages the panel shows: a blue ring.",
            _svg(_circle(STYLE["selectedRing"], 7, fill=False)),
            ("selectedRing",),
        ),
        LegendEntry(
            "borders",
            "Borders of the date (approximate)",
            "The states as they were in the latest snapshot not after the date (1880, 1900, 1914,"
            " 1920, 1930 or 1938); the year is in the map's corner. Approximate: the snapshots are"
            " coarse, and some names were corrected (see the borders' README).",
            _svg(_rect(2, palette[0], BORDER_LINE), _rect(13, palette[1], BORDER_LINE)),
            ("borders",),
        ),
        LegendEntry(
            "polity",
            "The state he is in",
            "The state that held the place he is in, outlined a little darker.",
            _svg(_rect(2, palette[2], STYLE["borders"]["emphasis"], 1.6), _rect(13, palette[3], BORDER_LINE)),
            ("borders",),
        ),
    ]


def legend_protocol() -> dict[str, Any]:
    """The legend as the page receives it (in ``config.protocol``): ``legend``, [label, swatch SVG]
    per row, and the dash the current-place ring takes while the stay's dates are uncertain."""
    return {
        "legend": [[entry.label, entry.svg] for entry in legend_entries()],
        "uncertainRingDash": UNCERTAIN_RING_DASH,
    }
