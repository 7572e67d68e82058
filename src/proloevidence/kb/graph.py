"""The knowledge base as a networkx MultiDiGraph, and its exports (GraphML, node-link JSON).

Nodes: ``doc:<id>``, ``section:<doc>/<heading>/...``, ``claim:<doc>/<id>``, ``ref:<key>``.
Edges: document -> top section -> sub-section -> statement (``contains``) and
statement -> reference (``cites``, with ``relation``, its CiTO IRI and the assessment).
"""

from __future__ import annotations

import json
from collections.abc import Iterator
from typing import TYPE_CHECKING, Any

from ..model import SCHEMA_VERSION

if TYPE_CHECKING:
    import networkx as nx

    from .knowledge_base import KnowledgeBase


def claim_node(document: str, claim_id: str) -> str:
    return f"claim:{document}/{claim_id}"


def ref_node(key: str) -> str:
    return f"ref:{key}"


Node = tuple[str, dict[str, Any]]
Edge = tuple[str, str, int, dict[str, Any]]


def elements(kb: KnowledgeBase) -> Iterator[Node | Edge]:
    """The graph's nodes ``(id, attributes)`` and edges ``(source, target, key, attributes)``,
    in the order :func:`build_graph` adds them, without building it (the CSV export streams
    them). Attributes are strings, numbers and booleans only (so GraphML can hold them)."""
    for doc in kb.documents.values():
        yield f"doc:{doc.id}", {"type": "document", "label": doc.title or doc.id}
    for ref in kb.references.values():
        yield (
            ref_node(ref.key),
            {
                "type": "reference",
                "label": ref.key,
                "title": ref.title,
                "year": ref.year or 0,
                "doi": ref.doi or "",
                "pmid": ref.pmid or "",
                "journal": ref.journal,
                "number": ref.page_number or 0,
            },
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
                yield node, {"type": "section", "label": heading}
                yield parent, node, 0, {"type": "contains"}
            parent = node
        cnode = claim_node(claim.document, claim.id)
        yield (
            cnode,
            {
                "type": "claim",
                "label": kb.claim_id(claim),
                "text": claim.text,
                "kind": claim.kind,
                "marker": claim.marker or "",
                "requires_support": claim.requires_support,
                "order": claim.order,
            },
        )
        yield parent, cnode, 0, {"type": "contains"}
        for index, citation in enumerate(claim.citations):
            yield (
                cnode,
                ref_node(citation.ref),
                index,
                {
                    "type": "cites",
                    "relation": citation.relation.value,
                    "cito": citation.relation.cito,
                    "assessment": citation.assessment.status.value,
                },
            )


def build_graph(kb: KnowledgeBase) -> nx.MultiDiGraph:
    """Build the graph once (see :func:`elements`)."""
    import networkx as nx  # here, not at import: most commands never build the graph

    graph = nx.MultiDiGraph(schema_version=SCHEMA_VERSION)
    for element in elements(kb):
        if len(element) == 2:
            graph.add_node(element[0], **element[1])
        else:
            source, target, key, attributes = element
            graph.add_edge(source, target, key=key, **attributes)
    return graph


def to_graphml(graph: nx.MultiDiGraph) -> str:
    """GraphML text (loadable by Gephi, yEd, Neo4j's APOC import).

    Written element by element, as networkx writes it (the same keys, types and values;
    ``nx.read_graphml`` reads back the same graph), without building the XML tree first:
    at 50,000 statements that tree took 8 s and 700 MB.
    """
    keys: dict[tuple[str, str], tuple[str, str]] = {}  # (domain, name) -> (id, type)

    def key(domain: str, name: str, value: Any) -> str:
        found = keys.get((domain, name))
        if found is None:
            found = (f"d{len(keys)}", _GRAPHML_TYPES.get(type(value), "string"))
            keys[(domain, name)] = found
        return found[0]

    def data(domain: str, attributes: dict[str, Any], indent: str) -> list[str]:
        lines = []
        for name, value in attributes.items():
            text = _xml_text(str(value))
            ref = key(domain, name, value)
            lines.append(
                f'{indent}<data key="{ref}">{text}</data>'
                if text
                else f'{indent}<data key="{ref}" />'
            )
        return lines

    body: list[str] = []
    for node, attributes in graph.nodes(data=True):
        body.append(f"    <node id={_xml_attribute(str(node))}>")
        body.extend(data("node", attributes, "      "))
        body.append("    </node>")
    for source, target, edge_key, attributes in graph.edges(keys=True, data=True):
        body.append(
            f"    <edge source={_xml_attribute(str(source))} target={_xml_attribute(str(target))}"
            f" id={_xml_attribute(str(edge_key))}>"
        )
        body.extend(data("edge", attributes, "      "))
        body.append("    </edge>")
    body.extend(data("graph", graph.graph, "    "))
    head = [_GRAPHML_HEAD]
    for (domain, name), (ref, kind) in keys.items():
        name_attribute = _xml_attribute(name)
        head.append(
            f'  <key id="{ref}" for="{domain}" attr.name={name_attribute} attr.type="{kind}" />'
        )
    head.append('  <graph edgedefault="directed">')
    return "\n".join([*head, *body, "  </graph>", "</graphml>"]) + "\n"


_GRAPHML_HEAD = (
    '<graphml xmlns="http://graphml.graphdrawing.org/xmlns" '
    'xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance" '
    'xsi:schemaLocation="http://graphml.graphdrawing.org/xmlns '
    'http://graphml.graphdrawing.org/xmlns/1.0/graphml.xsd">'
)
# networkx's names for Python types (bool before int: a bool is an int).
_GRAPHML_TYPES = {bool: "boolean", int: "long", float: "double", str: "string"}
_XML_TEXT = str.maketrans({"&": "&amp;", "<": "&lt;", ">": "&gt;", "\r": "&#13;"})
_XML_ATTRIBUTE = str.maketrans(
    {
        "&": "&amp;",
        "<": "&lt;",
        ">": "&gt;",
        '"': "&quot;",
        "\n": "&#10;",
        "\r": "&#13;",
        "\t": "&#9;",
    }
)


def _xml_text(text: str) -> str:
    return text.translate(_XML_TEXT)


def _xml_attribute(text: str) -> str:
    return '"' + text.translate(_XML_ATTRIBUTE) + '"'


def to_node_link_json(graph: nx.MultiDiGraph) -> str:
    """networkx node-link JSON, with the schema version at the top."""
    import networkx as nx

    data: dict[str, Any] = nx.node_link_data(graph, edges="links")
    data["schema_version"] = SCHEMA_VERSION
    return json.dumps(data, ensure_ascii=False, indent=1) + "\n"
