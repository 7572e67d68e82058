"""Five references and the records the services hold for them, for the fault-injection suite.

Every body is BUILT in the shapes shared/reference/apis.md documents (no recording holds
these invented works): Crossref ``work`` items and the ``work-list`` envelope, doi.org
``/ra/`` entries and a DataCite CSL-JSON item, esummary ``retmode=json`` documents, efetch
``PubmedArticle`` XML and esearch JSON. The five references touch every endpoint:

=========  ==============================  ==========================================
key        printed identifiers             endpoints that answer for it
=========  ==============================  ==========================================
alpha      DOI only (Crossref)             Crossref list; esearch; esummary + efetch
beta       DOI and PMID (Crossref)         Crossref list; esummary + efetch
gamma      DOI only (DataCite)             Crossref list (absent); /ra/; CSL; esearch
delta      DOI with a comma (Crossref)     Crossref single /works/{doi}; esearch
epsilon    PMID only                       esummary + efetch
=========  ==============================  ==========================================

With every service answering as built here, all five are ``verified``.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from pathlib import Path
from typing import Any
from xml.sax.saxutils import escape

from proloevidence.identifiers import doi_key

JOURNAL = "Journal of Fault Tolerance"
ABBREV = "J Fault Toler"


@dataclass(frozen=True)
class Paper:
    key: str
    title: str
    authors: tuple[tuple[str, str], ...]
    year: int
    volume: str
    issue: str
    pages: str
    doi: str | None = None
    printed_pmid: str | None = None
    pubmed_pmid: str | None = None
    agency: str | None = None


PAPERS = (
    Paper(
        "alpha",
        "Dextrose injections under network partitions",
        (("Smith", "Jane"), ("Jones", "Ann")),
        2020,
        "11",
        "2",
        "101-109",
        doi="10.1000/alpha.2020.1",
        pubmed_pmid="101",
        agency="Crossref",
    ),
    Paper(
        "beta",
        "Retry storms in ligament research",
        (("Brown", "Carl"), ("Green", "Dora")),
        2019,
        "10",
        "4",
        "55-61",
        doi="10.1000/beta.2019.4",
        printed_pmid="102",
        pubmed_pmid="102",
        agency="Crossref",
    ),
    Paper(
        "gamma",
        "A dataset of timeouts",
        (("Garcia", "Elena"),),
        2021,
        "12",
        "1",
        "1-8",
        doi="10.5061/dryad.gamma21",
        agency="DataCite",
    ),
    Paper(
        "delta",
        "Commas in identifiers considered harmful",
        (("Dunn", "Fred"),),
        2018,
        "9",
        "3",
        "200-210",
        doi="10.1000/delta,2018",
        agency="Crossref",
    ),
    Paper(
        "epsilon",
        "Half-open connections and chronic pain",
        (("Evans", "Gina"), ("Ito", "Hana")),
        2017,
        "8",
        "1",
        "17-25",
        printed_pmid="105",
        pubmed_pmid="105",
    ),
)
BY_KEY = {p.key: p for p in PAPERS}


def many_papers(n: int) -> tuple[Paper, ...]:
    """``n`` more papers in the shapes of the five: DOI only, DOI and PMID, PMID only."""
    made = []
    for i in range(n):
        doi = f"10.1000/many.{i}" if i % 3 != 2 else None
        pmid = str(2000 + i) if i % 3 != 0 else None
        made.append(
            Paper(
                f"many{i}",
                f"Concurrent verification, part {i}",
                (("Lock", "Sam"), ("Wal", "Ada")),
                2000 + i % 20,
                str(i + 1),
                "1",
                f"{i + 1}-{i + 9}",
                doi=doi,
                printed_pmid=pmid,
                pubmed_pmid=pmid,
                agency="Crossref" if doi else None,
            )
        )
    return tuple(made)


def bibtex(papers: tuple[Paper, ...] = PAPERS) -> str:
    """references.bib printing each paper exactly as the records hold it."""
    entries = []
    for p in papers:
        fields = {
            "author": " and ".join(f"{f}, {g}" for f, g in p.authors),
            "title": p.title,
            "journal": JOURNAL,
            "year": str(p.year),
            "volume": p.volume,
            "number": p.issue,
            "pages": p.pages.replace("-", "--"),
        }
        if p.doi:
            fields["doi"] = p.doi
        if p.printed_pmid:
            fields["pmid"] = p.printed_pmid
        body = ",\n".join(f"  {k} = {{{v}}}" for k, v in fields.items())
        entries.append(f"@article{{{p.key},\n{body},\n}}\n")
    return "\n".join(entries)


CLAIMS = """\
schema: 1
document:
  id: faults
  title: Fault injection
claims:
  - id: only-statement
    section: [Tests]
    kind: scope
    text: "A statement that needs no source."
    requires_support: false
    support_note: "The fault suite checks references only."
"""


def write_kb(folder: Path, bib: str | None = None) -> Path:
    """A knowledge base folder with the five papers (or ``bib``) and one statement."""
    folder.mkdir(parents=True, exist_ok=True)
    (folder / "references.bib").write_text(bib if bib is not None else bibtex(), "utf-8")
    (folder / "claims.yaml").write_text(CLAIMS, "utf-8")
    return folder


# -- records, in the documented shapes -------------------------------------------------------


def crossref_work(p: Paper) -> dict[str, Any]:
    """A Crossref ``work`` item: titles in arrays, the DOI lower-cased (apis.md)."""
    assert p.doi
    return {
        "DOI": p.doi.lower(),
        "type": "journal-article",
        "title": [p.title],
        "author": [{"family": f, "given": g, "sequence": "additional"} for f, g in p.authors],
        "container-title": [JOURNAL],
        "short-container-title": [ABBREV],
        "issued": {"date-parts": [[p.year]]},
        "volume": p.volume,
        "issue": p.issue,
        "page": p.pages,
        "ISSN": ["1234-5678"],
    }


def work_list(items: list[dict[str, Any]]) -> dict[str, Any]:
    """The ``work-list`` envelope of ``/works?filter=...``."""
    return {
        "status": "ok",
        "message-type": "work-list",
        "message-version": "1.0.0",
        "message": {"total-results": len(items), "items-per-page": len(items), "items": items},
    }


def work(item: dict[str, Any]) -> dict[str, Any]:
    """The ``work`` envelope of ``/works/{doi}``."""
    return {"status": "ok", "message-type": "work", "message-version": "1.0.0", "message": item}


def csl_item(p: Paper) -> dict[str, Any]:
    """CSL-JSON as content negotiation gives it (CSL type name, title as a string)."""
    return {
        "DOI": p.doi,
        "type": "article-journal",
        "title": p.title,
        "container-title": JOURNAL,
        "author": [{"family": f, "given": g} for f, g in p.authors],
        "issued": {"date-parts": [[p.year]]},
        "volume": p.volume,
        "issue": p.issue,
        "page": p.pages,
        "publisher": "Dryad",
    }


def esummary_doc(p: Paper) -> dict[str, Any]:
    """An esummary ``retmode=json`` document (NLM page range, "Family GI" names)."""
    assert p.pubmed_pmid
    ids: list[dict[str, Any]] = [{"idtype": "pubmed", "idtypen": 1, "value": p.pubmed_pmid}]
    if p.doi:
        ids.append({"idtype": "doi", "idtypen": 3, "value": p.doi})
    return {
        "uid": p.pubmed_pmid,
        "pubdate": f"{p.year} Jan",
        "epubdate": "",
        "source": ABBREV,
        "authors": [{"name": f"{f} {g[0]}", "authtype": "Author"} for f, g in p.authors],
        "title": p.title + ".",
        "volume": p.volume,
        "issue": p.issue,
        "pages": p.pages,
        "fulljournalname": JOURNAL,
        "pubtype": ["Journal Article"],
        "articleids": ids,
        "issn": "1234-5678",
    }


def efetch_article(p: Paper) -> str:
    """A ``<PubmedArticle>`` in the NLM DTD's shape; the DOI in ``PubmedData`` only."""
    assert p.pubmed_pmid
    authors = "".join(
        f"<Author ValidYN='Y'><LastName>{escape(f)}</LastName><ForeName>{escape(g)}"
        "</ForeName></Author>"
        for f, g in p.authors
    )
    doi = f'<ArticleId IdType="doi">{escape(p.doi)}</ArticleId>' if p.doi else ""
    return (
        f'<PubmedArticle><MedlineCitation Status="MEDLINE" Owner="NLM"><PMID Version="1">'
        f"{p.pubmed_pmid}</PMID><Article><Journal><ISSN IssnType='Print'>1234-5678</ISSN>"
        f"<JournalIssue><Volume>{p.volume}</Volume><Issue>{p.issue}</Issue><PubDate><Year>"
        f"{p.year}</Year></PubDate></JournalIssue><Title>{JOURNAL}</Title><ISOAbbreviation>"
        f"{ABBREV}</ISOAbbreviation></Journal><ArticleTitle>{escape(p.title)}.</ArticleTitle>"
        f"<Pagination><MedlinePgn>{p.pages}</MedlinePgn></Pagination><AuthorList>{authors}"
        "</AuthorList><PublicationTypeList><PublicationType>Journal Article</PublicationType>"
        "</PublicationTypeList></Article><MedlineJournalInfo><MedlineTA>"
        f"{ABBREV}</MedlineTA></MedlineJournalInfo></MedlineCitation><PubmedData>"
        f'<ArticleIdList><ArticleId IdType="pubmed">{p.pubmed_pmid}</ArticleId>{doi}'
        "</ArticleIdList></PubmedData></PubmedArticle>"
    )


@dataclass
class Records:
    """What each service holds, by the key it is asked by."""

    works: dict[str, dict[str, Any]]
    agencies: dict[str, str]
    csl: dict[str, dict[str, Any]]
    summaries: dict[str, dict[str, Any]]
    articles: dict[str, str]

    @classmethod
    def built(cls, papers: tuple[Paper, ...] = PAPERS) -> Records:
        return cls(
            works={
                doi_key(p.doi): crossref_work(p) for p in papers if p.doi and p.agency == "Crossref"
            },
            agencies={doi_key(p.doi): p.agency for p in papers if p.doi and p.agency},
            # doi.org negotiates content for any registered DOI (Crossref's by redirect).
            csl={doi_key(p.doi): csl_item(p) for p in papers if p.doi},
            summaries={p.pubmed_pmid: esummary_doc(p) for p in papers if p.pubmed_pmid},
            articles={p.pubmed_pmid: efetch_article(p) for p in papers if p.pubmed_pmid},
        )

    def pmids_for_dois(self, dois: list[str]) -> list[str]:
        wanted = {doi_key(d) for d in dois}
        found = []
        for pmid, doc in self.summaries.items():
            for entry in doc["articleids"]:
                if entry["idtype"] == "doi" and doi_key(entry["value"]) in wanted:
                    found.append(pmid)
        return found


def esummary_body(docs: dict[str, Any], ids: list[str]) -> str:
    """The esummary envelope; an unknown id as "cannot get document summary"."""
    result: dict[str, Any] = {"uids": ids}
    for uid in ids:
        result[uid] = docs.get(uid, {"uid": uid, "error": "cannot get document summary"})
    return json.dumps({"header": {"type": "esummary", "version": "0.3"}, "result": result})


def efetch_body(articles: dict[str, str], ids: list[str]) -> str:
    """The efetch ``PubmedArticleSet``; unknown ids are simply absent."""
    body = "".join(articles[i] for i in ids if i in articles)
    return f'<?xml version="1.0" ?>\n<PubmedArticleSet>{body}</PubmedArticleSet>\n'


def esearch_body(ids: list[str]) -> str:
    result = {"count": str(len(ids)), "retmax": str(len(ids)), "retstart": "0", "idlist": ids}
    return json.dumps({"header": {"type": "esearch", "version": "0.3"}, "esearchresult": result})
