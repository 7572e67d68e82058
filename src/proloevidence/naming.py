"""Names an import gives: document ids, statement ids and reference keys.

All are ASCII slugs made from the page's own words, so importing the same page again
gives the same names. Statement ids: up to two words of the nearest heading, then up to
three words of the statement (common words left out), ``-2``, ``-3`` on a clash.
Reference keys: the first author's family name and the year (``rabago2010``); on a clash
``a``, ``b``, ... are added to the later ones (``kim2010``, ``kim2010a``), as JabRef and
Better BibTeX do.
"""

from __future__ import annotations

import itertools
import re
import string
import unicodedata
from collections.abc import Iterator

from .model import Author

STOP_WORDS = frozenset(
    (
        "a an the and or but nor of in on at to by with from as for into over under than "
        "that this these those is are was were be been being it its it's their there which "
        "who whom whose what when where while how why if then so such not no all any each "
        "some most more very can may might must should would could will shall do does did "
        "has have had our your you we us they them he she his her i me my also only about "
        "after before between during through per via vs e g i"
    ).split()
)


# Letters that Unicode decomposition does not fold to ASCII ("Sørensen" -> "sorensen").
_FOLD = str.maketrans(
    {
        "ø": "o",
        "Ø": "O",
        "æ": "ae",
        "Æ": "Ae",
        "œ": "oe",
        "Œ": "Oe",
        "ß": "ss",
        "ł": "l",
        "Ł": "L",
        "đ": "d",
        "Đ": "D",
        "ð": "d",
        "þ": "th",
        "ı": "i",
    }
)


def words(text: str) -> list[str]:
    """The lower-case ASCII words of ``text`` without common words (accents folded)."""
    spaced = re.sub(r"[\W_]+", " ", text.translate(_FOLD))  # "Sørensen–Müller": two words
    folded = unicodedata.normalize("NFKD", spaced)
    folded = folded.encode("ascii", "ignore").decode("ascii")
    return [w for w in re.findall(r"[a-z0-9]+", folded.lower()) if w not in STOP_WORDS]


def document_id(title: str, fallback: str = "") -> str:
    """A document id from the page's title (``prolotherapy``), else from ``fallback``."""
    for source in (title, fallback):
        slug = "-".join(words(source)[:4])
        if slug:
            return slug
    return "page"


def claim_id(section: tuple[str, ...], text: str, taken: set[str]) -> str:
    """A unique id from the nearest heading and the statement's first words.

    The id is added to ``taken``.
    """
    head = list(dict.fromkeys(words(section[-1])))[:2] if section else []
    body = [w for w in words(text) if w not in head and not w.isdigit()][:3]
    base = "-".join(head + body) or "statement"
    candidate = base
    for n in itertools.count(2):
        if candidate not in taken:
            break
        candidate = f"{base}-{n}"
    taken.add(candidate)
    return candidate


def reference_key(
    authors: tuple[Author, ...], year: int | None, title: str, number: int, taken: set[str]
) -> str:
    """``family`` + ``year``, made unique with ``a``, ``b``, ...; adds it to ``taken``.

    Without authors the first word of the title stands in; without either, ``ref`` and
    the reference's number on the page.
    """
    stem = ""
    if authors:
        first = authors[0]
        parts = words(first.family)
        stem = parts[0] if first.literal and parts else "".join(parts)
    if not stem:
        stem = next(iter(words(title)), "") or f"ref{number}"
    if stem[0].isdigit():
        stem = f"ref{stem}"
    base = f"{stem}{year}" if year is not None else stem
    for candidate in itertools.chain([base], (base + s for s in _suffixes())):
        if candidate not in taken:
            taken.add(candidate)
            return candidate
    raise AssertionError("unreachable: suffixes never run out")  # pragma: no cover


def _suffixes() -> Iterator[str]:
    for length in itertools.count(1):
        for letters in itertools.product(string.ascii_lowercase, repeat=length):
            yield "".join(letters)
