"""How well the importer reads real pages: marker links and reference fields against the truth.

Run: .venv/bin/python benchmarks/import_corpus.py [--json FILE] [--details PAGE]

Every page of tests/corpus/import/ (rendered from an article's JATS XML by
benchmarks/jats_corpus.py) goes through ``proloevidence.import_file``; its draft is scored
against ``<page>.truth.json``, whose numbers come from the XML's citation tags, not from us.

- A *link* is (statement, reference number). Our statements are matched to the truth's by
  text (rapidfuzz), since our sentence splitting may differ: a statement covers the truth
  sentences it equals, contains (two sentences read as one) or is part of (one read as two).
  A link is right when a sentence it covers cites that number; a truth link is found when a
  statement covering its sentence links that number. Links of a statement matching no truth
  sentence are wrong.
- *values lost*: truth sentences with a number in brackets ("mild (5–9)", "(n=12)") that no
  statement covering them prints: the importer took it for a marker.
- *text lost*: truth sentences no statement covers (their text did not survive the import).
- *debris*: statements with marker leftovers ("[5]", "humans–.", "epidemic,.", "^1^").
- *furniture*: statements or sections made of a page's wiki furniture ("Contents", ...).
- Reference fields are compared by the list's number, over the entries whose truth has the
  field (entries the XML gives only as text are not scored): first author (family name or
  organisation), author count (as printed, before "et al."), year, title (ratio >= 95),
  journal (ratio >= 90), DOI, PMID (an identifier only where the entry prints it: the XML
  may tag one the page never shows).
"""

from __future__ import annotations

import argparse
import json
import re
import sys
import unicodedata
from dataclasses import asdict, dataclass, field
from pathlib import Path

from rapidfuzz import fuzz

import proloevidence

CORPUS = Path(__file__).resolve().parent.parent / "tests" / "corpus" / "import"
FIELDS = ("first_author", "author_count", "year", "title", "journal", "doi", "pmid")
_VALUE = re.compile(r"[(\[][^()\[\]]*\d[^()\[\]]*[)\]]")
_DEBRIS = re.compile(r"\[\d+\]|\^\d|[–-]\s*[.,;]|[,;]\s*[.,;]|\(\s*\)|\[\s*\]")


@dataclass
class PageScore:
    page: str
    format: str
    truth_statements: int
    statements: int
    truth_links: int
    links: int
    right_links: int
    found_links: int
    values_lost: int
    text_lost: int
    debris: int
    furniture: int
    references: int
    parsed_references: int
    fields: dict[str, tuple[int, int]] = field(default_factory=dict)  # right, scored
    examples: dict[str, list[str]] = field(default_factory=dict)

    @property
    def precision(self) -> float:
        return self.right_links / self.links if self.links else 1.0

    @property
    def recall(self) -> float:
        return self.found_links / self.truth_links if self.truth_links else 1.0

    def accuracy(self, name: str) -> float | None:
        right, scored = self.fields.get(name, (0, 0))
        return right / scored if scored else None


def norm(text: str) -> str:
    text = unicodedata.normalize("NFKC", text).casefold()
    text = re.sub(r"[‐-―−]", "-", text)
    text = re.sub(r"[*_`]", "", text)
    return " ".join(text.split())


def family(text: str) -> str:
    return re.sub(r"[^\w]", "", unicodedata.normalize("NFKC", text).casefold())


def covers(claim: str, truth: list[str]) -> list[int]:
    """The truth sentences a statement's text stands for (equal, contained or containing)."""
    best = max(range(len(truth)), key=lambda i: fuzz.ratio(claim, truth[i]), default=None)
    if best is not None and fuzz.ratio(claim, truth[best]) >= 90:
        return [best]
    found = []
    for i, sentence in enumerate(truth):
        if (
            len(sentence) >= 15
            and len(sentence) < len(claim)
            and fuzz.partial_ratio(sentence, claim) >= 95
        ):
            found.append(i)  # two sentences read as one
        elif (
            len(claim) >= 20
            and len(claim) < len(sentence)
            and fuzz.partial_ratio(claim, sentence) >= 95
        ):
            found.append(i)  # one sentence read as two
    return found


def field_right(name: str, ours: object, truth: object) -> bool:
    if name == "first_author":
        return family(str(ours)) == family(str(truth))
    if name in ("title", "journal"):
        limit = 95 if name == "title" else 90
        return fuzz.ratio(norm(str(ours)).strip(" ."), norm(str(truth)).strip(" .")) >= limit
    if name == "doi":
        return str(ours).casefold() == str(truth).casefold()
    return str(ours) == str(truth)


def score_page(page: Path, truth: dict[str, object]) -> PageScore:
    draft = proloevidence.import_file(page)
    number = {r.key: r.page_number for r in draft.references}
    sentences = truth["statements"]
    assert isinstance(sentences, list)
    texts = [norm(s["text"]) for s in sentences]
    cited = [set(s["refs"]) for s in sentences]
    examples: dict[str, list[str]] = {
        "false link": [],
        "missed link": [],
        "value lost": [],
        "debris": [],
        "furniture": [],
        "text lost": [],
    }
    covered_by: dict[int, list[int]] = {}
    links = right = 0
    claim_numbers = []
    for c_index, claim in enumerate(draft.claims):
        numbers = sorted({number[k] for k in claim.refs if number.get(k) is not None})
        claim_numbers.append(set(numbers))
        covered = covers(norm(claim.text), texts)
        for i in covered:
            covered_by.setdefault(i, []).append(c_index)
        allowed = set().union(*(cited[i] for i in covered)) if covered else set()
        links += len(numbers)
        wrong = [n for n in numbers if n not in allowed]
        right += len(numbers) - len(wrong)
        if wrong:
            examples["false link"].append(
                f"{claim.text[:110]!r} marker {claim.marker} -> {wrong} (truth {sorted(allowed)})"
            )
        if _DEBRIS.search(claim.text):
            examples["debris"].append(repr(claim.text[:140]))
    truth_links = found = values_lost = text_lost = 0
    for i, sentence in enumerate(sentences):
        claims = covered_by.get(i, [])
        if not claims:
            text_lost += 1
            examples["text lost"].append(repr(sentence["text"][:140]))
        ours = set().union(*(claim_numbers[c] for c in claims)) if claims else set()
        for n in cited[i]:
            truth_links += 1
            if n in ours:
                found += 1
        missed = sorted(cited[i] - ours)
        if missed and claims:
            c = draft.claims[claims[0]]
            examples["missed link"].append(f"{c.text[:110]!r} marker {c.marker} misses {missed}")
        values = _VALUE.findall(norm(sentence["text"]))
        if values and claims:
            printed = " ".join(norm(draft.claims[c].text) for c in claims)
            lost = [v for v in values if v not in printed]
            if lost:
                values_lost += 1
                markers = [draft.claims[c].marker for c in claims]
                examples["value lost"].append(
                    f"{sentence['text'][:110]!r} lost {lost}, markers {markers}"
                )
    furniture_texts = [norm(f["text"]) for f in truth.get("furniture", [])]  # type: ignore[union-attr]
    furniture = 0
    for claim in draft.claims:
        parts = [norm(claim.text), *(norm(s) for s in claim.section)]
        if any(f in p for f in furniture_texts for p in parts):
            furniture += 1
            examples["furniture"].append(f"{claim.text[:60]!r} in section {claim.section}")
    # Reference fields, by the list's number.
    by_number = {r.page_number: r for r in draft.references}
    unparsed = {n.subject for n in draft.notes_with("unparsed-reference")}
    fields: dict[str, list[int]] = {name: [0, 0] for name in FIELDS}
    truth_refs = truth["references"]
    assert isinstance(truth_refs, list)
    for ref in truth_refs:
        if ref["fields_from"].startswith("none"):
            continue
        ours = by_number.get(ref["number"])
        got = {
            "first_author": ours.authors[0].family if ours and ours.authors else "",
            "author_count": len(ours.authors) if ours else 0,
            "year": ours.year if ours else None,
            "title": ours.title if ours else "",
            "journal": ours.journal if ours else "",
            "doi": ours.doi if ours else None,
            "pmid": ours.pmid if ours else None,
        }
        for name in FIELDS:
            if ref[name] in (None, "", 0) and name != "author_count":
                continue
            if name in ("doi", "pmid") and str(ref[name]).lower() not in ref["printed"].lower():
                continue  # from the XML's tags, not printed: nothing the importer could read
            if name == "author_count" and not ref["first_author"]:
                continue
            fields[name][1] += 1
            if field_right(name, got[name], ref[name]):
                fields[name][0] += 1
            else:
                examples.setdefault(f"ref {name}", []).append(
                    f"{ref['printed'][:110]!r}: ours {got[name]!r}, truth {ref[name]!r}"
                )
    return PageScore(
        page=page.name,
        format=draft.format,
        truth_statements=len(sentences),
        statements=len(draft.claims),
        truth_links=truth_links,
        links=links,
        right_links=right,
        found_links=found,
        values_lost=values_lost,
        text_lost=text_lost,
        debris=len(examples["debris"]),
        furniture=furniture,
        references=len(truth_refs),
        parsed_references=len(draft.references) - len(unparsed),
        fields={k: (v[0], v[1]) for k, v in fields.items()},
        examples=examples,
    )


def score_corpus(corpus: Path = CORPUS) -> list[PageScore]:
    scores = []
    for truth_file in sorted(corpus.glob("*.truth.json")):
        truth = json.loads(truth_file.read_text(encoding="utf-8"))
        scores.append(score_page(corpus / truth["page"], truth))
    return scores


def table(scores: list[PageScore]) -> str:
    head = (
        "| page | fmt | statements (truth/ours) | links (truth/ours) | precision | recall "
        "| values lost | text lost | debris | furniture | refs (parsed) | "
        + " | ".join(FIELDS)
        + " |"
    )
    rows = [head, "|" + "---|" * (10 + len(FIELDS))]
    for s in scores:
        cells = []
        for name in FIELDS:
            value = s.accuracy(name)
            cells.append("-" if value is None else f"{value:.2f}")
        rows.append(
            f"| {s.page} | {s.format} | {s.truth_statements}/{s.statements} | "
            f"{s.truth_links}/{s.links} | {s.precision:.2f} | {s.recall:.2f} | {s.values_lost} | "
            f"{s.text_lost} | {s.debris} | {s.furniture} | "
            f"{s.references} ({s.parsed_references}) | " + " | ".join(cells) + " |"
        )
    return "\n".join(rows)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--json", type=Path, help="also write the scores here")
    parser.add_argument(
        "--details", metavar="PAGE", help="print one page's failures ('all': every page's)"
    )
    args = parser.parse_args(argv)
    scores = score_corpus()
    print(table(scores))
    if args.details:
        for s in scores:
            if args.details not in ("all", s.page):
                continue
            print(f"\n## {s.page}")
            for kind, lines in s.examples.items():
                if lines:
                    print(f"{kind} ({len(lines)}):")
                    for line in lines[:8]:
                        print(f"  {line}")
    if args.json:
        args.json.write_text(
            json.dumps([asdict(s) for s in scores], indent=1, ensure_ascii=False), encoding="utf-8"
        )
    return 0


if __name__ == "__main__":
    sys.exit(main())
