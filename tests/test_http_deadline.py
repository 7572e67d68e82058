"""One deadline per request, services that cannot be reached, answers nested too deep.

Raw-socket servers on 127.0.0.1 (tests/raw_server.py) play what an HTTP server will not: a
status line trickled a byte at a time, a port that accepts and never answers; a closed
port is a port nothing listens on. Deep bodies are built (JSON/XML nested 100,000 deep).
"""

from __future__ import annotations

import socket
import time
from collections.abc import Iterator
from pathlib import Path

import pytest
from pytest_httpserver import HTTPServer

from proloevidence.services.deadline import new_session
from proloevidence.services.http import HttpClient, RetryPolicy, ServiceFault
from proloevidence.services.rate_limit import Limiter, RateLimit

from .raw_server import raw_server, silent, trickle

QUICK = RetryPolicy(attempts=5, backoff=0.01, factor=2.0, max_delay=0.05, total=10.0)
STATUS_LINE = b"HTTP/1.1 200 OK\r\nContent-Type: application/json\r\nContent-Length: 2\r\n\r\n{}"


@pytest.fixture
def client() -> Iterator[HttpClient]:
    with new_session() as session:
        yield HttpClient(session, user_agent="t", timeout=0.2, retry=QUICK)


def limiter(name: str = "Service") -> Limiter:
    return Limiter(RateLimit(1000, 1.0, 10), name=name)


def closed_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def test_a_status_line_trickled_a_byte_at_a_time_is_cut_off_at_the_deadline(
    client: HttpClient,
) -> None:
    # One byte every 0.05 s: never idle as long as the 0.2 s read timeout, and the status
    # line and headers alone take 4 s. The deadline (3 x 0.2 s) covers them too.
    with raw_server(trickle(STATUS_LINE, 0.05)) as base:
        started = time.monotonic()
        with pytest.raises(ServiceFault, match=r"answer not complete within 0.6 s after 2"):
            client.request(limiter(), "GET", base + "/x")
        took = time.monotonic() - started
    # Two attempts of 0.6 s (a service that never answered is given up like a silent one),
    # not 4 s each.
    assert took < 3.0, took
    assert [o.reason for o in client.outages] == ["answer not complete within 0.6 s"]


def test_a_trickled_status_line_does_not_hold_verify(tmp_path: Path) -> None:
    # Through the whole resolver: a service trickling its status line, the others closed.
    from proloevidence.kb.knowledge_base import load
    from proloevidence.services.resolver import Resolver
    from proloevidence.verifying.verdicts import verify

    port = closed_port()
    with raw_server(trickle(STATUS_LINE, 0.05)) as base:
        started = time.monotonic()
        with Resolver(
            crossref_url=base + "/crossref",
            doi_url=f"http://127.0.0.1:{port}/doi",
            eutils_url=f"http://127.0.0.1:{port}/eutils",
            cache_dir=str(tmp_path),
            timeout=0.2,
            retry=RetryPolicy(attempts=3, backoff=0.01, max_delay=0.05, total=5.0),
            mailto="",
            api_key="",
        ) as resolver:
            result = verify(load(), resolver)
        took = time.monotonic() - started
    assert took < 5.0, took
    assert {r.status.value for r in result.results.values()} == {"unreachable"}
    assert "answer not complete within 0.6 s" in result.results["wu2017"].message


def test_a_closed_port_is_tried_twice_then_not_asked_again(client: HttpClient) -> None:
    url = f"http://127.0.0.1:{closed_port()}/x"
    with pytest.raises(ServiceFault) as first:
        client.request(limiter(), "GET", url)
    assert first.value.fault == "connection failed (Connection refused) after 2 attempts"
    [outage] = client.outages
    assert (outage.service, outage.reason, outage.answered) == (
        "Service",
        "connection refused",
        False,
    )
    # Every later request to that service fails at once, with the same words, no URL.
    started = time.monotonic()
    with pytest.raises(ServiceFault) as later:
        client.request(limiter(), "GET", url + "?batch=2")
    assert time.monotonic() - started < 0.05
    assert (
        str(later.value)
        == str(first.value)
        == (
            f"127.0.0.1:{url.split(':')[2].split('/')[0]}: "
            "connection failed (Connection refused) after 2 attempts"
        )
    )


def test_a_port_that_accepts_and_never_answers_is_given_up_after_two_timeouts(
    client: HttpClient,
) -> None:
    with raw_server(silent) as base:
        started = time.monotonic()
        with pytest.raises(ServiceFault, match=r"no answer within 0.2 s after 2 attempts"):
            client.request(limiter(), "GET", base + "/x")
        with pytest.raises(ServiceFault, match=r"no answer within 0.2 s after 2 attempts"):
            client.request(limiter(), "GET", base + "/y")
        took = time.monotonic() - started
    assert took < 2.0, took  # two timeouts (0.4 s), not five, and nothing for the second request
    assert [o.reason for o in client.outages] == ["no answer within 0.2 s"]


def test_a_timeout_from_a_service_that_answered_before_is_an_ordinary_retry(
    client: HttpClient, httpserver: HTTPServer
) -> None:
    # A service that did answer is not "unreachable" because one request is slow.
    httpserver.expect_request("/ok").respond_with_json({})
    client.request(limiter(), "GET", httpserver.url_for("/ok"))
    with (
        raw_server(silent) as base,
        pytest.raises(ServiceFault, match=r"no answer within 0.2 s after 5 attempts"),
    ):
        client.request(limiter(), "GET", base + "/x")
    assert client.outages == []


def test_json_nested_100000_deep_is_a_service_failure(
    client: HttpClient, httpserver: HTTPServer
) -> None:
    deep = "[" * 100_000 + "]" * 100_000
    httpserver.expect_request("/x").respond_with_data(deep, content_type="application/json")
    with pytest.raises(ServiceFault, match=r"unexpected answer: JSON nested deeper than 200"):
        client.request(limiter(), "GET", httpserver.url_for("/x"))
    assert len(httpserver.log) == 1  # final: a deep answer does not mend


def test_xml_nested_100000_deep_is_a_service_failure(
    client: HttpClient, httpserver: HTTPServer
) -> None:
    deep = "<a>" * 100_000 + "</a>" * 100_000
    httpserver.expect_request("/x").respond_with_data(deep, content_type="text/xml")
    with pytest.raises(ServiceFault, match=r"unexpected answer: XML nested deeper than 200"):
        client.request(limiter(), "GET", httpserver.url_for("/x"), expect="xml")


def test_a_tls_failure_is_tried_twice_then_not_asked_again(client: HttpClient) -> None:
    # https:// to a server that answers in plain text: the handshake fails.
    with raw_server(lambda conn, stop: conn.sendall(STATUS_LINE)) as base:
        url = base.replace("http://", "https://") + "/x"
        with pytest.raises(ServiceFault, match=r"TLS failed \(.*\) after 2 attempts"):
            client.request(limiter(), "GET", url)
    assert [o.reason for o in client.outages] == ["TLS failed"]
