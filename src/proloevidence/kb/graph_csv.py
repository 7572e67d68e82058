"""The statement-source graph as CSV files for Neo4j's bulk importer (``neo4j-admin``).

One node file per label and one relationship file per type, with the headers
``neo4j-admin database import`` reads (``:ID``, ``:LABEL``, ``:START_ID``, ``:END_ID``,
``:TYPE``, typed properties such as ``year:int``), so a graph too large for one machine's
memory goes into Neo4j in one offline pass (docs/scaling.md has the command). Node ids and
properties are the GraphML export's (kb/graph.py). From a knowledge base the rows are streamed
from :func:`graph.elements` into the files: no networkx graph is built and no file is held
in memory.
"""

from __future__ import annotations

import contextlib
import csv
import io
import os
from collections.abc import Iterable, Iterator
from pathlib import Path
from typing import TYPE_CHECKING, Any

from ..atomic import open_text_atomic
from .graph import Edge, Node, elements
from .knowledge_base import KnowledgeBase

if TYPE_CHECKING:
    import networkx as nx

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


def write_csv(
    source: KnowledgeBase | nx.MultiDiGraph, directory: str | os.PathLike[str]
) -> list[Path]:
    """Write the CSV files into ``directory`` (created), each atomically; return their paths.

    ``source`` is a knowledge base (rows streamed, nothing built) or its ``graph``.
    """
    folder = Path(directory)
    paths = [folder / name for name in [*NODE_FILES, *EDGE_FILES]]
    with contextlib.ExitStack() as stack:
        handles = {path.name: stack.enter_context(open_text_atomic(path)) for path in paths}
        _write_rows(source, {name: _writer(handle) for name, handle in handles.items()})
    return paths


def csv_tables(source: KnowledgeBase | nx.MultiDiGraph) -> dict[str, str]:
    """File name -> CSV text, headers first, in the graph's node and edge order."""
    buffers = {name: io.StringIO() for name in [*NODE_FILES, *EDGE_FILES]}
    _write_rows(source, {name: _writer(buffer) for name, buffer in buffers.items()})
    return {name: buffer.getvalue() for name, buffer in buffers.items()}


def _writer(handle: Any) -> Any:
    # Every text quoted (numbers bare): neo4j-admin then reads "" as an empty text, and
    # commas, quotes and line breaks inside a statement stay inside it.
    return csv.writer(handle, quoting=csv.QUOTE_NONNUMERIC, lineterminator="\n")


def _write_rows(source: KnowledgeBase | nx.MultiDiGraph, writers: dict[str, Any]) -> None:
    for name, (_, _, columns) in NODE_FILES.items():
        writers[name].writerow(["id:ID", ":LABEL", *columns])
    for name, (_, _, columns) in EDGE_FILES.items():
        writers[name].writerow([":START_ID", ":END_ID", ":TYPE", *columns])
    node_file = {spec[0]: (writers[name], spec) for name, spec in NODE_FILES.items()}
    edge_file = {spec[0]: (writers[name], spec) for name, spec in EDGE_FILES.items()}
    for element in _elements(source):
        if len(element) == 2:
            node, data = element
            writer, (_, label, columns) = node_file[data["type"]]
            writer.writerow([node, label, *(_value(data, c) for c in columns)])
        else:
            start, end, _key, data = element
            writer, (_, kind, columns) = edge_file[data["type"]]
            writer.writerow([start, end, kind, *(_value(data, c) for c in columns)])


def _elements(source: KnowledgeBase | nx.MultiDiGraph) -> Iterable[Node | Edge]:
    if isinstance(source, KnowledgeBase):
        return elements(source)
    return _graph_elements(source)


def _graph_elements(graph: nx.MultiDiGraph) -> Iterator[Node | Edge]:
    yield from graph.nodes(data=True)
    yield from graph.edges(keys=True, data=True)


def _value(data: dict[str, Any], column: str) -> Any:
    value = data.get(column.split(":")[0], "")
    if isinstance(value, bool):
        return "true" if value else "false"
    return value
