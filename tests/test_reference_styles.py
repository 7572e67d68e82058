"""Reference lists in the numbered styles journals print (importing/reference_styles.py and the
Vancouver/AMA reader): PLoS/BMC, IEEE, organisations as authors, identifiers anywhere, years
only where the style prints them. Entries are our own, written in each style's shape.

A URL here is text inside a printed reference, never requested.
"""

from __future__ import annotations

import pytest

from proloevidence.importing.reference_parser import parse_reference
from proloevidence.model import Author


def test_plos_article() -> None:
    entry = parse_reference(
        "Okafor CN, Lindqvist E (2016) Dextrose versus saline for knee pain: a trial. "
        "Ann Fam Pract 14: 101–110."
    )
    assert entry.recognised and entry.entry_type == "article" and entry.missing == ()
    assert entry.authors == (Author("Okafor", "C. N."), Author("Lindqvist", "E."))
    assert (entry.title, entry.journal) == (
        "Dextrose versus saline for knee pain: a trial",
        "Ann Fam Pract",
    )
    assert (entry.year, entry.volume, entry.pages) == (2016, "14", "101–110")


def test_plos_et_al_issue_title_with_a_question_and_identifiers() -> None:
    entry = parse_reference(
        "Berg T, Nakamura H, Silva P, Chen L, Moore R, et al. (2008) Is dextrose safe in "
        "M. tuberculosis patients? PLoS Med 5(3): e210. doi:10.1371/journal.pmed.0050210. "
        "PMID: 18767901."
    )
    assert entry.et_al and len(entry.authors) == 5 and entry.authors[0].family == "Berg"
    assert entry.title == "Is dextrose safe in M. tuberculosis patients?"
    assert (entry.journal, entry.number, entry.pages) == ("PLoS Med", "3", "e210")
    assert (entry.doi, entry.pmid) == ("10.1371/journal.pmed.0050210", "18767901")


def test_plos_organisation_report_and_url_with_access_date() -> None:
    entry = parse_reference(
        "Department of Justice (2010) Two subsidiaries to pay $81 million. Available: "
        "http://www.justice.gov/opa/pr/2010/April/10-civ-500.html. Accessed 5 January 2011."
    )
    assert entry.authors == (Author("Department of Justice", literal=True),)
    assert (entry.year, entry.title) == (2010, "Two subsidiaries to pay $81 million")
    assert entry.url == "http://www.justice.gov/opa/pr/2010/April/10-civ-500.html"
    assert dict(entry.extra)["urldate"] == "2011-01-05"


def test_plos_author_that_no_name_pattern_reads_is_kept_whole() -> None:
    entry = parse_reference("US ex rel. Franklin v. Parke-Davis (1996) Civil Action 96-11651.")
    assert entry.authors == (Author("US ex rel. Franklin v. Parke-Davis", literal=True),)
    assert entry.year == 1996


def test_a_vancouver_title_with_a_year_in_parentheses_is_not_plos() -> None:
    entry = parse_reference("Kim WM. The knee trial (2010) revisited. J Pain. 2012;3:1-2.")
    assert entry.authors == (Author("Kim", "W. M."),) and entry.year == 2012


def test_ieee_article() -> None:
    entry = parse_reference(
        'J. E. Lawn, S. Cousens, and P. ten Hoope-Bender, "4 million neonatal deaths: when? '
        'Where? Why?," Lancet, vol. 365, no. 9462, pp. 891–900, Mar. 2005. doi: 10.1016/x.1.'
    )
    assert [a.family for a in entry.authors] == ["Lawn", "Cousens", "ten Hoope-Bender"]
    assert entry.authors[0].given == "J. E."
    assert entry.title == "4 million neonatal deaths: when? Where? Why?"
    assert (entry.journal, entry.volume, entry.number, entry.pages) == (
        "Lancet",
        "365",
        "9462",
        "891–900",
    )
    assert (entry.year, entry.doi) == (2005, "10.1016/x.1")


def test_ieee_et_al_and_online_with_the_year_before_online() -> None:
    entry = parse_reference(
        'R. E. Black et al., "Causes of child mortality in 2008," PLoS Medicine, vol. 7, '
        "pp. e1001002, 2010. [Online]. Available: http://example.org/p"
    )
    assert entry.et_al and entry.authors == (Author("Black", "R. E."),)
    assert entry.year == 2010  # not the 2008 of the title


def test_ieee_organisation_and_report() -> None:
    entry = parse_reference('United Nations, "The Goals Report 2010," New York: UN, 2011.')
    assert entry.authors == (Author("United Nations", literal=True),)
    assert (entry.title, entry.year, entry.journal) == ("The Goals Report 2010", 2011, "")


def test_ieee_without_authors() -> None:
    entry = parse_reference('"Trends in mortality: 1990 to 2008," Geneva: WHO, 2010.')
    assert (entry.authors, entry.title, entry.year) == (
        (),
        "Trends in mortality: 1990 to 2008",
        2010,
    )


def test_vancouver_group_before_personal_names() -> None:
    entry = parse_reference(
        "Genomes Project Consortium, Abecasis GR, Auton A, et al. An integrated map. "
        "Nature. 2012;491(7422):56-65. doi:10.1038/nature11632."
    )
    assert entry.authors[0] == Author("Genomes Project Consortium", literal=True)
    assert [a.family for a in entry.authors[1:]] == ["Abecasis", "Auton"] and entry.et_al
    assert (entry.year, entry.doi) == (2012, "10.1038/nature11632")


@pytest.mark.parametrize(
    ("printed", "year"),
    [
        # A report's year stands alone after its title, or after the publisher.
        ("World Health Organization. 2008–2013 Action Plan. 2008. http://who.int/plan.pdf.", 2008),
        ("American Heart Association. Statistics. 2009 Update, AHA; 2010. http://a.org/s.", 2010),
        ("Mind. My Choice: A Survey. 2002. Available from: http://www.mind.org.uk/x.htm", 2002),
        # A chapter or an article without a volume: "Year:Pages".
        ("Wilson AS, Tibbett M. Hair in the buried body. Soil Analysis. 2008:123-51.", 2008),
        # No year where a style prints one: none, not the one in the title.
        ("Notes on the 1990–2008 estimates, shared at a meeting", None),
    ],
)
def test_a_year_is_read_only_where_the_style_prints_it(printed: str, year: int | None) -> None:
    assert parse_reference(printed).year == year


def test_organisation_as_author_of_a_web_page() -> None:
    entry = parse_reference(
        "World Health Organization. Adherence to long-term therapies. 2003. "
        "http://apps.who.int/adherence. Accessed 25th March 2013."
    )
    assert entry.authors == (Author("World Health Organization", literal=True),)
    assert (entry.title, entry.year) == ("Adherence to long-term therapies", 2003)
    assert dict(entry.extra)["urldate"] == "2013-03-25"


def test_a_report_printed_as_author_title_issuer_year() -> None:
    entry = parse_reference(
        "NCBI Resource Coordinators. Database resources of the NCBI. Nucleic acids research. "
        "2014. http://dx.doi.org/10.1093/nar/gku1130."
    )
    assert entry.recognised and entry.authors == (
        Author("NCBI Resource Coordinators", literal=True),
    )
    assert (entry.title, entry.year, entry.doi) == (
        "Database resources of the NCBI",
        2014,
        "10.1093/nar/gku1130",
    )
    assert dict(entry.extra)["howpublished"] == "Nucleic acids research"


def test_an_organisation_whose_name_starts_with_a_dotted_acronym() -> None:
    entry = parse_reference(
        "U.S. General Accounting Office. Synar Amendment Implementation. Washington, DC: GAO; 1995."
    )
    assert entry.authors == (Author("U.S. General Accounting Office", literal=True),)
    assert (entry.title, entry.year) == ("Synar Amendment Implementation", 1995)
