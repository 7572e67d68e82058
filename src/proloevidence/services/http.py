"""The one place that sends HTTP requests: limits, retries, timeouts, size bounds, parsing.

:meth:`HttpClient.request` waits for the service's
:class:`~proloevidence.services.rate_limit.Limiter`,
sends with a timeout, reads at most ``max_bytes`` of the body, retries 429, 5xx, connection
errors, timeouts and garbled bodies (an HTML page or cut-off JSON on a 200) with exponential
back-off that honours ``Retry-After``, bounded in attempts and in total time, and parses
the body as JSON or XML. When a service fails for good it raises :class:`ServiceFault`,
whose text names the host, the fault and the URL without the API key or e-mail address;
the resolver turns it into data (``Lookup.failures``).
"""

from __future__ import annotations

import email.utils
import json
import logging
import random
import re
import time
import urllib.parse
import xml.etree.ElementTree as ET
from collections.abc import Callable, Collection, Iterator, Mapping
from dataclasses import dataclass
from importlib.metadata import PackageNotFoundError, version
from typing import Any, Literal

import requests
import urllib3

from .payloads import ShapeError
from .rate_limit import Limiter

log = logging.getLogger(__name__)

PROJECT_URL = "https://github.com/proloevidence/proloevidence"
SECRET_PARAMS = frozenset({"api_key", "email", "mailto"})
RETRY_STATUSES = frozenset({429, 500, 502, 503, 504})

Expect = Literal["json", "xml", "none"]


def package_version() -> str:
    try:
        return version("proloevidence")
    except PackageNotFoundError:  # a source tree that was never installed
        return "0.0.0"


def user_agent(mailto: str | None) -> str:
    """``proloevidence/<version> (+<project URL>; mailto:<address>)``: Crossref's polite form."""
    contact = f"; mailto:{mailto}" if mailto else ""
    return f"proloevidence/{package_version()} (+{PROJECT_URL}{contact})"


def redact_url(url: str) -> str:
    """The URL without ``api_key``, ``email`` and ``mailto`` query parameters."""
    parts = urllib.parse.urlsplit(url)
    if not parts.query:
        return url
    kept = [
        (k, v)
        for k, v in urllib.parse.parse_qsl(parts.query, keep_blank_values=True)
        if k.lower() not in SECRET_PARAMS
    ]
    return urllib.parse.urlunsplit(parts._replace(query=urllib.parse.urlencode(kept)))


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
    """A service failed for good; ``str()`` is ``"<host>: <fault> (<url>)"``, secrets removed."""

    def __init__(self, host: str, fault: str, url: str) -> None:
        self.host = host
        self.fault = fault
        self.url = url
        super().__init__(f"{host}: {fault} ({url})")


@dataclass(frozen=True)
class Reply:
    """A successful answer: its status, final URL (redacted), headers and parsed body."""

    status: int
    url: str
    headers: Mapping[str, str]
    data: Any


class _Retry(Exception):
    def __init__(self, fault: str, retry_after: float | None = None) -> None:
        self.fault = fault
        self.retry_after = retry_after
        super().__init__(fault)


class _Final(Exception):
    pass


class HttpClient:
    """Sends requests through a ``requests.Session`` with the policies above.

    ``secrets`` are values (an API key, an e-mail address) scrubbed from every message and
    log line, in case a library echoes a URL. ``sleep`` is injectable for the same reason
    the limits are: tests keep waits tiny without patching.
    """

    def __init__(
        self,
        session: requests.Session,
        *,
        user_agent: str,
        timeout: float = 20.0,
        max_bytes: int = 20_000_000,
        retry: RetryPolicy | None = None,
        secrets: Collection[str] = (),
        sleep: Callable[[float], None] = time.sleep,
    ) -> None:
        self.session = session
        self.user_agent = user_agent
        self.timeout = timeout
        self.max_bytes = max_bytes
        self.retry = retry or RetryPolicy()
        self._secrets = [s for s in secrets if s]
        self._sleep = sleep

    def request(
        self,
        limiter: Limiter,
        method: str,
        url: str,
        *,
        params: Mapping[str, str] | None = None,
        data: Mapping[str, str] | None = None,
        accept: str = "application/json",
        expect: Expect = "json",
        ok: Collection[int] = (200,),
        interpret: Callable[[Any], Any] | None = None,
        after: Callable[[Mapping[str, str]], None] | None = None,
    ) -> Reply:
        """Send one request, retrying as the policy allows; parse a 200 as ``expect``.

        ``interpret`` turns the parsed body into what the caller wants; its
        :class:`~proloevidence.services.payloads.ShapeError` (JSON of the wrong shape) is a final
        fault, not retried. Statuses in ``ok`` other than 200 (a 404 that means "not here")
        come back with ``data=None``. Anything else raises :class:`ServiceFault`. ``after``
        sees every response's headers (the limiter already adapts to them).
        """
        shown = self._scrub(redact_url(_full_url(url, params)))
        host = urllib.parse.urlsplit(url).netloc
        if method != "GET":
            shown = f"{method} {shown}"
        started = time.monotonic()
        attempt = 0
        while True:
            attempt += 1
            try:
                reply = self._attempt(limiter, method, url, params, data, accept, expect, ok, after)
                if interpret is None or reply.data is None:
                    return reply
                try:
                    return Reply(reply.status, reply.url, reply.headers, interpret(reply.data))
                except ShapeError as exc:
                    raise _Final(f"unexpected answer: {exc}") from None
            except _Final as exc:
                raise ServiceFault(host, self._scrub(str(exc)), shown) from None
            except _Retry as exc:
                delay = exc.retry_after if exc.retry_after is not None else None
                wait = delay if delay is not None else self.retry.delay(attempt)
                elapsed = time.monotonic() - started
                if attempt >= self.retry.attempts or elapsed + wait > self.retry.total:
                    tail = f" after {attempt} attempt{'s' if attempt != 1 else ''}"
                    if delay is not None and elapsed + wait > self.retry.total:
                        tail += f" (Retry-After {delay:g} s is beyond the retry budget)"
                    raise ServiceFault(host, self._scrub(exc.fault) + tail, shown) from None
                log.info("%s: %s; retry %d in %.2f s (%s)", host, exc.fault, attempt, wait, shown)
                if exc.fault.startswith("HTTP 429"):
                    limiter.pause(wait)  # every thread waits, not only this one
                self._sleep(wait)

    def _attempt(
        self,
        limiter: Limiter,
        method: str,
        url: str,
        params: Mapping[str, str] | None,
        data: Mapping[str, str] | None,
        accept: str,
        expect: Expect,
        ok: Collection[int],
        after: Callable[[Mapping[str, str]], None] | None,
    ) -> Reply:
        headers = {"User-Agent": self.user_agent, "Accept": accept}
        with limiter.slot():
            try:
                response = self.session.request(
                    method,
                    url,
                    params=params,
                    data=data,
                    headers=headers,
                    timeout=self.timeout,
                    stream=True,
                    allow_redirects=True,
                )
            except requests.Timeout:
                raise _Retry(f"no answer within {self.timeout:g} s") from None
            except requests.TooManyRedirects:
                # A loop does not mend in the seconds a retry waits: fail at once.
                raise _Final(
                    f"redirect loop (more than {self.session.max_redirects} redirects)"
                ) from None
            except requests.RequestException as exc:
                raise _Retry(f"connection failed ({_cause(exc)})") from None
            try:
                body = self._read(response)
            finally:
                response.close()
        status = response.status_code
        limiter.observe(response.headers)
        if after is not None:
            after(response.headers)
        log.debug("%s %s -> %d", method, self._scrub(redact_url(response.url)), status)
        if status in RETRY_STATUSES:
            raise _Retry(f"HTTP {status}", _retry_after(response.headers.get("Retry-After")))
        if status not in ok:
            raise _Final(f"HTTP {status}")
        reply_url = self._scrub(redact_url(response.url))
        if status != 200 or expect == "none":
            return Reply(status, reply_url, response.headers, None)
        return Reply(status, reply_url, response.headers, _parse(body, expect))

    def _read(self, response: requests.Response) -> bytes:
        """The body, or an error past ``max_bytes`` (checked while streaming, not after)."""
        declared = response.headers.get("Content-Length", "")
        if declared.isdigit() and int(declared) > self.max_bytes:
            raise _Final(f"answer of {int(declared)} bytes is over the {self.max_bytes} limit")
        deadline = time.monotonic() + 3 * self.timeout
        chunks: list[bytes] = []
        size = 0
        try:
            for chunk in _arriving(response):
                size += len(chunk)
                if size > self.max_bytes:
                    raise _Final(f"answer is over the {self.max_bytes} byte limit")
                if time.monotonic() > deadline:
                    raise _Retry(f"answer not complete within {3 * self.timeout:g} s")
                chunks.append(chunk)
        except (requests.Timeout, urllib3.exceptions.ReadTimeoutError):
            raise _Retry(f"answer stalled for {self.timeout:g} s") from None
        except (requests.RequestException, urllib3.exceptions.HTTPError) as exc:
            raise _Retry(f"answer cut off ({_cause(exc)})") from None
        return b"".join(chunks)

    def _scrub(self, text: str) -> str:
        for secret in self._secrets:
            text = text.replace(secret, "[redacted]")
            text = text.replace(urllib.parse.quote(secret, safe=""), "[redacted]")
        return _SECRET_IN_TEXT.sub(r"\1=[redacted]", text)


_SECRET_IN_TEXT = re.compile(r"\b(api_key|email|mailto)=[^&\s)]*", re.IGNORECASE)


def _arriving(response: requests.Response) -> Iterator[bytes]:
    """The body in pieces as they arrive, each read waiting at most the read timeout.

    ``iter_content`` reads whole 64 KB chunks: a server trickling a byte now and then,
    never idle as long as the timeout, would hold one read for hours and the deadline
    would never be checked. ``read1`` returns whatever the socket has.
    """
    read1 = getattr(response.raw, "read1", None)
    if not callable(read1):  # not urllib3 (a custom adapter): the plain way
        yield from response.iter_content(64 * 1024)
        return
    while chunk := read1(64 * 1024, decode_content=True):
        yield chunk


def _cause(exc: BaseException) -> str:
    """What went wrong underneath: "Connection refused", "Name or service not known"...

    Only the operating system's words, never the exception's text, which carries the URL
    (and with it any key in the query).
    """
    seen: BaseException | None = exc
    for _ in range(10):  # the chain is short; a cycle must not hang us
        if seen is None:
            break
        if isinstance(seen, OSError) and seen.strerror:
            return seen.strerror
        reason = getattr(seen, "reason", None)
        first = seen.args[0] if seen.args else None
        seen = (
            reason
            if isinstance(reason, BaseException)
            else first
            if isinstance(first, BaseException)
            else seen.__cause__ or seen.__context__
        )
    return type(exc).__name__


def _full_url(url: str, params: Mapping[str, str] | None) -> str:
    if not params:
        return url
    return f"{url}{'&' if '?' in url else '?'}{urllib.parse.urlencode(params)}"


def _parse(body: bytes, expect: Expect) -> Any:
    """JSON or XML from a 200; a garbled body is worth a retry, a wrong shape is final."""
    head = body.lstrip()[:200].lower()
    if head.startswith((b"<!doctype html", b"<html")):
        raise _Retry(f"an HTML page instead of {expect.upper()}")
    if expect == "json":
        if not body.strip():
            raise _Retry("an empty answer instead of JSON")
        try:
            return json.loads(body)
        except ValueError as exc:
            raise _Retry(f"truncated or invalid JSON ({_first_line(exc)})") from None
    try:
        return ET.fromstring(body)
    except ET.ParseError as exc:
        raise _Retry(f"truncated or invalid XML ({_first_line(exc)})") from None


def _first_line(exc: Exception) -> str:
    return str(exc).splitlines()[0][:120] if str(exc) else type(exc).__name__


def _retry_after(value: str | None) -> float | None:
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
