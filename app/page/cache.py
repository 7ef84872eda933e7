"""Keep the rendered map page on disk so start-up does not pay for importing folium (≈0.3–0.7 s).

The page does not depend on the dataset or the year (those reach it as data), only on the code that
builds it and the folium version, so one file per combination of those is enough. Any problem with
the cache (unwritable folder, corrupt file) falls back to rendering; the cache never breaks start-up.
"""

from __future__ import annotations

import hashlib
import importlib.util
import logging
from pathlib import Path

from app.page.builder import PageOptions, build_page
from geodata.atomic import write_text_atomic
from geodata.paths import user_cache_dir

log = logging.getLogger(__name__)
_APP_DIR = Path(__file__).resolve().parent
#: the files whose content shapes the page; a change to any of them makes a new cache entry
_PAGE_SOURCES = ("builder.py", "csp.py", "assets.py", "protocol.py", "legend.py")


def page_key(options: PageOptions) -> str:
    """A digest of everything the page's HTML depends on."""
    digest = hashlib.sha256()
    for name in _PAGE_SOURCES:
        digest.update((_APP_DIR / name).read_bytes())
    # The installed folium/branca/Leaflet, identified by where they are and when they were written
    # (importlib.metadata would cost ≈60 ms of start-up just to import).
    for module in ("folium", "branca", "xstatic.pkg.leaflet"):
        spec = importlib.util.find_spec(module)
        origin = Path(spec.origin) if spec and spec.origin else None
        if origin is not None and origin.exists():
            stat = origin.stat()
            digest.update(f"{origin}:{stat.st_size}:{stat.st_mtime_ns}".encode())
        else:
            digest.update(f"{module}=?".encode())
    digest.update(repr(options).encode())
    return digest.hexdigest()[:24]


def cached_page(options: PageOptions | None = None) -> str:
    """The page HTML, from the cache when possible, else rendered with folium and cached."""
    options = options or PageOptions()
    path = user_cache_dir() / f"page-{page_key(options)}.html"
    try:
        html = path.read_text(encoding="utf-8")
        if html.startswith("<!DOCTYPE html>") and html.rstrip().endswith("</html>"):
            return html
        log.warning("ignoring a damaged page cache %s", path)
    except FileNotFoundError:
        pass
    except (OSError, UnicodeDecodeError) as error:
        log.warning("cannot read the page cache %s: %s", path, error)
    html = build_page(options)
    try:
        write_text_atomic(path, html)
    except OSError as error:
        log.info("cannot write the page cache %s: %s", path, error)
    return html
