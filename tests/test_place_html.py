from __future__ import annotations

from typing import Any

from app.page.place_html import highlight, place_html, year_html
from geodata.dates import PartialDate
from geodata.wording import format_date


def test_highlight_escapes_everything_and_marks_names() -> None:
    out = highlight("<script>x</script> in Vienna & vienna", ("Vienna",))
    assert "<script>" not in out
    assert "&lt;script&gt;x&lt;/script&gt;" in out
    assert out.count("background-color") == 2
    assert "&amp;" in out


def test_a_name_with_markup_cannot_open_a_tag() -> None:
    out = highlight("The <b>Delta</b> region", ("<b>Delta</b>",))
    assert "<b>" not in out.replace('<span style="background-color:#ffe08a; font-weight:bold">', "")


def test_place_panel_escapes_dataset_text(mini: Any) -> None:
    out = place_html(mini, mini.place("delta"), 1899)
    assert "Delta &lt;region&gt;" in out
    assert "<region>" not in out
    assert "&lt;b&gt;" in out  # the excerpt's markup is shown as text


def test_place_panel_lists_names_stays_and_sources(mini: Any) -> None:
    out = place_html(mini, mini.place("alphaville"), 1880)
    assert "<h2>Old Alpha</h2>" in out
    assert "Old Alpha (until 1885) · Alphaville (from 1885)" in out
    assert "7 Nov 1880 – 1890 · birth" in out
    assert "— Tester, ‘Mini life’" in out
    assert 'class="stay now"' in out
    later = place_html(mini, mini.place("alphaville"), 1895)
    assert "<h2>Alphaville</h2>" in later and 'class="stay now"' not in later


def test_inferred_stays_say_so(mini: Any) -> None:
    out = place_html(mini, mini.place("gammaburg"), 1899)
    assert "inferred" in out and "after school" in out


def test_format_date() -> None:
    assert format_date(PartialDate(1917)) == "1917"
    assert format_date(PartialDate(1917, 5)) == "May 1917"
    assert format_date(PartialDate(1917, 5, 4)) == "4 May 1917"


def test_year_panel_lists_the_years_stays_as_links(mini: Any) -> None:
    out = year_html(mini, 1899)
    assert '<a href="place:gammaburg">Gammaburg</a>' in out
    assert '<a href="place:delta">Delta &lt;region&gt;</a>' in out
    assert out.index("gammaburg") < out.index("delta")
    assert "no stay in this year" in year_html(mini, 1901)
    assert "no stay in this year" not in out


def test_long_year_lists_are_capped(tmp_path: Any) -> None:
    from app.page.place_html import YEAR_LIST_LIMIT
    from geodata.loader import load_dataset
    from tests.benchmarks.synthetic import write_synthetic_dataset

    dataset = load_dataset(write_synthetic_dataset(tmp_path, 3000))
    busiest = max(range(1879, 1941), key=lambda y: sum(s.covers(y) for s in dataset.stays))
    out = year_html(dataset, busiest)
    assert out.count('href="place:') == YEAR_LIST_LIMIT
    assert "more stays in" in out


def test_a_country_is_named_once_today_and_the_points_precision_is_shown(bundled: Any) -> None:
    norway = bundled.place("norway")
    assert norway is not None
    out = place_html(bundled, norway, 1936)
    assert "Today: Norway<" in out and "Norway, Norway" not in out
    assert "point accurate to the country" in out
    yanovka = bundled.place("yanovka")
    assert yanovka is not None
    assert "approximate point (known to the region)" in place_html(bundled, yanovka, 1879)
    odessa = bundled.place("odessa")
    assert odessa is not None
    assert "approximate" not in place_html(bundled, odessa, 1890).split("</p>")[0]
