"""``verify`` and ``audit --online`` when the services cannot be asked: exit 3, one line each.

The services are closed ports on 127.0.0.1 (nothing listens: "connection refused", as a
firewall or a down host gives), a raw server that accepts and never answers, or the loopback
services of tests/loopback.py (bodies in the documented shapes) for ``-v``. The commands run
in-process with the real Resolver and its default retry policy unless said otherwise.
"""

from __future__ import annotations

import io
import itertools
import re
import socket
import time
from pathlib import Path

import pytest
from pytest_httpserver import HTTPServer

from proloevidence.cli.online import ProgressBar
from proloevidence.services.deadline import new_session
from proloevidence.services.http import HttpClient, RetryPolicy
from proloevidence.services.rate_limit import Limiter, RateLimit

from .fault_cli import quick_resolver, run_cli
from .loopback import bundled_services
from .raw_server import raw_server, silent

MAIL = "sentinel-5d1e@example.org"
KEY = "SENTINEL-KEY-5d1e"


def closed_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def closed_services(tmp_path: Path) -> tuple[dict[str, str], str]:
    host = f"127.0.0.1:{closed_port()}"
    env = {
        "PROLOEVIDENCE_CROSSREF_URL": f"http://{host}/crossref",
        "PROLOEVIDENCE_DOI_URL": f"http://{host}/doi",
        "PROLOEVIDENCE_EUTILS_URL": f"http://{host}/eutils",
        "PROLOEVIDENCE_CACHE_DIR": str(tmp_path / "cache"),
    }
    return env, host


def said(err: str) -> list[str]:
    """Standard error without the note naming the folder read (every command ends with it)."""
    return [line for line in err.splitlines() if not line.startswith("proloevidence: knowledge")]


def test_verify_with_every_service_refusing_exits_3_within_5_s_with_one_line_each(
    tmp_path: Path,
) -> None:
    env, host = closed_services(tmp_path)
    started = time.monotonic()
    run = run_cli(env, "verify")
    took = time.monotonic() - started
    assert run.code == 3
    assert took < 5.0, took  # the default policy would retry each batch five times (16 s)
    assert said(run.err) == [
        f"{service}: cannot connect to {host} (connection refused); nothing was verified "
        "against it; run again online, or use --offline"
        for service in ("Crossref", "PubMed")
    ] or said(run.err) == [
        f"{service}: cannot connect to {host} (connection refused); nothing was verified "
        "against it; run again online, or use --offline"
        for service in ("PubMed", "Crossref")
    ]
    assert run.out.rstrip().endswith("5 reference(s): 5 unreachable")
    # Each reference says why in a line of its own, without the request URLs.
    assert all(len(line) < 250 for line in run.out.splitlines()), run.out
    assert "http://" not in run.out


def test_audit_online_without_services_prints_the_report_and_exits_3(tmp_path: Path) -> None:
    env, host = closed_services(tmp_path)
    offline = run_cli(env, "audit")
    started = time.monotonic()
    online = run_cli(env, "audit", "--online")
    assert time.monotonic() - started < 5.0
    assert (offline.code, online.code) == (1, 3)
    assert online.out.splitlines()[0] == offline.out.splitlines()[0]  # the same summary
    assert f"Crossref: cannot connect to {host} (connection refused)" in online.err
    assert said(online.err)[-1].endswith("run again online, or audit without --online")


def test_a_lock_stands_in_for_what_audit_online_could_not_ask(
    locked_kb: Path, tmp_path: Path
) -> None:
    env, _ = closed_services(tmp_path)
    offline = run_cli(env, "audit", "--kb", str(locked_kb))
    online = run_cli(env, "audit", "--kb", str(locked_kb), "--online")
    assert online.code == 3
    assert online.out == offline.out  # the offline report, from the lock


def test_a_service_that_accepts_and_never_answers_is_given_up(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    quick_resolver(monkeypatch)  # a 0.2 s timeout instead of 20 s
    env, _ = closed_services(tmp_path)
    with raw_server(silent) as base:
        env["PROLOEVIDENCE_EUTILS_URL"] = base + "/eutils"
        started = time.monotonic()
        run = run_cli(env, "verify")
        took = time.monotonic() - started
    assert run.code == 3
    assert took < 4.0, took  # two 0.2 s timeouts for the first batch, none for the rest
    host = base.removeprefix("http://")
    assert (
        f"PubMed: cannot connect to {host} (no answer within 0.2 s); nothing was verified "
        "against it; run again online, or use --offline"
    ) in said(run.err)


def test_verbose_logs_each_request_without_secrets(httpserver: HTTPServer, tmp_path: Path) -> None:
    services = bundled_services().install(httpserver)
    env = {
        **services.environment(),
        "PROLOEVIDENCE_CACHE_DIR": str(tmp_path),
        "PROLOEVIDENCE_MAILTO": MAIL,
        "NCBI_API_KEY": KEY,
    }
    run = run_cli(env, "verify", "rabago2010", "kim2010", "-v")
    logged = [line for line in run.err.splitlines() if " -> " in line]
    request = re.compile(
        r"proloevidence: (GET|POST) http://127\.0\.0\.1:\d+/\S+ -> 200 \(\d+\.\d\d s\)"
    )
    assert logged and all(request.fullmatch(line) for line in logged), run.err
    assert {line.split()[1] for line in logged} == {"GET", "POST"}
    assert len(logged) == len(httpserver.log)
    assert MAIL not in run.err and KEY not in run.err and "sentinel" not in run.err
    quiet = run_cli({**env, "PROLOEVIDENCE_CACHE_DIR": str(tmp_path / "2")}, "verify", "kim2010")
    assert said(quiet.err) == []


def test_the_progress_line_shows_what_the_run_waits_for() -> None:
    stream = io.StringIO()
    bar = ProgressBar(stream, width=4)
    bar(0, 2)
    bar.note("Crossref: HTTP 429, retrying in 4 s")
    bar(1, 2)
    assert stream.getvalue() == (
        "\rverifying [....] 0/2"
        "\rverifying [....] 0/2  Crossref: HTTP 429, retrying in 4 s"
        "\rverifying [##..] 1/2" + " " * len("  Crossref: HTTP 429, retrying in 4 s")
    )


def test_the_client_says_what_it_waits_for(httpserver: HTTPServer) -> None:
    httpserver.expect_oneshot_request("/x").respond_with_data(
        "slow down", status=429, headers={"Retry-After": "4"}
    )
    httpserver.expect_request("/x").respond_with_json({})
    notes: list[str] = []
    with new_session() as session:
        client = HttpClient(
            session, user_agent="t", retry=RetryPolicy(), sleep=lambda s: None, notify=notes.append
        )
        # A clock that jumps 10 s a reading: the limiter's 4 s pause after the 429 is over
        # at once (the client's own sleep is a no-op).
        jumping = Limiter(RateLimit(100), name="Crossref", clock=itertools.count(0, 10).__next__)
        client.request(jumping, "GET", httpserver.url_for("/x"))
    assert notes == ["Crossref: HTTP 429, retrying in 4 s"]


def test_the_could_not_ask_lines_come_in_one_order_whichever_service_failed_first(
    capsys: pytest.CaptureFixture[str],
) -> None:
    # The services are asked in parallel, so which one is given up first is a race; the
    # lines a user (or a CI log diff) reads should not change order from run to run.
    import click

    from proloevidence.cli.app import cli
    from proloevidence.cli.online import Online, report_could_not_ask
    from proloevidence.services.http_faults import Outage
    from proloevidence.verification import Verification

    def outage(service: str, host: str) -> Outage:
        return Outage(service, host, "name resolution failed", "connection failed", False)

    crossref = outage("Crossref", "api.crossref.org")
    pubmed = outage("PubMed", "eutils.ncbi.nlm.nih.gov")
    doi = outage("doi.org", "doi.org")
    seen = []
    for order in itertools.permutations([pubmed, doi, crossref]):
        with click.Context(cli):
            report_could_not_ask(Online(Verification({}), order), "use --offline")
        seen.append([line.split(":")[0] for line in capsys.readouterr().err.splitlines()])
    assert all(lines == ["Crossref", "doi.org", "PubMed"] for lines in seen)
