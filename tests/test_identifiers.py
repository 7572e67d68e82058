from __future__ import annotations

import re
import urllib.parse

import pytest
import requests
from hypothesis import example, given
from hypothesis import strategies as st

from proloevidence.identifiers import (
    IDENTIFIER_KINDS,
    IDENTIFIER_SHAPES,
    canonical_identifier,
    doi_key,
    is_valid_doi,
    is_valid_pmcid,
    is_valid_pmid,
    normalize_doi,
    normalize_issn,
    quote_doi,
)

UNRESERVED = re.compile(r"[A-Za-z0-9\-._~]")

# Pieces a crafted DOI would use to reach another host, path or query.
HOSTILE = [
    "10.1000/",
    "?",
    "#",
    "%",
    "%2e",
    "%2E%2E",
    "%2F",
    "%3F",
    ".",
    "..",
    "/",
    "//",
    "\\",
    "@",
    " ",
    ";",
    ":",
    "&",
    "=",
    "+",
    "evil.example",
    "http://evil.example/",
    "\n",
    "\r\n",
    "\t",
    "\x00",
    "é",
    "\uff0e",  # fullwidth full stop: NFKC makes it "."
    "\u2025",  # two dot leader: NFKC makes it ".."
    "x",
]
DOIS = st.one_of(st.lists(st.sampled_from(HOSTILE), max_size=12).map("".join), st.text())
BASES = st.sampled_from(
    ["https://api.crossref.org", "http://127.0.0.1:8080/prefix", "https://doi.org/ra"]
)


def without_dot_segments(path: str) -> str:
    """RFC 3986 5.2.4, after decoding unreserved characters (6.2.2.2) as normalisers do."""
    decoded = re.sub(
        r"%([0-9A-Fa-f]{2})",
        lambda m: chr(int(m[1], 16)) if UNRESERVED.match(chr(int(m[1], 16))) else m[0],
        path,
    )
    out: list[str] = []
    for segment in decoded.split("/"):
        if segment == "..":
            if len(out) > 1:
                out.pop()
        elif segment != ".":
            out.append(segment)
    return "/".join(out)


@given(DOIS, BASES)
@example("10.1000/../../admin", "https://api.crossref.org")
@example("10.1000/x?rows=1000#frag", "https://api.crossref.org")
@example("..", "https://api.crossref.org")
@example("10.1000/a/./b", "https://api.crossref.org")
@example("//evil.example/x", "https://api.crossref.org")
@example("10.1000/x;jsessionid=1", "https://api.crossref.org")
def test_a_crafted_doi_cannot_leave_its_path_segment(doi: str, base: str) -> None:
    if doi in {".", ".."}:
        with pytest.raises(ValueError, match="not a DOI"):
            quote_doi(doi)
        return
    url = base + "/works/" + quote_doi(doi)
    expected = urllib.parse.urlsplit(base)
    prefix = expected.path + "/works/"
    for seen in (url, requests.Request("GET", url).prepare().url or ""):
        parts = urllib.parse.urlsplit(seen)
        assert (parts.scheme, parts.netloc) == (expected.scheme, expected.netloc)
        assert parts.query == "" and parts.fragment == ""
        assert urllib.parse.urlparse(seen).params == ""
        assert parts.path.startswith(prefix)
        assert without_dot_segments(parts.path).startswith(prefix)
        assert without_dot_segments(parts.path).count("/") == parts.path.count("/")
    assert urllib.parse.unquote(quote_doi(doi)) == doi  # the service gets the DOI unchanged


def test_an_ordinary_doi_keeps_its_slash() -> None:
    assert quote_doi("10.1016/j.pop.2009.09.013") == "10.1016/j.pop.2009.09.013"
    assert quote_doi("10.1002/(SICI)1097-4636(199706)35:4<497::AID-JBM9>3.0.CO;2-G") == (
        "10.1002/(SICI)1097-4636(199706)35:4%3C497::AID-JBM9%3E3.0.CO%3B2-G"
    )


def test_a_dot_segment_makes_the_doi_one_opaque_segment() -> None:
    assert quote_doi("10.1000/../../admin") == "10.1000%2F..%2F..%2Fadmin"


def test_identifiers_take_ascii_digits_only() -> None:
    # str.isdigit and \\d accept Arabic-Indic digits; PubMed does not.
    assert is_valid_pmid("20648206") and not is_valid_pmid("٢٠٦٤٨٢٠٦")
    assert is_valid_pmcid("PMC123") and not is_valid_pmcid("PMC١٢٣")
    assert is_valid_doi("10.1016/x") and not is_valid_doi("10.١٠١٦/x")
    assert normalize_doi("https://doi.org/10.1016/X.") == "10.1016/X"


@pytest.mark.parametrize("value", ["0306-9877", "03069877", " 0306 9877 ", "0306–9877"])
def test_issns_compare_in_one_form(value: str) -> None:
    assert normalize_issn(value) == "0306-9877"


def test_an_issn_check_digit_x_is_upper_case_and_a_short_value_keeps_its_digits() -> None:
    assert normalize_issn("1532-277x") == "1532-277X"
    assert normalize_issn("1234-567") == "1234567"


def test_dois_compare_without_resolver_prefix_or_case() -> None:
    assert doi_key("https://doi.org/10.4137/CMAMD.S39160") == "10.4137/cmamd.s39160"


def test_canonical_identifier_normalises_or_refuses() -> None:
    assert canonical_identifier("doi", "https://doi.org/10.1016/J.POP.2009.09.013.") == (
        "10.1016/J.POP.2009.09.013"
    )
    assert canonical_identifier("pmid", "PMID: 20648206") == "20648206"
    assert canonical_identifier("pmcid", "pmc123") == "PMC123"
    assert canonical_identifier("doi", "j.pop.2009") is None
    assert canonical_identifier("pmid", "0123") is None
    assert set(IDENTIFIER_SHAPES) == set(IDENTIFIER_KINDS)


@pytest.mark.parametrize(
    "doi", ["10.1234/../../admin", "10.1234/./x", "10.1/..", "10.1234/a/../b?c#d"]
)
def test_a_doi_with_dot_segments_has_none_in_the_request_requests_sends(doi: str) -> None:
    # What requests puts on the wire: it unescapes "%2E" back to "." before sending, so only
    # an escaped slash keeps a dot segment from climbing the path.
    sent = requests.Request("GET", f"https://doi.org/ra/{quote_doi(doi)}").prepare().path_url
    assert sent.startswith("/ra/")
    assert not {".", ".."} & set(sent.split("/")), sent
    assert urllib.parse.unquote(sent.removeprefix("/ra/")) == doi


@pytest.mark.parametrize(
    ("printed", "doi"),
    [
        ("http://doi.acm.org/10.1145/1188913.1188915", "10.1145/1188913.1188915"),
        ("https://www.doi.org/10.1000/b", "10.1000/b"),
        ("doi.org/10.5555/a", "10.5555/a"),
    ],
)
def test_resolver_links_of_any_doi_host_give_the_doi(printed: str, doi: str) -> None:
    # JabRef and ACM exports write ACM's resolver; a link elsewhere is no DOI.
    assert normalize_doi(printed) == doi and is_valid_doi(printed)
    assert not is_valid_doi("https://example.org/10.1000/x")
