"""Names an import gives: document ids, statement ids and reference keys.

All are ASCII slugs made from the page's own words, so importing the same page again
gives the same names. Statement ids: up to two words of the nearest heading, then up to
three words of the statement (common words left out), ``-2``, ``-3`` on a clash.
Reference keys: the first author's family name and the year (``rabago2010``); on a clash
``a``, ``b``, ... are added to the later ones (``kim2010``, ``kim2010a``), as JabRef and
Better BibTeX do.
"""

from __future__ import annotations

import re
import string
import unicodedata

from ..model import Author

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


class UniqueNames:
    """Hands out names that no earlier call handed out, in constant time per name.

    ``take("kim2010", letters=True)`` gives ``kim2010``, then ``kim2010a``, ``kim2010b``;
    without ``letters``: ``x``, ``x-2``, ``x-3``. Each base remembers its next suffix, so a
    page with a thousand clashing names does not try a thousand suffixes per name.
    """

    def __init__(self) -> None:
        self.taken: set[str] = set()
        self._next: dict[str, int] = {}

    def take(self, base: str, *, letters: bool = False) -> str:
        candidate = base
        n = self._next.get(base, 0)
        while candidate in self.taken:
            n += 1
            candidate = base + (_letters(n) if letters else f"-{n + 1}")
        self._next[base] = n
        self.taken.add(candidate)
        return candidate


def claim_id(section: tuple[str, ...], text: str, names: UniqueNames) -> str:
    """A unique id from the nearest heading and the statement's first words."""
    head = list(dict.fromkeys(words(section[-1])))[:2] if section else []
    body = [w for w in words(text) if w not in head and not w.isdigit()][:3]
    return names.take("-".join(head + body) or "statement")


def reference_key(
    authors: tuple[Author, ...], year: int | None, title: str, number: int, names: UniqueNames
) -> str:
    """``family`` + ``year``, made unique with ``a``, ``b``, ...

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
    return names.take(f"{stem}{year}" if year is not None else stem, letters=True)


def _letters(n: int) -> str:
    """1 -> a, 26 -> z, 27 -> aa: bijective base 26, like spreadsheet columns."""
    out = ""
    while n:
        n, rest = divmod(n - 1, 26)
        out = string.ascii_lowercase[rest] + out
    return out
