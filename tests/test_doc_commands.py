"""The refs and render commands: output, files, notes on stderr, exit codes."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from proloevidence.cli import main
from proloevidence.kb.knowledge_base import bundled_path


def run(capsys: pytest.CaptureFixture[str], *args: str) -> tuple[int, str, str]:
    code = main(list(args))
    out, err = capsys.readouterr()
    return code, out, err


def test_refs_default_is_the_pages_own_vancouver_list(capsys: pytest.CaptureFixture[str]) -> None:
    code, out, err = run(capsys, "refs")
    # The folder read is named on standard error, never inside the list.
    assert (
        code == 0
        and err == f"proloevidence: knowledge base {bundled_path()} (the bundled example page)\n"
    )
    assert out.splitlines()[0].startswith("1. Rabago D, Slattengren A, Zgierska A. Prolotherapy")
    assert len(out.splitlines()) == 5


def test_refs_writes_a_file(capsys: pytest.CaptureFixture[str], tmp_path: Path) -> None:
    target = tmp_path / "out" / "refs.json"
    code, out, err = run(capsys, "refs", "--format", "csl-json", "--output", str(target))
    assert code == 0 and out == "" and f"wrote {target}" in err
    items = json.loads(target.read_text(encoding="utf-8"))
    assert items[0]["id"] == "rabago2010"


def test_refs_verified_reports_differences_on_stderr(
    capsys: pytest.CaptureFixture[str], locked_kb: Path
) -> None:
    code, out, err = run(
        capsys, "refs", "--kb", str(locked_kb), "--style", "ama", "--source", "verified"
    )
    assert code == 0
    assert "A Systematic Review of Dextrose Prolotherapy for Chronic Musculoskeletal Pain." in out
    assert (
        "proloevidence: warning: kim2010: its identifiers lead to another work "
        "(title, authors, journal differ) (mismatch); listed as cited"
    ) in err
    assert "proloevidence: warning: wu2017: no verified record (not_found); listed as cited" in err


def test_refs_uses_the_locks_abbreviations(
    capsys: pytest.CaptureFixture[str], locked_kb: Path
) -> None:
    code, out, _ = run(capsys, "refs", "--kb", str(locked_kb), "--style", "ama")
    assert code == 0 and "practice. Prim Care. 2010;37(1):65-80." in out


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["refs", "--style", "chicago-nope"], "unknown citation style 'chicago-nope'"),
        (["refs", "--style", "missing.csl"], "no CSL style file at missing.csl"),
        (["refs", "--source", "verified"], "no verification lock at"),
        (["refs", "--document", "nope"], "no document with id 'nope'"),
        (["refs", "--format", "docx"], "Invalid value for '--format'"),
        (["render", "--style", "chicago-notes-bibliography-17th-edition"], "is a note style"),
        (["render", "--document", "nope"], "no document with id 'nope'"),
    ],
)
def test_bad_input_exits_2_without_a_traceback(
    capsys: pytest.CaptureFixture[str], args: list[str], message: str
) -> None:
    code, _, err = run(capsys, *args)
    assert code == 2 and message in err and "Traceback" not in err


def test_a_broken_csl_file_exits_2(capsys: pytest.CaptureFixture[str], tmp_path: Path) -> None:
    broken = tmp_path / "broken.csl"
    broken.write_text("<style><unclosed>", encoding="utf-8")
    code, _, err = run(capsys, "render", "--style", str(broken))
    assert code == 2 and "broken.csl:1" in err and "not a CSL style" in err


def test_a_broken_lock_exits_2(capsys: pytest.CaptureFixture[str], kb_copy: Path) -> None:
    (kb_copy / "verification.json").write_text("{", encoding="utf-8")
    code, _, err = run(capsys, "refs", "--kb", str(kb_copy))
    assert code == 2 and "verification.json:1" in err


def test_render_annotated_html(capsys: pytest.CaptureFixture[str], tmp_path: Path) -> None:
    target = tmp_path / "page.html"
    code, _, _ = run(capsys, "render", "--format", "html", "--annotate", "--output", str(target))
    page = target.read_text(encoding="utf-8")
    assert code == 0 and page.startswith("<!DOCTYPE html>")
    assert 'data-evidence="unsupported"' in page and "<h2>References</h2>" in page


def test_render_markdown_to_stdout(capsys: pytest.CaptureFixture[str]) -> None:
    code, out, _ = run(capsys, "render")
    assert code == 0 and out.startswith("# Prolotherapy\n") and "(2,3)" in out
