"""The editor's commands: ``audit`` (the report) and ``fix`` (corrections to references.bib)."""

from __future__ import annotations

import dataclasses
import os
import sys
from pathlib import Path
from typing import TYPE_CHECKING

import click

from ..errors import OutputError
from ..model import Severity
from .app import (
    EXIT_FINDINGS,
    InputError,
    cli,
    emit,
    kb_option,
    open_kb,
    read_kb_lock,
    refuse_bundled,
    set_exit_code,
)
from .online import report_could_not_ask, verbose_option, verify_online
from .verify_commands import merge

if TYPE_CHECKING:  # loaded by the command that needs them, not for --help
    from ..verifying.fix import FixPlan


@cli.command()
@kb_option
@click.option(
    "--online",
    is_flag=True,
    help="Verify every reference with the services first (otherwise: the lock only, offline).",
)
@click.option(
    "--format",
    "fmt",
    type=click.Choice(["text", "json", "markdown", "html"]),
    default="text",
    show_default=True,
)
@click.option(
    "--output",
    type=click.Path(path_type=Path, dir_okay=False),
    help="Write the report to this file (atomically) instead of standard output.",
)
@click.option(
    "--fail-on",
    type=click.Choice(["error", "warning", "never"]),
    default="error",
    show_default=True,
    help="Exit 1 when a finding is at least this severe.",
)
@click.option(
    "--max-age",
    "max_age",
    type=click.IntRange(min=0, max=36500),  # a century: beyond it, no bound at all
    default=90,
    show_default=True,
    help="Days after which the verification counts as stale (an info finding).",
)
@verbose_option
def audit(
    kb_dir: Path | None,
    online: bool,
    fmt: str,
    output: Path | None,
    fail_on: str,
    max_age: int,
    verbose: bool,
) -> None:
    """Statement by statement: what backs the page and what is broken (exit 1 on findings;
    3 when --online could not ask a service)."""
    from ..auditing.audit_report import audit as run_audit
    from ..auditing.report import render
    from ..verification import Status

    kb = open_kb(kb_dir, strict=False)
    asked = verify_online(kb, verbose=verbose) if online else None
    verification = asked.verification if asked else read_kb_lock(kb)
    if asked and any(
        r.status in (Status.UNREACHABLE, Status.UNVERIFIED)
        for r in asked.verification.results.values()
    ):
        # What could not be checked now keeps the lock's verdict (the offline report), and
        # the lock's date: the oldest verdict standing says how stale the report is.
        lock = read_kb_lock(kb)
        verification = merge(kb, lock, asked.verification)
        if lock is not None and any(
            lock.results.get(k) is r for k, r in verification.results.items()
        ):
            verification = dataclasses.replace(verification, created=lock.created)
    report = run_audit(kb, verification, max_age_days=max_age)
    title = "Audit: " + ", ".join(d.title or d.id for d in kb.documents.values())
    options: dict[str, object] = {}
    if fmt == "text":
        options["color"] = output is None and _colour_terminal()
    elif fmt in ("markdown", "html"):
        options["title"] = title
    emit(render(report, fmt, **options), output)
    if fail_on != "never" and report.at_or_above(Severity(fail_on)):
        set_exit_code(EXIT_FINDINGS)
    if asked:
        report_could_not_ask(asked, "run again online, or audit without --online")


def _colour_terminal() -> bool:
    # https://no-color.org: any non-empty NO_COLOR turns colour off.
    return sys.stdout.isatty() and not os.environ.get("NO_COLOR")


@cli.command()
@kb_option
@click.option("--write", is_flag=True, help="Apply the corrections (a .bak backup is kept).")
@click.option(
    "--accept",
    "accept",
    multiple=True,
    metavar="KEY",
    help="Allow the correction of KEY even though it replaces both title and authors.",
)
def fix(kb_dir: Path | None, write: bool, accept: tuple[str, ...]) -> None:
    """Propose corrections to references.bib from the verification lock, as a diff."""
    from ..auditing.report import clean
    from ..kb.bib_editor import BibEditError
    from ..verifying.fix import plan_fixes, write_fixes
    from ..verifying.lock import LOCK_NAME

    kb = open_kb(kb_dir, strict=False)
    if write:
        refuse_bundled(kb)
    verification = read_kb_lock(kb)
    if verification is None:
        raise InputError(
            f"no verification lock ({LOCK_NAME}) in {kb.path}; "
            "run `proloevidence verify --lock` first"
        )
    unknown = [key for key in accept if key not in kb.references]
    if unknown:
        raise InputError(f"--accept names no reference: {', '.join(unknown)}")
    try:
        plan = plan_fixes(kb, verification, accept=set(accept))
    except (BibEditError, OSError) as exc:
        raise InputError(str(exc)) from exc
    for note in plan.notes:
        click.echo(f"note: {clean(note)}", err=True)
    _describe_refused(plan)
    diff = plan.diff(kb.path)
    if diff:
        click.echo(diff, nl=False)
    if write and plan.texts:
        try:
            written = write_fixes(plan)
        except OutputError as exc:
            raise InputError(str(exc)) from exc
        for path in written:
            click.echo(f"wrote {path} (the previous file is {path.name}.bak)", err=True)
    if plan.refused or (plan.texts and not write):
        set_exit_code(EXIT_FINDINGS)
    elif not plan.texts:
        click.echo("nothing to correct", err=True)


def _describe_refused(plan: FixPlan) -> None:
    from ..auditing.report import clean

    for proposal in plan.refused:
        click.echo(
            f"{proposal.key}: not applied: the correction replaces both title and authors, "
            f"so the identifier may lead to another work. Review it, then rerun with "
            f"--accept {proposal.key}:",
            err=True,
        )
        for change in proposal.changes:
            click.echo(
                f"  {change.field}: {clean(repr(change.old))} -> {clean(repr(change.new))}",
                err=True,
            )
