from __future__ import annotations

import errno
import json
import os
import subprocess
import sys
from collections.abc import Callable, Iterator
from pathlib import Path

import click
import pytest
import yaml

from proloevidence.cli import cli, main
from proloevidence.cli.app import InputError, set_exit_code
from proloevidence.kb.knowledge_base import bundled_path


@pytest.fixture
def command() -> Iterator[Callable[[Callable[[], None]], str]]:
    """Register a throwaway command on the real group; removed after the test."""
    added: list[str] = []

    def register(body: Callable[[], None]) -> str:
        name = f"test-command-{len(added)}"
        cli.add_command(click.Command(name, callback=body))
        added.append(name)
        return name

    yield register
    for name in added:
        del cli.commands[name]


def test_findings_set_the_exit_code_after_the_output(capsys, command) -> None:
    def body() -> None:
        set_exit_code(1)
        click.echo("the output still comes")

    assert main([command(body)]) == 1
    assert capsys.readouterr().out == "the output still comes\n"


def test_the_highest_code_reported_wins(command) -> None:
    def body() -> None:
        set_exit_code(2)
        set_exit_code(1)

    assert main([command(body)]) == 2


def test_an_exit_code_does_not_leak_into_the_next_run(capsys, command) -> None:
    # A command that reports findings and then fails: the next run starts from 0.
    def body() -> None:
        set_exit_code(1)
        raise InputError("broken")

    assert main([command(body)]) == 2
    assert main(["check"]) == 0
    assert "broken" in capsys.readouterr().err


def test_an_os_error_is_one_line_not_a_traceback(capsys, command) -> None:
    def body() -> None:
        raise OSError(errno.ENOSPC, "No space left on device", "out.json")

    assert main([command(body)]) == 2
    err = capsys.readouterr().err
    assert err == "proloevidence: out.json: No space left on device\n"


def test_interrupt_exits_130(capsys, command) -> None:
    def body() -> None:
        raise KeyboardInterrupt

    assert main([command(body)]) == 130
    assert "interrupted" in capsys.readouterr().err


def test_usage_errors_exit_2(capsys) -> None:
    assert main(["claims", "--format", "yaml"]) == 2
    assert main(["no-such-command"]) == 2
    assert "Traceback" not in capsys.readouterr().err


def test_help_and_version_exit_0(capsys) -> None:
    assert main(["--version"]) == 0
    assert main(["claims", "--help"]) == 0
    assert "--unsupported" in capsys.readouterr().out


def test_starting_the_command_line_does_not_import_networkx() -> None:
    # networkx takes a fifth of the start-up; only the commands that build the graph need it.
    code = "import sys, proloevidence.cli; sys.exit('networkx' in sys.modules)"
    assert subprocess.run([sys.executable, "-c", code], check=False).returncode == 0


def test_broken_bibtex_is_reported_once_not_again_by_bibtexparser(kb_copy) -> None:
    bib = kb_copy / "references.bib"
    bib.write_text(bib.read_text(encoding="utf-8").replace("  volume    = {13},", "  volume {13},"))
    run = subprocess.run(
        [sys.executable, "-m", "proloevidence", "check", "--no-cache", "--kb", str(kb_copy)],
        capture_output=True,
        text=True,
        check=False,
    )
    assert run.returncode == 2 and "entry 'kim2010' cannot be parsed" in run.stderr
    assert "Parsing of" not in run.stderr  # bibtexparser's own warning


# -- where the knowledge base comes from ------------------------------------------------------


def _one_statement_less(kb: Path) -> None:
    """Make a copy distinguishable from the bundled page: 41 statements, not 42."""
    claims = kb / "claims.yaml"
    data = yaml.safe_load(claims.read_text(encoding="utf-8"))
    data["claims"] = data["claims"][1:]
    claims.write_text(yaml.safe_dump(data, sort_keys=False), encoding="utf-8")


def _statements(out: str) -> int:
    return len(json.loads(out)["claims"])


def test_kb_is_accepted_before_the_command_and_after_it(capsys, kb_copy: Path) -> None:
    _one_statement_less(kb_copy)
    assert main(["--kb", str(kb_copy), "claims", "--format", "json"]) == 0
    assert _statements(capsys.readouterr().out) == 41
    assert main(["claims", "--kb", str(kb_copy), "--format", "json"]) == 0
    assert _statements(capsys.readouterr().out) == 41
    code = main(["--kb", str(kb_copy), "check"])
    out, err = capsys.readouterr()
    assert code == 0 and "41 statements" in out
    assert err == f"proloevidence: knowledge base {kb_copy} (--kb)\n"


def test_the_command_s_own_kb_wins_over_the_one_before_it(capsys, kb_copy: Path, tmp_path) -> None:
    _one_statement_less(kb_copy)
    assert main(["--kb", str(tmp_path / "nowhere"), "claims", "--kb", str(kb_copy)]) == 0
    assert "overview-definition" not in capsys.readouterr().out  # the copy's first is gone


def test_a_current_folder_holding_a_knowledge_base_is_used_and_named(
    capsys, kb_copy: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    _one_statement_less(kb_copy)
    monkeypatch.chdir(kb_copy)
    code = main(["check"])
    out, err = capsys.readouterr()
    assert code == 0 and "41 statements" in out
    assert err == f"proloevidence: knowledge base {kb_copy} (the current folder)\n"
    # A claims/ folder of pages is a knowledge base too.
    (kb_copy / "claims").mkdir()
    (kb_copy / "claims.yaml").rename(kb_copy / "claims" / "page.yaml")
    assert main(["claims", "--format", "json"]) == 0
    assert _statements(capsys.readouterr().out) == 41


def test_the_environment_wins_over_the_current_folder(
    capsys, kb_copy: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    _one_statement_less(kb_copy)
    monkeypatch.chdir(kb_copy)
    monkeypatch.setenv("PROLOEVIDENCE_KB", str(bundled_path()))
    assert main(["claims", "--format", "json"]) == 0
    assert _statements(capsys.readouterr().out) == 42
    assert main(["audit"]) == 1
    assert f"knowledge base {bundled_path()} ($PROLOEVIDENCE_KB)" in capsys.readouterr().err


def test_elsewhere_the_bundled_page_is_read_and_said_to_be(
    capsys, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    (tmp_path / "references.bib").write_text("")  # a .bib alone is no knowledge base
    monkeypatch.chdir(tmp_path)
    for args in (["claims"], ["audit"], ["refs"], ["cited-by", "kim2010"], ["sources", "x"]):
        main(args)
        err = capsys.readouterr().err
        if args[0] != "sources":  # an unknown id stops before any output
            assert f"knowledge base {bundled_path()} (the bundled example page)" in err, args
    # Output for programs carries no note.
    assert main(["claims", "--format", "json"]) == 0
    assert capsys.readouterr().err == ""


# -- the last resort: RecursionError and MemoryError ------------------------------------------

# Every parser bounds depth and size (tests/test_bounded_parsing.py); to reach the guard, a
# load that raises is put in place of the real one, in a process of its own.
RAISING_LOAD = """
import sys
import proloevidence.kb.knowledge_base as kb
from proloevidence.cli import main

def load(*args, **kwargs):
    raise {error}("raised by the test")

kb.load = load
sys.exit(main(sys.argv[1:]))
"""


def _run_raising(error: str, env: dict[str, str], *args: str) -> subprocess.CompletedProcess[str]:
    clean = {
        k: v for k, v in os.environ.items() if k not in ("PYTEST_CURRENT_TEST", "PROLOEVIDENCE_KB")
    }
    return subprocess.run(
        [sys.executable, "-c", RAISING_LOAD.format(error=error), *args],
        env={**clean, **env},
        capture_output=True,
        text=True,
        timeout=60,
    )


@pytest.mark.parametrize("error", ["RecursionError", "MemoryError"])
def test_recursion_or_memory_error_is_one_line_naming_the_input(error: str, kb_copy: Path) -> None:
    run = _run_raising(error, {}, "audit", "--kb", str(kb_copy))
    assert run.returncode == 2
    assert run.stderr.count("\n") == 1 and "Traceback" not in run.stderr
    assert run.stderr.startswith(f"proloevidence: {kb_copy}: ")
    assert error in run.stderr


def test_the_guard_hides_nothing_in_tests_or_with_debug_on(kb_copy: Path, capsys) -> None:
    run = _run_raising(
        "RecursionError", {"PROLOEVIDENCE_DEBUG": "1"}, "audit", "--kb", str(kb_copy)
    )
    assert run.returncode == 1 and "Traceback" in run.stderr
    # In-process, under pytest (PYTEST_CURRENT_TEST is set), the bug is raised whole.
    with pytest.MonkeyPatch.context() as patch:
        patch.setattr("proloevidence.kb.knowledge_base.load", _raise_recursion)
        with pytest.raises(RecursionError):
            main(["audit", "--kb", str(kb_copy)])


def _raise_recursion(*args: object, **kwargs: object) -> None:
    raise RecursionError("raised by the test")


def test_the_guard_names_the_bundled_page_when_no_folder_was_given() -> None:
    run = _run_raising("RecursionError", {}, "claims")
    assert run.returncode == 2
    assert run.stderr.startswith(f"proloevidence: {bundled_path()}: nested too deeply")


@pytest.mark.parametrize(
    "args",
    [
        ["verify", "--lock", "--offline"],
        ["assess", "si-joint-trials", "kim2010", "--as", "supported"],
        ["fix", "--write"],
        ["add", "--offline", "pmid:21138388"],
        # A port in use: the code before the guard refused it too, but for that reason.
        ["review", "--no-browser", "--port", "{busy}"],
    ],
    ids=lambda args: args[0],
)
def test_no_command_writes_into_the_installed_bundled_page(
    args: list[str], tmp_path, monkeypatch, capsys
) -> None:
    """After `pip install .` the bundled page lies in site-packages: a user's `verify --lock`
    or `assess` there would change (or, installed read-only, fail on) the package's own files.
    Each write is refused with the command that makes a copy of one's own."""
    import shutil
    import socket

    from proloevidence.kb import knowledge_base

    installed = tmp_path / "site-packages" / "proloevidence" / "data"
    shutil.copytree(bundled_path(), installed)
    before = {p.name: p.read_bytes() for p in installed.iterdir()}
    monkeypatch.setattr(knowledge_base, "bundled_path", lambda: installed)
    monkeypatch.delenv("PROLOEVIDENCE_KB", raising=False)
    monkeypatch.setenv("PROLOEVIDENCE_CACHE_DIR", str(tmp_path / "cache"))
    monkeypatch.chdir(tmp_path)  # no knowledge base here: the bundled page is the default
    with socket.socket() as busy:
        busy.bind(("127.0.0.1", 0))
        busy.listen()
        port = str(busy.getsockname()[1])
        code = main([arg.replace("{busy}", port) for arg in args])
    err = capsys.readouterr().err
    assert code == 2, err
    assert f"copy it (cp -r {installed} my-kb) and give --kb my-kb" in err
    assert {p.name: p.read_bytes() for p in installed.iterdir()} == before
