from __future__ import annotations

from proloevidence.kb.bib_reader import parse_references, read_references
from proloevidence.kb.knowledge_base import bundled_path


def codes(parsed) -> list[str]:
    return [p.code for p in parsed.problems]


def test_bundled_references_are_transcribed_as_printed() -> None:
    parsed = read_references(bundled_path() / "references.bib")
    assert parsed.problems == []
    refs = {r.key: r for r in parsed.references}
    assert list(refs) == ["rabago2010", "kim2010", "hauser2016", "duman2012", "wu2017"]
    rabago = refs["rabago2010"]
    assert [str(a) for a in rabago.authors] == ["Rabago D", "Slattengren A", "Zgierska A"]
    assert rabago.journal == "Primary Care"  # as printed, not the NLM abbreviation
    assert (rabago.year, rabago.volume, rabago.number) == (2010, "37", "1")
    assert rabago.pages == "65–80"  # LaTeX "--" decoded to an en dash
    assert rabago.doi == "10.1016/j.pop.2009.09.013"
    assert rabago.page_number == 1
    assert rabago.printed.startswith("Rabago D, Slattengren A, Zgierska A. Prolotherapy")
    kim = refs["kim2010"]
    assert kim.pmid == "20648206" and kim.doi is None and kim.et_al
    assert refs["hauser2016"].doi == "10.4137/CMAMD.S39160"  # case kept as printed
    assert refs["wu2017"].journal == "Pain Research & Management"  # \& decoded


def test_latex_is_decoded() -> None:
    parsed = parse_references("@article{a, title={M{\\\"u}ller's {\\'e}tude}, year={2001}}")
    assert parsed.references[0].title == "Müller's étude"


def test_syntax_error_names_the_line() -> None:
    text = "@article{ok, title={A}, year={2001}}\n\n@article{broken, title = {unclosed\n"
    parsed = parse_references(text, "refs.bib")
    assert codes(parsed) == ["bibtex-syntax"]
    assert str(parsed.problems[0].location) == "refs.bib:3"
    assert [r.key for r in parsed.references] == ["ok"]


def test_syntax_error_says_where_parsing_stopped_and_which_entry() -> None:
    text = "@article{ok, title={A}}\n\n@article{broken,\n  title = {A},\n  year {2001}\n}\n"
    parsed = parse_references(text, "refs.bib")
    (problem,) = parsed.problems
    assert str(problem.location) == "refs.bib:3"
    assert problem.message == (
        "entry 'broken' cannot be parsed: at line 5, expected a '=' after a field name, "
        "but found '{'"
    )
    assert parsed.unparsed == ["broken"]


def test_a_missing_comma_between_fields_is_found() -> None:
    # bibtexparser reads the two lines as one value: volume "37\n  number = 1".
    text = "@article{a,\n  volume = {37}\n  number = {1},\n  year = {2001},\n}\n"
    parsed = parse_references(text, "r.bib")
    (problem,) = parsed.problems
    assert problem.code == "bibtex-syntax" and problem.location.line == 2
    assert "'volume' of 'a' runs on into 'number = ...': a comma is missing" in problem.message


def test_duplicate_key_and_duplicate_field() -> None:
    text = "@article{a, title={A}}\n@article{a, title={B}}\n@article{b, title={x}, title={y}}\n"
    parsed = parse_references(text, "r.bib")
    assert sorted(codes(parsed)) == ["duplicate-field", "duplicate-key"]
    lines = sorted(p.location.line for p in parsed.problems)
    assert lines == [2, 3]


def test_unknown_field_is_reported_with_a_suggestion() -> None:
    parsed = parse_references("@article{a,\n  title={A},\n  dio={10.1/x}\n}\n", "r.bib")
    (problem,) = parsed.problems
    assert problem.code == "unknown-field" and problem.location.line == 3
    assert "'doi'" in problem.hint


def test_malformed_identifiers() -> None:
    text = "@article{a,\n doi={10.1/x},\n pmid={12a},\n pmcid={XYZ}\n}\n"
    parsed = parse_references(text, "r.bib")
    assert codes(parsed) == ["bad-doi", "bad-pmid", "bad-pmcid"]
    assert [p.location.line for p in parsed.problems] == [2, 3, 4]


def test_two_entries_with_one_doi_or_pmid() -> None:
    text = (
        "@article{a, doi={10.1000/ABC}, pmid={123}}\n"
        "@article{b, doi={10.1000/abc}}\n"
        "@article{c, pmid={123}}\n"
    )
    parsed = parse_references(text, "r.bib")
    assert codes(parsed) == ["duplicate-identifier", "duplicate-identifier"]
    assert "'a'" in parsed.problems[0].message and "'b'" in parsed.problems[0].message


def test_unreadable_file_is_a_problem(tmp_path) -> None:
    parsed = read_references(tmp_path / "missing.bib")
    assert codes(parsed) == ["unreadable"]
    assert "missing.bib" in str(parsed.problems[0])


def test_names_keep_their_braces_and_are_decoded() -> None:
    # Braces keep an organisation (even one with "and" in it) one name; LaTeX in names
    # is decoded after the names are split.
    parsed = parse_references(
        "@article{a, author = {{World Health Organization and Partners} and "
        'M{\\"u}ller, H. and {Kim, Jr}, W. and others}, year={2001}}'
    )
    ref = parsed.references[0]
    assert parsed.problems == []
    assert [(a.family, a.given, a.literal) for a in ref.authors] == [
        ("World Health Organization and Partners", "", True),
        ("Müller", "H.", False),
        ("Kim, Jr", "W.", False),
    ]
    assert ref.et_al


TRICKY = r"""
@string{pr = "Pain Research \& Management"}
@article{a, author = {M{\"u}ller, W. M. and von der Leyen, Ursula and Doe, Jr., John and others},
  title = {{MRI} in {\O}stergaard's cohort --- a 10--20\% effect}, journal = pr, year = 2001}
@article{b, author = {{Barnes and Noble, Inc.} and Nu{\~n}ez, A.},
  editor = {Smith, A. and Jones, B.}, title = "Quoted ``title''", pages = {65--80}}
@article{c, author = {Too, Many, Commas, Here}, title = {x}}
@article{d, author = {Unclosed {brace}, title = {y}}
@article{e, author = {Kim, W. M. and Kim, W. M.}, translator = {Lee, H.}, title = {$x^2$ \emph{y}}}
@article{f, title = {caf\'e}, note = {100\% ~ sure}}
"""


def _blocks(library):
    entries = [(e.key, [(f.key, f.value) for f in e.fields], e.start_line) for e in library.entries]
    failed = [(type(b).__name__, b.start_line) for b in library.failed_blocks]
    return entries, failed


def test_one_pass_middleware_gives_bibtexparsers_result() -> None:
    from bibtexparser import middlewares
    from bibtexparser.entrypoint import parse_string

    from proloevidence.kb import bib_reader as bibfile

    bundled = (bundled_path() / "references.bib").read_text(encoding="utf-8")
    results = []
    for text in (TRICKY, bundled):
        stock = parse_string(
            text,
            append_middleware=[
                middlewares.SeparateCoAuthors(),
                middlewares.SplitNameParts(),
                middlewares.LatexDecodingMiddleware(),
            ],
        )
        ours = parse_string(text, append_middleware=[bibfile._MIDDLEWARE])
        # One difference on purpose: a name that cannot be split keeps its entry (c).
        stock_entries, stock_failed = _blocks(stock)
        our_entries, our_failed = _blocks(ours)
        assert [e for e in our_entries if e[0] != "c"] == stock_entries
        assert our_failed == [f for f in stock_failed if f[0] != "MiddlewareErrorBlock"]
        results.append((our_entries, our_failed))
    # The tricky text exercises the error paths too: a name that cannot be split (kept as
    # printed), a block that cannot be parsed.
    assert [t for t, _ in results[0][1]] == ["ParsingFailedBlock"]
    (c,) = [fields for key, fields, _ in results[0][0] if key == "c"]
    assert [(n.first, n.last) for n in c[0][1]] == [([], ["Too, Many, Commas, Here"])]
