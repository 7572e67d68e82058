"""``proloevidence import``: a draft knowledge base from a page, and what needs an editor's eye."""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING, cast

import click

from ..errors import DraftExistsError, OutputError, PageError
from ..importing.page_formats import PAGE_FORMATS, PageFormat
from ..model import Finding, Severity
from .app import EXIT_BAD_INPUT, EXIT_FINDINGS, InputError, cli, group_kb, set_exit_code

if TYPE_CHECKING:  # loaded by the command that needs them, not for --help
    from ..importing.page_import import Draft

GROUP_TITLES = {
    "unparsed-reference": "references that could not be parsed (kept as printed)",
    "incomplete-reference": "references read only in part",
    "bad-identifier": "printed identifiers that are not well formed (left out)",
    "duplicate-identifier": "identifiers printed by two entries (left out of the later one)",
    "renumbered-references": "reference numbering",
    "no-reference-list": "reference list",
    "unknown-reference-number": "markers naming a reference the list does not print (no link)",
    "doubtful-marker": "numbers in brackets kept as text: a citation or a value? (no link)",
    "marker-without-statement": "markers with no statement before them",
    "several-markers": "sentences with more than one marker (numbers merged)",
    "uncited-reference": "references never cited",
    "no-source": "statements without a source (they need one, or requires_support: false "
    "and a support_note)",
}


@cli.command("import")
@click.argument("page", type=click.Path(path_type=Path, dir_okay=False))
@click.option(
    "--output",
    "-o",
    type=click.Path(path_type=Path, file_okay=False),
    help="Folder for claims.yaml and references.bib. Default: ./DOC_ID",
)
@click.option("--id", "doc_id", help="The document's id. Default: a slug of the page's title.")
@click.option(
    "--page-format",
    type=click.Choice(["auto", *PAGE_FORMATS]),
    default="auto",
    show_default=True,
    help="How to read PAGE; auto guesses from the file name and the text.",
)
@click.option("--force", is_flag=True, help="Overwrite an existing claims.yaml/references.bib.")
def import_page_command(
    page: Path, output: Path | None, doc_id: str | None, page_format: str, force: bool
) -> None:
    """Make a draft knowledge base from a page (text, Markdown or HTML) for an editor."""
    if group_kb() is not None:
        raise click.UsageError("import makes a new knowledge base: it takes no --kb (see --output)")
    from ..importing.page_import import import_file, write_draft
    from ..kb.knowledge_base import validate

    try:
        draft = import_file(
            page,
            doc_id=doc_id,
            fmt=None if page_format == "auto" else cast(PageFormat, page_format),
        )
    except PageError as exc:
        raise InputError(str(exc)) from exc
    folder = output if output is not None else Path(draft.document.id)
    try:
        claims_path, references_path = write_draft(draft, folder, force=force)
    except DraftExistsError as exc:
        hint = " (use --force to overwrite, or --output for another folder)"
        raise InputError(f"{exc}{hint}") from exc
    except OutputError as exc:
        raise InputError(str(exc)) from exc

    click.echo(_summary(draft, page, claims_path, references_path))
    problems = validate(folder)
    for problem in problems:
        click.echo(str(problem), err=True)
    errors = sum(1 for p in problems if p.is_error)
    if errors:
        click.echo(
            f"{errors} problem{'' if errors == 1 else 's'}: {folder} does not load as a "
            "knowledge base (other files in it?)",
            err=True,
        )
        set_exit_code(EXIT_BAD_INPUT)
        return
    warned = any(p.severity is Severity.WARNING for p in problems)
    if warned or any(n.severity is not Severity.INFO for n in draft.notes):
        set_exit_code(EXIT_FINDINGS)


def _summary(draft: Draft, page: Path, claims_path: Path, references_path: Path) -> str:
    marked = sum(1 for c in draft.claims if c.marker)
    links = sum(len(c.citations) for c in draft.claims)
    lines = [
        f"imported {page} ({draft.format}): {len(draft.claims)} statements "
        f"({marked} with a marker, {links} links), {len(draft.references)} references",
        f"wrote {claims_path}",
        f"wrote {references_path}",
    ]
    if draft.notes:
        lines.append("needs an editor's eye:")
    from ..importing.drafting import NOTE_CODES

    texts = {c.id: c.text for c in draft.claims}
    for code in NOTE_CODES:
        notes = draft.notes_with(code)
        if notes:
            lines.append(f"  {GROUP_TITLES[code]} ({len(notes)}):")
            lines.extend(f"    {_line(n, texts)}" for n in notes)
    folder = claims_path.parent
    lines += [
        f"next: review {claims_path} (kinds, requires_support, relations), then",
        f"  proloevidence check --kb {folder}",
    ]
    return "\n".join(lines)


def _line(note: Finding, texts: dict[str, str]) -> str:
    where = f"line {note.location.line}: " if note.location and note.location.line else ""
    if note.code == "no-source":
        text = texts.get(note.subject, "")
        short = text if len(text) <= 60 else text[:57] + "..."
        return f"{where}{note.subject}: {short}"
    return f"{where}{note.message}"
