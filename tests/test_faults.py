"""Fault injection: every service failing in every way we know, through ``proloevidence verify``.

Each case runs the real command in-process against the loopback services of tests/faults.py
with one endpoint misbehaving, then again with the services healed, on the same cache. It
checks what a user would notice: the run ends within a bound, every reference gets a
definite status (``unreachable`` naming the host and the fault), no traceback, exit 3 ("could
not ask"); and
afterwards the good answer is used (the cache was not poisoned) and everything verifies.
docs/reliability.md tabulates these cases.
"""

from __future__ import annotations

import os
import re
import urllib.parse
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from pytest_httpserver import HTTPServer

from .fault_cli import BOUND, MAX_BYTES, Run, quick_resolver, run_cli
from .fault_records import PAPERS, write_kb
from .faults import ENDPOINTS, OMITTED, Fault, Loopback, catalogue, loopback_services

KEYS = [p.key for p in PAPERS]
TABLE = "PROLOEVIDENCE_FAULT_TABLE"
"""Set to a file name to have the cases below written there as docs/reliability.md's table."""
ROWS: list[tuple[str, ...]] = []

# Which references an endpoint answers for (tests/fault_records.py). esummary answers for
# none alone: efetch's full record carries every field compared, so a reference whose
# efetch answered is judged without esummary (services/lookup_assembly.py, assemble).
ANSWERS_FOR = {
    "crossref-list": {"alpha", "beta", "gamma"},
    "crossref-single": {"delta"},
    "doi-ra": {"gamma"},
    "doi-csl": {"gamma"},
    "esummary": set(),
    "efetch": {"alpha", "beta", "epsilon"},
    "esearch": {"alpha", "gamma", "delta"},
}


@pytest.fixture
def services(httpserver: HTTPServer, monkeypatch: pytest.MonkeyPatch) -> Iterator[Loopback]:
    quick_resolver(monkeypatch)
    with loopback_services(httpserver) as loopback:
        yield loopback


@pytest.fixture(scope="module")
def kb(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return write_kb(tmp_path_factory.mktemp("faults") / "kb")


def verify_cli(env: dict[str, str], *args: str) -> Run:
    return run_cli(env, "verify", "--format", "json", *args)


@pytest.fixture(scope="module", autouse=True)
def table() -> Iterator[None]:
    yield
    if os.environ.get(TABLE) and ROWS:
        head = ("service", "fault", "what verify did", "message (excerpt)", "time", "next run")
        lines = ["| " + " | ".join(head) + " |", "|" + "---|" * len(head)]
        lines += ["| " + " | ".join(row) + " |" for row in ROWS]
        Path(os.environ[TABLE]).write_text("\n".join(lines) + "\n", encoding="utf-8")


def record(where: str, fault: str, run: Run, host: str, hurt: set[str], after: str) -> None:
    """One row of the table: what a user saw (statuses, exit code, the failure, the time)."""
    hit = [k for k in KEYS if k in hurt]
    did = f"{', '.join(hit)} unreachable; the rest verified" if hit else "all verified"
    message = run.results[hit[0]]["message"] if hit else ""
    excerpt = message[message.find(host) + len(host) + 2 :] if host in message else ""
    excerpt = re.sub(r" \(https?://[^)]*\)$", "", excerpt.split("; ")[0]).replace("|", "\\|")
    ROWS.append(
        (
            where,
            fault.replace("|", "\\|"),
            f"{did.rstrip('; ')}; exit {run.code}",
            f"`{excerpt}`" if excerpt else "(no failure: verified)",
            f"{run.seconds:.2f} s",
            after,
        )
    )


def affected(endpoint: str, fault: Fault) -> set[str]:
    """The references that cannot be verified while ``endpoint`` has ``fault``."""
    if fault.kind == "omit":
        # The left-out DOI goes to doi.org, which finds it (Crossref's CSL by negotiation);
        # the left-out esummary document is stood in for by efetch's record.
        return {"crossref-list": set(), "doi-ra": {"gamma"}, "esummary": set()}.get(
            endpoint, {"beta"}
        )
    return ANSWERS_FOR[endpoint]


CASES = [
    pytest.param(endpoint, fault, id=f"{endpoint}: {fault.name}")
    for endpoint in ENDPOINTS
    for fault in catalogue(endpoint, MAX_BYTES)
]


@pytest.mark.parametrize(("endpoint", "fault"), CASES)
def test_a_fault_gives_definite_statuses_and_leaves_the_cache_clean(
    services: Loopback, kb: Path, tmp_path: Path, endpoint: str, fault: Fault
) -> None:
    env = {**services.env(), "PROLOEVIDENCE_CACHE_DIR": str(tmp_path / "cache")}
    services.inject(endpoint, fault)
    bad = verify_cli(env, "--kb", str(kb))
    assert bad.seconds < BOUND, f"took {bad.seconds:.1f} s"
    assert "Traceback" not in bad.err
    hurt = affected(endpoint, fault)
    assert bad.code == (3 if hurt else 0)
    results = bad.results
    host = services.host(ENDPOINTS[endpoint])
    for key in KEYS:
        result = results[key]
        if key in hurt:
            assert result["status"] == "unreachable", result
            assert host in result["message"]
            assert fault.phrase in result["message"], result["message"]
        else:
            assert result["status"] == "verified", result
    assert services.seen(endpoint), "the fault was never reached"

    record(endpoint, fault.name, bad, host, hurt, "good answer used; all verified")
    asked = len(services.seen(endpoint))
    services.heal()
    good = verify_cli(env, "--kb", str(kb))
    assert (good.code, good.err) == (0, "")
    assert {k: r["status"] for k, r in good.results.items()} == dict.fromkeys(KEYS, "verified")
    # The good answer was fetched, not a cached remnant of the fault.
    again = services.seen(endpoint)[asked:]
    assert again, "the healed endpoint was not asked again"
    if fault.kind == "omit":
        sent = [urllib.parse.unquote(e.target + e.body.decode()) for e in again]
        assert any(OMITTED[endpoint] in s for s in sent), sent


@pytest.mark.parametrize("service", ["crossref", "doi", "eutils"])
def test_a_refused_connection_is_unreachable_naming_the_host(
    services: Loopback, kb: Path, tmp_path: Path, service: str
) -> None:
    env = {**services.env(), "PROLOEVIDENCE_CACHE_DIR": str(tmp_path / "cache")}
    services.proxies[service].refuse()
    bad = verify_cli(env, "--kb", str(kb))
    assert bad.seconds < BOUND
    assert (bad.code, "Traceback" in bad.err) == (3, False)
    # One line for the service, and it was asked nothing after the first batch's two tries.
    name = {"crossref": "Crossref", "doi": "doi.org", "eutils": "PubMed"}[service]
    assert f"{name}: cannot connect to {services.host(service)} (connection refused)" in bad.err
    hurt = set().union(*(ANSWERS_FOR[e] for e, s in ENDPOINTS.items() if s == service))
    for key, result in bad.results.items():
        if key in hurt:
            assert result["status"] == "unreachable"
            assert (
                f"{services.host(service)}: connection failed (Connection refused)"
                in result["message"]
            )
        else:
            assert result["status"] == "verified"
    record(
        f"{service} (all)", "connection refused", bad, services.host(service), hurt, "all verified"
    )
    services.heal()
    good = verify_cli(env, "--kb", str(kb))
    assert good.code == 0
    assert {r["status"] for r in good.results.values()} == {"verified"}


def test_the_services_healthy_verify_everything_and_a_warm_run_asks_nothing(
    services: Loopback, kb: Path, tmp_path: Path
) -> None:
    env = {**services.env(), "PROLOEVIDENCE_CACHE_DIR": str(tmp_path / "cache")}
    cold = verify_cli(env, "--kb", str(kb))
    assert (cold.code, cold.err) == (0, ""), cold.out
    assert {e.endpoint for e in services.seen()} == set(ENDPOINTS)
    asked = len(services.seen())
    warm = verify_cli(env, "--kb", str(kb))
    assert len(services.seen()) == asked
    assert without_times(warm.results) == without_times(cold.results)


def without_times(results: dict[str, dict[str, Any]]) -> dict[str, dict[str, Any]]:
    return {k: {f: v for f, v in r.items() if f != "checked_at"} for k, r in results.items()}
