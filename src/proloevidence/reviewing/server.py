"""The review page served on 127.0.0.1, for one editor, until stopped.

Safety, since any web page the editor visits could try to reach a local server:

- bound to 127.0.0.1 only, on a free port the system picks (or the one asked for);
- every request must carry the random token of the URL printed at start (``?t=...``, and in
  the form), compared in constant time; without it: 403, and nothing else is said;
- a request whose ``Host`` is not ``127.0.0.1:PORT`` or ``localhost:PORT`` is refused (DNS
  rebinding: a hostile name resolved to 127.0.0.1 still sends its own name), and so is a POST
  whose ``Origin`` is another site's or ``Sec-Fetch-Site`` says ``cross-site``;
- bodies over 64 KiB are refused; nothing from a record or a request is ever executed,
  everything shown is escaped (page.py), and the page carries a strict
  Content-Security-Policy, ``Referrer-Policy: same-origin`` and ``nosniff``;
- the server logs nothing (a request line would hold the token).

Each request reads the knowledge base and the lock afresh (the parse cache makes that cheap),
so the page always shows the files as they are; judgements are written one at a time with
:func:`proloevidence.kb.claims_editor.assess`, the same write as ``proloevidence assess``.
"""

from __future__ import annotations

import hmac
import secrets
import threading
import urllib.parse
from http import HTTPStatus
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any

from ..errors import ProloevidenceError
from ..kb.claims_editor import JUDGEMENTS, assess
from ..kb.knowledge_base import KnowledgeBase, load
from ..verification import Verification
from ..verifying.lock import read_lock
from .page import render_empty, render_error, render_item
from .page_assets import CSP
from .review_queue import Rank, ReviewItem, find, review_queue

HOST = "127.0.0.1"
MAX_BODY = 64 * 1024
_NAMES = {s.value for s in JUDGEMENTS}


class ReviewServer:
    """The review page for the knowledge base in ``kb_dir``; :attr:`url` holds the token.

    Use as a context manager (serves in a thread) or call :meth:`serve_forever`.
    ``rank`` orders the queue first (see :func:`review_queue`); ``reviewer`` fills the form's
    name until the editor types another. The records shown come from the lock
    (``verification.json``, read afresh for each page) or, while there is none, from
    ``verification`` (``proloevidence review`` passes what the lookup cache holds).
    """

    def __init__(
        self,
        kb_dir: str | Path,
        *,
        port: int = 0,
        reviewer: str = "",
        rank: Rank | None = None,
        cache: bool = True,
        verification: Verification | None = None,
    ) -> None:
        self.kb_dir = Path(kb_dir)
        self.reviewer = reviewer
        self.rank = rank
        self.cache = cache
        self.verification = verification
        self.token = secrets.token_urlsafe(24)
        self.write_lock = threading.Lock()
        self.httpd = ThreadingHTTPServer((HOST, port), _Handler)
        self.httpd.daemon_threads = True
        self.httpd.review = self  # type: ignore[attr-defined]
        self.port = int(self.httpd.server_address[1])
        self._thread: threading.Thread | None = None

    @property
    def url(self) -> str:
        return f"http://{HOST}:{self.port}/?t={self.token}"

    def allowed_hosts(self) -> set[str]:
        return {f"{HOST}:{self.port}", f"localhost:{self.port}"}

    def load(self) -> tuple[KnowledgeBase, list[ReviewItem]]:
        kb = load(self.kb_dir, cache=self.cache)
        verification = read_lock(self.kb_dir) or self.verification
        return kb, review_queue(kb, verification, rank=self.rank)

    def serve_forever(self) -> None:
        self.httpd.serve_forever()

    def __enter__(self) -> ReviewServer:
        self._thread = threading.Thread(target=self.serve_forever, daemon=True)
        self._thread.start()
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    def close(self) -> None:
        if self._thread is not None:
            self.httpd.shutdown()
            self._thread.join()
            self._thread = None
        self.httpd.server_close()


class _Handler(BaseHTTPRequestHandler):
    server_version = "proloevidence-review"
    sys_version = ""

    @property
    def review(self) -> ReviewServer:
        server: Any = self.server
        return server.review  # type: ignore[no-any-return]

    def log_message(self, format: str, *args: Any) -> None:
        """Nothing: a request line would hold the token."""

    # -- checks ----------------------------------------------------------------------------
    def _refused(self, query: dict[str, list[str]], form: dict[str, list[str]] | None) -> bool:
        if self.headers.get("Host", "") not in self.review.allowed_hosts():
            self._send(
                HTTPStatus.FORBIDDEN, render_error(403, "This page answers only its own address.")
            )
            return True
        given = (form or {}).get("t", query.get("t", [""]))[0]
        if not hmac.compare_digest(given.encode(), self.review.token.encode()):
            self._send(
                HTTPStatus.FORBIDDEN,
                render_error(403, "Open the address printed by proloevidence review."),
            )
            return True
        return False

    def _cross_site(self) -> bool:
        origin = self.headers.get("Origin")
        if origin is not None and origin not in {
            f"http://{h}" for h in self.review.allowed_hosts()
        }:
            return True
        return self.headers.get("Sec-Fetch-Site", "same-origin") == "cross-site"

    # -- responses -------------------------------------------------------------------------
    def _send(self, status: HTTPStatus, html: str, location: str | None = None) -> None:
        body = html.encode("utf-8")
        self.send_response(status)
        self.send_header("Content-Type", "text/html; charset=utf-8")
        self.send_header("Content-Length", str(len(body)))
        self.send_header("Content-Security-Policy", CSP)
        # same-origin, not no-referrer: with no-referrer a browser sends "Origin: null" on
        # the form's POST, and the Origin check needs the real one. Other sites get nothing.
        self.send_header("Referrer-Policy", "same-origin")
        self.send_header("X-Content-Type-Options", "nosniff")
        self.send_header("X-Frame-Options", "DENY")
        self.send_header("Cache-Control", "no-store")
        if location is not None:
            self.send_header("Location", location)
        self.end_headers()
        if self.command != "HEAD":
            self.wfile.write(body)

    def do_GET(self) -> None:
        url = urllib.parse.urlsplit(self.path)
        query = urllib.parse.parse_qs(url.query, max_num_fields=20)
        if self._refused(query, None):
            return
        if url.path != "/":
            self._send(HTTPStatus.NOT_FOUND, render_error(404, "No such page."))
            return
        try:
            kb, queue = self.review.load()
        except ProloevidenceError as exc:  # a file broken while the page was open
            self._send(HTTPStatus.INTERNAL_SERVER_ERROR, render_error(500, str(exc)))
            return
        message = ""
        if "done" in query and "donekey" in query:
            message = _saved_message(kb, query["done"][0], query["donekey"][0])
        item = None
        if "claim" in query and "key" in query:
            item = find(queue, query["claim"][0], query["key"][0])
        if item is None and queue:
            item = queue[0]
        if item is None:
            self._send(HTTPStatus.OK, render_empty(message=message))
            return
        page = render_item(
            item, queue, self.review.token, reviewer=self.review.reviewer, message=message
        )
        self._send(HTTPStatus.OK, page)

    def do_POST(self) -> None:
        url = urllib.parse.urlsplit(self.path)
        query = urllib.parse.parse_qs(url.query, max_num_fields=20)
        try:
            length = int(self.headers.get("Content-Length", "0"))
        except ValueError:
            length = -1
        if not 0 <= length <= MAX_BODY:
            self.close_connection = True
            self._send(HTTPStatus.REQUEST_ENTITY_TOO_LARGE, render_error(413, "Too large."))
            return
        raw = self.rfile.read(length).decode("utf-8", errors="replace")
        form = urllib.parse.parse_qs(raw, keep_blank_values=True, max_num_fields=20)
        if self._refused(query, form):
            return
        if self._cross_site():
            self._send(HTTPStatus.FORBIDDEN, render_error(403, "Cross-site request refused."))
            return
        if url.path != "/assess":
            self._send(HTTPStatus.NOT_FOUND, render_error(404, "No such page."))
            return
        self._assess({k: v[0] for k, v in form.items()})

    def _assess(self, form: dict[str, str]) -> None:
        claim, key, status = form.get("claim", ""), form.get("key", ""), form.get("status", "")
        error = ""
        if status not in _NAMES:
            error = f"choose one of {', '.join(sorted(_NAMES))}"
        else:
            try:
                with self.review.write_lock:
                    assess(
                        claim,
                        key,
                        status,
                        locator=form.get("locator"),
                        quote=form.get("quote"),
                        note=form.get("note"),
                        by=form.get("by"),
                        kb=self.review.kb_dir,
                    )
            except (ProloevidenceError, OSError, ValueError) as exc:
                error = str(exc)
        if error:
            try:
                queue = self.review.load()[1]
            except ProloevidenceError:
                queue = []
            item = find(queue, claim, key)
            if item is None:
                self._send(HTTPStatus.BAD_REQUEST, render_error(400, error))
            else:
                page = render_item(
                    item, queue, self.review.token, reviewer=form.get("by", ""), error=error
                )
                self._send(HTTPStatus.BAD_REQUEST, page)
            return
        if form.get("by"):
            self.review.reviewer = form["by"].strip()
        target = "/?" + urllib.parse.urlencode(
            {"t": self.review.token, "done": claim, "donekey": key}
        )
        self._send(HTTPStatus.SEE_OTHER, render_error(303, "Saved."), location=target)

    def do_HEAD(self) -> None:
        self._send(HTTPStatus.METHOD_NOT_ALLOWED, "")

    def do_PUT(self) -> None:
        self._send(HTTPStatus.METHOD_NOT_ALLOWED, "")

    do_DELETE = do_PUT


def _saved_message(kb: KnowledgeBase, claim_id: str, key: str) -> str:
    """What the file now says of the link just judged (read back, not echoed)."""
    try:
        claim = kb.claim(claim_id)
    except ProloevidenceError:
        return ""
    for citation in claim.citations:
        if citation.ref == key:
            a = citation.assessment
            date = a.date.isoformat() if a.date else ""
            return f"Saved: {claim_id} → {key} is {a.status.value} ({date}) in claims.yaml."
    return ""
