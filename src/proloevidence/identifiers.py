"""Syntax of the identifiers a reference may print: DOI, PMID, PMCID.

Pure string functions: they say whether an identifier is well formed and give its
canonical form. Whether it exists is the resolver's business.
"""

from __future__ import annotations

import re
import urllib.parse

# Crossref's recommended pattern for modern DOIs, widened to any registrant code
# (https://www.crossref.org/blog/dois-and-matching-regular-expressions/).
_DOI = re.compile(r"^10\.\d{4,9}/\S+$")
_DOI_PREFIXES = (
    "https://doi.org/",
    "http://doi.org/",
    "https://dx.doi.org/",
    "http://dx.doi.org/",
    "doi.org/",
    "doi:",
)
_PMID = re.compile(r"^[1-9]\d{0,8}$")
_PMCID = re.compile(r"^PMC\d{1,9}$")


def normalize_doi(value: str) -> str:
    """Strip resolver prefixes, ``doi:``, spaces and a trailing full stop; keep the case.

    DOIs are case-insensitive (DOI Handbook 2.4) but are shown as printed; compare them
    with :func:`doi_key`.
    """
    doi = value.strip()
    lowered = doi.lower()
    for prefix in _DOI_PREFIXES:
        if lowered.startswith(prefix):
            doi = doi[len(prefix) :].strip()
            break
    doi = urllib.parse.unquote(doi) if "%" in doi else doi
    return doi.rstrip(".")


def doi_key(value: str) -> str:
    """The form to compare DOIs by: normalised and lower-cased (Crossref returns lower case)."""
    return normalize_doi(value).lower()


def is_valid_doi(value: str) -> bool:
    """True for a syntactically valid DOI (after :func:`normalize_doi`)."""
    return bool(_DOI.match(normalize_doi(value)))


def normalize_pmid(value: str) -> str:
    """Strip ``PMID:`` and spaces."""
    pmid = value.strip()
    if pmid.upper().startswith("PMID"):
        pmid = pmid[4:].lstrip(": ").strip()
    return pmid


def is_valid_pmid(value: str) -> bool:
    """True for a PubMed id: 1 to 9 digits, no leading zero."""
    return bool(_PMID.match(normalize_pmid(value)))


def normalize_pmcid(value: str) -> str:
    """``pmc123`` / ``PMCID: PMC123`` -> ``PMC123``."""
    pmcid = value.strip().upper()
    if pmcid.startswith("PMCID"):
        pmcid = pmcid[5:].lstrip(": ").strip()
    if pmcid.isdigit():
        pmcid = "PMC" + pmcid
    return pmcid


def is_valid_pmcid(value: str) -> bool:
    return bool(_PMCID.match(normalize_pmcid(value)))


def quote_doi(doi: str) -> str:
    """Percent-encode a DOI for one URL path segment, so it cannot change host, path or query.

    ``/`` inside the DOI stays (the services expect ``10.1000/xyz``), but ``?``, ``#``,
    ``%`` and ``@`` are escaped. A DOI with a ``.`` or ``..`` segment, which a server or
    proxy would resolve to climb the path, has its slashes escaped too (``%2F``): then it
    has no segments at all.
    """
    quoted = urllib.parse.quote(doi, safe="/()<>;:-._~")
    if {".", ".."} & set(quoted.split("/")):
        # Escaping the dots does not hold: "." is unreserved, so requests turns "%2E" back
        # into "." before sending (requote_uri). "%2F" is reserved and stays.
        return urllib.parse.quote(doi, safe="()<>;:-._~")
    return quoted
