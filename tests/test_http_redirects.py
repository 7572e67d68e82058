"""Redirects against two real servers on 127.0.0.1 (two ports: two origins).

The first server plays the configured service; the second, another origin a redirect names.
What the second one *received* is the evidence: no contact address, no key, no body.
Bodies are plain JSON; the shape is not what is tested.
"""

from __future__ import annotations

import urllib.parse
from collections.abc import Iterator
from pathlib import Path

import pytest
from pytest_httpserver import HTTPServer
from werkzeug import Request

from proloevidence.services.deadline import new_session
from proloevidence.services.http import HttpClient, RetryPolicy, ServiceFault, user_agent
from proloevidence.services.rate_limit import Limiter, RateLimit

from .fault_cli import run_cli
from .loopback import bundled_services
from .raw_server import raw_server

QUICK = RetryPolicy(attempts=3, backoff=0.01, factor=2.0, max_delay=0.05, total=5.0)
KEY = "SENTINEL-KEY-91c2"
MAIL = "sentinel-91c2@example.org"
STATUSES = [301, 302, 303, 307, 308]


@pytest.fixture
def elsewhere() -> Iterator[HTTPServer]:
    """A second server: another port, so another origin."""
    server = HTTPServer(host="127.0.0.1", port=0, threaded=True)
    server.start()
    try:
        yield server
    finally:
        server.clear()
        server.stop()


@pytest.fixture
def client() -> Iterator[HttpClient]:
    with new_session() as session:
        yield HttpClient(
            session,
            user_agent=user_agent(MAIL),
            timeout=2.0,
            retry=QUICK,
            secrets=[KEY, MAIL],
        )


def limiter() -> Limiter:
    return Limiter(RateLimit(1000, 1.0, 10), name="Service")


def received(server: HTTPServer) -> list[Request]:
    return [request for request, _ in server.log]


def leaks(request: Request) -> list[str]:
    """Where a sentinel shows in what a server received."""
    places = {
        "user-agent": request.headers.get("User-Agent", ""),
        "url": urllib.parse.unquote(request.url),
        "body": request.get_data(as_text=True),
    }
    return [where for where, text in places.items() if KEY in text or MAIL in text]


@pytest.mark.parametrize("status", STATUSES)
def test_a_get_redirected_to_another_origin_is_followed_without_credentials(
    client: HttpClient, httpserver: HTTPServer, elsewhere: HTTPServer, status: int
) -> None:
    # A naive service echoes the query (key included) into the Location it sends.
    target = elsewhere.url_for("/y") + f"?id=1&api_key={KEY}&email={MAIL}"
    httpserver.expect_request("/x").respond_with_data("", status, {"Location": target})
    elsewhere.expect_request("/y").respond_with_json({"ok": 1})
    reply = client.request(limiter(), "GET", httpserver.url_for("/x"), params={"api_key": KEY})
    assert reply.data == {"ok": 1}
    [request] = received(elsewhere)
    assert leaks(request) == []
    assert request.args.get("id") == "1"  # the question itself is still asked
    assert request.headers["User-Agent"].startswith("proloevidence/")


@pytest.mark.parametrize("status", STATUSES)
def test_a_post_redirected_to_another_origin_is_a_failure_and_sends_nothing_there(
    client: HttpClient, httpserver: HTTPServer, elsewhere: HTTPServer, status: int
) -> None:
    target = elsewhere.url_for("/y")
    httpserver.expect_request("/x", method="POST").respond_with_data(
        "", status, {"Location": target}
    )
    elsewhere.expect_request("/y").respond_with_json({"ok": 1})
    with pytest.raises(ServiceFault) as caught:
        client.request(
            limiter(), "POST", httpserver.url_for("/x"), data={"id": "1", "api_key": KEY}
        )
    assert received(elsewhere) == []
    message = str(caught.value)
    # Both URLs named, no secret in either.
    assert httpserver.url_for("/x") in message and target in message
    assert KEY not in message and MAIL not in message
    if status in (301, 302, 303):
        assert f"HTTP {status} would turn the POST into a GET without its data" in message
    else:
        assert "a redirect of a POST to another origin is not followed" in message
    assert len(httpserver.log) == 1  # final at once: no retry of a refused redirect


@pytest.mark.parametrize("status", STATUSES)
def test_a_same_origin_get_redirect_keeps_working_with_the_contact_address(
    client: HttpClient, httpserver: HTTPServer, status: int
) -> None:
    httpserver.expect_request("/x").respond_with_data(
        "", status, {"Location": httpserver.url_for("/y")}
    )
    httpserver.expect_request("/y").respond_with_json({"ok": 2})
    assert client.request(limiter(), "GET", httpserver.url_for("/x")).data == {"ok": 2}
    last = received(httpserver)[-1]
    assert last.path == "/y" and last.headers["User-Agent"].endswith(f"mailto:{MAIL})")


@pytest.mark.parametrize("status", [307, 308])
def test_a_same_origin_307_308_post_is_sent_again_with_its_body(
    client: HttpClient, httpserver: HTTPServer, status: int
) -> None:
    httpserver.expect_request("/x", method="POST").respond_with_data("", status, {"Location": "/y"})
    httpserver.expect_request("/y", method="POST").respond_with_json({"ok": 3})
    reply = client.request(limiter(), "POST", httpserver.url_for("/x"), data={"id": "7"})
    assert reply.data == {"ok": 3}
    assert received(httpserver)[-1].form.get("id") == "7"


@pytest.mark.parametrize("status", [301, 302, 303])
def test_a_same_origin_post_turned_into_a_get_is_a_failure(
    client: HttpClient, httpserver: HTTPServer, status: int
) -> None:
    httpserver.expect_request("/x", method="POST").respond_with_data("", status, {"Location": "/y"})
    httpserver.expect_request("/y").respond_with_json({"esearchresult": {"idlist": []}})
    with pytest.raises(ServiceFault, match=f"HTTP {status} would turn the POST into a GET"):
        client.request(limiter(), "POST", httpserver.url_for("/x"), data={"id": "7"})
    assert [r.path for r in received(httpserver)] == ["/x"]


def test_once_credentials_are_dropped_they_stay_dropped(
    client: HttpClient, httpserver: HTTPServer, elsewhere: HTTPServer
) -> None:
    # Away to another origin and back: the way back carries no contact address either.
    httpserver.expect_request("/x").respond_with_data(
        "", 302, {"Location": elsewhere.url_for("/y")}
    )
    elsewhere.expect_request("/y").respond_with_data(
        "", 302, {"Location": httpserver.url_for("/z")}
    )
    httpserver.expect_request("/z").respond_with_json({"ok": 4})
    assert client.request(limiter(), "GET", httpserver.url_for("/x")).data == {"ok": 4}
    assert all(leaks(r) == [] for r in [*received(elsewhere), received(httpserver)[-1]])


@pytest.mark.parametrize(
    "location", ["http://[::1:{port}/x", "http://127.0.0.1:99999/x", "ftp://127.0.0.1/x"]
)
def test_a_malformed_location_is_a_failure_naming_it(client: HttpClient, location: str) -> None:
    # A raw server: werkzeug will not send a Location it cannot parse itself.
    head = "HTTP/1.1 302 Found\r\nLocation: {}\r\nContent-Length: 0\r\n\r\n"
    with raw_server(lambda conn, stop: conn.sendall(head.format(bad).encode())) as base:
        bad = location.format(port=base.rsplit(":", 1)[1])
        with pytest.raises(ServiceFault) as caught:
            client.request(limiter(), "GET", base + "/x")
    assert f"a redirect to a malformed address {bad!r}" in str(caught.value)
    assert str(caught.value).endswith(f"({base}/x)")


def test_an_efetch_post_redirected_as_a_get_is_unreachable_never_not_found(
    httpserver: HTTPServer, tmp_path: Path
) -> None:
    # With a contact address every E-utilities call is a POST. A 302 to the same URL would
    # have come back as a GET without ids, whose empty answer used to read as "PubMed has
    # no record 20648206": kim2010 called not_found on an answer to another question.
    services = bundled_services().install(httpserver)
    for tool in ("esummary", "efetch"):
        httpserver.expect_oneshot_request(f"/eutils/{tool}.fcgi", method="POST").respond_with_data(
            "", 302, {"Location": httpserver.url_for(f"/eutils/{tool}.fcgi")}
        )
    env = {
        **services.environment(),
        "PROLOEVIDENCE_CACHE_DIR": str(tmp_path),
        "PROLOEVIDENCE_MAILTO": MAIL,
    }
    run = run_cli(env, "verify", "kim2010", "--format", "json")
    [result] = run.results.values()
    assert result["status"] == "unreachable", result
    assert "HTTP 302 would turn the POST into a GET without its data" in result["message"]
    sent = [(r.method, r.path) for r, _ in httpserver.log if r.path.startswith("/eutils")]
    assert sent == [("POST", "/eutils/esummary.fcgi"), ("POST", "/eutils/efetch.fcgi")] or sent == [
        ("POST", "/eutils/efetch.fcgi"),
        ("POST", "/eutils/esummary.fcgi"),
    ]


@pytest.mark.parametrize("status", [404, 500])
def test_an_error_after_a_redirect_names_the_server_that_answered_it(
    client: HttpClient, httpserver: HTTPServer, elsewhere: HTTPServer, status: int
) -> None:
    # The configured service did not answer 404 or 500: the origin it redirected to did.
    # A message naming only the first URL sends the user to look at the wrong server.
    target = elsewhere.url_for("/y") + f"?id=1&api_key={KEY}"
    httpserver.expect_request("/x").respond_with_data("", 302, {"Location": target})
    elsewhere.expect_request("/y").respond_with_data("", status)
    with pytest.raises(ServiceFault) as caught:
        client.request(limiter(), "GET", httpserver.url_for("/x"))
    message = str(caught.value)
    assert f"HTTP {status} from {elsewhere.url_for('/y')}?id=1" in message
    assert httpserver.url_for("/x") in message
    assert KEY not in message and MAIL not in message
