"""A raw-socket server on 127.0.0.1 that answers every connection with a test's own bytes.

For what an HTTP server will not send: a malformed ``Location``, a status line trickled a
byte at a time, a connection accepted and never answered. ``serve(conn, stop)`` plays one
connection after the request has been read; ``stop`` is set when the test ends.
"""

from __future__ import annotations

import contextlib
import socket
import threading
from collections.abc import Callable, Iterator

Play = Callable[[socket.socket, threading.Event], None]


@contextlib.contextmanager
def raw_server(play: Play) -> Iterator[str]:
    """``http://127.0.0.1:PORT``, each connection played by ``play``; closed at the end."""
    listener = socket.create_server(("127.0.0.1", 0))
    listener.settimeout(0.05)
    stop = threading.Event()

    def serve(conn: socket.socket) -> None:
        with conn, contextlib.suppress(OSError):
            conn.settimeout(10)
            conn.recv(65536)
            play(conn, stop)

    def accept() -> None:
        while not stop.is_set():
            with contextlib.suppress(OSError):
                conn, _ = listener.accept()
                threading.Thread(target=serve, args=(conn,), daemon=True).start()

    threading.Thread(target=accept, daemon=True).start()
    try:
        yield f"http://127.0.0.1:{listener.getsockname()[1]}"
    finally:
        stop.set()
        listener.close()


def answer(data: bytes) -> Play:
    """Send ``data`` and close."""

    def play(conn: socket.socket, stop: threading.Event) -> None:
        conn.sendall(data)

    return play


def trickle(data: bytes, interval: float) -> Play:
    """Send ``data`` one byte every ``interval`` seconds (never idle as long as a timeout)."""

    def play(conn: socket.socket, stop: threading.Event) -> None:
        for i in range(len(data)):
            if stop.wait(interval):
                return
            conn.sendall(data[i : i + 1])

    return play


def silent(conn: socket.socket, stop: threading.Event) -> None:
    """Accept, read the request, answer nothing until the test ends."""
    stop.wait(30)
