"""The excerpt panel's content as HTML: every text from the dataset is escaped, names highlighted.

Qt-free so it can be tested (and reused by exports) without a widget. Highlighting works on the raw
text and escapes each piece separately, so a name can never open a tag.
"""

from __future__ import annotations

import html
from collections.abc import Iterable

from geodata.model import Crossing, Dataset, Excerpt, Place, Stay
from geodata.names import text_names
from geodata.passages import merged_quotes, name_pattern, quote_credit
from geodata.schema import GRANULARITIES, STAY_KINDS, TRAVEL_MODES
from geodata.wording import format_span

#: the panel's links to a place: ``place:<id>``
PLACE_LINK = "place:"
#: the panel's links to a quote in its text: ``passage:<source id>:<offset>`` (the reader opens there)
PASSAGE_LINK = "passage:"

#: the year list stops here: a large dataset can have thousands of stays in one year
YEAR_LIST_LIMIT = 60
HIGHLIGHT = '<span style="background-color:#ffe08a; font-weight:bold">{}</span>'

STYLE = """
<style>
h2 { margin: 0 0 2px 0; font-size: 20px; }
.sub { color: #555; margin: 0 0 8px 0; }
.stay { margin: 12px 0 2px 0; font-weight: bold; }
.now { color: #a1271b; }
.summary { margin: 0 0 4px 0; }
.note { color: #666; font-size: small; }
blockquote { margin: 4px 0 8px 10px; }
.src { color: #666; font-size: small; }
</style>
"""


def place_link(place_id: str) -> str:
    """The href of a link that selects ``place_id`` (escaped for an attribute)."""
    return html.escape(PLACE_LINK + place_id, quote=True)


def linked_place(href: str) -> str | None:
    """The place id of a :func:`place_link` href, or None for any other link."""
    return href[len(PLACE_LINK) :] if href.startswith(PLACE_LINK) else None


def passage_link(source_id: str, offset: int) -> str:
    """The href of an "in context" link to ``offset`` of ``source_id`` (escaped for an attribute)."""
    return html.escape(f"{PASSAGE_LINK}{source_id}:{offset}", quote=True)


def linked_passage(href: str) -> tuple[str, int] | None:
    """(source id, offset) of a :func:`passage_link` href, or None for any other link."""
    if not href.startswith(PASSAGE_LINK):
        return None
    source_id, _, offset = href[len(PASSAGE_LINK) :].rpartition(":")
    return (source_id, int(offset)) if source_id and offset.isdigit() else None


def kind_label(kind: str) -> str:
    """How a reader says a kind of stay ("lived here" for ``residence``)."""
    return STAY_KINDS.get(kind, kind)


def highlight(text: str, names: tuple[str, ...]) -> str:
    """``text`` escaped, with every occurrence of one of ``names`` (as a word of its own, the way the
    reader finds mentions: :func:`geodata.passages.name_pattern`) highlighted."""
    pattern = name_pattern(names, ignore_case=True)
    if pattern is None:
        return html.escape(text)
    pieces: list[str] = []
    position = 0
    for match in pattern.finditer(text):
        pieces.append(html.escape(text[position : match.start()]))
        pieces.append(HIGHLIGHT.format(html.escape(match.group(0))))
        position = match.end()
    pieces.append(html.escape(text[position:]))
    return "".join(pieces)


def _names_line(place: Place) -> str:
    parts = []
    for dated in place.names:
        if dated.start and dated.end:
            parts.append(f"{dated.name} ({dated.start.year}–{dated.end.year})")
        elif dated.start:
            parts.append(f"{dated.name} (from {dated.start.year})")
        elif dated.end:
            parts.append(f"{dated.name} (until {dated.end.year})")
        else:
            parts.append(dated.name)
    return " · ".join(parts)


def _precision(place: Place) -> str:
    """How exact the point is, as the dataset records it: "approximate" when it is only known to a
    coarser level than the place itself (a village placed within its region)."""
    precision = place.coord_precision
    if not precision:
        return ""
    if precision in GRANULARITIES and GRANULARITIES.index(precision) > GRANULARITIES.index(place.granularity):
        return f" · approximate point (known to the {html.escape(precision)})"
    return f" · point accurate to the {html.escape(precision)}"


#: the anchor of the stay the panel opens at (``QTextBrowser.scrollToAnchor``)
NOW_ANCHOR = "now"


def place_html(dataset: Dataset, place: Place, year: int) -> str:
    """The panel for ``place`` as seen in ``year`` (that year's stays are marked)."""
    names = highlighted_names(place)
    out = [STYLE, f"<h2>{html.escape(place.name_in(year))}</h2>", place_sub_html(place)]
    out.extend(stay_html(dataset, stay, names, now=stay.covers(year)) for stay in place.stays)
    return "".join(out)


def marked_stays(dataset: Dataset, place: Place, day: int) -> tuple[int, ...]:
    """Which of the place's stays (their indexes) the panel marks on ``day``: those that cover it,
    else the nearest one (so the panel always opens at a stay, and at the right one)."""
    from geodata.queries import legs_of

    legs = legs_of(dataset, place)
    covering = tuple(index for index, leg in enumerate(legs) if leg.contains(day))
    if covering or not legs:
        return covering
    distance = [min(abs(leg.first - day), abs(leg.last - day)) for leg in legs]
    return (distance.index(min(distance)),)


def place_html_on(dataset: Dataset, place: Place, day: int, year: int) -> str:
    """The panel for ``place`` on ``day`` (a day number in ``year``): the stays that cover the day
    (or the nearest one) are marked, and the first of them carries the ``NOW_ANCHOR`` anchor."""
    names = highlighted_names(place)
    marked = marked_stays(dataset, place, day)
    out = [STYLE, f"<h2>{html.escape(place.name_in(year))}</h2>", then_html(place, day), place_sub_html(place)]
    for index, stay in enumerate(place.stays):
        if marked and index == marked[0]:
            out.append(f'<a name="{NOW_ANCHOR}"></a>')
        out.append(stay_html(dataset, stay, names, now=index in marked))
    out.extend(
        crossing_html(dataset, crossing, names, now=crossing.contains(day)) for crossing in crossings_of(dataset, place)
    )
    return "".join(out)


def crossings_of(dataset: Dataset, place: Place) -> tuple[Crossing, ...]:
    """The crossings that leave from or arrive at ``place``, in the dataset's order."""
    return tuple(crossing for crossing in dataset.crossings if place.id in (crossing.from_id, crossing.to_id))


def _end_name(dataset: Dataset, place_id: str, year: int) -> str:
    place = dataset.place(place_id)
    return place.name_in(year) if place is not None else place_id


def crossing_label(dataset: Dataset, crossing: Crossing, *, short: bool = False) -> str:
    """A crossing in one line of plain text (the map's tooltip): "At sea: Spain → New York City,
    25 Dec 1916 – 13 Jan 1917 (SS Kristianiafjord)"; ``short``: "at sea: Spain → New York City",
    for a line that also names the stays of the day."""
    year = crossing.start.year
    mode = TRAVEL_MODES.get(crossing.mode, crossing.mode)
    route = f"{_end_name(dataset, crossing.from_id, year)} → {_end_name(dataset, crossing.to_id, year)}"
    if short:
        return f"{mode}: {route}"
    vessel = f" ({crossing.vessel})" if crossing.vessel else ""
    return f"{mode[:1].upper()}{mode[1:]}: {route}, {format_span(crossing)}{vessel}"


def crossing_html(
    dataset: Dataset, crossing: Crossing, names: tuple[str, ...], now: bool = False, *, context: bool = True
) -> str:
    """A crossing from or to the place shown, as the panel shows a stay: the route and dates, the
    summary, remarks and excerpts (``class="stay now"`` while the date shown is on it)."""
    return _entry_html(dataset, crossing, crossing_label(dataset, crossing), names, now, context)


def _entry_html(
    dataset: Dataset, entry: Stay | Crossing, heading: str, names: tuple[str, ...], now: bool, context: bool
) -> str:
    """A stay or a crossing in the panel: its heading (marked ``now``), summary, remarks and quotes."""
    marked = ' class="stay now"' if now else ' class="stay"'
    certainty = "" if entry.certainty == "stated" else " · inferred"
    out = [f"<p{marked}>{html.escape(heading)}{html.escape(certainty)}</p>"]
    out.append(f'<p class="summary">{html.escape(entry.summary)}</p>')
    for remark in (entry.calendar, entry.note):
        if remark:
            out.append(f'<p class="note">{html.escape(remark)}</p>')
    out.append(quotes_html(dataset, entry.excerpts, names, context=context))
    return "".join(out)


def quotes_html(dataset: Dataset, excerpts: Iterable[Excerpt], names: tuple[str, ...], *, context: bool = True) -> str:
    """The quotes of a stay or crossing, each once however many sources have it (copies that differ
    only in spaces or punctuation are one quote), credited to every source that has it; with
    ``context``, each with an "in context" link that opens the reader at it (the desktop panel)."""
    out = []
    for quote in merged_quotes(excerpts):
        first = quote.excerpts[0]
        link = f' · <a href="{passage_link(first.source, first.offset)}">in context</a>' if context else ""
        out.append(
            f"<blockquote>“{highlight(quote.text, names)}”<br>"
            f'<span class="src">— {html.escape(quote_credit(dataset, quote))}{link}</span></blockquote>'
        )
    return "".join(out)


def polity_text(place: Place, day: int, *, wait: bool = True) -> str:
    """The polity that held the place on ``day`` as the map's borders show it ("Austria-Hungary"),
    "unknown" when none does, or "" when the borders cannot be read (the map says why) or, with
    ``wait=False``, are not decoded yet (the window's hot paths never read the file themselves)."""
    from geodata.borders import BordersError, borders_ready, polity_on

    if not wait and not borders_ready():
        return ""
    try:
        return str(polity_on(place.lat, place.lon, day))
    except BordersError:
        return ""


def then_html(place: Place, day: int) -> str:
    """ "Then: Austria-Hungary (borders of 1914, approximate) · today: Vienna, Austria"."""
    polity = polity_text(place, day, wait=False)
    if not polity:
        return ""
    from geodata.borders import load_borders

    snapshot = load_borders().snapshot_for(day)
    today = ", ".join(dict.fromkeys(part for part in (place.modern_name, place.country) if part))
    rest = f" · today: {html.escape(today)}" if today else ""
    return (
        f'<p class="sub">Then: <b>{html.escape(polity)}</b> '
        f'<span class="note">(borders of {snapshot}, approximate)</span>{rest}</p>'
    )


def highlighted_names(place: Place) -> tuple[str, ...]:
    """The names :func:`highlight` marks in a place's excerpts: the names the texts call it by
    (:func:`geodata.names.text_names`), never another place's ("Nova Scotia" is not Halifax's)."""
    return text_names(place)


def place_sub_html(place: Place) -> str:
    """What the panel says under a place's name, whatever the year: its names, where it is today,
    how exact its point is, and the dataset's note on it."""
    sub = []
    if place.names:
        sub.append("Names: " + html.escape(_names_line(place)))
    # "Norway", not "Norway, Norway", for a country that is its own modern name
    today = ", ".join(dict.fromkeys(part for part in (place.modern_name, place.country) if part))
    if today:
        sub.append("Today: " + html.escape(today))
    sub.append(f"{html.escape(place.granularity)} · {place.lat:.3f}, {place.lon:.3f}" + _precision(place))
    out = '<p class="sub">' + "<br>".join(sub) + "</p>"
    if place.note:
        out += f'<p class="note">{html.escape(place.note)}</p>'
    return out


def stay_html(dataset: Dataset, stay: Stay, names: tuple[str, ...], now: bool = False, *, context: bool = True) -> str:
    """One stay as the panel shows it: dates, kind, summary, remarks and its excerpts with ``names``
    highlighted; ``now`` marks it as a stay of the year shown (``class="stay now"``)."""
    heading = f"{format_span(stay)} · {kind_label(stay.kind)}"
    return _entry_html(dataset, stay, heading, names, now, context)


def year_html(dataset: Dataset, year: int) -> str:
    """What the panel shows when nothing is selected: the year's stays, each place a link."""
    from geodata.queries import active_stays

    legs = active_stays(dataset, year)
    out = [STYLE, f"<h2>{year}</h2>"]
    if not legs:
        out.append("<p class='sub'>The dataset has no stay in this year.</p>")
    for leg in legs[:YEAR_LIST_LIMIT]:
        name = html.escape(leg.place.name_in(year))
        link = f'<a href="{place_link(leg.place.id)}">{name}</a>'
        label = kind_label(leg.stay.kind)
        out.append(f'<p class="stay">{link} · {html.escape(format_span(leg.stay))} · {html.escape(label)}</p>')
        out.append(f'<p class="summary">{html.escape(leg.stay.summary)}</p>')
    if len(legs) > YEAR_LIST_LIMIT:
        out.append(f"<p class='note'>… and {len(legs) - YEAR_LIST_LIMIT:,} more stays in {year}.</p>")
    out.append(
        "<p class='note'>Click a place on the map, in this list or in the line under the map to read"
        " what the biographies say about it.</p>"
    )
    return "".join(out)
