"""Names as CSL-JSON name objects, every part in its own field.

CSL-JSON 1.0.2 gives a person's name ``family``, ``given``, ``non-dropping-particle`` ("van der"
in "van der Berg", which stays with the family name), ``dropping-particle`` ("van" after
"Ludwig", which a style may drop) and ``suffix`` ("Jr.", "III"); an organisation is one
``literal``. Styles need the parts apart: a suffix left in the given name becomes an initial
("J. J." for "John Jr."), a particle left in the family name sorts under "v".

Two sources: :class:`Author` values (what the loader and the page importer build; the loader
writes a BibTeX "jr" part as ``"Berg, Jr."`` in the family name, a page may print
``"Smith, John Jr."``), and BibTeX name lists as written (``editor``, ``translator`` from
``Reference.extra``), split by bibtexparser's implementation of BibTeX's rules.
"""

from __future__ import annotations

import re
from collections.abc import Iterable

from ..model import Author
from ..text.markup import strip_control, strip_markup
from ..text.rich_text import latex_to_rich_text

CslName = dict[str, str]

_SUFFIX = re.compile(r"^(?:jr|sr|jnr|snr|[IVX]{1,4}|\d(?:st|nd|rd|th))\.?$", re.IGNORECASE)
"""Name suffixes: Jr., Sr., II, III, IV, 3rd."""


def csl_name(author: Author) -> CslName:
    """One :class:`Author` as a CSL name object (an organisation as ``literal``)."""
    family, given = _clean(author.family), _clean(author.given)
    if author.literal or not given:
        return {"literal": family}
    suffix = ""
    if ", " in family:  # the loader's "family, jr"
        family, _, suffix = family.partition(", ")
    else:
        words = family.split()
        if len(words) > 1 and _SUFFIX.match(words[-1]) and not words[-1].isupper():
            family, suffix = " ".join(words[:-1]), words[-1]
    given_words = given.split()
    if len(given_words) > 1 and _SUFFIX.match(given_words[-1]) and given_words[-1] != "I":
        given, suffix = " ".join(given_words[:-1]), suffix or given_words[-1]
    given, suffix = _swapped(given, suffix)
    return _parts(family, given, suffix)


def _swapped(given: str, suffix: str) -> tuple[str, str]:
    # "Sherry, John F., Jr." puts the given name where BibTeX reads "Jr" ("Last, Jr, First"):
    # a common slip, undone when only the other order makes sense.
    if suffix and _SUFFIX.match(given) and not _SUFFIX.match(suffix):
        return suffix, given
    return given, suffix


def csl_names(authors: Iterable[Author]) -> list[CslName]:
    """CSL name objects for ``authors``, in order."""
    return [csl_name(author) for author in authors]


def csl_name_list(value: str) -> tuple[list[CslName], bool]:
    """A BibTeX name list (``"Doe, Jane and van Berg, Jan and others"``) as CSL names.

    Returns the names and whether the list ended in ``others`` (an incomplete list). A name
    BibTeX's rules cannot split is kept whole as a ``literal``.
    """
    names: list[CslName] = []
    others = False
    if not value:
        return names, others
    # Imported here: most references have no editor or translator, and a list answered
    # from the parse cache should not pay for bibtexparser.
    from bibtexparser.middlewares.names import (
        InvalidNameError,
        parse_single_name_into_parts,
        split_multiple_persons_names,
    )

    for person in split_multiple_persons_names(value):
        if person.strip() == "others":
            others = True
            continue
        try:
            parts = parse_single_name_into_parts(person, strict=False)
        except InvalidNameError:
            names.append({"literal": _clean(_decoded(person))})
            continue
        family = _clean(_decoded(" ".join(parts.last)))
        given = _clean(_decoded(" ".join(parts.first)))
        particle = _clean(_decoded(" ".join(parts.von)))
        suffix = _clean(_decoded(" ".join(parts.jr)))
        if not given and not particle and not suffix:
            names.append({"literal": family})
            continue
        name = _parts(family, *_swapped(given, suffix))
        if particle:
            name["non-dropping-particle"] = particle
        names.append(name)
    return [n for n in names if any(n.values())], others


def _parts(family: str, given: str, suffix: str) -> CslName:
    name: CslName = {}
    family_words = family.split()
    # BibTeX's "von" part: the lower-case words before the last name ("van der Berg").
    lead = 0
    while lead < len(family_words) - 1 and family_words[lead][:1].islower():
        lead += 1
    if lead:
        name["non-dropping-particle"] = " ".join(family_words[:lead])
    name["family"] = " ".join(family_words[lead:])
    given_words = given.split()
    trail = len(given_words)
    while trail > 1 and given_words[trail - 1][:1].islower():
        trail -= 1
    name["given"] = " ".join(given_words[:trail])
    if trail < len(given_words):
        name["dropping-particle"] = " ".join(given_words[trail:])
    if suffix:
        name["suffix"] = suffix
    return {k: v for k, v in name.items() if v}


def _decoded(latex: str) -> str:
    # Names carry no markup in CSL: braces and accents decoded, tags dropped.
    return strip_markup(latex_to_rich_text(latex))


def _clean(text: str) -> str:
    return " ".join(strip_control(text).split())
