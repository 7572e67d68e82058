"""Real bibliographies render in the citation styles: every entry listed, reST that parses.

The twelve exported .bib files of tests/fixtures/bibliographies hold what users bring: a
Mendeley note "ID: ..." that pandoc would read as the entry's id, a biblatex @set the styles
print nothing for, crossref and xdata children. `refs` in a numeric and an author-date style
lists every entry the CSL-JSON export lists. Nothing is verified: no network.
"""

from __future__ import annotations

import io
import json
from pathlib import Path

import pytest
from docutils.core import publish_doctree
from docutils.utils import Reporter

from proloevidence.cli import main

BIBLIOGRAPHIES = sorted((Path(__file__).parent / "fixtures" / "bibliographies").glob("*.bib"))
CLAIMS = """\
schema: 1
document:
  id: page
claims:
  - id: only
    section: [Overview]
    kind: scope
    text: "This page lists its bibliography."
    requires_support: false
    support_note: "A sentence about the page itself."
"""


def run(capsys: pytest.CaptureFixture[str], *args: str) -> tuple[int, str]:
    code = main(list(args))
    return code, capsys.readouterr().out


@pytest.mark.parametrize("path", BIBLIOGRAPHIES, ids=[p.stem for p in BIBLIOGRAPHIES])
def test_refs_lists_every_entry_in_ama_and_apa(
    capsys: pytest.CaptureFixture[str], tmp_path: Path, path: Path
) -> None:
    (tmp_path / "references.bib").write_text(path.read_text(encoding="utf-8"), encoding="utf-8")
    (tmp_path / "claims.yaml").write_text(CLAIMS, encoding="utf-8")
    kb = str(tmp_path)
    code, out = run(capsys, "refs", "--kb", kb, "--format", "csl-json", "--no-cache")
    assert code == 0
    count = len(json.loads(out))
    code, out = run(capsys, "refs", "--kb", kb, "--style", "ama", "--no-cache")
    assert code == 0
    assert len(out.splitlines()) == count
    code, out = run(capsys, "refs", "--kb", kb, "--style", "apa", "--format", "rst", "--no-cache")
    assert code == 0
    warnings = io.StringIO()
    publish_doctree(
        out,
        settings_overrides={"warning_stream": warnings, "report_level": Reporter.WARNING_LEVEL},
    )
    assert warnings.getvalue() == ""
    assert out.count("\n- ") + out.startswith("- ") == count
