"""Generate a valid knowledge base of any size, deterministically (same seed, same bytes).

    python benchmarks/generate.py --refs 10000 --claims 50000 --docs 500 --out /tmp/kb50k

Writes ``claims/<doc>.yaml`` (one page each) and ``references-N.bib`` (at most
``--refs-per-file`` entries each). The files look like the bundled page: verbatim-looking
statements of 15-40 words under one or two headings, markers as printed (``(1-3)``,
``[4,5]``), typed links, some reviewed assessments, statements that need no source with a
note; references with 1-8 authors (some ``and others``), LaTeX accents, ``--`` page ranges,
a DOI or PMID, the printed string. Statement ids repeat across pages (``efficacy-12`` on
many pages), so most are addressed as ``document/claim``. Every file passes
``proloevidence check``.
"""

from __future__ import annotations

import argparse
import random
import sys
from pathlib import Path

from proloevidence.text.markers import collapse

KINDS = (
    "definition history mechanism efficacy indication contraindication safety procedure "
    "regulatory recommendation scope"
).split()
WORDS = (
    "chronic pain ligament tendon joint injection dextrose hypertonic saline randomized trial "
    "patients improvement function placebo controlled outcome months follow-up knee shoulder "
    "ankle lumbar sacroiliac instability laxity enthesis fibroblast collagen inflammatory "
    "response cascade repair tissue remodeling evidence systematic review meta-analysis cohort "
    "prospective retrospective adverse events mild transient soreness swelling bruising "
    "infection rare guideline recommendation conservative therapy physical exercise imaging "
    "ultrasound guidance needle volume concentration session interval weeks selected reported "
    "significant modest moderate small effect size confidence interval heterogeneity bias risk "
    "quality low certainty dose regimen protocol clinicians diagnosis examination history"
).split()
HEADINGS = (
    "Overview|Mechanism of Action|Clinical Applications|Evidence|Safety and Side Effects|"
    "The Procedure|Who Is a Candidate|Recovery|Costs and Coverage|Frequently Asked Questions"
).split("|")
SUBHEADINGS = (
    "Knee|Shoulder|Low Back|Sacroiliac (SI) Joint|Tendinopathies|Step-by-step process|"
    "Before the visit|After the visit|Contraindications|Outcomes"
).split("|")
FAMILY = (
    "Rabago Kim Hauser Duman Wu Müller Lee Jeong Zgierska Slattengren Reeves Hackett Yelland "
    "Dagenais Bertrand Topol Distel Sit Lyftogt Sanderson Østergaard Łukasiewicz Nuñez García "
    "Van der Berg O'Brien Smith Jones Nguyen Patel Rossi Schäfer Dubois Kowalski Tanaka"
).split()
GIVEN = "W. M.|H. G.|D.|A.|R. A.|J. B.|K. D.|M.|S.|T. J.|Y.|L. E.".split("|")
JOURNALS = (
    "Pain Physician|Primary Care|Pain Research & Management|Clinical Journal of Sport "
    "Medicine|Annals of Family Medicine|Journal of Alternative and Complementary Medicine|"
    "Archives of Physical Medicine and Rehabilitation|BMC Musculoskeletal Disorders|"
    "Cochrane Database of Systematic Reviews|American Journal of Physical Medicine & "
    "Rehabilitation"
).split("|")
# How a few names are written in BibTeX: the loader decodes them back to Unicode.
_LATEX = {"Müller": '{M\\"u}ller', "Schäfer": 'Sch{\\"a}fer', "Nuñez": "Nu{\\~n}ez"}
_LATEX |= {
    "García": "Garc{\\'i}a",
    "Østergaard": "{\\O}stergaard",
    "Łukasiewicz": "{\\L}ukasiewicz",
}


def sentence(rng: random.Random, low: int = 15, high: int = 40) -> str:
    words = [rng.choice(WORDS) for _ in range(rng.randint(low, high))]
    return words[0].capitalize() + " " + " ".join(words[1:]) + "."


def yaml_quote(text: str) -> str:
    return '"' + text.replace("\\", "\\\\").replace('"', '\\"') + '"'


def reference_entry(rng: random.Random, index: int) -> tuple[str, str]:
    """One BibTeX entry and its key."""
    family = [rng.choice(FAMILY) for _ in range(rng.randint(1, 8))]
    et_al = len(family) > 3 and rng.random() < 0.5
    if et_al:
        family = family[:3]
    given = [rng.choice(GIVEN) for _ in family]
    stem = "".join(ch for ch in family[0].lower() if ch.isascii() and ch.isalpha())
    key = f"{stem or 'ref'}{index}"
    year = rng.randint(1985, 2025)
    first_page = rng.randint(1, 900)
    pages = f"{first_page}--{first_page + rng.randint(3, 20)}"
    journal = rng.choice(JOURNALS)
    title = sentence(rng, 6, 16).rstrip(".")
    authors = " and ".join(
        f"{_LATEX.get(f, '{' + f + '}' if ' ' in f else f)}, {g}"
        for f, g in zip(family, given, strict=True)
    ) + (" and others" if et_al else "")
    printed_authors = ", ".join(
        f"{f} {''.join(p[0] for p in g.split())}" for f, g in zip(family, given, strict=True)
    ) + (", et al." if et_al else ".")
    volume, number = str(rng.randint(1, 60)), str(rng.randint(1, 12))
    ident_line, printed_ident = "", ""
    if rng.random() < 0.7:
        doi = f"10.{rng.randint(1000, 9999)}/j.x.{year}.{index:06d}"
        ident_line, printed_ident = f"  doi       = {{{doi}}},\n", f" doi:{doi}."
    else:
        pmid = str(10_000_000 + index)
        ident_line, printed_ident = f"  pmid      = {{{pmid}}},\n", f" PMID: {pmid}."
    printed = (
        f"{printed_authors} {title}. {journal}. {year};{volume}({number}):"
        f"{pages.replace('--', '–')}.{printed_ident}"
    )
    entry = (
        f"@article{{{key},\n"
        f"  author    = {{{authors}}},\n"
        f"  title     = {{{title}}},\n"
        f"  journal   = {{{journal.replace('&', chr(92) + '&')}}},\n"
        f"  year      = {{{year}}},\n"
        f"  volume    = {{{volume}}},\n"
        f"  number    = {{{number}}},\n"
        f"  pages     = {{{pages}}},\n"
        f"{ident_line}"
        f"  printed   = {{{printed.replace('&', chr(92) + '&')}}},\n"
        "}\n"
    )
    return entry, key


def document_yaml(rng: random.Random, doc_id: str, n_claims: int, pool: list[str]) -> str:
    """One page: its numbering (the references it cites, 1..k) and its statements."""
    k = min(len(pool), rng.randint(15, 40))
    numbering = pool[:k]
    lines = [
        f"# Generated page {doc_id} (benchmarks/generate.py).",
        "schema: 1",
        "document:",
        f"  id: {doc_id}",
        f"  title: {yaml_quote(sentence(rng, 3, 7).rstrip('.'))}",
        f'  source: "https://example.org/pages/{doc_id}"',
        "  references:",
        *(f"    {n}: {key}" for n, key in enumerate(numbering, 1)),
        "",
        "claims:",
    ]
    heading = rng.choice(HEADINGS)
    for i in range(n_claims):
        if rng.random() < 0.1:
            heading = rng.choice(HEADINGS)
        kind = rng.choice(KINDS)
        section = (
            f"[{heading}, {rng.choice(SUBHEADINGS)}]" if rng.random() < 0.3 else f"[{heading}]"
        )
        lines += [
            f"  - id: {kind}-{i}",
            f"    section: {section}",
            f"    kind: {kind}",
            f"    text: {yaml_quote(sentence(rng))}",
        ]
        roll = rng.random()
        if roll < 0.08:
            lines += [
                "    requires_support: false",
                f"    support_note: {yaml_quote(sentence(rng, 5, 12))}",
            ]
        elif roll < 0.7:
            count = rng.choice((1, 1, 1, 2, 2, 3))
            start = rng.randint(1, k - count + 1)
            numbers = (
                list(range(start, start + count))
                if count == 3
                else sorted(rng.sample(range(1, k + 1), count))
            )
            opening, closing = ("(", ")") if rng.random() < 0.8 else ("[", "]")
            lines += [
                f'    marker: "{opening}{collapse(numbers)}{closing}"',
                "    citations:",
            ]
            for n in numbers:
                relation = rng.choice(("supports",) * 6 + ("qualifies", "background", "disputes"))
                if rng.random() < 0.15:
                    lines += [
                        f"      - ref: {numbering[n - 1]}",
                        f"        relation: {relation}",
                        "        assessment:",
                        f"          status: {rng.choice(('supported', 'partly', 'not-supported'))}",
                        f"          date: 2025-{rng.randint(1, 12):02d}-{rng.randint(1, 28):02d}",
                        "          reviewer: editor",
                        f'          locator: "p. {rng.randint(1, 400)}"',
                    ]
                else:
                    lines.append(f"      - {{ref: {numbering[n - 1]}, relation: {relation}}}")
    return "\n".join(lines) + "\n"


def generate(
    out: Path,
    *,
    refs: int,
    claims: int,
    docs: int,
    seed: int = 7,
    refs_per_file: int = 5000,
) -> Path:
    """Write the knowledge base into ``out`` (created; existing generated files replaced)."""
    if refs < 40 or claims < docs or docs < 1:
        raise ValueError("need at least 40 references and one statement per document")
    rng = random.Random(seed)
    out.mkdir(parents=True, exist_ok=True)
    (out / "claims").mkdir(exist_ok=True)
    for old in [*out.glob("references-*.bib"), *(out / "claims").glob("*.yaml")]:
        old.unlink()
    keys: list[str] = []
    chunk: list[str] = []
    files = 0
    for index in range(refs):
        entry, key = reference_entry(rng, index)
        keys.append(key)
        chunk.append(entry)
        if len(chunk) == refs_per_file or index == refs - 1:
            files += 1
            head = "% Generated references (benchmarks/generate.py).\n\n"
            (out / f"references-{files}.bib").write_text(head + "\n".join(chunk), "utf-8")
            chunk = []
    # Each page cites a window of the reference list, so every reference is cited somewhere
    # once the pages together reach past the end of the list.
    stride = max(1, refs // docs)
    per_doc, extra = divmod(claims, docs)
    for d in range(docs):
        start = (d * stride) % refs
        pool = (keys[start:] + keys[:start])[:60]
        doc_id = f"page-{d:05d}"
        text = document_yaml(rng, doc_id, per_doc + (1 if d < extra else 0), pool)
        (out / "claims" / f"{doc_id}.yaml").write_text(text, "utf-8")
    return out


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--refs", type=int, default=10_000)
    parser.add_argument("--claims", type=int, default=50_000)
    parser.add_argument("--docs", type=int, default=500)
    parser.add_argument("--seed", type=int, default=7)
    parser.add_argument("--refs-per-file", type=int, default=5000)
    parser.add_argument("--out", type=Path, required=True)
    args = parser.parse_args(argv)
    generate(
        args.out,
        refs=args.refs,
        claims=args.claims,
        docs=args.docs,
        seed=args.seed,
        refs_per_file=args.refs_per_file,
    )
    print(f"wrote {args.out}", file=sys.stderr)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
