"""The rendered page is cached on disk so start-up skips folium; a bad cache never breaks start-up."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest

from app.page.builder import PageOptions
from app.page.cache import cached_page, page_key
from app.page.csp import content_security_policy, inline_script_hashes
from geodata.paths import CACHE_ENV
from geodata.paths import user_cache_dir as cache_dir

ROOT = Path(__file__).resolve().parent.parent


def test_second_start_does_not_import_folium(tmp_path: Path) -> None:
    script = (
        "import sys; from app.page.cache import cached_page; html = cached_page(); "
        "print(len(html), 'folium' in sys.modules)"
    )
    env = {"PATH": "/usr/bin:/bin", CACHE_ENV: str(tmp_path), "PYTHONPATH": str(ROOT)}
    first = subprocess.run([sys.executable, "-c", script], env=env, capture_output=True, text=True, check=True)
    second = subprocess.run([sys.executable, "-c", script], env=env, capture_output=True, text=True, check=True)
    assert first.stdout.split()[1] == "True"
    assert second.stdout.split()[1] == "False"
    assert first.stdout.split()[0] == second.stdout.split()[0]


@pytest.mark.allow_log("app.page.cache", "^ignoring a damaged page cache")
def test_damaged_cache_is_rebuilt(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv(CACHE_ENV, str(tmp_path))
    path = cache_dir() / f"page-{page_key(PageOptions())}.html"
    path.write_text("<!DOCTYPE html><html><body>half a pa", encoding="utf-8")
    html = cached_page()
    assert html.rstrip().endswith("</html>") and "TrotskyMap.start" in html
    assert path.read_text(encoding="utf-8") == html


@pytest.mark.allow_log("app.page.cache", "^cannot read the page cache")
def test_unwritable_cache_still_gives_a_page(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    blocker = tmp_path / "file"
    blocker.write_text("not a folder", encoding="utf-8")
    monkeypatch.setenv(CACHE_ENV, str(blocker / "cache"))
    assert "TrotskyMap.start" in cached_page()


def test_page_policy_allows_exactly_the_pages_inline_scripts(page_html: str) -> None:
    hashes = inline_script_hashes(page_html)
    assert len(hashes) >= 2
    policy = content_security_policy(page_html)
    assert "'unsafe-inline'" not in policy.split("script-src")[1].split(";")[0]
    assert all(h in policy for h in hashes)
    assert '<meta http-equiv="Content-Security-Policy"' in page_html.split("<script")[0]
