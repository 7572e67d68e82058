"""Grade what backs a statement: levels of evidence from PubMed publication types, and wording.

Levels follow OCEBM 2011 for treatment benefit, mapped from PubMed publication types
(docs/audit.md, "Grading"): 1 systematic review / meta-analysis, 2 randomised trial,
3 non-randomised comparison, 4 case report, 5 review, editorial, letter, comment or a
hypothesis paper. A grade is a signal for an editor, never a verdict: :data:`CAVEATS`
says why, and every report states them.

Hypothesis papers carry no publication type of their own, so journals that publish only
hypotheses are graded by a rule on the journal (:data:`HYPOTHESIS_JOURNALS`), matched on
the ISSN or the name of the journal in the verification record or the reference.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass

from ..identifiers import normalize_issn
from ..model import Reference
from ..text.names import journal_agreement
from ..verification import Record, Status, VerificationResult

LEVEL_NAMES = {
    1: "systematic review or meta-analysis",
    2: "randomised trial",
    3: "non-randomised comparison",
    4: "case report or case series",
    5: "review, opinion or hypothesis",
}

PUBLICATION_TYPE_LEVELS = {
    "meta-analysis": 1,
    "systematic review": 1,
    "randomized controlled trial": 2,
    "observational study": 3,
    "comparative study": 3,
    "controlled clinical trial": 3,
    "clinical trial": 3,
    "case reports": 4,
    "review": 5,
    "editorial": 5,
    "letter": 5,
    "comment": 5,
}
"""PubMed publication type (lower case) -> level; the best (lowest) level of a record wins.

"Controlled Clinical Trial" and "Clinical Trial" are our additions at level 3: PubMed uses
them for trials not (or not known to be) randomised."""

RCT_TYPES = frozenset({"randomized controlled trial"})

HYPOTHESIS_JOURNALS: dict[str, tuple[str, ...]] = {
    "medical hypotheses": ("0306-9877", "1532-2777"),
}
"""Journals that publish hypotheses: name -> print and electronic ISSNs. A name matches the same
words or a word-by-word abbreviation ("Med Hypotheses"), as journal names do in verification."""

_HYPOTHESIS_ISSNS = frozenset(i for issns in HYPOTHESIS_JOURNALS.values() for i in issns)

CAVEATS = (
    "A grade is a signal for an editor, never a verdict: it rates the kind of study, "
    "not its quality or whether it says what the statement claims.",
    'PubMed\'s "Review" means any literature review, narrative or systematic.',
    '"Systematic Review" exists as a publication type only since 2019; older systematic '
    "reviews may be typed only as Review.",
    "Publication types lag indexing by months, and randomised trials are under-tagged.",
    "There is no hypothesis publication type: journals that publish hypotheses "
    "(e.g. Medical Hypotheses, ISSN 0306-9877) are graded 5 by a rule on the journal.",
)


@dataclass(frozen=True)
class Grade:
    """The level of evidence of one source, and how it was reached.

    ``level`` is None when nothing says what kind of study it is (no verified record,
    or publication types that name no design); ``basis`` says what the grade rests on.
    """

    key: str
    level: int | None
    label: str
    basis: str
    publication_types: tuple[str, ...] = ()
    hypothesis_journal: bool = False
    randomised_trial: bool = False
    caveats: tuple[str, ...] = ()

    def as_dict(self) -> dict[str, object]:
        return {
            "key": self.key,
            "level": self.level,
            "label": self.label,
            "basis": self.basis,
            "publication_types": list(self.publication_types),
            "hypothesis_journal": self.hypothesis_journal,
            "randomised_trial": self.randomised_trial,
            "caveats": list(self.caveats),
        }


def is_hypothesis_journal(names: Iterable[str], issns: Iterable[str]) -> bool:
    """True when any journal name or ISSN belongs to a journal that publishes hypotheses."""
    if any(normalize_issn(i) in _HYPOTHESIS_ISSNS for i in issns):
        return True
    return any(_same_journal(n, known) for n in names if n for known in HYPOTHESIS_JOURNALS)


def _same_journal(name: str, known: str) -> bool:
    # The same words, or a word-by-word abbreviation ("Med Hypotheses"); not a fuzzy likeness.
    agreement = journal_agreement(name, known)
    return agreement is not None and agreement[0] <= 1


def grade_source(reference: Reference, result: VerificationResult | None) -> Grade:
    """Grade a reference from its verification record's publication types and its journal.

    The record is used only when the reference was verified (or verified but since
    retracted): a mismatched record may describe another paper, so it is not graded.
    The journal rule also reads the reference as printed, so it applies offline.
    """
    record = _trusted_record(result)
    names = [reference.journal]
    issns: list[str] = []
    if record is not None:
        names += [record.journal, record.journal_abbrev]
        issns += list(record.issn)
    if "issn" in reference.extra:
        issns += re.split(r"[,;\s]+", reference.extra["issn"])
    types = tuple(record.publication_types) if record is not None else ()
    if is_hypothesis_journal(names, issns):
        return Grade(
            reference.key,
            5,
            "hypothesis paper",
            "journal rule: the journal publishes hypotheses",
            types,
            hypothesis_journal=True,
            caveats=("graded by its journal, not by a publication type",),
        )
    if record is None:
        why = (
            "not verified: no record to read publication types from"
            if result is None or result.status in (Status.UNVERIFIED, Status.UNREACHABLE)
            else f"not graded: verification says {result.status.value}"
        )
        return Grade(reference.key, None, "ungraded", why)
    levels = {
        PUBLICATION_TYPE_LEVELS[t.casefold()]
        for t in types
        if t.casefold() in PUBLICATION_TYPE_LEVELS
    }
    rct = any(t.casefold() in RCT_TYPES for t in types)
    if not levels:
        why = (
            "no publication types in the record (e.g. a Crossref-only record)"
            if not types
            else "publication types name no study design"
        )
        return Grade(reference.key, None, "ungraded", why, types)
    level = min(levels)
    caveats: list[str] = []
    if level == 5 and any(t.casefold() == "review" for t in types):
        caveats.append('"Review" covers narrative and systematic reviews alike')
    return Grade(
        reference.key,
        level,
        LEVEL_NAMES[level],
        "PubMed publication types",
        types,
        randomised_trial=rct,
        caveats=tuple(caveats),
    )


def _trusted_record(result: VerificationResult | None) -> Record | None:
    if result is None or result.record is None:
        return None
    if result.status in (Status.VERIFIED, Status.RETRACTED):
        return result.record
    return None


# -- wording ------------------------------------------------------------------------------

STRONG_WORDS = re.compile(
    r"\b(proven|proves?|cures?|cured|permanent(?:ly)?|guarantee[sd]?|"
    r"definitive(?:ly)?|eliminates?)\b",
    re.IGNORECASE,
)
"""Words that claim certainty; they need level-1 or level-2 support."""

_RANDOMISED = re.compile(r"(?<![-\w])randomi[sz](?:ed|ation)\b", re.IGNORECASE)
_NEGATORS = re.compile(
    r"\b(no|not|never|without|nor|neither|cannot|none|non|lack(?:s|ing)?)\b|n't\b",
    re.IGNORECASE,
)
# A negation reaches to the end of its clause: lists separated by commas stay inside it
# ("No claims are made regarding guaranteed outcomes, permanent structural repair, ...").
_CLAUSE_END = re.compile(r"[.;:!?]|\b(?:but|however|although|yet)\b", re.IGNORECASE)


def strong_words(text: str) -> list[str]:
    """The certainty words of ``text`` that no negation ("no", "not", "without", ...) covers."""
    return [m.group(0) for m in STRONG_WORDS.finditer(text) if not _negated(text, m.start())]


def says_randomised(text: str) -> bool:
    """True when ``text`` asserts randomised evidence ("non-randomised" and "not randomised"
    do not count)."""
    return any(not _negated(text, m.start()) for m in _RANDOMISED.finditer(text))


def _negated(text: str, position: int) -> bool:
    clause_start = 0
    for end in _CLAUSE_END.finditer(text, 0, position):
        clause_start = end.end()
    return bool(_NEGATORS.search(text, clause_start, position))
