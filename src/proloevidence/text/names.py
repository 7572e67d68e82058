"""Names of people and journals: when two spellings name the same author or journal.

Pure string functions. Family names compare with diacritics, case, hyphens and spaces folded;
journal names compare exactly, as word-by-word abbreviations ("Prim Care" = "Primary Care"),
fuzzily at :data:`JOURNAL_THRESHOLD`, or by the title before its subtitle (docs/verify.md).
"""

from __future__ import annotations

import re
from collections.abc import Sequence

from ..model import Author
from .markup import strip_markup
from .titles import fold, ratio

JOURNAL_THRESHOLD = 90.0
"""Least rapidfuzz ``ratio`` (0-100) at which two folded journal names are the same journal."""


def _family(author: Author) -> str:
    # "Kim WM" arrives whole from some services: only the family name compares.
    if author.literal or author.given:
        return author.family
    return Author.from_vancouver(author.family).family


def family_key(author: Author) -> str:
    """A family name folded for comparison: diacritics, case, hyphens and spaces dropped."""
    return fold(_family(author)).replace(" ", "")


def _family_tokens(author: Author) -> list[str]:
    return fold(_family(author)).split()


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


def journal_agreement(cited: str, found: str) -> tuple[int, str] | None:
    """How closely two names agree: (rank, note), lower ranks closer; None when they do not."""
    wa, wb = _journal_words(cited), _journal_words(found)
    if not wa or not wb:
        return None
    if wa == wb:
        return 0, ""
    if is_abbreviation(cited, found):
        return 1, "abbreviation"
    score = ratio(" ".join(wa), " ".join(wb))
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
    agreement = journal_agreement(cited, found)
    return (True, agreement[1]) if agreement else (False, "")
