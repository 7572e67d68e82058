"""The README and docs stay true: set-up commands, runnable examples, every command documented."""

from __future__ import annotations

import re
from pathlib import Path

import click
import pytest

from proloevidence.cli import cli, main

ROOT = Path(__file__).parent.parent
DOCS = sorted((ROOT / "docs").glob("*.md"))


def python_blocks(path: Path) -> list[str]:
    return re.findall(r"```python\n(.*?)```", path.read_text(encoding="utf-8"), re.S)


def test_readme_opens_with_two_setup_commands_that_ci_runs() -> None:
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    first_block = re.search(r"```sh\n(.*?)```", readme, re.S)
    assert first_block is not None
    commands = [line for line in first_block.group(1).splitlines() if line.strip()]
    assert len(commands) == 2
    ci = (ROOT / ".ci" / "run").read_text(encoding="utf-8")
    for command in commands:
        assert command in ci


@pytest.mark.parametrize("path", [ROOT / "README.md", *DOCS], ids=lambda p: p.name)
def test_python_examples_run(path: Path) -> None:
    for block in python_blocks(path):
        exec(compile(block, str(path), "exec"), {})


def test_every_command_is_documented() -> None:
    documented = (ROOT / "docs" / "cli.md").read_text(encoding="utf-8")
    for name in cli.commands:
        assert f"`proloevidence {name}" in documented, name


# Shared by every command and documented once, at the top of cli.md and below the README table.
COMMON_OPTIONS = {"--kb", "--no-cache", "--help"}


def _options(name: str) -> list[list[str]]:
    """Each option of the command, as its spellings (``["-v", "--verbose"]``)."""
    return [
        [*param.opts, *param.secondary_opts]
        for param in cli.commands[name].params
        if isinstance(param, click.Option) and not COMMON_OPTIONS & set(param.opts)
    ]


def _cli_md_section(name: str) -> str:
    sections = (ROOT / "docs" / "cli.md").read_text(encoding="utf-8").split("\n## ")
    return next(s for s in sections if s.startswith(f"`proloevidence {name}"))


@pytest.mark.parametrize("name", sorted(cli.commands))
def test_every_option_is_in_its_commands_section_of_cli_md_and_row_of_the_readme(
    name: str,
) -> None:
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    row = next(line for line in readme.splitlines() if line.startswith(f"| `proloevidence {name}"))
    section = _cli_md_section(name)
    for spellings in _options(name):
        assert any(re.search(rf"{s}\b", section) for s in spellings), (name, spellings)
        assert any(re.search(rf"{s}\b", row) for s in spellings), (name, spellings)


def test_the_import_walkthrough_prints_what_docs_import_md_shows(
    tmp_path, monkeypatch, capsys
) -> None:
    """docs/import.md gives a page and the summary `import` prints for it: the two agree."""
    text = (ROOT / "docs" / "import.md").read_text(encoding="utf-8")
    page = re.search(r"This `(\S+)`:\n\n```text\n(.*?)```", text, re.S)
    shown = re.search(r"```console\n\$ proloevidence (import .*?)\n(.*?)```", text, re.S)
    assert page is not None and shown is not None
    (tmp_path / page.group(1)).write_text(page.group(2), encoding="utf-8")
    monkeypatch.chdir(tmp_path)
    code = main(shown.group(1).split())
    assert capsys.readouterr().out == shown.group(2)
    assert code == 1  # an unparsed reference needs an editor's eye
