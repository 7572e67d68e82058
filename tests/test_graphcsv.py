from __future__ import annotations

import csv
from collections import Counter
from pathlib import Path

import proloevidence
from proloevidence.cli import main
from proloevidence.kb.graph_csv import EDGE_FILES, NODE_FILES, csv_tables, write_csv


def read(path: Path) -> tuple[list[str], list[list[str]]]:
    with path.open(encoding="utf-8", newline="") as handle:
        header, *rows = list(csv.reader(handle))
    return header, rows


def test_csv_files_hold_the_whole_graph_with_neo4j_headers(tmp_path: Path) -> None:
    kb = proloevidence.load()
    graph = kb.graph
    written = write_csv(kb, tmp_path / "neo4j")
    assert sorted(p.name for p in written) == sorted([*NODE_FILES, *EDGE_FILES])

    ids: set[str] = set()
    labels: Counter[str] = Counter()
    for name in NODE_FILES:
        header, rows = read(tmp_path / "neo4j" / name)
        assert header[:2] == ["id:ID", ":LABEL"]
        for row in rows:
            assert len(row) == len(header)
            ids.add(row[0])
            labels[row[1]] += 1
    assert len(ids) == graph.number_of_nodes()
    by_type = Counter(data["type"] for _, data in graph.nodes(data=True))
    assert labels == Counter(
        {"Document": by_type["document"], "Section": by_type["section"]}
        | {"Claim": by_type["claim"], "Reference": by_type["reference"]}
    )
    assert labels["Claim"] == 42 and labels["Reference"] == 5

    edges = 0
    for name in EDGE_FILES:
        header, rows = read(tmp_path / "neo4j" / name)
        assert header[:3] == [":START_ID", ":END_ID", ":TYPE"]
        for row in rows:
            assert row[0] in ids and row[1] in ids  # no dangling relationship
        edges += len(rows)
    assert edges == graph.number_of_edges()

    header, rows = read(tmp_path / "neo4j" / "cites.csv")
    cite = dict(
        zip(header, next(r for r in rows if r[0].endswith("/si-joint-trials")), strict=True)
    )
    assert cite[":END_ID"] == "ref:kim2010" and cite["relation"] == "supports"
    assert cite["cito"] == "http://purl.org/spar/cito/obtainsSupportFrom"
    header, rows = read(tmp_path / "neo4j" / "references.csv")
    kim = dict(zip(header, next(r for r in rows if r[0] == "ref:kim2010"), strict=True))
    assert kim["year:int"] == "2010" and kim["pmid"] == "20648206"
    header, rows = read(tmp_path / "neo4j" / "claims.csv")
    assert {r[header.index("requires_support:boolean")] for r in rows} == {"true", "false"}


def test_streamed_from_the_knowledge_base_or_from_its_graph_alike() -> None:
    kb = proloevidence.load()
    streamed, from_graph = csv_tables(kb), csv_tables(kb.graph)
    for name in streamed:
        lines = streamed[name].splitlines()
        assert lines[0] == from_graph[name].splitlines()[0]
        assert sorted(lines[1:]) == sorted(from_graph[name].splitlines()[1:]), name


def test_texts_with_commas_quotes_and_line_breaks_survive(tmp_path: Path) -> None:
    import networkx as nx

    graph = nx.MultiDiGraph()
    text = 'He said "no", then\nleft.'
    graph.add_node(
        "claim:d/a",
        type="claim",
        label="a",
        text=text,
        kind="history",
        marker="",
        requires_support=True,
        order=0,
    )
    write_csv(graph, tmp_path)
    header, rows = read(tmp_path / "claims.csv")
    assert rows[0][header.index("text")] == text


def test_cli_writes_the_folder_and_wants_one(tmp_path: Path, capsys) -> None:
    assert main(["graph", "--format", "csv", "--output", str(tmp_path / "out")]) == 0
    assert (tmp_path / "out" / "cites.csv").is_file()
    assert main(["graph", "--format", "csv"]) == 2
    assert "--output FOLDER" in capsys.readouterr().err
