"""crossref and xdata inheritance (kb/bib_inheritance.py), through parse_references."""

from __future__ import annotations

from pathlib import Path

from proloevidence.kb.bib_reader import parse_references
from proloevidence.kb.knowledge_base import load, validate

CROSSREF = """\
@inproceedings{child, author = {Smith, Anna}, title = {Child Paper}, pages = {1--10},
  crossref = {Proc2020}}
@proceedings{proc2020, editor = {Doe, Jane}, title = {Proceedings of Tests},
  subtitle = {The Subtitle}, shorttitle = {ProcT}, year = {2020}, publisher = {ACM},
  ids = {procalias}, location = {Berlin}}
@inbook{chapter, title = {Chapter}, crossref = {procalias}}
@article{art, title = {A}, crossref = {per}}
@periodical{per, title = {Journal of Tests}, year = {1999}}
"""


def test_crossref_inherits_with_biblatex_default_rules() -> None:
    parsed = parse_references(CROSSREF)
    refs = {r.key: r for r in parsed.references}
    child = refs["child"]
    # The parent's title is the child's booktitle (its own title stays); the key is found
    # case-folded; ids, crossref and shorttitle are not inherited.
    assert child.title == "Child Paper" and child.year == 2020
    assert child.extra["booktitle"] == "Proceedings of Tests"
    assert child.extra["booksubtitle"] == "The Subtitle"
    assert child.extra["editor"] == "Doe, Jane" and child.extra["publisher"] == "ACM"
    assert child.extra["location"] == "Berlin"
    assert "shorttitle" not in child.extra and "ids" not in child.extra
    # A @proceedings parent of an @inbook: no rule maps the title, so it is not the title
    # of the chapter either (the child has its own); found through an ids alias.
    assert refs["chapter"].title == "Chapter" and refs["chapter"].year == 2020
    assert refs["art"].journal == "Journal of Tests" and refs["art"].year == 1999
    assert parsed.problems == []


XDATA = """\
@xdata{pub, ids = {pubalias}, publisher = {Macmillan}}
@xdata{loc, location = {New York}, xdata = {pubalias}}
@book{b1, author = {Ellington, Edward}, title = {T}, date = {2007}, xdata = {loc, nothere}}
@book{b2, title = {T2}, publisher = {Routledge}, xdata = {loc}}
@book{b3, title = {T3}, xdata = {l1}}
@xdata{l1, xdata = {l2}}
@xdata{l2, xdata = {l1}, note = {N}}
"""


def test_xdata_is_inherited_nested_and_an_entry_keeps_its_own_fields() -> None:
    parsed = parse_references(XDATA, "x.bib")
    refs = {r.key: r for r in parsed.references}
    assert sorted(refs) == ["b1", "b2", "b3"]  # @xdata entries are no references
    assert refs["b1"].extra["publisher"] == "Macmillan"
    assert refs["b1"].extra["location"] == "New York"
    assert refs["b2"].extra["publisher"] == "Routledge"
    messages = sorted((p.code, p.severity.value, p.line, p.message) for p in parsed.problems)
    assert messages == [
        ("bad-inheritance", "warning", 3, "xdata of 'b1' names 'nothere', which no entry has"),
        ("bad-inheritance", "warning", 6, "inheritance loop b3 -> l1 -> l2 -> l1: not followed"),
    ]


BIBLIOGRAPHIES = Path(__file__).parent / "fixtures" / "bibliographies"


def test_the_real_files_inherit_what_biber_gives() -> None:
    # The loader's half of test_real_bibliographies' crossref and xdata tests (their CSL-JSON
    # half waits for the export of editors, places and notes).
    text = (BIBLIOGRAPHIES / "biblatex-examples.bib").read_text(encoding="utf-8")
    space = {r.key: r for r in parse_references(text).references}["westfahl:space"]
    assert space.title == "The True Frontier" and space.year == 2000
    assert space.extra["booktitle"] == "Space and Beyond"
    assert space.extra["editor"] == "Westfahl, Gary"
    assert space.extra["publisher"] == "Greenwood"
    text = (BIBLIOGRAPHIES / "biber-xdata.bib").read_text(encoding="utf-8")
    refs = {r.key: r for r in parse_references(text).references}
    assert {k: refs["xd1"].extra[k] for k in ("publisher", "location", "note")} == {
        "publisher": "Macmillan",
        "location": "New York and London",
        "note": "A Note",
    }
    assert refs["xd2"].extra["publisher"] == "Routledge"
    assert refs["xd2"].extra["location"] == "New York and London"


DATED = r"""
@collection{book, title = {The {DNA} Book}, year = {2001}, month = {jun}}
@incollection{dated, title = {Dated Chapter}, crossref = {book}, date = {2020-03-04}}
@incollection{undated, title = {Undated Chapter}, crossref = {book}}
@collection{newbook, title = {New Book}, date = {2019-05}}
@incollection{yeared, title = {Yeared Chapter}, crossref = {newbook}, year = {2018}}
"""


def test_a_childs_own_date_or_year_keeps_the_parents_out_and_latex_is_inherited() -> None:
    refs = {r.key: r for r in parse_references(DATED).references}
    # biber splits a date into year, month and day before inheriting.
    assert refs["dated"].year == 2020 and "month" not in refs["dated"].extra
    assert refs["undated"].year == 2001 and refs["undated"].extra["month"] == "jun"
    assert refs["yeared"].year == 2018 and "date" not in refs["yeared"].extra
    # The parent's title is the child's booktitle, with the LaTeX it was written in.
    assert refs["dated"].extra["booktitle"] == "The DNA Book"
    assert refs["dated"].latex == {"booktitle": "The {DNA} Book"}


CLAIMS = (
    "schema: 1\ndocument:\n  id: page\nclaims:\n  - id: only\n    section: [S]\n"
    "    kind: scope\n    text: A statement.\n    marker: '(1)'\n"
    "    citations:\n      - {ref: child, relation: supports}\n"
)


def folder_of(tmp_path: Path, **files: str) -> Path:
    for name, text in files.items():
        (tmp_path / f"{name}.bib").write_text(text, encoding="utf-8")
    (tmp_path / "claims.yaml").write_text(CLAIMS, encoding="utf-8")
    return tmp_path


def test_a_crossref_parent_in_another_bib_file_of_the_folder_is_inherited(
    tmp_path: Path,
) -> None:
    # biber reads every data source before inheriting: a DBLP-style proceedings.bib beside
    # references.bib gives its child the booktitle, editor and year.
    folder = folder_of(
        tmp_path,
        references="@string{pub = {Springer}}\n"
        "@inproceedings{child, author = {Smith, John}, title = {T}, pages = {1--2},\n"
        "  crossref = {DBLP:Proc}}\n"
        "@article{broken, title = {no closing brace}\n",
        proceedings="\n\n@proceedings{dblp:proc, title = {Proceedings of Pain},\n"
        "  editor = {Brown, Carl}, year = {2019}, publisher = {Springer}}\n"
        "@article{dup, title = {A}}\n@article{dup, title = {B}}\n",
    )
    kb = load(folder, cache=False)
    child = kb.reference("child")
    assert child.extra["booktitle"] == "Proceedings of Pain"
    assert child.extra["editor"] == "Brown, Carl"
    assert child.year == 2019 and child.pages == "1–2"
    assert child.location is not None and child.location.file.endswith("references.bib")
    problems = [(Path(p.file).name, p.line, p.code) for p in validate(folder)]
    assert ("references.bib", 1, "bad-inheritance") not in problems
    # references.bib's own problems keep their lines; proceedings.bib's are its own.
    assert ("references.bib", 4, "bibtex-syntax") in [(f, n, c) for f, n, c in problems]
    assert [p for p in problems if p[0] == "references.bib" and p[1] > 4] == []
    assert ("proceedings.bib", 6, "duplicate-key") in problems


def test_a_parent_no_file_has_still_warns_and_xdata_says_where_to_put_it(
    tmp_path: Path,
) -> None:
    folder = folder_of(
        tmp_path,
        references="@inproceedings{child, author = {Smith, John}, title = {T},\n"
        "  crossref = {nowhere}, xdata = {pub}}\n",
        other="@xdata{pub, publisher = {Springer}}\n@book{b, title = {B}}\n",
    )
    messages = sorted(str(p) for p in validate(folder) if p.code == "bad-inheritance")
    assert len(messages) == 2
    assert "crossref of 'child' names 'nowhere', which no entry has" in messages[0]
    assert "xdata of 'child' names 'pub', which no entry has" in messages[1]
    assert "move 'pub' here" in messages[1]
