"""An editor's judgement of each link: ``assess`` (one link), ``review`` (a page in a browser)."""

from __future__ import annotations

from pathlib import Path

import click

from ..errors import ProloevidenceError
from ..model import AssessmentStatus
from .app import InputError, cli, kb_option, open_kb, read_kb_lock, refuse_bundled

# What an editor may record: the model's statuses but the starting one, as
# kb.claims_editor.JUDGEMENTS (not imported here: it brings yaml into every command's start).
JUDGEMENT_NAMES = tuple(s.value for s in AssessmentStatus if s is not AssessmentStatus.UNREVIEWED)


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
    refuse_bundled(kb)
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


@cli.command()
@kb_option
@click.option(
    "--port",
    type=click.IntRange(0, 65535),
    default=0,
    help="Port on 127.0.0.1 (default: a free one).",
)
@click.option("--no-browser", is_flag=True, help="Print the address; do not open a browser.")
@click.option("--by", "reviewer", default="", help="The reviewer's name, filled in the form.")
def review(kb_dir: Path | None, port: int, no_browser: bool, reviewer: str) -> None:
    """Read each statement against its sources in a browser and record the judgements
    (served on 127.0.0.1 until Ctrl-C)."""
    from ..reviewing.review_queue import off_topic_first
    from ..reviewing.server import ReviewServer

    kb = open_kb(kb_dir)  # a broken knowledge base is exit 2 before anything is served
    if kb.path is None:
        raise InputError("the knowledge base has no folder to write judgements into")
    refuse_bundled(kb)  # each judgement is written into claims.yaml
    cached = None
    if read_kb_lock(kb) is None:  # (a broken lock is exit 2 here, not an error page later)
        from .online import verify_online

        # No lock yet: what earlier `verify` runs left in the lookup cache, with no request.
        cached = verify_online(kb, offline=True).verification
        click.echo(
            "no verification.json: records from the lookup cache "
            "(`proloevidence verify --lock` keeps them with the knowledge base)",
            err=True,
        )
    try:
        server = ReviewServer(
            kb.path, port=port, reviewer=reviewer, verification=cached, rank=off_topic_first
        )
    except OSError as exc:
        raise InputError(f"cannot serve on 127.0.0.1:{port}: {exc.strerror or exc}") from exc
    click.echo(f"reviewing {kb.path} at {server.url}")
    click.echo("press Ctrl-C to stop", err=True)
    if not no_browser:
        import webbrowser

        webbrowser.open(server.url)
    try:
        server.serve_forever()
    finally:
        server.close()
