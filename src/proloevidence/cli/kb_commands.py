"""Commands over the knowledge base itself: check, claims, sources, cited-by, graph."""

from __future__ import annotations

import difflib
from pathlib import Path
from typing import TYPE_CHECKING

import click

from ..errors import KnowledgeBaseError, OutputError
from .app import (
    EXIT_BAD_INPUT,
    InputError,
    cli,
    emit,
    emit_json,
    kb_option,
    lookup,
    open_kb,
    reading,
    say_which_folder,
    set_exit_code,
    table,
    use_cache,
)

if TYPE_CHECKING:  # loaded by the command that needs them, not for --help
    from ..kb.knowledge_base import KnowledgeBase

FORMAT_TABLE_JSON = click.option(
    "--format", "fmt", type=click.Choice(["table", "json"]), default="table", show_default=True
)


@cli.command()
@kb_option
def check(kb_dir: Path | None) -> None:
    """Load and validate the knowledge base; list every problem (exit 1: warnings, 2: errors)."""
    from ..kb.knowledge_base import bundled_path, load

    reading(kb_dir if kb_dir is not None else bundled_path())
    try:
        kb = load(kb_dir, strict=True, cache=use_cache())
    except KnowledgeBaseError as exc:
        for problem in exc.problems:
            click.echo(str(problem), err=True)
        click.echo(
            f"{_counted(len(exc.problems), 'problem')}: the knowledge base is invalid", err=True
        )
        set_exit_code(EXIT_BAD_INPUT)
        return
    say_which_folder(kb.path)
    for problem in kb.problems:
        click.echo(str(problem), err=True)
    warnings = sum(1 for p in kb.problems if p.severity.value == "warning")
    notes = f"; {_counted(warnings, 'warning')}" if warnings else ""
    click.echo(
        f"ok: {len(kb.documents)} document(s), {len(kb.claims)} statements, "
        f"{len(kb.references)} references ({kb.path}){notes}"
    )
    if warnings:
        set_exit_code(1)


def _counted(count: int, noun: str) -> str:
    return f"{count} {noun}{'' if count == 1 else 's'}"


@cli.command()
@kb_option
@click.option("--section", help="Only statements under this heading (any level, any case).")
@click.option(
    "--unsupported",
    is_flag=True,
    help="Only statements that need a source and cite none (exit 1 if any).",
)
@FORMAT_TABLE_JSON
def claims(kb_dir: Path | None, section: str | None, unsupported: bool, fmt: str) -> None:
    """List the statements, in page order."""
    from ..kb.json_shapes import claim_as_dict

    kb = open_kb(kb_dir)
    selected = kb.unsupported_claims() if unsupported else list(kb.claims)
    if section:
        wanted = section.casefold()
        _check_heading(kb, section)
        selected = [c for c in selected if any(h.casefold() == wanted for h in c.section)]
    if unsupported and selected:
        set_exit_code(1)
    if fmt == "json":
        emit_json({"claims": [claim_as_dict(kb, c) for c in selected]})
        return
    rows = [[kb.claim_id(c), c.kind, c.marker or "-", c.text] for c in selected]
    emit(table(rows, ["ID", "KIND", "MARKER", "TEXT"]) or "no statements\n")


@cli.command()
@kb_option
@click.argument("claim_id")
@FORMAT_TABLE_JSON
def sources(kb_dir: Path | None, claim_id: str, fmt: str) -> None:
    """The references a statement cites, with their identifiers as printed."""
    from ..kb.json_shapes import claim_as_dict, source_as_dict

    kb = open_kb(kb_dir)
    claim = lookup(lambda: kb.claim(claim_id))
    found = kb.sources(claim_id)
    if fmt == "json":
        emit_json(
            {"claim": claim_as_dict(kb, claim), "sources": [source_as_dict(s) for s in found]}
        )
        return
    rows = [
        [
            str(s.reference.page_number or "-"),
            s.key,
            s.relation.value,
            s.citation.assessment.status.value,
            s.reference.doi or (f"PMID {s.reference.pmid}" if s.reference.pmid else "-"),
            s.reference.title,
        ]
        for s in found
    ]
    emit(
        table(rows, ["NO", "KEY", "RELATION", "ASSESSMENT", "IDENTIFIER", "TITLE"])
        or f"{claim_id} cites no source\n"
    )


@cli.command("cited-by")
@kb_option
@click.argument("key")
@FORMAT_TABLE_JSON
def cited_by(kb_dir: Path | None, key: str, fmt: str) -> None:
    """The statements that rest on a reference."""
    from ..kb.json_shapes import claim_as_dict, reference_as_dict

    kb = open_kb(kb_dir)
    reference = lookup(lambda: kb.reference(key))
    citing = kb.claims_citing(key)
    if fmt == "json":
        emit_json(
            {
                "reference": reference_as_dict(reference),
                "claims": [claim_as_dict(kb, c) for c in citing],
            }
        )
        return
    rows = [
        [
            kb.claim_id(c),
            c.marker or "-",
            ",".join(x.relation.value for x in c.citations if x.ref == key),
            c.text,
        ]
        for c in citing
    ]
    emit(table(rows, ["ID", "MARKER", "RELATION", "TEXT"]) or f"no statement cites {key}\n")


@cli.command()
@kb_option
@click.option(
    "--format",
    "fmt",
    type=click.Choice(["graphml", "json", "csv"]),
    required=True,
    help="GraphML (Gephi, yEd), networkx node-link JSON, or CSV files for neo4j-admin import.",
)
@click.option(
    "--output",
    type=click.Path(path_type=Path),
    help="Write to this file (a folder for csv), atomically, instead of standard output.",
)
def graph(kb_dir: Path | None, fmt: str, output: Path | None) -> None:
    """Export the statement-source graph (GraphML, node-link JSON, or Neo4j import CSV)."""
    from ..kb.graph import to_graphml, to_node_link_json
    from ..kb.graph_csv import write_csv

    if fmt == "csv":
        if output is None or _is_file(output):
            raise InputError("--format csv writes several files: give --output FOLDER")
        kb = open_kb(kb_dir)
        try:
            written = write_csv(kb, output)  # streamed: no networkx graph is built
        except OutputError as exc:
            raise InputError(str(exc)) from exc
        click.echo(f"wrote {len(written)} files to {output}", err=True)
        return
    kb = open_kb(kb_dir)
    emit(to_graphml(kb.graph) if fmt == "graphml" else to_node_link_json(kb.graph), output)


def _check_heading(kb: KnowledgeBase, section: str) -> None:
    """An unknown heading is a typo to report (exit 2), not a section with no statements."""
    headings = sorted({h for c in kb.claims for h in c.section})
    wanted = section.casefold()
    if any(h.casefold() == wanted for h in headings):
        return
    close = [h for h in headings if wanted in h.casefold()]
    close = close or difflib.get_close_matches(section, headings, n=3, cutoff=0.5)
    hint = f"; did you mean {', '.join(repr(h) for h in close[:3])}?" if close else ""
    raise InputError(f"no heading {section!r} in the knowledge base{hint}")


def _is_file(path: Path) -> bool:
    try:
        return path.is_file()
    except OSError:  # a folder we may not look into: the write will say so
        return False
