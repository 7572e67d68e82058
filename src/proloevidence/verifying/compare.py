"""Field-by-field comparison of a reference as printed with the records the services hold.

Pure functions over strings and :class:`~proloevidence.verification.Record` values: no I/O.
Each ``compare_*`` function returns one :class:`FieldComparison` whose ``match`` is
``match``, ``mismatch`` or ``missing`` (the page printed no value, or no service holds one;
``note`` says which). A field is compared against every record found (Crossref, doi.org,
PubMed): it matches when any record's value agrees, because the services disagree among
themselves (NLM page ranges, epub vs print years, abbreviated journal names). Titles are
judged by :mod:`proloevidence.text.titles`, authors and journals by :mod:`proloevidence.text.names`.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterable, Sequence

from ..identifiers import normalize_issn
from ..model import Author, Reference
from ..text.names import author_overlap, format_authors, journal_agreement, same_author
from ..text.titles import TITLE_THRESHOLD, clean_title, fold, title_similarity
from ..verification import FieldComparison, Record

FIELDS = ("title", "authors", "journal", "year", "volume", "issue", "pages")

# -- fields ------------------------------------------------------------------------------------


def _missing_found(name: str, cited: str, records: Sequence[Record]) -> FieldComparison:
    sources = list(dict.fromkeys(r.source for r in records)) or ["no service"]
    verb = "gives" if len(sources) == 1 else "give"
    return FieldComparison(
        name, cited, None, "missing", f"{' and '.join(sources)} {verb} no {name}"
    )


def _missing_cited(name: str, found: str | None) -> FieldComparison:
    return FieldComparison(name, None, found, "missing", f"the page prints no {name}")


def compare_title(cited: str, records: Sequence[Record]) -> FieldComparison:
    """Match at :data:`TITLE_THRESHOLD` or above against any record's title."""
    found = [r.title for r in records if clean_title(r.title)]
    if not cited.strip():
        return _missing_cited("title", clean_title(found[0]) if found else None)
    if not found:
        return _missing_found("title", cited, records)
    scored = [(title_similarity(cited, f), f) for f in found]
    (score, note), best = max(scored, key=lambda s: s[0][0])
    shown = clean_title(best)
    if score >= TITLE_THRESHOLD:
        extra = "" if score == 100 else f"similarity {score:.0f}"
        return FieldComparison(
            "title", cited, shown, "match", "; ".join(filter(None, [extra, note]))
        )
    below = f"similarity {score:.0f} < {TITLE_THRESHOLD:.0f}"
    return FieldComparison(
        "title", cited, shown, "mismatch", "; ".join(filter(None, [below, note]))
    )


def compare_authors(
    cited: Sequence[Author], et_al: bool, records: Sequence[Record]
) -> FieldComparison:
    """Match when the first author agrees and every printed name is in the record.

    An "et al." list compares only the names printed. A page that prints fewer names than the
    record without "et al." still matches, with a note.
    """
    lists = [r.authors for r in records if r.authors]
    cited_text = format_authors(cited, et_al) if cited else None
    if not cited:
        return _missing_cited("authors", format_authors(lists[0]) if lists else None)
    if not lists:
        return _missing_found("authors", cited_text or "", records)
    found = max(
        lists,
        key=lambda authors: (author_overlap(cited, authors), same_author(cited[0], authors[0])),
    )
    shared = author_overlap(cited, found)
    first = same_author(cited[0], found[0])
    shown = format_authors(found)
    if first and shared == len(cited):
        note = ""
        if not et_al and len(found) > len(cited):
            note = (
                f"the record lists {len(found)} authors; "
                f"the page prints {len(cited)} without et al."
            )
        return FieldComparison("authors", cited_text, shown, "match", note)
    if shared == 0:
        note = "no printed author is in the record"
    elif not first:
        note = f"first author differs; {shared} of {len(cited)} printed names in the record"
    else:
        note = f"{len(cited) - shared} of {len(cited)} printed names not in the record"
    return FieldComparison("authors", cited_text, shown, "mismatch", note)


def compare_journal(
    cited: str, records: Sequence[Record], cited_issn: Iterable[str] = ()
) -> FieldComparison:
    """Match against every name the records give (container, short title, NLM ``source``,
    ``fulljournalname``), or by a shared ISSN when the reference carries one."""
    names = [n for r in records for n in (r.journal, r.journal_abbrev) if n and n.strip()]
    if not cited.strip():
        return _missing_cited("journal", names[0] if names else None)
    wanted = {normalize_issn(i) for i in cited_issn if i}
    found_issn = {normalize_issn(i) for r in records for i in r.issn}
    if wanted & found_issn:
        return FieldComparison("journal", cited, names[0] if names else None, "match", "same ISSN")
    if not names:
        return _missing_found("journal", cited, records)
    agreements = [(a, name) for name in names if (a := journal_agreement(cited, name))]
    if agreements:
        (_, how), name = min(agreements, key=lambda pair: pair[0][0])
        return FieldComparison("journal", cited, name, "match", how)
    return FieldComparison("journal", cited, names[0], "mismatch", "")


def compare_year(cited: int | None, records: Sequence[Record]) -> FieldComparison:
    """Match on the same year; one year apart matches with a note (epub vs print)."""
    years = [r.year for r in records if r.year]
    shown = str(years[0]) if years else None
    if cited is None:
        return _missing_cited("year", shown)
    if not years:
        return _missing_found("year", str(cited), records)
    if cited in years:
        return FieldComparison("year", str(cited), str(cited), "match")
    near = [y for y in years if abs(y - cited) == 1]
    if near:
        return FieldComparison(
            "year", str(cited), str(near[0]), "match", "one year apart (online vs print date)"
        )
    return FieldComparison("year", str(cited), shown, "mismatch")


_VOLUME_WORDS = re.compile(r"^(?:vol(?:ume)?|no|nr|num(?:ber)?|issue|n°)\.?\s*", re.I)


def _number_key(value: str) -> tuple[str, ...]:
    text = fold(_VOLUME_WORDS.sub("", unicodedata.normalize("NFKC", value).strip()))
    text = text.replace("supplement", "suppl")
    return tuple(str(int(t)) if t.isdigit() else t for t in re.findall(r"[a-z]+|\d+", text))


def _compare_number(
    name: str, cited: str, found: Sequence[str], records: Sequence[Record]
) -> FieldComparison:
    values = [v for v in found if v and v.strip()]
    if not cited.strip():
        return _missing_cited(name, values[0] if values else None)
    if not values:
        return _missing_found(name, cited, records)
    key = _number_key(cited)
    for value in values:
        if _number_key(value) == key:
            return FieldComparison(name, cited, value, "match")
    return FieldComparison(name, cited, values[0], "mismatch")


def compare_volume(cited: str, records: Sequence[Record]) -> FieldComparison:
    return _compare_number("volume", cited, [r.volume for r in records], records)


def compare_issue(cited: str, records: Sequence[Record]) -> FieldComparison:
    return _compare_number("issue", cited, [r.issue for r in records], records)


_DASH = re.compile(r"\s*[-‐‑‒–—―−]+\s*")
_PAGE = re.compile(r"([A-Za-z]*)(\d+)")


def parse_pages(text: str) -> tuple[str, str | None] | None:
    """``"1285-90"`` -> ``("1285", "1290")``: NLM ranges expanded, dashes and "pp." folded.

    A leading letter carries over ("S12-8" -> S12-S18); an elocation "e8157910" keeps its
    letter (see :func:`page_key`). Only the first range of a list counts. None when empty.
    """
    value = unicodedata.normalize("NFKC", text or "").strip()
    value = re.sub(r"^pp?\.?\s*", "", value, flags=re.I)
    value = value.split(",")[0].strip()
    if not value:
        return None
    parts = _DASH.split(value, maxsplit=1)
    start = parts[0].replace(" ", "")
    end = parts[1].replace(" ", "") if len(parts) > 1 and parts[1].strip() else None
    if end is not None:
        m_start, m_end = _PAGE.fullmatch(start), _PAGE.fullmatch(end)
        if m_start and m_end and m_end.group(1) in ("", m_start.group(1)):
            digits, tail = m_start.group(2), m_end.group(2)
            if len(tail) < len(digits):
                tail = digits[: len(digits) - len(tail)] + tail
            end = m_start.group(1) + tail
        if end == start:
            end = None
    return start.casefold(), (end.casefold() if end else None)


def page_key(page: str) -> str:
    """One page or article number for comparison: "e8157910" and "8157910" are the same."""
    page = page.casefold()
    return page[1:] if re.fullmatch(r"e\d+", page) else page


def compare_pages(cited: str, records: Sequence[Record]) -> FieldComparison:
    """Match on the same first and last page after NLM expansion; an article number matches
    its elocation ("8157910" = "e8157910"); a first page alone matches a range starting there."""
    values = [r.pages for r in records if r.pages and r.pages.strip()]
    cited_range = parse_pages(cited)
    if cited_range is None:
        return _missing_cited("pages", values[0] if values else None)
    if not values:
        return _missing_found("pages", cited, records)
    start, end = page_key(cited_range[0]), cited_range[1]
    partial: str | None = None
    for value in values:
        found_range = parse_pages(value)
        if found_range is None:
            continue
        f_start, f_end = page_key(found_range[0]), found_range[1]
        if start != f_start:
            continue
        if end == f_end:
            return FieldComparison("pages", cited, value, "match")
        if end is None or f_end is None:
            partial = partial or value
    if partial is not None:
        who = "the page prints" if end is None else "the record gives"
        return FieldComparison("pages", cited, partial, "match", f"{who} only the first page")
    return FieldComparison("pages", cited, values[0], "mismatch")


def compare_reference(
    reference: Reference, records: Sequence[Record]
) -> tuple[FieldComparison, ...]:
    """Every field of ``reference`` against ``records`` (the records of its identifiers).

    Returns one comparison per field of :data:`FIELDS`, in that order.
    """
    issn = [v for k, v in reference.extra.items() if k.lower() in ("issn", "eissn") and v]
    return (
        compare_title(reference.title, records),
        compare_authors(reference.authors, reference.et_al, records),
        compare_journal(reference.journal, records, issn),
        compare_year(reference.year, records),
        compare_volume(reference.volume, records),
        compare_issue(reference.number, records),
        compare_pages(reference.pages, records),
    )
