"""Text folding and title similarity: when two printed titles name the same work.

Pure string functions. Titles are compared after markup, MathML, a "RETRACTED:" prefix and
translation brackets are stripped and Unicode (NFKC), diacritics, case and punctuation are
folded; they match at a rapidfuzz ``ratio`` of :data:`TITLE_THRESHOLD` or more unless each
holds a content word the other lacks (docs/verify.md, "Fields").
"""

from __future__ import annotations

import re
import unicodedata

from rapidfuzz import fuzz

from .markup import strip_markup

TITLE_THRESHOLD = 90.0
"""Least rapidfuzz ``ratio`` (0-100) at which two folded titles name the same work."""

MAIN_TITLE_WORDS = 4
"""A title may match the other's main title (before its colon) only with this many words."""

# Elsevier and others prefix a retracted article's title; a retraction NOTICE ("Retraction: ...")
# keeps its prefix, so it never passes for the article it retracts.
_NOTICE_PREFIX = re.compile(r"^\s*(?:retracted(?: article)?|withdrawn(?: article)?)\s*:\s*", re.I)
_SPACE = re.compile(r"\s+")


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


def ratio(a: str, b: str) -> float:
    """rapidfuzz's normalised Indel similarity of two strings, 0-100."""
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
            not has_digit and any(ratio(word, other) >= 80 for other in words_b)
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
        score = ratio(x, y)
        only_x, only_y = _unmatched_words(x, y), _unmatched_words(y, x)
        if only_x and only_y:
            score = min(score, TITLE_THRESHOLD - 1)
            how = f"words differ: {_some(only_x)} / {_some(only_y)}"
        if score > best:
            best, note = score, how
    return best, note
