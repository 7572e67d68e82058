"""The HTTP layer against a real server on 127.0.0.1: retries, bounds, parsing, secrets."""

from __future__ import annotations

import gzip
import logging
import socket
import threading
import time
from collections.abc import Iterator

import pytest
import requests
from pytest_httpserver import HTTPServer
from werkzeug import Request, Response

from proloevidence.services.http import (
    HttpClient,
    RetryPolicy,
    ServiceFault,
    redact_url,
    user_agent,
)
from proloevidence.services.payloads import ShapeError, mapping
from proloevidence.services.rate_limit import Limiter, RateLimit

from .raw_server import Play, raw_server

QUICK = RetryPolicy(attempts=3, backoff=0.01, factor=2.0, max_delay=0.05, total=5.0)
SECRET_KEY = "SENTINEL-KEY-7f3a"
SECRET_MAIL = "sentinel-7f3a@example.org"


@pytest.fixture
def client() -> Iterator[HttpClient]:
    with requests.Session() as session:
        yield HttpClient(
            session,
            user_agent=user_agent(SECRET_MAIL),
            timeout=2.0,
            max_bytes=1000,
            retry=QUICK,
            secrets=[SECRET_KEY, SECRET_MAIL],
        )


def limiter() -> Limiter:
    return Limiter(RateLimit(1000, 1.0, 10))


def get(client: HttpClient, server: HTTPServer, **kwargs: object) -> object:
    return client.request(limiter(), "GET", server.url_for("/x"), **kwargs).data  # type: ignore[arg-type]


def test_429_without_retry_after_backs_off_and_succeeds(
    client: HttpClient, httpserver: HTTPServer
) -> None:
    httpserver.expect_oneshot_request("/x").respond_with_data("slow down", status=429)
    httpserver.expect_request("/x").respond_with_json({"ok": 1})
    assert get(client, httpserver) == {"ok": 1}
    assert len(httpserver.log) == 2


def test_429_honours_retry_after(client: HttpClient, httpserver: HTTPServer) -> None:
    httpserver.expect_oneshot_request("/x").respond_with_data(
        "slow down", status=429, headers={"Retry-After": "1"}
    )
    httpserver.expect_request("/x").respond_with_json({"ok": 1})
    started = time.monotonic()
    assert get(client, httpserver) == {"ok": 1}
    assert time.monotonic() - started >= 1.0  # not QUICK's 0.01 s back-off


def test_a_retry_after_beyond_the_budget_fails_at_once(
    client: HttpClient, httpserver: HTTPServer
) -> None:
    httpserver.expect_request("/x").respond_with_data(
        "slow down", status=429, headers={"Retry-After": "3600"}
    )
    with pytest.raises(ServiceFault, match="beyond the retry budget"):
        get(client, httpserver)
    assert len(httpserver.log) == 1


def test_5xx_then_success(client: HttpClient, httpserver: HTTPServer) -> None:
    httpserver.expect_oneshot_request("/x").respond_with_data("oops", status=503)
    httpserver.expect_oneshot_request("/x").respond_with_data("oops", status=502)
    httpserver.expect_request("/x").respond_with_json([1, 2])
    assert get(client, httpserver) == [1, 2]
    assert len(httpserver.log) == 3


def test_5xx_for_good_names_host_fault_and_url(client: HttpClient, httpserver: HTTPServer) -> None:
    httpserver.expect_request("/x").respond_with_data("oops", status=500)
    with pytest.raises(ServiceFault) as caught:
        get(client, httpserver, params={"id": "1"})
    host = f"127.0.0.1:{httpserver.port}"
    assert str(caught.value) == f"{host}: HTTP 500 after 3 attempts (http://{host}/x?id=1)"
    assert len(httpserver.log) == QUICK.attempts


def test_a_slow_server_times_out(httpserver: HTTPServer) -> None:
    release = threading.Event()
    finished = threading.Semaphore(0)

    def slow(request: Request) -> Response:
        release.wait(5)
        finished.release()
        return Response("{}", content_type="application/json")

    httpserver.expect_request("/x").respond_with_handler(slow)
    with requests.Session() as session:
        client = HttpClient(session, user_agent="t", timeout=0.1, retry=QUICK)
        with pytest.raises(ServiceFault, match=r"no answer within 0.1 s after 2 attempts"):
            get(client, httpserver)
    release.set()  # let the abandoned handlers finish before the next test's log starts
    for _ in range(QUICK.attempts):
        finished.acquire(timeout=5)


def test_an_html_page_on_a_200_is_a_failure_not_a_traceback(
    client: HttpClient, httpserver: HTTPServer
) -> None:
    httpserver.expect_request("/x").respond_with_data(
        "<!DOCTYPE html><html><body>Maintenance</body></html>", content_type="text/html"
    )
    with pytest.raises(ServiceFault, match="an HTML page instead of JSON after 3 attempts"):
        get(client, httpserver)


def test_an_html_page_then_json_recovers(client: HttpClient, httpserver: HTTPServer) -> None:
    httpserver.expect_oneshot_request("/x").respond_with_data("<html>busy</html>")
    httpserver.expect_request("/x").respond_with_json({"ok": 1})
    assert get(client, httpserver) == {"ok": 1}


def test_truncated_json_is_a_failure(client: HttpClient, httpserver: HTTPServer) -> None:
    httpserver.expect_request("/x").respond_with_data(
        '{"message": {"items": [{"DOI": "10.1', content_type="application/json"
    )
    with pytest.raises(ServiceFault, match=r"truncated or invalid JSON \(.*char"):
        get(client, httpserver)


def test_wrongly_typed_json_fails_once_without_retries(
    client: HttpClient, httpserver: HTTPServer
) -> None:
    httpserver.expect_request("/x").respond_with_json({"message": "oops"})

    def interpret(data: object) -> object:
        return mapping(mapping(data, "the answer").get("message"), "message")

    with pytest.raises(ServiceFault, match="unexpected answer: message is a string, not an object"):
        get(client, httpserver, interpret=interpret)
    assert len(httpserver.log) == 1


def test_invalid_xml_is_a_failure(client: HttpClient, httpserver: HTTPServer) -> None:
    httpserver.expect_request("/x").respond_with_data("<PubmedArticleSet><Pub")
    with pytest.raises(ServiceFault, match="truncated or invalid XML"):
        get(client, httpserver, expect="xml")


def test_a_declared_oversize_body_is_refused(client: HttpClient, httpserver: HTTPServer) -> None:
    httpserver.expect_request("/x").respond_with_data("x" * 5000)
    with pytest.raises(ServiceFault, match="5000 bytes is over the 1000 limit"):
        get(client, httpserver)
    assert len(httpserver.log) == 1


def test_an_undeclared_oversize_body_stops_being_read(
    client: HttpClient, httpserver: HTTPServer
) -> None:
    chunks_sent = 0

    def endless(request: Request) -> Response:
        def body() -> Iterator[bytes]:
            nonlocal chunks_sent
            for _ in range(10_000):  # 5 MB unless the client stops reading
                chunks_sent += 1
                yield b"x" * 512

        return Response(body(), content_type="application/json")  # chunked, no length

    httpserver.expect_request("/x").respond_with_handler(endless)
    with pytest.raises(ServiceFault, match="over the 1000 byte limit"):
        get(client, httpserver)


def test_a_404_that_means_not_here_is_an_answer(client: HttpClient, httpserver: HTTPServer) -> None:
    httpserver.expect_request("/x").respond_with_data("Resource not found.", status=404)
    reply = client.request(limiter(), "GET", httpserver.url_for("/x"), ok=(200, 404))
    assert (reply.status, reply.data) == (404, None)


def test_a_400_is_final(client: HttpClient, httpserver: HTTPServer) -> None:
    httpserver.expect_request("/x").respond_with_data("bad filter", status=400)
    with pytest.raises(ServiceFault, match=r"HTTP 400 \("):
        get(client, httpserver)
    assert len(httpserver.log) == 1


def test_a_refused_connection_is_retried_then_reported(client: HttpClient) -> None:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        port = sock.getsockname()[1]
    # Nothing listens: the first try and one retry, not the policy's three.
    with pytest.raises(ServiceFault, match=r"connection failed \(Connection refused\) after 2"):
        client.request(limiter(), "GET", f"http://127.0.0.1:{port}/x")


def test_secrets_reach_neither_messages_nor_logs(
    client: HttpClient, httpserver: HTTPServer, caplog: pytest.LogCaptureFixture
) -> None:
    httpserver.expect_request("/x").respond_with_data("oops", status=503)
    caplog.set_level(logging.DEBUG)
    params = {"id": "1", "email": SECRET_MAIL, "api_key": SECRET_KEY, "tool": "proloevidence"}
    with pytest.raises(ServiceFault) as caught:
        get(client, httpserver, params=params)
    ours = [r.getMessage() for r in caplog.records if r.name.startswith("proloevidence")]
    text = str(caught.value) + "\n".join(ours)
    assert "tool=proloevidence" in str(caught.value)
    assert SECRET_KEY not in text
    assert "sentinel-7f3a" not in text
    assert ours  # the retries were logged, just without the secrets
    # ...while the server did receive them (they are needed there).
    assert httpserver.log[0][0].args["api_key"] == SECRET_KEY


def test_user_agent_carries_the_contact_address(client: HttpClient, httpserver: HTTPServer) -> None:
    httpserver.expect_request("/x").respond_with_json({})
    get(client, httpserver)
    agent = httpserver.log[0][0].headers["User-Agent"]
    assert agent.startswith("proloevidence/")
    assert agent.endswith(
        f"(+https://github.com/proloevidence/proloevidence; mailto:{SECRET_MAIL})"
    )
    assert "mailto" not in user_agent(None)


def test_responses_teach_the_limiter(client: HttpClient, httpserver: HTTPServer) -> None:
    httpserver.expect_request("/x").respond_with_json(
        {}, headers={"x-rate-limit-limit": "2", "x-rate-limit-interval": "1s"}
    )
    slow_down = limiter()
    client.request(slow_down, "GET", httpserver.url_for("/x"))
    assert slow_down.limit.rate == 2


def test_redact_url_drops_key_and_addresses_only() -> None:
    url = "https://e.org/esummary.fcgi?db=pubmed&id=1&email=a%40b.c&api_key=K&mailto=x&tool=t"
    assert redact_url(url) == "https://e.org/esummary.fcgi?db=pubmed&id=1&tool=t"


def test_shape_errors_are_value_errors() -> None:
    assert issubclass(ShapeError, ValueError)


def trickled_body(interval: float) -> Play:
    """Headers, then the body one byte per ``interval``: never idle for as long as the
    client's read timeout, never finished."""

    def play(conn: socket.socket, stop: threading.Event) -> None:
        conn.sendall(b"HTTP/1.1 200 OK\r\nContent-Type: application/json\r\n")
        conn.sendall(b"Content-Length: 100000\r\n\r\n")
        while not stop.wait(interval):
            conn.sendall(b" ")

    return play


def test_a_body_trickled_byte_by_byte_is_abandoned_at_the_deadline() -> None:
    with requests.Session() as session, raw_server(trickled_body(0.02)) as base:
        url = base + "/x"
        client = HttpClient(session, user_agent="t", timeout=0.1, retry=QUICK)
        started = time.monotonic()
        with pytest.raises(ServiceFault, match=r"answer not complete within 0.3 s after 3"):
            client.request(limiter(), "GET", url)
    # Three attempts of 0.3 s (three times the timeout) each, not 100000 x 0.02 s.
    assert time.monotonic() - started < 3.0


def test_a_redirect_loop_fails_at_once(client: HttpClient, httpserver: HTTPServer) -> None:
    httpserver.expect_request("/x").respond_with_data(
        "", status=302, headers={"Location": httpserver.url_for("/x")}
    )
    with pytest.raises(ServiceFault, match=r"redirect loop \(more than 30 redirects\) \("):
        get(client, httpserver)
    assert len(httpserver.log) == 31  # one attempt: the first request and 30 redirects


def test_a_connection_failure_names_the_cause_without_the_url_it_carried(
    client: HttpClient,
) -> None:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        port = sock.getsockname()[1]
    with pytest.raises(ServiceFault) as caught:
        client.request(
            limiter(), "GET", f"http://127.0.0.1:{port}/x", params={"api_key": SECRET_KEY}
        )
    # requests' own message repeats the URL, key included: only the OS's words are kept.
    assert caught.value.fault == "connection failed (Connection refused) after 2 attempts"
    assert SECRET_KEY not in str(caught.value)


def test_a_gzip_body_is_decoded_as_it_arrives(client: HttpClient, httpserver: HTTPServer) -> None:
    # Crossref and NCBI compress their answers (requests asks for gzip).
    body = gzip.compress(b'{"message": {"items": []}}')
    httpserver.expect_request("/x").respond_with_data(
        body, content_type="application/json", headers={"Content-Encoding": "gzip"}
    )
    assert get(client, httpserver) == {"message": {"items": []}}
