"""The knowledge base as a networkx MultiDiGraph, and its exports (GraphML, node-link JSON).

Nodes: ``doc:<id>``, ``section:<doc>/<heading>/...``, ``claim:<doc>/<id>``, ``ref:<key>``.
Edges: document -> top section -> sub-section -> statement (``contains``) and
statement -> reference (``cites``, with ``relation``, its CiTO IRI and the assessment).
"""

from __future__ import annotations

import json
from typing import TYPE_CHECKING, Any

import networkx as nx

from .model import SCHEMA_VERSION

if TYPE_CHECKING:
    from .kb import KnowledgeBase


def claim_node(document: str, claim_id: str) -> str:
    return f"claim:{document}/{claim_id}"


def ref_node(key: str) -> str:
    return f"ref:{key}"


def build_graph(kb: KnowledgeBase) -> nx.MultiDiGraph:
    """Build the graph once; node and edge attributes are strings, numbers and booleans only
    (so GraphML can hold them)."""
    graph = nx.MultiDiGraph(schema_version=SCHEMA_VERSION)
    for doc in kb.documents.values():
        graph.add_node(f"doc:{doc.id}", type="document", label=doc.title or doc.id)
    for ref in kb.references.values():
        graph.add_node(
            ref_node(ref.key),
            type="reference",
            label=ref.key,
            title=ref.title,
            year=ref.year or 0,
            doi=ref.doi or "",
            pmid=ref.pmid or "",
            journal=ref.journal,
            number=ref.page_number or 0,
        )
    sections: set[str] = set()
    for claim in kb.claims:
        parent = f"doc:{claim.document}"
        path = claim.document
        for heading in claim.section:
            path = f"{path}/{heading}"
            node = f"section:{path}"
            if node not in sections:
                sections.add(node)
                graph.add_node(node, type="section", label=heading)
                graph.add_edge(parent, node, type="contains")
            parent = node
        cnode = claim_node(claim.document, claim.id)
        graph.add_node(
            cnode,
            type="claim",
            label=kb.claim_id(claim),
            text=claim.text,
            kind=claim.kind,
            marker=claim.marker or "",
            requires_support=claim.requires_support,
            order=claim.order,
        )
        graph.add_edge(parent, cnode, type="contains")
        for index, citation in enumerate(claim.citations):
            graph.add_edge(
                cnode,
                ref_node(citation.ref),
                key=index,
                type="cites",
                relation=citation.relation.value,
                cito=citation.relation.cito,
                assessment=citation.assessment.status.value,
            )
    return graph


def to_graphml(graph: nx.MultiDiGraph) -> str:
    """GraphML text (loadable by Gephi, yEd, Neo4j's APOC import)."""
    return "\n".join(nx.generate_graphml(graph, encoding="utf-8", prettyprint=True)) + "\n"


def to_node_link_json(graph: nx.MultiDiGraph) -> str:
    """networkx node-link JSON, with the schema version at the top."""
    data: dict[str, Any] = nx.node_link_data(graph, edges="links")
    data["schema_version"] = SCHEMA_VERSION
    return json.dumps(data, ensure_ascii=False, indent=1) + "\n"
