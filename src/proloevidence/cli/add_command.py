"""``proloevidence add``: references by DOI or PMID, looked up and appended to references.bib."""

from __future__ import annotations

from pathlib import Path

import click

from ..errors import OutputError, ServiceError
from .app import (
    EXIT_BAD_INPUT,
    EXIT_COULD_NOT_ASK,
    InputError,
    ServiceFailure,
    cli,
    kb_option,
    open_kb,
    refuse_bundled,
    set_exit_code,
)

# A refusal's reason -> the exit code it gives: the services could not be asked (3, as
# ``verify`` reports an unreachable service), or the identifier itself is the problem (2).
_EXIT = {
    "unreachable": EXIT_COULD_NOT_ASK,
    "offline": EXIT_COULD_NOT_ASK,
    "malformed": EXIT_BAD_INPUT,
    "duplicate": EXIT_BAD_INPUT,
    "not-found": EXIT_BAD_INPUT,
}


@cli.command("add")
@kb_option
@click.argument("identifiers", nargs=-1, required=True)
@click.option("--dry-run", is_flag=True, help="Print the entries; write nothing.")
@click.option("--offline", is_flag=True, help="Use only cached answers; never the network.")
def add_command(
    kb_dir: Path | None, identifiers: tuple[str, ...], dry_run: bool, offline: bool
) -> None:
    """Look references up by DOI or PMID (doi:10.x/y, pmid:123) and append them to
    references.bib; print the entries added (exit 2 for a refused identifier)."""
    import requests

    from ..importing.add_references import add_references

    kb = open_kb(kb_dir)
    if not dry_run:
        refuse_bundled(kb, ", or --dry-run")
    try:
        plan = add_references(kb, identifiers, dry_run=dry_run, offline=offline)
    except OutputError as exc:
        raise InputError(str(exc)) from exc
    except (ServiceError, requests.RequestException) as exc:
        raise ServiceFailure(f"a service failed: {exc}") from exc
    if plan.entries:
        click.echo("\n\n".join(plan.entries))
    for note in plan.notes:
        click.echo(f"proloevidence: note: {note}", err=True)
    for refusal in plan.refused:
        click.echo(f"proloevidence: {refusal}", err=True)
        set_exit_code(_EXIT[refusal.reason])
    count = f"{len(plan.added)} entr{'y' if len(plan.added) == 1 else 'ies'}"
    if dry_run:
        click.echo(f"would add {count} to {plan.file} (--dry-run: nothing written)", err=True)
    elif plan.written:
        click.echo(f"added {count} to {plan.file}", err=True)
    else:
        click.echo(f"nothing added to {plan.file}", err=True)
