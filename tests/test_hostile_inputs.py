"""Named hostile inputs, each through ``load()`` and ``proloevidence check``: one per row of
the table in docs/reliability.md (the fuzzing in test_fuzz_loaders.py tries random ones).

Each case edits a copy of the bundled knowledge base and says what the tool must do:
load it, or refuse it with a problem of a given code at a given line. The CLI must exit
with 0 or 2 accordingly and never print a traceback.
"""

from __future__ import annotations

import tracemalloc
from dataclasses import dataclass
from pathlib import Path

import pytest
import yaml

from proloevidence.cli import main
from proloevidence.errors import KnowledgeBaseError
from proloevidence.kb import claims_reader as claimsfile
from proloevidence.kb import yaml_nodes as yamlnodes
from proloevidence.kb.input_limits import MAX_INPUT_BYTES_ENV
from proloevidence.kb.knowledge_base import bundled_path, load

CLAIMS = (bundled_path() / "claims.yaml").read_bytes()
BIB = (bundled_path() / "references.bib").read_bytes()
BOMB = b'a: &a ["lol", "lol", "lol", "lol", "lol", "lol", "lol", "lol", "lol"]\n' + b"".join(
    f"{c}: &{c} [{', '.join([f'*{p}'] * 9)}]\n".encode()
    for p, c in zip("abcdefgh", "bcdefghi", strict=True)
)


def line_of(data: bytes, needle: bytes) -> int:
    return data[: data.index(needle)].count(b"\n") + 1


def sub(data: bytes, old: bytes, new: bytes) -> bytes:
    assert old in data, old
    return data.replace(old, new, 1)


FIRST_KIND = b"    kind: definition\n"
FIRST_TEXT = b'    text: "Prolotherapy (proliferative'
FIRST_YEAR = b"  year      = {2010},\n"
FIRST_REFNUMBER = b"  refnumber = {1},\n"
FIRST_TITLE = b"{Prolotherapy in primary care practice}"


@dataclass(frozen=True)
class Case:
    name: str
    claims: bytes = CLAIMS
    bib: bytes = BIB
    code: str | None = None  # None: the knowledge base loads
    file: str = "claims.yaml"
    line: int | None = None  # None: the whole file is at fault

    def __str__(self) -> str:
        return self.name


CASES = [
    Case("truncated mid-claim", CLAIMS[: CLAIMS.index(b"kind: mechanism") + 6], code="missing"),
    Case(
        "bad indentation",
        sub(CLAIMS, FIRST_KIND, b"      kind: definition\n"),
        code="yaml-syntax",
        line=line_of(CLAIMS, FIRST_KIND),
    ),
    Case(
        "tab indentation",
        sub(CLAIMS, FIRST_KIND, b"\tkind: definition\n"),
        code="yaml-syntax",
        line=line_of(CLAIMS, FIRST_KIND),
    ),
    Case(
        "list where text is expected",
        sub(CLAIMS, FIRST_KIND, b"    kind: [definition, history]\n"),
        code="wrong-type",
        line=line_of(CLAIMS, FIRST_KIND),
    ),
    Case(
        "mapping where a list is expected",
        sub(CLAIMS, b"    citations:\n", b"    citations: {ref: rabago2010}\n    x:\n"),
        code="wrong-type",
        line=line_of(CLAIMS, b"    citations:\n"),
    ),
    Case(
        "unknown key",
        sub(CLAIMS, FIRST_KIND, FIRST_KIND + b"    citatons: []\n"),
        code="unknown-key",
        line=line_of(CLAIMS, FIRST_KIND) + 1,
    ),
    Case(
        "duplicated claim block",
        CLAIMS
        + CLAIMS[CLAIMS.index(b"  - id: overview-history") : CLAIMS.index(b"  - id: overview-fr")],
        code="duplicate-id",
        line=CLAIMS.count(b"\n") + 1,
    ),
    Case(
        "deleted line (a claim's id)",
        sub(CLAIMS, b"  - id: overview-history\n", b"  -\n"),
        code="missing",
        line=line_of(CLAIMS, b"  - id: overview-history") + 1,  # where the mapping starts
    ),
    Case("empty claims file", b"", code="empty"),
    Case("comments only", b"# nothing here\n", code="empty"),
    Case(
        "huge text value (8 MB) loads", sub(CLAIMS, FIRST_TEXT, b'    text: "' + b"x" * 8_000_000)
    ),
    Case(
        "NUL byte",
        sub(CLAIMS, FIRST_KIND, b"    kind: defi\x00nition\n"),
        code="yaml-syntax",
        line=line_of(CLAIMS, FIRST_KIND),
    ),
    Case(
        "invalid UTF-8",
        sub(CLAIMS, FIRST_KIND, b"    kind: d\xe9finition\n"),
        code="encoding",
        line=line_of(CLAIMS, FIRST_KIND),
    ),
    Case("BOM and CRLF load", b"\xef\xbb\xbf" + CLAIMS.replace(b"\n", b"\r\n")),
    Case("old Mac CR line ends load", CLAIMS.replace(b"\n", b"\r")),
    Case(
        "YAML anchor and alias",
        sub(
            sub(CLAIMS, FIRST_KIND, b"    kind: &k definition\n"),
            b"    kind: history\n",
            b"    kind: *k\n",
        ),
        code="yaml-alias",
        line=line_of(CLAIMS, b"    kind: history\n"),
    ),
    Case(
        "billion laughs",
        BOMB + sub(CLAIMS, FIRST_KIND, b"    kind: *i\n"),
        code="yaml-alias",
        line=2,
    ),
    Case(
        # The schema walk used to read every alias again: 3 kB took 1 s, 30 kB 100 s.
        "alias amplification (300 claims x 300 citations)",
        sub(
            sub(CLAIMS, b"  - id: overview-stimulus\n", b"  - &claim\n    id: overview-stimulus\n"),
            b"      - {ref: rabago2010, relation: supports}\n",
            b"      - &cite {ref: rabago2010, relation: supports}\n" + b"      - *cite\n" * 300,
        )
        + b"  - *claim\n" * 300,
        code="yaml-alias",
        line=line_of(CLAIMS, b"      - {ref: rabago2010, relation: supports}\n") + 2,  # +1: &claim
    ),
    Case(
        # A problem quoting the value used to repr the node graph: 9**9 nodes.
        "alias bomb as an assessment date",
        BOMB
        + sub(
            CLAIMS,
            b"      - {ref: rabago2010, relation: supports}\n",
            b"      - {ref: rabago2010, assessment: {status: supported, date: *i}}\n",
        ),
        code="yaml-alias",
        line=2,
    ),
    Case(
        "recursive alias",
        sub(CLAIMS, b"claims:\n", b"loop: &r [*r]\nclaims:\n"),
        code="yaml-alias",
        line=line_of(CLAIMS, b"claims:\n"),
    ),
    Case(
        "explicit tag that does not fit (!!bool maybe)",
        sub(CLAIMS, b"requires_support: false", b"requires_support: !!bool maybe"),
        code="wrong-type",
        line=line_of(CLAIMS, b"requires_support: false"),
    ),
    Case(
        "explicit tag that does not fit (!!timestamp)",
        sub(CLAIMS, FIRST_KIND, b"    kind: !!timestamp soon\n"),
        code="wrong-type",
        line=line_of(CLAIMS, FIRST_KIND),
    ),
    Case(
        "marker naming a million references",
        sub(CLAIMS, b'marker: "(1-3)"', b'marker: "(' + b"1-1000," * 1000 + b'1)"'),
        code="bad-marker",
        line=line_of(CLAIMS, b'marker: "(1-3)"'),
    ),
    Case(
        "marker with a 5,000-digit number",
        sub(CLAIMS, b'marker: "(1-3)"', b'marker: "(' + b"9" * 5000 + b')"'),
        code="bad-marker",
        line=line_of(CLAIMS, b'marker: "(1-3)"'),
    ),
    Case(
        "nesting 100,000 deep",
        sub(CLAIMS, FIRST_KIND, b"    kind: " + b"[" * 100_000 + b"]" * 100_000 + b"\n"),
        code="yaml-syntax",
        line=line_of(CLAIMS, FIRST_KIND),
    ),
    Case(
        "year in superscript digits",
        bib=sub(BIB, FIRST_YEAR, "  year      = {\u00b2\u2070\u00b9\u2070},\n".encode()),
        code="bad-year",
        file="references.bib",
        line=line_of(BIB, FIRST_YEAR),
    ),
    Case(
        "year of 5,000 digits",
        bib=sub(BIB, FIRST_YEAR, b"  year      = {" + b"9" * 5000 + b"},\n"),
        code="bad-year",
        file="references.bib",
        line=line_of(BIB, FIRST_YEAR),
    ),
    Case(
        "refnumber of 5,000 digits",
        bib=sub(BIB, FIRST_REFNUMBER, b"  refnumber = {" + b"9" * 5000 + b"},\n"),
        code="bad-refnumber",
        file="references.bib",
        line=line_of(BIB, FIRST_REFNUMBER),
    ),
    Case(
        "unclosed brace in a BibTeX entry",
        bib=sub(BIB, b"  pages     = {65--80},\n", b"  pages     = {65--80,\n"),
        code="bibtex-syntax",
        file="references.bib",
        line=line_of(BIB, b"@article{rabago2010"),
    ),
    Case(
        "invalid UTF-8 in references.bib",
        bib=sub(BIB, FIRST_YEAR, b"  year      = {2010\xff},\n"),
        code="encoding",
        file="references.bib",
        line=line_of(BIB, FIRST_YEAR),
    ),
    Case("empty references.bib", bib=b"", code="unknown-reference", line=None),
    # Issue 13: each of these was accepted in silence.
    Case(
        "two byte-order marks at the start of claims.yaml",
        claims=b"\xef\xbb\xbf\xef\xbb\xbf" + CLAIMS,
        code="encoding",
        line=1,
    ),
    Case(
        "a NUL byte inside a BibTeX title",
        bib=sub(BIB, FIRST_TITLE, FIRST_TITLE.replace(b" in ", b"\x00 in ")),
        code="control-character",
        file="references.bib",
        line=line_of(BIB, FIRST_TITLE),
    ),
    Case(
        "an extra } inside a BibTeX title (the fields after it were lost)",
        bib=sub(BIB, FIRST_TITLE, FIRST_TITLE.replace(b" in ", b"} in ")),
        code="bibtex-syntax",
        file="references.bib",
        line=line_of(BIB, FIRST_TITLE) + 1,  # the first field left outside the entry
    ),
]


def located(problem_line: int, case: Case) -> bool:
    return case.line is None or problem_line == case.line


@pytest.mark.parametrize("case", CASES, ids=str)
def test_hostile_input(case: Case, tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    (tmp_path / "claims.yaml").write_bytes(case.claims)
    (tmp_path / "references.bib").write_bytes(case.bib)
    tracemalloc.start()
    try:
        try:
            kb = load(tmp_path)
        except KnowledgeBaseError as exc:
            problems = exc.problems
        else:
            problems = kb.problems  # warnings: the knowledge base stays usable
        peak = tracemalloc.get_traced_memory()[1]
    finally:
        tracemalloc.stop()
    # Memory stays in proportion to the input: no alias, marker or number is expanded.
    assert peak < 40 * 1024 * 1024 + 8 * (len(case.claims) + len(case.bib))

    if case.code is None:
        assert problems == []
        assert len(kb.claims) == 42 and len(kb.references) == 5
    else:
        assert any(
            p.code == case.code
            and p.location.file == str(tmp_path / case.file)
            and located(p.location.line, case)
            for p in problems
        ), [f"{p} [{p.code}]" for p in problems]

    code = main(["check", "--kb", str(tmp_path)])
    err = capsys.readouterr().err
    # A refusal is exit 2; a value the knowledge base can do without (a year that is not
    # one) is a warning, exit 1.
    usable = all(not p.is_error for p in problems)
    assert code == (0 if case.code is None else 1 if usable else 2)
    assert "Traceback" not in err
    if case.code is not None:
        assert str(tmp_path / case.file) in err


def test_an_alias_never_reaches_the_schema_walk(monkeypatch: pytest.MonkeyPatch) -> None:
    # The alias check runs first, so the walk that could expand aliases never sees them.
    def walk(*args: object) -> None:
        raise AssertionError("the schema walk ran on a file with aliases")

    monkeypatch.setattr(claimsfile._Reader, "read_root", walk)
    parsed = claimsfile.parse_claims((BOMB + CLAIMS).decode(), "c.yaml")
    assert {p.code for p in parsed.problems} == {"yaml-alias"}


SENTINEL_TAGS = [
    "!!python/object/apply:os.system ['touch {path}']",
    "!!python/object/apply:subprocess.check_call [['touch', '{path}']]",
    "!!python/object/new:subprocess.Popen [['touch', '{path}']]",
    '!!python/object/apply:builtins.exec [\'open("{path}", "w").close()\']',
]


@pytest.mark.parametrize("tag", SENTINEL_TAGS)
@pytest.mark.parametrize("where", ["known key", "unknown key", "mapping key", "whole document"])
def test_python_tags_are_rejected_without_running(
    tag: str, where: str, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    sentinel = tmp_path / "pwned"
    value = tag.format(path=sentinel).encode()
    claims = {
        "known key": sub(CLAIMS, FIRST_KIND, b"    kind: " + value + b"\n"),
        "unknown key": sub(CLAIMS, FIRST_KIND, FIRST_KIND + b"    extra: " + value + b"\n"),
        "mapping key": sub(CLAIMS, FIRST_KIND, b"    ? " + value + b"\n    : x\n"),
        "whole document": value.replace(b" [", b"\n  - [", 1) + b"\n",
    }[where]
    kb = tmp_path / "kb"
    kb.mkdir()
    (kb / "claims.yaml").write_bytes(claims)
    (kb / "references.bib").write_bytes(BIB)
    with pytest.raises(KnowledgeBaseError) as caught:
        load(kb)
    assert main(["check", "--kb", str(kb)]) == 2
    assert "Traceback" not in capsys.readouterr().err
    assert not sentinel.exists()
    assert all(p.location.line >= 1 for p in caught.value.problems)


def test_a_file_over_the_size_bound_is_refused_by_load_and_check(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    (tmp_path / "claims.yaml").write_bytes(CLAIMS)
    (tmp_path / "references.bib").write_bytes(BIB)
    monkeypatch.setenv(MAX_INPUT_BYTES_ENV, str(max(len(CLAIMS), len(BIB))))
    assert len(load(tmp_path).claims) == 42  # both files are within the bound...
    monkeypatch.setenv(MAX_INPUT_BYTES_ENV, str(min(len(CLAIMS), len(BIB)) - 1))
    with pytest.raises(KnowledgeBaseError) as caught:  # ...then neither is
        load(tmp_path)
    assert sorted((p.code, Path(p.location.file).name) for p in caught.value.problems) == [
        ("too-large", "claims.yaml"),
        ("too-large", "references.bib"),
    ]
    assert main(["check", "--kb", str(tmp_path)]) == 2
    err = capsys.readouterr().err
    assert f"{tmp_path / 'claims.yaml'}: the file is larger than the limit of" in err


@pytest.mark.parametrize(
    "text", ["schema: 1\nclaims: " + "[" * 5000 + "]" * 5000 + "\n", "a: b\n\x00"]
)
def test_the_pure_python_yaml_loader_gives_problems_too(
    text: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    # Without libyaml PyYAML falls back to Python code, which recurses and counts characters.
    monkeypatch.setattr(yamlnodes, "LOADER", yaml.SafeLoader)
    parsed = claimsfile.parse_claims(text, "c.yaml")
    (problem,) = parsed.problems
    if "\x00" in text:
        assert problem.code == "yaml-syntax"
        assert (problem.location.line, problem.location.column) == (2, 1)
    else:
        assert problem.code == "too-deep"


def test_an_extra_bib_that_is_no_bibtex_at_all_is_refused(
    kb_copy: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    # A symlink to a system file: read as one long BibTeX comment, it added nothing, silently.
    system_file = Path("/etc/passwd") if Path("/etc/passwd").is_file() else Path(__file__)
    (kb_copy / "extra.bib").symlink_to(system_file)
    with pytest.raises(KnowledgeBaseError) as caught:
        load(kb_copy, cache=False)
    assert [(p.code, p.file, p.line) for p in caught.value.problems] == [
        ("bibtex-syntax", str(kb_copy / "extra.bib"), 1)
    ]
    assert "no BibTeX entry in the file" in caught.value.problems[0].message
    assert main(["check", "--kb", str(kb_copy)]) == 2
    assert f"{kb_copy / 'extra.bib'}:1: no BibTeX entry" in capsys.readouterr().err


def test_a_bib_of_comments_and_strings_only_is_not_refused(tmp_path: Path) -> None:
    from proloevidence.kb.bib_reader import parse_references

    only = "% exported by a tool\n\n@string{jama = {JAMA}}\n@comment{nothing here}\n"
    assert parse_references(only, "strings.bib").problems == []
    assert parse_references("% a comment\n\n", "empty.bib").problems == []
