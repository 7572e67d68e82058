"""Real bibliographies in, faithful reference lists out (issue 12, "Done when", first sentence).

Each file under fixtures/bibliographies/ is a real .bib from a public project (README.md there
gives its origin). A folder holding it as ``references.bib`` plus a one-statement
``claims.yaml`` must load (``check`` exits 0 or 1, never 2) and ``refs --format csl-json``
must list every entry bibtexparser v2 reads from it. The tests that fail today are marked
``xfail(strict=True)`` with the cause, so each flips to a failure (to be unmarked) when fixed.
The CLI runs in-process; nothing here touches the network.
"""

from __future__ import annotations

import json
from collections import Counter
from collections.abc import Iterator
from pathlib import Path

import bibtexparser
import pytest
from pytest_httpserver import HTTPServer

from proloevidence.cli import main

BIBLIOGRAPHIES = Path(__file__).parent / "fixtures" / "bibliographies"

# Files still refused (proloevidence check exits 2), with the cause; see README.md there.
REFUSED_TODAY: dict[str, str] = {}

BIB_FILES = sorted(BIBLIOGRAPHIES.glob("*.bib"))


@pytest.fixture(autouse=True)
def _services_on_loopback(
    httpserver: HTTPServer, monkeypatch: pytest.MonkeyPatch
) -> Iterator[None]:
    # The DOIs in these files are data (resolver links as exporters print them), never
    # fetched: check and refs work offline. Every service points at a loopback server
    # (pytest-httpserver), which must have received nothing when the test ends.
    base = httpserver.url_for("/").rstrip("/")
    for variable in ("CROSSREF", "DOI", "EUTILS"):
        monkeypatch.setenv(f"PROLOEVIDENCE_{variable}_URL", base)
    yield
    assert httpserver.log == []


def _with_xfail(reasons: dict[str, str]) -> list[object]:
    return [
        pytest.param(
            path,
            id=path.stem,
            marks=[pytest.mark.xfail(strict=True, reason=reasons[path.name])]
            if path.name in reasons
            else [],
        )
        for path in BIB_FILES
    ]


def run(capsys: pytest.CaptureFixture[str], *args: str) -> tuple[int, str, str]:
    code = main(list(args))
    out, err = capsys.readouterr()
    return code, out, err


def bibtexparser_keys(text: str) -> list[str]:
    """Keys of the entries bibtexparser v2 reads, as the reference list must hold them.

    ``library.entries`` holds no @string, @preamble or @comment, nor a block that failed
    (a repeated key among them); crossref parents are entries and count. @xdata entries are
    left out: they are data containers that biblatex never prints nor lets be cited.
    """
    library = bibtexparser.parse_string(text)
    return [e.key for e in library.entries if e.entry_type.lower() != "xdata"]


UNSOURCED = """\
schema: 1
document:
  id: page
claims:
  - id: only
    section: [Overview]
    kind: scope
    text: "This page reads its own bibliography."
    requires_support: false
    support_note: "A sentence about the page itself."
"""


def citing(key: str) -> str:
    return f"""\
schema: 1
document:
  id: page
claims:
  - id: only
    section: [Overview]
    kind: scope
    text: "This page cites one entry of its bibliography."
    marker: "(1)"
    citations:
      - {{ref: {json.dumps(key)}, relation: supports}}
"""


def kb_folder(tmp_path: Path, bib: str, claims: str = UNSOURCED) -> Path:
    folder = tmp_path / "kb"
    folder.mkdir()
    (folder / "references.bib").write_text(bib, encoding="utf-8")
    (folder / "claims.yaml").write_text(claims, encoding="utf-8")
    return folder


def csl_items(capsys: pytest.CaptureFixture[str], folder: Path, *extra: str) -> list[dict]:
    code, out, err = run(capsys, "refs", "--kb", str(folder), "--format", "csl-json", *extra)
    assert code == 0, err
    items: list[dict] = json.loads(out)
    return items


def by_id(items: list[dict]) -> dict[str, dict]:
    return {item["id"]: item for item in items}


# --- the corpus ------------------------------------------------------------------------------


def test_corpus_is_at_least_ten_documented_files() -> None:
    readme = (BIBLIOGRAPHIES / "README.md").read_text(encoding="utf-8")
    assert len(BIB_FILES) >= 10
    for path in BIB_FILES:
        assert f"`{path.name}`" in readme, f"{path.name} has no row in README.md"
        assert path.stat().st_size <= 300_000
        assert bibtexparser_keys(path.read_text(encoding="utf-8")), path.name


@pytest.mark.parametrize("path", _with_xfail(REFUSED_TODAY))
def test_check_loads_a_real_bibliography(
    capsys: pytest.CaptureFixture[str], tmp_path: Path, path: Path
) -> None:
    text = path.read_text(encoding="utf-8")
    first = next(key for key in bibtexparser_keys(text) if key)
    folder = kb_folder(tmp_path, text, citing(first))
    code, out, err = run(capsys, "check", "--kb", str(folder))
    assert code in (0, 1), (out + err)[:3000]


@pytest.mark.parametrize("path", _with_xfail(REFUSED_TODAY))
def test_refs_lists_every_entry_bibtexparser_reads(
    capsys: pytest.CaptureFixture[str], tmp_path: Path, path: Path
) -> None:
    text = path.read_text(encoding="utf-8")
    folder = kb_folder(tmp_path, text)
    listed = Counter(item["id"] for item in csl_items(capsys, folder))
    assert listed == Counter(bibtexparser_keys(text))


# --- fields: kept and ignored, a misspelling of a used one is a warning ----------------------

STANDARD_FIELDS = """\
@book{kept2019,
  author = {Smith, Anna},
  title = {Kept},
  subtitle = {Every Field},
  location = {Berlin},
  langid = {english},
  shorttitle = {Kept},
  translator = {Doe, Jane},
  annotation = {An annotation},
  related = {other2019},
  groups = {Reading},
  timestamp = {2019-01-01},
  owner = {anna},
  biburl = {https://dblp.org/rec/x.bib},
  bibsource = {dblp computer science bibliography, https://dblp.org},
  archiveprefix = {arXiv},
  primaryclass = {cs.DL},
  numpages = {12},
  articleno = {7},
  acmid = {123456},
  date = {2019},
  publisher = {Springer},
}
"""


def test_standard_and_exporter_fields_are_not_errors(
    capsys: pytest.CaptureFixture[str], tmp_path: Path
) -> None:
    folder = kb_folder(tmp_path, STANDARD_FIELDS)
    code, out, err = run(capsys, "check", "--kb", str(folder))
    assert code in (0, 1), out + err
    assert "error" not in (out + err).lower()


MISSPELT = """\
@article{typo2020,
  author = {Smith, Anna},
  title = {Misspelt},
  jounral = {J Test},
  year = {2020},
  pmdi = {31234567},
}
"""


def test_misspelt_used_field_is_a_warning_with_suggestion(
    capsys: pytest.CaptureFixture[str], tmp_path: Path
) -> None:
    folder = kb_folder(tmp_path, MISSPELT)
    code, out, err = run(capsys, "check", "--kb", str(folder))
    assert code in (0, 1), out + err
    assert "did you mean 'pmid'?" in out + err
    assert "did you mean 'journal'?" in out + err
    assert "warning" in (out + err).lower()


def test_field_name_with_trailing_space_is_read(
    capsys: pytest.CaptureFixture[str], tmp_path: Path
) -> None:
    # A no-break space pasted after the name: bibtexparser strips it, so it is the DOI.
    bib = "@article{space2020, author = {Smith, Anna}, title = {T}, year = {2020},\n"
    bib += "  doi\u00a0= {10.1000/xyz}}\n"
    folder = kb_folder(tmp_path, bib)
    assert by_id(csl_items(capsys, folder))["space2020"]["DOI"] == "10.1000/xyz"


# --- names -------------------------------------------------------------------------------------

VANCOUVER_NAMES = """\
@article{molins2012,
  author = {Molins A, Garcia B, Lopez C, Perez D},
  title = {Names as PubMed prints them},
  journal = {J Test},
  year = {2012},
}
"""


def test_name_that_does_not_split_is_kept_as_printed_with_warning(
    capsys: pytest.CaptureFixture[str], tmp_path: Path
) -> None:
    folder = kb_folder(tmp_path, VANCOUVER_NAMES)
    code, out, err = run(capsys, "check", "--kb", str(folder))
    assert code in (0, 1), out + err
    assert "molins2012" in out + err and "warning" in (out + err).lower()
    item = by_id(csl_items(capsys, folder))["molins2012"]
    printed = " ".join(a.get("literal", "") for a in item["author"])
    assert "Molins A" in printed and "Perez D" in printed


def test_biblatex_extended_name_format_is_read(
    capsys: pytest.CaptureFixture[str], tmp_path: Path
) -> None:
    bib = (
        "@book{heuvel2014, author = {family=Heuvel, given=Charles, prefix=van den, "
        "useprefix=false}, title = {T}, date = {2014}}\n"
    )
    folder = kb_folder(tmp_path, bib)
    (author,) = by_id(csl_items(capsys, folder))["heuvel2014"]["author"]
    assert author.get("family") == "Heuvel" and author.get("given") == "Charles"
    assert author.get("non-dropping-particle", author.get("dropping-particle")) == "van den"


# --- DOIs written as resolver links ------------------------------------------------------------

DOI_LINKS = """\
@inproceedings{acm2006,
  author = {Smith, Anna},
  title = {Through the ACM resolver},
  booktitle = {Proc. Test},
  year = {2006},
  doi = {http://doi.acm.org/10.1145/1188913.1188915},
}
@article{doiorg2020,
  author = {Doe, Jane},
  title = {Through doi.org},
  journal = {J Test},
  year = {2020},
  doi = {https://doi.org/10.1000/xyz123},
}
"""


def test_doi_resolver_links_are_normalised(
    capsys: pytest.CaptureFixture[str], tmp_path: Path
) -> None:
    folder = kb_folder(tmp_path, DOI_LINKS)
    items = by_id(csl_items(capsys, folder))
    assert items["acm2006"]["DOI"] == "10.1145/1188913.1188915"
    assert items["doiorg2020"]["DOI"] == "10.1000/xyz123"


def test_doi_resolver_links_give_an_info_finding(
    capsys: pytest.CaptureFixture[str], tmp_path: Path
) -> None:
    folder = kb_folder(tmp_path, DOI_LINKS)
    code, out, err = run(capsys, "check", "--kb", str(folder))
    assert code == 0, out + err
    for printed in ("http://doi.acm.org/10.1145/1188913.1188915", "https://doi.org/10.1000/xyz123"):
        assert printed in out + err
    assert "info" in (out + err).lower()


# --- @string, #, crossref and xdata resolved as biber would --------------------------------


def fixture_items(capsys: pytest.CaptureFixture[str], tmp_path: Path, name: str) -> dict[str, dict]:
    text = (BIBLIOGRAPHIES / name).read_text(encoding="utf-8")
    return by_id(csl_items(capsys, kb_folder(tmp_path, text)))


def test_string_concatenation_is_resolved(
    capsys: pytest.CaptureFixture[str], tmp_path: Path
) -> None:
    items = fixture_items(capsys, tmp_path, "biblatex-examples.bib")
    assert items["nietzsche:ksa"]["publisher"] == (
        "Deutscher Taschenbuch-Verlag and Walter de Gruyter"
    )


def test_redefined_string_takes_the_last_definition(
    capsys: pytest.CaptureFixture[str], tmp_path: Path
) -> None:
    # acmart's file says: "Note the 2nd overwrites the 1st".
    items = fixture_items(capsys, tmp_path, "acmart-sample-base.bib")
    # The macro's braces protect the case of "ACM" (CSL rich text keeps them).
    assert items["JCohen96"]["container-title"] == 'Commun. <span class="nocase">ACM</span>'
    assert items["Cohen07"]["container-title"] == "J. ACM"


def test_crossref_inherits_from_its_parent(
    capsys: pytest.CaptureFixture[str], tmp_path: Path
) -> None:
    items = fixture_items(capsys, tmp_path, "biblatex-examples.bib")
    child = items["westfahl:space"]
    # biber's default inheritance: collection title -> booktitle, and the rest as is.
    assert child["container-title"].startswith("Space and Beyond")
    assert child["title"].startswith("The True Frontier")
    assert child["publisher"] == "Greenwood"
    assert child["issued"]["date-parts"][0][0] == 2000
    assert [e["family"] for e in child["editor"]] == ["Westfahl"]


def test_xdata_is_inherited(capsys: pytest.CaptureFixture[str], tmp_path: Path) -> None:
    items = fixture_items(capsys, tmp_path, "biber-xdata.bib")
    # xd1 -> macmillanalias (ids of macmillan) -> macmillan:pubALIAS + macmillan:loc.
    assert items["xd1"]["publisher"] == "Macmillan"
    assert items["xd1"]["publisher-place"] == "New York and London"
    assert items["xd1"]["note"] == "A Note"
    # An entry's own field wins over its xdata.
    assert items["xd2"]["publisher"] == "Routledge"
    assert items["xd2"]["publisher-place"] == "New York and London"


# --- a knowledge base cites a subset of its bibliography -------------------------------------

SUBSET = """\
@article{cited2020, author = {Smith, Anna}, title = {Cited}, journal = {J}, year = {2020}}
@article{other2021, author = {Doe, Jane}, title = {Not cited}, journal = {J}, year = {2021}}
@book{third2022, author = {Roe, Richard}, title = {Not cited either}, year = {2022}}
"""


def test_uncited_entries_are_at_most_info(
    capsys: pytest.CaptureFixture[str], tmp_path: Path
) -> None:
    folder = kb_folder(tmp_path, SUBSET, citing("cited2020"))
    code, out, err = run(capsys, "check", "--kb", str(folder))
    assert code == 0, out + err
    assert "warning" not in (out + err).lower() and "error" not in (out + err).lower()


def test_refs_lists_all_and_cited_only_the_cited(
    capsys: pytest.CaptureFixture[str], tmp_path: Path
) -> None:
    folder = kb_folder(tmp_path, SUBSET, citing("cited2020"))
    assert {i["id"] for i in csl_items(capsys, folder)} == {"cited2020", "other2021", "third2022"}
    assert [i["id"] for i in csl_items(capsys, folder, "--cited-only")] == ["cited2020"]


# --- rich text and dates: what decoding used to drop reaches the CSL-JSON --------------------

RICH = r"""
@collection{dnabook,
  editor = {Roe, Richard},
  title = {The {DNA} Book of \textbf{Things}},
  series = {Lecture Notes in {C}omputer {S}cience},
  publisher = {Springer},
  date = {2019-05},
}
@incollection{dna2020,
  author = {Smith, Anna},
  title = {The {DNA} of \emph{E. coli}},
  subtitle = {H\textsubscript{2}O and \textsc{Crispr}, 10\textsuperscript{th} ed.},
  crossref = {dnabook},
  date = {2020-03-04},
  urldate = {2021-01-02},
}
@article{range2020,
  author = {Doe, Jane},
  title = {\textit{In vivo} and {\it in vitro}},
  journaltitle = {{BMJ} Open},
  date = {2020-03/2020-05},
}
@article{plain2020,
  author = {Doe, Jane},
  title = {M{\"u}ller's {\"U}bersicht \& Co},
  journal = {J},
  date = {2020},
}
"""


def test_case_protection_and_font_commands_reach_the_csl_json(
    capsys: pytest.CaptureFixture[str], tmp_path: Path
) -> None:
    items = by_id(csl_items(capsys, kb_folder(tmp_path, RICH)))
    chapter = items["dna2020"]
    assert chapter["title"] == (
        'The <span class="nocase">DNA</span> of <i>E. coli</i>: H<sub>2</sub>O and '
        '<span style="font-variant:small-caps;">Crispr</span>, 10<sup>th</sup> ed.'
    )
    # Inherited from the @collection parent with its LaTeX: its title is the booktitle.
    assert chapter["container-title"] == 'The <span class="nocase">DNA</span> Book of <b>Things</b>'
    assert chapter["collection-title"] == (
        'Lecture Notes in <span class="nocase">C</span>omputer <span class="nocase">S</span>cience'
    )
    article = items["range2020"]
    assert article["title"] == "<i>In vivo</i> and <i>in vitro</i>"
    assert article["container-title"] == '<span class="nocase">BMJ</span> Open'
    # Accents and escapes carry no markup: the decoded value, no span.
    assert items["plain2020"]["title"] == "Müller's Übersicht & Co"


def test_biblatex_date_gives_issued_its_month_day_and_range(
    capsys: pytest.CaptureFixture[str], tmp_path: Path
) -> None:
    items = by_id(csl_items(capsys, kb_folder(tmp_path, RICH)))
    assert items["dna2020"]["issued"] == {"date-parts": [[2020, 3, 4]]}  # not the parent's
    assert items["dna2020"]["accessed"] == {"date-parts": [[2021, 1, 2]]}
    assert items["dnabook"]["issued"] == {"date-parts": [[2019, 5]]}
    assert items["range2020"]["issued"] == {"date-parts": [[2020, 3], [2020, 5]]}
    assert items["plain2020"]["issued"] == {"date-parts": [[2020]]}


@pytest.mark.parametrize("style", ["vancouver", "apa"])
@pytest.mark.parametrize(
    ("output", "italic"),
    [
        ("text", "E. coli"),
        ("rst", ":emphasis:`E. coli`"),
        ("markdown", "*E. coli*"),
        ("html", "<i>E. coli</i>"),
    ],
)
def test_reference_lists_show_the_italics_and_never_the_tags(
    capsys: pytest.CaptureFixture[str], tmp_path: Path, style: str, output: str, italic: str
) -> None:
    # pandoc 3's citeproc reads the CSL rich text: the nocase span steers text-case and
    # prints nothing, <i> prints as the format's italics.
    folder = kb_folder(tmp_path, RICH)
    code, out, err = run(capsys, "refs", "--kb", str(folder), "--style", style, "--format", output)
    assert code == 0, err
    assert f"The DNA of {italic}" in out
    assert "nocase" not in out and "&lt;" not in out
    if output != "html":
        assert "<span" not in out and "<i>" not in out


def test_plain_values_stay_decoded_for_everything_else(tmp_path: Path) -> None:
    import proloevidence

    kb = proloevidence.load(kb_folder(tmp_path, RICH), cache=False)
    reference = kb.references["dna2020"]
    assert reference.title == "The DNA of E. coli"  # what verification compares
    assert reference.latex["title"] == r"The {DNA} of \emph{E. coli}"
    assert kb.references["range2020"].journal == "BMJ Open"
    assert kb.references["range2020"].latex["journal"] == "{BMJ} Open"
    assert kb.references["plain2020"].latex == {}


def test_real_entries_keep_their_markup_and_dates(
    capsys: pytest.CaptureFixture[str], tmp_path: Path
) -> None:
    items = fixture_items(capsys, tmp_path, "biblatex-examples.bib")
    moraux = items["moraux"]
    assert moraux["title"].startswith("Le <i>De Anima</i> dans la tradition grècque: Quelques")
    assert moraux["title-short"] == "<i>De Anima</i> dans la tradition grècque"
    baez = items["baez/online"]
    assert baez["title"] == 'Higher-Dimensional Algebra <span class="nocase">V</span>: 2-Groups'
    assert baez["issued"] == {"date-parts": [[2004, 10, 27]]}
    assert items["knuth:ct"]["issued"]["date-parts"] == [[1984], [1986]]


def test_a_whole_title_in_double_braces_is_protected_whole(
    capsys: pytest.CaptureFixture[str], tmp_path: Path
) -> None:
    items = fixture_items(capsys, tmp_path, "jabref-complex.bib")
    assert items["deBraga2001"]["title"] == (
        '<span class="nocase">The postcranial anatomy of <i>Procolophon</i> (Parareptilia: '
        "Procolophonidae) and its implications for the origin of turtles</span>"
    )


# --- a statement may cite an entry by one of its ids aliases (biblatex) ----------------------

ALIASED = """\
@article{smith2020, ids = {smith2019preprint, oldkey}, author = {Smith, Anna},
  title = {Cited by an alias}, journal = {J}, year = {2020}}
@article{other2021, author = {Doe, Jane}, title = {Not cited}, journal = {J}, year = {2021}}
"""


def test_a_statement_citing_an_ids_alias_cites_the_entry(
    capsys: pytest.CaptureFixture[str], tmp_path: Path
) -> None:
    import proloevidence

    folder = kb_folder(tmp_path, ALIASED, citing("oldkey"))
    code, out, err = run(capsys, "check", "--kb", str(folder))
    assert code == 0, out + err  # no unknown reference
    assert [i["id"] for i in csl_items(capsys, folder, "--cited-only")] == ["smith2020"]
    kb = proloevidence.load(folder, cache=False)
    assert kb.claim("only").refs == ("smith2020",)
    assert kb.reference("smith2019preprint").key == "smith2020"
    assert [c.id for c in kb.claims_citing("oldkey")] == ["only"]
    # The editor's judgement goes to the link as the file writes it.
    link = proloevidence.assess("only", "oldkey", "supported", kb=folder)
    assert link.ref == "smith2020"
    written = (folder / "claims.yaml").read_text(encoding="utf-8")
    assert '{ref: "oldkey", relation: supports, assessment: {status: supported' in written
    again = proloevidence.load(folder, cache=False).claim("only").citations[0]
    assert (again.ref, again.assessment.status.value) == ("smith2020", "supported")
