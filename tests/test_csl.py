"""CSL-JSON items: valid CSL data that citeproc-py reads without a warning."""

from __future__ import annotations

import json
import warnings
from collections.abc import Callable
from pathlib import Path

import jsonschema
import pytest
from citeproc.source.json import CiteProcJSON

import proloevidence
from proloevidence.model import Author, Reference
from proloevidence.publish.csl_items import (
    csl_pages,
    has_et_al,
    item_from_record,
    item_from_reference,
    item_year,
)
from proloevidence.verification import Record

from .csl_references import VARIED

SCHEMA = json.loads((Path(__file__).parent / "fixtures" / "csl-data.json").read_text("utf-8"))


def assert_valid_csl_json(items: list[dict]) -> None:
    """Every item valid against the CSL-JSON schema (additionalProperties false: no invented
    variable), and read by citeproc-py without a warning."""
    errors = [
        f"{list(e.absolute_path)}: {e.message}"
        for e in jsonschema.Draft7Validator(SCHEMA).iter_errors(items)
    ]
    assert errors == []
    with warnings.catch_warnings():
        warnings.simplefilter("error")  # an unknown variable would warn
        # (as csl_render gives them to citeproc-py: no custom, CSL 1.0.1's "event")
        CiteProcJSON([_as_citeproc_py_reads(item) for item in items])


def _as_citeproc_py_reads(item: dict) -> dict:
    data = {k: v for k, v in item.items() if k != "custom"}
    if "event-title" in data:
        data["event"] = data.pop("event-title")
    return data


def test_every_bundled_reference_is_csl_data_citeproc_accepts() -> None:
    items = [item_from_reference(r) for r in proloevidence.load().references.values()]
    assert_valid_csl_json(items)
    for item in items:
        assert item["issued"] == {"date-parts": [[item_year(item)]]}
    assert len(items) == 5


def test_reference_fields_map_to_csl_variables() -> None:
    kim = proloevidence.load().reference("kim2010")
    item = item_from_reference(kim, journal_abbrev="Pain Physician")
    assert item == {
        "id": "kim2010",
        "type": "article-journal",
        "author": [
            {"family": "Kim", "given": "W. M."},
            {"family": "Lee", "given": "H. G."},
            {"family": "Jeong", "given": "C. W."},
        ],
        "title": kim.title,
        "container-title": "Pain Physician",
        "container-title-short": "Pain Physician",
        "issued": {"date-parts": [[2010]]},
        "volume": "13",
        "issue": "4",
        "page": "363-370",
        "PMID": "20648206",
        # The printed "et al." is a flag, never a person named "et al.".
        "custom": {"et-al": True},
    }
    assert has_et_al(item)


def test_organisations_types_and_extra_fields() -> None:
    reference = Reference(
        key="who2020",
        entry_type="book",
        authors=(Author("World Health Organization", literal=True),),
        title="Guidelines",
        year=2020,
        extra={"publisher": "WHO", "address": "Geneva", "isbn": "978-92-4-000000-0"},
    )
    item = item_from_reference(reference)
    assert item["type"] == "book"
    assert item["author"] == [{"literal": "World Health Organization"}]
    assert (item["publisher"], item["publisher-place"], item["ISBN"]) == (
        "WHO",
        "Geneva",
        "978-92-4-000000-0",
    )
    assert item_from_reference(Reference(key="x", entry_type="weird"))["type"] == "document"


@pytest.mark.parametrize(
    ("pages", "expected"),
    [
        ("65–80", "65-80"),
        ("65--80", "65-80"),
        ("363-70", "363-370"),
        ("8157910", "8157910"),
        ("e123-e130", "e123-e130"),
        ("1199-1203", "1199-1203"),
    ],
)
def test_pages_are_written_in_full_with_a_hyphen(pages: str, expected: str) -> None:
    assert csl_pages(pages) == expected


def test_records_keep_the_cited_key() -> None:
    record = Record(
        source="crossref",
        title="T",
        authors=(Author("Kim", "Won Min"),),
        journal="Pain physician",
        journal_abbrev="Pain Physician",
        issn=("1533-3159",),
        year=2010,
        issue="4",
        pages="363-70",
    )
    item = item_from_record("kim2010", record)
    assert item["id"] == "kim2010" and item["issue"] == "4" and item["page"] == "363-370"
    assert item["container-title-short"] == "Pain Physician" and item["ISSN"] == "1533-3159"


def test_remote_text_becomes_one_line_without_control_characters() -> None:
    # Every output (Markdown, reST, RIS, BibTeX, CSL-JSON) starts from these items.
    record = Record(
        source="crossref",
        title="A title\nER  - \x1b[2Jcleared",
        authors=(Author("O\x07Brien", "J\x1b[31m"), Author("Acme\x00 Labs", literal=True)),
        journal="J\tPain",
    )
    item = item_from_record("key", record)
    assert item["title"] == "A title ER - [2Jcleared"
    assert item["author"] == [{"family": "OBrien", "given": "J[31m"}, {"literal": "Acme Labs"}]
    assert item["container-title"] == "J Pain"


def varied_items() -> dict[str, dict]:
    return {r.key: item_from_reference(r) for r in VARIED}


def test_varied_references_are_valid_csl_json() -> None:
    assert_valid_csl_json(list(varied_items().values()))


def test_name_parts_each_in_their_own_field() -> None:
    items = varied_items()
    berg, smith, lee = items["berg2019"]["author"]
    # The loader's "van der Berg, Jr." and a page's "John Jr.": neither a suffix in the
    # given name (it would print as an initial) nor a particle in the family name.
    assert berg == {
        "non-dropping-particle": "van der",
        "family": "Berg",
        "given": "Jan",
        "suffix": "Jr.",
    }
    assert smith == {"family": "Smith", "given": "John", "suffix": "Jr."}
    assert lee == {"family": "Lee", "given": "Min-jun"}
    # A compound family name keeps its inner particle; an organisation is one literal.
    assert items["ortiz2021"]["author"] == [
        {"family": "Ortiz de la Cruz", "given": "María"},
        {"literal": "World Health Organization"},
    ]


def test_editors_and_translators_are_names() -> None:
    chapter = varied_items()["rabago2013"]
    assert chapter["type"] == "chapter" and chapter["container-title"] == "Integrative Medicine"
    assert chapter["editor"] == [
        {"family": "Rakel", "given": "David"},
        {"family": "Gogh", "given": "Vincent", "non-dropping-particle": "van"},
    ]
    assert chapter["translator"] == [
        {"family": "Souza", "given": "Ana", "non-dropping-particle": "de"}
    ]
    assert all(n.get("literal") != "others" for n in chapter["editor"])


def test_printed_et_al_is_a_flag_never_a_person() -> None:
    item = varied_items()["berg2019"]
    assert has_et_al(item) and item["custom"] == {"et-al": True}
    assert all("et al" not in json.dumps(name) for name in item["author"])


@pytest.mark.parametrize(
    ("extra", "year", "parts"),
    [
        ({"month": "jan"}, 2020, [2020, 1]),
        ({"month": "January"}, 2020, [2020, 1]),
        ({"month": "1"}, 2020, [2020, 1]),
        ({"month": "Sept."}, 2020, [2020, 9]),
        ({"month": "mar", "day": "4"}, 2020, [2020, 3, 4]),
        ({"month": "spring"}, 2020, [2020]),
        ({"date": "2020-03-04"}, 2020, [2020, 3, 4]),
        ({"date": "2020-03"}, 2020, [2020, 3]),
    ],
)
def test_issued_keeps_month_and_day(extra: dict, year: int, parts: list[int]) -> None:
    item = item_from_reference(Reference(key="x", year=year, extra=extra))
    assert item["issued"] == {"date-parts": [parts]}


def test_biblatex_date_ranges_and_access_dates() -> None:
    item = item_from_reference(
        Reference(key="x", year=2020, extra={"date": "2020/2021", "urldate": "2024-01-15"})
    )
    assert item["issued"] == {"date-parts": [[2020], [2021]]}
    assert item["accessed"] == {"date-parts": [[2024, 1, 15]]}
    odd = item_from_reference(Reference(key="y", extra={"urldate": "last week"}))
    assert odd["accessed"] == {"raw": "last week"}  # kept for the processor, not dropped


def test_every_entry_type_has_its_csl_type_and_fields() -> None:
    items = varied_items()
    book = items["hackett1958"]
    assert (book["type"], book["edition"], book["collection-title"]) == (
        "book",
        "3",
        "American Lecture Series",
    )
    assert book["collection-number"] == "12" and "issue" not in book  # number beside series
    conference = items["reeves2000"]
    assert conference["type"] == "paper-conference"
    assert (conference["container-title"], conference["publisher"]) == (
        "Proceedings of the Annual Meeting",
        "AAOM",
    )
    assert conference["issued"] == {"date-parts": [[2000, 10]]}
    phd, masters = items["patterson2020"], items["kim2018"]
    assert (phd["type"], phd["genre"], phd["publisher"]) == (
        "thesis",
        "PhD thesis",
        "University of Wisconsin",
    )
    assert masters["genre"] == "Master's thesis"
    report = items["ahrq2011"]
    assert (report["type"], report["number"], report["genre"], report["publisher"]) == (
        "report",
        "11-EHC008",
        "Technical Brief",
        "AHRQ",
    )
    web = items["nhs2023"]
    assert web["type"] == "webpage" and web["accessed"] == {"date-parts": [[2024, 1, 15]]}
    preprint = items["chen2022"]
    assert (preprint["type"], preprint["number"], preprint["publisher"]) == (
        "article",
        "arXiv:2201.01234",
        "arXiv",
    )
    assert items["data2021"]["type"] == "dataset" and items["data2021"]["version"] == "2"
    assert items["tool2020"]["type"] == "software"
    assert items["patent2015"]["type"] == "patent"
    assert items["patent2015"]["number"] == "US 9,000,000"
    article = items["ortiz2021"]
    assert article["number"] == "1234" and "page" not in article  # eid: the article number
    assert items["berg2019"]["language"] == "en"  # babel's "english" as a BCP 47 tag


def test_latex_kept_by_the_loader_becomes_rich_text() -> None:
    reference = Reference(
        key="x",
        entry_type="incollection",
        title="The DNA of E. coli",
        extra={"booktitle": "Studies in Aristotle", "series": "LNCS", "subtitle": "A Study"},
        latex={
            "title": r"The {DNA} of \emph{E. coli}",
            "booktitle": r"Studies in {Aristotle}",
            "subtitle": r"A \textsc{Study}",
        },
    )
    item = item_from_reference(reference)
    assert item["title"] == (
        'The <span class="nocase">DNA</span> of <i>E. coli</i>: '
        'A <span style="font-variant:small-caps;">Study</span>'
    )
    assert item["container-title"] == 'Studies in <span class="nocase">Aristotle</span>'
    assert item["collection-title"] == "LNCS"  # no LaTeX kept: the decoded value
    # LaTeX the converter refuses (nested too deep to be a title) gives the decoded value.
    deep = "{" * 80 + "DNA" + "}" * 80
    refused = item_from_reference(Reference(key="z", title="DNA", latex={"title": deep}))
    assert refused["title"] == "DNA"
    # Without the LaTeX, the decoded title is all there is (a reference built in code).
    plain = item_from_reference(Reference(key="y", title="The {DNA} of E. coli"))
    assert plain["title"] == "The {DNA} of E. coli"


def test_howpublished_names_the_publisher_unless_it_is_a_link() -> None:
    def item(**extra: str) -> dict:
        return item_from_reference(Reference(key="x", entry_type="misc", extra=extra))

    assert item(howpublished="medRxiv")["publisher"] == "medRxiv"  # as pandoc reads it
    assert item(howpublished="medRxiv", publisher="CSHL")["publisher"] == "CSHL"
    linked = item(howpublished="\\url{https://example.org/x}")
    assert "publisher" not in linked and linked["URL"] == "https://example.org/x"


def test_math_left_by_the_loader_becomes_unicode_and_markup() -> None:
    item = varied_items()["ortiz2021"]
    assert item["title"] == "Serum α-synuclein and H<sub>2</sub>O<sub>2</sub> at p<0.05"


def test_biblatex_types_and_subtypes() -> None:
    def kind(entry_type: str, **extra: str) -> str:
        return str(
            item_from_reference(Reference(key="k", entry_type=entry_type, extra=extra))["type"]
        )

    assert kind("article", entrysubtype="newspaper") == "article-newspaper"
    assert kind("online", eprint="2101.1", eprinttype="arxiv") == "article"
    assert kind("inreference") == "entry-encyclopedia"
    assert kind("mvbook") == kind("collection") == kind("proceedings") == "book"
    assert kind("standard") == "standard" and kind("unpublished") == "manuscript"


def test_real_bibliography_slips_are_read_as_meant() -> None:
    # "Sherry, John F., Jr." (given and suffix swapped for BibTeX's "Last, Jr, First"), an
    # arXiv eprint without its eprinttype, a range of months, Mendeley's and ACM's types.
    swapped = Reference(
        key="s",
        entry_type="web_page",
        authors=(Author("Sherry, John F.", "Jr."),),
        year=2005,
        extra={"month": "Jan.-March", "eprint": "1206.3249"},
    )
    item = item_from_reference(swapped)
    assert item["author"] == [{"family": "Sherry", "given": "John F.", "suffix": "Jr."}]
    assert item["type"] == "article" and item["number"] == "arXiv:1206.3249"
    assert item["issued"] == {"date-parts": [[2005, 1], [2005, 3]]}
    assert item_from_reference(Reference(key="a", entry_type="artifactdataset"))["type"] == (
        "dataset"
    )
    editors = item_from_reference(Reference(key="e", extra={"editor": "Sherry, John F., Jr."}))
    assert editors["editor"] == [{"family": "Sherry", "given": "John F.", "suffix": "Jr."}]


def test_publication_state_and_event_fields() -> None:
    item = item_from_reference(
        Reference(
            key="talk",
            entry_type="inproceedings",
            year=2024,
            extra={
                "pubstate": "inpress",
                "eventtitle": "Annual Meeting",
                "venue": "Vienna",
                "eventdate": "2024-05-02/2024-05-04",
            },
        )
    )
    assert item["status"] == "in press"  # biblatex's key as the words CSL prints
    assert (item["event-title"], item["event-place"]) == ("Annual Meeting", "Vienna")
    assert item["event-date"] == {"date-parts": [[2024, 5, 2], [2024, 5, 4]]}
    assert_valid_csl_json([item])


def test_varied_set_matches_its_golden_csl_json(golden: Callable[[str, str], None]) -> None:
    # Every variable of every item, reviewed once: any change to the mapping shows here.
    items = [item_from_reference(r) for r in VARIED]
    golden("csl/varied.json", json.dumps(items, ensure_ascii=False, indent=2) + "\n")
