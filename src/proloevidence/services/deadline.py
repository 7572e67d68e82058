"""One deadline per request: connecting, the status line, the headers and the body.

requests' ``timeout`` bounds each wait on the socket, not the request: a server that sends
its status line and headers a byte a second is never silent for as long as the timeout and
holds the caller for as long as it likes. Here :func:`deadline` opens a :class:`Watch` for
the calling thread; the connections of a :class:`DeadlineAdapter` register their sockets
with it as they connect and as they wait for an answer; when the deadline passes, a timer
shuts those sockets down (``shutdown`` wakes a thread blocked reading the socket, ``close``
does not), the blocked read returns, and the request fails with ``watch.expired`` set.

:func:`new_session` is a ``requests.Session`` with this adapter (and without urllib3's own
retries: :class:`~proloevidence.services.http.HttpClient` retries). A session built some
other way keeps only requests' per-read timeout and the body deadline.
"""

from __future__ import annotations

import contextlib
import socket
import threading
import time
from collections.abc import Iterator
from typing import Any

import requests
import urllib3
from urllib3.connectionpool import HTTPConnectionPool, HTTPSConnectionPool


class Watch:
    """The deadline of one request on one thread, and the sockets it will shut down."""

    def __init__(self, seconds: float) -> None:
        self.seconds = seconds
        self.ends = time.monotonic() + seconds
        self.expired = False
        self._open = True
        self._sockets: list[socket.socket] = []
        self._lock = threading.Lock()
        self._timer = threading.Timer(seconds, self._expire)
        self._timer.daemon = True

    def remaining(self) -> float:
        """Seconds left before the deadline (0 when past)."""
        return max(0.0, self.ends - time.monotonic())

    def register(self, sock: socket.socket) -> None:
        with self._lock:
            if self.expired:
                _shut(sock)
            elif self._open:
                self._sockets.append(sock)

    def _expire(self) -> None:
        with self._lock:
            if not self._open:
                return
            self.expired = True
            for sock in self._sockets:
                _shut(sock)

    def start(self) -> None:
        self._timer.start()

    def close(self) -> None:
        """The request is over: the sockets (back in the pool) are no longer watched."""
        with self._lock:
            self._open = False
            self._sockets.clear()
        self._timer.cancel()


def _shut(sock: socket.socket) -> None:
    # socket.socket.shutdown, not SSLSocket.shutdown: the TLS object stays with the reader.
    with contextlib.suppress(OSError):
        socket.socket.shutdown(sock, socket.SHUT_RDWR)


_current = threading.local()


@contextlib.contextmanager
def deadline(seconds: float) -> Iterator[Watch]:
    """Everything the calling thread sends through a :class:`DeadlineAdapter` inside this
    block is cut off ``seconds`` after it starts."""
    watch = Watch(seconds)
    previous = getattr(_current, "watch", None)
    _current.watch = watch
    watch.start()
    try:
        yield watch
    finally:
        watch.close()
        _current.watch = previous


def _register(sock: socket.socket | None) -> None:
    watch: Watch | None = getattr(_current, "watch", None)
    if watch is not None and sock is not None:
        watch.register(sock)


class _Watched:
    """Mixed into urllib3's connections: every socket they use is registered with the
    calling thread's watch (a new socket as it connects, a pooled one when an answer is
    awaited on it)."""

    sock: socket.socket | None

    def _new_conn(self) -> socket.socket:
        sock: socket.socket = super()._new_conn()  # type: ignore[misc]
        _register(sock)
        return sock

    def getresponse(self, *args: Any, **kwargs: Any) -> Any:
        _register(self.sock)
        return super().getresponse(*args, **kwargs)  # type: ignore[misc]


class _Connection(_Watched, urllib3.connection.HTTPConnection):
    pass


class _TLSConnection(_Watched, urllib3.connection.HTTPSConnection):
    pass


class _Pool(HTTPConnectionPool):
    ConnectionCls = _Connection


class _TLSPool(HTTPSConnectionPool):
    ConnectionCls = _TLSConnection


_POOLS: dict[str, type[HTTPConnectionPool]] = {"http": _Pool, "https": _TLSPool}


class DeadlineAdapter(requests.adapters.HTTPAdapter):
    """requests' adapter whose connections keep to the calling thread's :func:`deadline`."""

    def init_poolmanager(self, *args: Any, **kwargs: Any) -> None:
        super().init_poolmanager(*args, **kwargs)
        self.poolmanager.pool_classes_by_scheme = _POOLS

    def proxy_manager_for(self, proxy: str, **proxy_kwargs: Any) -> Any:
        manager = super().proxy_manager_for(proxy, **proxy_kwargs)
        # An HTTP(S) proxy uses the plain pools; a SOCKS proxy has its own, left alone.
        if manager.pool_classes_by_scheme is urllib3.poolmanager.pool_classes_by_scheme:
            manager.pool_classes_by_scheme = _POOLS
        return manager


def arriving(response: requests.Response) -> Iterator[bytes]:
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


def new_session() -> requests.Session:
    """A session for :class:`~proloevidence.services.http.HttpClient`: whole-request
    deadlines, no urllib3 retries (the client retries 429/5xx with back-off itself)."""
    session = requests.Session()
    adapter = DeadlineAdapter(max_retries=0, pool_connections=4, pool_maxsize=16)
    session.mount("https://", adapter)
    session.mount("http://", adapter)
    return session
