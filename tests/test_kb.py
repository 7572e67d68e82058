from __future__ import annotations

import json
import re
import shutil
from pathlib import Path

import networkx as nx
import pytest

import proloevidence
from proloevidence.errors import KnowledgeBaseError, UnknownIdError
from proloevidence.kb.graph import to_graphml, to_node_link_json
from proloevidence.model import Relation
from proloevidence.text.markers import parse_marker

from .conftest import FIXTURES

PAGE = (FIXTURES / "prolotherapy-page.txt").read_text(encoding="utf-8")


@pytest.fixture(scope="module")
def kb() -> proloevidence.KnowledgeBase:
    return proloevidence.load()


def test_every_statement_is_verbatim_and_in_page_order(kb) -> None:
    positions = []
    for claim in kb.claims:
        assert claim.text in PAGE, claim.id
        positions.append(PAGE.index(claim.text))
    assert positions == sorted(positions)


def test_every_sentence_of_the_page_body_is_a_statement(kb) -> None:
    # Strip the statements and the markers from the page; only headings and the
    # reference list may remain.
    body = PAGE.split("\nReferences\n")[0]
    for claim in kb.claims:
        body = body.replace(claim.text, "", 1)
    body = re.sub(r"\(\d[\d,\-–]*\)", "", body)
    headings = {h for c in kb.claims for h in c.section} | {"Prolotherapy"}
    leftover = [line.strip() for line in body.splitlines() if line.strip()]
    assert [line for line in leftover if line not in headings] == []


def test_markers_yield_links_through_the_page_numbering(kb) -> None:
    numbering = kb.documents["prolotherapy"].numbering
    cited = [c for c in kb.claims if c.marker]
    assert len(cited) == 7
    for claim in cited:
        expected = [numbering[n] for n in parse_marker(claim.marker)]
        assert list(claim.refs) == expected


def test_queries(kb) -> None:
    assert [s.key for s in kb.sources("si-joint-trials")] == ["kim2010", "hauser2016"]
    assert kb.sources("si-joint-trials", relations=["disputes"]) == []
    assert [c.id for c in kb.claims_citing("duman2012")] == ["mechanism-neuromodulatory"]
    assert len(kb.claims_citing("rabago2010")) == 5
    unsupported = {c.id for c in kb.unsupported_claims()}
    assert "safety-tolerated" in unsupported and "procedure-visit-duration" not in unsupported
    assert all(c.requires_support and not c.citations for c in kb.unsupported_claims())
    assert kb.uncited_references() == []
    assert [c.id for c in kb.search("FDA-approved")] == [
        "regulatory-substances",
        "regulatory-not-approved",
    ]
    assert [c.id for c in kb.search("stem CELL")] == ["mechanism-not-regenerative"]
    assert kb.search("homeopathy") == []
    assert kb.number_of("wu2017") == 5


def test_unknown_ids_suggest_close_ones(kb) -> None:
    with pytest.raises(UnknownIdError) as info:
        kb.claim("si-joint-trial")
    assert isinstance(info.value, KeyError)
    assert "si-joint-trials" in info.value.suggestions
    with pytest.raises(KeyError, match="rabago2010"):
        kb.reference("rabago2011")


def test_graph_shape_and_exports(kb, tmp_path: Path) -> None:
    graph = kb.graph
    assert isinstance(graph, nx.MultiDiGraph)
    edge = graph.get_edge_data("claim:prolotherapy/si-joint-trials", "ref:kim2010")[0]
    assert edge["relation"] == "supports" and edge["assessment"] == "unreviewed"
    assert edge["cito"] == Relation.SUPPORTS.cito == "http://purl.org/spar/cito/obtainsSupportFrom"
    assert graph.has_edge("doc:prolotherapy", "section:prolotherapy/Clinical Applications")
    sub = (
        "section:prolotherapy/Clinical Applications/"
        "Sacroiliac (SI) Joint Dysfunction and Hypermobility"
    )
    assert graph.has_edge(sub, "claim:prolotherapy/si-joint-trials")
    path = tmp_path / "kb.graphml"
    path.write_text(to_graphml(graph), encoding="utf-8")
    back = nx.read_graphml(path, force_multigraph=True)
    assert back.number_of_nodes() == graph.number_of_nodes()
    assert back.number_of_edges() == graph.number_of_edges()
    data = json.loads(to_node_link_json(graph))
    assert data["schema_version"] == 1
    assert nx.node_link_graph(data, edges="links").number_of_edges() == graph.number_of_edges()


def _break(kb_copy: Path, name: str, old: str, new: str) -> None:
    path = kb_copy / name
    text = path.read_text(encoding="utf-8")
    assert old in text
    path.write_text(text.replace(old, new, 1), encoding="utf-8")


def test_all_problems_across_files_in_one_pass(kb_copy: Path) -> None:
    _break(kb_copy, "claims.yaml", "{ref: wu2017, relation: supports}", "{ref: wu2071}")
    _break(kb_copy, "claims.yaml", "id: overview-history", "id: overview-definition")
    _break(kb_copy, "references.bib", "  pmid      = {20648206},", "  pmdi      = {20648206},")
    with pytest.raises(KnowledgeBaseError) as info:
        proloevidence.load(kb_copy)
    problems = info.value.problems
    assert sorted(p.code for p in problems) == [
        "duplicate-id",
        "marker-mismatch",
        "unknown-field",
        "unknown-reference",
    ]
    for problem in problems:
        assert problem.location.file.endswith((".yaml", ".bib")) and problem.location.line > 0
    unknown = next(p for p in problems if p.code == "unknown-reference")
    assert "'wu2017'" in unknown.hint


def test_lenient_load_keeps_recoverable_problems(kb_copy: Path) -> None:
    _break(kb_copy, "claims.yaml", 'marker: "(4,5)"', 'marker: "(4)"')
    with pytest.raises(KnowledgeBaseError):
        proloevidence.load(kb_copy)
    kb = proloevidence.load(kb_copy, strict=False)
    assert [p.code for p in kb.problems] == ["marker-mismatch"]


def test_refnumber_must_agree_with_the_numbering(kb_copy: Path) -> None:
    _break(kb_copy, "references.bib", "refnumber = {5}", "refnumber = {6}")
    assert [p.code for p in proloevidence.validate(kb_copy)] == ["numbering-mismatch"]


def test_missing_folder_or_files(tmp_path: Path) -> None:
    with pytest.raises(KnowledgeBaseError, match="not a knowledge base folder: it does not"):
        proloevidence.load(tmp_path / "nope")
    assert sorted(p.code for p in proloevidence.validate(tmp_path)) == ["missing", "missing"]


def test_links_to_an_entry_that_cannot_be_parsed_are_not_reported_again(kb_copy: Path) -> None:
    bib = kb_copy / "references.bib"
    bib.write_text(bib.read_text().replace("  volume    = {13},", "  volume    {13},"))
    (problem,) = proloevidence.validate(kb_copy)  # not one more per link to kim2010
    assert problem.code == "bibtex-syntax" and "entry 'kim2010'" in problem.message
    assert problem.is_error  # statements link kim2010: the knowledge base cannot be used
    bib.unlink()
    bib.mkdir()  # a .bib file that cannot be read: any link may be to one of its entries
    (problem,) = proloevidence.validate(kb_copy)
    assert problem.code == "unreadable"


def test_a_path_that_is_no_folder_says_what_it_is(kb_copy: Path) -> None:
    with pytest.raises(KnowledgeBaseError, match="not a knowledge base folder: it is a file"):
        proloevidence.load(kb_copy / "claims.yaml")
    # stat() itself fails on a name longer than the system allows (as on a folder we may
    # not enter, which a test running as root cannot make): a problem, not an OSError.
    (problem,) = proloevidence.validate(kb_copy / ("x" * 300))
    assert problem.code == "unreadable" and "cannot read the folder" in problem.message


def test_a_claims_file_that_is_a_folder_is_reported_as_such(kb_copy: Path) -> None:
    (kb_copy / "claims.yaml").unlink()
    (kb_copy / "claims.yaml").mkdir()
    (problem,) = proloevidence.validate(kb_copy)
    assert problem.code == "unreadable" and problem.location.file.endswith("claims.yaml")


def test_many_documents_address_clashing_ids(kb_copy: Path) -> None:
    (kb_copy / "claims").mkdir()
    second = (
        (kb_copy / "claims.yaml")
        .read_text(encoding="utf-8")
        .replace("id: prolotherapy", "id: second-page")
    )
    (kb_copy / "claims" / "second-page.yaml").write_text(second, encoding="utf-8")
    kb = proloevidence.load(kb_copy)
    assert len(kb.documents) == 2 and len(kb.claims) == 84
    with pytest.raises(UnknownIdError, match="'si-joint-trials' is used in 2 documents") as raised:
        kb.claim("si-joint-trials")
    assert raised.value.suggestions == [
        "prolotherapy/si-joint-trials",
        "second-page/si-joint-trials",
    ]
    assert kb.claim("second-page/si-joint-trials").document == "second-page"
    assert kb.claim_id(kb.claims[0]) == "prolotherapy/overview-definition"
    assert len(kb.claims_citing("duman2012")) == 2


def _read_graphml(text: str) -> nx.MultiDiGraph:
    import io

    return nx.read_graphml(io.BytesIO(text.encode("utf-8")), force_multigraph=True)


def _as_data(graph: nx.MultiDiGraph):
    return (
        dict(graph.graph),
        list(graph.nodes(data=True)),
        list(graph.edges(keys=True, data=True)),
    )


def test_graphml_reads_back_as_networkx_own_writer_does(kb) -> None:
    odd = nx.MultiDiGraph(schema_version=1)
    odd.add_node('a&b <"c">', type="claim", text="line\nbreak\tand 'quotes' & <tags>", n=0)
    odd.add_node("é", type="reference", flag=False, year=2010, empty="")
    odd.add_edge('a&b <"c">', "é", key=3, type="cites", relation="supports")
    odd.add_edge('a&b <"c">', "é", key=4, type="cites", relation="disputes")
    for graph in (kb.graph, odd):
        ours = _read_graphml(to_graphml(graph))
        theirs = _read_graphml("\n".join(nx.generate_graphml(graph)))
        assert _as_data(ours) == _as_data(theirs)
        assert ours.number_of_edges() == graph.number_of_edges()
    # A carriage return survives (networkx's writer lets XML turn it into a line feed).
    odd.nodes["é"]["title"] = "a\r\nb"
    assert _read_graphml(to_graphml(odd)).nodes["é"]["title"] == "a\r\nb"


def test_a_problem_says_its_file_line_and_column_as_the_api_doc_says(tmp_path) -> None:
    # docs/api.md: KnowledgeBaseError lists every Problem (file, line, column, message, hint).
    shutil.copytree(proloevidence.bundled_path(), tmp_path / "kb")
    claims = tmp_path / "kb" / "claims.yaml"
    text = claims.read_text(encoding="utf-8")
    claims.write_text(text.replace("    section:", "    sectoin:", 1), encoding="utf-8")
    with pytest.raises(KnowledgeBaseError) as caught:
        proloevidence.load(tmp_path / "kb", cache=False)
    problem = caught.value.problems[0]
    line = text[: text.index("    section:")].count("\n") + 1
    assert (problem.file.endswith("claims.yaml"), problem.line, problem.column) == (True, line, 5)
    assert "sectoin" in problem.message


def test_an_entry_no_statement_links_that_cannot_be_parsed_is_skipped_with_a_warning(
    kb_copy: Path,
) -> None:
    bib = kb_copy / "references.bib"
    bib.write_text(bib.read_text() + "\n@misc{extra2020,\n  title {Unread},\n}\n")
    kb = proloevidence.load(kb_copy)
    assert "extra2020" not in kb.references and len(kb.references) == 5
    (problem,) = kb.problems
    assert problem.code == "bibtex-syntax" and problem.severity.value == "warning"
    assert problem.file == str(bib) and "entry 'extra2020' cannot be parsed" in problem.message
    assert proloevidence.validate(kb_copy) == [problem]


def test_a_key_repeated_in_a_second_file_keeps_the_first_entry_with_a_warning(
    kb_copy: Path,
) -> None:
    # The doi.org link is data (a DOI as exporters print it), read offline: loading never
    # asks a service, and the tests' services are pytest-httpserver on 127.0.0.1.
    (kb_copy / "z-more.bib").write_text(  # read after references.bib
        "@article{kim2010, title = {Another}, journal = {J}, year = {2011}}\n"
        "@article{solo2020, title = {Solo}, journal = {J}, year = {2020},"
        " doi = {https://doi.org/10.1000/XYZ}}\n",
        encoding="utf-8",
    )
    kb = proloevidence.load(kb_copy)
    assert kb.references["kim2010"].year == 2010 and kb.references["solo2020"].doi == "10.1000/XYZ"
    found = sorted((p.code, p.severity.value) for p in kb.problems)
    assert found == [("duplicate-key", "warning"), ("normalised-doi", "info")]
