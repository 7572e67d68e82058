"""The statement-source graph as CSV files for Neo4j's bulk importer (``neo4j-admin``).

One node file per label and one relationship file per type, with the headers
``neo4j-admin database import`` reads (``:ID``, ``:LABEL``, ``:START_ID``, ``:END_ID``,
``:TYPE``, typed properties such as ``year:int``), so a graph too large for one machine's
memory goes into Neo4j in one offline pass (docs/scaling.md has the command). Node ids
and properties are the GraphML export's (graph.py).
"""

from __future__ import annotations

import csv
import io
import os
from collections.abc import Iterable
from pathlib import Path
from typing import Any

import networkx as nx

from .atomic import write_text_atomic

# file name -> (node type or edge type, Neo4j label or relationship type, property columns)
NODE_FILES: dict[str, tuple[str, str, tuple[str, ...]]] = {
    "documents.csv": ("document", "Document", ("label",)),
    "sections.csv": ("section", "Section", ("label",)),
    "claims.csv": (
        "claim",
        "Claim",
        ("label", "text", "kind", "marker", "requires_support:boolean", "order:int"),
    ),
    "references.csv": (
        "reference",
        "Reference",
        ("label", "title", "year:int", "doi", "pmid", "journal", "number:int"),
    ),
}
EDGE_FILES: dict[str, tuple[str, str, tuple[str, ...]]] = {
    "contains.csv": ("contains", "CONTAINS", ()),
    "cites.csv": ("cites", "CITES", ("relation", "cito", "assessment")),
}


def csv_tables(graph: nx.MultiDiGraph) -> dict[str, str]:
    """File name -> CSV text, headers first, in the graph's node and edge order."""
    rows: dict[str, list[list[Any]]] = {name: [] for name in [*NODE_FILES, *EDGE_FILES]}
    node_file = {spec[0]: (name, spec) for name, spec in NODE_FILES.items()}
    edge_file = {spec[0]: (name, spec) for name, spec in EDGE_FILES.items()}
    for node, data in graph.nodes(data=True):
        name, (_, label, columns) = node_file[data["type"]]
        rows[name].append([node, label, *(_value(data, c) for c in columns)])
    for start, end, data in graph.edges(data=True):
        name, (_, kind, columns) = edge_file[data["type"]]
        rows[name].append([start, end, kind, *(_value(data, c) for c in columns)])
    tables = {}
    for name, (_, _, columns) in NODE_FILES.items():
        tables[name] = _csv([["id:ID", ":LABEL", *columns], *rows[name]])
    for name, (_, _, columns) in EDGE_FILES.items():
        tables[name] = _csv([[":START_ID", ":END_ID", ":TYPE", *columns], *rows[name]])
    return tables


def write_csv(graph: nx.MultiDiGraph, directory: str | os.PathLike[str]) -> list[Path]:
    """Write the CSV files into ``directory`` (created), each atomically; return their paths."""
    folder = Path(directory)
    return [write_text_atomic(folder / name, text) for name, text in csv_tables(graph).items()]


def _value(data: dict[str, Any], column: str) -> Any:
    value = data.get(column.split(":")[0], "")
    if isinstance(value, bool):
        return "true" if value else "false"
    return value


def _csv(rows: Iterable[list[Any]]) -> str:
    buffer = io.StringIO()
    # Every text quoted (numbers bare): neo4j-admin then reads "" as an empty text, and
    # commas, quotes and line breaks inside a statement stay inside it.
    csv.writer(buffer, quoting=csv.QUOTE_NONNUMERIC, lineterminator="\n").writerows(rows)
    return buffer.getvalue()
