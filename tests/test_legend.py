"""The legend explains every style the map draws with, and its swatches are well-formed SVG."""

from __future__ import annotations

import xml.etree.ElementTree as ET

from app.page.legend import legend_entries, legend_protocol
from app.page.protocol import STYLE


def test_every_style_the_map_draws_with_has_a_row_of_the_legend() -> None:
    explained = {style for entry in legend_entries() for style in entry.styles}
    assert explained == set(STYLE)


def test_each_row_has_a_label_a_meaning_and_a_drawn_swatch() -> None:
    entries = legend_entries()
    assert len({entry.key for entry in entries}) == len(entries)
    assert "Dates uncertain" in [entry.label for entry in entries]
    for entry in entries:
        assert entry.label and entry.meaning.endswith(".")
        svg = ET.fromstring(entry.svg)
        assert svg.tag == "{http://www.w3.org/2000/svg}svg" and len(svg), entry.key


def test_the_uncertain_row_draws_the_ring_with_the_dash_the_page_uses() -> None:
    uncertain = next(entry for entry in legend_entries() if entry.key == "uncertain")
    dash = legend_protocol()["uncertainRingDash"]
    assert f'stroke-dasharray="{dash}"' in uncertain.svg
    assert [row[0] for row in legend_protocol()["legend"]] == [entry.label for entry in legend_entries()]
