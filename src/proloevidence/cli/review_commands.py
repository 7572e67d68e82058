"""An editor's judgement of each link: ``assess`` (one link), ``review`` (a page in a browser)."""

from __future__ import annotations

from pathlib import Path

import click

from ..errors import ProloevidenceError
from .app import InputError, cli, kb_option, open_kb

JUDGEMENT_NAMES = ("supported", "partly", "not-supported")


@cli.command()
@kb_option
@click.argument("claim_id")
@click.argument("key")
@click.option(
    "--as",
    "status",
    type=click.Choice(JUDGEMENT_NAMES),
    required=True,
    help="What the source says of the statement, once read.",
)
@click.option("--locator", help="Where in the source: 'p. 367, Table 2'.")
@click.option("--quote", help="The passage that bears on the statement.")
@click.option("--note", help="Anything else worth keeping.")
@click.option("--by", "reviewer", help="Who read the source.")
def assess(
    kb_dir: Path | None,
    claim_id: str,
    key: str,
    status: str,
    locator: str | None,
    quote: str | None,
    note: str | None,
    reviewer: str | None,
) -> None:
    """Record an editor's judgement of one link in claims.yaml (today's date; the rest of the
    file is kept byte for byte)."""
    from ..kb.claims_editor import assess as record

    kb = open_kb(kb_dir)
    try:
        link = record(
            claim_id, key, status, locator=locator, quote=quote, note=note, by=reviewer, kb=kb
        )
    except ProloevidenceError as exc:
        raise InputError(str(exc)) from exc
    claim = kb.claim(claim_id)
    where = claim.location.file if claim.location else "claims.yaml"
    date = link.assessment.date.isoformat() if link.assessment.date else ""
    click.echo(f"{kb.claim_id(claim)} <- {key}: {status} ({date}) written to {where}")
