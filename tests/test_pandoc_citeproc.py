"""The CSL processor's edges: no pandoc, an old one, a failing one, a slow one: one-line errors."""

from __future__ import annotations

import stat
from pathlib import Path

import pytest

from proloevidence.cli import main
from proloevidence.errors import CiteprocError
from proloevidence.publish import pandoc_citeproc
from proloevidence.publish.pandoc_citeproc import PANDOC_ENV, pandoc_binary, run_citeproc

DOCUMENT = {"pandoc-api-version": [1, 23], "meta": {}, "blocks": []}


def script(tmp_path: Path, body: str) -> Path:
    """A stand-in binary (a real process) that behaves as ``body`` says."""
    path = tmp_path / "pandoc"
    path.write_text("#!/bin/sh\n" + body + "\n", encoding="utf-8")
    path.chmod(path.stat().st_mode | stat.S_IEXEC)
    return path


def test_the_wheel_binary_is_pandoc_3() -> None:
    assert pandoc_citeproc._major_version(pandoc_binary()) >= 3


def test_a_missing_binary_is_named(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    monkeypatch.setenv(PANDOC_ENV, str(tmp_path / "nowhere"))
    with pytest.raises(CiteprocError, match=f"^{PANDOC_ENV} names .*nowhere, which is not a file$"):
        pandoc_binary()


def test_an_old_pandoc_on_the_path_is_refused(
    monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    script(tmp_path, 'echo "pandoc 2.17.1.1"')
    monkeypatch.delenv(PANDOC_ENV, raising=False)
    monkeypatch.setenv("PATH", str(tmp_path))
    monkeypatch.setattr(pandoc_citeproc, "_wheel_binary", lambda: None)
    pandoc_citeproc._found_binary.cache_clear()
    try:
        with pytest.raises(CiteprocError, match=r"is older than 3.*pip install pypandoc-binary"):
            pandoc_binary()
    finally:
        pandoc_citeproc._found_binary.cache_clear()


def test_a_failure_is_one_line_with_pandocs_words(
    monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    fake = script(tmp_path, 'echo "Error parsing the style" >&2; exit 83')
    monkeypatch.setenv(PANDOC_ENV, str(fake))
    with pytest.raises(CiteprocError) as caught:
        run_citeproc(DOCUMENT, tmp_path / "r.json", tmp_path / "s.csl", what="the style 'x'")
    assert (
        str(caught.value)
        == f"pandoc ({fake}) failed rendering the style 'x': Error parsing the style"
    )


def test_a_slow_pandoc_is_stopped(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    monkeypatch.setenv(PANDOC_ENV, str(script(tmp_path, "sleep 30")))
    with pytest.raises(
        CiteprocError, match=r"did not finish rendering the style 'x' within 0\.5 s"
    ):
        run_citeproc(
            DOCUMENT, tmp_path / "r.json", tmp_path / "s.csl", what="the style 'x'", timeout=0.5
        )


def test_refs_without_pandoc_exits_2_with_one_line(
    monkeypatch: pytest.MonkeyPatch, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    monkeypatch.setenv(PANDOC_ENV, str(tmp_path / "nowhere"))
    code = main(["refs", "--style", "ama"])
    out, err = capsys.readouterr()
    assert code == 2
    assert out == ""
    assert len(err.strip().splitlines()) == 1
    assert f"{PANDOC_ENV} names" in err


def test_data_formats_need_no_pandoc(
    monkeypatch: pytest.MonkeyPatch, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    monkeypatch.setenv(PANDOC_ENV, str(tmp_path / "nowhere"))
    assert main(["refs", "--format", "csl-json"]) == 0
    assert capsys.readouterr().out.startswith("[")
