"""What went wrong with a request, in words a user can act on, and whether to try again.

The HTTP client (services/http.py) raises :class:`Retry` for what may mend (a 503, a cut-off
body, a refused connection), :class:`Final` for what will not (a 400, a wrong shape, a
redirect refused), and hands callers one :class:`ServiceFault` when it gives up. A fault
that says the service *cannot be reached* (no name, nothing listening, no TLS, no answer
at all) carries ``unreachable``: the client stops asking that service (:class:`Outage`).
"""

from __future__ import annotations

import email.utils
import random
import time
import xml.etree.ElementTree as ET
from collections.abc import Iterator
from dataclasses import dataclass
from typing import Any, Literal

import requests
import urllib3

from ..text.bounded_parsing import JsonTooDeep, XmlTooDeep, loads_json, parse_xml

Expect = Literal["json", "xml", "none"]


@dataclass(frozen=True)
class RetryPolicy:
    """How often and how long to retry a failing request.

    Delays grow ``backoff``, ``backoff*factor``, ... up to ``max_delay`` (plus up to 10%
    jitter); a ``Retry-After`` header replaces the computed delay. No more than
    ``attempts`` tries, and no retry that would end later than ``total`` seconds after the
    first try.
    """

    attempts: int = 5
    backoff: float = 1.0
    factor: float = 2.0
    max_delay: float = 30.0
    total: float = 120.0

    def delay(self, attempt: int) -> float:
        """The pause after failed try number ``attempt`` (1-based)."""
        base = min(self.max_delay, self.backoff * self.factor ** (attempt - 1))
        return base * (1 + random.uniform(0, 0.1))


class ServiceFault(Exception):
    """A service failed for good; ``str()`` is ``"<host>: <fault> (<url>)"``, secrets removed.

    ``unreachable``: the service could not be reached at all (:class:`Outage`); the URL is
    then left out of ``str()``, since every URL of that host failed alike.
    """

    def __init__(self, host: str, fault: str, url: str, *, unreachable: bool = False) -> None:
        self.host = host
        self.fault = fault
        self.url = url
        self.unreachable = unreachable
        super().__init__(f"{host}: {fault}" if unreachable else f"{host}: {fault} ({url})")


@dataclass(frozen=True)
class Outage:
    """A service that could not be reached: after it, the run asks it nothing more.

    ``reason`` is short ("name resolution failed", "connection refused"); ``fault`` is the
    failure every reference that needed the service carries; ``answered`` whether it had
    answered anything before.
    """

    service: str
    host: str
    reason: str
    fault: str
    answered: bool


class Retry(Exception):
    """Worth another try. ``unreachable`` (a short reason) when the service was not reached;
    ``hard`` when that is certain (a connection failure), not only likely (a read timeout)."""

    def __init__(
        self,
        fault: str,
        retry_after: float | None = None,
        *,
        unreachable: str | None = None,
        hard: bool = False,
    ) -> None:
        self.fault = fault
        self.retry_after = retry_after
        self.unreachable = unreachable
        self.hard = hard
        super().__init__(fault)


class Final(Exception):
    """Not worth another try."""


def sending_fault(exc: requests.RequestException, timeout: float) -> Retry | Final:
    """What a failure to get a status line and headers means (not the deadline: the caller
    checks that first)."""
    if isinstance(exc, requests.exceptions.InvalidURL | requests.exceptions.InvalidSchema):
        return Final(f"not a usable URL ({type(exc).__name__})")
    if isinstance(exc, requests.ConnectTimeout):
        within = f"no connection within {timeout:g} s"
        return Retry(within, unreachable=within, hard=True)
    if isinstance(exc, requests.Timeout):
        within = f"no answer within {timeout:g} s"
        return Retry(within, unreachable=within)
    if isinstance(exc, requests.exceptions.SSLError):
        return Retry(f"TLS failed ({cause(exc)})", unreachable="TLS failed", hard=True)
    if _in_chain(exc, urllib3.exceptions.NameResolutionError):
        why = cause(exc)
        return Retry(f"connection failed ({why})", unreachable="name resolution failed", hard=True)
    if _in_chain(exc, urllib3.exceptions.NewConnectionError):
        why = cause(exc)
        return Retry(f"connection failed ({why})", unreachable=why.lower(), hard=True)
    return Retry(f"connection failed ({cause(exc)})")


def _in_chain(exc: BaseException, kind: type[BaseException]) -> bool:
    return any(isinstance(seen, kind) for seen in _chain(exc))


def _chain(exc: BaseException) -> Iterator[BaseException]:
    """The exception and what it wraps: requests' wraps urllib3's, which wraps the OS's."""
    seen: BaseException | None = exc
    for _ in range(10):  # the chain is short; a cycle must not hang us
        if seen is None:
            return
        yield seen
        reason = getattr(seen, "reason", None)
        first = seen.args[0] if seen.args else None
        seen = (
            reason
            if isinstance(reason, BaseException)
            else first
            if isinstance(first, BaseException)
            else seen.__cause__ or seen.__context__
        )


def cause(exc: BaseException) -> str:
    """What went wrong underneath: "Connection refused", "Name or service not known"...

    Only the operating system's words, never the exception's text, which carries the URL
    (and with it any key in the query).
    """
    for seen in _chain(exc):
        if isinstance(seen, OSError) and seen.strerror:
            return seen.strerror
    return type(exc).__name__


def parse_body(body: bytes, expect: Expect) -> Any:
    """JSON or XML from a 200; a garbled body is worth a retry, a wrong shape is final.

    Both parses are bounded in depth (text/bounded_parsing.py): an answer nested deeper
    than any real one is a final failure, never a RecursionError.
    """
    head = body.lstrip()[:200].lower()
    if head.startswith((b"<!doctype html", b"<html")):
        raise Retry(f"an HTML page instead of {expect.upper()}")
    if expect == "json":
        if not body.strip():
            raise Retry("an empty answer instead of JSON")
        try:
            return loads_json(body)
        except JsonTooDeep as exc:
            raise Final(f"unexpected answer: JSON {first_line(exc)}") from None
        except ValueError as exc:
            raise Retry(f"truncated or invalid JSON ({first_line(exc)})") from None
    try:
        return parse_xml(body)
    except XmlTooDeep as exc:
        raise Final(f"unexpected answer: XML {first_line(exc)}") from None
    except ET.ParseError as exc:
        raise Retry(f"truncated or invalid XML ({first_line(exc)})") from None


def first_line(exc: Exception) -> str:
    return str(exc).splitlines()[0][:120] if str(exc) else type(exc).__name__


def retry_after(value: str | None) -> float | None:
    """Seconds from a ``Retry-After`` header (delta-seconds or an HTTP date)."""
    if not value:
        return None
    value = value.strip()
    if value.isdigit():
        return float(value)
    try:
        when = email.utils.parsedate_to_datetime(value)
    except (TypeError, ValueError):
        return None
    return max(0.0, when.timestamp() - time.time())
