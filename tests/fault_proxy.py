"""A raw-socket HTTP/1.1 forwarder on 127.0.0.1 that misbehaves where HTTP servers cannot.

One :class:`FaultProxy` stands in front of each loopback service (tests/faults.py). It reads
each request itself (so the raw request target, headers and body are logged exactly as
they arrived), asks its owner whether a socket-level fault applies, and then either
forwards the request to the real HTTP server and relays the answer, or:

- ``reset``: sends the headers and half the body, then closes with RST (SO_LINGER 0);
- ``trickle``: sends the headers, then the body one byte every 0.08 s;
- ``slow``: sends nothing until the test ends;
- ``endless``: a 200 without Content-Length whose body never ends.

:meth:`FaultProxy.refuse` stops listening, so connecting is refused until :meth:`listen`
(same port: the base URL, hence the cache keys, stay the same).
"""

from __future__ import annotations

import contextlib
import http.client
import socket
import struct
import threading
from dataclasses import dataclass, field
from typing import Protocol

_HOP = {"connection", "keep-alive", "transfer-encoding", "content-length", "proxy-connection"}


class Owner(Protocol):
    release: threading.Event
    """Set when the test ends: slow and endless answers stop."""

    def arrived(
        self, service: str, method: str, target: str, headers: dict[str, str], body: bytes
    ) -> str | None:
        """Log a request; return the socket-level fault to play, if any."""
        ...


@dataclass
class FaultProxy:
    """Forwards to ``127.0.0.1:upstream``; plays socket-level faults for its owner."""

    owner: Owner
    service: str
    upstream: int
    port: int = 0
    _listener: socket.socket | None = field(default=None, repr=False)

    def __post_init__(self) -> None:
        self.listen()

    def listen(self) -> None:
        """Listen (again, on the same port after :meth:`refuse`)."""
        if self._listener is not None:
            return
        sock = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
        sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        sock.bind(("127.0.0.1", self.port))
        sock.listen(64)
        sock.settimeout(0.05)  # lets the accept loop notice refuse()
        self.port = sock.getsockname()[1]
        self._listener = sock
        threading.Thread(target=self._accept, args=(sock,), daemon=True).start()

    def refuse(self) -> None:
        """Stop listening: connecting to the port is refused until :meth:`listen`."""
        sock, self._listener = self._listener, None
        if sock is not None:
            sock.close()

    def _accept(self, sock: socket.socket) -> None:
        while self._listener is sock:
            try:
                conn, _ = sock.accept()
            except OSError:  # the timeout, or refuse() closed it
                continue
            threading.Thread(target=self._serve, args=(conn,), daemon=True).start()

    def _serve(self, conn: socket.socket) -> None:
        # A client that hangs up early (a timeout, a reset) is no error of the proxy's.
        with conn, contextlib.suppress(OSError, ValueError, http.client.HTTPException):
            conn.settimeout(10)
            method, target, headers, body = _read_request(conn)
            kind = self.owner.arrived(self.service, method, target, headers, body)
            if kind == "slow":
                self.owner.release.wait(30)
                return
            if kind == "endless":
                self._endless(conn)
                return
            status, reason, reply_headers, data = self._forward(method, target, headers, body)
            head = _head(status, reason, reply_headers, len(data))
            if kind == "reset":
                conn.sendall(head + data[: len(data) // 2])
                # SO_LINGER with a zero timeout makes close() send RST, not FIN.
                conn.setsockopt(socket.SOL_SOCKET, socket.SO_LINGER, struct.pack("ii", 1, 0))
                return
            if kind == "trickle":
                conn.sendall(head)
                for i in range(len(data)):
                    if self.owner.release.wait(0.08):
                        return
                    conn.sendall(data[i : i + 1])
                return
            conn.sendall(head + data)

    def _forward(
        self, method: str, target: str, headers: dict[str, str], body: bytes
    ) -> tuple[int, str, list[tuple[str, str]], bytes]:
        upstream = http.client.HTTPConnection("127.0.0.1", self.upstream, timeout=10)
        try:
            sent = {k: v for k, v in headers.items() if k not in _HOP}
            upstream.request(method, target, body=body or None, headers=sent)
            response = upstream.getresponse()
            data = response.read()
            kept = [(k, v) for k, v in response.getheaders() if k.lower() not in _HOP]
            return response.status, response.reason, kept, data
        finally:
            upstream.close()

    def _endless(self, conn: socket.socket) -> None:
        """A 200 without Content-Length whose body never ends (until the client hangs up)."""
        conn.sendall(
            b"HTTP/1.1 200 OK\r\nContent-Type: application/json\r\nConnection: close\r\n\r\n["
        )
        block = b"1," * 32768
        for _ in range(2000):  # 128 MB at most
            if self.owner.release.is_set():
                return
            conn.sendall(block)


def _read_request(conn: socket.socket) -> tuple[str, str, dict[str, str], bytes]:
    stream = conn.makefile("rb")
    method, target, _ = stream.readline().decode("latin-1").split(" ", 2)
    headers: dict[str, str] = {}
    while True:
        line = stream.readline().decode("latin-1").rstrip("\r\n")
        if not line:
            break
        name, _, value = line.partition(":")
        headers[name.strip().lower()] = value.strip()
    body = stream.read(int(headers.get("content-length", "0") or 0))
    return method, target, headers, body


def _head(status: int, reason: str, headers: list[tuple[str, str]], length: int) -> bytes:
    lines = [f"HTTP/1.1 {status} {reason}", *(f"{k}: {v}" for k, v in headers)]
    lines += [f"Content-Length: {length}", "Connection: close", "", ""]
    return "\r\n".join(lines).encode("latin-1")
