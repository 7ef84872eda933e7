"""The exported standalone page without a browser: its inlined Leaflet CSS and its popups' HTML.

The popups read as the desktop panel reads a place because they are the panel's own HTML
(:mod:`app.page.place_html`), carried in the payload; the browser tests are in
``test_export_page_gui.py``.
"""

from __future__ import annotations

import base64
import html
import json
import re
from html.parser import HTMLParser
from pathlib import Path
from typing import Any

import pytest

from app.page import assets
from app.page.data import page_payload
from app.page.export_html import leaflet_css_data_url, standalone_html
from app.page.place_html import HIGHLIGHT, STYLE, place_html
from app.page.protocol import ConfigKey, ElementId, PayloadKey
from geodata.loader import load_dataset
from geodata.model import Dataset
from geodata.passages import credit
from tests.hostile import PAYLOADS, hostile_document


def _data_urls(page: str, mime: str) -> list[str]:
    """The decoded contents of the page's ``data:`` URLs of one MIME type."""
    pattern = re.compile(rf"data:{re.escape(mime)};base64,([A-Za-z0-9+/=]+)")
    return [base64.b64decode(match).decode("utf-8") for match in pattern.findall(page)]


def _embedded(page: str, element: ElementId) -> Any:
    match = re.search(rf'<script type="application/json" id="{element.value}">(.*?)</script>', page, re.DOTALL)
    assert match is not None
    return json.loads(match.group(1))


@pytest.fixture(scope="module")
def hostile(tmp_path_factory: pytest.TempPathFactory) -> Dataset:
    return load_dataset(hostile_document(tmp_path_factory.mktemp("hostile")))


def test_the_exported_leaflet_css_carries_its_images(mini: Dataset) -> None:
    sheets = _data_urls(standalone_html(mini), "text/css")
    leaflet = [css for css in sheets if ".leaflet-control-layers-toggle" in css]
    assert len(leaflet) == 1
    css = leaflet[0]
    # a relative image would be looked for next to the exported file, where it is not
    assert "images/" not in css
    for name in ("layers.png", "layers-2x.png", "marker-icon.png"):
        image = base64.b64encode((assets.LEAFLET_DIR / "images" / name).read_bytes()).decode("ascii")
        assert f'url("data:image/png;base64,{image}")' in css
    # the rest of Leaflet's CSS is unchanged
    original = assets.STATIC_FILES[assets.LEAFLET_CSS].read_text(encoding="utf-8")
    assert re.sub(r'url\("data:[^"]*"\)', "url()", css) == re.sub(r"url\(images/[^)]*\)", "url()", original)


def test_an_image_leaflet_does_not_ship_is_an_error_not_a_broken_picture(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    css = tmp_path / "leaflet.css"
    css.write_text(".x { background: url('images/missing.png'); }", encoding="utf-8")
    monkeypatch.setitem(assets.STATIC_FILES, assets.LEAFLET_CSS, css)
    with pytest.raises(FileNotFoundError, match=r"missing\.png"):
        leaflet_css_data_url()


def test_popups_are_the_desktop_panels_html(bundled: Dataset) -> None:
    details = page_payload(bundled, with_details=True)[PayloadKey.DETAILS]
    assert len(details) == len(bundled.places)
    for place, detail in zip(bundled.places, details, strict=True):
        assert len(detail["stays"]) == len(place.stays)
        # in a year none of its stays covers, the panel is the title and exactly the popup's pieces,
        # but for the links that open the reader (the exported page has none)
        panel = re.sub(r' · <a href="passage:[a-z0-9_-]+:[0-9]+">in context</a>', "", place_html(bundled, place, 1000))
        assert panel == STYLE + f"<h2>{html.escape(place.name_in(1000))}</h2>" + detail["sub"] + "".join(
            detail["stays"]
        )


def test_a_popup_reads_dates_kinds_credits_and_marks_the_names(bundled: Dataset) -> None:
    index = [place.id for place in bundled.places].index("buyukada")
    detail = page_payload(bundled, with_details=True)[PayloadKey.DETAILS][index]
    assert "Today: Büyükada, Adalar, Istanbul, Turkey" in detail["sub"]
    (stay,) = detail["stays"]
    assert '<p class="stay">Feb 1929 – 1933 · exile</p>' in stay  # not "1929-02 – 1933 · exile"
    # each quote is shown once, credited with the author and the work (a title is not a speaker);
    # the exported page has no reader, so no "in context" link
    both = "Wikipedia, ‘Leon Trotsky’; also in Crawford, ‘Trotsky - Power and Beyond’"
    assert stay.count(f'<span class="src">— {both}</span>') == 2
    assert stay.count('<span class="src">— Wikipedia, ‘Leon Trotsky’</span>') == 1
    assert stay.count("<blockquote>") == 3 and "in context" not in stay
    assert credit(bundled.sources["wiki"]) == "Wikipedia, ‘Leon Trotsky’"
    assert stay.count(HIGHLIGHT.format("Büyükada")) == 2


class _Markup(HTMLParser):
    """The tags, attributes and text of an HTML fragment."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.tags: list[tuple[str, tuple[tuple[str, str | None], ...]]] = []
        self.text: list[str] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.tags.append((tag, tuple(attrs)))

    def handle_data(self, data: str) -> None:
        self.text.append(data)


#: every tag and attribute the popups' HTML may hold: only the panel's own
ALLOWED = {
    ("p", (("class", "sub"),)),
    ("p", (("class", "note"),)),
    ("p", (("class", "stay"),)),
    ("p", (("class", "summary"),)),
    ("br", ()),
    ("blockquote", ()),
    ("span", (("class", "src"),)),
    ("span", (("style", "background-color:#ffe08a; font-weight:bold"),)),
}


def test_no_markup_from_a_hostile_dataset_reaches_the_popups(hostile: Dataset) -> None:
    details = page_payload(hostile, with_details=True)[PayloadKey.DETAILS]
    for place, detail in zip(hostile.places, details, strict=True):
        text = ""
        for fragment in (detail["sub"], *detail["stays"]):
            markup = _Markup()
            markup.feed(fragment)
            markup.close()
            assert set(markup.tags) <= ALLOWED, fragment
            text += "".join(markup.text)
        if place.id.startswith("hostile-"):
            payload = PAYLOADS[int(place.id.split("-")[1])]
            # the hostile text is there, as text: in the names line, note, summary, calendar and quote
            assert text.count(payload) >= 5, (payload, text)
            assert f"— {PAYLOADS[2]}, ‘{PAYLOADS[1]}’" in text


def test_the_exported_page_embeds_the_popups_html_intact_and_escaped(hostile: Dataset) -> None:
    page = standalone_html(hostile, year=1900, place="hostile-2")
    # the JSON holds HTML, but no tag of it is markup of the page (tojson escapes < > & ')
    assert "<p class=" not in page and "<img src=x" not in page and "<script>window" not in page
    embedded = _embedded(page, ElementId.DATASET)
    assert (
        embedded[PayloadKey.DETAILS]
        == json.loads(json.dumps(page_payload(hostile, with_details=True)))[PayloadKey.DETAILS]
    )
    assert f'"{ConfigKey.PLACE.value}": "hostile-2"' in page


def test_the_apps_document_carries_no_popups(mini: Dataset) -> None:
    from app.page.data import page_document

    assert PayloadKey.DETAILS not in json.loads(page_document(mini))
