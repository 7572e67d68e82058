"""PubMed payloads: efetch from recorded bodies; esummary/esearch in the documented shapes."""

from __future__ import annotations

import xml.etree.ElementTree as ET

import pytest

from proloevidence.model import Author
from proloevidence.services import pubmed_records as pubmed
from proloevidence.services.payloads import ShapeError

from .loopback import FIXTURES, efetch_article, esummary_doc


def articles(name: str) -> dict[str, pubmed.Article]:
    return pubmed.parse_efetch(ET.parse(FIXTURES / name).getroot())


@pytest.mark.parametrize(
    ("name", "pmid", "title"),
    [
        (
            "metapub__37167981.xml",
            "37167981",
            "Monte Carlo simulation of micro-x-ray fluorescence (μ-XRF) based detection of "
            "immunomagnetically labeled tumor cells.",
        ),
        (
            "metapub__38914053.xml",
            "38914053",
            "Doped SnO2thin films fabricated at low temperature by atomic layer deposition "
            "with a precise incorporation of niobium atoms.",
        ),
        (
            "biopython__pubmed4.xml",
            "27797938",
            "Leucocyte telomere length, genetic variants at the TERT gene region and risk of "
            "pancreatic cancer.",
        ),
        (
            "biopython__pubmed6.xml",
            "30108519",
            'A "Blood Relationship" Between the Overlooked Minimum Lactate Equivalent and '
            "Maximal Lactate Steady State in Trained Runners. Back to the Old Days?",
        ),
    ],
)
def test_titles_are_read_whole_through_markup(name: str, pmid: str, title: str) -> None:
    # findtext() would stop at the first child element: "...fluorescence (" and so on.
    assert articles(name)[pmid].title == title


def test_erratum_in_is_a_notice_with_the_erratum_doi() -> None:
    article = articles("metapub__35649368.xml")["35649368"]
    assert len(article.notices) == 1
    notice = article.notices[0]
    assert (notice.type, notice.doi, notice.source) == (
        "erratum",
        "10.1016/j.celrep.2022.111044",
        "pubmed",
    )
    assert "35767954" in notice.label


def test_a_published_erratum_is_not_itself_flagged() -> None:
    # ErratumFor points from the erratum to the article it corrects: no notice *on* it.
    article = articles("metapub__38962805.xml")["38962805"]
    assert "Published Erratum" in article.publication_types
    assert article.notices == ()


def test_retraction_in_and_the_retracted_type_give_one_retraction() -> None:
    # Built in the NLM DTD's shape: no recorded PubMed record with RetractionIn is public.
    xml = efetch_article(
        "20648206",
        doi="10.1000/x",
        pubtypes=("Journal Article", "Retracted Publication"),
        links=(
            ("ErratumIn", "Pain Physician. 2011;14(1):101.", "111"),
            ("RetractionIn", "Pain Physician. 2012;15(2):1. doi: 10.1000/retraction.", "222"),
        ),
    )
    root = ET.fromstring(f"<PubmedArticleSet>{xml}</PubmedArticleSet>")
    article = pubmed.parse_efetch(root)["20648206"]
    assert [(n.type, n.doi) for n in article.notices] == [
        ("erratum", None),
        ("retraction", "10.1000/retraction"),
    ]


def test_the_retracted_type_alone_is_a_retraction_notice() -> None:
    xml = efetch_article("5", pubtypes=("Journal Article", "Retracted Publication"))
    article = pubmed.parse_article(ET.fromstring(xml))
    assert [n.type for n in article.notices] == ["retraction"]


def test_the_doi_comes_from_the_article_id_list_only() -> None:
    # A reference list holds other papers' DOIs; the article's own is in PubmedData.
    xml = efetch_article("7", doi=None).replace(
        "</MedlineCitation>",
        "</MedlineCitation><ReferenceList><Reference><ArticleIdList>"
        '<ArticleId IdType="doi">10.9999/someone-else</ArticleId></ArticleIdList></Reference>'
        "</ReferenceList>",
    )
    assert pubmed.parse_article(ET.fromstring(xml)).doi is None
    no_doi = articles("biopython__pubmed1.xml")
    assert no_doi["12091962"].doi is None
    assert no_doi["9997"].doi  # only in ArticleIdList, no ELocationID


def test_collective_names_are_literal_authors() -> None:
    article = articles("metapub__34843274.xml")["34843274"]
    assert any(a.literal and "Guideline Development Panel" in a.family for a in article.authors)


def test_the_empty_set_for_an_unknown_id_parses_to_nothing() -> None:
    assert articles("metapub__37909814.xml") == {}


def test_a_root_other_than_the_article_set_is_a_shape_error() -> None:
    with pytest.raises(ShapeError, match="eSummaryResult"):
        pubmed.parse_efetch(ET.fromstring("<eSummaryResult><ERROR>x</ERROR></eSummaryResult>"))


def test_esummary_separates_records_from_unknown_ids() -> None:
    # Built in the documented shape: no recorded esummary JSON is public.
    payload = {
        "header": {"type": "esummary", "version": "0.3"},
        "result": {
            "uids": ["20648206", "99999999"],
            "20648206": esummary_doc("20648206"),
            "99999999": {"uid": "99999999", "error": "cannot get document summary"},
        },
    }
    found = pubmed.summaries(payload)
    assert found["99999999"] is None
    assert found["20648206"] is not None


@pytest.mark.parametrize(
    "payload", [[], {"result": []}, {"error": "Invalid uid"}, {"result": {"uids": "1"}}]
)
def test_esummary_of_the_wrong_shape_is_a_shape_error(payload: object) -> None:
    with pytest.raises(ShapeError):
        pubmed.summaries(payload)


def test_record_combines_summary_and_article() -> None:
    summary = esummary_doc(
        "20648206",
        "A randomized trial.",
        authors=("Kim WM", "van der Berg AB"),
        source="Pain Physician",
        fulljournalname="Pain physician",
        pubdate="2010 Jul-Aug",
        pages="363-70",
        doi="10.1000/from-summary",
    )
    article = pubmed.parse_article(
        ET.fromstring(efetch_article("20648206", "A <i>randomized</i> trial.", doi="10.1000/A"))
    )
    record = pubmed.record_from("20648206", summary, article)
    assert record is not None
    assert record.journal_abbrev == "Pain Physician"  # esummary's source (NLM abbreviation)
    assert record.journal == "Pain physician"
    assert record.pages == "363-70"
    assert record.year == 2010
    assert record.title == "A randomized trial."
    assert record.doi == "10.1000/A"  # efetch's ArticleIdList wins
    alone = pubmed.record_from("20648206", summary, None)
    assert alone is not None
    assert alone.authors == (Author("Kim", "WM"), Author("van der Berg", "AB"))
    assert alone.doi == "10.1000/from-summary"
    assert pubmed.record_from("1", None, None) is None


def test_esearch_ids_and_errors() -> None:
    assert pubmed.esearch_ids({"esearchresult": {"count": "1", "idlist": ["20648206"]}}) == [
        "20648206"
    ]
    with pytest.raises(ShapeError, match="esearch error"):
        pubmed.esearch_ids({"esearchresult": {"ERROR": "Invalid query"}})


def test_a_bracketed_translation_title_is_kept_as_pubmed_gives_it() -> None:
    article = articles("metapub__38048813.xml")["38048813"]
    assert article.title.startswith("[") and article.title.endswith("].")


def test_a_structured_abstract_keeps_each_label_before_its_part() -> None:
    # Recorded efetch (metapub 36987902): four AbstractText parts with Label attributes.
    article = articles("metapub__36987902.xml")["36987902"]
    parts = article.abstract.split("\n")
    assert [p.split(":")[0] for p in parts] == [
        "BACKGROUND",
        "MATERIAL AND METHOD",
        "RESULTS",
        "INTERPRETATION",
    ]
    assert parts[0].startswith("BACKGROUND: The number of burn patients over the age of 75")


def test_mesh_descriptor_names_are_read_in_order_without_qualifiers() -> None:
    article = articles("metapub__36987902.xml")["36987902"]
    assert article.mesh_headings[:4] == ("Male", "Humans", "Female", "Burn Units")
    assert "Frailty" in article.mesh_headings
    record = pubmed.record_from("36987902", None, article)
    assert record is not None
    assert record.abstract == article.abstract
    assert record.mesh_headings == article.mesh_headings


def test_markup_inside_an_abstract_keeps_its_text() -> None:
    # Recorded efetch (biopython pubmed4): <i>TERT</i> inside; "r2<0.25" is text, kept.
    article = articles("biopython__pubmed4.xml")["27797938"]
    assert "telomerase reverse transcriptase (TERT) gene" in article.abstract
    assert "<i>" not in article.abstract and "r2<0.25" in article.abstract


def test_an_article_without_abstract_or_mesh_has_empty_ones() -> None:
    article = articles("metapub__37909814.xml")
    assert article == {}
    built = pubmed.parse_article(ET.fromstring(efetch_article("123")))
    assert built.abstract == ""
    assert built.mesh_headings == ()
