from __future__ import annotations

import errno
import subprocess
import sys
from collections.abc import Callable, Iterator

import click
import pytest

from proloevidence.cli import cli, main
from proloevidence.cli.app import InputError, set_exit_code


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
