"""Reading payloads: markup stripped without eating text, tolerant fields, typed shape errors."""

from __future__ import annotations

import pytest

from proloevidence.services.payloads import (
    ShapeError,
    array,
    date_parts,
    first_text,
    iso_date,
    mapping,
    scalar,
    year_in,
)


def test_first_text_reads_arrays_and_strings() -> None:
    assert first_text(["", "Primary Care"]) == "Primary Care"
    assert first_text("Science") == "Science"
    assert first_text([]) == ""
    assert first_text(None) == ""


def test_scalar_accepts_numbers_and_rejects_structures() -> None:
    assert scalar(37) == "37"
    assert scalar(" 4 ") == "4"
    assert scalar(None) == ""
    assert scalar(True) == ""
    assert scalar({"a": 1}) == ""


def test_date_parts_survive_null_and_partial_dates() -> None:
    assert date_parts({"date-parts": [[2020, 5, 22]]}) == (2020, 5, 22)
    assert date_parts({"date-parts": [[None]]}) == ()
    assert date_parts({"date-parts": [["2019", "3"]]}) == (2019, 3)
    assert date_parts(None) == ()
    assert iso_date((2020, 5, 22)) == "2020-05-22"
    assert iso_date((2020, 5)) == "2020-05"
    assert iso_date(()) is None


def test_year_in_reads_pubmed_dates() -> None:
    assert year_in("2010 Dec") == 2010
    assert year_in("1998 Dec-1999 Jan") == 1998
    assert year_in("") is None


def test_shape_errors_name_what_is_wrong() -> None:
    with pytest.raises(ShapeError, match="message is an array, not an object"):
        mapping([], "message")
    with pytest.raises(ShapeError, match=r"message\.items is missing"):
        array(None, "message.items")
