"""The editor's workflow end to end, as a user runs it: audit, verify --lock, fix, refs, render.

The real command line, resolver, cache and limiter talk to tests/loopback.py's Crossref, doi.org
and E-utilities on 127.0.0.1, which serve records like the public ones for the five bundled
references (tests/fixtures/README.md says where each fact comes from). The base URLs, contact
address and cache folder reach the default Resolver through the environment, as they would for
a user. Nothing here touches the internet.
"""

from __future__ import annotations

import json
import shutil
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from pytest_httpserver import HTTPServer

from proloevidence.kb.bib_editor import entry_spans
from proloevidence.kb.knowledge_base import bundled_path
from proloevidence.verifying.fix import FIELD_NAMES, IDENTIFIERS
from proloevidence.verifying.lock import LOCK_NAME, read_lock

from .loopback import bundled_services, run_cli

MAILTO = "editor-tests@example.org"


class Editor:
    """A copy of the bundled knowledge base, audited online (a cold cache), then locked."""

    def __init__(self, server: HTTPServer, root: Path) -> None:
        self.services = bundled_services().install(server)
        self.kb = root / "kb"
        shutil.copytree(bundled_path(), self.kb, ignore=shutil.ignore_patterns("__pycache__"))
        self.env = {
            **self.services.environment(),
            "PROLOEVIDENCE_MAILTO": MAILTO,
            "PROLOEVIDENCE_CACHE_DIR": str(root / "cache"),
        }
        self.online = run_cli(
            self.env, "audit", "--online", "--kb", str(self.kb), "--format", "json"
        )
        self.online_requests = self.services.count()
        self.locked_by_audit = (self.kb / LOCK_NAME).exists()
        self.verified = run_cli(self.env, "verify", "--kb", str(self.kb), "--lock")

    def copy(self, target: Path) -> Path:
        """A copy of the locked knowledge base to change."""
        shutil.copytree(self.kb, target)
        return target


@pytest.fixture(scope="module")
def editor(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Editor]:
    server = HTTPServer(host="127.0.0.1", port=0, threaded=True)
    server.start()
    try:
        yield Editor(server, tmp_path_factory.mktemp("editor"))
    finally:
        server.clear()
        server.stop()


def subjects(report: dict[str, Any]) -> set[tuple[str, str]]:
    return {(f["code"], f["subject"]) for f in report["findings"]}


# -- audit --online, then the same audit offline from the lock -----------------------------------


def test_audit_online_names_unsupported_and_miscited_support(editor: Editor) -> None:
    code, out, err = editor.online
    assert code == 1 and "Traceback" not in err
    report = json.loads(out)
    assert editor.online_requests > 0
    # The default Resolver took the contact address from the environment.
    assert all(MAILTO in s.user_agent for s in editor.services.requests("crossref"))
    assert not editor.locked_by_audit  # --online verifies; only verify --lock writes the lock
    found = subjects(report)
    assert ("unsupported", "safety-tolerated") in found
    assert ("questionable-support", "mechanism-neuromodulatory") in found  # duman2012, wu2017
    assert ("partly-questionable-support", "si-joint-trials") in found  # kim2010
    assert {
        ("reference-mismatch", "kim2010"),
        ("reference-mismatch", "duman2012"),
        ("reference-not-found", "wu2017"),
    } <= found
    summary = report["summary"]
    assert (summary["statements"], summary["unsupported"], summary["questionable"]) == (42, 21, 7)


def test_audit_online_text_is_the_editors_report(editor: Editor) -> None:
    before = editor.services.count()
    code, out, _ = run_cli(editor.env, "audit", "--online", "--kb", str(editor.kb))
    assert editor.services.count() == before  # answers are cached
    assert code == 1
    assert out.splitlines()[0] == (
        "42 statements: 0 backed by verified sources, 21 unsupported, 7 resting on "
        "questionable references, 0 with unverified sources, 14 need no source"
    )
    assert "UNSUPPORTED  safety-tolerated" in out
    assert (
        "QUESTIONABLE mechanism-neuromodulatory <- duman2012 (mismatch), wu2017 (not found)"
    ) in out
    assert "reference-not-found: wu2017 cannot be found" in out
    assert "it probably means" in out  # kim2010: the trial the title search found


def test_audit_from_the_lock_says_the_same_and_asks_nobody(editor: Editor) -> None:
    code, _, err = editor.verified
    assert code == 1 and f"wrote {editor.kb / LOCK_NAME}" in err
    before = editor.services.count()
    code, out, _ = run_cli(editor.env, "audit", "--kb", str(editor.kb), "--format", "json")
    assert editor.services.count() == before
    assert code == 1
    offline, online = json.loads(out), json.loads(editor.online[1])
    assert offline["findings"] == online["findings"]
    assert offline["statements"] == online["statements"]
    assert [r["status"] for r in offline["references"]] == [
        r["status"] for r in online["references"]
    ]


def test_audit_json_shows_each_references_status_and_grade(editor: Editor) -> None:
    _, out, _ = run_cli(editor.env, "audit", "--kb", str(editor.kb), "--format", "json")
    references = {r["key"]: r for r in json.loads(out)["references"]}
    assert {k: r["status"] for k, r in references.items()} == {
        "rabago2010": "verified",
        "kim2010": "mismatch",
        "hauser2016": "verified",
        "duman2012": "mismatch",
        "wu2017": "not_found",
    }
    # PubMed's publication types reach the grades through the verification record.
    rabago = references["rabago2010"]
    assert (rabago["grade"]["level"], rabago["grade"]["basis"]) == (5, "PubMed publication types")
    assert rabago["verification"]["record"]["journal_abbrev"] == "Prim Care"
    kim = references["kim2010"]["verification"]
    assert kim["suggestion"]["record"]["doi"] == "10.1089/acm.2010.0031"


# -- fix from the lock -------------------------------------------------------------------------


def test_the_lock_speaks_fixs_language(editor: Editor) -> None:
    """Every field and identifier the real verify writes is one fix knows how to correct."""
    lock = read_lock(editor.kb)
    assert lock is not None
    for result in lock.results.values():
        assert {f.field for f in result.fields} <= set(FIELD_NAMES)
        assert set(result.identifiers) <= set(IDENTIFIERS)
    # The PMID PubMed found from the printed DOI is there for fix to add.
    assert lock.results["rabago2010"].identifiers["pmid"] == "20188998"


def test_fix_shows_the_corrections_the_lock_implies(editor: Editor, tmp_path: Path) -> None:
    kb = editor.copy(tmp_path / "kb")
    before = (kb / "references.bib").read_bytes()
    code, diff, err = run_cli(editor.env, "fix", "--kb", str(kb))
    assert code == 1
    assert (kb / "references.bib").read_bytes() == before  # only shown
    assert diff.startswith("--- a/references.bib\n+++ b/references.bib\n")
    for line in (
        "+  pmid      = {20188998},",  # rabago2010: found from its DOI
        "+  pmid      = {27429562},",  # hauser2016: likewise
        "-  journal   = {Pain Physician},",  # kim2010: the suggested record
        "-  pmid      = {20648206},",
        "+  pmid      = {21138388},",
        "+  doi       = {10.1089/acm.2010.0031},",
        "+  volume    = {16},",
        "+  pages     = {1285--1290},",
    ):
        assert line in diff.splitlines()
    assert "duman2012: not applied: the correction replaces both title and authors" in err
    assert "--accept duman2012" in err
    assert "wu2017: not_found and no suggested record: check it by hand" in err


def test_fix_write_applies_them_and_the_corrected_reference_verifies(
    editor: Editor, tmp_path: Path
) -> None:
    kb = editor.copy(tmp_path / "kb")
    bib = kb / "references.bib"
    old = bib.read_text(encoding="utf-8")
    code, _, err = run_cli(editor.env, "fix", "--kb", str(kb), "--write")
    assert code == 1  # duman2012's replacement is refused without --accept
    assert f"wrote {bib}" in err
    new = bib.read_text(encoding="utf-8")
    assert (kb / "references.bib.bak").read_text(encoding="utf-8") == old
    old_spans, new_spans = entry_spans(old), entry_spans(new)
    # Untouched entries, and everything between entries, stay byte for byte.
    for key in ("duman2012", "wu2017"):
        was, now = old_spans[key], new_spans[key]
        assert old[was.start : was.end] == new[now.start : now.end]
    assert old[: old_spans["rabago2010"].start] == new[: new_spans["rabago2010"].start]
    assert old[old_spans["wu2017"].end :] == new[new_spans["wu2017"].end :]
    # In the corrected entries only corrected fields changed; what the page printed stays.
    removed = {line for line in old.splitlines() if line not in new.splitlines()}
    assert removed == {
        "  journal   = {Pain Physician},",
        "  volume    = {13},",
        "  number    = {4},",
        "  pages     = {363--370},",
        "  pmid      = {20648206},",
    }
    assert run_cli(editor.env, "check", "--kb", str(kb))[0] == 0
    code, out, _ = run_cli(editor.env, "verify", "--kb", str(kb), "--format", "json")
    statuses = {r["key"]: r["status"] for r in json.loads(out)["results"]}
    assert statuses == {
        "rabago2010": "verified",
        "kim2010": "verified",
        "hauser2016": "verified",
        "duman2012": "mismatch",
        "wu2017": "not_found",
    }


def test_after_fix_write_the_corrected_reference_counts_as_unverified_until_verified(
    editor: Editor, tmp_path: Path
) -> None:
    """The lock describes kim2010 as it was cited; the audit must not keep reporting the
    miscitation fix just corrected, nor fix propose it again."""
    kb = editor.copy(tmp_path / "kb")
    run_cli(editor.env, "fix", "--kb", str(kb), "--write")
    before = editor.services.count()
    code, out, _ = run_cli(editor.env, "audit", "--kb", str(kb), "--format", "json")
    assert code == 1 and editor.services.count() == before
    report = json.loads(out)
    kim = [f for f in report["findings"] if f["subject"] == "kim2010"]
    assert [(f["code"], f["message"]) for f in kim] == [
        (
            "reference-unverified",
            "has changed since it was verified (PMID now 21138388, verified 20648206)",
        )
    ]
    assert "verify --lock" in kim[0]["fix"]
    assert ("reference-mismatch", "duman2012") in subjects(report)  # unchanged: still wrong
    _, diff, err = run_cli(editor.env, "fix", "--kb", str(kb))
    assert "kim2010: changed since it was verified" in err and "kim2010" not in diff
    run_cli(editor.env, "verify", "--kb", str(kb), "--lock")
    _, out, _ = run_cli(editor.env, "audit", "--kb", str(kb), "--format", "json")
    statuses = {r["key"]: r["status"] for r in json.loads(out)["references"]}
    assert statuses["kim2010"] == "verified"


def test_accept_lets_a_replacement_of_title_and_authors_through(
    editor: Editor, tmp_path: Path
) -> None:
    kb = editor.copy(tmp_path / "kb")
    code, _, err = run_cli(editor.env, "fix", "--kb", str(kb), "--write", "--accept", "duman2012")
    assert code == 0 and "not applied" not in err
    text = (kb / "references.bib").read_text(encoding="utf-8")
    span = entry_spans(text)["duman2012"]
    duman = text[span.start : span.end]
    assert "title     = {Stand-in record: the work registered under this DOI" in duman
    assert "printed   = {Duman I, Taskaynatan MA" in duman  # what the page said stays


# -- doc builds from the real lock -----------------------------------------------------------------


def test_refs_and_render_from_the_real_lock(editor: Editor) -> None:
    code, out, _ = run_cli(editor.env, "refs", "--kb", str(editor.kb), "--style", "ama")
    assert code == 0
    lines = out.splitlines()
    assert lines[0].endswith(
        "Prolotherapy in primary care practice. Prim Care. 2010;37(1):65-80. "
        "doi:10.1016/j.pop.2009.09.013"
    )
    assert "Clin Med Insights Arthritis Musculoskelet Disord. 2016;9:139-159." in lines[2]
    assert "Pain Physician. 2010;13(4):363-370." in lines[1]  # kim2010's journal is disputed
    code, out, err = run_cli(
        editor.env, "refs", "--kb", str(editor.kb), "--style", "ama", "--source", "verified"
    )
    assert code == 0
    assert "A Systematic Review of Dextrose Prolotherapy for Chronic Musculoskeletal Pain." in out
    assert "Stand-in" not in out  # records of other works are not listed
    assert (
        "proloevidence: warning: kim2010: its identifiers lead to another work "
        "(title, authors, journal differ) (mismatch); listed as cited"
    ) in err
    code, out, _ = run_cli(editor.env, "render", "--kb", str(editor.kb), "--annotate")
    assert code == 0
    assert (
        "si-joint-trials · supported by 2 sources (2 unreviewed) · "
        "sources: kim2010 mismatch, hauser2016 verified"
    ) in out
    assert "sources: duman2012 mismatch, wu2017 not\\_found" in out
