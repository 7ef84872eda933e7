from __future__ import annotations

import pytest

from geodata.dates import (
    PartialDate,
    Precision,
    day_number,
    format_day,
    from_day_number,
    not_after,
    parse_partial_date,
    parse_when,
)


@pytest.mark.parametrize(
    ("text", "expected", "precision"),
    [
        ("1917", PartialDate(1917), Precision.YEAR),
        ("1917-05", PartialDate(1917, 5), Precision.MONTH),
        ("1917-05-04", PartialDate(1917, 5, 4), Precision.DAY),
        ("1916-02-29", PartialDate(1916, 2, 29), Precision.DAY),
    ],
)
def test_parses_partial_dates(text: str, expected: PartialDate, precision: Precision) -> None:
    parsed = parse_partial_date(text)
    assert parsed == expected
    assert parsed.precision == precision
    assert str(parsed) == text


@pytest.mark.parametrize(
    ("value", "message"),
    [
        ("1917-13", "no month 13"),
        ("1917-00", "no month 0"),
        ("1917-02-30", "not a day"),
        ("1917-02-29", "not a day"),
        ("17", "not a date"),
        ("1917/05", "not a date"),
        ("1917-5", "not a date"),
        (" 1917", "not a date"),
        (1917, "got int"),
        (None, "got NoneType"),
    ],
)
def test_rejects_malformed_and_impossible_dates(value: object, message: str) -> None:
    with pytest.raises(ValueError, match=message):
        parse_partial_date(value)


def test_order_is_compared_at_the_coarser_precision() -> None:
    year, may, may4 = PartialDate(1917), PartialDate(1917, 5), PartialDate(1917, 5, 4)
    assert not_after(year, may) and not_after(may, year)
    assert not_after(may, may4) and not_after(may4, may)
    assert not_after(PartialDate(1917, 4, 30), may4)
    assert not not_after(PartialDate(1917, 6), may4)
    assert not not_after(PartialDate(1918), may)


def test_fractional_year_orders_within_a_year() -> None:
    assert PartialDate(1917).fractional_year() < PartialDate(1917, 3).fractional_year()
    assert PartialDate(1917, 3).fractional_year() < PartialDate(1917, 3, 2).fractional_year()
    assert PartialDate(1917, 12).fractional_year(at_end=True) < PartialDate(1918).fractional_year()


def test_a_partial_date_is_a_range_of_days() -> None:
    import datetime as dt

    assert PartialDate(1917, 5).first_day() == dt.date(1917, 5, 1)
    assert PartialDate(1917, 5).last_day() == dt.date(1917, 5, 31)
    assert PartialDate(1916, 2).last_day() == dt.date(1916, 2, 29)  # a leap year
    assert PartialDate(1917).last_day() == dt.date(1917, 12, 31)
    assert PartialDate(1917, 4, 15).first_day() == PartialDate(1917, 4, 15).last_day() == dt.date(1917, 4, 15)
    # days before 1970 number like any other, and come back
    assert from_day_number(day_number(dt.date(1879, 11, 7))) == dt.date(1879, 11, 7)


@pytest.mark.parametrize(
    ("typed", "meant"),
    [
        ("1917-10-25", "1917-10-25"),
        ("1917-10", "1917-10"),
        ("1917", "1917"),
        ("Oct 1917", "1917-10"),
        ("october 1917", "1917-10"),
        ("Sept 1917", "1917-09"),
        ("25 October 1917", "1917-10-25"),
        ("25 Oct. 1917", "1917-10-25"),
        ("October 25, 1917", "1917-10-25"),
        ("  7   November 1879 ", "1879-11-07"),
    ],
)
def test_dates_as_people_type_them(typed: str, meant: str) -> None:
    assert str(parse_when(typed)) == meant


@pytest.mark.parametrize(
    ("typed", "message"),
    [
        ("", "type a date"),
        ("Octember 1917", "not a month"),
        ("31 April 1917", "not a day of the calendar"),
        ("1917-13", "no month 13"),
        ("next Tuesday", "not a date"),
        ("1917-10-25T00:00", "not a date"),
        ("٢٠١٧", "not a date"),  # digits of another script
    ],
)
def test_a_bad_date_says_what_is_wrong(typed: str, message: str) -> None:
    with pytest.raises(ValueError, match=message):
        parse_when(typed)


def test_days_are_written_in_words() -> None:
    import datetime as dt

    assert format_day(dt.date(1917, 10, 25)) == "25 October 1917"
