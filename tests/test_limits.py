from __future__ import annotations

import os
import time
import tracemalloc
from pathlib import Path

import pytest

from proloevidence.errors import Problem
from proloevidence.kb.input_limits import (
    DEFAULT_MAX_INPUT_BYTES,
    MAX_ALIAS_PROBLEMS,
    MAX_INPUT_BYTES_ENV,
    max_input_bytes,
    read_input_text,
    yaml_alias_problems,
)


def test_the_default_bound_is_64_mib_and_the_environment_changes_it(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.delenv(MAX_INPUT_BYTES_ENV, raising=False)
    assert max_input_bytes() == DEFAULT_MAX_INPUT_BYTES == 64 * 1024 * 1024
    monkeypatch.setenv(MAX_INPUT_BYTES_ENV, "1000")
    assert max_input_bytes() == 1000
    for bad in ("-1", "0", "lots", "١٠"):
        monkeypatch.setenv(MAX_INPUT_BYTES_ENV, bad)
        with pytest.raises(ValueError, match=MAX_INPUT_BYTES_ENV):
            max_input_bytes()


def test_a_bound_beyond_1_gib_is_refused_naming_the_allowed_range(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    # It used to be taken as given: in effect, no bound at all.
    for bad in ("99999999999999999999999", str(2**30 + 1), "9" * 5000):
        monkeypatch.setenv(MAX_INPUT_BYTES_ENV, bad)
        with pytest.raises(ValueError) as caught:
            max_input_bytes()
        assert "from 1 to 1073741824 (1 GiB)" in str(caught.value)
    for good, value in ((str(2**30), 2**30), ("0001024", 1024), ("1", 1)):
        monkeypatch.setenv(MAX_INPUT_BYTES_ENV, good)
        assert max_input_bytes() == value


def test_check_with_a_bound_out_of_range_exits_2_naming_the_range(
    monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    from proloevidence.cli import main

    monkeypatch.setenv(MAX_INPUT_BYTES_ENV, "99999999999999999999999")
    assert main(["check", "--no-cache"]) == 2
    err = capsys.readouterr().err
    assert "references.bib: $PROLOEVIDENCE_MAX_INPUT_BYTES=" in err
    assert "is out of range: give a whole number of bytes from 1 to 1073741824" in err


def test_a_bad_bound_setting_is_a_problem_not_a_crash(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    (tmp_path / "a.bib").write_text("x", encoding="utf-8")
    monkeypatch.setenv(MAX_INPUT_BYTES_ENV, "64MB")
    problem = read_input_text(tmp_path / "a.bib")
    assert isinstance(problem, Problem) and problem.code == "bad-limit"
    assert "'64MB'" in problem.message


def test_a_file_over_the_bound_is_refused_naming_the_file_and_the_bound(tmp_path: Path) -> None:
    path = tmp_path / "claims.yaml"
    path.write_bytes(b"x" * 1025)
    problem = read_input_text(path, limit=1024)
    assert isinstance(problem, Problem) and problem.code == "too-large"
    assert str(problem.location) == str(path)
    assert "limit of 1 KiB" in problem.message and MAX_INPUT_BYTES_ENV in problem.hint
    assert read_input_text(path, limit=1025) == "x" * 1025


def test_a_huge_file_is_refused_without_being_read(tmp_path: Path) -> None:
    path = tmp_path / "references.bib"
    with open(path, "wb") as handle:  # sparse: 64 MiB + 1 byte without writing them
        handle.truncate(DEFAULT_MAX_INPUT_BYTES + 1)
    tracemalloc.start()
    started = time.perf_counter()
    try:
        problem = read_input_text(path)
        peak = tracemalloc.get_traced_memory()[1]
    finally:
        tracemalloc.stop()
    assert isinstance(problem, Problem) and problem.code == "too-large"
    assert "64 MiB" in problem.message
    assert peak < 1024 * 1024 and time.perf_counter() - started < 1


def test_invalid_utf8_names_the_line_and_column_of_the_bad_byte(tmp_path: Path) -> None:
    path = tmp_path / "claims.yaml"
    path.write_bytes(b"schema: 1\nclaims:\n  - id: caf\xc3\xa9\xff\n")
    problem = read_input_text(path)
    assert isinstance(problem, Problem) and problem.code == "encoding"
    assert (problem.location.line, problem.location.column) == (3, 13)  # characters
    assert "0xff" in problem.message


def test_bom_and_crlf_are_read_as_plain_text(tmp_path: Path) -> None:
    path = tmp_path / "claims.yaml"
    path.write_bytes(b"\xef\xbb\xbfschema: 1\r\nclaims: []\rx\n")
    assert read_input_text(path) == "schema: 1\nclaims: []\nx\n"


def test_a_missing_file_or_a_fifo_is_a_problem(tmp_path: Path) -> None:
    missing = read_input_text(tmp_path / "none.bib")
    assert isinstance(missing, Problem) and missing.code == "unreadable"
    fifo = tmp_path / "pipe.bib"
    os.mkfifo(fifo)
    # Opening a FIFO for reading blocks until a writer comes: give it one that never writes.
    writer = os.open(fifo, os.O_RDWR | os.O_NONBLOCK)
    try:
        problem = read_input_text(fifo)
    finally:
        os.close(writer)
    assert isinstance(problem, Problem) and problem.message == "not a regular file"


BOMB = "a: &a [lol, lol, lol, lol, lol, lol, lol, lol, lol]\n" + "".join(
    f"{c}: &{c} [{', '.join([f'*{p}'] * 9)}]\n" for p, c in zip("abcdefgh", "bcdefghi", strict=True)
)


def test_every_alias_is_a_problem_with_its_line() -> None:
    problems = yaml_alias_problems("x: &k 1\ny: [2, *k]\n", "c.yaml")
    assert [(str(p.location), p.code) for p in problems] == [("c.yaml:2:8", "yaml-alias")]
    assert "*k" in problems[0].message


def test_an_alias_bomb_gives_a_bounded_list_of_problems_quickly() -> None:
    started = time.perf_counter()
    problems = yaml_alias_problems(BOMB, "c.yaml")
    assert time.perf_counter() - started < 1
    assert len(problems) == MAX_ALIAS_PROBLEMS + 1
    assert problems[-1].message == f"{8 * 9 - MAX_ALIAS_PROBLEMS} more YAML aliases from here on"


def test_a_file_without_aliases_has_no_alias_problem() -> None:
    assert yaml_alias_problems("text: 'a * b, 2 * 3'\nn: &unused 1\n", "c.yaml") == []
