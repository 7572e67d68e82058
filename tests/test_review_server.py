"""The review server over real HTTP on 127.0.0.1: token, Host and Origin checks, the write."""

from __future__ import annotations

import http.client
import json
import os
import signal
import socket
import subprocess
import sys
import urllib.parse
import urllib.request
from collections.abc import Iterator
from pathlib import Path

import pytest
from pytest_httpserver import HTTPServer

import proloevidence
from proloevidence.cli import main
from proloevidence.reviewing.server import ReviewServer
from proloevidence.verifying.lock import LOCK_NAME, read_lock

from .loopback import bundled_services, run_cli


@pytest.fixture
def server(locked_kb: Path) -> Iterator[ReviewServer]:
    with ReviewServer(locked_kb, reviewer="Dr Editor") as running:
        yield running


def request(
    server: ReviewServer,
    method: str,
    path: str,
    body: dict[str, str] | None = None,
    headers: dict[str, str] | None = None,
) -> tuple[int, dict[str, str], str]:
    connection = http.client.HTTPConnection("127.0.0.1", server.port, timeout=10)
    sent = {"Host": f"127.0.0.1:{server.port}", **(headers or {})}
    data = urllib.parse.urlencode(body) if body is not None else None
    if data is not None:
        sent.setdefault("Content-Type", "application/x-www-form-urlencoded")
    connection.request(method, path, body=data, headers=sent)
    response = connection.getresponse()
    text = response.read().decode("utf-8")
    connection.close()
    return response.status, {k.lower(): v for k, v in response.getheaders()}, text


def judgement(server: ReviewServer, claim: str, key: str, status: str) -> dict[str, str]:
    return {"t": server.token, "claim": claim, "key": key, "status": status, "by": "Dr Editor"}


def test_it_listens_on_127_0_0_1_only_and_the_url_holds_a_long_random_token(
    server: ReviewServer, locked_kb: Path
) -> None:
    assert server.httpd.server_address[0] == "127.0.0.1"
    assert server.url.startswith(f"http://127.0.0.1:{server.port}/?t=")
    assert len(server.token) >= 32
    with ReviewServer(locked_kb) as other:
        assert other.token != server.token and other.port != server.port


@pytest.mark.parametrize("query", ["/", "/?t=", "/?t=wrong", "/assess"])
def test_a_request_without_the_token_is_refused(server: ReviewServer, query: str) -> None:
    status, _, text = request(server, "GET", query)
    assert status == 403
    assert "kim2010" not in text and "Prolotherapy" not in text


@pytest.mark.parametrize("host", ["evil.example", "evil.example:{port}", "127.0.0.1:1", ""])
def test_another_host_name_is_refused_even_with_the_token(server: ReviewServer, host: str) -> None:
    # DNS rebinding: a hostile name resolved to 127.0.0.1 still sends its own Host.
    status, _, _ = request(
        server, "GET", f"/?t={server.token}", headers={"Host": host.format(port=server.port)}
    )
    assert status == 403


def test_the_page_is_served_with_a_strict_policy_and_every_record_text_escaped(
    server: ReviewServer, locked_kb: Path
) -> None:
    lock = json.loads((locked_kb / LOCK_NAME).read_text(encoding="utf-8"))
    hostile = '<img src="http://example.org/x" onerror="alert(1)"><script>alert(2)</script>'
    for result in lock["results"]:
        if result["key"] == "rabago2010":
            result["record"]["title"] = hostile
            result["record"]["abstract"] = "</div><script>alert(3)</script>"
    (locked_kb / LOCK_NAME).write_text(json.dumps(lock), encoding="utf-8")
    status, headers, text = request(server, "GET", f"/?t={server.token}")
    assert status == 200
    policy = headers["content-security-policy"]
    assert policy.startswith("default-src 'none';") and "form-action 'self'" in policy
    assert "http" not in policy and "unsafe" not in policy
    assert headers["referrer-policy"] == "same-origin"
    assert headers["x-content-type-options"] == "nosniff"
    assert "<img" not in text and "<script>alert" not in text
    assert "&lt;img src=&quot;http://example.org/x&quot;" in text
    assert "&lt;/div&gt;&lt;script&gt;alert(3)" in text
    assert text.count("<script>") == 1  # ours


def test_a_post_from_another_site_is_refused_and_nothing_is_written(
    server: ReviewServer, locked_kb: Path
) -> None:
    before = (locked_kb / "claims.yaml").read_bytes()
    body = judgement(server, "si-joint-trials", "kim2010", "supported")
    for headers in (
        {"Origin": "http://evil.example"},
        {"Origin": "null"},
        {"Origin": f"http://127.0.0.1:{server.port}", "Sec-Fetch-Site": "cross-site"},
    ):
        status, _, _ = request(server, "POST", "/assess", body, headers)
        assert status == 403, headers
    status, _, _ = request(server, "POST", "/assess", {**body, "t": "wrong"})
    assert status == 403
    assert (locked_kb / "claims.yaml").read_bytes() == before


def test_a_huge_body_is_refused(server: ReviewServer) -> None:
    body = {"t": server.token, "note": "x" * 70_000}
    status, _, _ = request(server, "POST", "/assess", body)
    assert status == 413


def test_a_judgement_through_the_page_and_one_through_assess_both_show_in_the_audit(
    server: ReviewServer, locked_kb: Path
) -> None:
    before = (locked_kb / "claims.yaml").read_text(encoding="utf-8")
    origin = {"Origin": f"http://127.0.0.1:{server.port}"}
    body = {**judgement(server, "si-joint-trials", "kim2010", "supported"), "locator": "Results"}
    status, headers, _ = request(server, "POST", "/assess", body, origin)
    assert status == 303
    status, _, page = request(server, "GET", headers["location"])
    assert status == 200
    assert "Saved: si-joint-trials → kim2010 is supported (" in page
    proloevidence.assess(
        "si-joint-trials", "hauser2016", "not-supported", by="Dr Editor", kb=locked_kb
    )
    after = (locked_kb / "claims.yaml").read_text(encoding="utf-8")
    changed = [
        (a, b) for a, b in zip(before.splitlines(), after.splitlines(), strict=True) if a != b
    ]
    assert [a for a, _ in changed] == [
        "      - {ref: kim2010, relation: supports}",
        "      - {ref: hauser2016, relation: supports}",
    ]
    assert "status: supported" in changed[0][1] and 'locator: "Results"' in changed[0][1]
    kb = proloevidence.load(locked_kb)
    report = proloevidence.audit(kb, read_lock(locked_kb))
    row = next(r for r in report.statements if r.id == "si-joint-trials")
    assert [(c.key, c.assessment) for c in row.cells] == [
        ("kim2010", "supported"),
        ("hauser2016", "not-supported"),
    ]
    assert any(
        f.code == "assessed-not-supported" and f.subject == "si-joint-trials"
        for f in report.findings
    )
    # Both links have left the queue.
    _, _, page = request(server, "GET", f"/?t={server.token}")
    assert "si-joint-trials → kim2010" not in page and "si-joint-trials → hauser2016" not in page


def test_an_unknown_judgement_is_refused_with_the_page_and_nothing_written(
    server: ReviewServer, locked_kb: Path
) -> None:
    before = (locked_kb / "claims.yaml").read_bytes()
    body = judgement(server, "si-joint-trials", "kim2010", "proven")
    status, _, page = request(server, "POST", "/assess", body)
    assert status == 400 and "choose one of" in page
    assert (locked_kb / "claims.yaml").read_bytes() == before


def test_the_command_prints_the_address_serves_the_page_and_stops_on_a_signal(
    locked_kb: Path,
) -> None:
    process = subprocess.Popen(
        [sys.executable, "-m", "proloevidence", "review", "--kb", str(locked_kb), "--no-browser"],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )
    try:
        assert process.stdout is not None
        line = process.stdout.readline()
        assert line.startswith(f"reviewing {locked_kb} at http://127.0.0.1:")
        url = line.split(" at ", 1)[1].strip()
        with urllib.request.urlopen(url, timeout=10) as response:
            page = response.read().decode("utf-8")
        assert "overview-stimulus → rabago2010" in page
    finally:
        process.send_signal(signal.SIGINT)
        _, err = process.communicate(timeout=20)  # closes the pipes
    assert process.returncode == 130
    assert "interrupted" in err and "Traceback" not in err


def test_a_broken_lock_stops_the_command_before_it_serves(
    locked_kb: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    (locked_kb / LOCK_NAME).write_text("{", encoding="utf-8")
    code = main(["review", "--kb", str(locked_kb), "--no-browser"])
    _, err = capsys.readouterr()
    assert code == 2
    assert "verification.json" in err and "not valid JSON" in err


def test_without_a_lock_the_command_shows_what_the_lookup_cache_holds_asking_nothing(
    kb_copy: Path, httpserver: HTTPServer, tmp_path: Path
) -> None:
    # An earlier `verify` (no --lock) against the loopback services filled the cache.
    services = bundled_services().install(httpserver)
    env = {**services.environment(), "PROLOEVIDENCE_CACHE_DIR": str(tmp_path / "cache")}
    code, _, _ = run_cli(env, "verify", "--kb", str(kb_copy))
    assert code == 1 and not (kb_copy / LOCK_NAME).exists()
    asked = services.count()
    process = subprocess.Popen(
        [sys.executable, "-m", "proloevidence", "review", "--kb", str(kb_copy), "--no-browser"],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
        env={**os.environ, **env},
    )
    try:
        assert process.stdout is not None
        url = process.stdout.readline().split(" at ", 1)[1].strip()
        with urllib.request.urlopen(url, timeout=10) as response:
            page = response.read().decode("utf-8")
    finally:
        process.send_signal(signal.SIGINT)
        _, err = process.communicate(timeout=20)
    assert "no verification.json: records from the lookup cache" in err
    assert "Prolotherapy in Primary Care Practice" in page  # rabago2010's record, cached
    assert '<span class="badge verified" id="status">verified</span>' in page
    assert services.count() == asked  # the review asked the services nothing


def test_a_port_in_use_is_one_line_and_exit_2(
    locked_kb: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    with socket.socket() as taken:
        taken.bind(("127.0.0.1", 0))
        taken.listen()
        port = taken.getsockname()[1]
        code = main(["review", "--kb", str(locked_kb), "--no-browser", "--port", str(port)])
    _, err = capsys.readouterr()
    assert code == 2
    assert err.startswith(f"proloevidence: cannot serve on 127.0.0.1:{port}: ")
    assert err.count("\n") == 1


def test_assess_and_review_never_write_into_the_bundled_example_page(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    # Without --kb, outside any knowledge base folder, commands read the bundled page; a
    # judgement must not land in the installed package's claims.yaml (`add` refuses too).
    bundled = proloevidence.bundled_path() / "claims.yaml"
    before = bundled.read_bytes()
    monkeypatch.chdir(tmp_path)
    code, _, err = run_cli({}, "assess", "overview-stimulus", "rabago2010", "--as", "supported")
    assert bundled.read_bytes() == before
    assert code == 2
    assert "the bundled knowledge base is part of the installed package and is not written" in err
    assert str(proloevidence.bundled_path()) in err  # what to copy
    env = {k: v for k, v in os.environ.items() if k != "PROLOEVIDENCE_KB"}
    served = subprocess.run(
        [sys.executable, "-m", "proloevidence", "review", "--no-browser"],
        cwd=tmp_path,
        env=env,
        capture_output=True,
        text=True,
        timeout=60,  # before: it served the bundled page, writable, until stopped
    )
    assert served.returncode == 2 and served.stdout == ""
    assert (
        "the bundled knowledge base is part of the installed package and is not written"
        in served.stderr
    )
