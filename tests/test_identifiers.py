"""Identifier syntax: canonical forms to show and keys to compare by."""

from __future__ import annotations

import pytest

from proloevidence.identifiers import doi_key, normalize_issn


@pytest.mark.parametrize("value", ["0306-9877", "03069877", " 0306 9877 ", "0306–9877"])
def test_issns_compare_in_one_form(value: str) -> None:
    assert normalize_issn(value) == "0306-9877"


def test_an_issn_check_digit_x_is_upper_case_and_a_short_value_keeps_its_digits() -> None:
    assert normalize_issn("1532-277x") == "1532-277X"
    assert normalize_issn("1234-567") == "1234567"


def test_dois_compare_without_resolver_prefix_or_case() -> None:
    assert doi_key("https://doi.org/10.4137/CMAMD.S39160") == "10.4137/cmamd.s39160"
