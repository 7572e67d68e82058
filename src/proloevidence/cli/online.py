"""What ``verify`` and ``audit --online`` share: asking the services, and saying what it did.

The progress bar (with what it waits for), ``-v`` (each request on standard error), and the
one line per service that could not be reached, with exit code 3 ("could not ask").
"""

from __future__ import annotations

import contextlib
import logging
import sys
import threading
from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING, TextIO

import click

from ..errors import ServiceError
from .app import EXIT_COULD_NOT_ASK, InputError, ServiceFailure, set_exit_code

if TYPE_CHECKING:  # loaded by the command that needs them, not for --help
    from ..kb.knowledge_base import KnowledgeBase
    from ..services.http import Outage
    from ..verification import Verification


class ProgressBar:
    """``verifying [#####.....] 3/5`` redrawn on one line of a terminal, followed by what the
    run waits for, if anything (``Crossref: HTTP 429, retrying in 4 s``)."""

    def __init__(self, stream: TextIO, width: int = 30) -> None:
        self.stream = stream
        self.width = width
        self.drawn = False
        self._done, self._total = 0, 0
        self._note = ""
        self._shown = 0
        self._lock = threading.Lock()

    def __call__(self, done: int, total: int) -> None:
        with self._lock:
            if done != self._done:
                self._note = ""  # progress: whatever it waited for has passed
            self._done, self._total = done, total
            self._draw()

    def note(self, text: str) -> None:
        """Show what the run waits for, until the next reference is done."""
        with self._lock:
            self._note = text
            if self.drawn:
                self._draw()

    def _draw(self) -> None:
        done, total = self._done, self._total
        filled = self.width * done // total if total else self.width
        bar = "#" * filled + "." * (self.width - filled)
        line = f"verifying [{bar}] {done}/{total}" + (f"  {self._note}" if self._note else "")
        # Spaces over what a longer line left, so no old note shows through.
        self.stream.write("\r" + line.ljust(self._shown))
        self.stream.flush()
        self._shown = len(line)
        self.drawn = True

    def finish(self) -> None:
        if self.drawn:
            self.stream.write("\n")
            self.stream.flush()


@contextlib.contextmanager
def request_log(enabled: bool) -> Iterator[None]:
    """With ``-v``: every request (method, URL without secrets, status, time) on stderr."""
    if not enabled:
        yield
        return
    logger = logging.getLogger("proloevidence.services")
    handler = logging.StreamHandler(sys.stderr)
    handler.setFormatter(logging.Formatter("proloevidence: %(message)s"))
    level = logger.level
    logger.setLevel(logging.INFO)
    logger.addHandler(handler)
    try:
        yield
    finally:
        logger.removeHandler(handler)
        logger.setLevel(level)


def verbose_option(func: click.decorators.FC) -> click.decorators.FC:
    return click.option(
        "-v",
        "--verbose",
        is_flag=True,
        help="Log each request to the services (method, URL without secrets, status, "
        "time) on standard error.",
    )(func)


@dataclass(frozen=True)
class Online:
    """A verification and the services that could not be reached while making it."""

    verification: Verification
    outages: tuple[Outage, ...]


def verify_online(
    kb: KnowledgeBase,
    keys: Sequence[str] = (),
    *,
    offline: bool = False,
    refresh: bool = False,
    verbose: bool = False,
) -> Online:
    """Verify ``kb`` (or only ``keys``) as every command does: the default resolver, configured
    from the environment (base URLs, contact address, NCBI key, cache folder; docs/services.md),
    with a progress bar on standard error when it is a terminal (and not ``verbose``).

    A service failure the resolver could not report as a status raises ServiceFailure (exit 3);
    an unusable cache raises InputError (exit 2).
    """
    import requests

    from ..services.resolver import Resolver  # the network layer loads only when a command needs it
    from ..verifying.verdicts import verify

    bar = ProgressBar(sys.stderr) if sys.stderr.isatty() and not verbose else None
    try:
        with (
            request_log(verbose),
            Resolver(
                offline=offline, refresh=refresh, notify=bar.note if bar else None
            ) as resolver,
        ):
            verification = verify(kb, resolver, keys=keys or None, progress=bar)
            return Online(verification, tuple(resolver.outages))
    except (ServiceError, requests.RequestException) as exc:
        # The resolver reports failures as data; this is the last line of defence.
        raise ServiceFailure(f"a service failed: {exc}") from exc
    except OSError as exc:
        raise InputError(f"cannot use the cache: {exc}") from exc
    finally:
        if bar:
            bar.finish()


def report_could_not_ask(online: Online, advice: str) -> None:
    """One line per service that could not be reached (or one for other service failures),
    on standard error, and exit code 3, when any reference could not be checked."""
    from ..verification import Status

    unreachable = [
        r for r in online.verification.results.values() if r.status is Status.UNREACHABLE
    ]
    lines = []
    # By name, not in the order the parallel lanes gave up: the same lines every run.
    for outage in sorted(online.outages, key=lambda o: o.service.casefold()):
        what = (
            "the rest was not verified against it"
            if outage.answered
            else "nothing was verified against it"
        )
        lines.append(
            f"{outage.service}: cannot connect to {outage.host} ({outage.reason}); {what}; {advice}"
        )
    if unreachable and not lines:
        lines.append(
            f"{len(unreachable)} reference(s) could not be checked: a service failed "
            "(each one's message says how); run again later"
        )
    for line in lines:
        click.echo(line, err=True)
    if lines:
        set_exit_code(EXIT_COULD_NOT_ASK)
