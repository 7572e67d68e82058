"""``proloevidence verify``: check every reference against Crossref, doi.org and PubMed."""

from __future__ import annotations

from collections.abc import Mapping
from pathlib import Path
from typing import TYPE_CHECKING, Any

import click

from ..errors import OutputError, UnknownIdError
from .app import (
    EXIT_FINDINGS,
    InputError,
    cli,
    emit,
    emit_json,
    kb_option,
    open_kb,
    read_kb_lock,
    refuse_bundled,
    set_exit_code,
)
from .online import report_could_not_ask, verbose_option, verify_online

if TYPE_CHECKING:  # loaded by the command that needs them, not for --help
    from ..kb.knowledge_base import KnowledgeBase
    from ..verification import Record, Verification, VerificationResult


def merge(kb: KnowledgeBase, old: Verification | None, new: Verification) -> Verification:
    """The lock to write: ``new`` over ``old``, in knowledge-base order.

    References not verified this time keep their locked result; a reference that could not be
    checked now (unreachable, unverified) keeps a locked verdict rather than losing it.
    Results of references no longer in the knowledge base are dropped.
    """
    from ..verification import Status, Verification

    kept: dict[str, VerificationResult] = {}
    for key in kb.references:
        fresh = new.results.get(key)
        locked = old.results.get(key) if old else None
        inconclusive = fresh is not None and fresh.status in (Status.UNREACHABLE, Status.UNVERIFIED)
        if fresh is not None and not (inconclusive and locked is not None):
            kept[key] = fresh
        elif locked is not None:
            kept[key] = locked
    return Verification(results=kept, created=new.created)


def cite_record(record: Record) -> str:
    """A record as a Vancouver-style citation with its identifiers."""
    from ..text.names import format_authors
    from ..text.titles import clean_title

    authors = format_authors(record.authors[:3], et_al=len(record.authors) > 3)
    title = clean_title(record.title).rstrip(".")
    journal = record.journal_abbrev or record.journal
    locator = str(record.year or "")
    locator += f";{record.volume}" if record.volume else ""
    locator += f"({record.issue})" if record.issue else ""
    locator += f":{record.pages}" if record.pages else ""
    ids = [f"doi:{record.doi}" if record.doi else "", f"PMID {record.pmid}" if record.pmid else ""]
    parts = [authors, title, journal, locator, " ".join(filter(None, ids))]
    return " ".join(p if p.endswith(".") else p + "." for p in parts if p).rstrip(".")


def format_result(result: VerificationResult) -> str:
    """One reference as text: status line, differing fields, notices, suggestion."""
    head = f"{result.key}: {result.status.value}"
    lines = [f"{head}: {result.message}" if result.message else head]
    for field in result.fields:
        if field.match == "mismatch":
            note = f"  ({field.note})" if field.note else ""
            lines.append(f"  {field.field}: cited {field.cited!r}; found {field.found!r}{note}")
    for notice in result.notices:
        detail = ", ".join(filter(None, [notice.doi, notice.date, notice.source, notice.label]))
        lines.append(
            f"  notice: {notice.type.replace('_', ' ')}" + (f" ({detail})" if detail else "")
        )
    if result.suggestion:
        lines.append(
            f"  suggestion (score {result.suggestion.score}, not applied): "
            + cite_record(result.suggestion.record)
        )
        lines.append(f"    why: {result.suggestion.reason}")
    if result.sources:
        lines.append(f"  asked: {', '.join(result.sources)}")
    return "\n".join(lines)


def format_summary(counts: Mapping[str, int]) -> str:
    parts = [f"{n} {status}" for status, n in counts.items() if status != "total" and n]
    return f"{counts['total']} reference(s): " + (", ".join(parts) or "none")


@cli.command("verify")
@kb_option
@click.argument("keys", nargs=-1)
@click.option(
    "--format", "fmt", type=click.Choice(["text", "json"]), default="text", show_default=True
)
@click.option("--offline", is_flag=True, help="Use only cached answers; never the network.")
@click.option("--refresh", is_flag=True, help="Ignore cached answers and ask the services again.")
@click.option(
    "--lock", "write", is_flag=True, help="Write verification.json beside the knowledge base."
)
@verbose_option
def verify_command(
    kb_dir: Path | None,
    keys: tuple[str, ...],
    fmt: str,
    offline: bool,
    refresh: bool,
    write: bool,
    verbose: bool,
) -> None:
    """Check each reference against Crossref, doi.org and PubMed (exit 1 unless all verified;
    3 when a service could not be asked)."""
    from ..verification import Status
    from ..verifying.verdicts import summary

    if offline and refresh:
        raise InputError("--offline and --refresh cannot be used together")
    kb = open_kb(kb_dir)
    for key in keys:
        try:
            kb.reference(key)
        except UnknownIdError as exc:
            raise InputError(str(exc)) from exc
    if write and kb.path is None:
        raise InputError("the knowledge base has no folder to write verification.json into")
    if write:
        refuse_bundled(kb, " (or verify without --lock)")
    # Read the old lock first: a broken one stops us before any request is made.
    locked = read_kb_lock(kb, " (move it aside to write a new lock)") if write else None
    online = verify_online(kb, keys, offline=offline, refresh=refresh, verbose=verbose)
    verification = online.verification
    results = list(verification.results.values())
    counts = summary(verification)
    if fmt == "json":
        payload: dict[str, Any] = {
            "results": [r.as_dict() for r in results],
            "summary": counts,
        }
        emit_json(payload)
    else:
        emit("\n".join([*(format_result(r) for r in results), format_summary(counts)]) + "\n")
    if write:
        _write_lock(kb, merge(kb, locked, verification))
    if any(r.status is not Status.VERIFIED for r in results):
        set_exit_code(EXIT_FINDINGS)
    report_could_not_ask(online, "run again online, or use --offline")


def _write_lock(kb: KnowledgeBase, verification: Verification) -> None:
    assert kb.path is not None  # checked before verifying
    try:
        from ..verifying.lock import write_lock

        path = write_lock(kb.path, verification)
    except OutputError as exc:
        raise InputError(str(exc)) from exc
    click.echo(f"wrote {path}", err=True)
