"""Render open-access articles (JATS XML) as pages for the import corpus, with their truth.

Run: .venv/bin/python benchmarks/jats_corpus.py [--source DIR] [--output tests/corpus/import]

The XML files are data from public repositories (see tests/corpus/import/README.md for each
one's repository, commit, path and licence); they are not kept in this repository (about 1.4 MB)
but in the workplace's shared/fixtures/jats/. Each page of MANIFEST takes a few sections of one
article and prints them as a clinic or wiki would: HTML, Markdown or plain text, with one marker
style and one reference-list style. The truth is taken from the XML, never from our parser:
which reference numbers each sentence cites (the article's ``<xref ref-type="bibr">`` tags)
and, per reference, the fields the ``<ref-list>`` tags give. Text added to a page (wiki
furniture, a trap sentence) is marked ``"added": true`` in the truth.
"""

from __future__ import annotations

import argparse
import html
import json
import re
import xml.etree.ElementTree as ET
from dataclasses import dataclass, field
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
DEFAULT_SOURCE = Path("/work/shared/fixtures/jats")
DEFAULT_OUTPUT = ROOT / "tests" / "corpus" / "import"
XLINK = "{http://www.w3.org/1999/xlink}href"
SKIPPED = {"fig", "table-wrap", "disp-formula", "supplementary-material", "graphic", "label"}
SUPERSCRIPT = str.maketrans("0123456789,-–", "⁰¹²³⁴⁵⁶⁷⁸⁹,⁻⁻")


# -- the article ---------------------------------------------------------------------
@dataclass
class Cite:
    numbers: tuple[int, ...]


@dataclass
class Span:
    text: str
    style: str = ""  # "", "i", "b", "sup", "sub"


@dataclass
class Block:
    kind: str  # "h2", "h3", "p"
    items: list[Span | Cite] = field(default_factory=list)
    added: bool = False


@dataclass
class Ref:
    number: int
    kind: str
    authors: list[tuple[str, str]]  # (family, given); an organisation has given None-like ""
    organisations: set[int]
    et_al: bool
    title: str
    journal: str
    year: int | None
    volume: str
    issue: str
    fpage: str
    lpage: str
    doi: str
    pmid: str
    url: str
    accessed: str
    publisher: str
    place: str
    verbatim: str = ""  # an untagged citation in no form we read: printed as the XML has it


def text_of(element: ET.Element | None) -> str:
    if element is None:
        return ""
    return " ".join("".join(element.itertext()).split())


def reference_numbers(root: ET.Element) -> dict[str, int]:
    numbers = {}
    for position, ref in enumerate(root.iter("ref"), 1):
        label = text_of(ref.find("label")).strip(".[] ")
        numbers[ref.get("id", "")] = int(label) if label.isdigit() else position
    return numbers


def flatten(element: ET.Element, numbers: dict[str, int], style: str = "") -> list[Span | Cite]:
    """The element's inline content: text spans and one Cite per bibr xref."""
    out: list[Span | Cite] = []
    if element.text:
        out.append(Span(element.text, style))
    for child in element:
        tag = child.tag
        if tag == "xref" and child.get("ref-type") == "bibr":
            ids = child.get("rid", "").split()
            out.append(Cite(tuple(numbers[i] for i in ids if i in numbers)))
        elif tag in SKIPPED:
            pass
        else:
            inner = {"italic": "i", "bold": "b", "sup": "sup", "sub": "sub"}.get(tag, style)
            out.extend(flatten(child, numbers, inner))
        if child.tail:
            out.append(Span(child.tail, style))
    return out


_SEPARATOR = re.compile(r"^\s*([,;]|[-–−])?\s*$")


def group_citations(items: list[Span | Cite]) -> list[Span | Cite]:
    """Merge runs of xrefs ("[1]–[3]", "[<x>1</x>,<x>2</x>]") into one Cite with every number."""
    out: list[Span | Cite] = []
    i = 0
    while i < len(items):
        item = items[i]
        if not isinstance(item, Cite):
            out.append(item)
            i += 1
            continue
        numbers = list(item.numbers)
        j = i + 1
        while j + 1 < len(items) and isinstance(items[j], Span) and isinstance(items[j + 1], Cite):
            sep = _SEPARATOR.match(items[j].text)  # type: ignore[union-attr]
            if not sep:
                break
            nxt = items[j + 1].numbers  # type: ignore[union-attr]
            if sep.group(1) in ("-", "–", "−") and numbers and nxt:
                numbers.extend(range(numbers[-1] + 1, nxt[0]))
            numbers.extend(nxt)
            j += 2
        # Brackets the XML prints around the xrefs ("[<xref>1</xref>]") are part of the marker.
        if out and isinstance(out[-1], Span) and j < len(items) and isinstance(items[j], Span):
            before, after = out[-1], items[j]
            for opening, closing in (("[", "]"), ("(", ")")):
                if before.text.rstrip().endswith(opening) and after.text.lstrip().startswith(
                    closing
                ):
                    before.text = before.text.rstrip()[:-1]
                    items[j] = Span(after.text.lstrip()[1:], after.style)
                    break
        out.append(Cite(tuple(sorted(set(numbers)))))
        i = j
    return out


def blocks_of(root: ET.Element, sections: list[str], numbers: dict[str, int]) -> list[Block]:
    blocks: list[Block] = []
    body = root.find(".//body")
    assert body is not None

    def add_section(sec: ET.Element, level: int) -> None:
        blocks.append(Block(f"h{level}", [Span(text_of(sec.find("title")))]))
        for child in sec:
            if child.tag == "p":
                blocks.append(Block("p", group_citations(flatten(child, numbers))))
            elif child.tag == "sec":
                add_section(child, min(level + 1, 3))

    for sec in body.findall("sec"):
        title = text_of(sec.find("title"))
        if any(title.lower().startswith(s.lower()) for s in sections):
            add_section(sec, 2)
    return blocks


def references_of(root: ET.Element, numbers: dict[str, int]) -> list[Ref]:
    refs = []
    for ref in root.iter("ref"):
        cit = next(
            (c for c in ref if c.tag in ("mixed-citation", "element-citation", "citation")), None
        )
        if cit is None:
            continue
        authors: list[tuple[str, str]] = []
        organisations: set[int] = set()
        groups = [
            g for g in cit.findall("person-group") if g.get("person-group-type") in (None, "author")
        ]
        holders = groups or [cit]
        et_al = False
        for holder in holders:
            for el in holder:
                if el.tag == "name":
                    authors.append((text_of(el.find("surname")), text_of(el.find("given-names"))))
                elif el.tag == "collab":
                    organisations.add(len(authors))
                    authors.append((text_of(el), ""))
                elif el.tag == "etal":
                    et_al = True
        if "et al" in "".join(t for t in (cit.text or "", *(e.tail or "" for e in cit))):
            et_al = True
        year_text = text_of(cit.find("year"))
        ids = {p.get("pub-id-type"): text_of(p) for p in cit.findall("pub-id")}
        links = [e.get(XLINK) or text_of(e) for e in cit.iter() if e.tag in ("ext-link", "uri")]
        comment = " ".join(text_of(c) for c in cit.findall("comment"))
        accessed = ""
        found = re.search(r"[Aa]ccessed:?\s*([^.;]+)", comment)
        if found:
            accessed = found.group(1).strip()
        date = cit.find("date-in-citation")
        if date is not None and not accessed:
            accessed = re.sub(r"^\[?(cited|accessed)\s*", "", text_of(date), flags=re.I).strip(
                "[] "
            )
        url = next((u for u in links if u and u.startswith("http")), "")
        if not url:
            found = re.search(r"https?://\S+", comment)
            url = found.group(0).rstrip(".,)") if found else ""
        title = text_of(cit.find("article-title")) or text_of(cit.find("chapter-title"))
        source = text_of(cit.find("source"))
        kind = cit.get("publication-type") or cit.get("citation-type") or "journal"
        if url.endswith("Accessed"):  # pmed.1001518 ref 6 prints "...htmAccessed 13 January 2008"
            url = url[: -len("Accessed")]
        rest = verbatim = ""
        if not authors and not title and not source:
            # A citation printed as text only ("Mind (2002) My Choice: A Survey. Available: ...").
            # Its fields come from that text's PLoS form, so the truth says so (``untagged``).
            raw = " ".join("".join(cit.itertext()).split())
            form = re.match(
                r"^(?P<who>[^()]+?) \((?P<year>\d{4})[a-z]?\) "
                r"(?P<title>.+?[.?!])(?: |$)(?P<rest>.*)$",
                raw,
            )
            if form:
                who = form.group("who")
                parts = who.split(", ")
                if all(re.fullmatch(r"[A-Z][\w'-]+(?: [\w'-]+)* [A-Z]{1,3}", x) for x in parts):
                    authors = [tuple(x.rsplit(" ", 1)) for x in parts]  # type: ignore[misc]
                else:
                    authors, organisations = [(who, "")], {0}
                year_text = form.group("year")
                title = form.group("title").rstrip(".")
                rest = re.split(r"\s*Available:", form.group("rest"))[0].strip(" .")
                comment = raw
                found = re.search(r"[Aa]ccessed:?\s*([^.;]+)", raw)
                accessed = found.group(1).strip() if found else accessed
                kind = kind + "-untagged"
            else:
                verbatim = raw
        if not title and comment:
            title = re.split(r"\s*(Available|Accessed)", comment)[0].strip(" .")
        if not title and not kind.startswith("journal"):
            title, source = source, ""
        year_match = re.search(r"\d{4}", year_text)
        publisher = text_of(cit.find("publisher-name"))
        place = text_of(cit.find("publisher-loc"))
        if kind.endswith("-untagged") and rest:
            place, _, publisher = rest.rpartition(": ")
        refs.append(
            Ref(
                number=numbers[ref.get("id", "")],
                kind=kind,
                authors=authors,
                organisations=organisations,
                et_al=et_al,
                title=title.rstrip(". "),
                journal=source.rstrip(". "),
                year=int(year_match.group(0)) if year_match else None,
                volume=text_of(cit.find("volume")),
                issue=text_of(cit.find("issue")),
                fpage=text_of(cit.find("fpage")) or text_of(cit.find("elocation-id")),
                lpage=text_of(cit.find("lpage")),
                doi=ids.get("doi", ""),
                pmid=ids.get("pmid", ""),
                url=url,
                accessed=accessed,
                publisher=publisher,
                place=place,
                verbatim=verbatim,
            )
        )
    return sorted(refs, key=lambda r: r.number)


# -- marker styles -------------------------------------------------------------------
def runs(numbers: tuple[int, ...]) -> list[tuple[int, int]]:
    out: list[tuple[int, int]] = []
    for n in numbers:
        if out and n == out[-1][1] + 1:
            out[-1] = (out[-1][0], n)
        else:
            out.append((n, n))
    return out


def compact(numbers: tuple[int, ...], dash: str = "-", comma: str = ",") -> str:
    parts = []
    for a, b in runs(numbers):
        if b - a >= 2:
            parts.append(f"{a}{dash}{b}")
        else:
            parts.extend(str(n) for n in range(a, b + 1))
    return comma.join(parts)


def marker(numbers: tuple[int, ...], style: str) -> str:
    """The marker as the page prints it; a leading space means it follows a word after a space."""
    if style == "bracket":
        return f" [{compact(numbers)}]"
    if style == "bracket-space":
        return f" [{compact(numbers, '–', ', ')}]"
    if style == "paren":
        return f" ({compact(numbers)})"
    if style in ("plos", "ieee"):
        parts = []
        for a, b in runs(numbers):
            if b - a >= 2:
                parts.append(f"[{a}]–[{b}]")
            else:
                parts.extend(f"[{n}]" for n in range(a, b + 1))
        return " " + ", ".join(parts)
    if style == "sup-html":
        return f"<sup>{compact(numbers)}</sup>"
    if style == "unicode":
        return compact(numbers).translate(SUPERSCRIPT)
    if style == "caret":
        return f"^{compact(numbers)}^"
    if style == "bare":  # superscripts a page lost when copied as text: "deaths.4,5 In"
        return compact(numbers)
    raise ValueError(style)


AFTER_PUNCTUATION = {"sup-html", "unicode", "caret", "bare"}  # AMA: superscripts after . and ,


# -- reference styles ----------------------------------------------------------------
def initials(given: str, dots: bool = False) -> str:
    parts = [p for p in re.split(r"[\s.]+", given) if p]
    letters = []
    for p in parts:
        if p.isupper() and len(p) <= 3 and "-" not in p:
            letters.extend(p)
        else:
            letters.append(p[0].upper())
    return " ".join(f"{c}." for c in letters) if dots else "".join(letters)


def printed_authors(ref: Ref, style: str) -> tuple[list[str], bool]:
    limit, keep = {"vancouver": (6, 6), "ama": (6, 3), "plos": (99, 99), "ieee": (6, 1)}[style]
    names = []
    for index, (family, given) in enumerate(ref.authors):
        if index in ref.organisations or not given:
            names.append(family)
        elif style == "ieee":
            names.append(f"{initials(given, dots=True)} {family}")
        else:
            names.append(f"{family} {initials(given)}")
    et_al = ref.et_al
    if len(names) > limit:
        names, et_al = names[:keep], True
    return names, et_al


def pages(ref: Ref, dash: str) -> str:
    if ref.fpage and ref.lpage:
        return f"{ref.fpage}{dash}{ref.lpage}"
    return ref.fpage


def entry(ref: Ref, style: str) -> tuple[str, list[str]]:
    if ref.verbatim:
        return ref.verbatim, []
    names, et_al = printed_authors(ref, style)
    year = str(ref.year) if ref.year else ""
    vol = ref.volume + (f"({ref.issue})" if ref.issue else "")
    book = ref.kind.split("-")[0] in ("book", "report") or (not ref.journal and ref.publisher)
    if style == "ieee":
        who = (
            ", ".join(names[:-1]) + (", and " if len(names) > 1 else "") + names[-1]
            if names
            else ""
        )
        if et_al:
            who = ", ".join(names) + " et al."
        bits = [f'{who}, "{ref.title},"' if who else f'"{ref.title},"']
        if ref.journal:
            bits.append(f"{ref.journal},")
            if ref.volume:
                bits.append(f"vol. {ref.volume},")
            if ref.issue:
                bits.append(f"no. {ref.issue},")
            if pages(ref, "–"):
                bits.append(f"pp. {pages(ref, '–')},")
        elif ref.publisher:
            bits.append(f"{ref.place + ': ' if ref.place else ''}{ref.publisher},")
        text = " ".join(bits) + (f" {year}." if year else "")
        if ref.doi:
            text += f" doi: {ref.doi}."
        if ref.url:
            text += f" [Online]. Available: {ref.url}"
            if ref.accessed:
                text += f" (accessed {ref.accessed})."
    elif style == "plos":
        who = ", ".join(names) + (", et al." if et_al else "")
        text = f"{who} ({year}) {ref.title}." if who else f"{ref.title} ({year})."
        if ref.journal:
            text += f" {ref.journal}"
            if ref.volume:
                text += (
                    f" {ref.volume}: {pages(ref, '–')}." if pages(ref, "–") else f" {ref.volume}."
                )
            else:
                text += "."
        elif ref.publisher:
            text += f" {ref.place + ': ' if ref.place else ''}{ref.publisher}."
        if ref.doi:
            text += f" doi:{ref.doi}."
        if ref.url:
            text += f" Available: {ref.url}."
            if ref.accessed:
                text += f" Accessed {ref.accessed}."
    else:  # vancouver, ama
        who = ", ".join(names) + (", et al" if et_al else "")
        text = f"{who}. {ref.title}." if who else f"{ref.title}."
        if ref.journal:
            text += f" {ref.journal}. {year}"
            if vol:
                text += f";{vol}"
            if pages(ref, "-"):
                text += f":{pages(ref, '-')}"
            text += "."
        elif book and ref.publisher:
            text += f" {ref.place + ': ' if ref.place else ''}{ref.publisher}; {year}."
        elif year:
            text += f" {year}."
        if ref.doi:
            text += f" doi:{ref.doi}." if style == "ama" else f" doi: {ref.doi}."
        if ref.pmid and style == "vancouver":
            text += f" PMID: {ref.pmid}."
        if ref.url:
            if style == "ama":
                text += f" {ref.url}."
                if ref.accessed:
                    text += f" Accessed {ref.accessed}."
            else:
                text += f" Available from: {ref.url}"
                if ref.accessed:
                    text += f" [accessed {ref.accessed}]"
                text += "."
    text = re.sub(r"([?!])\.", r"\1", text)
    return " ".join(text.split()), names if names else []


# -- sentences and rendering ---------------------------------------------------------
_ABBREVIATIONS = re.compile(
    r"(?:\b(?:e\.g|i\.e|et al|Fig|Figs|vs|cf|approx|ca|Dr|Drs|Mr|Mrs|Ms|No|Ref|Refs|St|Eq|Suppl|"
    r"resp|incl|etc|viz|Tab)|\b[A-Z])\.$"
)


def split_sentences(
    text: str, cites: list[tuple[int, tuple[int, ...]]]
) -> list[tuple[str, set[int]]]:
    """Split ``text`` (markers removed) into sentences; ``cites`` are (offset, numbers)."""
    ends = []
    for m in re.finditer(r"[.!?](?=\s+[A-Z0-9“\"(\[])", text):
        if _ABBREVIATIONS.search(text[max(0, m.start() - 8) : m.end()]):
            continue
        if re.search(r"\d\.$", text[: m.end()]) and re.match(r"\s+\d", text[m.end() :]):
            continue
        if re.fullmatch(r"\s*\d{1,2}\.", text[ends[-1] if ends else 0 : m.end()]):
            continue  # an item's own number ("1. Oral health status ...")
        ends.append(m.end())
    ends.append(len(text))
    out = []
    start = 0
    for end in ends:
        sentence = text[start:end].strip()
        numbers = {
            n
            for offset, nums in cites
            if start < offset <= end or offset == start == 0
            for n in nums
        }
        if sentence:
            out.append((sentence, numbers))
        start = end
    return out


def tidy(text: str) -> str:
    text = " ".join(text.split())
    return re.sub(r"\s+([.,;:)\]])", r"\1", text).replace("( ", "(")


def inline(span: Span, fmt: str) -> str:
    text = span.text
    if fmt == "html":
        text = html.escape(text, quote=False)
        if span.style in ("i", "b", "sup", "sub"):
            tag = {"i": "em", "b": "strong"}.get(span.style, span.style)
            return f"<{tag}>{text}</{tag}>" if text.strip() else text
        return text
    if span.style == "sup":
        return text.translate(SUPERSCRIPT) if re.fullmatch(r"[\d,\-–]+", text) else text
    if fmt == "markdown" and span.style in ("i", "b") and text.strip():
        mark = "*" if span.style == "i" else "**"
        lead, core, trail = re.match(r"(\s*)(.*?)(\s*)$", text, re.S).groups()  # type: ignore[union-attr]
        return f"{lead}{mark}{core}{mark}{trail}"
    return text


def render_paragraph(block: Block, fmt: str, style: str) -> tuple[str, list[tuple[str, set[int]]]]:
    """The paragraph as the page prints it, and its sentences with the numbers each cites."""
    plain = ""
    cites: list[tuple[int, tuple[int, ...]]] = []
    printed: list[str] = []
    items = list(block.items)
    for index, item in enumerate(items):
        if isinstance(item, Cite):
            if not item.numbers:
                continue
            cites.append((len(plain.rstrip()), item.numbers))
            mark = marker(item.numbers, style)
            if not mark.startswith(" "):  # a superscript sits on the word before
                while printed and printed[-1].endswith(" "):
                    printed[-1] = printed[-1][:-1]
            else:
                while printed and printed[-1].endswith(" "):
                    printed[-1] = printed[-1][:-1]
            nxt = items[index + 1] if index + 1 < len(items) else None
            if style in AFTER_PUNCTUATION and isinstance(nxt, Span) and nxt.text[:1] in ".,;:":
                printed.append(inline(Span(nxt.text[0], nxt.style), fmt) + mark)
                items[index + 1] = Span(nxt.text[1:], nxt.style)
                plain += nxt.text[0]
                continue
            printed.append(mark)
        else:
            plain += item.text
            printed.append(inline(item, fmt))
    # Offsets were taken on the plain text; squeeze its spaces and move them alike.
    squeezed, moved = "", []
    for ch in plain:
        moved.append(len(squeezed))
        if not (ch.isspace() and (not squeezed or squeezed.endswith(" "))):
            squeezed += " " if ch.isspace() else ch
    moved.append(len(squeezed))
    cites = [(moved[min(o, len(plain))], n) for o, n in cites]
    sentences = [(tidy(t), n) for t, n in split_sentences(squeezed.rstrip(), cites)]
    return " ".join("".join(printed).split()), sentences


@dataclass
class PageSpec:
    name: str
    source: str
    repo: str
    commit: str
    path: str
    fmt: str  # text, markdown, html
    marker_style: str
    reference_style: str
    sections: list[str]
    max_statements: int = 130
    furniture: list[str] = field(default_factory=list)
    added: list[tuple[str, str]] = field(default_factory=list)  # (after section, paragraph)


PLOS = ("PLOS/allofplos", "07fdeed848b2816a7fbf7da6418ef6e2076e1960")
PUBMED_PARSER = ("titipata/pubmed_parser", "155901889597a0b6cd1771c1953ff3968512df50")
WIKI = ["Contents", "Last updated 14 March 2024", "Jump to navigation"]

MANIFEST = [
    PageSpec(
        "depression-acupuncture.txt",
        "journal.pmed.1001518.xml",
        *PLOS,
        "allofplos/starter_corpus/journal.pmed.1001518.xml",
        "text",
        "paren",
        "vancouver",
        ["Introduction", "Methods", "Discussion"],
        140,
    ),
    PageSpec(
        "oral-health-elderly.md",
        "1472-6831-8-11.nxml",
        *PUBMED_PARSER,
        "data/1472-6831-8-11.nxml",
        "markdown",
        "bracket",
        "vancouver",
        ["Background", "Methods", "Discussion"],
        130,
    ),
    PageSpec(
        "stroke-treatment-burden.html",
        "journal.pmed.1001473.xml",
        *PLOS,
        "allofplos/starter_corpus/journal.pmed.1001473.xml",
        "html",
        "sup-html",
        "ama",
        ["Introduction", "Methods", "Discussion"],
        130,
    ),
    PageSpec(
        "drug-promotion-regulation.html",
        "journal.pmed.1000431.xml",
        *PLOS,
        "allofplos/seed_corpus/journal.pmed.1000431.xml",
        "html",
        "plos",
        "plos",
        ["Introduction", "Methods", "Discussion"],
        130,
    ),
    PageSpec(
        "forensic-evidence.txt",
        "journal.pone.0160653.xml",
        *PLOS,
        "allofplos/seed_corpus/journal.pone.0160653.xml",
        "text",
        "unicode",
        "ama",
        ["Introduction", "Discussion"],
        130,
    ),
    PageSpec(
        "tobacco-control.md",
        "journal.pone.0153152.xml",
        *PLOS,
        "allofplos/seed_corpus/journal.pone.0153152.xml",
        "markdown",
        "caret",
        "vancouver",
        ["Introduction", "Methods", "Discussion", "Conclusions"],
        120,
    ),
    PageSpec(
        "microbial-heterogeneity.html",
        "1471-2180-11-174.nxml",
        *PUBMED_PARSER,
        "data/1471-2180-11-174.nxml",
        "html",
        "ieee",
        "ieee",
        ["Background", "Discussion"],
        120,
        furniture=WIKI,
    ),
    PageSpec(
        "tuberculosis-treatment.txt",
        "pone.0046493.nxml",
        *PUBMED_PARSER,
        "data/pone.0046493.nxml",
        "text",
        "plos",
        "plos",
        ["Introduction", "Discussion"],
        100,
    ),
    PageSpec(
        "newborn-survival.md",
        "journal.pmed.1001080.xml",
        *PLOS,
        "allofplos/seed_corpus/journal.pmed.1001080.xml",
        "markdown",
        "paren",
        "ieee",
        ["Introduction", "Discussion"],
        130,
    ),
    PageSpec(
        "asthma-raman.txt",
        "journal.pone.0078921.xml",
        *PLOS,
        "allofplos/starter_corpus/journal.pone.0078921.xml",
        "text",
        "bracket-space",
        "vancouver",
        ["Introduction", "Materials and Methods", "Conclusions"],
        120,
        furniture=WIKI,
        added=[
            (
                "Introduction",
                "Asthma control questionnaires ask how often symptoms "
                "occurred: never (0), hardly ever (1), sometimes (2), often (3) or always "
                "(4); a typical dose is 200 µg (2 puffs) twice a day.",
            )
        ],
    ),
    PageSpec(
        "rift-valley-fever.txt",
        "pntd.0002065.nxml",
        *PUBMED_PARSER,
        "data/pntd.0002065.nxml",
        "text",
        "bare",
        "vancouver",
        ["Introduction", "Discussion"],
        120,
    ),
]


def licence_of(root: ET.Element) -> str:
    perm = root.find(".//permissions")
    text = text_of(perm) or text_of(root.find(".//copyright-statement"))
    if "Attribution" in text and "Non-Commercial" not in text and "NonCommercial" not in text:
        return (
            "CC-BY ("
            + (
                re.search(r"licenses/by/[\d.]+", ET.tostring(perm, encoding="unicode")).group(0)
                if perm is not None
                and re.search(r"licenses/by/[\d.]+", ET.tostring(perm, encoding="unicode"))
                else "Creative Commons Attribution License"
            )
            + ")"
        )
    return text[:120]


def build(spec: PageSpec, source: Path) -> tuple[str, dict[str, object]]:
    root = ET.parse(source / spec.source).getroot()
    numbers = reference_numbers(root)
    title = text_of(root.find(".//title-group/article-title"))
    blocks = blocks_of(root, spec.sections, numbers)
    for after, paragraph in spec.added:
        at = next(
            i
            for i, b in enumerate(blocks)
            if b.kind == "h2"
            and "".join(s.text for s in b.items if isinstance(s, Span)).startswith(after)
        )
        blocks.insert(at + 2, Block("p", [Span(paragraph)], added=True))
    refs = references_of(root, numbers)
    lines: list[str] = []
    statements: list[dict[str, object]] = []
    section: list[str] = []
    fmt = spec.fmt
    if fmt == "html":
        lines += [
            "<!DOCTYPE html>",
            "<html>",
            "<head>",
            f"<title>{html.escape(title)}</title>",
            "</head>",
            "<body>",
            f"<h1>{html.escape(title)}</h1>",
        ]
    elif fmt == "markdown":
        lines += [f"# {title}", ""]
    else:
        lines += [title]
    if spec.furniture:
        contents = [text_of_block(b) for b in blocks if b.kind == "h2"]
        if fmt == "html":
            lines += [
                f"<p>{spec.furniture[2]}</p>",
                f"<p>{spec.furniture[1]}</p>",
                f"<p>{spec.furniture[0]}</p>",
                "<ul>",
            ]
            lines += [f"<li>{html.escape(c)}</li>" for c in contents] + ["</ul>"]
        else:
            lines += [spec.furniture[2], spec.furniture[1], spec.furniture[0], *contents]
    for block in blocks:
        if len(statements) >= spec.max_statements:
            break
        if block.kind in ("h2", "h3"):
            heading = text_of_block(block)
            section = [section[0], heading] if block.kind == "h3" and section else [heading]
            if fmt == "html":
                lines.append(f"<{block.kind}>{html.escape(heading)}</{block.kind}>")
            elif fmt == "markdown":
                lines += ["#" * int(block.kind[1]) + " " + heading, ""]
            else:
                lines.append(heading)
            continue
        printed, sentences = render_paragraph(block, fmt, spec.marker_style)
        if not sentences:
            continue
        if fmt == "html":
            lines.append(f"<p>{printed}</p>")
        elif fmt == "markdown":
            lines += [printed, ""]
        else:
            lines.append(printed)
        for text, cited in sentences:
            statements.append(
                {
                    "section": list(section),
                    "text": text,
                    "refs": sorted(cited),
                    "added": block.added,
                }
            )
    truth_refs = []
    if fmt == "html":
        lines += ["<h2>References</h2>", "<ol>"]
    else:
        lines += ["## References", ""] if fmt == "markdown" else ["References"]
    for ref in refs:
        printed, names = entry(ref, spec.reference_style)
        if fmt == "html":
            lines.append(f"<li>{html.escape(printed, quote=False)}</li>")
        elif spec.reference_style == "ieee":
            lines += [f"[{ref.number}] {printed}"] + ([""] if fmt == "markdown" else [])
        else:
            lines.append(f"{ref.number}. {printed}")
        _, et_al = printed_authors(ref, spec.reference_style)
        truth_refs.append(
            {
                "number": ref.number,
                "type": ref.kind.removesuffix("-untagged"),
                "fields_from": "none (untagged, printed verbatim)"
                if ref.verbatim
                else "printed text"
                if ref.kind.endswith("-untagged")
                else "tags",
                "first_author": ref.authors[0][0] if ref.authors else "",
                "first_author_is_organisation": 0 in ref.organisations,
                "author_count": len(names),
                "et_al": et_al,
                "year": ref.year,
                "title": ref.title,
                "journal": ref.journal,
                "doi": ref.doi or _doi_in(ref.url) or None,
                "pmid": ref.pmid or None,
                "url": ref.url or None,
                "accessed": ref.accessed or None,
                "printed": printed,
            }
        )
    if fmt == "html":
        lines += ["</ol>", "</body>", "</html>"]
    page = "\n".join(lines) + "\n"
    traps = [
        {"text": s["text"], "kind": kind, "added": s["added"]}
        for s in statements
        for kind, pattern in TRAPS.items()
        if re.search(pattern, str(s["text"]))
    ]
    truth = {
        "page": spec.name,
        "title": title,
        "origin": {
            "repository": spec.repo,
            "commit": spec.commit,
            "path": spec.path,
            "licence": licence_of(root),
            "doi": text_of(root.find(".//article-id[@pub-id-type='doi']")),
        },
        "format": fmt,
        "marker_style": spec.marker_style,
        "reference_style": spec.reference_style,
        "furniture": [{"text": f, "added": True} for f in spec.furniture],
        "traps": traps,
        "statements": statements,
        "references": truth_refs,
    }
    return page, truth


TRAPS = {
    "score-bands": r"[a-z]+ \(\d+[–-]\d+\),",
    "scale-anchors": r"[a-z]+ \(\d\), [a-z ]+ \(\d\)",
    "sample-size": r"\(n ?= ?\d+\)",
    "dose": r"\d+ ?(mg|ml|µg|IU)\b.{0,20}\(\d",
    "year-range": r"\((19|20)\d\d[–-](19|20)\d\d\)",
}


def _doi_in(url: str) -> str:
    found = re.search(r"doi\.org/(10\.\d{4,9}/\S+)", url)
    return found.group(1) if found else ""


def text_of_block(block: Block) -> str:
    return " ".join("".join(s.text for s in block.items if isinstance(s, Span)).split())


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--source", type=Path, default=DEFAULT_SOURCE)
    parser.add_argument("--output", type=Path, default=DEFAULT_OUTPUT)
    parser.add_argument("--only", metavar="PAGE", help="build this page of MANIFEST only")
    args = parser.parse_args()
    args.output.mkdir(parents=True, exist_ok=True)
    for spec in MANIFEST:
        if args.only and spec.name != args.only:
            continue
        page, truth = build(spec, args.source)
        (args.output / spec.name).write_text(page, encoding="utf-8")
        stem = spec.name.rsplit(".", 1)[0]
        (args.output / f"{stem}.truth.json").write_text(
            json.dumps(truth, indent=1, ensure_ascii=False) + "\n", encoding="utf-8"
        )
        cited = sum(1 for s in truth["statements"] if s["refs"])  # type: ignore[index,union-attr]
        print(
            f"{spec.name}: {len(truth['statements'])} statements ({cited} cited), "  # type: ignore[arg-type]
            f"{len(truth['references'])} references, {len(truth['traps'])} traps"
        )  # type: ignore[arg-type]


if __name__ == "__main__":
    main()
