"""Identifier syntax and URL quoting (identifiers.py)."""

from __future__ import annotations

import urllib.parse

import pytest
import requests

from proloevidence.identifiers import quote_doi


def test_an_ordinary_doi_keeps_its_slashes_and_loses_what_ends_a_path() -> None:
    assert quote_doi("10.1000/abc/def(1)") == "10.1000/abc/def(1)"
    assert quote_doi("10.1000/x?y#z@w%") == "10.1000/x%3Fy%23z%40w%25"


@pytest.mark.parametrize(
    "doi", ["10.1234/../../admin", "10.1234/./x", "10.1/..", "10.1234/a/../b?c#d"]
)
def test_a_doi_with_dot_segments_has_none_in_the_request_sent(doi: str) -> None:
    # What requests puts on the wire (it unescapes "%2E" back to "." before sending).
    sent = requests.Request("GET", f"https://doi.org/ra/{quote_doi(doi)}").prepare().path_url
    assert sent.startswith("/ra/")
    assert not {".", ".."} & set(sent.split("/")), sent
    assert urllib.parse.unquote(sent.removeprefix("/ra/")) == doi
