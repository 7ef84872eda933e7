"""Build the map page with folium, once: the Leaflet map, our layer and links to local assets only.

The page holds no places: the dataset reaches it as one JSON document (fetched from the app's URL
scheme, or embedded when exported), so the HTML is the same for every dataset and every year. Python
never edits the rendered HTML; our script and its configuration enter through a folium element.
"""

from __future__ import annotations

import base64
from dataclasses import dataclass, field
from html import escape
from typing import Any

from app.page import assets
from app.page.csp import content_security_policy, inline_script_hashes
from app.page.legend import legend_protocol
from app.page.protocol import ConfigKey, ElementId, PageFunction, page_call, page_protocol


@dataclass(frozen=True)
class PageOptions:
    """What differs between the app's page and an exported standalone page."""

    year: int | None = None
    place: str | None = None
    #: page path → URL to load it from; relative paths by default (served by the app's scheme)
    links: dict[str, str] = field(default_factory=dict)
    #: JSON documents embedded in the page, by element id (standalone export only)
    embedded: dict[ElementId, Any] = field(default_factory=dict)
    title: str = "A life on a map"
    #: add a Content-Security-Policy allowing only our own scripts (off for the exported page, whose
    #: scripts are data: URLs opened from disk)
    csp: bool = True

    def link(self, page_path: str) -> str:
        return self.links.get(page_path, page_path)


def _layer_class() -> type:
    """The folium element that adds our script, style and start call (built lazily: folium is slow to import)."""
    from folium.elements import JSCSSMixin
    from folium.template import Template

    class TrotskyLayer(JSCSSMixin):
        """Adds trotsky-map.js/.css to the page and starts it on the folium map it belongs to."""

        _template = Template(
            """
            {% macro html(this, kwargs) %}
              {%- for element_id, document in this.embedded.items() %}
              <script type="application/json" id="{{ element_id }}">{{ document|tojson }}</script>
              {%- endfor %}
            {% endmacro %}
            {% macro script(this, kwargs) %}
              {{ this.start }}({{ this._parent.get_name() }}, {{ this.config|tojson }});
            {% endmacro %}
            """
        )

        def __init__(self, options: PageOptions) -> None:
            super().__init__()  # type: ignore[no-untyped-call]
            self._name = "TrotskyLayer"
            self.default_js = [
                ("trotsky_basemap", options.link(assets.BASEMAP_JS)),
                ("trotsky_points", options.link(assets.POINTS_JS)),
                ("trotsky_map", options.link(assets.PAGE_JS)),
            ]
            self.default_css = [("trotsky_map_css", options.link(assets.PAGE_CSS))]
            self.embedded = {str(element): document for element, document in options.embedded.items()}
            self.start = page_call(PageFunction.START)

            def embedded(element: ElementId) -> str | None:
                return element.value if element in options.embedded else None

            self.config = {
                ConfigKey.DATA_URL.value: options.link(assets.DATASET),
                ConfigKey.BASEMAP_URL.value: options.link(assets.BASEMAP),
                ConfigKey.BASEMAP_COARSE_URL.value: options.link(assets.BASEMAP_COARSE),
                ConfigKey.BORDERS_URL.value: options.link(assets.BORDERS),
                ConfigKey.TOWNS_URL.value: options.link(assets.TOWNS),
                ConfigKey.DATA_ELEMENT.value: embedded(ElementId.DATASET),
                ConfigKey.BASEMAP_ELEMENT.value: embedded(ElementId.BASEMAP),
                ConfigKey.BASEMAP_COARSE_ELEMENT.value: embedded(ElementId.BASEMAP_COARSE),
                ConfigKey.BORDERS_ELEMENT.value: embedded(ElementId.BORDERS),
                ConfigKey.TOWNS_ELEMENT.value: embedded(ElementId.TOWNS),
                ConfigKey.YEAR.value: options.year,
                ConfigKey.PLACE.value: options.place,
                ConfigKey.PROTOCOL.value: {**page_protocol(), **legend_protocol()},
            }

    return TrotskyLayer


def build_page(options: PageOptions | None = None) -> str:
    """The complete HTML of the map page."""
    import folium

    options = options or PageOptions()
    fmap = folium.Map(
        location=[50.0, 30.0],
        zoom_start=3,
        tiles=None,
        prefer_canvas=True,
        control_scale=False,  # the page adds its own, wide enough for its text
        world_copy_jump=False,
    )
    # With tiles=None folium drops min_zoom/max_zoom, so they go into the map options directly.
    fmap.options.update({"minZoom": 2, "maxZoom": 12, "fadeAnimation": False})
    fmap.default_js = [
        ("leaflet", options.link(assets.LEAFLET_JS)),
        ("jquery", options.link(assets.JQUERY_JS)),
    ]
    fmap.default_css = [("leaflet_css", options.link(assets.LEAFLET_CSS))]
    fmap.add_child(_layer_class()(options))
    root = fmap.get_root()
    # branca writes the title into <title> unescaped; a dataset title is text.
    root.title = escape(options.title)  # type: ignore[attr-defined]
    html: str = root.render()
    if not options.csp:
        return html
    # The policy lists the hashes of the inline scripts as rendered, so it can only be added after a
    # first render; the second render yields the same scripts (element names are fixed) plus the
    # policy as the first element of <head>, ahead of everything it governs.
    from branca.element import Element

    policy = content_security_policy(html)
    meta = Element(f'<meta http-equiv="Content-Security-Policy" content="{escape(policy, quote=True)}">')
    root.header.add_child(meta, name="content_security_policy", index=0)  # type: ignore[attr-defined]
    secured: str = root.render()
    if inline_script_hashes(secured) != inline_script_hashes(html):
        raise RuntimeError("folium rendered different inline scripts twice; the page policy would block them")
    return secured


def data_url(page_path: str) -> str:
    """A ``data:`` URL holding the asset, so a standalone page needs no other file."""
    content = assets.STATIC_FILES[page_path].read_bytes()
    return f"data:{assets.mime_type(page_path)};base64,{base64.b64encode(content).decode('ascii')}"
