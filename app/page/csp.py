"""The map page's Content-Security-Policy: only the app's own scripts may run.

folium writes the map set-up as inline ``<script>`` elements, so instead of allowing every inline
script ('unsafe-inline'), the policy lists the SHA-256 of each inline script of the page as rendered
(read from the HTML, which is not changed). A script smuggled in through data — an excerpt, a name —
would have another hash and is refused by the browser even if escaping ever failed.
"""

from __future__ import annotations

import base64
import hashlib
from html.parser import HTMLParser

from app.page.protocol import ONLINE_TILES_ORIGIN


class _InlineScripts(HTMLParser):
    """Collects the text of every inline, executable ``<script>`` element."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=False)
        self.scripts: list[str] = []
        self._current: list[str] | None = None

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag != "script":
            return
        attributes = dict(attrs)
        kind = (attributes.get("type") or "text/javascript").lower()
        executable = kind in ("text/javascript", "application/javascript", "module")
        self._current = [] if executable and "src" not in attributes else None

    def handle_data(self, data: str) -> None:
        if self._current is not None:
            self._current.append(data)

    def handle_endtag(self, tag: str) -> None:
        if tag == "script" and self._current is not None:
            self.scripts.append("".join(self._current))
            self._current = None


def inline_script_hashes(html: str) -> list[str]:
    """``'sha256-…'`` sources for every inline script of ``html``, in page order."""
    parser = _InlineScripts()
    parser.feed(html)
    parser.close()
    hashes = []
    for script in parser.scripts:
        digest = base64.b64encode(hashlib.sha256(script.encode("utf-8")).digest()).decode("ascii")
        hashes.append(f"'sha256-{digest}'")
    return hashes


def content_security_policy(html: str) -> str:
    """The policy for the page ``html`` served from the app's own origin."""
    scripts = " ".join(["'self'", *inline_script_hashes(html)])
    return "; ".join(
        [
            "default-src 'none'",
            f"script-src {scripts}",
            # Leaflet positions everything with style attributes; styles cannot run code.
            "style-src 'self' 'unsafe-inline'",
            f"img-src 'self' data: {ONLINE_TILES_ORIGIN}",
            "connect-src 'self'",
            "font-src 'self'",
            "base-uri 'none'",
            "form-action 'none'",
            "object-src 'none'",
        ]
    )
