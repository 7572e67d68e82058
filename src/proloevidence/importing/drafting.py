"""Build a draft's references and statements from a taken-apart page, noting what needs an eye.

Notes are :class:`Finding` values with a code from :data:`NOTE_CODES`; comments are the
lines the writers put above a statement (``claim_comments``, by id) or an entry
(``reference_comments``, by key) in the files.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field

from ..identifiers import IDENTIFIER_KINDS, canonical_identifier
from ..model import Citation, Claim, Finding, Reference, Severity, SourceLocation
from ..text.markers import MarkerStyle, format_marker, parse_marker
from ..text.sentences import split_sentences
from .ids import UniqueNames, claim_id, reference_key
from .kinds import guess_kind
from .marker_reading import Candidate, read_markers
from .page_structure import Page
from .reference_parser import parse_reference

UNTITLED_SECTION = "(no heading)"
"""The section of a statement above the first heading of a page without a title."""

NOTE_CODES = {
    "unparsed-reference": "an entry of the reference list whose shape was not recognised",
    "incomplete-reference": "an entry read in part (no authors, title, journal, ...)",
    "bad-identifier": "a printed DOI or PMID that is not well formed: left out of the entry",
    "duplicate-identifier": "two entries print one DOI or PMID: left out of the later one",
    "renumbered-references": "the list's numbers were missing or repeated",
    "no-reference-list": "markers, but no reference list was found",
    "unknown-reference-number": "a marker names a number the reference list does not print",
    "doubtful-marker": "numbers in brackets that may be a citation or a value: kept as text",
    "marker-without-statement": "a marker with no statement before it",
    "several-markers": "a sentence prints more than one marker; their numbers were merged",
    "uncited-reference": "a reference no marker names",
    "no-source": "a statement that prints no marker: it needs a source or a support_note",
}
"""Every note code an import gives, with what it means (docs/import.md)."""


class DraftBuilder:
    """Builds references and statements, collecting notes and file comments on the way."""

    def __init__(self, name: str) -> None:
        self.name = name
        self.notes: list[Finding] = []
        self.claim_comments: dict[str, tuple[str, ...]] = {}
        self.reference_comments: dict[str, tuple[str, ...]] = {}

    def note(
        self, code: str, subject: str, message: str, line: int, fix: str = "", **evidence: object
    ) -> None:
        severity = Severity.INFO if code in ("no-source", "several-markers") else Severity.WARNING
        self.notes.append(
            Finding(
                code, severity, subject, message, evidence, fix, SourceLocation(self.name, line)
            )
        )

    @staticmethod
    def comment(comments: dict[str, tuple[str, ...]], subject: str, text: str) -> None:
        comments[subject] = (*comments.get(subject, ()), " ".join(text.split()))

    # -- the reference list ------------------------------------------------------------
    def references(self, page: Page) -> tuple[Reference, ...]:
        if page.renumbered:
            self.note(
                "renumbered-references",
                "references",
                "the reference list's numbers are missing or repeated; "
                "entries are numbered by their position",
                page.references_line,
                "check the numbering against the page's markers",
            )
        taken = UniqueNames()
        seen: dict[tuple[str, str], str] = {}
        out: list[Reference] = []
        for entry in page.references:
            parsed = parse_reference(entry.text)
            key = reference_key(parsed.authors, parsed.year, parsed.title, entry.number, taken)
            ids = {"doi": parsed.doi, "pmid": parsed.pmid, "pmcid": parsed.pmcid}
            for kind in IDENTIFIER_KINDS:
                value = ids[kind]
                if value is None:
                    continue
                canonical = canonical_identifier(kind, value)
                if canonical is None:
                    ids[kind] = None
                    self._identifier_note(
                        "bad-identifier", key, kind, value, entry.line, "is not well formed"
                    )
                elif kind != "pmcid" and (kind, value.lower()) in seen:
                    ids[kind] = None
                    other = seen[(kind, value.lower())]
                    self._identifier_note(
                        "duplicate-identifier",
                        key,
                        kind,
                        value,
                        entry.line,
                        f"is also printed by {other!r}",
                    )
                else:
                    ids[kind] = canonical  # the form the loader gives back
                    seen[(kind, value.lower())] = key
            if not parsed.recognised:
                self.note(
                    "unparsed-reference",
                    key,
                    f"reference {entry.number} could not be parsed; kept as printed",
                    entry.line,
                    "fill in author, title, journal, year by hand from 'printed'",
                    printed=parsed.printed,
                )
                self.comment(
                    self.reference_comments,
                    key,
                    "editor: this entry could not be parsed; fill it in from 'printed'",
                )
            elif parsed.missing:
                self.note(
                    "incomplete-reference",
                    key,
                    f"reference {entry.number}: no {', '.join(parsed.missing)} found",
                    entry.line,
                    "complete the entry from 'printed'",
                    missing=list(parsed.missing),
                )
                self.comment(
                    self.reference_comments,
                    key,
                    f"editor: no {', '.join(parsed.missing)} found; check 'printed'",
                )
            out.append(
                Reference(
                    key=key,
                    entry_type=parsed.entry_type,
                    authors=parsed.authors,
                    et_al=parsed.et_al,
                    title=parsed.title,
                    journal=parsed.journal,
                    year=parsed.year,
                    volume=parsed.volume,
                    number=parsed.number,
                    pages=parsed.pages,
                    doi=ids["doi"],
                    pmid=ids["pmid"],
                    pmcid=ids["pmcid"],
                    url=parsed.url,
                    page_number=entry.number,
                    printed=entry.text,
                    extra=dict(parsed.extra),
                    location=SourceLocation(self.name, entry.line),
                )
            )
        return tuple(out)

    def _identifier_note(
        self, code: str, key: str, kind: str, value: str, line: int, why: str
    ) -> None:
        label = kind.upper()
        self.note(
            code,
            key,
            f"{label} {value} of {key!r} {why}; left out of the entry",
            line,
            f"check the {label} against the source",
            **{kind: value},
        )
        self.comment(
            self.reference_comments,
            key,
            f"editor: the printed {label} {value} {why}; it is left out here",
        )

    # -- the statements -------------------------------------------------------------------
    def claims(self, page: Page, doc_id: str, numbering: dict[int, str]) -> tuple[Claim, ...]:
        taken = UniqueNames()
        claims: list[Claim] = []
        listed = set(numbering) if page.references else None
        for order, item in enumerate(self._statements(page, listed)):
            if item.intro is not None:
                kind = claims[item.intro].kind  # a list item takes the kind of its intro
            else:
                kind = guess_kind(item.text, step=item.role == "step")
            cid = claim_id(item.section, item.text, taken)
            marker, citations = self._links(cid, item, numbering)
            self._kept_as_text(cid, item.line, item.doubts, listed)
            if not item.markers and not item.doubts:  # a doubt has its own note
                self.note(
                    "no-source",
                    cid,
                    f"{cid!r} prints no marker",
                    item.line,
                    "add the source it rests on, or requires_support: false and a support_note",
                )
            claims.append(
                Claim(
                    id=cid,
                    text=item.text,
                    section=item.section,
                    kind=kind,
                    document=doc_id,
                    marker=marker,
                    citations=citations,
                    order=order,
                    location=SourceLocation(self.name, item.line),
                )
            )
        return tuple(claims)

    def _statements(self, page: Page, listed: set[int] | None) -> list[_Statement]:
        """Every sentence of the body with its markers; list items know their intro."""
        statements: list[_Statement] = []
        last_of_block: dict[int, int] = {}
        reading = read_markers([b.text for b in page.blocks], listed)
        for index, block in enumerate(page.blocks):
            split = split_sentences(block.text, reading.citations(index))
            if split.leading:
                if statements:
                    statements[-1].markers.extend(split.leading)
                else:
                    self.note(
                        "marker-without-statement",
                        "page",
                        f"marker {' '.join(split.leading)} stands before any statement",
                        block.line,
                        "add it to the statement it belongs to",
                    )
            intro = last_of_block.get(block.intro) if block.intro is not None else None
            # Text above the first heading: the page's title stands in as its section.
            section = block.section or (page.title or UNTITLED_SECTION,)
            first = len(statements)
            for sentence in split.sentences:
                statements.append(
                    _Statement(
                        sentence.text,
                        section,
                        block.line,
                        block.role,
                        list(sentence.markers),
                        intro,
                    )
                )
            for doubt in reading.noted(index):
                # The sentence the kept numbers stand in: the last one starting before them.
                starts = [s.start for s in split.sentences if s.start <= doubt.match.start()]
                if split.sentences:
                    statements[first + max(len(starts) - 1, 0)].doubts.append(doubt)
            if split.sentences:
                last_of_block[index] = len(statements) - 1
        return statements

    def _links(
        self, cid: str, item: _Statement, numbering: dict[int, str]
    ) -> tuple[str | None, tuple[Citation, ...]]:
        """The marker to record and the links it yields; None and no links when it cannot."""
        if not item.markers:
            return None, ()
        numbers = list(dict.fromkeys(n for m in item.markers for n in parse_marker(m)))
        printed = item.markers[0]
        if len(item.markers) > 1:
            printed = format_marker(numbers, _style(item.markers[0]))
            self.note(
                "several-markers",
                cid,
                f"{cid!r} prints markers {' '.join(item.markers)}; recorded as {printed}",
                item.line,
                "split the statement if each marker backs a different part",
                markers=list(item.markers),
            )
        return printed, tuple(Citation(numbering[n]) for n in numbers)

    def _kept_as_text(
        self, cid: str, line: int, doubts: list[Candidate], listed: set[int] | None
    ) -> None:
        """Notes and comments for numbers in brackets kept in the statement's text: one per
        reason for the doubtful ones (a scale's five anchors are one note), one per unknown."""
        reasons: dict[str, list[str]] = {}
        for doubt in doubts:
            if doubt.verdict == "doubtful":
                reasons.setdefault(doubt.reason, []).append(doubt.printed)
            else:
                self._unknown(cid, line, doubt.printed, listed)
        for reason, markers in reasons.items():
            shown = ", ".join(markers)
            self.note(
                "doubtful-marker",
                cid,
                f"{shown} in {cid!r} kept as text, not linked: {reason}",
                line,
                "if it is a citation, add the link by hand and take it out of the text",
                markers=markers,
            )
            self.comment(
                self.claim_comments,
                cid,
                f"editor: {shown} kept as text ({reason}); link it if it cites",
            )

    def _unknown(self, cid: str, line: int, printed: str, listed: set[int] | None) -> None:
        unknown = [n for n in parse_marker(printed) if n not in (listed or ())]
        names = ", ".join(map(str, unknown))
        where = "the reference list" if listed is not None else "the page (no reference list found)"
        self.note(
            "unknown-reference-number",
            cid,
            f"marker {printed} of {cid!r} names reference {names}, which {where} does not print",
            line,
            "add the reference, or correct the marker",
            marker=printed,
            numbers=unknown,
        )
        self.comment(
            self.claim_comments,
            cid,
            f"editor: the page prints marker {printed} here, but reference {names} is not "
            "in the list; no link written",
        )

    def uncited(self, references: Iterable[Reference], claims: Iterable[Claim]) -> None:
        cited = {c.ref for claim in claims for c in claim.citations}
        for ref in references:
            if ref.key not in cited:
                self.note(
                    "uncited-reference",
                    ref.key,
                    f"reference {ref.page_number} ({ref.key}) is never cited",
                    ref.location.line if ref.location else 0,
                    "cite it where the page relies on it, or remove it",
                )


@dataclass
class _Statement:
    text: str
    section: tuple[str, ...]
    line: int
    role: str
    markers: list[str]
    intro: int | None
    doubts: list[Candidate] = field(default_factory=list)


def _style(marker: str) -> MarkerStyle:
    if marker.startswith("("):
        return "parentheses"
    if marker.startswith("["):
        return "brackets"
    return "superscript"
