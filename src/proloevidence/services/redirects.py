"""What a service's redirect may make us send, and to whom.

:class:`~proloevidence.services.http.HttpClient` follows redirects itself (requests'
following re-sends a 307/308 POST body, NCBI key and address included, to any host the
``Location`` names, and turns a 301/302 POST into a GET without its ids, whose empty answer
reads as "no such record"). The rules, per hop:

- a ``Location`` that is not an http(s) URL with a host (``http://[::1:PORT/x``) is a
  failure naming it;
- a redirect that would change the method (a POST answered 301, 302 or 303) is a failure:
  the GET would ask a different question, and its answer must never become a verdict;
- to another origin (scheme, host or port) a POST is refused, naming both URLs: its body
  carries the key and the address and is never sent there;
- to another origin a GET is followed, but without credentials: a User-Agent without the
  contact address, and no ``api_key``/``email``/``mailto`` in the query. doi.org's content
  negotiation redirects to the registration agency (api.crossref.org, api.datacite.org),
  so refusing cross-origin GETs would lose every DOI lookup doi.org answers;
- once credentials are dropped they stay dropped for the rest of the chain.
"""

from __future__ import annotations

import urllib.parse
from dataclasses import dataclass

REDIRECTS = frozenset({301, 302, 303, 307, 308})
METHOD_CHANGING = frozenset({301, 302, 303})
SECRET_PARAMS = frozenset({"api_key", "email", "mailto"})
_DEFAULT_PORTS = {"http": 80, "https": 443}

Origin = tuple[str, str, int | None]


class RedirectRefused(Exception):
    """A redirect not followed; ``why`` says what it would have done, ``target`` where to."""

    def __init__(self, why: str, target: str) -> None:
        self.why = why
        self.target = target
        super().__init__(why)


@dataclass(frozen=True)
class Hop:
    """The next request of a redirect chain: its URL, and whether it goes to another origin."""

    url: str
    cross_origin: bool


def origin(url: str) -> Origin:
    """``(scheme, host, port)`` with the default port filled in; ValueError when malformed."""
    parts = urllib.parse.urlsplit(url)
    scheme = parts.scheme.lower()
    return scheme, (parts.hostname or "").lower(), parts.port or _DEFAULT_PORTS.get(scheme)


def next_hop(method: str, url: str, status: int, location: str, first: Origin) -> Hop:
    """Where a ``status`` redirect from ``url`` leads, or :class:`RedirectRefused`.

    ``first`` is the origin the chain started at (the configured service).
    """
    shown = location if len(location) <= 200 else location[:200] + "..."
    try:
        target = urllib.parse.urljoin(url, location.strip())
        there = origin(target)
    except ValueError:
        raise RedirectRefused(f"a redirect to a malformed address {shown!r}", shown) from None
    if there[0] not in _DEFAULT_PORTS or not there[1]:
        raise RedirectRefused(f"a redirect to a malformed address {shown!r}", shown)
    if method == "POST" and status in METHOD_CHANGING:
        raise RedirectRefused(
            f"HTTP {status} would turn the POST into a GET without its data", target
        )
    cross = there != first
    if cross and method != "GET":
        raise RedirectRefused(
            f"a redirect of a {method} to another origin is not followed (its data stays)",
            target,
        )
    return Hop(without_secrets(target) if cross else target, cross)


def without_secrets(url: str) -> str:
    """The URL without ``api_key``, ``email`` and ``mailto`` query parameters."""
    parts = urllib.parse.urlsplit(url)
    if not parts.query:
        return url
    pairs = urllib.parse.parse_qsl(parts.query, keep_blank_values=True)
    kept = [(k, v) for k, v in pairs if k.lower() not in SECRET_PARAMS]
    if len(kept) == len(pairs):
        return url
    return urllib.parse.urlunsplit(parts._replace(query=urllib.parse.urlencode(kept)))
