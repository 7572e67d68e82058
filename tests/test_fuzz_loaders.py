"""Fuzzing the loaders: mutated ``claims.yaml`` and ``references.bib`` never crash the tool.

Every input, however broken, must give a knowledge base or a :class:`KnowledgeBaseError`
whose problems each name a file of the folder and (unless the whole file is at fault) a
line inside it; the CLI's ``check`` must return 0 or 2 and never print a traceback.

The strategies start from the valid bundled files and apply one to four mutations:
truncation, deleted and duplicated lines, re-indentation, hostile values and keys (wrong
types, unknown keys, huge values, YAML tags, anchors, aliases and an alias bomb), raw bytes
(invalid UTF-8, NUL), odd Unicode, a BOM and CRLF line ends. The number of examples comes
from the hypothesis profile (tests/conftest.py): ``ci`` by default, ``thorough`` by hand::

    HYPOTHESIS_PROFILE=thorough .venv/bin/python -m pytest tests/test_fuzz_loaders.py
"""

from __future__ import annotations

import contextlib
import io
import tempfile
from collections.abc import Callable
from pathlib import Path

from hypothesis import example, given
from hypothesis import strategies as st

from proloevidence.cli import main
from proloevidence.errors import KnowledgeBaseError
from proloevidence.kb.knowledge_base import RECOVERABLE, KnowledgeBase, bundled_path, load

CLAIMS = (bundled_path() / "claims.yaml").read_bytes()
BIB = (bundled_path() / "references.bib").read_bytes()

# Problems about a file as a whole (it is missing, unreadable, empty or too large) have no
# line to name; every other problem is about content and must point into the file.
FILE_LEVEL_CODES = frozenset({"missing", "unreadable", "empty", "too-large", "too-deep"})

BOMB = b'lol0: &lol0 ["lol", "lol", "lol", "lol", "lol", "lol", "lol", "lol", "lol"]\n' + b"".join(
    f"lol{i}: &lol{i} [{', '.join([f'*lol{i - 1}'] * 9)}]\n".encode() for i in range(1, 10)
)
"""A YAML "billion laughs": nine levels of nine aliases, 9**9 strings once expanded."""

YAML_VALUES = [
    b"[a, b]",
    b"{x: 1, y: [2]}",
    b"[]",
    b"{}",
    b"~",
    b'""',
    b"0",
    b"-1",
    b"99999999999999999999999999999",
    b"9" * 5000,
    b"1.5e308",
    b".nan",
    b"true",
    b"2026-02-30",
    b"!!timestamp garbage",
    b"!!bool maybe",
    b"!!int 0b",
    b"!!int " + b"9" * 5000,
    b"!!float abc",
    b'!!binary "###"',
    b"!!set {a, b}",
    b"!!map x",
    b"!!seq x",
    b"!!str [a]",
    b"!!python/object/apply:os.system ['true']",
    b"!!python/name:os.system",
    b"!custom value",
    b"&anchor value",
    b"*anchor",
    b"*undefined",
    b"*lol9",
    b"&loop [*loop]",
    b"&map {a: *map}",
    b"{? [complex, key] : value}",
    b"{<<: {a: 1}}",
    b'"unterminated',
    b"[unclosed",
    b"{",
    b"|\n  block\n  text",
    b">-",
    b'"(1-999999999)"',
    b'"(' + b"9" * 5000 + b')"',
    '"(\u0661-\u0663)"'.encode(),
    '"\u00b9\u207b\u00b3"'.encode(),
    b'"(' + b"1-1000," * 2000 + b'1)"',
    b'"' + b"x" * 200_000 + b'"',
    b'"\\u202e\\u0000\\U0001F600"',
    "\u00e9\u0301 \U0001f489 \u2028 \ufeff".encode(),
    b"'\x00'",
]
YAML_LINES = [
    b"unknown_key: 1",
    b"citatons: []",
    b"- {ref: nowhere}",
    b"- id: overview-definition",
    b"- {id: x, section: [A], kind: definition, text: t, marker: '(1)', citations: [{ref: y}]}",
    b"citations: {ref: rabago2010}",
    b"section: {a: b}",
    b"references: [rabago2010]",
    b"schema: 2",
    b"---",
    b"...",
    b"%YAML 1.1",
    b"? [complex]",
    b"<<: *lol9",
    b"text: *lol9",
    b"- *lol9",
    b"x: !!python/object/new:os.system [true]",
]
BIB_VALUES = [
    b"{}",
    b'""',
    b"{unclosed",
    b"}",
    b"{" * 500 + b"}" * 500,
    # LaTeX decoding costs ~9 µs a character (docs/reliability.md): 20 kB keeps CI quick.
    b"{" + b"x" * 20_000 + b"}",
    b"{99999999999999999999999999999}",
    b"{" + b"9" * 5000 + b"}",
    "{\u00b2\u00b3}".encode(),
    "{\u0661\u0662}".encode(),
    b"{-3}",
    b"{0}",
    b"somestring",
    b"a # b # c",
    b"{\\}",
    b"{\\'}",
    b"{$x^{2}$ \\textbf{b}}",
    b"{\\newcommand{\\x}{\\x}\\x}",
    b"{10.1000/../../x?y=1#z}",
    b"{PMC}",
    b"{and and and}",
    b"{others and others}",
    b"{, , ,}",
    b"{Last, First, Jr, Extra}",
    "{\u202e\U0001f600}".encode(),
]
BIB_LINES = [
    b"@string{lol = {lol}}",
    b"@comment{anything}",
    b"@preamble{ {x} }",
    b"@article{",
    b"@article{dup, title = {A}}",
    b"@article{rabago2010, title = {Again}}",
    b"@{nokey}",
    b"@misc{k,}",
    b"@article{k, title = {A}, title = {B}}",
    b"dio = {10.1000/x},",
    b"year = {MMX},",
    b"@article{k, doi = {10.1016/j.pop.2009.09.013}}",
    b"% a comment",
    b"}",
]


def lines(data: bytes) -> list[bytes]:
    return data.splitlines(keepends=True)


Mutation = Callable[[st.DrawFn, bytes], bytes]


def truncate(draw: st.DrawFn, data: bytes) -> bytes:
    return data[: draw(st.integers(0, len(data)))]


def delete_lines(draw: st.DrawFn, data: bytes) -> bytes:
    rows = lines(data)
    start = draw(st.integers(0, max(len(rows) - 1, 0)))
    return b"".join(rows[:start] + rows[start + draw(st.integers(1, 5)) :])


def duplicate_block(draw: st.DrawFn, data: bytes) -> bytes:
    rows = lines(data)
    start = draw(st.integers(0, max(len(rows) - 1, 0)))
    block = rows[start : start + draw(st.integers(1, 12))]
    at = draw(st.integers(0, len(rows)))
    return b"".join(rows[:at] + block + rows[at:])


def reindent(draw: st.DrawFn, data: bytes) -> bytes:
    rows = lines(data)
    if not rows:
        return data
    i = draw(st.integers(0, len(rows) - 1))
    indent = draw(st.sampled_from([b"", b" ", b"   ", b"\t", b" " * 40, b"  \t "]))
    rows[i] = indent + rows[i].lstrip(b" \t")
    return b"".join(rows)


def insert_bytes(draw: st.DrawFn, data: bytes) -> bytes:
    # Raw bytes: invalid UTF-8, NUL, control characters, a stray BOM.
    junk = draw(
        st.one_of(
            st.binary(min_size=1, max_size=12),
            st.sampled_from([b"\x00", b"\xff\xfe", b"\xc3(", b"\xed\xa0\x80", b"\xef\xbb\xbf"]),
        )
    )
    at = draw(st.integers(0, len(data)))
    return data[:at] + junk + data[at:]


def insert_text(draw: st.DrawFn, data: bytes) -> bytes:
    # Odd but valid Unicode: combining marks, right-to-left overrides, emoji, line separators.
    text = draw(st.text(min_size=1, max_size=12))
    at = draw(st.integers(0, len(data)))
    return data[:at] + text.encode("utf-8", "surrogatepass") + data[at:]


def add_bom(draw: st.DrawFn, data: bytes) -> bytes:
    return b"\xef\xbb\xbf" + data


def line_ends(draw: st.DrawFn, data: bytes) -> bytes:
    return data.replace(b"\n", draw(st.sampled_from([b"\r\n", b"\r", b"\n\n"])))


def insert_line(pool: list[bytes]) -> Mutation:
    def mutate(draw: st.DrawFn, data: bytes) -> bytes:
        rows = lines(data)
        i = draw(st.integers(0, len(rows)))
        near = rows[min(i, len(rows) - 1)] if rows else b""
        indent = near[: len(near) - len(near.lstrip(b" \t"))]
        return b"".join([*rows[:i], indent + draw(st.sampled_from(pool)) + b"\n", *rows[i:]])

    return mutate


def replace_value(pool: list[bytes], separator: bytes) -> Mutation:
    def mutate(draw: st.DrawFn, data: bytes) -> bytes:
        rows = lines(data)
        candidates = [i for i, row in enumerate(rows) if separator in row]
        if not candidates:
            return data
        i = draw(st.sampled_from(candidates))
        head = rows[i].split(separator, 1)[0]
        comma = b"," if rows[i].rstrip().endswith(b",") else b""  # keep BibTeX fields apart
        rows[i] = head + separator + draw(st.sampled_from(pool)) + comma + b"\n"
        return b"".join(rows)

    return mutate


def prepend_bomb(draw: st.DrawFn, data: bytes) -> bytes:
    return BOMB + data


COMMON: list[Mutation] = [
    truncate,
    delete_lines,
    duplicate_block,
    reindent,
    insert_bytes,
    insert_text,
    add_bom,
    line_ends,
]
YAML_MUTATIONS = [
    *COMMON,
    insert_line(YAML_LINES),
    replace_value(YAML_VALUES, b": "),
    replace_value(YAML_VALUES, b": "),
    prepend_bomb,
]
BIB_MUTATIONS = [
    *COMMON,
    insert_line(BIB_LINES),
    replace_value(BIB_VALUES, b"= "),
    replace_value(BIB_VALUES, b"= "),
]


@st.composite
def mutated(draw: st.DrawFn, original: bytes, mutations: list[Mutation]) -> bytes:
    data = original
    for _ in range(draw(st.integers(1, 4))):
        data = draw(st.sampled_from(mutations))(draw, data)
    return data


def check_folder(folder: Path) -> None:
    """The invariants every input must keep, through the library and through the CLI."""
    files = {str(folder), *(str(p) for p in folder.iterdir())}
    try:
        kb = load(folder)
    except KnowledgeBaseError as exc:
        loaded = False
        assert exc.problems
        if all(p.code in RECOVERABLE or not p.is_error for p in exc.problems):
            # What strict loading refuses, lenient loading keeps as data on a usable KB.
            lenient = load(folder, strict=False)
            assert lenient.problems == exc.problems
            lenient.unsupported_claims()
            lenient.uncited_references()
            assert lenient.graph.number_of_nodes() >= len(lenient.claims)
        for problem in exc.problems:
            where = problem.location
            assert where.file in files, problem
            if problem.code in FILE_LEVEL_CODES:
                continue
            assert where.line >= 1, f"no line: {problem} [{problem.code}]"
            content = Path(where.file).read_bytes().decode("utf-8", "replace")
            assert where.line <= len(content.splitlines()) + 1, f"line out of range: {problem}"
    else:
        loaded = True
        assert isinstance(kb, KnowledgeBase)
        assert kb.graph.number_of_nodes() >= len(kb.claims)
    out, err = io.StringIO(), io.StringIO()
    with contextlib.redirect_stdout(out), contextlib.redirect_stderr(err):
        code = main(["check", "--kb", str(folder)])
    assert "Traceback" not in err.getvalue()
    # Loaded: 1 when a warning wants a look (kb.problems has them), else 0.
    warned = loaded and any(p.severity.value == "warning" for p in kb.problems)
    assert code == (2 if not loaded else 1 if warned else 0), err.getvalue()[-2000:]


def run(claims: bytes, bib: bytes) -> None:
    with tempfile.TemporaryDirectory() as tmp:
        folder = Path(tmp)
        (folder / "claims.yaml").write_bytes(claims)
        (folder / "references.bib").write_bytes(bib)
        check_folder(folder)


@given(mutated(CLAIMS, YAML_MUTATIONS))
@example(CLAIMS)
@example(BOMB + CLAIMS.replace(b"kind: definition", b"kind: *lol9", 1))
def test_mutated_claims_never_crash(claims: bytes) -> None:
    run(claims, BIB)


@given(mutated(BIB, BIB_MUTATIONS))
@example(BIB)
def test_mutated_references_never_crash(bib: bytes) -> None:
    run(CLAIMS, bib)


@given(mutated(CLAIMS, YAML_MUTATIONS), mutated(BIB, BIB_MUTATIONS))
def test_both_files_mutated_never_crash(claims: bytes, bib: bytes) -> None:
    run(claims, bib)
