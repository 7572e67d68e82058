"""The one place that sends HTTP requests: limits, retries, deadlines, size bounds, parsing.

:meth:`HttpClient.request` waits for the service's
:class:`~proloevidence.services.rate_limit.Limiter`, sends with a timeout per read and one
deadline for the whole answer (services/deadline.py), follows redirects without leaking
credentials (services/redirects.py), reads at most ``max_bytes`` of the body, retries 429,
5xx, connection errors, timeouts and garbled bodies (an HTML page or cut-off JSON on a 200)
with exponential back-off that honours ``Retry-After``, bounded in attempts and in total
time, and parses the body as JSON or XML, bounded in depth. When a service fails for good
it raises :class:`ServiceFault`, whose text names the host, the fault and the URL without
the API key or e-mail address; the resolver turns it into data (``Lookup.failures``).

A service that cannot be reached (no name, nothing listening, no TLS, no answer at all) is
tried once more and then asked nothing else by this client: every later request to it
fails at once with the same fault, and :attr:`HttpClient.outages` says which and why.
"""

from __future__ import annotations

import logging
import re
import threading
import time
import urllib.parse
from collections.abc import Callable, Collection, Mapping
from dataclasses import dataclass
from importlib.metadata import PackageNotFoundError, version
from typing import Any

import requests
import urllib3

from .deadline import Watch, arriving, deadline
from .http_faults import (
    Expect,
    Final,
    Outage,
    Retry,
    RetryPolicy,
    ServiceFault,
    cause,
    parse_body,
    retry_after,
    sending_fault,
)
from .payloads import ShapeError
from .rate_limit import Limiter
from .redirects import REDIRECTS, SECRET_PARAMS, RedirectRefused, next_hop, origin

log = logging.getLogger(__name__)

PROJECT_URL = "https://github.com/proloevidence/proloevidence"
RETRY_STATUSES = frozenset({429, 500, 502, 503, 504})
UNREACHABLE_ATTEMPTS = 2
"""A service that cannot be reached is tried this often (the first try and one retry)."""

__all__ = ["Expect", "HttpClient", "Outage", "Reply", "RetryPolicy", "ServiceFault"]


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
    try:
        parts = urllib.parse.urlsplit(url)
    except ValueError:  # not a URL (a malformed Location): only the text can be cleaned
        return _SECRET_IN_TEXT.sub(r"\1=[redacted]", url)
    if not parts.query:
        return url
    kept = [
        (k, v)
        for k, v in urllib.parse.parse_qsl(parts.query, keep_blank_values=True)
        if k.lower() not in SECRET_PARAMS
    ]
    return urllib.parse.urlunsplit(parts._replace(query=urllib.parse.urlencode(kept)))


@dataclass(frozen=True)
class Reply:
    """A successful answer: its status, final URL (redacted), headers and parsed body."""

    status: int
    url: str
    headers: Mapping[str, str]
    data: Any


class HttpClient:
    """Sends requests through a ``requests.Session`` with the policies above.

    ``secrets`` are values (an API key, an e-mail address) scrubbed from every message and
    log line, in case a library echoes a URL. ``sleep`` is injectable for the same reason
    the limits are: tests keep waits tiny without patching. ``notify`` (settable) hears,
    in one line, what the client is waiting for ("Crossref: HTTP 429, retrying in 4 s").
    A service is named by its limiter's ``name`` (else the host). ``anonymous_agent`` is
    the User-Agent sent after a redirect to another origin (default: ours without the
    contact address).

    Give it a session from :func:`~proloevidence.services.deadline.new_session` for the
    whole-request deadline (3 x ``timeout``: connecting, status line, headers and body);
    any other session bounds each read by ``timeout`` and the body by the deadline.
    """

    def __init__(
        self,
        session: requests.Session,
        *,
        user_agent: str,
        anonymous_agent: str | None = None,
        timeout: float = 20.0,
        max_bytes: int = 20_000_000,
        retry: RetryPolicy | None = None,
        secrets: Collection[str] = (),
        sleep: Callable[[float], None] = time.sleep,
        notify: Callable[[str], None] | None = None,
    ) -> None:
        self.session = session
        self.user_agent = user_agent
        self.anonymous_agent = anonymous_agent or _anonymous_agent()
        self.timeout = timeout
        self.max_bytes = max_bytes
        self.retry = retry or RetryPolicy()
        self.notify = notify
        self._secrets = [s for s in secrets if s]
        self._sleep = sleep
        self._lock = threading.Lock()
        self._answered: set[str] = set()
        self._down: dict[str, Outage] = {}

    @property
    def outages(self) -> list[Outage]:
        """The services found unreachable so far, in the order they were given up."""
        with self._lock:
            return list(self._down.values())

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
        shown = self._shown(_full_url(url, params))
        host = urllib.parse.urlsplit(url).netloc
        service = limiter.name or host
        if method != "GET":
            shown = f"{method} {shown}"
        started = time.monotonic()
        attempt = 0
        while True:
            attempt += 1
            down = self._outage(service)
            if down is not None:
                raise ServiceFault(host, down.fault, shown, unreachable=True)
            try:
                reply = self._attempt(
                    limiter, method, url, params, data, accept, expect, ok, after, service
                )
                if interpret is None or reply.data is None:
                    return reply
                try:
                    return Reply(reply.status, reply.url, reply.headers, interpret(reply.data))
                except ShapeError as exc:
                    raise Final(f"unexpected answer: {exc}") from None
            except Final as exc:
                raise ServiceFault(host, self._scrub(str(exc)), shown) from None
            except Retry as exc:
                unreachable = exc.unreachable is not None and (
                    exc.hard or not self._has_answered(service)
                )
                attempts = UNREACHABLE_ATTEMPTS if unreachable else self.retry.attempts
                delay = exc.retry_after
                wait = delay if delay is not None else self.retry.delay(attempt)
                elapsed = time.monotonic() - started
                if attempt >= attempts or elapsed + wait > self.retry.total:
                    tail = f" after {attempt} attempt{'s' if attempt != 1 else ''}"
                    if delay is not None and elapsed + wait > self.retry.total:
                        tail += f" (Retry-After {delay:g} s is beyond the retry budget)"
                    fault = self._scrub(exc.fault) + tail
                    if unreachable and exc.unreachable is not None:
                        self._give_up(service, host, exc.unreachable, fault)
                        raise ServiceFault(host, fault, shown, unreachable=True) from None
                    raise ServiceFault(host, fault, shown) from None
                log.info("%s: %s; retry %d in %.2f s (%s)", host, exc.fault, attempt, wait, shown)
                self._note(f"{service}: {self._scrub(exc.fault)}, retrying in {_secs(wait)}")
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
        service: str,
    ) -> Reply:
        with limiter.slot(), deadline(3 * self.timeout) as watch:
            response, redirected = self._follow(watch, method, url, params, data, accept)
            try:
                body = self._read(response, watch)
            finally:
                response.close()
        with self._lock:
            self._answered.add(service)
        status = response.status_code
        limiter.observe(response.headers)
        if after is not None:
            after(response.headers)
        # After a redirect, the status is another server's: name it, not only the first URL.
        said = f"HTTP {status}" + (f" from {self._shown(response.url)}" if redirected else "")
        if status in RETRY_STATUSES:
            raise Retry(said, retry_after(response.headers.get("Retry-After")))
        if status not in ok:
            raise Final(said)
        reply_url = self._shown(response.url)
        if status != 200 or expect == "none":
            return Reply(status, reply_url, response.headers, None)
        return Reply(status, reply_url, response.headers, parse_body(body, expect))

    def _follow(
        self,
        watch: Watch,
        method: str,
        url: str,
        params: Mapping[str, str] | None,
        data: Mapping[str, str] | None,
        accept: str,
    ) -> tuple[requests.Response, bool]:
        """Send, and follow redirects as services/redirects.py allows; the last response,
        and whether it came after a redirect."""
        headers = {"User-Agent": self.user_agent, "Accept": accept}
        try:
            first = origin(url)
        except ValueError:
            raise Final("not a usable URL") from None
        for hop in range(self.session.max_redirects + 1):
            response = self._send(watch, method, url, params, data, headers)
            if response.status_code not in REDIRECTS or "Location" not in response.headers:
                return response, hop > 0
            location = response.headers["Location"]
            status = response.status_code
            response.close()
            if hop == self.session.max_redirects:
                # A loop does not mend in the seconds a retry waits: fail at once.
                raise Final(f"redirect loop (more than {self.session.max_redirects} redirects)")
            try:
                step = next_hop(method, response.url, status, location, first)
            except RedirectRefused as refused:
                raise Final(
                    f"{refused.why} ({self._shown(response.url)} -> {self._shown(refused.target)})"
                ) from None
            if step.cross_origin:  # no contact address, no key; once dropped, gone for good
                headers = {"User-Agent": self.anonymous_agent, "Accept": accept}
            url, params = step.url, None
            log.debug("redirected (HTTP %d) to %s", status, self._shown(url))
        raise AssertionError("unreachable: the loop returns or raises")

    def _send(
        self,
        watch: Watch,
        method: str,
        url: str,
        params: Mapping[str, str] | None,
        data: Mapping[str, str] | None,
        headers: Mapping[str, str],
    ) -> requests.Response:
        started = time.monotonic()
        shown = f"{method} {self._shown(_full_url(url, params))}"
        try:
            # The adapter, not Session.send: that one parses a redirect's Location even when
            # told not to follow it, and a malformed one raises a bare ValueError.
            prepared = self.session.prepare_request(
                requests.Request(method, url, params=params, data=data, headers=dict(headers))
            )
            env = self.session.merge_environment_settings(prepared.url, {}, True, None, None)
            response = self.session.get_adapter(prepared.url or url).send(
                prepared,
                stream=True,
                timeout=(max(0.001, min(self.timeout, watch.remaining())), self.timeout),
                verify=True if env["verify"] is None else env["verify"],
                cert=env["cert"],
                proxies=env["proxies"],
            )
        except requests.RequestException as exc:
            # Cut off at the deadline before the headers were in: like no answer at all.
            late = f"answer not complete within {watch.seconds:g} s"
            fault = (
                Retry(late, unreachable=late) if watch.expired else sending_fault(exc, self.timeout)
            )
            log.info("%s -> %s (%.2f s)", shown, fault, time.monotonic() - started)
            raise fault from None
        log.info("%s -> %d (%.2f s)", shown, response.status_code, time.monotonic() - started)
        return response

    def _read(self, response: requests.Response, watch: Watch) -> bytes:
        """The body, or an error past ``max_bytes`` (checked while streaming, not after)."""
        declared = response.headers.get("Content-Length", "")
        if declared.isdigit() and int(declared) > self.max_bytes:
            raise Final(f"answer of {int(declared)} bytes is over the {self.max_bytes} limit")
        late = Retry(f"answer not complete within {watch.seconds:g} s")
        chunks: list[bytes] = []
        size = 0
        try:
            for chunk in arriving(response):
                size += len(chunk)
                if size > self.max_bytes:
                    raise Final(f"answer is over the {self.max_bytes} byte limit")
                if watch.remaining() <= 0:
                    raise late
                chunks.append(chunk)
        except (requests.Timeout, urllib3.exceptions.ReadTimeoutError):
            raise Retry(f"answer stalled for {self.timeout:g} s") from None
        except (requests.RequestException, urllib3.exceptions.HTTPError) as exc:
            if watch.expired:
                raise late from None
            raise Retry(f"answer cut off ({cause(exc)})") from None
        if watch.expired:  # the socket was shut at the deadline: what came is not all
            raise late
        return b"".join(chunks)

    def _has_answered(self, service: str) -> bool:
        with self._lock:
            return service in self._answered

    def _outage(self, service: str) -> Outage | None:
        with self._lock:
            return self._down.get(service)

    def _give_up(self, service: str, host: str, reason: str, fault: str) -> None:
        with self._lock:
            if service in self._down:
                return
            self._down[service] = Outage(
                service, host, reason, fault, answered=service in self._answered
            )
        log.info("%s: cannot connect to %s (%s); not asking it again", service, host, reason)
        self._note(f"{service}: cannot connect to {host} ({reason}); not asking it again")

    def _note(self, text: str) -> None:
        if self.notify is not None:
            self.notify(text)

    def _shown(self, url: str) -> str:
        return self._scrub(redact_url(url))

    def _scrub(self, text: str) -> str:
        for secret in self._secrets:
            text = text.replace(secret, "[redacted]")
            text = text.replace(urllib.parse.quote(secret, safe=""), "[redacted]")
        return _SECRET_IN_TEXT.sub(r"\1=[redacted]", text)


_SECRET_IN_TEXT = re.compile(r"\b(api_key|email|mailto)=[^&\s)]*", re.IGNORECASE)


def _anonymous_agent() -> str:
    return user_agent(None)


def _secs(seconds: float) -> str:
    return f"{seconds:.0f} s" if seconds >= 1 else f"{seconds:.1f} s"


def _full_url(url: str, params: Mapping[str, str] | None) -> str:
    if not params:
        return url
    return f"{url}{'&' if '?' in url else '?'}{urllib.parse.urlencode(params)}"
