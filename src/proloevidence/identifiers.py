"""Syntax of the identifiers a reference may print: DOI, PMID, PMCID (and a journal's ISSN).

Pure string functions: they say whether an identifier is well formed and give its
canonical form. Whether it exists is the resolver's business.
"""

from __future__ import annotations

import re
import urllib.parse

# Crossref's recommended pattern for modern DOIs, widened to any registrant code
# (https://www.crossref.org/blog/dois-and-matching-regular-expressions/).
_DOI = re.compile(r"^10\.[0-9]{4,9}/\S+$")
# A resolver link as exporters write it: doi.org, dx.doi.org, www.doi.org, ACM's
# doi.acm.org (JabRef and ACM exports), with or without a scheme; then the DOI itself.
_DOI_LINK = re.compile(r"^(?:https?://)?(?:[a-z0-9-]+\.)*doi(?:\.[a-z0-9-]+)+/(?=10\.)", re.I)
_DOI_PREFIXES = ("doi:",)
_PMID = re.compile(r"^[1-9][0-9]{0,8}$")
_PMCID = re.compile(r"^PMC[0-9]{1,9}$")


def normalize_doi(value: str) -> str:
    """Strip resolver prefixes, ``doi:``, spaces and a trailing full stop; keep the case.

    DOIs are case-insensitive (DOI Handbook 2.4) but are shown as printed; compare them
    with :func:`doi_key`.
    """
    doi = _DOI_LINK.sub("", value.strip(), count=1).strip()
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


IDENTIFIER_KINDS = ("doi", "pmid", "pmcid")
"""The identifiers a reference may print, in the order they are checked."""

IDENTIFIER_SHAPES = {
    "doi": "a DOI looks like 10.1234/abc",
    "pmid": "a PMID is 1 to 9 digits",
    "pmcid": "a PMCID looks like PMC1234567",
}
"""What a well-formed identifier of each kind looks like, for messages."""

_SYNTAX = {
    "doi": (is_valid_doi, normalize_doi),
    "pmid": (is_valid_pmid, normalize_pmid),
    "pmcid": (is_valid_pmcid, normalize_pmcid),
}


def canonical_identifier(kind: str, value: str) -> str | None:
    """The canonical form of a printed ``doi``, ``pmid`` or ``pmcid``; None when malformed."""
    is_valid, normalize = _SYNTAX[kind]
    return normalize(value) if is_valid(value) else None


def quote_doi(doi: str) -> str:
    """Percent-encode a DOI for a URL path, so it cannot change host, path or query.

    ``/`` inside the DOI stays (the services expect ``10.1000/xyz``) and everything that
    could end the path or the segment (``?``, ``#``, ``%``, ``;``, ``\\``, spaces, non-ASCII)
    is encoded. A DOI with an empty, ``.`` or ``..`` segment becomes one opaque segment
    (``/`` as ``%2F``): RFC 3986 normalisation removes dot segments even when written
    ``%2E%2E``, so that is the only form that cannot climb the path. Raises ValueError
    for ``.`` and ``..`` themselves: no encoding keeps them from climbing, and they are
    not DOIs (check with :func:`is_valid_doi` first).
    """
    if doi in {".", ".."}:
        raise ValueError(f"{doi!r} is not a DOI and cannot be put in a URL path")
    quoted = urllib.parse.quote(doi, safe="/()-._~:")
    if any(segment in {"", ".", ".."} for segment in quoted.split("/")):
        return urllib.parse.quote(doi, safe="()-._~:")
    return quoted


def normalize_issn(value: str) -> str:
    """``03069877`` / ``0306 9877`` / ``0306-9877`` -> ``0306-9877`` (check digit ``X`` upper
    case), the form to compare ISSNs by; a value without eight digits keeps only its digits."""
    digits = re.sub(r"[^0-9X]", "", value.upper())
    return f"{digits[:4]}-{digits[4:]}" if len(digits) == 8 else digits
