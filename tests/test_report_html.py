from __future__ import annotations

import base64
import hashlib
import os
import re
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

import proloevidence
from proloevidence.auditing.report_html import to_html

from .verification_data import INJECTED_TITLE, NOW, bundled_verification

sys.path.insert(0, str(Path(__file__).resolve().parent.parent / "benchmarks"))
import synthetic_page

TITLE = "Audit: Prolotherapy"


@pytest.fixture(scope="module")
def page() -> str:
    report = proloevidence.audit(proloevidence.load(), bundled_verification(evil=True), now=NOW)
    return to_html(report, title=TITLE)


def test_remote_text_is_escaped(page: str) -> None:
    assert "&lt;script&gt;document.title=&#x27;pwned&#x27;&lt;/script&gt;" in page
    assert "&lt;img src=x onerror=&quot;" in page
    assert page.count("<script>") == 1 and "<img" not in page
    assert INJECTED_TITLE not in page and "\x1b" not in page


def test_self_contained_with_a_policy_that_allows_only_its_own_style_and_script(page: str) -> None:
    assert not re.search(r"""(src|href)=["']?(https?:|//)""", page)
    policy = re.search(r'http-equiv="Content-Security-Policy" content="([^"]+)"', page)
    assert policy is not None and "default-src 'none'" in policy.group(1)
    for tag in ("style", "script"):
        body = re.search(rf"<{tag}>(.*?)</{tag}>", page, re.S)
        assert body is not None
        digest = base64.b64encode(hashlib.sha256(body.group(1).encode()).digest()).decode()
        assert f"'sha256-{digest}'" in policy.group(1), tag


def test_matrix_and_statements_in_page_order(page: str) -> None:
    kb = proloevidence.load()
    ids = re.findall(r'<article class="statement [^"]*" id="s-([^"]+)"', page)
    assert ids == [kb.claim_id(c) for c in kb.claims]
    matrix = page.split('<div class="mbody" role="rowgroup">')[1].split("</section>")[0]
    rows = re.findall(r'<div class="mrow" role="row" data-id="([^"]+)"', matrix)
    assert rows == ids
    # Each statement's text is in its row: shortened, and whole on hover.
    long = next(c for c in kb.claims if len(c.text) > 110)
    row = matrix.split(f'data-id="{kb.claim_id(long)}"')[1].split('role="row"')[0]
    assert f'title="{long.text}"' in row.replace("&#x27;", "'")
    assert long.text[:60] in row and "…" in row
    # Each source is a chip: number, key, verification status; the rest on hover.
    assert '<span class="chip v-mismatch" title="supports · unreviewed · mismatch">' in matrix
    assert "[3] hauser2016 · mismatch</span>" in matrix
    assert "[4] duman2012 · not found</span>" in matrix
    for severity in ("error", "warning", "info"):
        assert f'data-severity="{severity}"' in page


def test_the_matrix_has_no_column_per_reference(tmp_path: Path) -> None:
    # A page citing hundreds of references gets one row per statement, not a grid
    # whose width grows with the references (5,000 x 1,000 cells was a 51 MB page).
    folder = tmp_path / "kb"
    folder.mkdir()
    synthetic_page.build(folder, 300, 150)
    report = proloevidence.audit(proloevidence.load(folder))
    html = to_html(report)
    assert html.count('role="row"') == 300 + 1
    assert html.count('role="columnheader"') == 10
    assert len(html) < 1_000_000


# -- in a real browser --------------------------------------------------------------------

CHROMIUM_FLAGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--no-first-run",
    "--disable-sync",
    "--enable-logging=stderr",
    "--v=0",
    "--virtual-time-budget=3000",
]


@pytest.fixture(scope="module")
def chromium() -> str:
    for name in ("chromium", "chromium-browser", "google-chrome"):
        found = shutil.which(name)
        if found:
            return found
    if os.environ.get("CI") == "true":
        pytest.fail("chromium is not installed; .ci/run installs Debian's chromium")
    pytest.skip("chromium is not installed (apt-get install chromium)")


def open_in_chromium(chromium: str, html: str, tmp_path: Path) -> tuple[str, list[str]]:
    """Load a page headless; return the DOM after its scripts ran and the console messages."""
    page = tmp_path / "page.html"
    page.write_text(html, encoding="utf-8")
    done = subprocess.run(
        [
            chromium,
            *CHROMIUM_FLAGS,
            f"--user-data-dir={tmp_path / 'profile'}",
            "--dump-dom",
            page.as_uri(),
        ],
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )
    assert done.returncode == 0, done.stderr[-2000:]
    # Every console message (errors, CSP violations, uncaught exceptions) is logged as
    # "...:CONSOLE(...)] "message", source: ...".
    console = [line for line in done.stderr.splitlines() if ":CONSOLE" in line]
    return done.stdout, console


def test_the_browser_catches_console_errors(chromium: str, tmp_path: Path) -> None:
    # The probe itself must be able to fail: a page with an error is seen as one.
    broken = "<!DOCTYPE html><title>t</title><script>undefinedFunction()</script>"
    _dom, console = open_in_chromium(chromium, broken, tmp_path)
    assert any("undefinedFunction" in line for line in console)


def test_the_page_loads_cleanly_and_injected_markup_stays_inert(
    chromium: str, page: str, tmp_path: Path
) -> None:
    dom, console = open_in_chromium(chromium, page, tmp_path)
    assert console == []
    body = re.search(r"<body[^>]*>", dom)
    assert body is not None and 'data-ready="1"' in body.group(0)  # our script ran
    assert "data-pwned" not in body.group(0)  # the injected onerror did not
    assert re.search(r"<title>(.*?)</title>", dom).group(1) == TITLE  # nor the injected script
    assert "<img" not in dom and "&lt;script&gt;document.title" in dom
    # The severity filters ran: info findings start hidden, errors shown.
    assert re.search(r'<li class="finding sev-info" data-severity="info" hidden="">', dom)
    assert not re.search(r'<li class="finding sev-error" data-severity="error" hidden', dom)
    assert re.search(r'id="shown-count"[^>]*>\d+ findings shown; 42 of 42 statements<', dom)
