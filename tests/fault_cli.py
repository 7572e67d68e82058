"""The command line in-process, with the fault suite's tiny retry budget, timeout and bound.

The CLI builds its :class:`~proloevidence.services.resolver.Resolver` from the environment, with the
published limits and a 120 s retry budget; :func:`quick_resolver` swaps in the real class
with small budgets so a run against a failing service ends in about a second.
"""

from __future__ import annotations

import contextlib
import io
import json
import time
from dataclasses import dataclass
from typing import Any

import pytest

import proloevidence.services.resolver
from proloevidence.cli import main
from proloevidence.services.http import RetryPolicy
from proloevidence.services.rate_limit import RateLimit, ServiceLimits

QUICK = RetryPolicy(attempts=3, backoff=0.02, factor=2.0, max_delay=0.1, total=1.0)
TIMEOUT = 0.2
MAX_BYTES = 200_000
BOUND = 3 * QUICK.total
"""Seconds a faulty run may take: three times the retry budget of one request."""
LIMITS = ServiceLimits(*(RateLimit(500, 1.0, 4) for _ in range(4)))


class QuickResolver(proloevidence.services.resolver.Resolver):
    """The real Resolver with the suite's tiny retry budget, timeout and size bound."""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        kwargs.setdefault("retry", QUICK)
        kwargs.setdefault("limits", LIMITS)
        kwargs.setdefault("timeout", TIMEOUT)
        kwargs.setdefault("max_bytes", MAX_BYTES)
        super().__init__(*args, **kwargs)


def quick_resolver(monkeypatch: pytest.MonkeyPatch) -> None:
    """Make the CLI (and ``verify()``) build a :class:`QuickResolver`."""
    monkeypatch.setattr(proloevidence.services.resolver, "Resolver", QuickResolver)


@dataclass(frozen=True)
class Run:
    code: int
    out: str
    err: str
    seconds: float

    @property
    def results(self) -> dict[str, dict[str, Any]]:
        """``verify --format json``'s results by key."""
        return {r["key"]: r for r in json.loads(self.out)["results"]}


def run_cli(env: dict[str, str], *args: str) -> Run:
    """``proloevidence ARGS`` in-process with ``env`` set (and nothing else configured)."""
    out, err = io.StringIO(), io.StringIO()
    with pytest.MonkeyPatch.context() as patch:
        for name in ("NCBI_API_KEY", "PROLOEVIDENCE_MAILTO", "PROLOEVIDENCE_KB"):
            patch.delenv(name, raising=False)
        for name, value in env.items():
            patch.setenv(name, value)
        started = time.monotonic()
        with contextlib.redirect_stdout(out), contextlib.redirect_stderr(err):
            code = main(list(args))
        seconds = time.monotonic() - started
    return Run(code, out.getvalue(), err.getvalue(), seconds)
