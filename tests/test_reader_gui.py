"""The reader in the real window: both texts marked, linked to the map both ways through the state,
"in context" from the panel, read along, and a hostile text shown as text."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
from PySide6.QtCore import QPoint, Qt, QUrl

from app.page.place_html import linked_passage
from app.widgets.reader import passage_href
from geodata.loader import load_dataset
from geodata.passages import passages
from geodata.queries import current_leg_on, legs_of
from tests.datasets import SOURCE_TEXT, make_document, write_dataset
from tests.gui_helpers import describe

pytestmark = pytest.mark.gui


def open_reader(qtbot: Any, window: Any) -> Any:
    window.show_reader()
    reader = window.reader
    qtbot.waitUntil(lambda: reader.isVisible() and reader.text.document().characterCount() > 1000, timeout=5_000)
    return reader


def test_selecting_a_place_brings_its_first_passage_into_view_with_its_paragraph(
    qtbot: Any, window: Any, bundled: Any
) -> None:
    reader = open_reader(qtbot, window)
    window.state.select_place("vienna")
    first = passages(bundled).excerpts_of("vienna")[0]
    qtbot.waitUntil(lambda: reader.current_passage == first, timeout=5_000)
    qtbot.waitUntil(lambda: first in reader.visible_passages(), timeout=5_000)
    item = passages(bundled).items[first]
    assert item.place == "vienna" and item.source == reader.source_id
    # the passage sits near the top, its paragraph from its start when the two fit together
    block = reader.text.document().findBlock(item.start)
    top = reader.text.document().documentLayout().blockBoundingRect(block).top()
    line = block.layout().lineForTextPosition(item.start - block.position())
    passage_top = top + line.y()
    scrolled, height = reader.text.verticalScrollBar().value(), reader.text.viewport().height()
    assert scrolled <= passage_top < scrolled + height / 2
    assert top + 1 >= scrolled or passage_top - scrolled <= height / 4
    assert reader.where.text().startswith("Vienna: passage 1 of ")


def test_next_and_previous_walk_through_every_passage_of_the_place_in_both_texts(
    qtbot: Any, window: Any, bundled: Any
) -> None:
    reader = open_reader(qtbot, window)
    window.state.select_place("saint-petersburg")
    indexes = passages(bundled).excerpts_of("saint-petersburg")
    qtbot.waitUntil(lambda: reader.current_passage == indexes[0], timeout=5_000)
    seen = [reader.current_passage]
    for _ in range(len(indexes) - 1):
        reader.next_button.click()
        seen.append(reader.current_passage)
    assert seen == list(indexes)
    assert {passages(bundled).items[index].source for index in seen} == {"wiki", "crawford"}
    assert reader.source_id == passages(bundled).items[indexes[-1]].source
    reader.next_button.click()  # round again
    assert reader.current_passage == indexes[0]
    reader.previous_button.click()
    assert reader.current_passage == indexes[-1]


def test_clicking_a_passage_selects_its_place_and_moves_the_date_to_its_stay(
    qtbot: Any, window: Any, bundled: Any
) -> None:
    reader = open_reader(qtbot, window)
    found = passages(bundled)
    index = next(i for i in found.excerpts_of("buyukada") if found.items[i].stay is not None)
    item = found.items[index]
    reader.text.anchorClicked.emit(QUrl(passage_href(index)))
    place = bundled.place("buyukada")
    assert window.state.selected_place == "buyukada"
    assert item.stay is not None and window.state.day == legs_of(bundled, place)[item.stay].first
    # the reader stays at the passage clicked (no jump back to the place's first one)
    assert reader.current_passage == index
    qtbot.waitUntil(lambda: describe(qtbot, window.map_view)["selected"] == "buyukada", timeout=5_000)


def test_hovering_a_passage_points_at_its_place_on_the_map(qtbot: Any, window: Any, bundled: Any) -> None:
    reader = open_reader(qtbot, window)
    index = passages(bundled).excerpts_of("london")[0]
    reader.text.highlighted.emit(QUrl(passage_href(index)))
    assert window.state.hovered_place == "london"
    qtbot.waitUntil(lambda: describe(qtbot, window.map_view)["pointed"] == "london", timeout=5_000)
    reader.text.highlighted.emit(QUrl(""))
    assert window.state.hovered_place == ""
    qtbot.waitUntil(lambda: describe(qtbot, window.map_view)["pointed"] is None, timeout=5_000)


def test_the_panels_in_context_link_opens_the_reader_at_that_quote(qtbot: Any, window: Any, bundled: Any) -> None:
    window.state.select_place("the-bronx")
    html = window.panel.toHtml()
    assert "in context" in html
    quote = bundled.place("the-bronx").stays[0].excerpts[0]
    window.panel.anchorClicked.emit(QUrl(f"passage:{quote.source}:{quote.offset}"))
    assert linked_passage(f"passage:{quote.source}:{quote.offset}") == (quote.source, quote.offset)
    reader = window.reader
    qtbot.waitUntil(lambda: window.side.currentWidget() is reader and reader.isVisible(), timeout=5_000)
    found = passages(bundled)
    qtbot.waitUntil(lambda: reader.current_passage is not None, timeout=5_000)
    shown = found.items[reader.current_passage or 0]
    assert (shown.source, shown.start) == (quote.source, quote.offset)
    qtbot.waitUntil(lambda: reader.current_passage in reader.visible_passages(), timeout=5_000)


def test_read_along_follows_the_date(qtbot: Any, window: Any, bundled: Any) -> None:
    reader = open_reader(qtbot, window)
    reader.read_along.setChecked(True)
    found = passages(bundled)
    day = legs_of(bundled, bundled.place("vienna"))[0].first + 30
    leg = current_leg_on(bundled, day)
    assert leg is not None
    stay = leg.place.stays.index(leg.stay)
    window.state.set_day(day)

    def at_the_stay_of_the_date() -> bool:
        index = reader.current_passage
        return index is not None and (found.items[index].place, found.items[index].stay) == (leg.place.id, stay)

    qtbot.waitUntil(at_the_stay_of_the_date, timeout=5_000)
    reader.read_along.setChecked(False)
    before = reader.current_passage
    window.state.set_day(legs_of(bundled, bundled.place("buyukada"))[0].first + 30)
    assert reader.current_passage == before


def test_a_hostile_text_is_shown_as_text_and_its_marks_still_link(qtbot: Any, tmp_path: Path, make_window: Any) -> None:
    hostile = '<script>window.__pwned = 1</script><img src=x onerror="alert(1)"> <b>bold?</b>\n'
    document = make_document()
    for place in document["places"]:
        for stay in place["stays"]:
            for excerpt in stay["excerpts"]:
                excerpt["offset"] += len(hostile)
    path = write_dataset(tmp_path, document)
    (tmp_path / "mini.txt").write_text(hostile + SOURCE_TEXT, encoding="utf-8")
    dataset = load_dataset(path)
    window = make_window(dataset, year=1890)
    reader = open_reader_small(qtbot, window)
    text = reader.text.toPlainText()
    assert text.startswith("<script>window.__pwned = 1</script><img src=x")
    assert "bold?" in text and "<b>bold?</b>" in text
    found = passages(dataset)
    first = found.excerpts_of("alphaville")[0]
    assert text[found.items[first].start : found.items[first].end] == found.items[first].text
    # a click on the quote (through the view, at its place on screen) selects its place
    window.state.select_place("alphaville")
    qtbot.waitUntil(lambda: reader.current_passage == first, timeout=5_000)
    cursor = reader.text.textCursor()
    cursor.setPosition(found.items[first].start + 2)
    point = reader.text.cursorRect(cursor).center()
    window.state.select_place("")
    qtbot.mouseClick(reader.text.viewport(), Qt.MouseButton.LeftButton, pos=point + QPoint(1, 0))
    qtbot.waitUntil(lambda: window.state.selected_place == "alphaville", timeout=5_000)


def open_reader_small(qtbot: Any, window: Any) -> Any:
    window.show_reader()
    qtbot.waitUntil(lambda: window.reader.isVisible(), timeout=5_000)
    return window.reader
