"""The ``proloevidence`` command group and what every command shares.

Commands are thin twins of library calls: they parse arguments, call the library, print,
and translate errors into messages and exit codes (0 fine, 1 findings, 2 bad input or usage,
3 could not ask: a service needed could not be reached or failed for good).
"""

from __future__ import annotations

import json
import logging
import os
import sys
from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING, Any, TypeVar

import click

from ..atomic import write_text_atomic
from ..errors import KnowledgeBaseError, OutputError, ProloevidenceError, UnknownIdError
from ..model import SCHEMA_VERSION

if TYPE_CHECKING:  # the heavy parts load when a command needs them, not for --help
    from ..kb.knowledge_base import KnowledgeBase
    from ..verification import Verification

EXIT_OK = 0
EXIT_FINDINGS = 1
EXIT_BAD_INPUT = 2
EXIT_COULD_NOT_ASK = 3  # a service needed could not answer: an outage, not a finding
EXIT_INTERRUPTED = 130  # 128 + SIGINT, as shells report it

F = TypeVar("F", bound=Callable[..., Any])


class CommandError(click.ClickException):
    """A failure a command reports in one line on standard error, without a traceback."""

    exit_code = EXIT_BAD_INPUT

    def show(self, file: Any = None) -> None:
        click.echo(f"proloevidence: {self.format_message()}", err=True)


class InputError(CommandError):
    """Bad input (a broken file, an unknown id): exit 2."""


class ServiceFailure(CommandError):
    """A service failed beyond what verification reports as a status: exit 3."""

    exit_code = EXIT_COULD_NOT_ASK


_NO_CACHE = "proloevidence.no_cache"
_GROUP_KB = "proloevidence.group_kb"  # --kb given before the command
_KB_ORIGIN = "proloevidence.kb_origin"  # how the command's folder was chosen
_KB_NOTE = "proloevidence.kb_note"  # said once the command has finished
KB_ENV = "PROLOEVIDENCE_KB"
MACHINE_FORMATS = frozenset({"json", "csv", "graphml", "bibtex", "csl-json", "ris"})
"""Output formats for programs: they get no note on standard error about the folder read."""


def _remember_group_kb(ctx: click.Context, param: click.Parameter, value: Path | None) -> None:
    if value is not None:
        ctx.meta[_GROUP_KB] = value


@click.group(context_settings={"help_option_names": ["-h", "--help"]})
@click.version_option(package_name="proloevidence", prog_name="proloevidence")
@click.option(
    "--kb",
    type=click.Path(path_type=Path),
    expose_value=False,
    callback=_remember_group_kb,
    help="Knowledge base folder for the command (also accepted after it).",
)
def cli() -> None:
    """Show, statement by statement, which sources back a medical text."""


def _remember_no_cache(ctx: click.Context, param: click.Parameter, value: bool) -> None:
    ctx.meta[_NO_CACHE] = bool(value)


def group_kb() -> Path | None:
    """The ``--kb`` given before the command, if any."""
    ctx = click.get_current_context(silent=True)
    return ctx.meta.get(_GROUP_KB) if ctx is not None else None


def _choose_kb(ctx: click.Context, param: click.Parameter, value: Path | None) -> Path | None:
    """The folder a command reads: its ``--kb``, else the group's, else $PROLOEVIDENCE_KB,
    else the current folder when it holds a knowledge base; None means the bundled page."""
    from ..kb.folder import holds_knowledge_base

    origin = "--kb"
    if value is None:
        value = ctx.meta.get(_GROUP_KB)
    if value is None and os.environ.get(KB_ENV):
        value, origin = Path(os.environ[KB_ENV]), f"${KB_ENV}"
    if value is None:
        try:
            here = Path.cwd()
        except OSError:  # the current folder was deleted
            here = None
        if here is not None and holds_knowledge_base(here):
            value, origin = here, "the current folder"
    ctx.meta[_KB_ORIGIN] = origin if value is not None else "the bundled example page"
    return value


def kb_option(func: F) -> F:
    """``--kb DIR`` (also before the command; else $PROLOEVIDENCE_KB, else the current folder
    when it holds a knowledge base, else the bundled page) and ``--no-cache`` (or
    $PROLOEVIDENCE_NO_CACHE), which :func:`open_kb` reads."""
    func = click.option(
        "--no-cache",
        is_flag=True,
        envvar="PROLOEVIDENCE_NO_CACHE",
        expose_value=False,  # kept in ctx.meta: commands need no parameter for it
        callback=_remember_no_cache,
        help="Parse every file; neither read nor write the compiled cache "
        "($PROLOEVIDENCE_CACHE_DIR/kb). Also $PROLOEVIDENCE_NO_CACHE=1.",
    )(func)
    return click.option(
        "--kb",
        "kb_dir",
        type=click.Path(path_type=Path),
        default=None,
        callback=_choose_kb,
        help="Knowledge base folder (.bib files + claims.yaml or claims/). Default: "
        "$PROLOEVIDENCE_KB, else the current folder if it holds one, else the bundled page.",
    )(func)


def use_cache() -> bool:
    """False when the running command was given ``--no-cache`` (or $PROLOEVIDENCE_NO_CACHE)."""
    ctx = click.get_current_context(silent=True)
    return not (ctx is not None and ctx.meta.get(_NO_CACHE, False))


def open_kb(kb_dir: Path | None, *, strict: bool = True) -> KnowledgeBase:
    """Load the knowledge base, turning its problems into one exit-2 message."""
    try:
        from ..kb.knowledge_base import bundled_path, load

        reading(kb_dir if kb_dir is not None else bundled_path())
        kb = load(kb_dir, strict=strict, cache=use_cache())
    except KnowledgeBaseError as exc:
        raise InputError(str(exc)) from exc
    say_which_folder(kb.path)
    return kb


def refuse_bundled(kb: KnowledgeBase, hint: str = "") -> None:
    """InputError when ``kb`` is the bundled example page: commands that write (``add``,
    ``assess``, ``review``) never change the installed package's files."""
    from ..kb.knowledge_base import bundled_path

    if kb.path is not None and kb.path.resolve() == bundled_path().resolve():
        raise InputError(
            f"the bundled example page is not written to: give --kb DIR "
            f"(a copy of {bundled_path()} will do){hint}"
        )


def say_which_folder(folder: Path | None) -> None:
    """Name the folder read, and why that one, in one line on standard error once the
    command has finished (an error stays one line), unless the command prints for a program
    (``--format json`` and the like)."""
    ctx = click.get_current_context(silent=True)
    if ctx is None or folder is None or ctx.params.get("fmt") in MACHINE_FORMATS:
        return
    origin = ctx.meta.get(_KB_ORIGIN, "the bundled example page")
    ctx.meta[_KB_NOTE] = f"proloevidence: knowledge base {folder} ({origin})"


def read_kb_lock(kb: KnowledgeBase, hint: str = "") -> Verification | None:
    """The verification lock beside the knowledge base (None when there is none).

    A lock that cannot be read is bad input (exit 2); ``hint`` is added to the message.
    """
    if kb.path is None:
        return None
    try:
        from ..verifying.lock import lock_path, read_lock

        reading(lock_path(kb.path))
        return read_lock(kb.path)
    except KnowledgeBaseError as exc:
        raise InputError(f"{exc}{hint}") from exc


def lookup(func: Callable[[], Any]) -> Any:
    """Call a library lookup, turning an unknown id into an exit-2 message."""
    try:
        return func()
    except UnknownIdError as exc:
        raise InputError(str(exc)) from exc


def emit(text: str, output: Path | None = None) -> None:
    """Print ``text``, or write it atomically to ``output``."""
    if output is None:
        click.echo(text, nl=not text.endswith("\n"))
        return
    try:
        write_text_atomic(output, text)
    except OutputError as exc:
        raise InputError(str(exc)) from exc
    click.echo(f"wrote {output}", err=True)


def emit_json(payload: dict[str, Any], output: Path | None = None) -> None:
    """Print a JSON document with ``schema_version`` first."""
    document = {"schema_version": SCHEMA_VERSION, **payload}
    emit(json.dumps(document, ensure_ascii=False, indent=2) + "\n", output)


def table(rows: list[list[str]], headers: list[str]) -> str:
    """Left-aligned columns; the last column is not padded."""
    if not rows:
        return ""
    widths = [max(len(r[i]) for r in [headers, *rows]) for i in range(len(headers) - 1)]

    def line(cells: list[str]) -> str:
        padded = [c.ljust(w) for c, w in zip(cells, widths, strict=False)]
        return "  ".join([*padded, cells[-1]]).rstrip()

    return "\n".join([line(headers), *(line(r) for r in rows)]) + "\n"


def main(argv: list[str] | None = None) -> int:
    """Entry point: run the command line and return its exit code (never a traceback)."""
    # Every broken BibTeX entry is a problem we print with its file and line; bibtexparser's
    # own warnings would say it again without the file. (An application's choice, so here:
    # the library leaves other libraries' logging alone.)
    logging.getLogger("bibtexparser").setLevel(logging.ERROR)
    _reading.clear()
    try:
        code = cli.main(args=argv, prog_name="proloevidence", standalone_mode=False)
    except click.exceptions.Exit as exc:
        return int(exc.exit_code)
    except click.exceptions.Abort as exc:
        # Outside standalone mode click turns Ctrl-C into Abort.
        if isinstance(exc.__context__, KeyboardInterrupt):
            click.echo("proloevidence: interrupted", err=True)
            return EXIT_INTERRUPTED
        click.echo("proloevidence: aborted", err=True)
        return EXIT_BAD_INPUT
    except click.ClickException as exc:
        exc.show()
        return exc.exit_code if isinstance(exc, CommandError) else EXIT_BAD_INPUT
    except ProloevidenceError as exc:
        click.echo(f"proloevidence: {exc}", err=True)
        return EXIT_BAD_INPUT
    except BrokenPipeError:
        # The reader went away (``| head``): not an error of ours.
        devnull = os.open(os.devnull, os.O_WRONLY)
        os.dup2(devnull, sys.stdout.fileno())
        return EXIT_OK
    except OSError as exc:
        # A file or stream the system refused (a full disk, a folder we may not read) that
        # no command anticipated: one line naming it, as for every other bad input.
        where = f"{exc.filename}: " if exc.filename else ""
        click.echo(f"proloevidence: {where}{exc.strerror or exc}", err=True)
        return EXIT_BAD_INPUT
    except KeyboardInterrupt:
        click.echo("proloevidence: interrupted", err=True)
        return EXIT_INTERRUPTED
    except (RecursionError, MemoryError) as exc:
        # Every parser bounds depth and size; one we missed must still not print a traceback
        # at a user. In tests, and with $PROLOEVIDENCE_DEBUG, it is a bug to see whole.
        if os.environ.get("PYTEST_CURRENT_TEST") or os.environ.get(DEBUG_ENV):
            raise
        what = "nested too deeply" if isinstance(exc, RecursionError) else "too large"
        where = _reading[-1] if _reading else "the input"
        click.echo(
            f"proloevidence: {where}: {what} to read ({type(exc).__name__}); "
            f"if the file looks ordinary, please report it (${DEBUG_ENV}=1 shows where)",
            err=True,
        )
        return EXIT_BAD_INPUT
    # The group's result callback turns what the commands reported into the code.
    return code if isinstance(code, int) else EXIT_OK


_EXIT_CODE = "proloevidence.exit_code"

DEBUG_ENV = "PROLOEVIDENCE_DEBUG"
"""Set it to see a RecursionError or MemoryError whole, with its traceback."""

_reading: list[str] = []


def reading(path: str | os.PathLike[str]) -> None:
    """Note the file or folder a command is about to read: the last-resort error names it."""
    _reading.append(str(path))


def set_exit_code(code: int) -> None:
    """Report findings (1), bad input (2) or a service that could not be asked (3) from a
    command that goes on to print its output;
    :func:`main` returns the highest code reported, once the command has finished."""
    meta = click.get_current_context().meta  # one dict, shared by the group and its command
    meta[_EXIT_CODE] = max(meta.get(_EXIT_CODE, EXIT_OK), code)


@cli.result_callback()
def _exit_code(result: object) -> int:
    meta = click.get_current_context().meta
    if _KB_NOTE in meta:
        click.echo(meta[_KB_NOTE], err=True)
    return int(meta.get(_EXIT_CODE, EXIT_OK))
