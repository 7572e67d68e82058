"""A first guess at a statement's kind, for an editor to correct.

The guess reads words, nothing more: the first rule of :data:`KIND_RULES` whose word
stem occurs in the statement wins. A statement of the form "X is a/an ..." is a
``definition``. List items under a line ending in ":" take that line's kind. A numbered
step (and every sentence in it) is a ``procedure`` unless it warns (safety,
contraindication, disclaimer); anything else is ``efficacy``, the kind that
asks most of the evidence, so an unreviewed guess errs toward wanting a source.
"""

from __future__ import annotations

import re

KIND_RULES: tuple[tuple[str, tuple[str, ...]], ...] = (
    (
        "disclaimer",
        ("no claims", "not intended", "not a substitute", "medical advice", "guarantee"),
    ),
    (
        "logistics",
        ("contact", "call us", "appointment", "book a", "schedule", "visit time", "our clinic"),
    ),
    ("regulatory", ("fda", "approved", "regulat", "licens", "off-label")),
    ("contraindication", ("contraindicat", "not be appropriate", "should not", "not suitable")),
    ("safety", ("adverse", "complication", "side effect", "safe", "tolerat", "risk", "sore")),
    ("history", ("has been used", "for decades", "first described", "was developed")),
    ("scope", ("does not involve", "does not include")),
    (
        "mechanism",
        ("mechanism", "stimul", "inflammat", "signal", "fibroblast", "collagen", "modulat"),
    ),
    ("efficacy", ("studies", "study", "trial", "evidence", "effective", "efficacy", "outcome")),
    ("procedure", ("inject", "procedure", "ultrasound", "fluoroscop", "anesthe", "needle")),
    ("recommendation", ("recommend", "consider", "advise")),
    ("indication", ("indicat", "candidate")),
)
"""(kind, word stems) in the order they are tried; stems match at the start of a word."""

_COMPILED = tuple(
    (kind, re.compile(r"(?<![a-z])(?:" + "|".join(map(re.escape, stems)) + ")"))
    for kind, stems in KIND_RULES
)
_WARNINGS = frozenset({"disclaimer", "contraindication", "safety"})
_DEFINITION = re.compile(r"^[^.,;:]{1,80}?\b(?:is|are)\s+(?:a|an)\b", re.IGNORECASE)


def guess_kind(text: str, *, step: bool = False) -> str:
    """The kind a statement most likely has, by its words (see the module docstring)."""
    if _DEFINITION.match(text) and not step:
        return "definition"
    lowered = text.lower()
    for kind, pattern in _COMPILED:
        if pattern.search(lowered):
            # A step of the page's procedure stays a procedure unless it warns.
            return kind if not step or kind in _WARNINGS else "procedure"
    return "procedure" if step else "efficacy"
