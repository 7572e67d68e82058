"""How well ``source-off-topic`` separates crossed statement-source pairs from on-topic ones.

Run: .venv/bin/python benchmarks/relevance.py [--list]

The labelled set is tests/fixtures/relevance/pairs.yaml: 36 real PubMed efetch records, each
with a statement written to paraphrase its abstract (on topic), and each statement paired once
with another record (crossed: off topic). A pair is flagged when
:func:`proloevidence.auditing.relevance.shared_concepts` finds the record shares none of the
statement's key concepts. Prints the confusion counts, then precision and recall of the flag
(detecting off-topic) for the full record (title, abstract, MeSH) and for parts of it, the
title alone being the baseline; then the false alarms on lay paraphrases (statements worded
without the paper's terms). ``--list`` prints every pair with the concepts it shares.
"""

from __future__ import annotations

import sys
import xml.etree.ElementTree as ET
from dataclasses import dataclass, replace
from pathlib import Path

import yaml

from proloevidence.auditing.relevance import shared_concepts
from proloevidence.services import pubmed_records as pubmed
from proloevidence.verification import Record

SET = Path(__file__).resolve().parent.parent / "tests" / "fixtures" / "relevance"


@dataclass(frozen=True)
class Pair:
    statement: str
    record: Record
    off_topic: bool  # the label: True for a crossed pair


def read_record(path: Path) -> Record:
    """The record ``verify`` keeps for a recorded efetch answer (the product's own reader)."""
    articles = pubmed.parse_efetch(ET.parse(path).getroot())
    assert len(articles) == 1, path
    pmid, article = next(iter(articles.items()))
    record = pubmed.record_from(pmid, None, article)
    assert record is not None, path
    return record


def labelled_pairs(folder: Path = SET) -> list[Pair]:
    """The on-topic pairs, then the crossed ones."""
    data = yaml.safe_load((folder / "pairs.yaml").read_text(encoding="utf-8"))
    statements: dict[str, str] = {str(k): v for k, v in data["statements"].items()}
    records = {pmid: read_record(folder / f"metapub__{pmid}.xml") for pmid in statements}
    pairs = [Pair(text, records[pmid], False) for pmid, text in statements.items()]
    pairs += [Pair(statements[str(a)], records[str(b)], True) for a, b in data["crossed"]]
    return pairs


def lay_pairs(folder: Path = SET) -> list[Pair]:
    """The lay paraphrases, each with its own record (all on topic)."""
    data = yaml.safe_load((folder / "pairs.yaml").read_text(encoding="utf-8"))
    return [
        Pair(text, read_record(folder / f"metapub__{pmid}.xml"), False)
        for pmid, text in data["lay"].items()
    ]


@dataclass(frozen=True)
class Score:
    true_pos: int
    false_pos: int
    false_neg: int
    true_neg: int

    @property
    def precision(self) -> float:
        flagged = self.true_pos + self.false_pos
        return self.true_pos / flagged if flagged else 1.0

    @property
    def recall(self) -> float:
        crossed = self.true_pos + self.false_neg
        return self.true_pos / crossed if crossed else 1.0


def score(pairs: list[Pair]) -> Score:
    """Confusion counts of the flag against the labels (positive: off topic)."""
    tp = fp = fn = tn = 0
    for pair in pairs:
        flagged = shared_concepts(pair.statement, pair.record).off_topic
        if flagged and pair.off_topic:
            tp += 1
        elif flagged:
            fp += 1
        elif pair.off_topic:
            fn += 1
        else:
            tn += 1
    return Score(tp, fp, fn, tn)


def _only(pairs: list[Pair], *, abstract: bool, mesh: bool) -> list[Pair]:
    # A title-only record is never judged; to measure the title as a baseline, it is
    # handed over as the "abstract" (judged), with the real abstract and MeSH removed.
    out = []
    for p in pairs:
        r = p.record
        if not abstract and not mesh:
            r = replace(r, title="", abstract=r.title, mesh_headings=())
        else:
            r = replace(
                r,
                abstract=r.abstract if abstract else "",
                mesh_headings=r.mesh_headings if mesh else (),
            )
        out.append(replace(p, record=r))
    return out


def main() -> None:
    pairs = labelled_pairs()
    lay = lay_pairs()
    if "--list" in sys.argv:
        for p in pairs + lay:
            rel = shared_concepts(p.statement, p.record)
            label = "crossed" if p.off_topic else "on-topic"
            print(f"{label:8} {p.record.pmid:>9} flagged={rel.off_topic!s:5} shared={rel.shared}")
    crossed = sum(p.off_topic for p in pairs)
    print(f"{len(pairs)} pairs: {len(pairs) - crossed} on topic, {crossed} crossed")
    head = f"{'what the record shows':32} {'TP':>3} {'FP':>3} {'FN':>3} {'TN':>3}"
    print(f"{head}  precision  recall")
    variants = [
        ("title only (baseline)", _only(pairs, abstract=False, mesh=False)),
        ("title + MeSH", _only(pairs, abstract=False, mesh=True)),
        ("title + abstract", _only(pairs, abstract=True, mesh=False)),
        ("title + abstract + MeSH", pairs),
    ]
    for name, variant in variants:
        s = score(variant)
        print(
            f"{name:32} {s.true_pos:3} {s.false_pos:3} {s.false_neg:3} {s.true_neg:3}"
            f"  {s.precision:9.2f}  {s.recall:6.2f}"
        )
    print(f"\n{len(lay)} lay paraphrases (on topic), flagged off topic (false alarms):")
    for name, only in (
        ("title only (baseline)", (False, False)),
        ("title + abstract + MeSH", None),
    ):
        variant = lay if only is None else _only(lay, abstract=only[0], mesh=only[1])
        print(f"{name:32} {score(variant).false_pos:3} of {len(lay)}")


if __name__ == "__main__":
    main()
