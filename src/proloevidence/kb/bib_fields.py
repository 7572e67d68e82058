"""Which BibTeX fields the loader reads, which later stages use, which it checks (docs/schema.md).

Every field an entry carries is kept: the ones in :data:`READ_FIELDS` become the
:class:`~proloevidence.model.Reference`'s own attributes, every other one is kept in
``Reference.extra`` under its own (lower-case) name, where :data:`USED_FIELDS` are read by
later stages (CSL-JSON, the reference list, verification) and the rest are ignored. No field
name is an error: a name one edit away from a field we read or use (``pmdi``, ``jounral``)
that is no field of BibTeX, BibLaTeX or a common exporter (:data:`KNOWN_FIELDS`) is a
warning naming the field it probably is. tests/test_bib_fields.py compares these lists with
the tables of docs/schema.md.
"""

from __future__ import annotations

import functools

READ_FIELDS = frozenset(
    (
        "author title journal journaltitle year volume number issue pages "
        "doi pmid pmcid url refnumber printed"
    ).split()
)
"""Fields read into the reference's own attributes (``journaltitle`` and ``issue`` are
BibLaTeX's names for ``journal`` and ``number``)."""

USED_FIELDS = frozenset(
    (
        "editor translator booktitle publisher address location institution school "
        "organization edition series chapter isbn issn eissn language date month urldate note "
        "crossref xdata ids "
        # the CSL-JSON export's (publish/csl_items.py; docs/refs.md, "CSL-JSON")
        "bookauthor subtitle shorttitle maintitle shortjournal day eid articleno pagetotal "
        "numpages volumes version type langid eprint eprinttype archiveprefix entrysubtype "
        "eventtitle eventdate venue pubstate howpublished"
    ).split()
)
"""Fields kept in ``Reference.extra`` that a later stage reads: the CSL-JSON export and the
reference list (editors, publisher, place, ...), the journal check (ISSNs), and the loader
itself (``crossref``, ``xdata`` and ``ids`` are resolved as biber resolves them). BibLaTeX's
``date`` also gives the reference its year when ``year`` is absent."""

RICH_TEXT_FIELDS = frozenset(
    "title subtitle shorttitle booktitle maintitle journal journaltitle series eventtitle "
    "note".split()
)
"""Fields whose value is CSL rich text in the CSL-JSON export: where their LaTeX has braces
or commands, it is kept as written in ``Reference.latex`` (decoding drops the case
protection of ``{DNA}`` and the italics of ``\\emph{...}``)."""

CHECKED_FIELDS = frozenset("author editor translator year date doi pmid pmcid refnumber".split())
"""Fields whose content is checked: names that do not split (kept as printed, a warning),
years, identifiers' syntax, the page number."""

NAME_FIELDS = ("author", "editor", "translator")
"""Fields holding a list of names (``A and B``), split into family and given names."""

# BibTeX's, BibLaTeX's (data model, aliases and special fields) and common exporters'
# field names: none of these is taken for a misspelling, whatever it is close to.
_BIBLATEX = """
abstract addendum afterword annotation annotator authortype bookauthor bookpagination
booksubtitle booktitleaddon commentator editora editorb editorc editortype editoratype
editorbtype editorctype eid entrysubtype eprint eprintclass eprinttype eventdate eventtitle
eventtitleaddon file foreword holder howpublished indextitle introduction isan ismn isrn
iswc issuesubtitle issuetitle issuetitleaddon journalsubtitle journaltitleaddon label
library mainsubtitle maintitle maintitleaddon nameaddon origdate origlanguage origlocation
origpublisher origtitle pagetotal pagination part pubstate reprinttitle shortauthor
shorteditor shorthand shorthandintro shortjournal shortseries shorttitle subtitle titleaddon
type venue version volumes entryset execute gender langid langidopts indexsorttitle keywords
options presort related relatedoptions relatedtype relatedstring sortkey sortname
sortshorthand sorttitle sortyear xref namea nameb namec nameatype namebtype namectype lista
listb listc listd liste listf usera userb userc userd usere userf verba verbb verbc
hyphenation annote archiveprefix key pdf primaryclass
"""
_EXPORTERS = """
groups timestamp owner priority readstatus ranking qualityassured relevance comment
date-added date-modified biburl bibsource numpages articleno acmid issue_date lastaccessed
mendeley-tags mendeley-groups city country unique-id times-cited journal-iso da affiliation
research-areas web-of-science-categories author-email orcid-numbers researcherid-numbers
number-of-cited-references usage-count-last-180-days usage-count-since-2013
doc-delivery-number funding-acknowledgement funding-text cited-references earlyaccessdate
mrclass mrnumber mrreviewer fjournal coden zbl zblnumber copyright added-at interhash
intrahash hal_id hal_version lccn mesh arxivid citation-key extra day
"""
KNOWN_FIELDS = frozenset(_BIBLATEX.split() + _EXPORTERS.split()) | READ_FIELDS | USED_FIELDS
"""Field names never taken for a misspelling (kept, and ignored unless read or used)."""

_TARGETS = tuple(sorted(READ_FIELDS | USED_FIELDS))


@functools.lru_cache(maxsize=4096)
def misspelt_field(name: str) -> str | None:
    """The field we read or use that ``name`` probably misspells, or None.

    A name counts as a misspelling when it is no field in :data:`KNOWN_FIELDS` and one edit
    (a letter added, dropped, changed, or two neighbours swapped: the optimal string
    alignment distance, rapidfuzz) from a field of :data:`READ_FIELDS` or
    :data:`USED_FIELDS`; ``pmdi`` -> ``pmid``, ``jounral`` -> ``journal``.
    """
    if name in KNOWN_FIELDS or len(name) < 3:
        return None
    # Imported here: the CSL export reads this module's lists and never needs rapidfuzz.
    from rapidfuzz.distance import OSA

    close = [field for field in _TARGETS if OSA.distance(name, field, score_cutoff=1) <= 1]
    # Prefer the fields every reference has: "dio" is "doi".
    close.sort(key=lambda field: (field not in READ_FIELDS, field))
    return close[0] if close else None
