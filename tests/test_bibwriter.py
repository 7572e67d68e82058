from __future__ import annotations

from hypothesis import given, settings
from hypothesis import strategies as st

from proloevidence.kb.bib_reader import parse_references
from proloevidence.kb.bib_writer import format_references, latex_escape
from proloevidence.model import Author, Reference

WU = Reference(
    key="wu2017",
    authors=(Author("Wu", "Y. T."), Author("Ke", "M. J.")),
    et_al=True,
    title="Dextrose injection for chronic musculoskeletal pain: a narrative review",
    journal="Pain Research & Management",
    year=2017,
    volume="2017",
    pages="8157910",
    doi="10.1155/2017/8157910",
    page_number=5,
    printed="Wu YT, Ke MJ, et al. Dextrose injection ... Pain Research & Management. 2017.",
)


def test_written_entry_reads_back_field_for_field() -> None:
    text = format_references([WU])
    parsed = parse_references(text)
    assert parsed.problems == []
    assert parsed.references == [WU]
    assert "journal   = {Pain Research \\& Management}," in text


def test_en_dash_page_ranges_are_written_as_double_hyphens() -> None:
    ref = Reference(key="r", pages="65–80", printed="... 2010;37(1):65–80.")
    text = format_references([ref])
    assert "pages   = {65--80}" in text
    assert parse_references(text).references[0].pages == "65–80"
    assert parse_references(text).references[0].printed == "... 2010;37(1):65–80."
    odd = Reference(key="r", pages="1-–2--3")
    assert parse_references(format_references([odd])).references[0].pages == "1-–2--3"


def test_organisations_and_comments() -> None:
    ref = Reference(
        key="who2015",
        entry_type="misc",
        authors=(
            Author("World Health Organization and Friends", literal=True),
            Author("Kim, Jr", "W. and M."),
        ),
    )
    text = format_references([ref], {"who2015": ["editor: check this @ once\nplease"]})
    assert "% editor: check this (at) once please\n@misc{who2015," in text
    assert parse_references(text).references[0].authors == ref.authors


def test_escape_breaks_ligatures() -> None:
    assert latex_escape("a--b ``q'' ?` 50% $5 #1 a_b ~ {x} \\") == (
        "a-{}-b `{}`q'{}' ?{}` 50\\% \\$5 \\#1 a\\_b \\textasciitilde{} \\{x\\} \\textbackslash{}"
    )


# Text as a page could print it: any printable character, single spaces, no edge spaces.
values = st.text(
    alphabet=st.characters(blacklist_categories=("Cc", "Cs", "Zl", "Zp", "Co", "Cn", "Zs")),
    max_size=60,
).map(lambda s: s.strip())
spaced = st.lists(values, max_size=4).map(" ".join).map(lambda s: " ".join(s.split()))


@settings(max_examples=300, deadline=None)
@given(spaced, spaced, spaced, spaced, st.lists(st.tuples(spaced, spaced), max_size=3))
def test_any_text_round_trips(
    title: str, journal: str, printed: str, pages: str, names: list[tuple[str, str]]
) -> None:
    authors = tuple(Author(f, g) for f, g in names if f and g)
    ref = Reference(
        key="k1",
        authors=authors,
        title=title,
        journal=journal,
        pages=pages,
        printed=printed,
        page_number=1,
    )
    parsed = parse_references(format_references([ref]))
    assert parsed.problems == []
    back = parsed.references[0]
    assert (back.title, back.journal, back.printed, back.pages) == (title, journal, printed, pages)
    assert back.authors == authors
