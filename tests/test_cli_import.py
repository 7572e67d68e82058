from __future__ import annotations

from pathlib import Path

import pytest

from proloevidence.cli import main
from proloevidence.cli.import_command import GROUP_TITLES
from proloevidence.importing.drafting import NOTE_CODES

from .conftest import FIXTURES


def run(capsys: pytest.CaptureFixture[str], *args: str) -> tuple[int, str, str]:
    code = main(list(args))
    out, err = capsys.readouterr()
    return code, out, err


def test_import_the_seed_page_then_check_it(capsys, tmp_path: Path) -> None:
    out_dir = tmp_path / "draft"
    code, out, err = run(
        capsys, "import", str(FIXTURES / "prolotherapy-page.txt"), "--output", str(out_dir)
    )
    assert code == 0, err
    assert "42 statements (7 with a marker, 18 links), 5 references" in out
    assert "statements without a source" in out and "(35)" in out
    assert f"proloevidence check --kb {out_dir}" in out
    code, out, _ = run(capsys, "check", "--kb", str(out_dir))
    assert code == 0 and "42 statements, 5 references" in out
    code, out, _ = run(
        capsys,
        "sources",
        "safety-tolerability-serious-complications-uncommon",
        "--kb",
        str(out_dir),
    )
    assert code == 0 and "rabago2010" in out and "unreviewed" in out


def test_refuses_to_overwrite_without_force(capsys, tmp_path: Path) -> None:
    page = str(FIXTURES / "prolotherapy-page.txt")
    assert run(capsys, "import", page, "-o", str(tmp_path))[0] == 0
    (tmp_path / "claims.yaml").write_text("# edited\n", encoding="utf-8")
    code, _, err = run(capsys, "import", page, "-o", str(tmp_path))
    assert code == 2 and "refusing to overwrite" in err and "--force" in err
    assert "Traceback" not in err
    assert (tmp_path / "claims.yaml").read_text(encoding="utf-8") == "# edited\n"
    assert run(capsys, "import", page, "-o", str(tmp_path), "--force")[0] == 0


def test_findings_exit_1_and_are_listed(capsys, tmp_path: Path) -> None:
    code, out, _ = run(
        capsys, "import", str(FIXTURES / "pages" / "unparseable.txt"), "-o", str(tmp_path)
    )
    assert code == 1
    assert "references that could not be parsed (kept as printed) (1):" in out
    assert "line 6: reference 2 could not be parsed" in out
    assert "marker (6) of 'overview-clinics-report-high' names reference 6" in out
    assert "references never cited (1):" in out


def test_default_output_folder_is_the_document_id(capsys, tmp_path: Path, monkeypatch) -> None:
    monkeypatch.chdir(tmp_path)
    code, out, _ = run(
        capsys, "import", str(FIXTURES / "pages" / "markdown.md"), "--id", "back-pain"
    )
    assert code == 0
    assert (tmp_path / "back-pain" / "claims.yaml").exists()
    assert f"wrote {Path('back-pain') / 'claims.yaml'}" in out


def test_page_format_option(capsys, tmp_path: Path) -> None:
    page = tmp_path / "page.dat"
    page.write_text("# Title\n\n## Part\n\nText (1).\n", encoding="utf-8")
    code, out, _ = run(
        capsys, "import", str(page), "--page-format", "markdown", "-o", str(tmp_path / "o")
    )
    assert code == 1  # marker (1) names no reference
    assert "(markdown)" in out


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["missing.txt"], "cannot read the page"),
        (["empty.txt"], "the page is empty"),
        (["page.txt", "--id", "bad/id"], "document id"),
    ],
)
def test_bad_input_is_exit_2_without_traceback(
    capsys, tmp_path: Path, monkeypatch, args: list[str], message: str
) -> None:
    (tmp_path / "empty.txt").write_text("\n \n", encoding="utf-8")
    (tmp_path / "page.txt").write_text("Title\nText.\n", encoding="utf-8")
    monkeypatch.chdir(tmp_path)
    code, _, err = run(capsys, "import", *args, "-o", str(tmp_path / "out"))
    assert code == 2 and message in err and "Traceback" not in err


def test_an_output_folder_that_cannot_be_looked_at_is_exit_2(capsys, tmp_path: Path) -> None:
    # A name longer than the system allows makes stat() itself fail, as a folder we may not
    # enter does (which a test running as root cannot make).
    output = tmp_path / ("x" * 300)
    code, _, err = run(capsys, "import", str(FIXTURES / "prolotherapy-page.txt"), "-o", str(output))
    assert code == 2 and "cannot write into" in err and "Traceback" not in err
    assert "--force" not in err  # the hint is for files that exist, not for this


def test_a_folder_that_does_not_load_is_exit_2(capsys, tmp_path: Path) -> None:
    other = tmp_path / "other.bib"
    other.write_text("@article{other2020, title={Other}, refnumber={one}}\n", encoding="utf-8")
    page = str(FIXTURES / "prolotherapy-page.txt")
    code, _, err = run(capsys, "import", page, "-o", str(tmp_path))
    assert code == 2 and "refnumber 'one' of 'other2020'" in err and "does not load" in err
    # A key the draft repeats: the folder loads, with a warning (the first entry is kept).
    other.write_text("@article{rabago2010, title={Other}}\n", encoding="utf-8")
    code, _, err = run(capsys, "import", page, "-o", str(tmp_path), "--force")
    assert code == 1 and "warning: duplicate reference key 'rabago2010'" in err


def test_every_note_code_has_a_title() -> None:
    assert set(GROUP_TITLES) == set(NOTE_CODES)


def test_a_kb_before_import_is_refused_not_ignored(capsys, tmp_path) -> None:
    page = tmp_path / "page.txt"
    page.write_text("Title\n\nA statement (1).\n\nReferences\n1. A B. T. J. 2010;1:1.\n")
    assert main(["--kb", str(tmp_path), "import", str(page), "-o", str(tmp_path / "d")]) == 2
    assert "import makes a new knowledge base: it takes no --kb" in capsys.readouterr().err
    assert not (tmp_path / "d").exists()
