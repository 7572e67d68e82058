"""The contact address and the NCBI key reach the services, and nothing else.

With a sentinel address and key set, and DEBUG logging on for urllib3, requests and our own
loggers, the user runs ``verify --lock`` while services fail (so failure messages are
written), again when they are healthy, ``audit`` in every format to files (from the lock,
and ``--online``), and ``refs --source verified`` in every format to files. The sentinel
must appear in no log line, no byte of the cache files, the lock, the reports, the
commands' output or error messages, and in no request URL; the services must have received
it where it is needed (the User-Agent; NCBI's ``email`` and ``api_key`` in POST bodies).
"""

from __future__ import annotations

import logging
import urllib.parse
from collections.abc import Iterator
from pathlib import Path

import pytest
from pytest_httpserver import HTTPServer

from .fault_cli import quick_resolver, run_cli
from .fault_records import bibtex, write_kb
from .faults import Fault, Loopback, loopback_services

MAIL = "sentinel-4b7e@example.org"
KEY = "SENTINEL-KEY-4b7e"
TRACES = (MAIL, KEY, "sentinel-4b7e", urllib.parse.quote(MAIL), urllib.parse.quote_plus(MAIL))
"""The sentinels and the forms a URL, a form body or a log would give them."""


@pytest.fixture
def services(httpserver: HTTPServer, monkeypatch: pytest.MonkeyPatch) -> Iterator[Loopback]:
    quick_resolver(monkeypatch)
    with loopback_services(httpserver) as loopback:
        yield loopback


@pytest.fixture
def debug_log(tmp_path: Path) -> Iterator[Path]:
    """Every record of urllib3, requests and proloevidence, at DEBUG, into a file."""
    path = tmp_path / "debug.log"
    handler = logging.FileHandler(path, encoding="utf-8")
    handler.setFormatter(logging.Formatter("%(name)s %(levelname)s %(message)s"))
    loggers = [logging.getLogger(n) for n in ("urllib3", "requests", "proloevidence")]
    levels = [lg.level for lg in loggers]
    for logger in loggers:
        logger.setLevel(logging.DEBUG)
        logger.addHandler(handler)
    try:
        yield path
    finally:
        for logger, level in zip(loggers, levels, strict=True):
            logger.removeHandler(handler)
            logger.setLevel(level)
        handler.close()


def test_the_address_and_key_reach_the_services_and_nothing_else(
    services: Loopback, tmp_path: Path, debug_log: Path
) -> None:
    # epsilon printed with the wrong year: a mismatch, so the title search runs as well.
    kb = write_kb(tmp_path / "kb", bibtex().replace("year = {2017}", "year = {2015}"))
    cache, out = tmp_path / "cache", tmp_path / "out"
    out.mkdir()
    env = {
        **services.env(),
        "PROLOEVIDENCE_CACHE_DIR": str(cache),
        "PROLOEVIDENCE_MAILTO": MAIL,
        "NCBI_API_KEY": KEY,
    }
    for endpoint, fault in (
        ("crossref-list", Fault("429", "status", "", (429,), (("Retry-After", "0"),))),
        ("esummary", Fault("503", "status", "", (503,))),
        ("efetch", Fault("reset", "reset", "")),
        ("esearch", Fault("redirect loop", "redirect", "")),
    ):
        services.inject(endpoint, fault)
    runs = [run_cli(env, "verify", "--kb", str(kb), "--lock")]
    assert "unreachable" in runs[0].out and "HTTP 503" in runs[0].out  # failures were written
    services.heal()
    runs.append(run_cli(env, "verify", "--kb", str(kb), "--lock", "--format", "json"))
    assert '"mismatch"' in runs[-1].out and '"title search"' in runs[-1].out
    for fmt in ("text", "json", "markdown", "html"):
        runs.append(
            run_cli(
                env,
                "audit",
                "--kb",
                str(kb),
                "--format",
                fmt,
                "--output",
                str(out / f"auditing.{fmt}"),
            )
        )
    runs.append(
        run_cli(env, "audit", "--kb", str(kb), "--online", "--output", str(out / "online.txt"))
    )
    for fmt in ("text", "markdown", "html", "rst", "bibtex", "csl-json", "ris"):
        runs.append(
            run_cli(
                env,
                "refs",
                "--kb",
                str(kb),
                "--source",
                "verified",
                "--format",
                fmt,
                "--output",
                str(out / f"refs.{fmt}"),
            )
        )
    assert all("Traceback" not in r.err for r in runs)
    assert len(list(out.iterdir())) == 12

    written = [p for folder in (cache, kb, out) for p in folder.rglob("*") if p.is_file()]
    assert {"lookups.sqlite", "verification.json"} <= {p.name for p in written}
    logged = debug_log.read_text(encoding="utf-8")
    assert "127.0.0.1" in logged and "proloevidence" in logged  # it did log, at DEBUG
    for trace in TRACES:
        assert trace not in logged
        for run in runs:
            assert trace not in run.out and trace not in run.err
        for path in written:
            assert trace.encode() not in path.read_bytes(), path
        assert all(trace not in e.target for e in services.seen()), "a secret in a URL"

    # ...and the services were told: the address in every User-Agent, the key and address
    # in the body of every E-utilities request (POST, so neither is in a URL).
    seen = services.seen()
    assert all(e.headers["user-agent"].endswith(f"mailto:{MAIL})") for e in seen)
    ncbi = [e for e in seen if e.service == "eutils"]
    posted = [urllib.parse.parse_qs(e.body.decode()) for e in ncbi if e.method == "POST"]
    assert posted and all(q["api_key"] == [KEY] and q["email"] == [MAIL] for q in posted)
    # No GET at all: the redirected POST is not followed as a GET without its body (whose
    # empty answer would read as "no such record"); it fails, saying so.
    assert [e.target for e in ncbi if e.method == "GET"] == []
    assert "HTTP 302 would turn the POST into a GET without its data" in runs[0].out
