"""Field-by-field comparison of a reference as printed with the records the services hold.

Pure functions over strings and :class:`~proloevidence.verification.Record` values: no I/O.
Each ``compare_*`` function returns one :class:`FieldComparison` whose ``match`` is
``match``, ``mismatch`` or ``missing`` (the page printed no value, or no service holds one;
``note`` says which). A field is compared against every record found (Crossref, doi.org,
PubMed): it matches when any record's value agrees, because the services disagree among
themselves (NLM page ranges, epub vs print years, abbreviated journal names).

Thresholds (documented in docs/verify.md):

- :data:`TITLE_THRESHOLD`: titles match at a rapidfuzz ``ratio`` of 90 or more (0-100) after
  markup, MathML, a "RETRACTED:" prefix and translation brackets are stripped and Unicode,
  case, diacritics and punctuation are folded.
- :data:`JOURNAL_THRESHOLD`: a journal name matches exactly, as an abbreviation (each word a
  prefix of the other's word, stop words dropped), by ISSN, or at a ratio of 90 or more.
"""

from __future__ import annotations

import html
import re
import unicodedata
from collections.abc import Iterable, Sequence

from rapidfuzz import fuzz

from .model import Author, Reference
from .verification import FieldComparison, Record

TITLE_THRESHOLD = 90.0
"""Least rapidfuzz ``ratio`` (0-100) at which two folded titles name the same work."""

JOURNAL_THRESHOLD = 90.0
"""Least rapidfuzz ``ratio`` (0-100) at which two folded journal names are the same journal."""

MAIN_TITLE_WORDS = 4
"""A title may match the other's main title (before its colon) only with this many words."""

FIELDS = ("title", "authors", "journal", "year", "volume", "issue", "pages")

# -- text folding ------------------------------------------------------------------------------

# MathML annotations repeat the formula as TeX or MathML source: drop them with their content.
_ANNOTATION = re.compile(
    r"<(?:\w+:)?annotation(?:-xml)?\b[^>]*>.*?</(?:\w+:)?annotation(?:-xml)?>", re.S
)
# A tag starts with a letter, so "p <0.05" and "a < b" survive.
_TAG = re.compile(r"</?[A-Za-z][\w:.-]*(?:\s[^<>]*)?/?>")
# Elsevier and others prefix a retracted article's title; a retraction NOTICE ("Retraction: ...")
# keeps its prefix, so it never passes for the article it retracts.
_NOTICE_PREFIX = re.compile(r"^\s*(?:retracted(?: article)?|withdrawn(?: article)?)\s*:\s*", re.I)
_SPACE = re.compile(r"\s+")


def strip_markup(text: str) -> str:
    """Remove inline HTML/JATS/MathML tags (keeping their text) and decode entities."""
    text = html.unescape(text or "")
    text = _ANNOTATION.sub("", text)
    text = _TAG.sub("", text)
    return _SPACE.sub(" ", text).strip()


def fold(text: str) -> str:
    """NFKC, diacritics dropped, case folded, punctuation and symbols turned into spaces."""
    text = unicodedata.normalize("NFKC", text)
    decomposed = unicodedata.normalize("NFKD", text)
    chars = []
    for ch in decomposed:
        category = unicodedata.category(ch)
        if category == "Mn":
            continue
        chars.append(" " if category[0] in "PSZC" else ch)
    return _SPACE.sub(" ", "".join(chars).casefold()).strip()


def clean_title(text: str) -> str:
    """A title as displayed: markup stripped, a "RETRACTED:" prefix and translation brackets gone.

    PubMed prints a translated title in brackets ("[Prolotherapy in practice].").
    """
    title = unicodedata.normalize("NFKC", strip_markup(text))
    title = _NOTICE_PREFIX.sub("", title)
    stripped = title.rstrip(". ")
    if stripped.startswith("[") and stripped.endswith("]") and stripped.count("[") == 1:
        title = stripped[1:-1]
    return title.strip()


def normalize_title(text: str) -> str:
    """The form titles are compared in: :func:`clean_title`, then :func:`fold`."""
    return fold(clean_title(text))


def _main_title(text: str) -> str | None:
    """The title before its subtitle (first colon), when it is long enough to identify a work."""
    title = clean_title(text)
    if ":" not in title:
        return None
    main = fold(title.split(":", 1)[0])
    return main if len(main.split()) >= MAIN_TITLE_WORDS else None


def _ratio(a: str, b: str) -> float:
    return float(fuzz.ratio(a, b))


# Words that carry no identity in a title; "vs" and "versus" vary between services.
_TITLE_STOP_WORDS = frozenset(
    "a an the of and in on for to with by at from or as is vs versus".split()
)


def _unmatched_words(a: str, b: str) -> list[str]:
    """Content words of folded title ``a`` that title ``b`` lacks.

    A word is covered by an equal word, a near-equal one (ratio 80: "randomised"), or a run of
    ``b`` with spaces removed ("intraarticular" in "intra articular", "sno2thin" where markup
    ate a space). Words with a digit are never near-equal ("phase 2" is not "phase 3").
    """
    words_b = set(b.split())
    joined_b = b.replace(" ", "")
    missing = []
    for word in a.split():
        has_digit = any(c.isdigit() for c in word)
        if word in words_b or (not has_digit and (len(word) < 3 or word in _TITLE_STOP_WORDS)):
            continue
        near = word in joined_b or (
            not has_digit and any(_ratio(word, other) >= 80 for other in words_b)
        )
        if not near:
            missing.append(word)
    return missing


def _some(words: list[str], limit: int = 4) -> str:
    return " ".join(words[:limit]) + (" …" if len(words) > limit else "")


def title_similarity(cited: str, found: str) -> tuple[float, str]:
    """Similarity 0-100 of two titles, and a note saying how they were matched (or differ).

    The score is the rapidfuzz ``ratio`` of the folded titles. Besides the whole titles, the
    cited title is compared with the found title's main title (the page left out the
    subtitle) and the other way round (the service left it out). When each title holds a
    content word the other lacks ("knee" / "hand"), the titles name different works and the
    score is capped below :data:`TITLE_THRESHOLD`, however close the characters are.
    """
    a, b = normalize_title(cited), normalize_title(found)
    if not a or not b:
        return 0.0, ""
    pairs = [(a, b, "")]
    main_found, main_cited = _main_title(found), _main_title(cited)
    if main_found:
        pairs.append((a, main_found, "the page omits the subtitle"))
    if main_cited:
        pairs.append((main_cited, b, "the record omits the subtitle"))
    best, note = 0.0, ""
    for x, y, how in pairs:
        score = _ratio(x, y)
        only_x, only_y = _unmatched_words(x, y), _unmatched_words(y, x)
        if only_x and only_y:
            score = min(score, TITLE_THRESHOLD - 1)
            how = f"words differ: {_some(only_x)} / {_some(only_y)}"
        if score > best:
            best, note = score, how
    return best, note


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


# "Kim WM" arrives whole from some services; split off the initials so only the family compares.
_TRAILING_INITIALS = re.compile(r"^(.+?)\s+([A-Z]{1,3})$")


def family_key(author: Author) -> str:
    """A family name folded for comparison: diacritics, case, hyphens and spaces dropped."""
    family = author.family
    if not author.literal and not author.given:
        match = _TRAILING_INITIALS.match(family.strip())
        if match:
            family = match.group(1)
    return fold(family).replace(" ", "")


def _family_tokens(author: Author) -> list[str]:
    family = author.family
    if not author.literal and not author.given:
        match = _TRAILING_INITIALS.match(family.strip())
        if match:
            family = match.group(1)
    return fold(family).split()


def same_author(a: Author, b: Author) -> bool:
    """True when two names share the family name (folded; "Steilen-Matias" = "Steilen Matias").

    A compound name also matches one of its parts of three letters or more ("van der Berg" and
    "Berg"; "Steilen-Matias" and "Matias"), since services split compound names differently.
    """
    ka, kb = family_key(a), family_key(b)
    if not ka or not kb:
        return False
    if ka == kb:
        return True
    ta, tb = _family_tokens(a), _family_tokens(b)
    short, long_ = (ta, tb) if len(ta) <= len(tb) else (tb, ta)
    return len(long_) > 1 and all(len(t) >= 3 and t in long_ for t in short)


def author_overlap(cited: Sequence[Author], found: Sequence[Author]) -> int:
    """How many cited names appear in the found list."""
    return sum(1 for a in cited if any(same_author(a, b) for b in found))


def format_authors(authors: Sequence[Author], et_al: bool = False, limit: int = 10) -> str:
    """Vancouver style: ``Kim WM, Lee HG, et al.``"""
    names = [str(a) for a in authors[:limit]]
    if et_al or len(authors) > limit:
        names.append("et al.")
    return ", ".join(names)


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


_STOP_WORDS = frozenset(
    {"of", "and", "the", "for", "in", "on", "a", "an", "de", "la", "und", "der", "fur"}
)
_QUALIFIER = re.compile(r"\s*\([^)]*\)\s*")


def _journal_words(name: str) -> list[str]:
    """Folded words of a journal name without stop words or a "(New York, N.Y.)" qualifier."""
    text = _QUALIFIER.sub(" ", strip_markup(name)).replace("&", " and ")
    return [w for w in fold(text).split() if w not in _STOP_WORDS]


def is_abbreviation(a: str, b: str) -> bool:
    """True when one name abbreviates the other word by word ("Prim Care" / "Primary Care").

    Stop words ("of", "and", "the", "&", ...) and a parenthesised place are dropped; then both
    names must have the same number of words, each a prefix of the other's word in that place.
    """
    wa, wb = _journal_words(a), _journal_words(b)
    if not wa or len(wa) != len(wb):
        return False
    return all(x.startswith(y) or y.startswith(x) for x, y in zip(wa, wb, strict=True))


def _journal_agreement(cited: str, found: str) -> tuple[int, str] | None:
    """How closely two names agree: (rank, note), lower ranks closer; None when they do not."""
    wa, wb = _journal_words(cited), _journal_words(found)
    if not wa or not wb:
        return None
    if wa == wb:
        return 0, ""
    if is_abbreviation(cited, found):
        return 1, "abbreviation"
    score = _ratio(" ".join(wa), " ".join(wb))
    if score >= JOURNAL_THRESHOLD:
        return 2, f"similarity {score:.0f}"
    # "Primary Care" for "Primary Care: Clinics in Office Practice": the title before its subtitle.
    if ":" in found:
        main = found.split(":", 1)[0]
        if _journal_words(main) == wa or is_abbreviation(cited, main):
            return 3, "the title before its subtitle"
    return None


def journal_match(cited: str, found: str) -> tuple[bool, str]:
    """Whether two journal names name the same journal, and how (for the note)."""
    agreement = _journal_agreement(cited, found)
    return (True, agreement[1]) if agreement else (False, "")


def _issn_key(value: str) -> str:
    return re.sub(r"[^0-9X]", "", value.upper())


def compare_journal(
    cited: str, records: Sequence[Record], cited_issn: Iterable[str] = ()
) -> FieldComparison:
    """Match against every name the records give (container, short title, NLM ``source``,
    ``fulljournalname``), or by a shared ISSN when the reference carries one."""
    names = [n for r in records for n in (r.journal, r.journal_abbrev) if n and n.strip()]
    if not cited.strip():
        return _missing_cited("journal", names[0] if names else None)
    wanted = {_issn_key(i) for i in cited_issn if i}
    found_issn = {_issn_key(i) for r in records for i in r.issn}
    if wanted & found_issn:
        return FieldComparison("journal", cited, names[0] if names else None, "match", "same ISSN")
    if not names:
        return _missing_found("journal", cited, records)
    agreements = [(a, name) for name in names if (a := _journal_agreement(cited, name))]
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
