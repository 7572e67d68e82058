from __future__ import annotations

import json
from pathlib import Path

import pytest

from proloevidence.cli import main


def run(capsys: pytest.CaptureFixture[str], *args: str) -> tuple[int, str, str]:
    code = main(list(args))
    out, err = capsys.readouterr()
    return code, out, err


def test_check_bundled(capsys) -> None:
    code, out, _ = run(capsys, "check")
    assert code == 0 and "42 statements, 5 references" in out


def test_claims_json_lists_every_statement(capsys) -> None:
    code, out, _ = run(capsys, "claims", "--format", "json")
    data = json.loads(out)
    assert code == 0 and data["schema_version"] == 1
    assert len(data["claims"]) == 42
    trials = next(c for c in data["claims"] if c["id"] == "si-joint-trials")
    assert trials["marker"] == "(2,3)"
    assert [c["ref"] for c in trials["citations"]] == ["kim2010", "hauser2016"]
    assert set(trials) >= {
        "id",
        "text",
        "section",
        "kind",
        "marker",
        "requires_support",
        "citations",
    }
    assert set(trials["citations"][0]) >= {"ref", "relation", "assessment"}


def test_claims_unsupported_exits_1_and_section_filter(capsys) -> None:
    code, out, _ = run(capsys, "claims", "--unsupported")
    assert code == 1
    assert "safety-tolerated" in out and "si-joint-trials" not in out
    assert "procedure-visit-duration" not in out
    code, out, _ = run(
        capsys, "claims", "--section", "Regulatory Considerations", "--format", "json"
    )
    assert [c["id"] for c in json.loads(out)["claims"]] == [
        "regulatory-substances",
        "regulatory-not-approved",
        "regulatory-basis",
        "regulatory-no-guarantees",
    ]


def test_sources_gives_identifiers_as_printed(capsys) -> None:
    code, out, _ = run(capsys, "sources", "mechanism-neuromodulatory", "--format", "json")
    data = json.loads(out)
    assert code == 0 and data["claim"]["id"] == "mechanism-neuromodulatory"
    assert [(s["key"], s["doi"]) for s in data["sources"]] == [
        ("duman2012", "10.1016/j.mehy.2011.09.033"),
        ("wu2017", "10.1155/2017/8157910"),
    ]
    code, out, _ = run(capsys, "sources", "si-joint-trials")
    assert "PMID 20648206" in out and "10.4137/CMAMD.S39160" in out


def test_cited_by(capsys) -> None:
    _, out, _ = run(capsys, "cited-by", "kim2010", "--format", "json")
    data = json.loads(out)
    assert data["reference"]["pmid"] == "20648206"
    assert "si-joint-trials" in [c["id"] for c in data["claims"]]


def test_unknown_id_is_exit_2_with_suggestion(capsys) -> None:
    code, _, err = run(capsys, "sources", "si-joint-trial")
    assert code == 2 and "did you mean si-joint-trials" in err
    assert "Traceback" not in err


def test_graph_to_file(capsys, tmp_path: Path) -> None:
    target = tmp_path / "g.graphml"
    code, _, _ = run(capsys, "graph", "--format", "graphml", "--output", str(target))
    assert code == 0 and "<graphml" in target.read_text()


def test_broken_kb_lists_every_problem_with_file_and_line(capsys, kb_copy: Path) -> None:
    claims = kb_copy / "claims.yaml"
    claims.write_text(claims.read_text().replace("    kind: history", "    knid: history"))
    code, _, err = run(capsys, "check", "--kb", str(kb_copy))
    assert code == 2
    assert f"{claims}:26:5: unknown key 'knid'" in err
    assert "claim 'overview-history' has no 'kind'" in err


def test_kb_from_environment(capsys, kb_copy: Path, monkeypatch) -> None:
    (kb_copy / "claims.yaml").write_text("schema: 1\nclaims: [\n")
    monkeypatch.setenv("PROLOEVIDENCE_KB", str(kb_copy))
    code, _, err = run(capsys, "claims")
    assert code == 2 and "claims.yaml:3" in err and "YAML syntax error" in err


def test_unknown_section_is_exit_2_with_the_close_heading(capsys) -> None:
    code, _, err = run(capsys, "claims", "--section", "Procedure")
    assert code == 2
    assert "no heading 'Procedure'" in err and "'The Prolotherapy Procedure'" in err


def test_check_counts_its_problems_in_words(capsys, kb_copy: Path) -> None:
    claims = kb_copy / "claims.yaml"
    claims.write_text(claims.read_text().replace("    kind: history", "    kind: histroy"))
    code, _, err = run(capsys, "check", "--kb", str(kb_copy))
    assert code == 2 and err.endswith("1 problem: the knowledge base is invalid\n")


def test_csv_output_that_cannot_be_looked_at_is_one_message(capsys, tmp_path: Path) -> None:
    # A name longer than the system allows: stat() itself fails (as for a folder we may not
    # enter, which a test running as root cannot make).
    output = tmp_path / ("x" * 300)
    code, _, err = run(capsys, "graph", "--format", "csv", "--output", str(output))
    assert code == 2 and "Traceback" not in err and "x" * 300 in err


# Each documented way of breaking a knowledge base (docs/schema.md): the file, the text
# replaced, and what `check` must then print, file and line first.
BROKEN = [
    (
        "claims.yaml",
        "    kind: definition",
        "    kind: [definition",
        "claims.yaml:23:9:",
        "YAML syntax",
    ),
    (
        "claims.yaml",
        "    kind: history",
        "    kidn: history",
        "claims.yaml:26:5:",
        "unknown key 'kidn'",
    ),
    (
        "claims.yaml",
        "      - {ref: wu2017, relation: supports}",
        "      - {ref: wu2071, relation: supports}",
        "claims.yaml:68:15:",
        "links unknown reference 'wu2071' (did you mean 'wu2017'?)",
    ),
    (
        "claims.yaml",
        "  - id: overview-history",
        "  - id: overview-definition",
        "claims.yaml:24:5:",
        "duplicate claim id 'overview-definition' (first at line 20)",
    ),
    (
        "claims.yaml",
        'marker: "(1-3)"',
        'marker: "(1-3"',
        "claims.yaml:36:13:",
        "not a citation marker",
    ),
    (
        "references.bib",
        "  volume    = {13},",
        "  volume    {13},",
        "references.bib:19:",
        "entry 'kim2010' cannot be parsed: at line 24",
    ),
    (
        "references.bib",
        "@article{kim2010,",
        "@article{rabago2010,",
        "references.bib:19:",
        "duplicate reference key",
    ),
]


# What leaves the knowledge base usable: a warning with its file and line (check exits 1),
# and the other commands work.
WARNED = [
    (
        "references.bib",
        "  pmid      =",
        "  pmdi      =",
        "references.bib:27:",
        "warning: unknown field 'pmdi' in 'kim2010' (did you mean 'pmid'?)",
    ),
    (
        "references.bib",
        "{10.1016/j.pop.2009.09.013}",
        "{j.pop.2009.09.013}",
        "references.bib:14:",
        "warning: malformed DOI 'j.pop.2009.09.013' in 'rabago2010'",
    ),
]


@pytest.mark.parametrize(("name", "old", "new", "where", "message"), WARNED)
def test_a_warning_is_exit_1_with_file_and_line_and_the_kb_stays_usable(
    capsys, kb_copy: Path, name: str, old: str, new: str, where: str, message: str
) -> None:
    path = kb_copy / name
    text = path.read_text(encoding="utf-8")
    assert old in text
    path.write_text(text.replace(old, new, 1), encoding="utf-8")
    code, out, err = run(capsys, "check", "--kb", str(kb_copy))
    assert code == 1 and out.startswith("ok: ") and "1 warning" in out
    assert f"{kb_copy / where} {message}" in err
    code, out, err = run(capsys, "sources", "si-joint-trials", "--kb", str(kb_copy))
    # Only the folder read is named on stderr: the warning is check's to print.
    assert code == 0 and err == f"proloevidence: knowledge base {kb_copy} (--kb)\n"
    assert "kim2010" in out


@pytest.mark.parametrize(("name", "old", "new", "where", "message"), BROKEN)
def test_each_way_of_breaking_the_kb_is_exit_2_with_file_and_line(
    capsys, kb_copy: Path, name: str, old: str, new: str, where: str, message: str
) -> None:
    path = kb_copy / name
    text = path.read_text(encoding="utf-8")
    assert old in text
    path.write_text(text.replace(old, new, 1), encoding="utf-8")
    for command in (
        ["check"],
        ["claims"],
        ["sources", "si-joint-trials"],
        ["graph", "--format", "json"],
    ):
        code, out, err = run(capsys, *command, "--kb", str(kb_copy))
        assert code == 2 and out == "" and "Traceback" not in err
        assert f"{kb_copy / where}" in err and message in err


def test_assess_writes_one_link_and_the_audit_shows_it(capsys, kb_copy: Path) -> None:
    before = (kb_copy / "claims.yaml").read_text(encoding="utf-8")
    code, out, err = run(
        capsys, "assess", "--kb", str(kb_copy), "si-joint-trials", "kim2010",
        "--as", "partly", "--locator", "Table 2", "--quote", 'pain "improved"', "--by", "Ed",
    )  # fmt: skip
    assert (code, err) == (0, f"proloevidence: knowledge base {kb_copy} (--kb)\n")
    assert out.startswith("si-joint-trials <- kim2010: partly (")
    after = (kb_copy / "claims.yaml").read_text(encoding="utf-8")
    pairs = zip(before.splitlines(), after.splitlines(), strict=True)  # no line added or lost
    changed = [(a, b) for a, b in pairs if a != b]
    assert len(changed) == 1
    assert 'locator: "Table 2", quote: "pain \\"improved\\""' in changed[0][1]
    code, out, _ = run(capsys, "audit", "--kb", str(kb_copy))
    assert "si-joint-trials <- kim2010 (unverified, assessed partly)" in out


def test_assess_an_uncited_key_is_one_line_exit_2_and_nothing_written(
    capsys, kb_copy: Path
) -> None:
    before = (kb_copy / "claims.yaml").read_bytes()
    code, out, err = run(
        capsys, "assess", "--kb", str(kb_copy), "si-joint-trials", "rabago2010", "--as", "supported"
    )
    assert code == 2 and out == ""
    assert err.count("\n") == 1
    assert err.startswith("proloevidence: no reference cited by si-joint-trials with id 'rabago")
    assert (kb_copy / "claims.yaml").read_bytes() == before


def test_assess_offers_exactly_the_judgements_the_claims_editor_records(
    capsys, kb_copy: Path
) -> None:
    from proloevidence.cli.review_commands import assess
    from proloevidence.kb.claims_editor import JUDGEMENTS

    option = next(p for p in assess.params if p.name == "status")
    assert list(option.type.choices) == [s.value for s in JUDGEMENTS]  # type: ignore[attr-defined]
    before = (kb_copy / "claims.yaml").read_bytes()
    code, out, err = run(
        capsys, "assess", "--kb", str(kb_copy), "si-joint-trials", "kim2010", "--as", "unreviewed"
    )
    assert code == 2 and out == ""
    assert "'unreviewed' is not one of 'supported', 'partly', 'not-supported'" in err
    assert (kb_copy / "claims.yaml").read_bytes() == before
